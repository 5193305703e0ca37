"""`picochat eval lm-harness`: run EleutherAI lm-evaluation-harness on a model folder and keep the evidence.

The run folder gets
- `tasks/`: the task YAMLs used: picochat's shipped local tasks (`picochat/`: `picochat_arc_demo`,
  `picochat_arc_local`, `picochat_mmlu_local` and the reader they load) plus a copy of `--include-path`
  (`user/`), so one `--include_path` reproduces the run, with or without picochat_hf installed;
- `lm_eval_command.json`: the exact `lm_eval run ...` command line, lm-eval version, model path, tasks,
  device, batch size, model args;
- `lm_eval_results.json` (unless dry run): per-task scores and lm-eval's own results block, which the
  release gate reads; with `log_samples`, `lm_eval_samples.jsonl` (one line per document: the doc,
  target, per-choice log-likelihoods and metrics).

The run itself is in process (`HFLM.create_from_arg_string` + `simple_evaluate` with a `TaskManager`
over `tasks/`), built from the same arguments as the recorded command.

Python shipped in a model folder runs only when it is safe or asked for: `trust_remote_code` is on when the
user passes it, or, by default, when every `*.py` in the folder is byte-identical (sha256) to picochat's
installed modeling file of the same name (an export of this package); a folder with any other code loads
without it. The record says which rule decided, so the recorded command also works where picochat_hf
is not installed.
"""

from __future__ import annotations

import importlib.metadata
import json
import shlex
import shutil
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text
from ..utils.provenance import provenance, weights_sha256
from ..utils.setting_names import old_keywords

SHIPPED_TASKS = ("picochat_arc_demo", "picochat_arc_local", "picochat_mmlu_local")


def shipped_tasks_dir() -> Path:
    return Path(str(resources.files("picochat_hf.eval").joinpath("lm_eval_tasks")))


def parse_model_args(model_args: str | Sequence[str] | Mapping[str, Any] | None) -> dict[str, str]:
    """`"a=1,b=2"`, `["a=1", "b=2"]` or a mapping -> ordered {key: value-as-string}."""
    if model_args is None:
        return {}
    if isinstance(model_args, Mapping):
        return {str(k): _fmt(v) for k, v in model_args.items()}
    items = model_args.split(",") if isinstance(model_args, str) else [p for arg in model_args for p in arg.split(",")]
    out: dict[str, str] = {}
    for item in items:
        if not item.strip():
            continue
        if "=" not in item:
            raise PicochatInputError(f"model arg {item!r} is not key=value", field="model_args")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


@old_keywords("eval lm-harness")
def own_code_files(checkpoint: Path) -> tuple[list[str], list[str]]:
    """The folder's top-level `*.py` files: (identical to picochat's installed modeling files, any other)."""
    from ..modeling import __file__ as modeling_init
    from ..utils.io import sha256_file

    installed = Path(modeling_init).parent
    ours, other = [], []
    for py in sorted(checkpoint.glob("*.py")):
        twin = installed / py.name
        (ours if twin.is_file() and sha256_file(twin) == sha256_file(py) else other).append(py.name)
    return ours, other


@old_keywords("eval lm-harness")
def decide_trust_remote_code(checkpoint: Path, requested: bool | None) -> tuple[bool, str]:
    """Whether lm-eval may run the folder's Python, and why (see the module docstring)."""
    if requested is not None:
        return requested, "asked for" if requested else "refused by the user"
    ours, other = own_code_files(checkpoint)
    if other:
        return False, f"off: {', '.join(other)} is not picochat's own modeling code (pass --trust-remote-code to run it)"
    if ours:
        return True, f"on: {', '.join(ours)} match picochat's installed modeling files by sha256"
    return False, "off: the folder ships no code"


def _fmt(v: Any) -> str:
    return str(v) if not isinstance(v, bool) else ("True" if v else "False")


def _copy_tasks(dest: Path, include_path: str | Path | None) -> None:
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py")
    shutil.copytree(shipped_tasks_dir(), dest / "picochat", ignore=skip)
    if include_path is not None:
        src = Path(include_path)
        if not src.is_dir():
            raise PicochatInputError("include path is not a folder", path=src)
        shutil.copytree(src, dest / "user", ignore=skip)


