"""What the preflight gate judges, read once: the plan's numbers, the launch environment, the tokenizer, the
dataset pack and its import report, the SFT and eval rows, the base run's report and a contamination report.

Checks (`preflight_checks`) are pure functions of this record, so their order does not matter.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.schema import read_rows
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from ..utils.io import read_json

FLASH_BACKENDS = ("flash_attention_2", "flash_attention_3", "flash", "fa3", "kernels", "efficient", "cudnn")


_COUNT, _NUMBER, _TEXT, _PATH = "an integer", "a number", "a string", "a path string"
PLAN_TYPES = {  # the plan keys the checks read (training.plan.build_plan writes them); None means "not given"
    **dict.fromkeys(("seq_len", "per_device_batch", "grad_accum", "world_size", "tokens_per_step", "max_steps", "planned_tokens",
                     "planned_trained_tokens", "num_parameters"), _COUNT),
    "seed": _COUNT,
    **dict.fromkeys(("flops_per_token", "learning_rate", "muon_learning_rate", "base_learning_rate", "num_train_epochs"), _NUMBER),
    **dict.fromkeys(("stage", "device", "precision", "attn_implementation", "packing", "sampling", "lm_head_loss"), _TEXT),
    **dict.fromkeys(("sft_input", "eval_input", "dataset_pack", "tokenizer", "init_checkpoint"), _PATH),
    "model_config": "a mapping",
}


def _plan_type_ok(value: Any, kind: str) -> bool:
    if kind in (_COUNT, _NUMBER) and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return False
    if kind == _COUNT:
        return isinstance(value, int)
    if kind == _NUMBER:
        return math.isfinite(value)
    if kind == _PATH:
        return isinstance(value, (str, os.PathLike))
    return isinstance(value, dict) if kind == "a mapping" else isinstance(value, str)


def check_plan_types(plan: Any, path: str | Path | None = None) -> None:
    """A plan read from a file has the JSON types the checks compute with (a count given as "many" would be
    a TypeError deep in a check); the error names the file, the key's line and the key."""
    from ..utils.checks import yaml_key_lines

    if not isinstance(plan, dict):
        raise PicochatInputError(f"the preflight plan must be a mapping, got {type(plan).__name__}", path=path, field="plan")
    lines = yaml_key_lines(path) if path is not None else {}  # a JSON object is a YAML mapping: its keys' lines
    for key, kind in PLAN_TYPES.items():
        value = plan.get(key)
        if value is not None and not _plan_type_ok(value, kind):
            raise PicochatInputError(f"must be {kind} (finite) or null; got {value!r}", path=path, line=lines.get(key), field=key)


def check_plan_ranges(plan: dict[str, Any], path: str | Path) -> None:
    """A plan file (`gate preflight --plan`) holds numbers a run could have (`plan_ranges.yaml`: no batch of 0, no
    max_steps -5, no negative learning rate), as a training config does (`check_training_ranges`); the error names
    the file, the key's line and the key. A plan built in Python (`run_preflight`) is judged instead: its gate
    checks block a zero max_steps or learning rate with their reasons."""
    from ..utils.checks import check_value, yaml_key_lines
    from ..utils.yaml_text import load_yaml_text

    ranges = load_yaml_text(Path(__file__).with_name("plan_ranges.yaml").read_text(encoding="utf-8"))
    lines = yaml_key_lines(path)
    for key, meta in ranges.items():
        value = plan.get(key)
        if value is None or value in meta.get("also", ()):
            continue
        try:
            check_value(key, value, {k: v for k, v in meta.items() if k not in ("also", "why")})
        except PicochatInputError as exc:
            why = f" ({meta['why']})" if "why" in meta else ""
            raise PicochatInputError(exc.reason.replace("; got", why + "; got", 1), path=path, line=lines.get(key), field=key) from None


