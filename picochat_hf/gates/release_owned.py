"""Does the run own the release it ships? The released checkpoint's files and the tokenizer shipped with it must be
the run directory's own files, not links to another run's.

A released `sft/checkpoint` that is a symlink to another run's checkpoint (or whose files are symlinks or hard
links to another run's files) hashes as that run's weights: every content check passes, yet the weights were
trained, and can be changed or deleted, elsewhere. The gate blocks such a release (`release.chain.severity`):

- a file whose real path (every symlink followed) lies outside the run directory is a link out of it;
- a file with more hard-link names than the run directory holds is shared with a file outside it.

Links that stay inside the run directory (a checkpoint's `tokenizer.json` linked to the run's `tokenizer/`, a run
directory reached through a symlink to its folder) are the run's own files. A checkpoint named with `--checkpoint`
outside the run directory is an explicit copy (`sft_checkpoint_origin` ties its tensors to this run's SFT output):
its own files are not judged here, the tokenizer it ships from the run's `tokenizer/` is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .common import Check
from .common import chain_check as _chain
from .evidence import Evidence


def _files(folder: Path | None) -> list[Path]:
    """The files directly in `folder` and its `additional_chat_templates/` (what a release of it ships, and what the
    tokenizer identity reads), sorted; none when it is not a folder."""
    if folder is None or not folder.is_dir():
        return []
    extra = folder / "additional_chat_templates"
    return sorted(p for d in (folder, extra) if d.is_dir() for p in d.iterdir() if p.is_file())


def _inside(path: Path, root: Path) -> bool:
    return path.is_relative_to(root)


def _names_inside(root: Path, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """How many names each (device, inode) in `wanted` has inside `root` (links are not followed)."""
    counts = dict.fromkeys(wanted, 0)
    for folder, _dirs, names in os.walk(root):
        for name in names:
            try:
                st = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in counts:
                counts[key] += 1
    return counts


def foreign_links(paths: list[Path], root: Path, show: Callable[[Path], str]) -> list[str]:
    """A sentence for each path in `paths` that is a symlink out of `root` or a hard link with names outside it."""
    real_root = root.resolve()
    out: list[str] = []
    shared: dict[Path, tuple[int, int, int]] = {}
    for p in paths:
        real = p.resolve()
        if not _inside(real, real_root):
            out.append(f"{show(p)} is a link to {real}, outside the run directory")
            continue
        st = real.stat()
        if st.st_nlink > 1:
            shared[p] = (st.st_dev, st.st_ino, st.st_nlink)
    if shared:
        inside = _names_inside(real_root, {(d, i) for d, i, _ in shared.values()})
        for p, (dev, ino, nlink) in shared.items():
            if inside[(dev, ino)] < nlink:
                out.append(f"{show(p)} is a hard link: {nlink - inside[(dev, ino)]} of its {nlink} names lie outside the run directory")
    return out


HARD_LINK_ADVICE = ("a hard-linked copy (cp -al) shares each file with the run it was made from, and nothing tells the original "
                    "from the copy, so writing either rewrites both: copy the run with cp -a instead")


def link_advice(bad: list[str], plain: str) -> str:
    """What to do about the links `foreign_links` found: `plain`, and for hard links how to copy instead."""
    return f"{plain}; {HARD_LINK_ADVICE}" if any(" is a hard link: " in b for b in bad) else plain


def check_release_owned(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """The released checkpoint's files and its shipped tokenizer's files are the run's own (no link out of it)."""
    root = ev.run.root
    ckpt_in_run = ev.checkpoint.is_relative_to(root) or ev.checkpoint.resolve().is_relative_to(root.resolve())
    paths = _files(ev.checkpoint) if ckpt_in_run else []
    tok = ev.run.shipped_tokenizer_dir(ev.checkpoint)
    if tok is not None and (ckpt_in_run or tok.is_relative_to(root)):
        paths += [p for p in _files(tok) if p not in paths]
    if not paths:
        return []
    bad = foreign_links(paths, root, lambda p: ev.run.rel(p) if p.is_relative_to(root) else str(p))
    if not bad:
        return [_chain("release_owned", True, len(paths), "no link out of the run directory",
                       f"The {len(paths)} files of the released checkpoint and its tokenizer are the run directory's own.", rules)]
    more = f" ({len(bad) - 1} more)" if len(bad) > 1 else ""
    plain = "the run does not own the release it ships (another run's files can change under it); copy the files into the run directory"
    return [_chain("release_owned", False, len(bad), 0, f"{bad[0]}{more}: {link_advice(bad, plain)}.", rules)]