@old_keywords("eval lm-harness")
def build_command(
    checkpoint: str,
    tasks: list[str],
    tasks_dir: Path,
    output_path: Path,
    *,
    device: str,
    batch_size: int | str,
    model_args: dict[str, str],
    apply_chat_template: bool,
    limit: float | None,
    num_fewshot: int | None,
    metadata: dict[str, Any] | None,
    log_samples: bool = False,
) -> list[str]:
    arg_string = ",".join(f"{k}={v}" for k, v in model_args.items())
    cmd = [
        "lm_eval", "run", "--model", "hf", "--model_args", arg_string, "--tasks", ",".join(tasks),
        "--include_path", str(tasks_dir), "--device", device, "--batch_size", str(batch_size),
        "--output_path", str(output_path),
    ]  # fmt: skip
    if apply_chat_template:
        cmd.append("--apply_chat_template")
    if limit is not None:
        cmd += ["--limit", str(int(limit)) if float(limit).is_integer() and limit >= 1 else str(limit)]
    if num_fewshot is not None:
        cmd += ["--num_fewshot", str(num_fewshot)]
    if metadata:
        cmd += ["--metadata", json.dumps(metadata)]
    if log_samples:
        cmd.append("--log_samples")
    return cmd


def _scores(results: dict[str, dict]) -> dict[str, dict[str, float]]:
    """{task: {metric: value, metric_stderr: value}} from lm-eval's `results` ("acc,none" keys)."""
    out: dict[str, dict[str, float]] = {}
    for task, metrics in results.items():
        row: dict[str, float] = {}
        for key, value in metrics.items():
            if "," not in key or not isinstance(value, (int, float)):
                continue
            metric, _filter = key.split(",", 1)
            row[metric] = float(value)
        out[task] = row
    return out


def stored_scores(lm: Mapping[str, Any]) -> tuple[dict[str, dict[str, float]], str | None]:
    """(the scores lm-eval's own `results` give, why the file's `scores` are not those; None when they are).
    `scores` is a summary written beside `results`: one edited on its own is no lm-eval output."""
    results = lm.get("results")
    if not isinstance(results, dict) or not all(isinstance(m, dict) for m in results.values()):
        return {}, "they hold no lm-eval 'results' object to read the scores from"
    derived, said = _scores(results), lm.get("scores")
    if said is None or said == derived:
        return derived, None
    differ = next(((t, k, v, (derived.get(t) or {}).get(k)) for t, row in sorted((said or {}).items()) if isinstance(row, dict)
                   for k, v in sorted(row.items()) if (derived.get(t) or {}).get(k) != v), None)
    what = f" ({differ[0]} {differ[1]} {differ[2]} stored, {differ[3]} in results)" if differ else ""
    return derived, f"their scores do not follow from lm-eval's results{what}"


def _check_inputs(checkpoint: Path, tasks: str | Sequence[str], dry_run: bool = False) -> list[str]:
    """Refuse a folder without a valid config.json, with pickle or unreadable weights (a dry run may name a folder
    without weights yet), or an empty task list; return the task names."""
    from ..utils.model_files import PICKLE_NAMES, WEIGHT_NAMES, check_model_config, check_model_weights

    check_model_config(checkpoint, field="checkpoint")
    if not dry_run or any((checkpoint / n).exists() for n in (*WEIGHT_NAMES, *PICKLE_NAMES)):
        check_model_weights(checkpoint, field="checkpoint")
    if not isinstance(tasks, str) and any(not isinstance(t, str) for t in tasks):
        raise PicochatInputError(f"expected task names (strings), got {list(tasks)!r}", field="tasks")
    task_list = [t.strip() for t in (tasks.split(",") if isinstance(tasks, str) else tasks) if t.strip()]
    if not task_list:
        raise PicochatInputError("no tasks given", field="tasks")
    return task_list


