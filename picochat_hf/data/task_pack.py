"""Task packs: procedural SFT rows and held-out eval rows for identity, refusal, choice, math and spelling.

`build_task_pack` reads a profile from `task_profiles.yaml` (components with weights, each drawing from a
benchmark profile's skill weights and each skill's curriculum stages), splits the row budget with a
largest-remainder rule, generates rows stage by stage from the generators in `skills/`, and writes

    chat_task_mixture_<profile>.jsonl   SFT rows (split "train")
    eval_task_mixture_<profile>.jsonl   eval rows (split "eval"), with the scoring rules
    task_mixture_<profile>.json/.md     counts per component / skill / stage, duplicates, overlap findings

SFT and eval items come from disjoint pools and templates. An eval prompt whose normalised text equals
an SFT prompt is an error (`TaskPackOverlapError`); near overlaps (MinHash/LSH over character 5-grams,
estimated Jaccard >= 0.8) are counted and listed. With a dataset pack and `promote=True`, the pack's
manifest is updated to point at the new task pack; with `promote=False` it is left untouched.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.faults import fault_point
from ..utils.io import (atomic_write_json, atomic_write_text, ensure_can_write, json_text, output_lock, read_json,
                        sha256_file)
from ..utils.provenance import provenance
from ..utils.yaml_text import load_yaml_text
from .dataset_pack import check_pack_shards_listed, load_dataset_pack
from .dedup import near_duplicate_pairs, normalize_text
from .schema import validate_row, write_rows
from .skills import STAGES, Task

PROFILES_FILE = Path(__file__).with_name("task_profiles.yaml")
SOURCES = ("offline", "auto", "hf")
STYLES = ("direct", "scratchpad")
STYLED_SKILLS = ("math", "spelling")  # the skills whose answers --answer-style sets
NEAR_THRESHOLD = 0.8
MIN_SFT_ROWS, MIN_EVAL_ROWS = 32, 16
SATURATED_DRAWS = 2000  # draws in a row without a new prompt after which a stage's pool counts as used up


class TaskPackOverlapError(RuntimeError):
    """An eval prompt equals an SFT prompt after normalisation: the eval would measure memorisation."""


@lru_cache(maxsize=None)
def load_profiles(path: str | None = None) -> dict[str, Any]:
    return load_yaml_text(Path(path or PROFILES_FILE).read_text(encoding="utf-8"))


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` into integer quotas proportional to `weights` (Hamilton's method, ties by order)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), list(raw).index(k)))[:rest]:
        out[k] += 1
    return out


def plan_quotas(profile: str, total: int, profiles: dict[str, Any] | None = None) -> dict[tuple[str, str, str], int]:
    """Rows per (component, skill, stage) for a profile and a row budget."""
    profiles = profiles or load_profiles()
    if profile not in profiles["profiles"]:
        raise PicochatInputError(f"unknown profile {profile!r}; expected one of {', '.join(profiles['profiles'])}", field="profile")
    comps = profiles["profiles"][profile]
    plan: dict[tuple[str, str, str], int] = {}
    comp_q = largest_remainder(total, {c["component"]: c["weight"] for c in comps})
    for comp in comps:
        skills = profiles["benchmark_profiles"][comp["benchmark_profile"]]
        for skill, sq in largest_remainder(comp_q[comp["component"]], skills).items():
            for stage, q in largest_remainder(sq, profiles["stages"][skill]).items():
                if q:
                    plan[(comp["component"], skill, stage)] = q
    return plan


def _row(task: Task, *, idx: int, split: str, profile: str, comp: dict, source: str) -> dict:
    row = {
        "id": f"taskpack-{profile}-{split}-{idx:05d}",
        "messages": [{"role": "user", "content": task.prompt}, {"role": "assistant", "content": task.answer}],
        "category": task.category,
        "skill": task.skill,
        "stage": task.stage,
        "group": task.group,
        "split": split,
        "source": source,
        "answer_style": task.answer_style,
        "mixture_profile": profile,
        "mixture_component": comp["component"],
        "mixture_benchmark_profile": comp["benchmark_profile"],
        "answerable": task.answerable,
        "must_include": [],
        "must_include_any": [],
        "must_not_include": [],
        "max_words": None,
        "normalized_answer": None,
        "choices": None,
        "correct_choice": None,
        **task.rules,
        "reference_answer": task.answer,
        "problem": task.problem,
    }
    return row


def _hf_choice_tasks(split: str, n: int, seed: int) -> list[Task]:
    """Lettered MMLU rows (auxiliary_train for SFT, validation for eval; never test, which external eval uses)."""
    from .sft_mixture import load_source_rows, mmlu_to_row

    hf_split = "auxiliary_train" if split == "train" else "validation"
    tasks = []
    for row in load_source_rows("mmlu", hf_split, max_rows=n, seed=seed):
        conv = mmlu_to_row(row)
        letter = conv["correct_choice"]
        tasks.append(Task(skill="choice", category=f"mmlu_{conv['subject'] or 'misc'}", stage="choice_hf_mmlu",
                          group=f"mmlu:{normalize_text(conv['question'])[:80]}", prompt=conv["prompt"], answer=letter,
                          rules={"must_include": [letter], "max_words": 3, "normalized_answer": letter.lower(),
                                 "choices": conv["choices"], "correct_choice": letter},
                          problem={"family": "mmlu", "subject": conv["subject"]}))
    return tasks


def _generate_split(split: str, plan, *, profile: str, comps: dict, answer_style: str, seed: int,
                    hf_tasks: dict[str, list[Task]], taken: set[str]) -> tuple[list[dict], dict]:
    rows: list[dict] = []
    stats = {"candidates": 0, "duplicates_rejected": 0}
    total = sum(plan.values())
    for (comp_name, skill, stage), quota in plan.items():
        comp = comps[comp_name]
        style = comp.get("style") or answer_style
        rng = random.Random(f"{seed}:{split}:{comp_name}:{stage}")
        pool = list(hf_tasks.get(comp_name, [])) if skill == "choice" else []
        draw = _drawer(stage, skill, style, rng, split, pool)
        filled = _fill_stage(draw, quota, taken, stats, rows, comp=comp, profile=profile, split=split)
        if filled < quota:
            flag = "sft_rows" if split == "train" else "eval_rows"
            fits = total * filled // quota
            raise PicochatInputError(
                f"stage {stage} gives only {filled} distinct {split} prompts (its pool is used up), but its share of "
                f"--{flag.replace('_', '-')} {total} is {quota}; at most about {fits} rows fit this profile", field=flag)
    random.Random(f"{seed}:{split}:shuffle").shuffle(rows)
    for i, row in enumerate(rows):
        row["id"] = f"taskpack-{profile}-{split}-{i:05d}"
    return rows, stats


def _drawer(stage: str, skill: str, style: str, rng: random.Random, split: str, pool: list[Task]):
    """The next candidate task of a stage: Hub rows first while there are any, then the generator."""
    _, gen = STAGES[stage]

    def draw() -> tuple[Task, bool]:
        if pool:
            return pool.pop(), True
        return gen(rng, split, style if skill in ("math", "spelling") else "direct"), False

    return draw


def _fill_stage(draw, quota: int, taken: set[str], stats: dict, rows: list[dict], *, comp: dict, profile: str, split: str) -> int:
    """Add up to `quota` rows with prompts not yet `taken`; the number added. A stage whose generator has given
    nothing new in SATURATED_DRAWS draws (or ten times its rows so far, whichever is more) has used up its item
    pool: it stops there, after work bounded by the pool's size rather than by the row count asked for."""
    filled = attempts = streak = 0
    while filled < quota and attempts <= 60 * quota + 2000 and streak < max(SATURATED_DRAWS, 10 * filled):
        attempts += 1
        task, from_hf = draw()
        stats["candidates"] += 1
        key = normalize_text(task.prompt)
        if key in taken:
            stats["duplicates_rejected"] += 1
            streak += 1
            continue
        taken.add(key)
        streak = 0
        source = "hf:cais/mmlu" if from_hf else "picochat_hf/offline"
        rows.append(_row(task, idx=0, split=split, profile=profile, comp=comp, source=source))
        filled += 1
    return filled


