"""Where do scratchpad replies go wrong? Step-level agreement of a run's eval replies with the references.

Reads a chat-eval `results.jsonl` (e.g. a demo run's `eval/results.jsonl`), keeps the scratchpad rows, and for
each category prints how often the reply's first step line equals the reference's (math: the restated
operands, `Count by 6, 8 times:`; spelling: the spelled-out word), how many reference step lines the reply
reproduces in order before its first wrong line, and the pass rate the scorer gave. For spelling it also
prints how often the spelled-out word has the right first letter, the right last letter and the right length.
It reads nothing but the results file, so it can be run on any finished run:

    python bench/scratchpad_steps.py runs/demo/eval/results.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

SPELLED = re.compile(r"^Spell it out: ([^\n]*?)\.?$", re.M)


def step_lines(text: str) -> list[str]:
    """The scratchpad's step lines (everything before the `Final answer:` line), stripped."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return [line for line in lines if line and not line.lower().startswith("final answer")]


def steps_in_order(reply: list[str], reference: list[str]) -> int:
    """Reference step lines the reply reproduces, in order, before its first differing line."""
    n = 0
    for got, want in zip(reply, reference):
        if got != want:
            break
        n += 1
    return n


def spelled(text: str) -> str | None:
    match = SPELLED.search(text)
    return None if match is None else match.group(1).replace(",", "").replace(" ", "")


def category_table(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per category: rows, first-step-exact rate, mean share of reference steps reproduced, pass rate."""
    acc: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        reference = step_lines(row["expected"]["reference_answer"])
        reply = step_lines(row["reply"])
        a = acc[row["category"]]
        a["rows"] += 1
        a["first_step_exact"] += bool(reply) and reply[0] == reference[0]
        a["steps_share"] += steps_in_order(reply, reference) / len(reference)
        a["passed"] += bool(row["passed"])
        word, got = spelled(row["expected"]["reference_answer"]), spelled(row["reply"])
        if word is not None:
            a["spelled_rows"] += 1
            a["spelled_first_letter"] += bool(got) and got[0] == word[0]
            a["spelled_last_letter"] += bool(got) and got[-1] == word[-1]
            a["spelled_length"] += got is not None and len(got) == len(word)
            a["spelled_exact"] += got == word
    return {cat: dict(v) for cat, v in sorted(acc.items())}


def render(table: dict[str, dict[str, float]]) -> str:
    head = f"{'category':<22}{'rows':>5}{'passed':>8}{'1st step':>10}{'steps':>7}{'1st ltr':>9}{'last ltr':>9}{'length':>8}{'spelled':>9}"
    out = [head, "-" * len(head)]
    for cat, a in table.items():
        n, ns = a["rows"], a.get("spelled_rows", 0)
        spell = [a.get(k, 0) / ns if ns else None for k in
                 ("spelled_first_letter", "spelled_last_letter", "spelled_length", "spelled_exact")]
        cells = "".join(f"{'-' if v is None else f'{v:.0%}':>{w}}" for v, w in zip(spell, (9, 9, 8, 9)))
        out.append(f"{cat:<22}{int(n):>5}{a['passed'] / n:>8.0%}{a['first_step_exact'] / n:>10.0%}"
                   f"{a['steps_share'] / n:>7.0%}{cells}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="A chat-eval results.jsonl.")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.results.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("answer_style") == "scratchpad" and (r.get("expected") or {}).get("reference_answer")]
    if not rows:
        raise SystemExit(f"{args.results}: no scratchpad rows with a reference answer")
    print(render(category_table(rows)))


if __name__ == "__main__":
    main()
