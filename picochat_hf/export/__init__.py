"""Export: HF folders (picochat with auto_map, or native nanochat), model cards, manifests, bundles."""

from .bundle import check_bundle, make_bundle
from .hf_export import check_export, export_hf

__all__ = ["check_bundle", "check_export", "export_hf", "make_bundle"]