def _resolve_source(source: str, comps: list[dict], sft_plan, eval_plan, seed: int) -> tuple[dict, dict[str, dict[str, list]]]:
    status: dict[str, Any] = {"requested": source, "components": {}}
    hf: dict[str, dict[str, list]] = {"train": {}, "eval": {}}
    for comp in comps:
        name = comp["component"]
        if not comp.get("uses_source") or source == "offline":
            status["components"][name] = {"source_status": "offline",
                                          "note": None if source == "offline" else "component is offline-only"}
            continue
        try:
            for split, plan in (("train", sft_plan), ("eval", eval_plan)):
                n = sum(q for (c, sk, _), q in plan.items() if c == name and sk == "choice")
                hf[split][name] = _hf_choice_tasks(split, n, seed)
            status["components"][name] = {"source_status": "hf", "dataset": "cais/mmlu"}
        except Exception as exc:  # offline, missing dataset, schema change: fall back or fail per --source
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            if source == "hf":
                raise PicochatInputError(f"--source hf: could not load cais/mmlu ({reason})", field="source") from None
            hf["train"].pop(name, None)
            hf["eval"].pop(name, None)
            status["components"][name] = {"source_status": "offline_fallback", "fallback_reason": reason}
    states = {v["source_status"] for v in status["components"].values()}
    status["source_status"] = "offline_fallback" if "offline_fallback" in states else ("hf" if "hf" in states else "offline")
    status["fallback_reason"] = next((v["fallback_reason"] for v in status["components"].values() if "fallback_reason" in v), None)
    return status, hf