def _hflm_args(checkpoint: Path, model_args: str | Sequence[str] | Mapping[str, Any] | None,
               trust_remote_code: bool | None) -> tuple[dict[str, str], str]:
    """HFLM model args (pretrained, trust_remote_code, then the user's) and the reason for the trust decision."""
    user_args = parse_model_args(model_args)
    if trust_remote_code is None and "trust_remote_code" in user_args:
        trust_remote_code = user_args["trust_remote_code"].lower() in ("true", "1", "yes")
    trust, trust_reason = decide_trust_remote_code(checkpoint, trust_remote_code)
    args = {"pretrained": str(checkpoint.resolve()), "trust_remote_code": _fmt(trust)}
    args.update({k: v for k, v in user_args.items() if k != "trust_remote_code"})
    return args, trust_reason


def _absolute_data_files(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """The task metadata, with the data files named for the shipped local tasks made absolute."""
    meta = dict(metadata or {})
    for key, value in list(meta.items()):
        if key.endswith("_file"):  # data files named for the shipped local tasks: make them absolute
            meta[key] = str(Path(value).resolve())
    return meta


def _write_results(folder: Path, record: dict, results: dict, samples: dict | None) -> None:
    """Write `lm_eval_results.json` and, when samples were logged, `lm_eval_samples.jsonl`."""
    if samples is not None:
        lines = [json.dumps({"task": task, **row}, default=str) + "\n" for task, rows in samples.items() for row in rows]
        atomic_write_text(folder / "lm_eval_samples.jsonl", "".join(lines))
    atomic_write_json(folder / "lm_eval_results.json", {"lm_eval_version": record["lm_eval_version"], "model_path": record["model_path"],
                                                         "weights_sha256": record["weights_sha256"], **results})


def _command_record(checkpoint: Path, out_dir: Path, args: dict[str, str], task_list: list[str], *, device: str,
                    batch_size: int | str, trust_reason: str, include_path: str | Path | None, apply_chat_template: bool,
                    limit: float | None, num_fewshot: int | None, meta: dict[str, Any], log_samples: bool,
                    dry_run: bool) -> dict[str, Any]:
    """`lm_eval_command.json`: the lm-eval command line (tasks read from the output's own `tasks/` copy) and
    everything a reader needs to know which weights, tasks and settings it ran."""
    final_tasks = out_dir.resolve() / "tasks"
    command = build_command(
        args["pretrained"], task_list, final_tasks, out_dir.resolve() / "lm_eval_output",
        device=device, batch_size=batch_size, model_args=args, apply_chat_template=apply_chat_template,
        limit=limit, num_fewshot=num_fewshot, metadata=meta or None, log_samples=log_samples,
    )  # fmt: skip
    return {
        "command": command,
        "command_text": shlex.join(command),
        "lm_eval_version": importlib.metadata.version("lm_eval"),
        "model_path": args["pretrained"],
        "weights_sha256": weights_sha256(checkpoint),  # which weights these scores are about
        "tasks": task_list,
        "device": device,
        "batch_size": batch_size,
        "model_args": args,
        "trust_remote_code_reason": trust_reason,
        "include_path": str(final_tasks),
        "user_include_path": str(include_path) if include_path is not None else None,
        "apply_chat_template": apply_chat_template,
        "limit": limit,
        "num_fewshot": num_fewshot,
        "metadata": meta,
        "log_samples": log_samples,
        "dry_run": dry_run,
        "provenance": provenance(),
    }


@old_keywords("eval lm-harness")
def run_lm_harness(
    checkpoint: str | Path,
    tasks: str | Sequence[str],
    out_dir: str | Path,
    *,
    include_path: str | Path | None = None,
    device: str = "cpu",
    batch_size: int | str = 8,
    model_args: str | Sequence[str] | Mapping[str, Any] | None = None,
    apply_chat_template: bool = False,
    dry_run: bool = False,
    trust_remote_code: bool | None = None,
    limit: float | None = None,
    num_fewshot: int | None = None,
    metadata: Mapping[str, Any] | None = None,
    log_samples: bool = False,
    force: bool = False,
) -> dict:
    """Write the lm-eval command (and, unless `dry_run`, run it in process); return the command record
    with `results` added after a real run."""
    from .lm_task_yaml import check_include_path

    checkpoint = Path(checkpoint)
    task_list = _check_inputs(checkpoint, tasks, dry_run)
    if include_path is not None:  # lm-eval reads these only mid-run, where a wrong key is a TypeError in its task builder
        check_include_path(include_path)
    args, trust_reason = _hflm_args(checkpoint, model_args, trust_remote_code)
    meta = _absolute_data_files(metadata)
    out_dir = Path(out_dir)
    record = _command_record(checkpoint, out_dir, args, task_list, device=device, batch_size=batch_size,
                             trust_reason=trust_reason, include_path=include_path, apply_chat_template=apply_chat_template,
                             limit=limit, num_fewshot=num_fewshot, meta=meta, log_samples=log_samples, dry_run=dry_run)
    with atomic_output_dir(out_dir, force=force) as tmp:
        _copy_tasks(tmp / "tasks", include_path)
        atomic_write_json(tmp / "lm_eval_command.json", record)
        if not dry_run:
            results, samples = _evaluate(args, task_list, tmp / "tasks", device, batch_size, apply_chat_template, limit, num_fewshot, meta, log_samples)
            _write_results(tmp, record, results, samples if log_samples else None)
            record["results"] = results
    return record


def task_hashes(samples: Mapping[str, list[dict]]) -> dict[str, str]:
    """{task: sha256 over every sample's document, prompt and target hash}, as lm-eval's `EvaluationTracker`
    records `task_hashes` beside logged samples: two runs of a task with the same hash asked the same questions
    of the same documents with the same targets."""
    from lm_eval.utils import hash_string

    return {task: hash_string("".join(s["doc_hash"] + s["prompt_hash"] + s["target_hash"] for s in rows))
            for task, rows in samples.items()}


def _evaluate(
    args: dict[str, str],
    tasks: list[str],
    tasks_dir: Path,
    device: str,
    batch_size: int | str,
    apply_chat_template: bool,
    limit: float | None,
    num_fewshot: int | None,
    metadata: dict[str, Any],
    log_samples: bool,
) -> tuple[dict, dict]:
    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager

    arg_string = ",".join(f"{k}={v}" for k, v in args.items())
    lm = HFLM.create_from_arg_string(arg_string, {"batch_size": batch_size, "device": device})
    # Indexing lm-eval's ~10k built-in task files takes seconds; skip it when only local tasks are asked for.
    manager = TaskManager(include_path=str(tasks_dir), include_defaults=False, metadata={**args, **metadata})
    if any(t not in manager.all_tasks for t in tasks):
        manager = TaskManager(include_path=str(tasks_dir), metadata={**args, **metadata})
    unknown = [t for t in tasks if t not in manager.all_tasks]
    if unknown:
        raise PicochatInputError(f"unknown lm-eval task(s) {', '.join(unknown)}; shipped local tasks: {', '.join(SHIPPED_TASKS)}", field="tasks")
    res = lm_eval.simple_evaluate(
        model=lm,
        tasks=tasks,
        task_manager=manager,
        apply_chat_template=apply_chat_template,
        limit=limit,
        num_fewshot=num_fewshot,
        log_samples=True,  # the per-sample hashes identify the task data (`task_hashes`); samples are written only when asked
        metadata=metadata or None,
    )
    results = json.loads(
        json.dumps(
            {
                "scores": _scores(res["results"]),
                "results": res["results"],
                "n-samples": res.get("n-samples"),
                "versions": res.get("versions"),
                "task_hashes": task_hashes(res.get("samples") or {}),
                "higher_is_better": res.get("higher_is_better"),
                "config": res.get("config"),
            },
            default=str,
        )
    )
    samples = {
        task: [{"doc_id": s.get("doc_id"), "doc": s.get("doc"), "target": s.get("target"), "resps": s.get("filtered_resps"),
                **{m: s[m] for m in ("acc", "acc_norm", "acc_bytes") if m in s}} for s in rows]  # fmt: skip
        for task, rows in (res.get("samples") or {}).items()
    }
    return results, samples
