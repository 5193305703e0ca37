"""Intervals, breakdowns, baselines and the noise test used by every evaluator and the leaderboard.

Intervals are 95% Wilson score intervals from statsmodels (`proportion_confint(method="wilson")`): unlike
the normal approximation they stay inside [0, 1] and behave at 0/n and n/n, which small eval sets hit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from statsmodels.stats.proportion import proportion_confint, proportions_ztest

CI_METHOD = "wilson"
CONFIDENCE = 0.95


def wilson_ci(passed: int, n: int, confidence: float = CONFIDENCE) -> list[float]:
    """95% Wilson interval for passed/n; [0, 1] when n == 0 (nothing is known)."""
    if n <= 0:
        return [0.0, 1.0]
    lo, hi = proportion_confint(passed, n, alpha=1.0 - confidence, method=CI_METHOD)
    # statsmodels can return -1e-17 / 1+1e-16 at the edges; clip to the unit interval.
    return [min(1.0, max(0.0, round(float(lo), 12))), min(1.0, max(0.0, round(float(hi), 12)))]


def rate_summary(passed: int, n: int) -> dict:
    return {"n": n, "passed": passed, "pass_rate": (passed / n) if n else 0.0, "ci": wilson_ci(passed, n)}


def breakdown(items: Iterable[dict], key: Callable[[dict], str], ok: Callable[[dict], bool]) -> dict[str, dict]:
    """{bucket: rate_summary} for the items grouped by `key`, sorted weakest first (then by name)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        c = counts[key(item)]
        c[1] += 1
        c[0] += int(ok(item))
    out = {name: rate_summary(p, n) for name, (p, n) in counts.items()}
    return dict(sorted(out.items(), key=lambda kv: (kv[1]["pass_rate"], kv[0])))


def choice_baselines(n_choices: list[int], gold_labels: list[str]) -> dict[str, float | None]:
    """Random baseline = mean of 1/n_choices; majority baseline = accuracy of always answering the most
    frequent gold label. Both None when there are no choice rows."""
    if not n_choices:
        return {"random": None, "majority": None, "n": 0}
    most = Counter(gold_labels).most_common(1)[0][1]
    return {
        "random": sum(1.0 / k for k in n_choices) / len(n_choices),
        "majority": most / len(gold_labels),
        "n": len(n_choices),
    }


def intervals_overlap(a: list[float], b: list[float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def two_proportion_pvalue(passed_a: int, n_a: int, passed_b: int, n_b: int) -> float:
    """Two-sided two-proportion z-test (pooled variance, statsmodels `proportions_ztest`).

    Returns 1.0 when the test is undefined (an empty side, or both rates 0 or both 1)."""
    if n_a == 0 or n_b == 0:
        return 1.0
    pooled = (passed_a + passed_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        return 1.0
    _, p = proportions_ztest([passed_a, passed_b], [n_a, n_b])
    return float(p)
