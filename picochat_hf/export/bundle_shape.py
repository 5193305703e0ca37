"""The shape `bundle --check` needs of a bundle's manifest before it reads any field of it.

A manifest that parses but is a list, lists its files as anything but `[{path, sha256}, ...]`, or holds a summary
that is no object was met as an AttributeError or KeyError deep in the check; it is refused here, naming the
archive and the field, like any other bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError

MANIFEST = "bundle_manifest.json"


def check_manifest_shape(manifest: Any, path: str | Path) -> None:
    """Raise naming `path` and the field when `manifest` is not the object `check_bundle` reads."""
    def bad(what: str, field: str) -> PicochatInputError:
        return PicochatInputError(f"{MANIFEST} is not a bundle manifest: {what}", path=path, field=field)

    if not isinstance(manifest, dict):
        raise bad(f"expected a JSON object, got {type(manifest).__name__}", "bundle_manifest")
    files = manifest.get("files", [])
    if not isinstance(files, list):
        raise bad(f"expected a list of {{path, sha256}} entries, got {type(files).__name__}", "files")
    for i, entry in enumerate(files):
        if not isinstance(entry, dict):
            raise bad(f"expected an object, got {type(entry).__name__}", f"files[{i}]")
        for key in ("path", "sha256"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise bad("expected a non-empty string", f"files[{i}].{key}")
    for key, kind in (("summary", dict), ("missing_expected", list)):
        if key in manifest and not isinstance(manifest[key], kind):
            raise bad(f"expected a JSON {'object' if kind is dict else 'list'}, got {type(manifest[key]).__name__}", key)
