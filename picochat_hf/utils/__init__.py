"""Small shared helpers: input errors, atomic writes, hashing, run manifests."""

from .errors import PicochatInputError
from .io import (
    atomic_output_dir,
    atomic_write_json,
    atomic_write_text,
    ensure_can_write,
    read_json,
    sha256_file,
)

__all__ = [
    "PicochatInputError",
    "atomic_output_dir",
    "atomic_write_json",
    "atomic_write_text",
    "ensure_can_write",
    "read_json",
    "sha256_file",
]
