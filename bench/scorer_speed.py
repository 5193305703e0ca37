"""Benchmark and identity harness of the rule engine: `score_reply` on realistic rows, its speed and every verdict.

    python bench/scorer_speed.py                              # builds small task packs itself (6 packs, seed 0)
    python bench/scorer_speed.py --packs DIR --per-file 480   # the rows of every *.jsonl under DIR, 480 per file
    python bench/scorer_speed.py --packs DIR --dump before.jsonl   # and every full result, for `cmp` after a change

Every row is scored with (a) its reference answer, (b) the reference answer of the next row of the same skill whose
reference differs (a wrong answer in the right format), and (c) fixed mutations: the reference + " (wrong)", the
reference with its last number changed (rows whose reference holds a number), an empty reply and a refusal sentence.
Prompts are built before the clock starts; the clock covers `score_reply` alone. Prints replies/s and CPU seconds of
this process (steadier than wall seconds on a shared machine) for each of `--reps` passes, the best of them, and the
load average before the run. `--dump FILE` writes one JSON line (sorted keys) per scored reply: file, row id, kind,
reply and the full `score_reply` result, so a before/after `cmp` of two dumps proves that no verdict changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from picochat_hf.data.schema import answer_text, prompt_text
from picochat_hf.eval.scoring import load_scoring_config, score_reply

PROFILES = ("release", "capability", "balanced")
STYLES = ("direct", "scratchpad")
REFUSAL = "I'm sorry, but I can't help with that."
_LAST_NUMBER = re.compile(r"(\d+)(\D*)$")


class BenchInputError(Exception):
    """A pack file the bench cannot read; the message names file and line."""


def build_packs(out_dir: Path, *, eval_rows: int, sft_rows: int, seed: int) -> Path:
    """Task packs of every profile and answer style under `out_dir` (one folder each); returns `out_dir`."""
    from picochat_hf.data.task_pack import build_task_pack

    for profile in PROFILES:
        for style in STYLES:
            build_task_pack(out_dir / f"{profile}-{style}", profile=profile, answer_style=style, seed=seed,
                            eval_rows=eval_rows, sft_rows=sft_rows, force=True)
    return out_dir


def read_pack_rows(folder: Path, per_file: int) -> list[tuple[str, dict]]:
    """(file relative to `folder`, row) for the first `per_file` rows (0: all) of every *.jsonl under it, in name order."""
    out: list[tuple[str, dict]] = []
    files = sorted(folder.rglob("*.jsonl"))
    if not files:
        raise BenchInputError(f"{folder}: no *.jsonl files")
    for path in files:
        name = path.relative_to(folder).as_posix()
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if per_file and n > per_file:
                    break
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BenchInputError(f"{path}:{n}: malformed JSON ({exc.msg})") from None
                if not isinstance(row, dict) or not isinstance(row.get("messages"), list):
                    raise BenchInputError(f"{path}:{n}: field 'messages': a row needs a list of messages")
                out.append((name, row))
    return out


def reference_of(row: dict) -> str:
    """The row's reference answer, or its supervised answer when it has none."""
    return str(row.get("reference_answer") or answer_text(row))


def changed_number(text: str) -> str | None:
    """`text` with its last number plus one ("12 apples" -> "13 apples"), None when it holds no digit."""
    match = _LAST_NUMBER.search(text)
    if match is None:
        return None
    return text[: match.start(1)] + str(int(match.group(1)) + 1) + match.group(2)


def other_references(rows: list[tuple[str, dict]]) -> list[str | None]:
    """For each row, the reference of the next row (cyclically) of the same skill whose reference differs, else None."""
    by_skill: dict[str, list[int]] = {}
    for i, (_, row) in enumerate(rows):
        by_skill.setdefault(str(row.get("skill")), []).append(i)
    out: list[str | None] = [None] * len(rows)
    for members in by_skill.values():
        refs = [reference_of(rows[i][1]) for i in members]
        for k, i in enumerate(members):
            later = (refs[(k + j) % len(members)] for j in range(1, len(members)))
            out[i] = next((ref for ref in later if ref != refs[k]), None)
    return out


def cases_of(rows: list[tuple[str, dict]]) -> list[tuple[str, str, dict, str, str]]:
    """(file, kind, row, prompt, reply) for every reply the bench scores."""
    cases = []
    for (name, row), other in zip(rows, other_references(rows)):
        ref, prompt = reference_of(row), prompt_text(row)
        replies = [("reference", ref), ("other_row", other), ("appended_wrong", ref + " (wrong)"),
                   ("number_changed", changed_number(ref)), ("empty", ""), ("refusal", REFUSAL)]
        cases += [(name, kind, row, prompt, reply) for kind, reply in replies if reply is not None]
    return cases


def score_all(cases: list[tuple[str, str, dict, str, str]]) -> tuple[list[dict], float, float]:
    """Every case's `score_reply` result, with the CPU and wall seconds the scoring took."""
    cfg = load_scoring_config()
    cpu, wall = time.process_time(), time.perf_counter()
    results = [score_reply(row, reply, prompt, cfg) for _, _, row, prompt, reply in cases]
    return results, time.process_time() - cpu, time.perf_counter() - wall


def write_dump(path: Path, cases: list[tuple[str, str, dict, str, str]], results: list[dict]) -> None:
    """One JSON line (sorted keys) per case; written to a temporary file in the same folder and renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for (name, kind, row, _, reply), result in zip(cases, results):
                record = {"file": name, "id": row.get("id"), "kind": kind, "reply": reply, "result": result}
                fh.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packs", type=Path, help="folder of task-pack *.jsonl files (default: build packs in a temporary folder)")
    ap.add_argument("--per-file", type=int, default=0, help="rows read from each file (0: all)")
    ap.add_argument("--eval-rows", type=int, default=480, help="eval rows of each built pack")
    ap.add_argument("--sft-rows", type=int, default=480, help="SFT rows of each built pack")
    ap.add_argument("--seed", type=int, default=0, help="seed of the built packs")
    ap.add_argument("--reps", type=int, default=2, help="timed passes over every case; the best is reported")
    ap.add_argument("--dump", type=Path, help="write every full result here (JSON lines, sorted keys)")
    args = ap.parse_args(argv)
    if args.per_file < 0 or args.reps < 1:
        ap.error("--per-file must be >= 0 and --reps >= 1")
    return args


def run(args: argparse.Namespace, folder: Path) -> None:
    rows = read_pack_rows(folder, args.per_file)
    cases = cases_of(rows)
    load = os.getloadavg()
    print(f"rows {len(rows)}, replies {len(cases)}, load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    best: tuple[float, float] | None = None
    for rep in range(1, args.reps + 1):
        results, cpu, wall = score_all(cases)
        print(f"pass {rep}: {len(cases) / cpu:.1f} replies/s (CPU), CPU {cpu:.2f} s, wall {wall:.2f} s")
        best = (cpu, wall) if best is None or cpu < best[0] else best
    assert best is not None
    print(f"best: {len(cases) / best[0]:.1f} replies/s (CPU), CPU {best[0]:.2f} s, wall {best[1]:.2f} s; "
          f"passed {sum(r['passed'] for r in results)} of {len(results)}")
    if args.dump is not None:
        write_dump(args.dump, cases, results)
        print(f"dump: {len(results)} results -> {args.dump}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.packs is not None:
            run(args, args.packs)
            return 0
        with tempfile.TemporaryDirectory(prefix="scorer_speed_") as tmp:
            run(args, build_packs(Path(tmp), eval_rows=args.eval_rows, sft_rows=args.sft_rows, seed=args.seed))
    except BenchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
