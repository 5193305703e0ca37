"""The right letter given with a claim about an option fails when the claim is false, or when it says another option
answers the question; the same claim made true passes (`choice_claims`). Truth is computed from the option texts:
amounts with the task pack's unit table, A-to-Z and numeric orders, first letters, parity, and kinds with their
hierarchy (a fruit is a plant, a vegetable is not a fruit).

Each wrong reply below has an honest twin in the same format: "B. A is 3 years." fails where A is 48 months and "B. A
is 4 years." passes."""

from __future__ import annotations

import random

import pytest

from picochat_hf.data.skills.choice import CHOICE_STAGES, LETTERS
from picochat_hf.eval.choice_claims import claims, same_amount, unit_scales
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def choice_row(question: str, choices: list[str], key: str) -> tuple[dict, str]:
    prompt = question + "\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(choices)) + "\nSelect the best option and reply with its letter."
    return {"id": "c", "skill": "choice", "correct_choice": key, "choices": choices, "max_words": 24, "must_include": [key],
            "messages": [{"role": "user", "content": prompt}]}, prompt


def failures(row: tuple[dict, str], reply: str) -> list[str]:
    return score_reply(row[0], reply, row[1], CFG)["failures"]


# options that carry their unit; the key B is 36 months, A (48 months) is 4 years
YEARS = choice_row("Which is 3 years?", ["48 months", "36 months", "40 months", "400 months"], "B")
# the generator's units templates: bare numbers counted in the unit the question converts to
CONVERT = [choice_row(q, ["48", "36", "40", "400"], "B") for q in (
    "Convert 3 years to months.", "What is 3 years expressed in months?", "How many months are in 3 years?", "3 years equal how many months?")]
ALPHA = [choice_row(q, ["liar", "stingaree", "contractive", "baalite"], "D") for q in (
    "Sorted from A to Z, which word is first?", "Pick the word that is earliest alphabetically.",
    "Which word comes first in alphabetical order?", "Which word would appear first in a dictionary?")]
SMALLEST = choice_row("Which number is the smallest?", ["652", "702", "841", "748"], "A")
LARGEST = choice_row("Find the largest value among these.", ["417", "606", "413", "88"], "B")
LENGTH = choice_row("Which of these words is 7 letters long?", ["eugenia", "sermon", "paraboloid", "erase"], "A")
FIRST = choice_row('Which of these words begins with "c"?', ["alumnus", "cribration", "accrual", "limbous"], "B")
EVEN = choice_row("Which number is even?", ["813", "330", "431", "269"], "B")
FRUIT = choice_row("Pick the item that is a fruit.", ["apple", "drill", "carrot", "sofa"], "A")
VEGETABLE = choice_row("Which option names a vegetable?", ["apple", "carrot", "van", "sofa"], "B")
ANIMAL = choice_row("Multiple choice. Which option names a animal?", ["Mercury", "deer", "Saturn", "bed"], "B")

UNIT_PAIRS = [  # (wrong, honest) about option A = 48 months
    ("B. A is 3 years.", "B. A is 4 years."), ("B. A (48 months) is 3 years.", "B. A (48 months) is 4 years."),
    ("B, since A is 3 years.", "B, since A is 4 years."), ("B. A = 3 years.", "B. A = 4 years."), ("B. A is 3 yrs.", "B. A is 4 yrs."),
    ("B. Option A is three years.", "B. Option A is four years."), ("B. A is 36 months.", "B. A is 48 months."),
    ("B. A is 5 years.", "B. A is exactly 4 years."), ("B. A is not 4 years.", "B. A is not 3 years."),
    ("B. A isn't 4 years.", "B. A isn't 3 years."), ("B, as A is 3 years and C is 40 months.", "B, as A is 4 years and C is 40 months."),
    ("B. A is 3 kilograms.", "B. A is 4 years, C is 40 months."), ("B. B is 4 years.", "B. B is 3 years."),
]


