"""The right letter given with a reason that calls its option a thing of another kind fails and names the kinds
(`choice_kinds`); the same reasons naming the asked kind, a kind the pack also lists the option under, or another
option's kind pass.

"Which option names a animal?" asks for an animal: "B, but deer is a plant." and "B because deer are planets" are false
claims about the chosen option, read against the task pack's categories; "B, deer is an animal, not a plant." and "B.
Mercury is a planet." are true."""

from __future__ import annotations

import pytest

from picochat_hf.data.skills.choice import CATEGORIES
from picochat_hf.eval.choice_kinds import asked_kind, kind_words, misplaced_kind
from picochat_hf.eval.choice_stance import question_terms
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def choice_row(question: str, choices: list[str], key: str) -> tuple[dict, str]:
    prompt = question + "\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(choices)) + "\nSelect the best option and reply with its letter."
    return {"id": "k", "skill": "choice", "correct_choice": key, "choices": choices, "max_words": 24, "must_include": [key],
            "messages": [{"role": "user", "content": prompt}]}, prompt


ANIMAL = choice_row("Multiple choice. Which option names a animal?", ["Mercury", "deer", "Saturn", "bed"], "B")
COLOR = choice_row("Which option names a color?", ["orange", "hammer", "lion", "bus"], "A")
FRUIT = choice_row("Pick the item that is a fruit.", ["kiwi", "drill", "van", "sofa"], "A")
MUSIC = choice_row("Which option names a musical instrument?", ["pliers", "flute", "van", "papaya"], "B")
FURNITURE = choice_row("Pick the item that is a piece of furniture.", ["car", "sofa", "lion", "drum"], "B")


def failures(reply: str, row: tuple[dict, str] = ANIMAL) -> list[str]:
    return score_reply(row[0], reply, row[1], CFG)["failures"]


MISPLACED = [
    "B, but deer is a plant.", "B, deer is a vehicle", "B because deer are planets", "B: a deer is a kind of furniture",
    "B. Deer is a plant.", "B, since deer is a color.", "B — deer is a tool.", "B. It is a plant.", "B, it's a vehicle.",
    "B, which is a planet.", "B (a plant).", "B, a plant.", "B, the plant.", "B. Deer are vegetables.", "B; deer is a type of fruit.",
    "B, as deer is a musical instrument.", "B, deer is a body part.", "B, because a deer is a piece of furniture.",
    "B. Deer: a vehicle.", "B, deer being a planet.", "B, deer is a sort of plant", "B, deer counts as a vehicle.",
    "B, deer is classified as a plant.", "B, deer is actually a plant.", "B, since deer is really a planet.", "B. A deer is furniture.",
    "B, deer = plant.", "**B**, but deer is a plant.", "The answer is B, since deer is a plant.", "B, deer is a plant, not an animal.",
    "B (deer) is a plant.", "B, deer's a vehicle.", "b, deer is a plant.",
]
TRUE_REASONS = [
    "B", "B, deer is an animal.", "B, deer is an animal, not a plant.", "B, deer is not a plant.", "B. Deer is a mammal.",
    "B, deer is a plant-eating animal.", "B. Deer eat plants.", "B. Deer is a plant eater.", "B, deer are herbivores.",
    "B, deer is a wild animal.", "B. Mercury is a planet.", "B. Mercury is a planet, Saturn is a planet and a bed is furniture.",
    "B; D is a piece of furniture.", "B. Deer is an animal; A is a planet.", "B, the animal.", "B, an animal.", "B (an animal).",
    "B: a deer is a kind of animal.", "B, because deer are animals.", "B. It is an animal, not furniture.", "B. It is not a plant.",
    "B (animal, not plant).", "B. A bed is furniture, not an animal.", "B. Mercury is a planet, so it is not an animal.",
    "B, since deer is an animal and A is a planet.", "B. The others are a planet, a planet and furniture.", "B, deer - an animal.",
]


@pytest.mark.parametrize("reply", MISPLACED)
def test_the_key_letter_with_a_reason_calling_it_another_kind_fails(reply):
    got = failures(reply)
    assert any("calls it a" in f and "not a animal" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", TRUE_REASONS)
def test_the_key_letter_with_a_true_reason_or_one_about_other_options_passes(reply):
    assert failures(reply) == [], reply


@pytest.mark.parametrize("row,reply", [
    (COLOR, "A, orange is a tool."), (FRUIT, "A, kiwi is a vehicle."), (MUSIC, "B, a flute is a tool."), (MUSIC, "B. Flutes are vehicles."),
    (FURNITURE, "B. A sofa is a vehicle."), (FURNITURE, "B, it's an animal."),
])
def test_other_categories_with_a_false_kind_fail(row, reply):
    assert any("calls it a" in f for f in failures(reply, row)), reply


@pytest.mark.parametrize("row,reply", [
    (COLOR, "A, orange is a color."), (COLOR, "A. Orange is also a fruit, but here it's a color."), (COLOR, "A. It's a fruit."),
    (COLOR, "A (a color)."), (COLOR, "A: a colour."), (FRUIT, "A. A kiwi is also a bird."), (FRUIT, "A, a fruit."),
    (MUSIC, "B, the flute is a musical instrument."), (MUSIC, "B. A flute is an instrument."), (MUSIC, "B, flutes are instruments."),
    (FURNITURE, "B. A sofa is furniture."), (FURNITURE, "B, a sofa is a piece of furniture."),
    (FURNITURE, "B. Sofas are furniture, cars are vehicles."),
])
def test_true_kinds_and_kinds_the_pack_also_lists_pass(row, reply):
    assert failures(reply, row) == [], reply


def test_every_pack_category_is_a_kind_a_question_can_ask_for():
    names = kind_words().names
    for category in CATEGORIES:
        assert names.get(category) == asked_kind(question_terms(f"Which option names a {category}?")), category


def test_questions_that_name_no_kind_check_no_claim():
    assert asked_kind(question_terms("The capital of France is which city?")) is None
    assert misplaced_kind("B. Paris is a planet.", "B", list("ABCD"), ["Lima", "Paris", "Oslo", "Rome"], ()) is None


def test_a_malformed_kinds_file_names_the_file_and_field(tmp_path, monkeypatch):
    import picochat_hf.eval.choice_kinds as ck
    from picochat_hf.utils.errors import PicochatInputError

    bad = tmp_path / "choice_kinds.yaml"
    bad.write_text("kinds:\n  animal: [animal]\noverlaps: {}\nclaim_links: is\nclaim_skips: [a]\nclaim_ends: [and]\n", encoding="utf-8")
    monkeypatch.setattr(ck, "KINDS_YAML", bad)
    ck.kind_words.cache_clear()
    try:
        with pytest.raises(PicochatInputError) as err:
            ck.kind_words()
        assert "choice_kinds.yaml" in str(err.value) and "claim_links" in str(err.value)
    finally:
        ck.kind_words.cache_clear()
