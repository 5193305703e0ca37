"""YAML nested tens of thousands of collections deep (`a: [[[[...]]]]`) crashed the process with a segmentation fault
in libyaml's composer (the pure-Python parser raised RecursionError): no error line, no exit 2. It is refused before
anything composes it, naming the file and line; ordinary nesting reads as before."""

from __future__ import annotations

import pytest
import yaml

from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import read_yaml_mapping
from picochat_hf.utils.yaml_text import MAX_DEPTH, compose_yaml_text, load_yaml_text


@pytest.mark.parametrize("deep", ["[" * 50_000 + "]" * 50_000, "{a: " * 50_000 + "1" + "}" * 50_000,
                                  "\n" + "".join(" " * k + f"k{k}:\n" for k in range(0, 2 * (MAX_DEPTH + 5), 2)) + " " * 999 + "x"],
                         ids=["flow_lists", "flow_maps", "block_maps"])
def test_yaml_nested_too_deeply_is_refused_not_crashed_on(tmp_path, deep):
    path = tmp_path / "mixture.yaml"
    path.write_text("name: x\nitems: " + deep + "\n", encoding="utf-8")
    # libyaml 0.2.5 and later stop a flow collection 1,000 levels deep in the scanner ("exceeded maximum nesting
    # depth"), before the depth walk sees level 101; either way the text is refused in one line, never crashed on
    with pytest.raises(PicochatInputError, match="nested more than|exceeded maximum nesting depth") as err:
        read_yaml_mapping(path)
    assert err.value.path == str(path) and isinstance(err.value.line, int)
    with pytest.raises(yaml.YAMLError):
        compose_yaml_text(path.read_text())


def test_nesting_up_to_the_limit_reads():
    text = "a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)
    value = load_yaml_text(text)["a"]
    for _ in range(MAX_DEPTH - 2):
        value = value[0]
    assert value == [1]
