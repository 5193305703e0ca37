"""`decline_forms.yaml`, `decline_reasons.yaml`, `decline_acts.yaml` and `identity_negated.yaml` are checked when read: a missing or empty list, or a bad number, is an
input error naming the file and the field."""

from __future__ import annotations

import pytest

from picochat_hf.eval import decline_acts, decline_forms, decline_reasons, identity_negated
from picochat_hf.utils.errors import PicochatInputError


def test_the_shipped_tables_load():
    assert "paste" in decline_forms.forms().pastes and decline_forms.forms().list_item_max_words >= 1
    assert "nothing" in identity_negated._table().words["none_words"]
    assert "predict" in decline_acts.acts().kind_acts["future"] and decline_acts.acts().act_nouns["predictions"] == "predict"


@pytest.mark.parametrize("module,attr,loader,text,field", [
    (decline_forms, "FORMS_YAML", "forms", "pastes: []\n", "paste_openers"),
    (decline_forms, "FORMS_YAML", "forms", decline_forms.FORMS_YAML.read_text(encoding="utf-8").replace(
        "list_item_max_words: 4", "list_item_max_words: zero"), "list_item_max_words"),
    (identity_negated, "NEGATED_YAML", "_table", "none_words: [nothing]\n", "self_negations"),
    (decline_forms, "FORMS_YAML", "forms", decline_forms.FORMS_YAML.read_text(encoding="utf-8").replace(
        "limit_window: 3", "limit_window: 0"), "limit_window"),
    (decline_forms, "FORMS_YAML", "forms", decline_forms.FORMS_YAML.read_text(encoding="utf-8").replace(
        "offer_actions: [", "offer_actions_old: ["), "offer_actions"),
    (decline_reasons, "REASONS_YAML", "_tables", decline_reasons.REASONS_YAML.read_text(encoding="utf-8").replace(
        "unfits: [device,", "unfits: [gadgets,"), "kinds.credential.unfits"),
    (decline_reasons, "REASONS_YAML", "_tables", decline_reasons.REASONS_YAML.read_text(encoding="utf-8").replace(
        "explained: [lacking, skill]", "explained: [lacking, skills]"), "explained"),
    (decline_acts, "ACTS_YAML", "acts", decline_acts.ACTS_YAML.read_text(encoding="utf-8").replace(
        "sense_acts: [", "sense_acts_old: ["), "sense_acts"),
    (decline_acts, "ACTS_YAML", "acts", decline_acts.ACTS_YAML.read_text(encoding="utf-8").replace(
        "kind_acts:\n", "kind_acts: [read]\nkind_acts_old:\n"), "kind_acts"),
    (decline_acts, "ACTS_YAML", "acts", decline_acts.ACTS_YAML.read_text(encoding="utf-8").replace(
        "act_nouns: {", "act_nouns_old: {"), "act_nouns"),
])
def test_a_bad_table_names_its_file_and_field(tmp_path, monkeypatch, module, attr, loader, text, field):
    bad = tmp_path / getattr(module, attr).name
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(module, attr, bad)
    getattr(module, loader).cache_clear()
    try:
        with pytest.raises(PicochatInputError) as err:
            getattr(module, loader)()
        assert err.value.field == field and bad.name in str(err.value), (err.value.field, str(err.value))
    finally:
        monkeypatch.undo()
        getattr(module, loader).cache_clear()
