"""A complete evidence chain as a run directory, built in milliseconds, for the gate, export and bundle tests.

`build_chain` writes what the pipeline writes: a released checkpoint (tiny weights), SFT and eval row files,
train reports that record their inputs and output weights, a preflight under the release profile, eval
reports (with per-row results.jsonl, summarised by the evaluators' own `summarize`) that name the weights
they scored and the file they read, an external benchmark, and a honesty scan that covered the same files.
Every verdict follows from its row: `write_eval` writes the eval rows its results scored (a row per result
whose rules the recorded reply meets exactly when it passed), and the fits score the real train and
held-out split of the SFT file with the scorer. Each test then breaks one link.

Building a chain scores its fit rows with the real scorer, so `build_chain` builds each distinct chain once per
process (a template, in a temporary folder) and gives every caller a copy at its own root, with every path the reports
record and every "now" date rewritten as a build there writes them: the copy is byte for byte what a build at that
root writes (`test_gate_fixtures_template.py` checks this), and no caller ever sees the template or another's copy.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import torch
from safetensors.torch import save_file

from picochat_hf.eval.report import write_report
from picochat_hf.eval.rows_eval import judge_generated, summarize
from picochat_hf.eval.scoring import load_scoring_config
from picochat_hf.eval.scoring_identity import scoring_fields
from picochat_hf.eval.sft_fit import answered_rows, sft_row_to_eval_row, split_rows
from picochat_hf.eval.splits import DEFAULT_SPLIT_SEED, DEFAULT_VAL_FRACTION
from picochat_hf.gates.preflight_tie import plan_fingerprint
from picochat_hf.gates.release_size import count_parameters
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.io import sha256_file
from picochat_hf.utils.provenance import input_sha256, utc_now, weights_sha256

# pass rates that clear skill_release with Wilson lower bounds above every threshold at n=80
# (refusal at 0.95: every failing refusal reply is an unsupported claim, and 5% is the limit on those)
GOOD_SKILLS = {"identity": 0.9, "refusal": 0.95, "choice": 0.7, "math": 0.5, "spelling": 0.6, "general": 0.5}
PARAMS = 1000
PREFLIGHT_DATE = "2000-01-01T00:00:00+00:00"  # a preflight runs before the training it gates (and every fixture date)
TRAIN_DATE = "2000-01-02T00:00:00+00:00"  # training: after its preflight, before the evals (dated now)


def write_json(path: Path, obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def fake_weights(folder: Path, seed: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    save_file({"w": torch.arange(PARAMS, dtype=torch.float32) + seed}, str(folder / "model.safetensors"))
    (folder / "config.json").write_text('{"model_type": "picochat"}')
    return folder


REFUSAL_REPLIES = ("I do not know that.", "Sure, it is 42.")  # (passes, fails) a refusal row


def _reply(skill: str, i: int, ok: bool) -> str:
    if skill == "refusal":
        return REFUSAL_REPLIES[0 if ok else 1]
    return str(100 + i if ok else 200 + i)


def result_rows(skills: dict[str, float], n: int, *, echo_every: int = 0) -> list[dict]:
    rows = []
    for skill, rate in skills.items():
        passed = round(rate * n)
        for i in range(n):
            ok = i < passed
            row = {"id": f"{skill}-{i}", "skill": skill, "category": skill, "stage": "unspecified", "prompt": f"q {skill} {i}",
                   "reply": _reply(skill, i, ok), "expected": {}, "passed": ok, "failures": [] if ok else ["rule: missed"],
                   "echo": bool(echo_every) and i % echo_every == 0, "refusal": skill == "refusal", "expects_refusal": skill == "refusal",
                   "unsupported_claim": skill == "refusal" and not ok, "hit_token_limit": False}
            if skill == "choice":
                pred = "A" if ok else "B"
                row["reply"] = pred
                row["choice"] = {"pred": pred, "gold": "A", "n_choices": 4,
                                 "letter_logits": {x: 2.0 if x == pred else 1.0 for x in "ABCD"}}
            rows.append(row)
    return rows


def eval_row_of(result: dict) -> dict:
    """The eval row a fixture result scored: its prompt, skill and a rule its reply meets when it passed."""
    row = {"id": result["id"], "messages": [{"role": "user", "content": result["prompt"]}], "skill": result["skill"],
           "category": result["category"], "split": "eval", "source": "fixture"}
    if "choice" in result:
        return {**row, "choices": ["w", "x", "y", "z"], "correct_choice": result["choice"]["gold"]}
    if result["skill"] == "refusal":
        return row
    answer = result["reply"] if result["passed"] else f"not {result['reply']}"
    return {**row, "normalized_answer": answer}


def write_rows(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


BUDGET = 64  # max_new_tokens the fixture's evals record


def with_token_counts(rows: list[dict]) -> list[dict]:
    """Each generated reply's token counts as the evals record them: one token per character and a stop token (which
    fits any vocabulary, within BUDGET for the fixture's short replies)."""
    for r in rows:
        if "choice" not in r and isinstance(r.get("reply"), str):
            r.update(num_generated_tokens=len(r["reply"]) + 1, stopped_on_eos=True, reply_tokens=len(r["reply"]), hit_token_limit=False)
    return rows


