"""`picochat demo`: the whole factory on the embedded default corpus, on a CPU, with no network.

dataset pack -> task pack -> tokenizer -> base pretraining -> preflight -> SFT (bos_bestfit packing,
category_sqrt sampling, `recipes/sft.py`'s code path) -> SFT fit and held-out fit -> chat eval ->
external ARC-format eval -> export -> lm-eval on the export -> honesty scan -> release gate ->
report -> bundle. Every stage writes into one run directory (layout in docs/pipeline.md); the
closing summary names the gate status with its reasons and the per-skill pass rates against the
release thresholds.

The recipe knobs are a dataclass (`DemoConfig`), so `picochat demo --config my_demo.yaml` changes
model size, steps, data mix or answer style without touching code. Eval rows, thresholds and scoring
are never changed by the demo recipe.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .run_dir import RunDir
from .utils.errors import PicochatInputError
from .tokenizer import SPECIAL_TOKENS
from .utils.checks import SEED_MAX, check_fields, yaml_key_lines
from .utils.io import atomic_write_json, ensure_can_write, output_lock, read_json, read_yaml_mapping, replace_on_success
from .utils.output_folders import check_out_dir


MODEL_PRESET = "cpu-small"  # the demo model's preset; DemoConfig.model_fields() sets its shape


@dataclass
class DemoConfig:
    """Knobs of the demo recipe (all have CPU-sized defaults)."""

    out_dir: str = field(default="runs/demo", metadata={"help": "Run directory."})
    seed: int = field(default=0, metadata={"help": "Seed for data generation and training.", "min": 0, "max": SEED_MAX})
    vocab_size: int = field(default=2048, metadata={"help": "BPE vocabulary size.", "min": 257 + len(SPECIAL_TOKENS)})
    digit_group: int = field(default=1, metadata={"help": "Longest digit run kept in one token (1 helps tiny models with carries).", "choices": [1, 2, 3]})
    tokenizer_sft_rows: bool = field(default=False, metadata={"help": "Also train the tokenizer on the text of the SFT rows that SFT trains on (never its held-out rows, never an eval row): task words become single tokens and rows about 30% shorter."})
    letter_group: int = field(default=0, metadata={"help": "Longest letter run kept in one token (1 keeps every letter visible for spelling; 0: no limit).", "min": 0})
    hidden_size: int = field(default=128, metadata={"help": "Model width.", "min": 8})
    num_hidden_layers: int = field(default=4, metadata={"help": "Transformer blocks.", "min": 1})
    num_attention_heads: int = field(default=4, metadata={"help": "Query heads.", "min": 1})
    num_key_value_heads: int = field(default=2, metadata={"help": "Key/value heads (GQA).", "min": 1})
    smear: bool = field(default=False, metadata={"help": "nanochat's smear: mix each token's previous token into its embedding (PicochatConfig.smear)."})
    init_scheme: str = field(default="nanochat", metadata={"help": "Init of the new model's weights: nanochat or normal (transformers' default, std initializer_range; PicochatConfig.init_scheme).", "choices": ["nanochat", "normal"]})
    embedding_scale: float = field(default=1.0, metadata={"help": "Factor on the normed token embedding before the first block (PicochatConfig.embedding_scale; 1.0: nanochat).", "gt": 0.0})
    seq_len: int = field(default=256, metadata={"help": "Context length for pretraining and SFT rows.", "min": 16})
    context_len: int = field(default=512, metadata={"help": "Model context (max_position_embeddings): an eval prompt plus eval_max_new_tokens must fit; at least seq_len.", "min": 16})
    base_steps: int = field(default=120, metadata={"help": "Base pretraining optimizer steps.", "min": 1})
    base_batch_size: int = field(default=16, metadata={"help": "Base pretraining rows per step.", "min": 1})
    base_task_text: float = field(default=0.0, metadata={"help": "Share of the base stage's training tokens that is task text from the TRAINING pools (spelled-out training words, letter tallies, reversals, column-method sums of training operands; `data/skills/task_text.yaml`); eval items never enter. 0: off.", "min": 0.0, "lt": 1.0})
    base_learning_rate: float = field(default=3e-3, metadata={"help": "Base pretraining peak LR.", "gt": 0.0})
    base_muon_learning_rate: float | None = field(default=None, metadata={"help": "Base pretraining's muon_learning_rate: Muon for the blocks' matrices at this peak rate, AdamW at base_learning_rate for the rest (unset: AdamW for all).", "gt": 0.0})
    task_profile: str = field(default="capability", metadata={"help": "Task-pack profile: release | capability | balanced.", "choices": ["release", "capability", "balanced"]})
    sft_profile: str = field(default="capability_train", metadata={"help": "Task-pack profile of the SFT rows only (empty: task_profile); eval rows always follow task_profile.", "choices": ["", "release", "capability", "capability_train", "capability_train_copy", "balanced"]})
    answer_style: str = field(default="scratchpad", metadata={"help": "Skill answer style: direct | scratchpad.", "choices": ["direct", "scratchpad"]})
    sft_rows: int = field(default=20000, metadata={"help": "SFT rows in the task pack.", "min": 32})
    eval_rows: int = field(default=400, metadata={"help": "Eval rows in the task pack.", "min": 16})
    sft_steps: int = field(default=900, metadata={"help": "SFT optimizer steps.", "min": 1})
    sft_batch_size: int = field(default=16, metadata={"help": "SFT packed rows per step.", "min": 1})
    sft_learning_rate: float = field(default=3e-3, metadata={"help": "SFT peak LR.", "gt": 0.0})
    sft_muon_learning_rate: float | None = field(default=None, metadata={"help": "SFT's muon_learning_rate: Muon for the blocks' matrices at this peak rate, AdamW at sft_learning_rate for the rest (unset: AdamW for all).", "gt": 0.0})
    growth_points: int = field(default=5, metadata={"help": "SFT steps at which a fixed eval subset is scored (skill growth; 0: off).", "min": 0})
    growth_rows_per_skill: int = field(default=8, metadata={"help": "Eval rows per skill in the skill-growth subset.", "min": 1})
    fit_max_rows: int = field(default=200, metadata={"help": "Rows scored by the SFT-fit evals.", "min": 1})
    gate_profile: str = field(default="demo_release", metadata={"help": "Release gate profile (demo_release: skill_release with one stated exception, the token budget)."})
    regenerate_rows: int = field(default=8, metadata={"help": "The release gate re-runs the released model on this many recorded replies of each eval and fit report and blocks on any it does not give again (`picochat gate release --regenerate-rows`; 0: off).", "min": 0})
    rescan: bool = field(default=True, metadata={"help": "The release gate re-runs the honesty scan on the files its report names and blocks when the findings differ (`picochat gate release --rescan`)."})
    preflight_profile: str = field(default="demo_release", metadata={"help": "Preflight profile for the training stages (one the release gate profile accepts)."})
    eval_batch_size: int = field(default=32, metadata={"help": "Batch size of generation-based evals.", "min": 1})
    eval_max_new_tokens: int = field(default=160, metadata={"help": "Generation budget per reply (scratchpads need room).", "min": 1})
    run_lm_eval: bool = field(default=True, metadata={"help": "Run lm-eval on the exported folder."})
    precision: str = field(default="auto", metadata={"help": "Training precision of the base and SFT stages: fp32, bf16 (autocast; fp32 weights) or auto (bf16 when a short matmul probe on this CPU runs it faster than fp32).", "choices": ["auto", "fp32", "bf16"]})
    torch_compile: bool = field(default=True, metadata={"help": "Compile the SFT model with torch.compile (TrainingArguments.torch_compile; inductor). Falls back to eager, with a warning, where inductor has no C++ compiler or Python headers."})

    def model_fields(self) -> dict[str, int | bool | float | str]:
        """PicochatConfig fields of the demo's model on top of `MODEL_PRESET` (vocabulary size aside)."""
        return {"hidden_size": self.hidden_size, "num_hidden_layers": self.num_hidden_layers,
                "num_attention_heads": self.num_attention_heads, "num_key_value_heads": self.num_key_value_heads,
                "max_position_embeddings": max(self.seq_len, self.context_len), "smear": self.smear,
                "init_scheme": self.init_scheme, "embedding_scale": self.embedding_scale}

    @classmethod
    def from_yaml(cls, path: str | Path) -> DemoConfig:
        """Read and fully validate a YAML of DemoConfig fields; errors name the file, line and field."""
        path = Path(path)
        data = read_yaml_mapping(path, "a mapping of DemoConfig fields")
        lines = yaml_key_lines(path)
        known = {f.name: f for f in fields(cls)}
        for key in data:
            if key not in known:
                raise PicochatInputError(f"unknown demo setting; known: {', '.join(known)}", path=path, line=lines.get(key), field=key)
        cfg = cls(**data)
        cfg.validate(path=path, lines=lines)
        return cfg

    def validate(self, path: str | Path | None = None, lines: dict[str, int] | None = None) -> None:
        """Types and ranges of every field, then the cross-field rules, before anything is written."""
        check_fields(self, path=path, lines=lines)
        lines = lines or {}

        def bad(name: str, msg: str) -> PicochatInputError:
            return PicochatInputError(msg, path=path if name in lines else None, line=lines.get(name), field=name)

        if self.hidden_size % self.num_attention_heads or (self.hidden_size // self.num_attention_heads) % 2:
            raise bad("num_attention_heads", f"must divide hidden_size {self.hidden_size} into even-width heads")
        if self.num_attention_heads % self.num_key_value_heads:
            raise bad("num_key_value_heads", f"must divide num_attention_heads {self.num_attention_heads}")
        from .gates.common import load_profile

        for name in ("gate_profile", "preflight_profile"):
            try:
                load_profile(getattr(self, name))
            except PicochatInputError as exc:
                raise bad(name, exc.reason) from None
        if self.context_len < self.seq_len:
            raise bad("context_len", f"must be at least seq_len {self.seq_len} (training rows must fit the model's context)")
        if self.eval_max_new_tokens > self.context_len:
            raise bad("eval_max_new_tokens", f"must be at most context_len {self.context_len} (replies past the model's context are not judged)")
        if not str(self.out_dir).strip():
            raise bad("out_dir", "must name a folder")


# `picochat demo --fast`: a first look at a fraction of the default budget (the same stages with fewer steps
# and rows; 72 s on 2 idle CPU cores; the gate is expected to block it). Applied on top of the defaults or
# of --config.
# A 100-step SFT does not win back the compile time, so --fast runs eager.
FAST_OVERRIDES: dict[str, Any] = {"out_dir": "runs/demo_fast", "base_steps": 20, "sft_steps": 100, "sft_rows": 2000,
                                  "fit_max_rows": 40, "growth_points": 3, "run_lm_eval": False, "torch_compile": False}


def fast_config(cfg: DemoConfig) -> DemoConfig:
    """`cfg` with FAST_OVERRIDES applied (out_dir too, unless it was changed from the default)."""
    changes = dict(FAST_OVERRIDES)
    if cfg.out_dir != DemoConfig.out_dir:
        changes.pop("out_dir")
    out = DemoConfig(**{**asdict(cfg), **changes})
    out.validate()
    return out


@dataclass
class Stage:
    name: str
    title: str
    run: Callable[[DemoConfig, Path, dict], None]


def _console():
    from rich.console import Console

    return Console(highlight=False)


# --------------------------------------------------------------------------------------------- stages


def _precision(cfg: DemoConfig, state: dict) -> str:
    """The training precision: `cfg.precision`, with `auto` resolved once per run by `cpu_bf16_is_faster`."""
    if "precision" not in state:
        from .utils.cpu_precision import cpu_bf16_is_faster

        state["precision"] = cfg.precision if cfg.precision != "auto" else ("bf16" if cpu_bf16_is_faster() else "fp32")
    return state["precision"]


def _torch_compile(cfg: DemoConfig, state: dict) -> bool:
    """`cfg.torch_compile`, unless inductor cannot build CPU kernels here (then eager, with a warning)."""
    if "torch_compile" not in state:
        from .utils.compile_support import inductor_cpu_unavailable

        reason = inductor_cpu_unavailable() if cfg.torch_compile else None
        if reason:
            _console().print(f"[yellow]warning[/yellow]: SFT runs eager: {reason}", markup=True)
        state["torch_compile"] = cfg.torch_compile and reason is None
    return state["torch_compile"]


def stage_dataset_pack(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .data.dataset_pack import import_dataset_pack
    from .data.default_corpus import iter_default_documents

    state["dataset_pack"] = str(import_dataset_pack(None, RunDir(run).dataset_pack_dir, documents=iter_default_documents()))


SFT_HELDOUT_FRACTION = 0.1  # SFT rows held out of training; the held-out fit scores them


def tokenizer_texts(cfg: DemoConfig, state: dict) -> Iterator[str]:
    """The tokenizer's training text: the corpus, and with `tokenizer_sft_rows` the messages of the SFT rows SFT
    trains on (the split `run_sft` makes, so the held-out fit's rows stay unseen; eval rows are in another file)."""
    from .data.dataset_pack import iter_pack_texts

    yield from iter_pack_texts(state["dataset_pack"])
    if cfg.tokenizer_sft_rows:
        from .data.schema import answer_text, read_rows
        from .eval.splits import DEFAULT_SPLIT_SEED, split_train_heldout

        answered = [r for r in read_rows(state["sft_rows"]) if answer_text(r).strip()]
        train, _ = split_train_heldout(answered, SFT_HELDOUT_FRACTION, DEFAULT_SPLIT_SEED)
        for row in train:
            yield "\n".join(m["content"] for m in row["messages"])


def stage_tokenizer(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .tokenizer import save_tokenizer, tokenizer_hash, train_tokenizer

    tok = train_tokenizer(tokenizer_texts(cfg, state), vocab_size=cfg.vocab_size, model_max_length=cfg.seq_len,
                          digit_group=cfg.digit_group, letter_group=cfg.letter_group)
    save_tokenizer(tok, RunDir(run).tokenizer_dir)
    state["tokenizer"] = str(RunDir(run).tokenizer_dir)
    state["tokenizer_hash"] = tokenizer_hash(tok)


BASE_TASK_TEXT = "base_task_text.jsonl"  # in the run directory: the task text base pretraining mixed in


def write_base_task_text(cfg: DemoConfig, run: Path, state: dict) -> str | None:
    """With `base_task_text`, write the task-text documents (training pools only) that make that share of the base
    stage's tokens beside the corpus, counted with the run's tokenizer; return the file (None when off). The honesty
    scan reads it as corpus, so the release gate's contamination evidence covers it."""
    if not cfg.base_task_text:
        return None
    from .data.dataset_pack import iter_pack_texts
    from .data.skills.task_text import task_text_documents
    from .training.common import load_tokenizer_from
    from .utils.io import atomic_write_text

    tok = load_tokenizer_from(state["tokenizer"], None)
    count = lambda text: len(tok(text, add_special_tokens=False)["input_ids"])  # noqa: E731
    corpus = sum(count(t) for t in iter_pack_texts(state["dataset_pack"]))
    target = round(corpus * cfg.base_task_text / (1.0 - cfg.base_task_text))
    docs = task_text_documents(target, count, cfg.seed)
    path = run / BASE_TASK_TEXT
    atomic_write_text(path, "".join(json.dumps({"id": f"task_text:{k}", "text": d}) + "\n" for k, d in enumerate(docs)))
    state["base_task_text"] = str(path)
    return str(path)


def stage_base(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .training.config import PicochatPretrainConfig
    from .training.pretrain import run_pretrain

    config = PicochatPretrainConfig(
        output_dir=str(RunDir(run).stage_dir("base")),
        dataset_pack=state["dataset_pack"],
        mix_documents=write_base_task_text(cfg, run, state),
        tokenizer=state["tokenizer"],
        preset=MODEL_PRESET,
        model_config=cfg.model_fields(),
        max_length=cfg.seq_len,
        max_steps=cfg.base_steps,
        per_device_train_batch_size=cfg.base_batch_size,
        per_device_eval_batch_size=cfg.base_batch_size,
        learning_rate=cfg.base_learning_rate,
        muon_learning_rate=cfg.base_muon_learning_rate,
        warmup_steps=min(max(1, cfg.base_steps // 20), cfg.base_steps - 1),  # a 1-step run has no warmup
        eval_steps=max(1, cfg.base_steps // 6),
        seed=cfg.seed,
        device_kind="cpu",
        precision=_precision(cfg, state),
        preflight_profile=cfg.preflight_profile,
        disable_tqdm=False,
    )
    run_pretrain(config)
    state["base_checkpoint"] = str(RunDir(run).best_checkpoint("base"))


def stage_task_pack(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .data.task_pack import build_task_pack

    paths = build_task_pack(
        RunDir(run).task_pack_dir,
        dataset_pack=state["dataset_pack"],
        profile=cfg.task_profile,
        sft_rows=cfg.sft_rows,
        eval_rows=cfg.eval_rows,
        source="offline",
        answer_style=cfg.answer_style,
        seed=cfg.seed,
        promote=True,
        train_profile=cfg.sft_profile or None,
    )
    state["sft_rows"] = str(paths["sft"])
    state["eval_rows"] = str(paths["eval"])


def stage_sft(cfg: DemoConfig, run: Path, state: dict) -> None:
    """SFT through `run_sft`, the code path `recipes/sft.py` and `picochat train sft` share; it runs the
    preflight gate on its plan first and refuses a blocked plan."""
    from .training.config import PicochatSFTConfig
    from .training.sft import run_sft

    config = PicochatSFTConfig(
        output_dir=str(RunDir(run).stage_dir("sft")),
        input=state["sft_rows"],
        eval_input=state["eval_rows"],  # validation loss on the eval rows; the preflight checks their skills and leaks
        heldout_fraction=SFT_HELDOUT_FRACTION,  # the held-out fit then scores rows SFT never saw
        checkpoint=state["base_checkpoint"],
        tokenizer=state["tokenizer"],
        dataset_pack=state["dataset_pack"],
        base_learning_rate=cfg.base_learning_rate,
        packing_mode="bos_bestfit",
        sampling="category_sqrt",
        max_length=cfg.seq_len,
        max_steps=cfg.sft_steps,
        per_device_train_batch_size=cfg.sft_batch_size,
        learning_rate=cfg.sft_learning_rate,
        muon_learning_rate=cfg.sft_muon_learning_rate,
        warmup_steps=min(max(1, cfg.sft_steps // 20), cfg.sft_steps - 1),
        eval_steps=max(1, cfg.sft_steps // 5),  # validation loss on the held-out SFT rows
        per_device_eval_batch_size=cfg.sft_batch_size,
        lr_decay="cosine",
        min_lr_ratio=0.1,
        max_grad_norm=1.0,
        seed=cfg.seed,
        device_kind="cpu",
        precision=_precision(cfg, state),
        torch_compile=_torch_compile(cfg, state),
        preflight_profile=cfg.preflight_profile,
        disable_tqdm=False,
        # the growth settings only beside growth_eval_input: alone they would be refused as changing nothing
        **({"growth_eval_input": state["eval_rows"], "growth_eval_points": cfg.growth_points,
            "growth_eval_rows_per_skill": cfg.growth_rows_per_skill, "growth_max_new_tokens": cfg.eval_max_new_tokens}
           if cfg.growth_points else {}),
    )
    run_sft(config)
    state["sft_checkpoint"] = str(RunDir(run).released_checkpoint)


def stage_sft_fit(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .eval.sft_fit import run_sft_fit

    for split, sub in (("train", "sft_fit"), ("heldout", "sft_fit_heldout")):
        run_sft_fit(state["sft_rows"], state["sft_checkpoint"], RunDir(run).eval_dir(sub), split=split, max_rows=cfg.fit_max_rows,
                    batch_size=cfg.eval_batch_size, max_new_tokens=cfg.eval_max_new_tokens)


def stage_chat_eval(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .eval.chat_eval import run_chat_eval

    run_chat_eval(state["eval_rows"], state["sft_checkpoint"], RunDir(run).eval_dir("eval"), batch_size=cfg.eval_batch_size,
                  max_new_tokens=cfg.eval_max_new_tokens)


def stage_external_eval(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .eval.external import run_external_eval, write_demo_arc_file

    arc = write_demo_arc_file(RunDir(run).external_data_dir / "picochat_arc_demo.jsonl")
    run_external_eval(arc, state["sft_checkpoint"], RunDir(run).external_dir("picochat_arc_demo"), fmt="arc",
                      benchmark_name="picochat_arc_demo")


def stage_honesty(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .honesty.scan import run_scan

    generated = [p for p in (RunDir(run).eval_report("eval"),) if p.exists()]
    corpus = [state["dataset_pack"]] + ([state["base_task_text"]] if state.get("base_task_text") else [])
    run_scan(eval_path=state["eval_rows"], sft_path=state["sft_rows"], corpus_paths=corpus,
             generated_paths=generated, out_dir=RunDir(run).honesty_dir)


def _export(cfg: DemoConfig, run: Path, state: dict, force: bool) -> None:
    from .export.hf_export import export_hf

    export_hf(state["sft_checkpoint"], RunDir(run).export_dir, model_name="picochat-demo", license="mit",
              dataset_summary="Embedded default corpus (Python standard-library documentation) and a synthetic "
                              f"'{cfg.task_profile}' task pack ({cfg.sft_rows} SFT / {cfg.eval_rows} eval rows).",
              eval_summary="Held-out task-pack eval, SFT fit, an ARC-format demo file and lm-eval on the export.",
              run_dir=run, force=force, allow_blocked=True)


def stage_export(cfg: DemoConfig, run: Path, state: dict) -> None:
    _export(cfg, run, state, force=False)


def stage_lm_eval(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .eval.lm_harness import run_lm_harness

    run_lm_harness(RunDir(run).export_dir, "picochat_arc_demo", RunDir(run).lm_eval_dir, device="cpu", batch_size=16,
                   model_args={"dtype": "float32"}, dry_run=not cfg.run_lm_eval)


def stage_release_gate(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .gates.release import run_release_gate

    state["release"] = run_release_gate(run, cfg.gate_profile, regenerate_rows=cfg.regenerate_rows, rescan=cfg.rescan)
    # the card and manifest carry the gate's verdict: rewrite them now that it exists
    _export(cfg, run, state, force=True)


def stage_bundle(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .export.bundle import check_bundle, make_bundle

    path = make_bundle(run, RunDir(run).bundle_dir / "picochat-demo.tar.gz")
    result = check_bundle(path)
    state["bundle"] = str(path)
    state["bundle_ok"] = bool(result.get("ok"))


def stage_manifest(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .utils.run_manifest import write_run_manifest

    write_run_manifest(run, extra={"demo_config": asdict(cfg)})


def stage_report(cfg: DemoConfig, run: Path, state: dict) -> None:
    from .report import write_run_report

    write_run_report(run, force=True)


STAGES: list[Stage] = [
    Stage("dataset_pack", "dataset pack from the embedded corpus", stage_dataset_pack),
    Stage("task_pack", "task pack (SFT + eval rows)", stage_task_pack),
    Stage("tokenizer", "byte-level BPE tokenizer", stage_tokenizer),
    Stage("base", "base pretraining", stage_base),
    Stage("sft", "preflight gate + SFT (bos_bestfit, category_sqrt)", stage_sft),
    Stage("manifest", "run manifest (commit, versions, data and tokenizer hashes, model, budget)", stage_manifest),
    Stage("sft_fit", "SFT fit and held-out fit", stage_sft_fit),
    Stage("eval", "chat eval on held-out eval rows", stage_chat_eval),
    Stage("external_eval", "external eval (ARC-format demo file)", stage_external_eval),
    Stage("export", "HF export with model card", stage_export),
    Stage("lm_eval", "lm-eval on the exported folder", stage_lm_eval),
    Stage("honesty", "contamination scan", stage_honesty),
    Stage("release_gate", "release gate", stage_release_gate),
    Stage("report", "report.md + report.html", stage_report),
    Stage("bundle", "result bundle (includes the report)", stage_bundle),
]


# --------------------------------------------------------------------------------------------- runner


def run_demo(cfg: DemoConfig, *, force: bool = False, stages: list[Stage] | None = None) -> dict[str, Any]:
    """Run the stages in order; return the state (paths, gate result, timings).

    The whole config is validated before anything is written. An existing run is replaced only with
    `force`, and only once the new run is complete: it is set aside while the new one runs and put back
    if the new one fails (a failed new run leaves nothing behind).
    """
    cfg.validate()
    run = Path(cfg.out_dir)
    if run.exists() and not run.is_dir():
        raise PicochatInputError("exists and is not a directory", path=run, field="out_dir")
    check_out_dir(run, "demo", force=force)  # also the default runs/demo and a --config out_dir: --force replaces a run only
    ensure_can_write(run, force=force)
    with output_lock(run), replace_on_success(run, force=force, remove_partial=True):
        return _run_stages(cfg, run, stages)


def _run_stages(cfg: DemoConfig, run: Path, stages: list[Stage] | None) -> dict[str, Any]:
    run.mkdir(parents=True, exist_ok=True)
    atomic_write_json(RunDir(run).demo_config, asdict(cfg))
    console = _console()
    stages = stages if stages is not None else STAGES
    state: dict[str, Any] = {"timings": {}}
    total_start = time.perf_counter()
    for i, stage in enumerate(stages, start=1):
        console.rule(f"[bold][{i}/{len(stages)}] {stage.title}")
        start = time.perf_counter()
        stage.run(cfg, run, state)
        state["timings"][stage.name] = round(time.perf_counter() - start, 2)
        console.print(f"[green]done[/green] {stage.name} in {state['timings'][stage.name]:.1f}s")
    state["timings"]["total"] = round(time.perf_counter() - total_start, 2)
    atomic_write_json(RunDir(run).demo_state, {k: v for k, v in state.items() if k != "release"})
    return state


def summarize_run(run: Path) -> str:
    """The closing summary: gate status and reasons, per-skill pass rates vs thresholds, where files are."""
    lines: list[str] = []
    release_path = RunDir(run).release
    if release_path.exists():
        from .gates.verify import verify_release

        release = read_json(release_path)
        lines.append(f"Release gate ({release.get('profile')}): {release['status'].upper()}")
        lines.append(f"  {verify_release(run)['sentence']}")
        lines += [f"  exception: {x}" for x in release.get("exceptions") or []]
        for chk in release.get("checks", []):
            if chk["status"] != "pass":
                lines.append(f"  - [{chk['status']}] {chk['why']}")
    eval_path = RunDir(run).eval_report("eval")
    if eval_path.exists():
        summary = read_json(eval_path)["summary"]
        thresholds = _skill_thresholds(run)
        lines.append(f"Held-out eval: {summary['passed']}/{summary['n']} = {summary['pass_rate']:.1%} "
                     f"(95% CI {summary['ci'][0]:.1%}-{summary['ci'][1]:.1%})")
        for skill, s in sorted(summary.get("by_skill", {}).items()):
            thr = thresholds.get(skill)
            mark = "" if thr is None else (" clears" if s["pass_rate"] >= thr else " MISSES") + f" {thr:.0%}"
            lines.append(f"  {skill:<9} {s['pass_rate']:6.1%}  CI {s['ci'][0]:.1%}-{s['ci'][1]:.1%}  n={s['n']}{mark}")
    lines.append(f"Run directory: {run}")
    for name in ("report.html", "report.md", "gates/release.md", "export", "bundle"):
        if (run / name).exists():
            lines.append(f"  {name}: {run / name}")
    return "\n".join(lines)


def _skill_thresholds(run: Path) -> dict[str, float]:
    release_path = RunDir(run).release
    if not release_path.exists():
        return {}
    out = {}
    for chk in read_json(release_path).get("checks", []):
        name = chk.get("name", "")
        if name.startswith("skill_") and isinstance(chk.get("threshold"), (int, float)):
            out[name.removeprefix("skill_")] = float(chk["threshold"])
    return out


def main_summary(run: Path) -> None:
    console = _console()
    console.rule("[bold]summary")
    console.print(summarize_run(run), markup=False)
