"""What the keys a training config gives mean before TRL's parser reads them: the transformers/TRL keys a recipe
writes instead of picochat's own (`lr_scheduler_type`, `bf16`/`fp16`, `use_cpu`), TRL keys picochat never reads
(`unhonoured_keys.yaml`), and YAML values of the wrong type for their field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text


def _given_scheduler(given: set[str], yaml_values: dict, on_command_line: set[str], located: Any) -> bool:
    """Whether the config names a transformers scheduler itself (`lr_scheduler_type`, as TRL recipes write it), which
    `lr_decay`'s default (cosine) would otherwise replace without a word; then lr_decay defaults to null. lr_decay or
    min_lr_ratio beside it, or lr_scheduler_kwargs without it, is refused: one of the two would be dropped."""
    if not {"lr_scheduler_type", "lr_scheduler_kwargs"} & given:
        return False
    if "lr_scheduler_type" not in given:
        raise located("lr_scheduler_kwargs without lr_scheduler_type would be applied to lr_decay's scheduler; give "
                      "lr_scheduler_type too, or lr_decay and min_lr_ratio instead", "lr_scheduler_kwargs")
    if "lr_decay" in on_command_line or yaml_values.get("lr_decay") is not None:
        raise located("lr_decay sets lr_scheduler_type itself; give one of them (lr_decay: null keeps lr_scheduler_type)",
                      "lr_scheduler_type")
    if "min_lr_ratio" in given:
        raise located("min_lr_ratio applies to lr_decay's scheduler, not to lr_scheduler_type (use lr_scheduler_kwargs, "
                      "e.g. {min_lr_rate: 0.1} for cosine_with_min_lr)", "min_lr_ratio")
    return True


def _type_problem(value: Any, hint: Any) -> str | None:
    """Why a YAML value cannot be a field of type `hint`, None when it can (or the type says nothing checkable).
    A string is left to argparse, which converts (and checks) strings only; any other value reaches the config as
    it stands."""
    import enum
    import types
    import typing

    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(hint)
        problems = [_type_problem(value, m) for m in members]
        return None if any(p is None for p in problems) else next(p for p in problems if p)
    if hint is type(None):
        return None if value is None else "expected null"
    if isinstance(value, str) or hint is Any:
        return None
    base = origin or hint
    checks = {bool: lambda v: isinstance(v, bool), int: lambda v: isinstance(v, int) and not isinstance(v, bool),
              float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), str: lambda v: False,
              list: lambda v: isinstance(v, list), dict: lambda v: isinstance(v, dict)}
    if isinstance(base, type) and issubclass(base, enum.Enum):
        base = str
    if base not in checks:
        return None
    return None if checks[base](value) else f"expected {'a whole number' if base is int else base.__name__}, got {value!r}"


def _type_name(hint: Any) -> str:
    import typing

    base = typing.get_origin(hint) or hint
    return "a whole number" if base is int else getattr(base, "__name__", str(hint))


def check_yaml_types(config_cls: type, yaml_values: dict, path: str, lines: dict) -> None:
    """Refuse a YAML value whose type the field cannot take (`learning_rate: [1]`, `max_steps: 5.5`, `seed: true`)."""
    import typing
    from dataclasses import MISSING, fields

    hints = typing.get_type_hints(config_cls)
    defaults = {f.name: f.default for f in fields(config_cls)}
    for key, value in yaml_values.items():
        if key not in hints:
            continue
        if value is None:  # null means "the default" only where the default is null or the type admits it
            admits = defaults.get(key, MISSING) is None or _type_problem(None, hints[key]) is None
            problem = None if admits else f"expected {_type_name(hints[key])}, got null"
        else:
            problem = _type_problem(value, hints[key])
        if problem:
            raise PicochatInputError(problem, path=path, line=lines.get(key), field=str(key))


def _given(key: str, yaml_values: dict, argv: list[str]) -> Any:
    """The value a key is given on the command line (the last `--key [value]`; a bare boolean flag is True) or else
    in the YAML; None when neither gives it."""
    flag, value = f"--{key}", None
    for i, arg in enumerate(argv):
        if arg == flag:
            nxt = argv[i + 1] if i + 1 < len(argv) else "--"
            value = True if nxt.startswith("--") else nxt
        elif arg.startswith(flag + "="):
            value = arg.split("=", 1)[1]
    if isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    return value if value is not None else yaml_values.get(key)


def _given_precision(yaml_values: dict, argv: list[str], given: set[str], located: Any) -> str | None:
    """The precision TRL's `bf16` / `fp16` keys ask for, which `precision` (default auto: fp32 on CPU, bf16 on a
    capable GPU) would otherwise override without a word; None when neither is given. Both true, or a `precision`
    that says otherwise, is refused naming the key."""
    bf16, fp16 = (_given(k, yaml_values, argv) for k in ("bf16", "fp16"))
    wanted = "bf16" if bf16 is True else "fp16" if fp16 is True else "fp32" if bf16 is False else None
    key = "fp16" if fp16 is True else "bf16"
    if bf16 is True and fp16 is True:
        raise located("bf16 and fp16 are both true; mixed precision is one of them (or set precision)", "fp16")
    precision = _given("precision", yaml_values, argv) if "precision" in given else None
    if wanted is not None and precision is not None and precision != wanted:
        raise located(f"{key}: {bf16 if key == 'bf16' else fp16} asks for {wanted}, but precision is {precision}; "
                      "set one of them", key)
    return wanted


def _refuse_unhonoured(yaml_values: dict, argv: list[str], given: set[str], located: Any) -> None:
    """Refuse a TRL key picochat never reads set to a value it does not already honour (`unhonoured_keys.yaml`)."""
    table = load_yaml_text(Path(__file__).with_name("unhonoured_keys.yaml").read_text(encoding="utf-8"))
    for key in sorted(given & set(table)):
        value = _given(key, yaml_values, argv)
        honoured = table[key]["honoured"]
        if value in honoured or (isinstance(value, str) and value.lower() in {str(h).lower() for h in honoured}):
            continue
        raise located(f"{value!r} would be ignored: {table[key]['why']}", key)


def trl_key_defaults(yaml_values: dict, argv: list[str], given: set[str], on_command_line: set[str],
                      located: Any, *, packed: bool) -> dict[str, Any]:
    """Defaults of picochat's fields that follow the transformers/TRL keys a recipe gives instead (lr_scheduler_type,
    bf16/fp16, use_cpu), which picochat's own defaults would otherwise override without a word."""
    defaults: dict[str, Any] = {}
    if _given_scheduler(given, yaml_values, on_command_line, located):
        defaults["lr_decay"] = None
    precision = _given_precision(yaml_values, argv, given, located)
    if precision is not None:
        defaults["precision"] = precision
    if packed:  # DPO tokenises through TRL's DPOTrainer, which reads these keys itself
        _refuse_unhonoured(yaml_values, argv, given, located)
    if _given("use_cpu", yaml_values, argv) is True:
        device = _given("device_kind", yaml_values, argv)
        if device not in (None, "cpu"):
            raise located(f"use_cpu: true, but device_kind is {device}; set one of them", "use_cpu")
        defaults["device_kind"] = "cpu"
    return defaults


COMPANION_FILE = Path(__file__).with_name("companion_keys.yaml")


def check_companion_keys(config: Any) -> None:
    """Refuse a setting that acts only beside another one (`companion_keys.yaml`) when that one is missing: the
    setting would be accepted and change nothing."""
    from dataclasses import fields

    table = load_yaml_text(COMPANION_FILE.read_text(encoding="utf-8"))
    defaults = {f.name: f.default for f in fields(config)}
    for name, rule in table.items():
        if name not in defaults or getattr(config, name) == defaults[name]:
            continue
        other, sep, wanted = str(rule["requires"]).partition("=")
        if other not in defaults:
            continue
        value = getattr(config, other)
        if (str(value) in wanted.split("|")) if sep else bool(value):
            continue
        need = f"{other}: {' or '.join(wanted.split('|'))}" if sep else other
        raise PicochatInputError(f"acts only beside {need}, which this config does not give: {rule['why']}", field=name)