def sizing(plan: dict[str, Any]) -> tuple[int | None, float | None, str]:
    """(parameters, FLOPs per token, source) from the plan, else from its picochat model_config via `model_numbers`."""
    n, fpt = plan.get("num_parameters"), plan.get("flops_per_token")
    if n and fpt:
        return int(n), float(fpt), "plan"
    cfg = plan.get("model_config") or {}
    if cfg.get("model_type", "picochat") == "picochat" and cfg:
        from ..modeling.configuration_picochat import PicochatConfig
        from ..training.plan import model_numbers  # the one sizing function the trainers' plans use too

        config = PicochatConfig(**{k: v for k, v in cfg.items() if k not in ("model_type", "architectures", "auto_map")})
        params, flops = model_numbers(config, plan.get("seq_len"))
        return int(n or params), float(fpt or flops), "picochat_hf.training.plan.model_numbers"
    return (int(n) if n else None), (float(fpt) if fpt else None), "plan"


def is_flash(name: str) -> bool:
    return name in FLASH_BACKENDS or name.startswith("kernels") or "flash" in name


@dataclass
class PreflightInputs:
    plan: dict[str, Any]
    prof: dict[str, Any]
    stage: str
    params: int | None
    fpt: float | None
    sizing_source: str
    planned: int | None
    long: bool
    env: dict[str, Any]
    tokenizer: Any = None
    pack: dict[str, Any] | None = None
    import_report: dict[str, Any] = field(default_factory=dict)
    sft_rows: list[dict] | None = None
    eval_rows: list[dict] | None = None
    base_report: dict[str, Any] | None = None
    contamination: dict[str, Any] | None = None

    @property
    def t(self) -> dict[str, Any]:
        return self.prof["preflight"]

    @property
    def release(self) -> bool:
        return bool(self.prof.get("release_profile"))

    @property
    def long_block(self) -> str:
        return "block" if self.long else "warn"


def _environment(plan: dict[str, Any]) -> dict[str, Any]:
    import torch

    cuda = torch.cuda.is_available()
    return {"WORLD_SIZE": os.environ.get("WORLD_SIZE"), "LOCAL_WORLD_SIZE": os.environ.get("LOCAL_WORLD_SIZE"),
            "cuda": cuda, "cuda_count": torch.cuda.device_count() if cuda else 0, "mps": torch.backends.mps.is_available(),
            "bf16_supported": bool(cuda and torch.cuda.is_bf16_supported())}


def _planned(plan: dict[str, Any]) -> int | None:
    steps, planned = plan.get("max_steps"), plan.get("planned_tokens")
    if planned is not None:
        return planned
    pdb, seq_len = plan.get("per_device_batch"), plan.get("seq_len")
    if not steps or steps <= 0 or not pdb or not seq_len:
        return None
    tps = plan.get("tokens_per_step") or pdb * (plan.get("grad_accum") or 1) * (plan.get("world_size") or 1) * seq_len
    return steps * tps


def _tokenizer(path: str | None) -> Any:
    if path is None:
        return None
    from ..tokenizer import load_tokenizer

    try:
        return load_tokenizer(path)
    except (OSError, ValueError) as exc:
        if isinstance(exc, PicochatInputError):
            raise  # a folder that is not a tokenizer
        raise PicochatInputError(f"cannot load tokenizer ({exc.__class__.__name__}: {exc})", path=path, field="tokenizer") from None


def _pack(path: str | None) -> tuple[Path | None, dict | None, dict]:
    if path is None:
        return None, None, {}
    from ..data.dataset_pack import load_dataset_pack

    pack_json = Path(path)
    if pack_json.is_dir():
        pack_json = pack_json / "dataset_pack.json"
    pack = load_dataset_pack(pack_json)
    report_path = pack_json.parent / (pack.get("import_report") or {}).get("json", "import_report.json")
    return pack_json, pack, read_json(report_path) if report_path.exists() else {}


