"""The task YAMLs of `eval lm-harness --include-path`, checked before the run: each key is one lm-eval knows and
holds the kind of value lm-eval's own dataclasses declare.

lm-eval reads these files only inside the run, after the model is loaded, and a key it does not know, a number
where a path goes or a mapping where a list of tasks goes is then a TypeError deep in its task builder (or, for a
group, silently another group). The keys and the kinds come from the installed lm-eval (`TaskConfig`,
`GroupConfig`, read from their annotations), so a newer lm-eval's fields are accepted without a change here;
`lm_task_keys.yaml` adds the few keys lm-eval reads before building those dataclasses (`include`, `class`).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..utils.errors import PicochatInputError

_KINDS = {"str", "int", "float", "bool", "list", "dict"}  # the annotation words that are YAML value kinds
_ANY = {"Callable", "Any", "OutputType", "FewshotConfig"}  # lm-eval converts or checks these itself


def _annotation_kinds(annotation: Any) -> tuple[set[str], bool]:
    """({kind words}, accepts anything) of a dataclass field's annotation: `str | list | None` -> {str, list}."""
    import re

    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None) or str(annotation)
    while re.search(r"\[[^\[\]]*\]", text):  # only the outer union counts: list[str | dict] is a list
        text = re.sub(r"\[[^\[\]]*\]", "", text)
    words = {w.strip().split(".")[-1] for w in text.replace("typing.", "").split("|")}
    return {w for w in words if w in _KINDS}, bool(words & _ANY) or not words & (_KINDS | {"None"})


@lru_cache(maxsize=1)
def known_keys() -> dict[str, dict[str, tuple[set[str], bool]]]:
    """{"task": {key: kinds}, "group": {key: kinds}} from the installed lm-eval, plus `lm_task_keys.yaml`."""
    from lm_eval.api.group import GroupConfig
    from lm_eval.api.task import TaskConfig

    from ..utils.yaml_text import load_yaml_text

    extra = load_yaml_text(Path(__file__).with_name("lm_task_keys.yaml").read_text(encoding="utf-8"))
    out = {}
    for kind, cls in (("task", TaskConfig), ("group", GroupConfig)):
        keys = {f.name: _annotation_kinds(f.type) for f in dataclasses.fields(cls)}
        keys.update({k: (set(v or ()), v is None) for k, v in (extra.get(kind) or {}).items()})
        out[kind] = keys
    out["group"] = out["task"] | out["group"]  # a group's other keys are task settings it passes to its members
    return out


def _value_kind(node: yaml.Node) -> str | None:
    """The kind of a YAML node (None for a `!function` or other tagged value lm-eval constructs itself)."""
    if not node.tag.startswith("tag:yaml.org,2002:"):
        return None
    if isinstance(node, yaml.MappingNode):
        return "dict"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    name = node.tag.rsplit(":", 1)[-1]
    return {"str": "str", "int": "int", "float": "float", "bool": "bool", "null": "null"}.get(name, "str")


def _mapping_keys(node: Any) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)} if isinstance(node, yaml.MappingNode) else {}


def _python_task(path: Path, pairs: dict[str, tuple[yaml.Node, yaml.Node]], depth: int = 0) -> bool:
    """Whether the file, or a file it includes (`include: name` in its folder, `.yaml` optional), sets `class`:
    a Python task whose other keys are its class's own."""
    from ..utils.yaml_text import compose_yaml_text

    if "class" in pairs:
        return True
    node = pairs.get("include", (None, None))[1]
    names = [n.value for n in (node.value if isinstance(node, yaml.SequenceNode) else [node]) if isinstance(n, yaml.ScalarNode)]
    for name in names if depth < 8 else []:
        other = next((p for p in (path.parent / name, path.parent / f"{name}.yaml") if p.is_file()), None)
        try:
            if other is not None and _python_task(other, _mapping_keys(compose_yaml_text(other.read_text(encoding="utf-8"))), depth + 1):
                return True
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            continue  # that file is checked on its own
    return False


def check_task_yaml(path: Path) -> None:
    """Refuse a task/group YAML lm-eval would fail on or misread, naming the file, the key's line and the key."""
    from ..utils.yaml_text import compose_yaml_text

    try:
        node = compose_yaml_text(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PicochatInputError(f"not UTF-8 text ({exc.reason})", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PicochatInputError(f"malformed YAML ({getattr(exc, 'problem', None) or exc})", path=path,
                                 line=mark.line + 1 if mark else None) from None
    if node is None:
        return  # an empty file: lm-eval skips it
    if not isinstance(node, yaml.MappingNode):
        raise PicochatInputError("an lm-eval task YAML must be a mapping of task (or group) fields", path=path, line=node.start_mark.line + 1)
    pairs = _mapping_keys(node)
    python_task = _python_task(path, pairs)
    kind = "group" if "group" in pairs else "task"  # as lm-eval's TaskIndex tells them apart
    keys = known_keys()[kind]
    for name, (key, value) in pairs.items():
        line = key.start_mark.line + 1
        if name not in keys:
            if python_task:
                continue
            raise PicochatInputError(f"not a field of an lm-eval {kind} config (lm-eval {kind} fields: {', '.join(sorted(keys))})",
                                     path=path, line=line, field=name)
        kinds, anything = keys[name]
        got = _value_kind(value)
        if anything or got in (None, "null") or got in kinds or (got == "int" and "float" in kinds):
            continue
        raise PicochatInputError(f"lm-eval expects {' or '.join(sorted(kinds))} here, got {_shown(got)}", path=path, line=line, field=name)


def _shown(kind: str | None) -> str:
    return {"dict": "a mapping", "list": "a list", "str": "a string", "int": "a number", "float": "a number", "bool": "a boolean"}.get(
        kind or "", str(kind))


def check_include_path(include_path: str | Path) -> None:
    """Check every task YAML under `--include-path` (lm-eval reads every `*.yaml`, in any subfolder)."""
    root = Path(include_path)
    if not root.is_dir():
        raise PicochatInputError("include path is not a folder", path=root, field="include_path")
    for path in sorted(root.rglob("*.yaml")):
        if path.is_file():
            check_task_yaml(path)
