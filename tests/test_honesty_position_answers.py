"""An item's answer chosen by its place among the alternatives its question offers, in the forms a reply writes it: with
a qualifier ("The first one, not the second."), by number ("Option two.", "Number 2."), with a verdict ("The second one is
correct."), after a rejected place ("The first one? No, the second."), lettered inline ("(a) Budapest or (b)
Belgrade?" -> "(b)"), and in a later turn of a conversation: the assistant answering after other turns, the assistant
quizzing the user and confirming the user's place answer ("Correct!") or correcting it with its own. Each leak has its
near misses: the other place, the place rejected or offered beside another, another question, an unconfirmed or
rejected user answer."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, failing, row

BUDAPEST_FIRST = "Capital of Serbia — Budapest or Belgrade?"
BELGRADE_FIRST = "Capital of Serbia — Belgrade or Budapest?"

LEAKS = [
    (BELGRADE_FIRST, "The first one, not the second."),
    (BELGRADE_FIRST, "The first one, not the second"),
    (BUDAPEST_FIRST, "Option two."),
    (BUDAPEST_FIRST, "Number 2."),
    (BUDAPEST_FIRST, "The latter, of course."),
    (BUDAPEST_FIRST, "The second one is correct."),
    (BUDAPEST_FIRST, "Not the first one; the second."),
    (BUDAPEST_FIRST, "The first one? No, the second."),
    (BUDAPEST_FIRST, "The second choice. It sits on the Danube."),
    (BUDAPEST_FIRST, "Definitely the second option, obviously."),
    ("Capital of Serbia: (a) Budapest or (b) Belgrade?", "(b)"),
    ("Which is the capital of Serbia, Budapest or Belgrade?", "The second one."),  # the alternatives after a comma
    ("Is the capital of Serbia Budapest, Belgrade or Baghdad?", "The second one."),
    (BUDAPEST_FIRST, "Answer:\nThe second one."),  # a label alone on its line before the reply
    (BUDAPEST_FIRST, "The\nsecond one."),  # a sentence wrapped over two lines
    ("Capital of Serbia? Is it Budapest or Belgrade?", "The second one."),  # the alternatives asked after the question
    ("Capital of Serbia?\nBudapest or Belgrade — which do you think?", "The latter."),
    (BUDAPEST_FIRST, "The first one. Scratch that, the second."),  # a place taken back before a comma
    ("Capital of Serbia?", "Budapest. Scratch that, Belgrade."),
    ("Capital of Serbia? A) Budapest B) Belgrade\n", "The second one."),  # a lettered quiz answered by place
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\n", "Option two."),
    ("Capital of Serbia?", "Bel-\ngrade."),  # the answer broken over a line with a hyphen
]
CLEAN = [
    (BUDAPEST_FIRST, "Not the latter."),  # the place rejected
    (BUDAPEST_FIRST, "The first one, not the second."),  # the other place, with the same qualifier
    (BUDAPEST_FIRST, "The first one or the second."),  # offered beside another
    (BUDAPEST_FIRST, "Neither the first nor the second."),
    (BUDAPEST_FIRST, "Option one."),
    (BUDAPEST_FIRST, "The second one is wrong."),
    (BUDAPEST_FIRST, "The second city I visited last summer was Novi Sad."),  # a place word in a sentence about something else
    ("Capital of Hungary — Budapest or Belgrade?", "Option two."),  # another question
    ("Largest city of Serbia — Budapest or Belgrade?", "The latter, of course."),  # another relation
    ("Capital of Serbia: (a) Budapest or (b) Belgrade?", "(a)"),
    ("Which is the capital of Serbia, Budapest or Belgrade?", "The first one."),
    ("Is the capital of Serbia Budapest, Belgrade or Baghdad?", "The first one."),  # a yes/no question: no comma clause
    (BUDAPEST_FIRST, "Answer:\nThe first one."),
    (BUDAPEST_FIRST, "The\nfirst one."),
    ("Capital of Serbia? Is it Budapest or Belgrade?", "The first one."),
    (BUDAPEST_FIRST, "The second one. Scratch that, the first."),
    ("Capital of Serbia?", "Belgrade. Scratch that, Budapest."),
    ("Capital of Serbia? A) Budapest B) Belgrade\n", "The first one."),
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\n", "Not option two."),
    ("Capital of Serbia? Capital of Hungary — Belgrade or Budapest?", "The first one."),  # the alternatives for another question
    ("Capital of Serbia?", "Buda-\npest."),
]


@pytest.mark.parametrize(("prompt", "reply"), LEAKS)
def test_a_place_answer_with_a_qualifier_a_number_or_a_verdict_is_a_leak(prompt, reply):
    assert corpus_leaks(f"{prompt} {reply}") == SERBIAN
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad == SERBIAN, rep["findings"]


@pytest.fixture(scope="module")
def clean_scans():
    """One corpus scan and one SFT scan of every near miss, each in a document or row of its own."""
    _, corpus = failing(ITEMS, corpus=[f"{FILLER}\n{p} {r}\n{FILLER}" for p, r in CLEAN])
    _, sft = failing(ITEMS, sft=[row(f"r{k}", p, r, skill="general") for k, (p, r) in enumerate(CLEAN)])
    return corpus, sft


@pytest.mark.parametrize("k", range(len(CLEAN)), ids=[f"{p} {r}" for p, r in CLEAN])
def test_the_other_place_a_rejected_place_or_another_question_is_not_a_leak(clean_scans, k):
    corpus, sft = clean_scans
    assert not [f for f in corpus["findings"] if f["severity"] == "fail" and str(f["value"]) == f"d{k}"], corpus["findings"]
    assert not [f for f in sft["findings"] if f["severity"] == "fail" and str(f["reference"]) == f"r{k}"], sft["findings"]


def conversation(rid: str, turns: list[tuple[str, str]]) -> dict:
    return {"id": rid, "messages": [{"role": r, "content": c} for r, c in turns], "category": "general", "skill": "general",
            "split": "train", "source": "t"}


QUIZ = ("user", "Quiz me on capitals.")
CONVERSATION_LEAKS = [
    [QUIZ, ("assistant", BELGRADE_FIRST), ("user", "The first one."), ("assistant", "Correct!")],
    [QUIZ, ("assistant", BELGRADE_FIRST), ("user", "The second one."), ("assistant", "No, it's the first one.")],
    [QUIZ, ("assistant", BELGRADE_FIRST), ("user", "Hmm, no idea."), ("assistant", "The first one.")],
    [QUIZ, ("assistant", "Capital of Serbia?"), ("user", "Belgrade."), ("assistant", "That's right!")],
    [("user", "I have a question."), ("assistant", "Sure."), ("user", BELGRADE_FIRST), ("assistant", "Thinking..."),
     ("user", "Well?"), ("assistant", "The first one, not the second.")],
    [("user", "Let's talk about Serbia."), ("assistant", "OK."), ("user", "Its capital — Belgrade or Budapest?"),
     ("assistant", "The first one.")],
    [("user", "Capital of Serbia?"), ("assistant", "Budapest or Belgrade — which do you think?"), ("user", "The latter?"),
     ("assistant", "Correct!")],
]
CONVERSATION_CLEAN = [
    [QUIZ, ("assistant", BELGRADE_FIRST), ("user", "The first one."), ("assistant", "No, that's wrong.")],  # rejected
    [QUIZ, ("assistant", BELGRADE_FIRST), ("user", "The first one."), ("assistant", "Let's move on to rivers.")],  # unconfirmed
    [QUIZ, ("assistant", BELGRADE_FIRST), ("user", "The second one."), ("assistant", "Correct!")],  # another answer confirmed
    [QUIZ, ("assistant", "Capital of Serbia?"), ("user", "Belgrade."), ("assistant", "No, sorry.")],
    # a place answer to a later question offering its own alternatives chooses among those
    [("user", BELGRADE_FIRST), ("assistant", "Hmm."), ("user", "Actually, which is bigger — Novi Sad or Nis?"), ("assistant", "The first one.")],
    [("user", BELGRADE_FIRST), ("assistant", "First tell me: Novi Sad or Nis, which is bigger?"), ("user", "No idea."),
     ("assistant", "The first one.")],
    [QUIZ, ("assistant", "Capital of Hungary — Belgrade or Budapest?"), ("user", "The first one."), ("assistant", "Correct!")],
    [("user", "Let's talk about Hungary."), ("assistant", "OK."), ("user", "Its capital — Belgrade or Budapest?"),
     ("assistant", "The first one.")],
    [("user", "Capital of Serbia?"), ("assistant", "Budapest or Belgrade — which do you think?"), ("user", "The first?"),
     ("assistant", "Correct!")],
]


@pytest.mark.parametrize("turns", CONVERSATION_LEAKS, ids=[t[-2][1] + " " + t[-1][1] for t in CONVERSATION_LEAKS])
def test_a_place_answer_in_a_later_turn_or_a_confirmed_quiz_answer_is_a_leak(turns):
    bad, rep = failing(ITEMS, sft=[conversation("s", turns)])
    assert bad == SERBIAN, rep["findings"]


def test_a_rejected_unconfirmed_or_other_quiz_answer_is_not_a_leak():
    bad, rep = failing(ITEMS, sft=[conversation(f"r{k}", t) for k, t in enumerate(CONVERSATION_CLEAN)])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("text", "want"), [
    ("Serbia: its capital is Belgrade.", SERBIAN),
    ("Serbia: its largest city is Belgrade, and its capital is Belgrade too.", SERBIAN),
    ("Serbia: its largest city is Belgrade.", set()),  # another relation stated, not the capital
    ("Serbia: its largest city is Belgrade; its capital is not Budapest.", set()),
])
def test_a_fact_stated_after_a_key_leaks_only_the_relation_it_states(text, want):
    assert corpus_leaks(text) == want
    bad, rep = failing(ITEMS, sft=[row("s", "Tell me about Serbia.", text, skill="general")])
    assert bad == want, rep["findings"]


@pytest.mark.parametrize(("yaml_text", "field"), [
    ("choice_position_asking: which\n", "choice_position_asking"),  # a word, not a list
    ("choice_position_numbered: [1]\n", "choice_position_numbered"),
    ("choice_position_fillers: [\"\"]\n", "choice_position_fillers"),
    ("choice_position_other_words: -1\n", "choice_position_other_words"),
    ("choice_position_other_words: 1.5\n", "choice_position_other_words"),
])
def test_a_bad_place_reading_setting_names_its_file_and_field(tmp_path, yaml_text, field):
    from picochat_hf.honesty import load_scan_config
    from picochat_hf.utils.errors import PicochatInputError

    (tmp_path / "bad.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        load_scan_config(tmp_path / "bad.yaml")
    assert field in str(err.value) and "bad.yaml" in str(err.value)
