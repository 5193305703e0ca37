"""Writes that never leave half an artifact behind, the `--force` rule, and output locks.

Files are written to a temporary sibling and renamed into place (`os.replace` is atomic on POSIX);
output directories are built under a temporary name and renamed when complete, and `--force` replaces
an old artifact only once the new one is complete. Written files get the mode the umask allows (not
`mkstemp`'s 0600). `output_lock` holds an exclusive `fcntl.flock` on an output path for the duration of
a command, so a second command aimed at the same output stops with one line instead of interleaving.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import PicochatInputError
from .faults import fault_point
from .yaml_text import compose_yaml_text, load_yaml_text


def ensure_can_write(path: str | Path, force: bool = False) -> Path:
    """Refuse to overwrite an existing, non-empty artifact unless `force` is set."""
    path = Path(path)
    if path.exists() and not force:
        if path.is_dir() and not any(path.iterdir()):
            return path
        raise PicochatInputError("already exists; pass --force to overwrite it", path=path)
    return path


def _umask() -> int:
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def default_mode(path: str | Path, folder: bool = False) -> None:
    """Give a file made by mkstemp/mkdtemp (0600/0700) the mode an ordinary open() would: 0666/0777 less the umask."""
    os.chmod(path, (0o777 if folder else 0o666) & ~_umask())


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    path = Path(path)
    if path.is_dir():  # os.replace would fail naming the temp file beside it, not the output the user gave
        raise PicochatInputError("is a directory where a file is expected", path=path)
    make_parents(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding) as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the finished file gets ordinary permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def json_text(obj: Any, indent: int = 2) -> str:
    """The exact text `atomic_write_json` writes (so a file's sha256 can be known before it is written)."""
    return json.dumps(obj, indent=indent, sort_keys=False, default=_json_default) + "\n"


def atomic_write_json(path: str | Path, obj: Any, indent: int = 2) -> Path:
    return atomic_write_text(path, json_text(obj, indent))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "item"):
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