def write_eval(run: RunDir, kind: str, rows: list[dict], *, input_path: Path, checkpoint: Path) -> Path:
    """An eval report of `rows` (results, given their token counts), and at `input_path` the eval rows those results scored."""
    write_rows(input_path, [eval_row_of(r) for r in rows])
    rows = with_token_counts(rows)
    report = {"kind": {"eval": "chat"}.get(kind, kind),
              "config": {"input": str(input_path), "input_sha256": sha256_file(input_path), "max_new_tokens": BUDGET,
                         "reply_token_counts": True, **scoring_fields(None, load_scoring_config())},
              "model": {"path": str(checkpoint), "tokenizer": str(checkpoint), "model_type": "picochat", "num_parameters": PARAMS,
                        "device": "cpu", "precision": "fp32", "prompt_format": "chat_template"},
              "summary": summarize(rows), "examples": []}
    write_report(run.eval_dir(kind), report, rows, force=True)
    return run.eval_report(kind)


def sft_rows(n: int = 1000) -> list[dict]:
    return [{"id": f"sft-{i}", "messages": [{"role": "user", "content": f"Say the word {i}."}, {"role": "assistant", "content": f"word{i}"}],
             "skill": "general", "category": "general", "split": "train", "source": "fixture"} for i in range(n)]


def write_fit(run: RunDir, kind: str, rate: float, *, sft_file: Path, checkpoint: Path, n: int = 100) -> Path:
    """A fit report scoring the first `n` rows of the SFT file's train (sft_fit) or held-out split, with the
    scorer: the first `rate` share answered right, the rest wrong."""
    split = "train" if kind == "sft_fit" else "heldout"
    cfg = load_scoring_config()
    _, rows = answered_rows(sft_file)
    train, heldout, chosen = split_rows(rows, split, DEFAULT_VAL_FRACTION, DEFAULT_SPLIT_SEED, sft_file)
    chosen = [sft_row_to_eval_row(r, cfg) for r in chosen[:n]]
    passed = round(rate * len(chosen))
    results = with_token_counts([judge_generated(r, r["reference_answer"] if i < passed else "something else", cfg)
                                 for i, r in enumerate(chosen)])
    assert [r["passed"] for r in results] == [i < passed for i in range(len(chosen))]
    report = {"kind": kind,
              "config": {"input": str(sft_file), "input_sha256": sha256_file(sft_file), "split": split,
                         "val_fraction": DEFAULT_VAL_FRACTION, "seed": DEFAULT_SPLIT_SEED, "max_rows": n,
                         "n_train_rows": len(train), "n_heldout_rows": len(heldout), "max_new_tokens": BUDGET, "reply_token_counts": True,
                         **scoring_fields(None, cfg)},
              "model": {"path": str(checkpoint), "tokenizer": str(checkpoint), "model_type": "picochat", "num_parameters": PARAMS,
                        "device": "cpu", "precision": "fp32", "prompt_format": "chat_template"},
              "summary": summarize(results), "examples": []}
    write_report(run.eval_dir(kind), report, results, force=True)
    return run.eval_report(kind)


