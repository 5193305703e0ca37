"""The tokenizer a release ships, carried in a bundle, and every bundled report and verdict tied to it.

The evals read the released checkpoint through the tokenizer that ships with it (its own folder, else its parent's,
else the run's `tokenizer/`: `RunDir.shipped_tokenizer_dir`), which need not be the run's `tokenizer/`. A bundle holds
no checkpoint, so `make_bundle` copies the files that decide that tokenizer's identity (`utils.tokenizer_identity`:
ids, chat templates, special tokens) under `released_tokenizer/`, and `bundle --check` re-derives the digest from them:
every bundled eval report's `model.tokenizer_sha256`, the verdict's `checkpoint.tokenizer_sha256` and the summary's
`released_tokenizer` must be that digest. A report read through another template, or a verdict about another
tokenizer, is evidence about another model.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..gates.recorded_paths import judged_checkpoint
from ..run_dir import RunDir
from ..utils.provenance import input_sha256
from ..utils.tokenizer_identity import TEMPLATE_DIR, tokenizer_sha256

RELEASED = "released_tokenizer"
IDENTITY_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja")
RELEASE = "gates/release.json"


def _short(digest: Any) -> str:
    return str(digest)[:12]


def released_tokenizer_dir(run: RunDir, release: dict[str, Any]) -> Path | None:
    """The folder whose tokenizer a release of the judged checkpoint ships (the run's released checkpoint when the
    verdict names none, or names one that is gone)."""
    folder = judged_checkpoint(run, release)  # as this run names it: a copied or moved run's own (`recorded_paths`)
    return run.shipped_tokenizer_dir(folder if folder is not None and folder.is_dir() else run.released_checkpoint)


def released_tokenizer_files(folder: Path | None) -> dict[str, Path]:
    """{bundle path: file} of the files that decide the identity of the tokenizer in `folder`."""
    if folder is None:
        return {}
    files = {f"{RELEASED}/{name}": folder / name for name in IDENTITY_FILES if (folder / name).is_file()}
    if (folder / TEMPLATE_DIR).is_dir():
        files |= {f"{RELEASED}/{TEMPLATE_DIR}/{p.name}": p for p in sorted((folder / TEMPLATE_DIR).glob("*.jinja")) if p.is_file()}
    return files


def released_tokenizer_summary(run: RunDir, folder: Path | None) -> dict[str, Any] | None:
    """{sha256, from} of the shipped tokenizer for the bundle summary; None when none ships."""
    digest = input_sha256(folder) if folder is not None else None
    if digest is None:
        return None
    where = run.rel(folder) if folder.resolve().is_relative_to(run.root.resolve()) else str(folder)
    return {"sha256": digest, "from": where}


def bundled_identity(kept: dict[str, bytes]) -> str | None:
    """The identity digest of the bundled `released_tokenizer/` files; None when they hold no tokenizer.json."""
    members = {rel[len(RELEASED) + 1:]: data for rel, data in kept.items() if rel.startswith(f"{RELEASED}/")}
    if "tokenizer.json" not in members:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in members.items():
            if ".." in Path(name).parts:
                continue
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_bytes(data)
        return tokenizer_sha256(tmp)


def _named(kept_json: dict[str, dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """(file, verb, tokenizer digest it names) for each bundled eval report and the verdict."""
    out = []
    for rel, report in sorted(kept_json.items()):
        model = report.get("model") if isinstance(report.get("model"), dict) else {}
        replies = report.get("kind") == "replies" or model.get("kind") == "replies"  # scored no model: the verdict says so
        if rel.endswith("eval_report.json") and model.get("harness") != "lm_eval" and not replies:
            out.append((rel, "was read with", model.get("tokenizer_sha256")))
    release = kept_json.get(RELEASE)
    if release is not None:
        ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
        out.append((RELEASE, "judged", ckpt.get("tokenizer_sha256")))
    return out


def released_tokenizer_problems(summary: dict[str, Any], kept: dict[str, bytes], kept_json: dict[str, dict[str, Any]]) -> list[str]:
    """Sentences naming each bundled report, the verdict or the summary that names a tokenizer other than the one
    `released_tokenizer/` holds (or names one when the bundle carries none to check it against)."""
    shipped = bundled_identity(kept)
    out = []
    said = (summary.get("released_tokenizer") or {}).get("sha256") if isinstance(summary.get("released_tokenizer"), dict) else None
    if said != shipped:
        out.append(f"the bundle summary says released_tokenizer {_short(said) if said else None}, but {RELEASED}/ "
                   f"{'hashes to ' + _short(shipped) if shipped else 'holds no tokenizer'}")
    for rel, verb, got in _named(kept_json):
        if shipped is None and got:
            out.append(f"{rel} {verb} tokenizer {_short(got)}, but the bundle carries no released tokenizer to check it against")
        elif shipped is not None and got != shipped:
            what = f"tokenizer {_short(got)}" if got else "a tokenizer it does not record"
            out.append(f"{rel} {verb} {what}, but the tokenizer the bundle ships ({RELEASED}/) hashes to {_short(shipped)}")
    return out
