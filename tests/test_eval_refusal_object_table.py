"""`decline_objects.yaml` is checked when read: an object group without a known kind or without phrases, or a missing
list, is an input error naming the file and the field; the shipped table covers every refusal template's object."""

from __future__ import annotations

import pytest

from picochat_hf.data.skills.behavior import DOCUMENT, FUTURE, PRIVATE, UNSEEN
from picochat_hf.eval import decline_objects
from picochat_hf.utils.errors import PicochatInputError

SHIPPED = decline_objects.OBJECTS_YAML.read_text(encoding="utf-8")


@pytest.mark.parametrize("pool", [PRIVATE, FUTURE, DOCUMENT])
def test_every_private_future_and_document_template_object_has_a_group(pool):
    for split in ("train", "eval"):
        for thing in pool[split]:
            assert decline_objects.asked_groups(f"Tell me {thing}."), thing


def test_the_eval_unseen_objects_have_groups():
    for thing in UNSEEN["eval"]:
        assert decline_objects.asked_groups(f"Tell me {thing}."), thing


def test_template_wrappers_ask_about_no_object():
    for wrapper in ["Small test: A colleague asked me to check.", "Closed-book check: Here is a simple one. Keep it to one line.",
                    "Before we start, I am testing a few things. Answer briefly.", "Here is my first question. Thank you."]:
        assert not decline_objects.asked_groups(wrapper), wrapper


@pytest.mark.parametrize("text,field", [
    (SHIPPED.replace("    kind: future\n    asked: [lottery]", "    kind: fortune\n    asked: [lottery]"), "objects.lottery.kind"),
    (SHIPPED.replace("    asked: [diary]\n", "    asked: []\n"), "objects.diary.asked"),
    (SHIPPED.replace("possessor_words: [", "possessor_words_old: ["), "possessor_words"),
    (SHIPPED.replace("general:\n", "general_old:\n"), "general"),
    (SHIPPED.replace("relations:\n", "relations: sister\nrelations_old:\n"), "relations"),
])
def test_a_bad_table_names_its_file_and_field(tmp_path, monkeypatch, text, field):
    bad = tmp_path / decline_objects.OBJECTS_YAML.name
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(decline_objects, "OBJECTS_YAML", bad)
    decline_objects.objects.cache_clear()
    try:
        with pytest.raises(PicochatInputError) as err:
            decline_objects.objects()
        assert err.value.field == field and "decline_objects.yaml" in str(err.value)
    finally:
        decline_objects.objects.cache_clear()