def write_external(run: RunDir, checkpoint: Path, name: str = "arc_easy", n: int = 100, correct: int = 31) -> Path:
    """An external benchmark report and, under external/, the ARC-format file it scored: every answer is A; the
    first `correct` rows choose it (their letter logits say so), the rest choose B."""
    from picochat_hf.eval.stats import wilson_ci

    records = [{"id": f"{name}-{i}", "question": f"Which letter is first ({i})?", "answerKey": "A",
                "choices": {"text": ["w", "x", "y", "z"], "label": list("ABCD")}} for i in range(n)]
    data = write_rows(run.external_data_dir / f"{name}.jsonl", records)
    rows = []
    for i in range(n):
        pred = "A" if i < correct else "B"
        rows.append({"id": f"{name}-{i}", "skill": "choice", "category": f"external_{name}", "stage": "external", "passed": pred == "A",
                     "failures": [] if pred == "A" else ["choice: chose B not A"], "reply": pred,
                     "choice": {"pred": pred, "gold": "A", "n_choices": 4, "letter_logits": {x: 2.0 if x == pred else 1.0 for x in "ABCD"}}})
    rate = correct / n
    report = {"kind": "external", "config": {"input": str(data), "input_sha256": sha256_file(data), "format": "arc"},
              "model": {"path": str(checkpoint), "weights_sha256": weights_sha256(checkpoint), "num_parameters": PARAMS,
                        "tokenizer": str(checkpoint), "tokenizer_sha256": input_sha256(checkpoint)},
              "summary": {"n": n, "passed": correct, "pass_rate": rate, "ci": wilson_ci(correct, n), "by_skill": {}},
              "external": {"benchmark": name, "n": n, "letter_acc": rate, "acc": rate, "acc_norm": rate, "random_baseline": 0.25,
                           "correct": {"letter_acc": correct}, "ci": {"letter_acc": wilson_ci(correct, n)}},
              "provenance": {"created_at": utc_now()}}  # dated as every report writer dates it
    folder = run.external_dir(name)
    write_json(folder / "eval_report.json", report)
    (folder / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder / "eval_report.json"


def load_scan_config_dict() -> dict:
    """The shipped scan settings as a honesty report records them."""
    from picochat_hf.honesty.config import load_scan_config

    return json.loads(json.dumps(load_scan_config().to_dict()))


def sft_plan(sft_file: Path, eval_file: Path, params: int = PARAMS, **change) -> dict:
    """The plan an SFT run of the fixture trained (and its preflight checked), as `training.plan.build_plan` writes it."""
    plan = {"stage": "sft", "num_parameters": params, "flops_per_token": 6 * params, "seq_len": 64, "per_device_batch": 4,
            "grad_accum": 1, "world_size": 1, "tokens_per_step": 256, "max_steps": 10, "planned_tokens": 2560,
            "learning_rate": 1e-4, "seed": 42, "device": "cpu", "precision": "fp32", "packing": "none",
            "sft_input": str(sft_file), "eval_input": str(eval_file), "dataset_pack": None, "tokenizer": None}
    return {**plan, **change}


def write_preflight(run: RunDir, profile: str = "skill_release", plan: dict | None = None, status: str = "ready") -> Path:
    """gates/preflight.json of `plan` (default: the one sft/train_report.json trained), with the sha256 of the data
    the SFT report trained on and the numbers of that plan, as `run_preflight` writes them."""
    sft = json.loads(run.train_report("sft").read_text())
    plan = plan if plan is not None else sft["plan"]
    keys = ("sft_input_sha256", "eval_input_sha256", "dataset_pack_sha256", "tokenizer_sha256", "init_weights_sha256")
    return write_json(run.preflight, {"status": status, "profile": profile, "checks": [], "plan": plan,
                                      "plan_sha256": plan_fingerprint(plan), "inputs": {k: sft["inputs"].get(k) for k in keys},
                                      "numbers": {"num_parameters": plan["num_parameters"], "planned_tokens": plan["planned_tokens"]},
                                      "provenance": {"created_at": PREFLIGHT_DATE}})


PACK = "da" * 32  # the dataset pack the base run trained on and the honesty scan read


def sft_data(sft_file: Path) -> dict:
    """The `data` section SFT writes when it holds out the fit's validation split (`training/sft.py`)."""
    _, rows = answered_rows(sft_file)
    train, heldout, _ = split_rows(rows, "heldout", DEFAULT_VAL_FRACTION, DEFAULT_SPLIT_SEED, sft_file)
    return {"train_input": str(sft_file), "train_rows": len(train),
            "heldout": {"val_fraction": DEFAULT_VAL_FRACTION, "seed": DEFAULT_SPLIT_SEED, "n_heldout": len(heldout)}}


_TEMPLATES: dict[str, Path] = {}  # build_chain's template per chain (`_template_key`), built once per process


def _folder_digest(folder: Path) -> list[tuple[str, str]]:
    return sorted((f.relative_to(folder).as_posix(), sha256_file(f)) for f in folder.rglob("*") if f.is_file())


def _template_key(root: Path, skills: dict[str, float] | None, n: int, checkpoint: Path | None, profile: str, external: bool,
                  echo_every: int) -> str | None:
    """What a chain's bytes depend on besides its root (the arguments, the checkpoint's files and place inside the
    root, the shipped scoring and scan settings); None when a copy could differ from a build (a relative root, or a
    checkpoint outside the root, whose path a copy would not rewrite)."""
    place = None
    if checkpoint is not None:
        if not Path(checkpoint).is_relative_to(root):
            return None
        place = (Path(checkpoint).relative_to(root).as_posix(), _folder_digest(Path(checkpoint)))
    if not root.is_absolute():
        return None
    key = [list((skills or GOOD_SKILLS).items()), n, place, profile, external, echo_every, PARAMS,
           scoring_fields(None, load_scoring_config()), load_scan_config_dict()]
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


_NOW = re.compile(r'"created_at": "([^"]+)"')


def _relocate(template: Path, root: Path) -> Path:
    """Copy the template's run/ to `root`, writing `root` where the template's files record the template's root and
    this moment where they record the moment they were built (the fixture's fixed dates are kept)."""
    shutil.copytree(template / "run", root / "run", dirs_exist_ok=True, copy_function=shutil.copyfile)
    old, new, now = str(template).encode(), str(root).encode(), utc_now()
    for f in (root / "run").rglob("*"):
        if f.is_file() and f.suffix in (".json", ".jsonl", ".md"):
            data = f.read_bytes()
            text = data.replace(old, new).decode("utf-8")
            text = _NOW.sub(lambda m: m.group(0) if m.group(1) in (PREFLIGHT_DATE, TRAIN_DATE) else f'"created_at": "{now}"', text)
            if text.encode("utf-8") != data:
                f.write_bytes(text.encode("utf-8"))
    return root / "run"


def _template(key: str, root: Path, checkpoint: Path | None, **kwargs) -> Path:
    """The template root of chain `key`, built at the first ask (the checkpoint copied to its place first)."""
    if key not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="gate_chain_template_"))
        atexit.register(shutil.rmtree, folder, True)
        ckpt = None
        if checkpoint is not None:
            ckpt = folder / Path(checkpoint).relative_to(root)
            shutil.copytree(checkpoint, ckpt)
        _build_chain(folder, checkpoint=ckpt, **kwargs)
        _TEMPLATES[key] = folder
    return _TEMPLATES[key]


