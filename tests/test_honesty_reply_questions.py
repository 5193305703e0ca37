"""A question a reply asks of its own names no answer: "Capital of Serbia?" answered "I don't know. Which river flows
through Belgrade?" is clean; a guess asked back ("Is it Belgrade?", "Belgrade? I think so.") or an answer with a tag
question ("Belgrade, isn't it?") still gives the answer."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN
from test_honesty_leaks import failing, row

ASKED = "Capital of Serbia?"
LEAKS = [
    "Is it Belgrade?",  # a guess asked back
    "Is the answer Belgrade?",
    "Belgrade? I think so.",
    "What else could it be? Belgrade.",  # a question before the answer
    "Belgrade. Which river flows through it?",  # the answer, then a question of its own
]
CLEAN = [
    "I don't know. Which river flows through Belgrade?",
    "Which river flows through Belgrade?",
    "Why do you ask about Belgrade?",
    "How big is Belgrade?",
    "Does Belgrade have a zoo?",
    "No idea. Have you been to Belgrade?",
]


@pytest.mark.parametrize("reply", LEAKS)
def test_a_guess_asked_back_or_an_answer_beside_a_question_is_a_leak(reply):
    bad, rep = failing(ITEMS, sft=[row("s", ASKED, reply, skill="general")])
    assert bad == SERBIAN, rep["findings"]


@pytest.mark.parametrize("reply", CLEAN)
def test_the_answer_word_inside_a_question_of_the_reply_own_is_not_a_leak(reply):
    bad, rep = failing(ITEMS, sft=[row("s", ASKED, reply, skill="general")])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("yaml_text", "field"), [
    ("reply_question_openers: which\n", "reply_question_openers"),  # a word, not a list
    ("reply_question_tentative: [\"\"]\n", "reply_question_tentative"),
])
def test_a_bad_reply_question_setting_names_its_file_and_field(tmp_path, yaml_text, field):
    from picochat_hf.honesty import load_scan_config
    from picochat_hf.utils.errors import PicochatInputError

    (tmp_path / "bad.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        load_scan_config(tmp_path / "bad.yaml")
    assert field in str(err.value) and "bad.yaml" in str(err.value)


@pytest.mark.parametrize(("reply", "want"), [
    ("Hmm. Belgrade, isn't it?", SERBIAN),  # a tag asking to confirm the answer before it
    ("Belgrade, right?", SERBIAN),
    ("It is Belgrade, don't you think?", SERBIAN),
    ("Budapest, isn't it?", set()),  # another answer tagged
    ("Belgrade isn't it.", set()),  # no tag: the answer rejected
    ("Not Belgrade, right?", set()),
])
def test_an_answer_with_a_tag_question_is_named(reply, want):
    from test_honesty_far_answers import corpus_leaks

    bad, rep = failing(ITEMS, sft=[row("s", ASKED, reply, skill="general")])
    assert bad == want, rep["findings"]
    assert corpus_leaks(f"{ASKED} {reply}") == want