def _counts(rows: list[dict]) -> dict[str, dict[str, int]]:
    return {key: dict(sorted(Counter(r[key] for r in rows).items()))
            for key in ("mixture_component", "skill", "category", "stage", "answer_style", "source")}


def _check_options(source: str, answer_style: str, sft_rows: int, eval_rows: int) -> None:
    """Refuse an unknown source or answer style, or a row budget below the minimums."""
    if source not in SOURCES:
        raise PicochatInputError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}", field="source")
    if answer_style not in STYLES:
        raise PicochatInputError(f"unknown answer style {answer_style!r}; expected direct or scratchpad", field="answer_style")
    if sft_rows < MIN_SFT_ROWS or eval_rows < MIN_EVAL_ROWS:
        raise PicochatInputError(f"need at least {MIN_SFT_ROWS} SFT rows and {MIN_EVAL_ROWS} eval rows", field="sft_rows")
    limits = load_profiles()["limits"]
    for name, value in (("sft_rows", sft_rows), ("eval_rows", eval_rows)):
        if value > limits[f"max_{name}"]:
            raise PicochatInputError(f"{value} rows is more than the skill pools hold without repeating a prompt; at most "
                                     f"{limits[f'max_{name}']} (task_profiles.yaml: limits)", field=name)


def _pack_manifest(dataset_pack: str | Path | None) -> Path | None:
    """The dataset pack's `dataset_pack.json` (validated), or None without a pack."""
    if dataset_pack is None:
        return None
    pack_json = Path(dataset_pack)
    pack_json = pack_json / "dataset_pack.json" if pack_json.is_dir() else pack_json
    # validate before any work: a pack whose shards are gone would be promoted and its hash recorded as evidence
    check_pack_shards_listed(pack_json, load_dataset_pack(pack_json))
    return pack_json


def _check_overlap(sft: list[dict], eval_: list[dict], near_threshold: float) -> list[tuple[int, int, float]]:
    """Raise on an eval prompt equal to an SFT prompt; return the near-duplicate (eval, sft, jaccard) pairs."""
    sft_prompts = [normalize_text(r["messages"][0]["content"]) for r in sft]
    eval_prompts = [normalize_text(r["messages"][0]["content"]) for r in eval_]
    exact = sorted(set(sft_prompts) & set(eval_prompts))
    if exact:
        raise TaskPackOverlapError(f"{len(exact)} eval prompts equal SFT prompts after normalisation, e.g. {exact[0]!r}")
    return near_duplicate_pairs(eval_prompts, sft_prompts, threshold=near_threshold)


