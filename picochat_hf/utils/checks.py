"""One validation layer: types and ranges of settings, read from dataclass field metadata.

A config dataclass declares each field's range next to its help text (`metadata={"help": ..., "min": 1}`;
also `"max"`, `"gt"` (strictly greater), `"lt"`, `"choices"`), and `check_fields` checks a filled-in
instance before any work starts: the wrong type or an out-of-range value is a `PicochatInputError` naming
the field (and the YAML file and line when the value came from one). The argparse `type=` helpers below
apply the same rules to plain command-line numbers.
"""

from __future__ import annotations

import argparse
import math
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

from .errors import PicochatInputError
from .yaml_text import compose_yaml_text


def yaml_key_lines(path: str | Path) -> dict[str, int]:
    """1-based line of each top-level key of a YAML mapping file (empty when it is not one)."""
    import yaml

    try:
        node = compose_yaml_text(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _type_ok(value: Any, hint: Any) -> bool:
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_type_ok(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is not None:
        hint = origin
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def _type_name(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_name(a) for a in typing.get_args(hint) if a is not type(None))
    if origin is not None:  # list[str] is "list[str]", not "str"
        return str(hint).replace("typing.", "")
    return getattr(hint, "__name__", str(hint))


def check_value(name: str, value: Any, meta: dict, *, path: str | Path | None = None, line: int | None = None) -> None:
    """Check one value against a field's metadata range/choices."""
    def bad(msg: str) -> PicochatInputError:
        return PicochatInputError(msg, path=path, line=line, field=name)

    if "choices" in meta and value not in meta["choices"]:
        raise bad(f"must be one of {', '.join(str(c) for c in meta['choices'])}; got {value!r}")
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise bad(f"must be a finite number; got {value!r}")
    if "min" in meta and value < meta["min"]:
        raise bad(f"must be >= {meta['min']}; got {value!r}")
    if "max" in meta and value > meta["max"]:
        raise bad(f"must be <= {meta['max']}; got {value!r}")
    if "gt" in meta and not value > meta["gt"]:
        raise bad(f"must be > {meta['gt']}; got {value!r}")
    if "lt" in meta and not value < meta["lt"]:
        raise bad(f"must be < {meta['lt']}; got {value!r}")


def check_fields(obj: Any, *, path: str | Path | None = None, lines: dict[str, int] | None = None,
                 only: set[str] | None = None) -> None:
    """Check every field (or those in `only`) of a dataclass instance: its type hint, then its metadata range."""
    hints = typing.get_type_hints(type(obj))
    lines = lines or {}
    for f in fields(obj):
        if only is not None and f.name not in only:
            continue
        value = getattr(obj, f.name)
        hint = hints.get(f.name, Any)
        where = {"path": path if f.name in lines else None, "line": lines.get(f.name)}
        if not _type_ok(value, hint):
            raise PicochatInputError(f"must be {_type_name(hint)}; got {value!r}", field=f.name, **where)
        check_value(f.name, value, dict(f.metadata), **where)


# ---------------------------------------------------------------------------- argparse `type=` helpers

def _number(kind: type, text: str) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {'an integer' if kind is int else 'a number'}, got {text!r}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    if isinstance(value, int) and not -INT_LIMIT <= value < INT_LIMIT:  # libraries take counts as 64-bit integers
        raise argparse.ArgumentTypeError(f"must be below 2**63, got {text!r}")
    return value


INT_LIMIT = 2**63  # counts and sizes go to torch, numpy and Rust (tokenizers) as 64-bit integers
SEED_MAX = 2**32 - 1  # numpy's and torch's seeding limit (`np.random.seed`, `transformers.set_seed`)


def seed(text: str) -> int:
    """A random seed: an integer in [0, 2**32 - 1], the range every library the commands seed accepts."""
    value = _number(int, text)
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"must be within [0, {SEED_MAX}], got {value}")
    return value


def positive_int(text: str) -> int:
    """An integer >= 1 (counts, sizes, steps, batch sizes)."""
    value = _number(int, text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the platform has one)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_count(text: str) -> int:
    """A number of worker processes: >= 1 and at most the CPUs this process may use (every worker is started at
    once, so 10**9 would exhaust the machine's processes and memory before any error could be reported)."""
    value = positive_int(text)
    if value > usable_cpus():
        raise argparse.ArgumentTypeError(f"must be at most {usable_cpus()}, the CPUs this process may use; got {value}")
    return value


def nonneg_int(text: str) -> int:
    """An integer >= 0."""
    value = _number(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def positive_float(text: str) -> float:
    value = _number(float, text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return value


def open_fraction(text: str) -> float:
    """A number strictly between 0 and 1 (held-out fractions)."""
    value = _number(float, text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must be within (0, 1), got {value}")
    return value


def fraction(text: str) -> float:
    """A number in [0, 1)."""
    value = _number(float, text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be within [0, 1), got {value}")
    return value


def check_device(device: str) -> str:
    """A device string torch reads and this machine has (`cpu`, `cuda`, `cuda:1`, `mps`); else one line naming the
    field, not torch's RuntimeError or an AssertionError from a build without CUDA."""
    import torch

    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        raise PicochatInputError(f"not a device torch knows: {device!r} (expected cpu, cuda, cuda:0, mps ...)", field="device") from None
    if dev.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise PicochatInputError(f"{device!r}: CUDA is not available on this machine; use --device cpu", field="device")
        if dev.index is not None and dev.index >= count:
            raise PicochatInputError(f"{device!r}: this machine has {count} CUDA device(s)", field="device")
    if dev.type == "mps" and not torch.backends.mps.is_available():
        raise PicochatInputError(f"{device!r}: MPS is not available on this machine; use --device cpu", field="device")
    return device
