"""Run reports: `report.md` and a self-contained `report.html` with matplotlib plots.

Every number in a report names the artifact it came from (a path inside the run directory).
"""

from .render import write_run_report

__all__ = ["write_run_report"]