@contextlib.contextmanager
def atomic_output_dir(out_dir: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary directory that becomes `out_dir` only if the block finishes.

    With `force`, an existing `out_dir` is replaced once the new one is complete.
    """
    out_dir = Path(os.path.realpath(out_dir)) if Path(out_dir).is_symlink() else Path(out_dir)  # a link's folder is the output
    ensure_can_write(out_dir, force=force)
    if out_dir.exists() and not out_dir.is_dir():
        raise PicochatInputError("exists and is not a directory", path=out_dir, field="out_dir")
    new_parents = make_parents(out_dir)
    with output_lock(out_dir):
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=out_dir.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; the finished folder gets ordinary permissions
        try:
            yield tmp
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            remove_empty(new_parents)
            raise
        fault_point("atomic_dir_before_rename")
        replace_dir(tmp, out_dir)


def make_parents(path: Path) -> list[Path]:
    """Create the missing parent folders of `path`; return those created (outermost first). A parent that is a file
    is named as such (mkdir's FileExistsError would say only that it exists)."""
    blocking = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise PicochatInputError(f"is a file where a folder is expected (it would hold {path})", path=blocking)
    missing = [p for p in reversed(path.parents) if not p.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    return missing


def remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed command created, innermost first, if they are still empty."""
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def replace_dir(new: Path, target: Path) -> None:
    """Move the complete folder `new` to `target`; an old `target` is set aside first and removed after."""
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        fault_point("replace_between_renames")
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)


@contextlib.contextmanager
def replace_on_success(out_dir: str | Path, force: bool, remove_partial: bool = False) -> Iterator[Path]:
    """For commands that write into `out_dir` as they go (training, the demo): an old, non-empty `out_dir`
    is set aside when the block starts and deleted only when it finishes; on an error the new partial
    folder is removed and the old one put back. With `remove_partial`, a failed run that replaced nothing
    also removes what it wrote (a folder it created). Call it after every input is validated."""
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    aside = None
    if force and out_dir.is_dir() and any(out_dir.iterdir()):
        aside = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.replaced")
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(out_dir, aside)
    try:
        yield out_dir
    except BaseException:
        if aside is not None:
            shutil.rmtree(out_dir, ignore_errors=True)
            os.replace(aside, out_dir)
        elif remove_partial and created:
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


# ------------------------------------------------------------------------------------------- output locks

_HELD: dict[str, int] = {}  # lock key -> nesting depth in this process
_HELD_LOCK = threading.Lock()


def _acquire(path: Path) -> tuple[int, Path, list[Path]]:
    """Open and flock `<parent>/.<name>.picochat-lock`; (fd, lock file, parent folders created for it).

    The lock always lives in the output's parent, created if needed, so every command aimed at one
    output meets at the same file whatever existed when it started (the parents it created are removed
    again on release when empty).
    """
    shown, path = path, Path(os.path.realpath(path))  # one output named through a symlink or `..` meets at one lock
    lock = path.parent / f".{path.name}.picochat-lock"
    created: list[Path] = []
    while True:
        created += [p for p in make_parents(path) if p not in created]
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
        except FileNotFoundError:  # another command removed the empty parent just now: make it again
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            remove_empty(created)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise PicochatInputError("is in use by another picochat command (wait for it to finish)", path=shown) from None
            raise
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd, lock, created
        os.close(fd)  # the previous holder unlinked this file between our open and flock: try again


@contextlib.contextmanager
def output_lock(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on the output `path` (a file or folder) until the block ends.

    A second holder, in this or another process, gets a `PicochatInputError` at once. Re-entrant within
    one process. The lock file is removed on release (the inode is re-checked after locking, so a
    holder never keeps a lock on a file another process already unlinked), so no file is left behind.
    Stale `.partial` temp folders of `path` from killed commands are removed once the lock is held.
    """
    key = os.path.realpath(path)
    with _HELD_LOCK:
        nested = bool(_HELD.get(key))
        if nested:
            _HELD[key] += 1
    if nested:
        try:
            yield
        finally:
            with _HELD_LOCK:
                _HELD[key] -= 1
        return
    fd, lock, created = _acquire(Path(path))
    with _HELD_LOCK:
        _HELD[key] = 1
    try:
        _clean_stale_partials(Path(key))
        yield
    finally:
        with _HELD_LOCK:
            _HELD.pop(key, None)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)
        os.close(fd)
        remove_empty(created)


def _clean_stale_partials(path: Path) -> None:
    """Remove `.<name>.*.partial` temp folders/files of `path` left by killed commands (we hold its lock); put
    back an old version a killed replace had set aside as `.<name>.*.old`."""
    parent = path.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{path.name}.*.old"))
    if olds and not path.exists():  # killed between the two renames of `replace_dir`: the old version comes back
        os.replace(olds[-1], path)
        print(f"picochat: warning: restored {path} from an interrupted replace", file=sys.stderr)
    for stale in parent.glob(f".{path.name}.*.partial"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


_COMPRESSED_MAGIC = {b"\x1f\x8b": ("gzip", "gunzip"), b"BZh": ("bzip2", "bunzip2"), b"\xfd7zXZ\x00": ("xz", "unxz"),
                     b"\x28\xb5\x2f\xfd": ("zstd", "unzstd")}


def refuse_compressed(path: Path, head: bytes) -> None:
    """A settings or record file (JSON, YAML) that is compressed is named as such, not as "not UTF-8 text": these
    are read whole and small, so only the data files of rows and documents are read compressed."""
    for magic, (codec, tool) in _COMPRESSED_MAGIC.items():
        if head.startswith(magic):
            plain = path.name[: -len(path.suffix)] if path.suffix in (".gz", ".bz2", ".xz", ".zst") else None
            how = f" ({tool} -c {path.name} > {plain})" if plain else ""
            raise PicochatInputError(f"{codec}-compressed; decompress it{how} and pass the plain file", path=path)


def read_json(path: str | Path) -> Any:
    """A JSON file the command reads as input (a manifest, a plan); an object naming a key twice is refused, since
    Python keeps the last value and other readers the first."""
    path = Path(path)
    if not path.exists():
        raise PicochatInputError("file not found", path=path)
    raw = path.read_bytes()
    refuse_compressed(path, raw[:6])
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark (editors on Windows) is dropped, as in .jsonl
    except UnicodeDecodeError as exc:
        raise PicochatInputError(f"not UTF-8 text ({exc.reason})", path=path, line=raw[:exc.start].count(b"\n") + 1) from None
    return parse_json_text(text, path)


def read_json_object(path: str | Path) -> dict[str, Any]:
    """`read_json` of a file that must hold one JSON object (a record, a report, a manifest): any other value is
    refused naming the file, not met later as an AttributeError."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise PicochatInputError(f"expected a JSON object, got {type(data).__name__}", path=path)
    return data


def parse_json_text(text: str, path: str | Path, field: str | None = None) -> Any:
    """`text` (the decoded contents of `path`) as JSON, with a repeated key refused naming its line and key; other
    errors name `field` when given. `NaN` and `Infinity` are read: the package's own reports may hold them (a
    diverged loss), and the readers of those decide what a non-finite value means."""
    from ..data.schema import DuplicateKeyError, duplicate_key_error, too_deep, unique_keys
    from .json_keys import repeated_key_line

    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise PicochatInputError(f"malformed JSON ({exc.msg})", path=path, line=exc.lineno, field=field) from None
    except RecursionError:
        raise too_deep(path, None, field) from None
    except DuplicateKeyError as exc:
        # the hook sees no positions; the text is walked again for the repeat's line (and its key, in text order)
        found = repeated_key_line(text)
        if found is not None:
            exc = DuplicateKeyError(found[0])
        raise duplicate_key_error(exc, path, found[1] if found else None) from None


def read_yaml_mapping(path: str | Path, what: str = "a mapping") -> dict[str, Any]:
    """Load a YAML file that must hold a mapping; errors name the file and line."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise PicochatInputError("file not found", path=path)
    if path.is_file():
        with open(path, "rb") as fh:
            refuse_compressed(path, fh.read(6))
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PicochatInputError(f"malformed YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})", path=path,
                                 line=None if mark is None else mark.line + 1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PicochatInputError(f"expected {what}", path=path)
    refuse_repeated_yaml_key(text, path)
    return data


def refuse_repeated_yaml_key(text: str, path: str | Path) -> None:
    """Raise naming the file, line and key when one mapping of a YAML text that parses names a key twice: PyYAML
    keeps the last value silently, and the user may have meant the first."""
    repeat = _repeated_yaml_key(compose_yaml_text(text))
    if repeat is not None:
        raise PicochatInputError("this key appears twice in one mapping (which value counts is ambiguous)", path=path,
                                 line=repeat[1], field=repeat[0])


def _repeated_yaml_key(node: Any, visited: set[int] | None = None) -> tuple[str, int] | None:
    """(key, 1-based line) of the first key repeated within one mapping of a composed YAML document, or None. Each
    node is visited once: aliases share nodes, and a walk into every alias would take exponential time."""
    import yaml

    visited = set() if visited is None else visited
    if id(node) in visited:
        return None
    visited.add(id(node))
    children: list[Any] = []
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in keys:
                    return key.value, key.start_mark.line + 1
                keys.add(key.value)
            children.append(value)
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        found = _repeated_yaml_key(child, visited)
        if found is not None:
            return found
    return None


def read_json_or_none(path: str | Path) -> dict[str, Any] | None:
    """Load a JSON record (an object) when it exists and parses; None otherwise (for optional evidence). An object
    naming a key twice does not parse here either: `read_json`, and so the gate, refuses it, and a display of one of
    its values would show a number nothing checked. A file that parses to anything but an object (a list, a number)
    is no record its readers could take a field of, and is None like a malformed one."""
    from ..data.schema import DuplicateKeyError, unique_keys

    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"), object_pairs_hook=unique_keys)
    except (json.JSONDecodeError, DuplicateKeyError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def sha256_file(path: str | Path, chunk_size: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk_size), b""):
            h.update(block)
    return h.hexdigest()