def build_chain(root: Path, skills: dict[str, float] | None = None, *, n: int = 80, checkpoint: Path | None = None,
                profile: str = "skill_release", external: bool = True, echo_every: int = 0) -> Path:
    """A run directory whose evidence is complete and consistent; returns its path (a copy of this process's build
    of the same chain, relocated to `root`: `_relocate`)."""
    root = Path(root)
    kwargs = {"skills": skills, "n": n, "profile": profile, "external": external, "echo_every": echo_every}
    key = _template_key(root, skills, n, checkpoint, profile, external, echo_every)
    if key is None:
        return _build_chain(root, checkpoint=checkpoint, **kwargs)
    return _relocate(_template(key, root, checkpoint, **kwargs), root)


def _build_chain(root: Path, skills: dict[str, float] | None = None, *, n: int = 80, checkpoint: Path | None = None,
                 profile: str = "skill_release", external: bool = True, echo_every: int = 0) -> Path:
    """A run directory whose evidence is complete and consistent, written from scratch; returns its path."""
    run = RunDir(root / "run")
    ckpt = checkpoint if checkpoint is not None else fake_weights(run.released_checkpoint)
    weights = weights_sha256(ckpt)
    params = count_parameters(ckpt)  # the reports count the parameters of the weights they wrote, as the trainers do
    sft_file = write_rows(run.task_pack_dir / "sft.jsonl", sft_rows())
    eval_file = run.task_pack_dir / "eval.jsonl"  # written by write_eval below
    preflight = {"status": "ready", "profile": profile, "override": False}
    base_weights = "ba" * 32  # what the base run wrote and SFT started from
    write_json(run.train_report("base"), {"stage": "base", "status": "completed", "steps": 10, "max_steps": 10, "num_parameters": params,
                                          "planned_tokens": 25 * params, "real_tokens_seen": 25 * params, "preflight": preflight,
                                          "outputs": {"checkpoint_weights_sha256": base_weights}, "inputs": {"dataset_pack_sha256": PACK},
                                          "tokens_per_parameter": {"planned": 25.0, "real": 25.0}, "provenance": {"created_at": TRAIN_DATE}})
    plan = sft_plan(sft_file, eval_file, params)
    write_json(run.train_report("sft"), {"stage": "sft", "status": "completed", "steps": 10, "max_steps": 10, "num_parameters": params,
                                         "planned_tokens": plan["planned_tokens"], "plan": plan,
                                         "preflight": {**preflight, "plan_sha256": plan_fingerprint(plan)}, "category_rows": {"math": 3},
                                         "inputs": {"sft_input": str(sft_file), "sft_input_sha256": sha256_file(sft_file),
                                                    "init_weights_sha256": base_weights},
                                         "outputs": {"checkpoint_weights_sha256": weights}, "data": sft_data(sft_file),
                                         "provenance": {"created_at": TRAIN_DATE}})
    write_fit(run, "sft_fit", 0.92, sft_file=sft_file, checkpoint=ckpt)
    write_fit(run, "sft_fit_heldout", 0.7, sft_file=sft_file, checkpoint=ckpt)
    write_eval(run, "eval", result_rows(skills or GOOD_SKILLS, n, echo_every=echo_every), input_path=eval_file, checkpoint=ckpt)
    edit_json(run.train_report("sft"), lambda r: r["inputs"].update(eval_input=str(eval_file), eval_input_sha256=sha256_file(eval_file)))
    write_preflight(run, profile)
    if external:
        write_external(run, ckpt)
    write_json(run.honesty_report, {
        "status": "ready", "summary": "No eval prompt leaks.",
        "inputs": {"eval": str(eval_file), "sft": str(sft_file), "corpus": ["dataset_pack"], "sft_rows": 300,
                   "corpus_stats": {"documents": 323}, "sha256": {"eval": sha256_file(eval_file), "sft": sha256_file(sft_file),
                                                                 "corpus": {"dataset_pack": PACK}}},
        "counts": {"eval_prompts": 240, "eval_prompts_failing": 0, "near_prompt_hits": 0, "corpus_phrase_hits": 0}, "findings": [],
        "config": load_scan_config_dict()})
    return run.root