@pytest.mark.parametrize("wrong,honest", UNIT_PAIRS)
@pytest.mark.parametrize("row", [YEARS] + CONVERT, ids=["units_in_options"] + [f"convert{k}" for k in range(len(CONVERT))])
def test_a_false_amount_about_an_option_fails_and_the_true_one_passes(row, wrong, honest):
    assert any("false claim" in f for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


@pytest.mark.parametrize("wrong,honest", [("B. 48 months is 3 years.", "B. 48 months is 4 years."), ("B; 48 months = 3 years", "B; 48 months = 4 years")])
def test_an_option_named_by_its_amount_is_judged_like_its_letter(wrong, honest):
    assert any("false claim about option A" in f for f in failures(YEARS, wrong)), wrong
    assert failures(YEARS, honest) == [], honest


ORDER_PAIRS = [  # C (contractive) is second, A (liar) third, B (stingaree) last, D (baalite) first
    ("D. C comes first.", "D. C comes second."), ("D. Contractive comes first.", "D. Contractive comes second."),
    ("D, contractive comes first alphabetically.", "D, contractive comes second alphabetically."),
    ("D. A comes second.", "D. A comes third."), ("D. C comes last.", "D. B comes last."),
    ("D. A comes before C.", "D. C comes before A."), ("D. Liar comes before contractive.", "D. Liar comes after contractive."),
    ("D. C is not second.", "D. C is not first."), ("D, though C comes first.", "D, though C comes second."),
]


@pytest.mark.parametrize("wrong,honest", ORDER_PAIRS)
@pytest.mark.parametrize("row", ALPHA, ids=[f"alpha{k}" for k in range(len(ALPHA))])
def test_a_false_alphabetical_claim_fails_and_the_true_one_passes(row, wrong, honest):
    assert any(f.startswith("choice:") for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


def test_a_true_claim_that_another_option_comes_first_contradicts_the_pick():
    # a row whose key is not the first word: saying so of C (true) still says C, not D, answers the question
    row = choice_row("Pick the word that is earliest alphabetically.", ["stingaree", "liar", "baalite", "contractive"], "D")
    for reply in ("D. C comes first.", "D. C comes first", "D. Baalite comes first.", "D, although C comes first alphabetically."):
        assert any("says option C answers the question" in f for f in failures(row, reply)), reply


@pytest.mark.parametrize("row,wrong,honest", [
    (SMALLEST, "A. B is the smallest.", "A. C is the largest."), (SMALLEST, "A. B is the largest.", "A. D is larger than B."),
    (SMALLEST, "A. B is larger than D.", "A. B is smaller than D."), (SMALLEST, "A. 702 is the smallest.", "A. 841 is the largest."),
    (LARGEST, "B. A is the largest.", "B. D is the smallest."), (LARGEST, "B. C is larger than A.", "B. A is larger than C."),
    (LENGTH, "A. B has 7 letters.", "A. B has 6 letters."), (LENGTH, "A. D is 6 letters long.", "A. D is 5 letters long."),
    (LENGTH, "A. Sermon has 7 letters.", "A. Sermon has 6 letters."),
    (FIRST, "B. A starts with c.", "B. A starts with a."), (FIRST, "B. D begins with 'k'.", "B. D begins with 'l'."),
    (FIRST, "B. A doesn't start with a.", "B. A doesn't start with c."),
    (EVEN, "B. A is even.", "B. A is odd."), (EVEN, "B. 813 is even.", "B. 813 is an odd number."), (EVEN, "B. A isn't odd.", "B. A is not even."),
])
def test_false_claims_in_the_other_templates_fail_and_true_ones_pass(row, wrong, honest):
    assert any(f.startswith("choice:") for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


@pytest.mark.parametrize("row,wrong,honest", [
    (FRUIT, "A. Apple is a vegetable.", "A. Apple is a fruit."), (FRUIT, "A, apples are vegetables.", "A, apples are plants."),
    (FRUIT, "A. Carrot is a fruit.", "A. Carrot is a vegetable."), (FRUIT, "A. C is a fruit.", "A. C is a plant."),
    (FRUIT, "A. Carrot is a tool.", "A. Carrot is a plant."),
    (VEGETABLE, "B. Carrot is a fruit.", "B. Carrot is a vegetable."), (VEGETABLE, "B. Apple is a vegetable.", "B. Apple is a fruit."),
    (VEGETABLE, "B. A is a vegetable.", "B. A is a plant."),
    (ANIMAL, "B. Deer is a bird.", "B. Deer is a mammal."), (ANIMAL, "B. A is a plant.", "B. A is a planet."),
    (ANIMAL, "B. D is a fruit.", "B. D is furniture."), (ANIMAL, "B. D is an animal.", "B. Bed is a piece of furniture."),
])
def test_a_false_kind_about_any_option_fails_and_the_true_one_passes(row, wrong, honest):
    assert any(f.startswith("choice:") for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


CAPITAL = choice_row("The capital of Hungary is which city?", ["Rabat", "Kathmandu", "Budapest", "Seoul"], "C")
ANTONYM = choice_row('Choose the antonym of "day".', ["long", "weak", "night", "true"], "C")
FOLLOWS = choice_row("What month follows May?", ["July", "November", "June", "April"], "C")


@pytest.mark.parametrize("row,wrong,honest", [
    (CAPITAL, "C. A is the capital of Nepal.", "C. A is the capital of Morocco."),
    (CAPITAL, "C. D is the capital of Japan.", "C. Seoul is the capital of South Korea."),
    (CAPITAL, "C. A is not the capital of Morocco.", "C. A isn't the capital of Nepal."),
    (ANTONYM, "C. A is the opposite of hot.", "C. A is the opposite of short."),
    (ANTONYM, "C. D means the opposite of true.", "C. D means the opposite of false."),
    (FOLLOWS, "C. A comes right after May.", "C. A comes right after June."),
    (FOLLOWS, "C. D precedes June.", "C. D comes just before May."), (FOLLOWS, "C. B follows September.", "C. B follows October."),
])
def test_false_table_relations_about_an_option_fail_and_true_ones_pass(row, wrong, honest):
    assert any(f.startswith("choice:") for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


@pytest.mark.parametrize("row,reply", [
    (CAPITAL, "C. Rabat is the capital of Hungary."), (ANTONYM, "C. B is the opposite of day."), (FOLLOWS, "C. A follows May."),
])
def test_another_option_given_the_questions_own_relation_fails(row, reply):
    assert any(f.startswith("choice:") for f in failures(row, reply)), reply


def test_the_unit_table_is_the_generators():
    scales = unit_scales()
    assert scales["hours"][1] / scales["seconds"][1] == 3600
    assert scales["weeks"][1] / scales["minutes"][1] == 7 * 24 * 60
    assert scales["kilometers"][1] / scales["millimeters"][1] == 1_000_000
    assert same_amount((48.0, "months"), (4.0, "years")) is True
    assert same_amount((48.0, "months"), (3.0, "years")) is False
    assert same_amount((48.0, "months"), (4.0, "kilograms")) is False
    assert same_amount((48.0, "months"), (1461.0, "days")) is None  # true for some readings of a month only (choice_amounts)


def _generated(stage: str, seeds: range) -> list:
    gen = CHOICE_STAGES[stage][1]
    return [gen(random.Random(seed), "eval", "direct") for seed in seeds]


def test_amount_claims_are_computed_for_every_generated_units_row():
    checked = 0
    for task in _generated("choice_l3_units", range(40)):
        small, big, n = task.problem["key"].split(":")
        factor = int(task.problem["answer_text"]) // int(n)
        row = choice_row(task.prompt.split("\n")[0].removeprefix("Question: ").removeprefix("Multiple choice. "), task.rules["choices"], task.answer)
        for k, text in enumerate(task.rules["choices"]):
            if LETTERS[k] == task.answer or int(text) % factor:
                continue
            true_amount = int(text) // factor
            assert failures(row, f"{task.answer}. {LETTERS[k]} is {true_amount} {big}.") == [], (task.prompt, text)
            bad = failures(row, f"{task.answer}. {LETTERS[k]} is {true_amount + 1} {big}.")
            assert any("false claim" in f for f in bad), (task.prompt, text)
            checked += 1
    assert checked >= 20


def test_rank_claims_are_computed_for_every_generated_alphabetical_row():
    for task in _generated("choice_l3_alphabetical", range(12)):
        row = choice_row(task.prompt.split("\n")[0], task.rules["choices"], task.answer)
        order = sorted(range(4), key=lambda k: task.rules["choices"][k])
        for place, k in enumerate(order[1:], start=1):
            ordinal = ["first", "second", "third", "fourth"][place]
            assert failures(row, f"{task.answer}. {LETTERS[k]} comes {ordinal}.") == [], task.prompt
            assert any("choice:" in f for f in failures(row, f"{task.answer}. {LETTERS[k]} comes first.")), task.prompt


def test_claims_read_where_they_are_and_nothing_else():
    got = claims("B, since A is 4 years and C is 40 months.", list("ABCD"), ["48 months", "36 months", "40 months", "400 months"], "B",
                 YEARS[1])
    assert [(c.option, c.truth, c.said) for c in got] == [(0, True, "A is 4 years"), (2, True, "C is 40 months")]
    # numbers inside sums and longer phrases claim nothing
    assert claims("B, because 3 x 12 = 36.", list("ABCD"), ["48", "36", "40", "400"], "B", CONVERT[0][1]) == []
    assert claims("B. A is 3 times C.", list("ABCD"), ["48", "36", "40", "400"], "B", CONVERT[0][1]) == []
    assert failures(ALPHA[0], "D; b comes before c.") == []  # lower case letters of the alphabet are no options


def test_a_malformed_claims_file_names_the_file_and_field(tmp_path, monkeypatch):
    import picochat_hf.eval.choice_claims as cc
    from picochat_hf.utils.errors import PicochatInputError

    bad = tmp_path / "choice_claims.yaml"
    bad.write_text(cc.CLAIMS_YAML.read_text(encoding="utf-8").replace("number_words: {a: 1,", "number_words: {a: one,"), encoding="utf-8")
    monkeypatch.setattr(cc, "CLAIMS_YAML", bad)
    cc.claim_words.cache_clear()
    try:
        with pytest.raises(PicochatInputError) as err:
            cc.claim_words()
        assert "choice_claims.yaml" in str(err.value) and "number_words" in str(err.value)
    finally:
        cc.claim_words.cache_clear()


def test_a_kind_hierarchy_with_a_cycle_names_the_field(tmp_path, monkeypatch):
    import picochat_hf.eval.choice_kinds as ck
    from picochat_hf.utils.errors import PicochatInputError

    bad = tmp_path / "choice_kinds.yaml"
    bad.write_text(ck.KINDS_YAML.read_text(encoding="utf-8").replace("  fruit: plant\n", "  fruit: plant\n  plant: fruit\n"), encoding="utf-8")
    monkeypatch.setattr(ck, "KINDS_YAML", bad)
    ck.kind_words.cache_clear()
    try:
        with pytest.raises(PicochatInputError) as err:
            ck.kind_words()
        assert "choice_kinds.yaml" in str(err.value) and "parents." in str(err.value)
    finally:
        ck.kind_words.cache_clear()


def _property(task, subject: str) -> str:
    """The property the question asks for, said of `subject` in the generator's own terms."""
    family, key, text = task.problem["family"], task.problem["key"], task.problem["answer_text"]
    said = {
        "units": lambda: f"{subject} is {key.split(':')[2]} {key.split(':')[1]}", "alphabetical": lambda: f"{subject} comes first alphabetically",
        "number": lambda: f"{subject} is the {key.split(':')[1]}", "parity": lambda: f"{subject} is {key.split(':')[1]}",
        "first_letter": lambda: f"{subject} starts with {text[0]}", "word_length": lambda: f"{subject} has {len(text)} letters",
        "capital": lambda: f"{subject} is the capital of {key}", "opposite": lambda: f"{subject} is the opposite of {key.split(':')[0]}",
        "calendar": lambda: f"{subject} comes right {key.split(':')[2]} {key.split(':')[1]}",
        "category": lambda: f"{subject} is a {key.split(':')[0]}",
    }
    return said[family]()


@pytest.mark.parametrize("stage", sorted(CHOICE_STAGES))
def test_every_template_fails_the_asked_property_said_of_another_option_and_passes_it_said_of_the_key(stage):
    for task in _generated(stage, range(6)):
        row = choice_row(task.prompt.split("\n")[0], task.rules["choices"], task.answer)
        row[0]["max_words"] = 30
        assert failures(row, f"{task.answer}, since {_property(task, task.problem['answer_text'])}.") == [], task.prompt
        k = next(i for i in range(4) if LETTERS[i] != task.answer)
        for other in (LETTERS[k], task.rules["choices"][k]):
            reply = f"{task.answer}, but {_property(task, other)}."
            assert any(f.startswith("choice:") for f in failures(row, reply)), (task.prompt, reply)