def _overlap_report(sft: list[dict], eval_: list[dict], near: list[tuple[int, int, float]], near_threshold: float) -> dict:
    """The report's `overlap` section."""
    near_eval = sorted({i for i, _, _ in near})
    return {
        "exact_prompt_overlap": 0,
        "near_method": f"datasketch MinHashLSH over character 5-grams of normalised prompts, estimated Jaccard >= {near_threshold}",
        "near_pairs": len(near),
        "near_eval_rows": len(near_eval),
        "near_eval_rate": len(near_eval) / len(eval_),
        "near_by_skill": dict(Counter(eval_[i]["skill"] for i in near_eval)),
        "near_examples": [{"eval": eval_[i]["messages"][0]["content"], "sft": sft[j]["messages"][0]["content"],
                           "jaccard": round(jac, 3)} for i, j, jac in near[:10]],
        "item_split": "items (operand pairs, words, facts, requests) are assigned to train or eval by a stable hash; "
                      "prompt templates are disjoint lists",
    }


def _styles_used(rows: list[dict]) -> str | None:
    """The answer style of the pack's math and spelling rows (the rows --answer-style changes), "mixed" when
    they differ, None when the pack has none (a release pack: the flag changed nothing)."""
    styles = sorted({r.get("answer_style") for r in rows if r.get("skill") in STYLED_SKILLS})
    return styles[0] if len(styles) == 1 else ("mixed" if styles else None)


def _task_report(*, profile: str, train_profile: str, comps: dict, train_comps: dict, seed: int, answer_style: str,
                 status: dict, rows: dict[str, list[dict]], stats: dict[str, dict], near: list[tuple[int, int, float]],
                 near_threshold: float, pack_json: Path | None, promote: bool, names: dict[str, str]) -> dict:
    """The task pack's report (`task_mixture_<profile>.json`), without the rows' sha256."""
    sft, eval_ = rows["sft"], rows["eval"]
    return {
        "profile": profile,
        "train_profile": train_profile,
        "components": list(comps.values()),
        "train_components": list(train_comps.values()),
        "seed": seed,
        "answer_style": _styles_used(sft + eval_),
        "answer_style_requested": answer_style,
        "source": status,
        "source_status": status["source_status"],
        "fallback_reason": status["fallback_reason"],
        "rows": {"sft": len(sft), "eval": len(eval_)},
        "counts": {"sft": _counts(sft), "eval": _counts(eval_)},
        "duplicates": {
            "method": "normalised prompt (lowercase, collapsed whitespace); duplicates are rejected while generating",
            "sft": {**stats["sft"], "rate": stats["sft"]["duplicates_rejected"] / max(1, stats["sft"]["candidates"])},
            "eval": {**stats["eval"], "rate": stats["eval"]["duplicates_rejected"] / max(1, stats["eval"]["candidates"])},
        },
        "overlap": _overlap_report(sft, eval_, near, near_threshold),
        "dataset_pack": {"path": str(pack_json), "sha256": sha256_file(pack_json)} if pack_json else None,
        "promoted": bool(promote and pack_json),
        "files": names,
        "provenance": provenance(),
    }


