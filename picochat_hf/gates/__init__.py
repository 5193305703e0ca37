"""Gates: preflight (before training) and release (after evaluation); thresholds live in profiles/*.yaml."""

from .common import PROFILE_NAMES, load_profile
from .preflight import run_preflight
from .release import run_release_gate

__all__ = ["PROFILE_NAMES", "load_profile", "run_preflight", "run_release_gate"]
