"""The modeling files keep the project's size rules (STYLE.md): no module over 600 lines, no function over 60.

`PicochatModel.forward` was 68 lines; its positions and mask now come from `_positions_and_mask`, with the same
logits bit for bit (the equivalence, cache and compile tests cover the behaviour). `PicochatConfig.__init__` is
exempt: most of its length is its keyword list, one line per config field.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import picochat_hf.modeling as modeling

FILES = sorted(Path(modeling.__file__).parent.glob("*.py"))
EXEMPT = {("configuration_picochat.py", "PicochatConfig.__init__")}


def _functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            yield f"{prefix}{node.name}", node.end_lineno - first + 1
            yield from _functions(node, f"{prefix}{node.name}.")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_modeling_module_or_function_is_over_the_limit(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 600, path.name
    long = {name: lines for name, lines in _functions(ast.parse(text)) if lines > 60 and (path.name, name) not in EXEMPT}
    assert not long, long


def test_the_backbone_forward_is_split():
    tree = ast.parse(Path(modeling.modeling_picochat.__file__).read_text(encoding="utf-8"))
    lengths = dict(_functions(tree))
    assert lengths["PicochatModel.forward"] <= 60 and "PicochatModel._positions_and_mask" in lengths
