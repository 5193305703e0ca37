"""The package's YAML reader: libyaml where PyYAML has it, a parse remembered per text, a fresh copy per caller."""

from __future__ import annotations

import pytest
import yaml

from picochat_hf.eval.scoring import load_scoring_config
from picochat_hf.utils.yaml_text import compose_yaml_text, load_yaml_text

TEXT = "a: [1, 2]\nb:\n  c: x\n"


def test_same_values_as_safe_load_and_a_fresh_copy_for_every_caller():
    first = load_yaml_text(TEXT)
    assert first == yaml.safe_load(TEXT) == {"a": [1, 2], "b": {"c": "x"}}
    first["a"].append(3)
    first["b"]["c"] = "edited"
    assert load_yaml_text(TEXT) == {"a": [1, 2], "b": {"c": "x"}}  # the remembered parse is not the caller's object


def test_malformed_text_raises_with_its_line_every_time():
    for _ in range(2):  # a failed parse is not remembered as a result
        with pytest.raises(yaml.YAMLError) as info:
            load_yaml_text("a: 1\nb: [2, 3\nc: 4\n")
        assert info.value.problem_mark.line >= 1


def test_composed_nodes_keep_their_lines():
    node = compose_yaml_text("a: 1\nb: 2\nb: 3\n")
    assert [(k.value, k.start_mark.line + 1) for k, _ in node.value] == [("a", 1), ("b", 2), ("b", 3)]


def test_a_scoring_config_edited_by_one_caller_is_not_what_the_next_reads():
    config = load_scoring_config()
    phrases = list(config.refusal_phrases)
    assert phrases
    for value in vars(config).values():
        if isinstance(value, list):
            value.append("planted-word")
    again = load_scoring_config()
    assert again.refusal_phrases == phrases
    assert all("planted-word" not in v for v in vars(again).values() if isinstance(v, list))