def _contamination(inp: PreflightInputs, run: RunDir | None, pack_json: Path | None) -> dict[str, Any] | None:
    """The run's honesty report when it scanned this plan's own files, else a fresh scan of the eval rows against
    the SFT rows and every other text the model trained on (`preflight_corpus`: the plan's pack, the base run's pack,
    documents and mixed-in documents). A report about other files is never the plan's evidence: it is named in the
    source and the plan is scanned afresh. `problems`: trained texts that could not be scanned (each blocks)."""
    if inp.eval_rows is None:
        return None
    from .preflight_corpus import trained_texts, unscanned

    scan_corpus = bool(inp.t["contamination"]["scan_corpus"])
    texts, problems = trained_texts(pack_json, inp.base_report) if scan_corpus else ([], [])
    stale = None
    if run is not None and run.honesty_report.exists():
        report = read_json(run.honesty_report)
        stale = _report_mismatch(report, inp.plan) or unscanned(report, texts)
        if stale is None:
            return {"report": report, "source": run.rel(run.honesty_report), "problems": problems}
    from ..honesty.scan import scan
    from .preflight_corpus import corpus_documents

    corpus = (lambda: corpus_documents(texts)) if texts else None
    try:
        report = scan(eval_rows=inp.eval_rows, sft_rows=inp.sft_rows or [], corpus=corpus, show_progress=False)
    except PicochatInputError as exc:  # a trained text the scan could not read: name it, block, never pass unscanned
        named = next((t for t in texts if exc.path is not None and t.path is not None and _holds(t.path, Path(exc.path))), None)
        if named is None:
            raise
        problems.append(f"{named.path} ({named.field}) cannot be read as corpus text ({exc}), so the preflight cannot scan it "
                        "for eval prompts.")
        return {"report": None, "source": "scan (not run)", "problems": problems}
    source = "scan (SFT" + (" + " + ", ".join(t.name for t in texts) if texts else "") + ")"
    if stale is not None:
        source += f"; {run.rel(run.honesty_report)} was not used: {stale}"
    return {"report": report, "source": source, "problems": problems}


def _holds(text: Path, path: Path) -> bool:
    """`path` is the trained text or a file of it (a dataset pack's shard)."""
    folder = text if text.is_dir() else text.parent if text.name == "dataset_pack.json" else None
    return path == text or (folder is not None and folder in path.parents)


def _report_mismatch(report: dict[str, Any], plan: dict[str, Any]) -> str | None:
    """Why an existing honesty report is not about the plan's eval rows and SFT rows (None when it is), judged by
    the content hashes the scan recorded (its corpus: `preflight_corpus.unscanned`)."""
    from ..utils.provenance import input_sha256

    scanned = (report.get("inputs") or {}).get("sha256") or {}
    wanted = {"eval": plan.get("eval_input"), "sft": plan.get("sft_input")}
    for key, path in wanted.items():
        if path is not None and (scanned.get(key) is None or scanned.get(key) != input_sha256(path)):
            return f"it scanned another {key} file than {Path(path).name}"
    return None


def load_preflight_inputs(plan: dict[str, Any], run_dir: Path | None, prof: dict[str, Any]) -> PreflightInputs:
    stage = plan.get("stage") or "sft"
    if stage not in ("sft", "base"):
        raise PicochatInputError("stage must be 'sft' or 'base'", field="stage")
    params, fpt, source = sizing(plan)
    lr = prof["preflight"]["long_run"]
    long = bool((params or 0) >= lr["min_parameters"] or (plan.get("max_steps") or 0) >= lr["min_steps"])
    inp = PreflightInputs(plan=plan, prof=prof, stage=stage, params=params, fpt=fpt, sizing_source=source, planned=_planned(plan),
                          long=long, env=_environment(plan))
    inp.tokenizer = _tokenizer(plan.get("tokenizer"))
    pack_json, inp.pack, inp.import_report = _pack(plan.get("dataset_pack"))
    inp.sft_rows = read_rows(plan["sft_input"]) if plan.get("sft_input") is not None else None
    inp.eval_rows = read_rows(plan["eval_input"], split="eval") if plan.get("eval_input") is not None else None
    run = RunDir(run_dir) if run_dir is not None else None
    if run is not None and run.train_report("base").exists():
        inp.base_report = read_json(run.train_report("base"))
    inp.contamination = _contamination(inp, run, pack_json)
    return inp
