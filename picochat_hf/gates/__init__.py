"""Gates: preflight (before training) and release (after evaluation); thresholds live in profiles/*.yaml.

`verify_release` re-checks a release verdict against the evidence it judged (report, card, bundle and push use it).
"""

from .common import PROFILE_NAMES, load_profile
from .preflight import run_preflight
from .release import run_release_gate
from .verify import verify_release

__all__ = ["PROFILE_NAMES", "load_profile", "run_preflight", "run_release_gate", "verify_release"]
