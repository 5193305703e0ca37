"""Honesty checks: n-gram contamination index, near-duplicate prompts, prompt echo and claim rates."""

from .config import ScanConfig, load_scan_config
from .ngram_index import NgramIndex
from .normalize import normalized, words
from .scan import run_scan, scan, support_phrases

__all__ = ["NgramIndex", "ScanConfig", "load_scan_config", "normalized", "run_scan", "scan", "support_phrases", "words"]
