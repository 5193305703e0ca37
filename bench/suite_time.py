"""Where the test suite's time goes: per-file totals from a pytest JUnit XML report.

    pytest -q -n auto --junitxml=junit.xml && python bench/suite_time.py junit.xml

Prints the suite's summed test time (setup, call and teardown, over all workers), the wall time pytest reported,
and the files that take the most, so the 15-minute CI budget (`.ci/run`) is watched per file, not only per test.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path


def file_totals(report: Path) -> tuple[Counter[str], Counter[str], float]:
    """(seconds per test file, tests per test file, pytest's wall time) from a JUnit XML report."""
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    seconds: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for case in root.iter("testcase"):
        name = case.get("classname", "").split(".")
        # classname is "tests.test_x" or "tests.test_x.TestClass": the module is the first test_* part
        module = next((part for part in name if part.startswith("test_")), ".".join(name))
        seconds[module] += float(case.get("time", 0) or 0)
        counts[module] += 1
    wall = sum(float(s.get("time", 0) or 0) for s in suites)
    return seconds, counts, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="pytest --junitxml file")
    parser.add_argument("--top", type=int, default=15, help="files to list (default 15)")
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(f"{args.report}: no such file", file=sys.stderr)
        return 2
    seconds, counts, wall = file_totals(args.report)
    total = sum(seconds.values())
    print(f"suite: {sum(counts.values())} tests, {total:.0f} s of test time over all workers, {wall:.0f} s wall")
    for module, spent in seconds.most_common(args.top):
        print(f"{spent:8.1f} s {100 * spent / max(total, 1e-9):5.1f}% {counts[module]:6d} tests  {module}.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
