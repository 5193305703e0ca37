"""The tokenizer hash a bundle states, re-derived from the tokenizer files it carries.

`run_manifest.json`'s `tokenizer_hash` is copied from `tokenizer/tokenizer_hash.txt`, a file like any other: it can
be edited, or left from another tokenizer. The bundle's summary and `bundle --check` both load the bundled
`tokenizer/` files and hash them with `tokenizer.tokenizer_hash`, so the summary names the tokenizer the bundle holds.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

TOKENIZER_DIR = "tokenizer"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json")


def tokenizer_members(files: dict[str, bytes]) -> dict[str, bytes]:
    """{file name: bytes} of the tokenizer files among `files` ({rel path: bytes} of a run directory or bundle)."""
    return {name: files[f"{TOKENIZER_DIR}/{name}"] for name in TOKENIZER_FILES if f"{TOKENIZER_DIR}/{name}" in files}


def run_tokenizer_files(tokenizer_dir: Path) -> dict[str, bytes]:
    """{rel path: bytes} of a run's tokenizer files, as a bundle carries them."""
    return {f"{TOKENIZER_DIR}/{name}": (tokenizer_dir / name).read_bytes() for name in TOKENIZER_FILES if (tokenizer_dir / name).is_file()}


def rederived_tokenizer_hash(files: dict[str, bytes]) -> tuple[str | None, str | None]:
    """(hash, None) of the tokenizer the files hold; (None, why) where it cannot be loaded; (None, None) with no
    tokenizer.json among them."""
    members = tokenizer_members(files)
    if "tokenizer.json" not in members:
        return None, None
    return _hash_of(tuple(sorted(members.items())))


@lru_cache(maxsize=8)  # a check reads one bundle's tokenizer; loading it is the slow part
def _hash_of(members: tuple[tuple[str, bytes], ...]) -> tuple[str | None, str | None]:
    from ..tokenizer import load_tokenizer, tokenizer_hash

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in members:
            (Path(tmp) / name).write_bytes(data)
        try:
            return tokenizer_hash(load_tokenizer(tmp)), None
        except Exception as exc:  # any unloadable tokenizer: nothing to hash, and the caller says so
            return None, f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
