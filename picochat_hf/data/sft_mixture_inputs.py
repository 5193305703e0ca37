"""The local files `data sft-mixture` is given: known sources that exist, and no validation file that is a training
file."""

from __future__ import annotations

from pathlib import Path

from ..utils.errors import PicochatInputError


def check_local_files(source: str, local_files: dict[str, Path] | None) -> dict[str, Path]:
    """Refuse an unknown source mode, an unknown local source or a missing file; return the files as paths."""
    if source not in ("auto", "hf", "offline"):
        raise PicochatInputError(f"unknown source {source!r}; expected auto, hf or offline", field="source")
    local_files = {k: Path(v) for k, v in (local_files or {}).items()}
    unknown = set(local_files) - {"smoltalk", "mmlu", "gsm8k", "smoltalk_val", "mmlu_val", "gsm8k_val", "identity", "words"}
    if unknown:
        raise PicochatInputError(f"unknown local source {sorted(unknown)[0]!r}", field="local_files")
    for p in local_files.values():
        if not p.exists():
            raise PicochatInputError("file not found", path=p)
    refuse_val_from_train(local_files)
    return local_files


def refuse_val_from_train(local_files: dict[str, Path]) -> None:
    """A validation file with the same bytes as a training file would make its validation rows training rows."""
    from ..utils.io import sha256_file

    train = {sha256_file(p): k for k, p in local_files.items() if not k.endswith("_val") and k != "words" and p.is_file()}
    for key, p in local_files.items():
        if key.endswith("_val") and p.is_file() and sha256_file(p) in train:
            raise PicochatInputError(f"holds the same rows as --{train[sha256_file(p)].replace('_', '-')}-file "
                                     f"({train[sha256_file(p)]}_file): validation rows would be training rows", path=p,
                                     field=f"{key}_file")