TOKENIZER_FILES = {"tokenizer.json": json.dumps({"model": {"type": "BPE", "vocab": {"a": 0, "bc": 1, "def": 2}}}),
                   "tokenizer_config.json": '{"eos_token": "<|assistant_end|>"}',
                   "chat_template.jinja": "{% for m in messages %}{{ m.content }}{% endfor %}"}  # longest token: 3 characters


def build_chain_with_tokenizer(root: Path, **kwargs) -> Path:
    """`build_chain` whose released checkpoint ships its own tokenizer files (TOKENIZER_FILES); the reports record them."""
    ckpt = fake_weights(RunDir(root / "run").released_checkpoint)
    for name, text in TOKENIZER_FILES.items():
        (ckpt / name).write_text(text)
    return build_chain(root, checkpoint=ckpt, **kwargs)


def edit_json(path: Path, change) -> None:
    obj = json.loads(path.read_text())
    change(obj)
    path.write_text(json.dumps(obj))


def check_named(result: dict, name: str) -> dict:
    return next(c for c in result["checks"] if c["name"] == name)


def all_pass_but_rerun(result: dict) -> bool:
    """Every check of a verdict passes but the `replies_rerun` cap: the most a fixture chain reaches, since its replies
    were written by hand and no model gives them again (re-runs off: warn, never approved)."""
    return result.get("status") == "warn" and [c["name"] for c in result["checks"] if c["status"] != "pass"] == ["replies_rerun"]


def read_json_file(path: Path):
    return json.loads(path.read_text())


def honest_bundle(tmp_path: Path) -> Path:
    """An honest bundle of a fixture run judged under skill_release (its checkpoint ships a tokenizer.json)."""
    from picochat_hf.export import make_bundle
    from picochat_hf.gates import run_release_gate

    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    run = build_chain(tmp_path, checkpoint=ckpt)
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    run_release_gate(run, "skill_release")
    return make_bundle(run, tmp_path / "b.tar.gz")


def gated_chain(tmp_path: Path, profile: str = "skill_release") -> Path:
    """An honest chain whose weights sit in the run's own sft/checkpoint, with a run manifest, gated under `profile`
    (no tokenizer/ folder, so the manifest claims no tokenizer hash)."""
    from picochat_hf.gates import run_release_gate

    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    run = build_chain(tmp_path, checkpoint=ckpt)
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    run_release_gate(run, profile)
    return run