def _write_pack(out_dir: Path, names: dict[str, str], sft: list[dict], eval_: list[dict], report: dict, profile: str,
                seal: Callable[[dict], None] | None = None) -> None:
    """Write rows and reports through a temporary folder, record the rows' sha256 in `report` (then `seal(report)`
    adds what depends on them), move into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir):
        for stale in out_dir.glob(".task_pack.*"):  # temp folders of killed runs (we hold the folder's lock)
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=".task_pack.", dir=out_dir))
        try:
            write_rows(tmp / names["sft"], sft)
            write_rows(tmp / names["eval"], eval_)
            report["sha256"] = {"sft": sha256_file(tmp / names["sft"]), "eval": sha256_file(tmp / names["eval"])}
            if seal is not None:
                seal(report)
            atomic_write_json(tmp / names["report_json"], report)
            atomic_write_text(tmp / names["report_md"], render_task_report(report))
            _move_into_place(tmp, out_dir, names, profile)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def build_task_pack(
    out_dir: str | Path,
    *,
    dataset_pack: str | Path | None = None,
    profile: str = "capability",
    sft_rows: int = 2400,
    eval_rows: int = 480,
    source: str = "offline",
    answer_style: str = "scratchpad",
    seed: int = 0,
    force: bool = False,
    promote: bool = True,
    near_threshold: float = NEAR_THRESHOLD,
    train_profile: str | None = None,
) -> dict[str, Path]:
    """Generate a task pack; return the paths under keys sft, eval, report_json, report_md.

    `train_profile` (default: `profile`) sets the mixture of the SFT rows only; the eval rows always
    follow `profile`, so a training mixture can change without changing what is evaluated. Files are
    named after `profile`."""
    _check_options(source, answer_style, sft_rows, eval_rows)
    out_dir = Path(out_dir)
    names = {"sft": f"chat_task_mixture_{profile}.jsonl", "eval": f"eval_task_mixture_{profile}.jsonl",
             "report_json": f"task_mixture_{profile}.json", "report_md": f"task_mixture_{profile}.md"}
    pack_json = _pack_manifest(dataset_pack)
    profiles = load_profiles()
    train_profile = train_profile or profile
    sft_plan, eval_plan = plan_quotas(train_profile, sft_rows, profiles), plan_quotas(profile, eval_rows, profiles)
    for path in names.values():
        ensure_can_write(out_dir / path, force=force)
    comps = {c["component"]: c for c in profiles["profiles"][profile]}
    train_comps = {c["component"]: c for c in profiles["profiles"][train_profile]}
    status, hf = _resolve_source(source, list({**train_comps, **comps}.values()), sft_plan, eval_plan, seed)

    # eval first: its pools are a fifth of the train pools, so a budget they cannot fill is refused sooner
    eval_, eval_stats = _generate_split("eval", eval_plan, profile=profile, comps=comps, answer_style=answer_style,
                                        seed=seed, hf_tasks=hf["eval"], taken=set())
    sft, sft_stats = _generate_split("train", sft_plan, profile=profile, comps=train_comps, answer_style=answer_style, seed=seed,
                                     hf_tasks=hf["train"], taken=set())
    near = _check_overlap(sft, eval_, near_threshold)
    for row in sft + eval_:
        validate_row(row, path=names["sft"] if row["split"] == "train" else names["eval"], require_provenance=True)

    report = _task_report(profile=profile, train_profile=train_profile, comps=comps, train_comps=train_comps, seed=seed,
                          answer_style=answer_style, status=status, rows={"sft": sft, "eval": eval_},
                          stats={"sft": sft_stats, "eval": eval_stats}, near=near, near_threshold=near_threshold,
                          pack_json=pack_json, promote=promote, names=names)
    paths = {k: out_dir / v for k, v in names.items()}
    promoted: list[str] = []

    def seal(report: dict) -> None:
        # promotion rewrites dataset_pack.json: the report records the hash of that rewritten file, the one on disk after
        if promote and pack_json is not None:
            promoted.append(promoted_pack_text(pack_json, paths, profile, report["sha256"]))
            report["dataset_pack"]["sha256"] = hashlib.sha256(promoted[0].encode("utf-8")).hexdigest()

    _write_pack(out_dir, names, sft, eval_, report, profile, seal=seal)
    if promoted:
        atomic_write_text(pack_json, promoted[0])
    return paths


def _writing_marker(folder: Path, profile: str) -> Path:
    return folder / f".task_mixture_{profile}.writing"


def _move_into_place(tmp: Path, out_dir: Path, names: dict[str, str], profile: str) -> None:
    """Rename the four files into `out_dir` so that readers never accept a mix of two packs: a `.writing`
    marker exists while files are renamed, the report (the manifest with the rows' sha256) goes last, and
    `check_task_pack_file` refuses a pack file while the marker is there or its hash differs."""
    marker = _writing_marker(out_dir, profile)
    marker.write_text("a task pack is being written here; an interrupted write leaves this file\n", encoding="utf-8")
    (out_dir / names["report_json"]).unlink(missing_ok=True)
    for key in ("sft", "eval", "report_md", "report_json"):
        os.replace(tmp / names[key], out_dir / names[key])
        fault_point(f"task_pack_after_{key}")
    marker.unlink()


_PACK_FILE = re.compile(r"(chat|eval)_task_mixture_(.+)\.jsonl")


def check_task_pack_file(path: str | Path) -> None:
    """Refuse a task-pack rows file whose pack was not written completely (see `_move_into_place`).

    A file named like a task pack's rows is checked against its folder: no `.writing` marker, and when
    the pack's report is there, the file's sha256 must be the one it records. Other files pass unchecked.
    """
    path = Path(path)
    m = _PACK_FILE.fullmatch(path.name)
    if m is None or not path.is_file():
        return
    kind, profile = ("sft" if m.group(1) == "chat" else "eval"), m.group(2)
    hint = "the task pack was not written completely (interrupted?); rebuild it with `picochat data task-pack --force`"
    if _writing_marker(path.parent, profile).exists():
        raise PicochatInputError(hint, path=path)
    report = path.parent / f"task_mixture_{profile}.json"
    if not report.is_file():
        return
    try:  # strict: a report that records a hash twice vouches for either file
        recorded = (read_json(report).get("sha256") or {}).get(kind)
    except PicochatInputError as exc:
        raise PicochatInputError(f"unreadable task-pack report ({exc.reason}); {hint}", path=report, line=exc.line,
                                 field=exc.field) from None
    except AttributeError:
        raise PicochatInputError(f"unreadable task-pack report; {hint}", path=report) from None
    if recorded is not None and recorded != sha256_file(path):
        raise PicochatInputError(f"rows differ from the sha256 in {report.name}; {hint}", path=path)


def promoted_pack_text(pack_json: Path, paths: dict[str, Path], profile: str, sha: dict[str, str]) -> str:
    """The dataset pack's manifest pointing at a task pack (`task_pack`, and `task_packs[profile]`), as written."""
    pack = load_dataset_pack(pack_json)
    base = pack_json.parent.resolve()
    entry = {"profile": profile, **{k: os.path.relpath(p.resolve(), base) for k, p in paths.items()}, "sha256": sha}
    pack["task_pack"] = entry
    pack.setdefault("task_packs", {})[profile] = entry
    return json_text(pack)


def render_task_report(report: dict) -> str:
    lines = [f"# Task mixture: {report['profile']}", "",
             f"- rows: {report['rows']['sft']} SFT, {report['rows']['eval']} eval; seed {report['seed']}; "
             + (f"math/spelling answer style {report['answer_style']}" if report.get("answer_style") else
              "no math or spelling rows (the answer style changes nothing)"),
             f"- SFT rows follow profile {report.get('train_profile') or report['profile']}, eval rows profile {report['profile']}",
             f"- source: requested {report['source']['requested']}, status {report['source_status']}"
             + (f" (fallback: {report['fallback_reason']})" if report["fallback_reason"] else ""),
             f"- duplicate prompts rejected while generating: SFT {report['duplicates']['sft']['rate']:.2%}, "
             f"eval {report['duplicates']['eval']['rate']:.2%}",
             f"- exact SFT/eval prompt overlap: {report['overlap']['exact_prompt_overlap']} (an overlap is an error)",
             f"- near overlaps ({report['overlap']['near_method']}): {report['overlap']['near_pairs']} pairs, "
             f"{report['overlap']['near_eval_rows']} eval rows ({report['overlap']['near_eval_rate']:.2%})", ""]
    for key in ("mixture_component", "skill", "stage"):
        lines += [f"## Rows per {key.replace('mixture_', '')}", "", "| name | SFT | eval |", "|---|---|---|"]
        names = sorted(set(report["counts"]["sft"][key]) | set(report["counts"]["eval"][key]))
        lines += [f"| {n} | {report['counts']['sft'][key].get(n, 0)} | {report['counts']['eval'][key].get(n, 0)} |" for n in names]
        lines.append("")
    if report["overlap"]["near_examples"]:
        lines += ["## Near-overlap examples", "", "| eval prompt | SFT prompt | Jaccard |", "|---|---|---|"]
        lines += [f"| {e['eval'][:80]!r} | {e['sft'][:80]!r} | {e['jaccard']} |" for e in report["overlap"]["near_examples"]]
        lines.append("")
    return "\n".join(lines)
