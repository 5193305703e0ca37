"""The model's code is split by what each part does (norm, RoPE, attention, block, backbone and head), and an
exported folder carries every file the model imports, so it loads with `trust_remote_code` where picochat_hf is
not installed (tests/test_export_remote_code.py loads one that way)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import picochat_hf.modeling as modeling
from picochat_hf.modeling import modeling_picochat

from helpers_model import tiny_model

HERE = Path(modeling.__file__).parent


def relative_imports(name: str) -> set[str]:
    """The sibling files `name` imports with `from .x import`, followed from file to file, `name` included."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for node in ast.walk(ast.parse((HERE / current).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                todo.append(f"{node.module}.py")
    return seen


def test_the_parts_live_in_their_own_files_and_keep_their_old_import_path():
    needed = relative_imports("modeling_picochat.py")
    assert {"norm.py", "rotary.py", "attention.py", "decoder_layer.py"} <= needed
    for name in ("PicochatAttention", "PicochatMLP", "PicochatDecoderLayer", "PicochatRMSNorm", "PicochatRotaryEmbedding",
                 "rms_norm", "apply_rotary", "rotate_half", "repeat_kv", "eager_attention_forward", "INIT_ROLE_ATTR"):
        assert hasattr(modeling_picochat, name), name


def test_save_pretrained_copies_every_module_the_model_imports(tmp_path):
    model = tiny_model(seed=3)
    model.save_pretrained(tmp_path)
    shipped = {p.name for p in tmp_path.glob("*.py")}
    assert relative_imports("modeling_picochat.py") <= shipped
    assert json.loads((tmp_path / "config.json").read_text())["auto_map"]["AutoModelForCausalLM"] == \
        "modeling_picochat.PicochatForCausalLM"
