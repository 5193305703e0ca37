"""Re-derive an eval report's rates and intervals from its per-row `results.jsonl` and compare.

`bundle --check` runs this on every eval report in a bundle: a report whose numbers do not follow from its
rows (edited after the fact, or written by something else) is named with the first numbers that differ.
Intervals are recomputed with the evaluators' own Wilson interval (`eval.stats.wilson_ci`).
"""

from __future__ import annotations

import json
from pathlib import Path
from collections import defaultdict
from typing import Any

from ..eval.stats import wilson_ci

TOL = 1e-9


def read_results_file(path: str | Path) -> list[dict[str, Any]]:
    """`read_results` of the file at `path`. Inside `shared_row_reads` the same bytes are parsed once: the release gate
    reads each results file in several checks (re-derived rates, verdicts, settings, re-runs); the rows are read-only."""
    from ..data.read_once import read_shared

    return read_shared(path, ("results",), lambda: read_results(Path(path).read_text(encoding="utf-8")))


def read_results(text: str) -> list[dict[str, Any]]:
    """The rows of a results.jsonl; ValueError naming the line when one is not a JSON object (a row every rate is
    counted from cannot be a list or a number)."""
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"line {lineno} is not a JSON object")
            rows.append(row)
    return rows


def _rate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n, passed = len(rows), sum(bool(r.get("passed")) for r in rows)
    return {"n": n, "passed": passed, "pass_rate": passed / n if n else 0.0, "ci": wilson_ci(passed, n)}


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) != len(b) or any(_differs(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) > TOL
    return a != b


def _compare(where: str, reported: dict[str, Any] | None, derived: dict[str, Any]) -> list[str]:
    if not isinstance(reported, dict):
        return [f"{where}: reported nothing, the rows give {derived['passed']}/{derived['n']}"]
    out = []
    for key in ("n", "passed", "pass_rate", "ci"):
        if key in reported and _differs(reported[key], derived[key]):
            out.append(f"{where}.{key}: reported {reported[key]}, the rows give {derived[key]}")
    return out


def _buckets(rows: list[dict[str, Any]], field: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[str(r[field])].append(r)
    return {k: _rate(v) for k, v in groups.items()}


def _claims_and_counts(summary: dict[str, Any], rows: list[dict[str, Any]], refusal: list) -> list[str]:
    """The unsupported-claim rate and the row counts the gates read, and a breakdown the rows cannot back."""
    out = []
    if refusal and isinstance(summary.get("unsupported_claim_rate"), (int, float)):
        value = sum(bool(r.get("unsupported_claim")) for r in refusal) / len(refusal)
        if _differs(summary["unsupported_claim_rate"], value):
            out.append(f"summary.unsupported_claim_rate: reported {summary['unsupported_claim_rate']}, the rows give {value}")
    generated = [r for r in rows if "choice" not in r]
    if generated and isinstance(summary.get("hit_token_limit_rate"), (int, float)):  # the share of replies cut at max_new_tokens
        cut = sum(bool(r.get("hit_token_limit")) for r in generated) / len(generated)
        if _differs(summary["hit_token_limit_rate"], cut):
            out.append(f"summary.hit_token_limit_rate: reported {summary['hit_token_limit_rate']}, the rows give {cut}")
    derived = {"unsupported_claim_n": len(refusal), "generated.n": len(generated)}
    reported = {"unsupported_claim_n": summary.get("unsupported_claim_n"), "generated.n": (summary.get("generated") or {}).get("n")}
    for key, value in derived.items():
        if isinstance(reported[key], (int, float)) and _differs(reported[key], value):
            out.append(f"summary.{key}: reported {reported[key]}, the rows give {value}")
    for field, key in (("skill", "by_skill"), ("category", "by_category")):
        if isinstance(summary.get(key), dict) and summary[key] and not all(field in r for r in rows):
            out.append(f"summary.{key}: reported, but the rows do not all record their {field}")
    return out


def _repeated_ids(rows: list[dict[str, Any]]) -> list[str]:
    """A row id recorded twice: every evaluator writes one result per scored row, so a second result for a row
    (appended, or copied from another run) counts it twice, and numbers that follow from such rows still do not
    follow from the rows scored."""
    seen: dict[str, int] = {}
    for i, r in enumerate(rows, 1):
        rid = r.get("id")
        if rid is None:
            continue
        key = json.dumps(rid, sort_keys=True)
        if key in seen:
            return [f"row {rid!r} is recorded twice (results {seen[key]} and {i}): each scored row has one result"]
        seen[key] = i
    return []


def rederive(report: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """Mismatches (one sentence each) between `report`'s numbers and those its rows give; empty when they agree."""
    summary = report.get("summary") or {}
    out = _repeated_ids(rows) + _compare("summary", summary, _rate(rows))
    for field, key in (("skill", "by_skill"), ("category", "by_category")):
        if isinstance(summary.get(key), dict) and summary[key] and all(field in r for r in rows):
            derived = _buckets(rows, field)
            for name in sorted(set(derived) | set(summary[key])):
                if name not in derived:
                    out.append(f"summary.{key}.{name}: reported {summary[key][name].get('n')} rows, the rows hold none")
                else:
                    out += _compare(f"summary.{key}.{name}", summary[key].get(name), derived[name])
    generated = [r for r in rows if "choice" not in r and "echo" in r]
    if generated and isinstance(summary.get("prompt_echo_rate"), (int, float)):
        echo = sum(bool(r["echo"]) for r in generated) / len(generated)
        if _differs(summary["prompt_echo_rate"], echo):
            out.append(f"summary.prompt_echo_rate: reported {summary['prompt_echo_rate']}, the rows give {echo}")
    refusal = [r for r in rows if r.get("expects_refusal")]
    if refusal and isinstance(summary.get("refusal_pass_rate"), (int, float)):
        value = sum(bool(r.get("passed")) for r in refusal) / len(refusal)
        if _differs(summary["refusal_pass_rate"], value):
            out.append(f"summary.refusal_pass_rate: reported {summary['refusal_pass_rate']}, the rows give {value}")
    out += _claims_and_counts(summary, rows, refusal)
    ext = report.get("external") or {}
    if isinstance(ext.get("n"), (int, float)) and _differs(ext["n"], len(rows)):  # the count the gate's min_n reads
        out.append(f"external.n: reported {ext['n']}, the rows give {len(rows)}")
    if isinstance(ext.get("letter_acc"), (int, float)):
        derived = _rate(rows)
        if _differs(ext["letter_acc"], derived["pass_rate"]):
            out.append(f"external.letter_acc: reported {ext['letter_acc']}, the rows give {derived['pass_rate']}")
        ci = (ext.get("ci") or {}).get("letter_acc")
        if ci is not None and _differs(ci, derived["ci"]):
            out.append(f"external.ci.letter_acc: reported {ci}, the rows give {derived['ci']}")
    return out
