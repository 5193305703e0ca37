"""The one error type for bad user input.

Every reader raises `PicochatInputError` with the file, line and field that are wrong; the CLI turns it
into a single line on stderr and exit code 2, so a user never has to read a traceback to fix a typo.
"""

from __future__ import annotations

from pathlib import Path


class PicochatInputError(ValueError):
    """Bad input: names the file, the (1-based) line and the field when they are known."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None, field: str | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.reason = message
        where = []
        if self.path is not None:
            where.append(self.path if line is None else f"{self.path}:{line}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


BUG_REPORT = "the picochat_hf issue tracker, with the command and its --debug output"


def as_input_error(exc: BaseException) -> PicochatInputError | None:
    """The one-line input error for a library exception caused by what the user passed, or None.

    Only exception types that, reaching the CLI, can only come from reading the user's files are mapped
    (encoding, missing or wrong kind of path, truncated archives, malformed JSON/YAML/parquet/safetensors);
    anything else is a bug and is reported as one. The file is taken from the exception, else from the
    innermost picochat_hf frame that was reading an existing path.
    """
    if isinstance(exc, PicochatInputError):
        return exc
    if type(exc).__name__ == "PicochatConfigError":  # by name: a config loaded as remote code is another class object
        return PicochatInputError(str(exc), field=getattr(exc, "field", None) and f"model_config.{exc.field}")
    import json

    path = getattr(exc, "filename", None) or _current_file(exc)
    name = type(exc).__name__
    module = type(exc).__module__ or ""
    text = str(exc).splitlines()[0][:300] if str(exc) else name
    if isinstance(exc, UnicodeDecodeError):
        return PicochatInputError(f"not UTF-8 text (byte {exc.start}: {exc.reason})", path=path)
    if isinstance(exc, IsADirectoryError):
        return PicochatInputError("is a directory where a file is expected", path=path)
    if isinstance(exc, NotADirectoryError):
        return PicochatInputError("is a file where a directory is expected", path=path)
    if isinstance(exc, FileNotFoundError):
        return PicochatInputError("file not found", path=path)
    if isinstance(exc, PermissionError):
        return PicochatInputError("permission denied", path=path)
    if isinstance(exc, FileExistsError):
        return PicochatInputError("already exists", path=path)
    if isinstance(exc, json.JSONDecodeError):
        return PicochatInputError(f"malformed JSON ({exc.msg})", path=path, line=exc.lineno)
    if name == "BadGzipFile" or isinstance(exc, EOFError) or module == "zlib":
        return PicochatInputError(f"corrupt or truncated compressed file ({text})", path=path)
    if module.startswith("pyarrow") and name.startswith("Arrow"):
        return PicochatInputError(f"unreadable parquet/arrow file ({text})", path=path)
    if name == "SafetensorError" or module.startswith("safetensors"):
        return PicochatInputError(f"unreadable safetensors file ({text})", path=path)
    if module.startswith("yaml"):
        return PicochatInputError(f"malformed YAML ({text})", path=path)
    return None


_PATH_LOCALS = ("path", "file", "filename", "fname", "source", "checkpoint", "folder", "src", "input_path")


def _current_file(exc: BaseException) -> str | None:
    """The path the innermost picochat_hf frame of the traceback was working on, when one names an existing path."""
    import os

    tb = exc.__traceback__
    found = None
    while tb is not None:
        frame = tb.tb_frame
        if str(frame.f_globals.get("__name__", "")).startswith("picochat_hf"):
            for key in _PATH_LOCALS:
                value = frame.f_locals.get(key)
                if isinstance(value, (str, Path)) and str(value) and os.path.exists(value):
                    found = str(value)
                    break
        tb = tb.tb_next
    return found
