"""Other options named as facts, contrasts or warnings beside the right letter do not choose them; the same forms said
of the right letter, or claiming another option is right, fail.

"B. A is 48 months." and "B. 48 months is 4 years." state a true fact about option A; "B, a common mistake is to pick A",
"The trap is A", "Beware of A" and "People often pick A" name A as the wrong pick. "B. A is Paris." on a capital-of-France
row still gives A the right answer's text, and "The trap is B." rejects B."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def choice_row(question: str, choices: list[str], key: str) -> tuple[dict, str]:
    prompt = question + "\n\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(choices)) + "\n\nGive only the letter of the right answer."
    return {"id": "w", "skill": "choice", "correct_choice": key, "choices": choices, "max_words": 24, "must_include": [key],
            "messages": [{"role": "user", "content": prompt}]}, prompt


UNITS = choice_row("Convert 3 years to months.", ["48", "36", "24", "30"], "B")
CAPITAL = choice_row("The capital of France is which city?", ["Lima", "Paris", "Oslo", "Rome"], "B")


def failures(reply: str, row: tuple[dict, str] = UNITS) -> list[str]:
    return score_reply(row[0], reply, row[1], CFG)["failures"]


HONEST = [
    "B. A is 48 months.", "B. A is 4 years.", "B; A would be 4 years.", "B, a common mistake is to pick A", "B. A common mistake is picking A.",
    "B. Don't pick A.", "B. Picking A is a common mistake.", "B, since 3 x 12 = 36; A is 4 years.", "B. A is 48 months, which is 4 years.",
    "B. A equals 4 years.", "B, not A: A is 48 months.", "B. A (48) is 4 years.", "B. 48 months is 4 years.", "B. A would be 4 years, C is 2 years.",
    "B. Beware of A: it is 4 years.", "B. Watch out: A is 4 years.", "B. Many people choose A by mistake.",
    "B. People often pick A, but that's 4 years.", "B. Choosing A is the usual error.", "B — a typical error is A.", "B. The trap is A.",
    "B. A is the trap.", "B. The mistake would be A.", "B. If you picked A, you multiplied by 16.", "B. A is 12 more than B.",
    "B. A is too big.", "B. C is 2 years.", "B, because 3 years is 36 months; 48 months is 4 years.", "B. Avoid A.",
    "B. Don't choose A, it's 4 years.", "B; the wrong answer would be A.", "B — watch out for A.", "B. Some pick C by mistake.",
    "B. A common mistake is to pick A or C.", "B. Most people pick B.", "B (36).", "B: 36 months.",
]
WRONG = [
    "The trap is B.", "A common mistake is to pick B.", "The wrong answer is B.", "Picking B is a common mistake.", "B is a common mistake.",
    "B, the usual error.", "B. The mistake would be B.", "Beware of B.", "B, but beware of B.", "A. People often pick B.",
    "A. If you picked B, you're wrong.", "B. A is right.", "B. A (48) is right.", "B. A (48) is the answer.", "B. 48 months is right.",
    "B. A is 36 months.", "B. A is also correct.", "B, but A is right.", "B, a common mistake is to pick A. Just kidding, A.",
]


@pytest.mark.parametrize("reply", HONEST)
def test_other_options_named_as_facts_contrasts_or_warnings_pass(reply):
    assert failures(reply) == [], reply


@pytest.mark.parametrize("reply", WRONG)
def test_the_same_forms_against_the_key_or_for_another_option_fail(reply):
    got = failures(reply)
    assert got and any(f.startswith("choice:") for f in got), (reply, got)


@pytest.mark.parametrize("reply", ["B. A is Paris.", "B. A is Paris, the capital.", "B, but A is correct.", "B. A is also right."])
def test_another_option_given_the_right_answers_text_still_fails(reply):
    assert any(f.startswith("choice:") for f in failures(reply, CAPITAL)), reply


@pytest.mark.parametrize("reply", ["B. A is in Peru.", "B. Lima is the capital of Peru.", "B, a common mistake is to pick D.", "B. The trap is A."])
def test_facts_and_warnings_about_other_cities_pass(reply):
    assert failures(reply, CAPITAL) == [], reply


@pytest.mark.parametrize("reply,why", [("B, a common mistake is to pick A", ""), ("B is a common mistake.", "rejects B"),
                                        ("The trap is B.", "rejects B"), ("A. People often pick B.", "chose A not B")])
def test_the_reason_names_why(reply, why):
    got = failures(reply)
    assert (got == []) if not why else any(why in f for f in got), (reply, got)


OPPOSITE = choice_row('Choose the antonym of "lose".', ["win", "dangerous", "pull", "long"], "A")


@pytest.mark.parametrize("reply", ["A, but C is the antonym.", "A. C is the antonym of lose.", "A, but C is an antonym.", "A. C is the antonym too."])
def test_another_option_called_the_asked_thing_is_chosen_too(reply):
    # a claim the pack's opposites table decides ("C is the antonym of lose") is judged as a claim about C (choice_claims)
    assert any("several letters" in f or "claim about option C" in f or "option C answers" in f for f in failures(reply, OPPOSITE)), reply


@pytest.mark.parametrize("reply", ["A. C is the antonym of push.", "A. Pull is the antonym of push.", "A. C is an antonym of push, not of lose.",
                                   "A. B is dangerous.", "A, the antonym.", "A is the antonym."])
def test_another_option_called_another_words_antonym_passes(reply):
    assert failures(reply, OPPOSITE) == [], reply
