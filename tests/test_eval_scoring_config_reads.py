"""`load_scoring_config` parses and checks each YAML text once per process, and still hands every caller a config of
its own: a list changed in place on one config is not seen by the next load, an edited file is read again, and a bad
file is refused on every load, not only the first."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config
from picochat_hf.utils.errors import PicochatInputError


def test_two_loads_are_equal_and_share_no_list():
    first, second = load_scoring_config(), load_scoring_config()
    assert first == second
    first.refusal_phrases.append("a phrase only the first config has")
    assert "a phrase only the first config has" not in second.refusal_phrases
    assert "a phrase only the first config has" not in load_scoring_config().refusal_phrases


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "scoring.yaml"
    path.write_text("refusal_phrases: [no way]\n", encoding="utf-8")
    assert load_scoring_config(path).refusal_phrases == ["no way"]
    path.write_text("refusal_phrases: [not today]\n", encoding="utf-8")
    assert load_scoring_config(path).refusal_phrases == ["not today"]
    assert load_scoring_config().refusal_phrases != ["not today"]  # the shipped file's value is untouched


@pytest.mark.parametrize("text, field", [("refusal_phrases: [a]\nrefusal_phrases: [b]\n", "refusal_phrases"),
                                         ("no_such_setting: [a]\n", "no_such_setting")])
def test_a_bad_file_is_refused_on_every_load(tmp_path, text, field):
    path = tmp_path / "scoring.yaml"
    path.write_text(text, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PicochatInputError) as err:
            load_scoring_config(path)
        assert err.value.field == field
