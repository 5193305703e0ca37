"""Who holds what after a transfer. A person the prompt shows taking, removing or receiving things from the story's
store holds those things, not what is left: "Pia has 61 left" on "A jar contains 91 grapes. 30 are taken away by Pia.
How many grapes are in the jar now?" gives Pia the jar's count and fails. A giver's transfer "to" someone counts the
receiver's things: "Pia gave 30 to Sam." answers "How many grapes does Sam have?". A count the reply gives another
person is an aside only when the prompt gives that person that count: "Sam has 30." beside the answer, with no Sam in
the prompt or with Sam holding another count, states a second, wrong fact and fails."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Pia. How many grapes are in the jar now?"
SHELF = "A shelf holds 91 grapes. Pia removes 30 of them. How many grapes stay on the shelf?"
BOX = "There are 91 grapes in a box. Pia takes out 30. How many grapes remain in the box?"
GIVES = "Pia has 91 grapes. Pia gives away 30 of them. How many grapes does Pia have left?"
SOLD = "Pia starts the day with 91 grapes and sells 30. How many grapes are unsold?"
LOST = "Pia had 91 grapes and lost 30. How many grapes are left?"
TO_SAM = "Pia has 91 grapes and gives 30 to Sam. How many grapes does Sam have?"
PIA_TO_SAM = "Pia has 91 grapes and gives 30 to Sam. How many grapes does Pia have left?"
TOTAL = "Tom has 5 apples and Ann has 3 apples. How many apples do they have in all?"


def passes(prompt: str, want: str, reply: str) -> bool:
    row = {"id": "h", "skill": "math", "normalized_answer": want, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("prompt", [JAR, SHELF, BOX])
@pytest.mark.parametrize("reply", ["Pia has 61 left.", "Pia has 61 grapes left.", "Pia still has 61.", "Pia: 61",
                                   "Pia keeps 61 grapes.", "61 went to Pia."])
def test_the_taker_holds_what_was_taken_not_what_is_left(prompt, reply):
    assert not passes(prompt, "61", reply), (prompt, reply)


@pytest.mark.parametrize("prompt", [JAR, SHELF, BOX])
@pytest.mark.parametrize("reply", ["61", "61 are left.", "Pia took 30, so 61 are left.", "The jar has 61 now.",
                                   "Pia has 30 and 61 are left.", "61 remain after Pia took 30."])
def test_what_is_left_beside_what_the_taker_holds_passes(prompt, reply):
    assert passes(prompt, "61", reply), (prompt, reply)


@pytest.mark.parametrize("prompt", [GIVES, SOLD, LOST, PIA_TO_SAM])
def test_the_owner_of_the_start_holds_what_is_left(prompt):
    for reply in ("Pia has 61 left.", "Pia has 61 grapes left.", "Pia still has 61."):
        assert passes(prompt, "61", reply), (prompt, reply)


def test_a_transfer_to_the_asked_person_names_their_count():
    for reply in ("Pia gave 30 to Sam.", "Pia gave 30 grapes to Sam.", "Pia gives 30 to Sam, so Sam has 30.",
                  "Sam has 30, since Pia gave 30 to Sam."):
        assert passes(TO_SAM, "30", reply), reply
    for reply in ("Pia gave 61 to Sam.", "Pia has 30.", "Pia gave 30 to Sam. Sam has 61.", "Sam gave 30 to Pia."):
        assert not passes(TO_SAM, "30", reply), reply


@pytest.mark.parametrize("prompt", [GIVES, SOLD, LOST, JAR])
@pytest.mark.parametrize("aside", ["Sam has 30.", "Sam has 91.", "Finn kept 30 grapes.", "Sam got 30 of them.", "Pia gave 30 to Sam."])
def test_an_invented_person_with_a_count_fails(prompt, aside):
    assert not passes(prompt, "61", f"61 are left. {aside}"), (prompt, aside)
    assert not passes(prompt, "61", f"There are 61 grapes left. {aside}"), (prompt, aside)


def test_a_count_the_prompt_gives_another_person_is_a_true_aside():
    assert passes(PIA_TO_SAM, "61", "Pia has 61 left. Sam has 30.")
    assert passes(PIA_TO_SAM, "61", "Pia gave 30 to Sam, so Pia has 61 left.")
    assert passes(JAR, "61", "61 are left; Pia has 30.")
    for reply in ("Pia has 61 left. Sam has 91.", "Pia has 61 left and Sam has 91 grapes."):
        assert not passes(PIA_TO_SAM, "61", reply), reply
    assert not passes(JAR, "61", "61 are left; Pia has 91.")


def test_people_who_only_hold_things_may_hold_the_total():
    for reply in ("8", "Tom and Ann have 8.", "They have 8 apples.", "Ann has 3 and Tom has 5, so 8 in all."):
        assert passes(TOTAL, "8", reply), reply
    assert not passes(TOTAL, "8", "8. Ann has 5.")


@pytest.mark.parametrize("prompt", [GIVES, SOLD])
def test_a_transfer_to_someone_the_prompt_does_not_name_is_invented(prompt):
    assert not passes(prompt, "61", "Pia has 61 left after giving 30 to Sam.")
    assert passes(prompt, "61", "Pia has 61 left after giving away 30.")


@pytest.mark.parametrize("reply", ["Pia took 30, and has 61 left.", "She has 61 left.", "Pia took 30. She has 61 left.", "He still has 61."])
def test_a_pronoun_or_left_out_subject_for_the_taker_fails(reply):
    assert not passes(JAR, "61", reply), reply


def test_a_pronoun_for_the_owner_of_the_start_passes():
    for reply in ("Pia sold 30 and has 61 left.", "She has 61 left.", "Pia sold 30, so she has 61 left."):
        assert passes(SOLD, "61", reply), reply
    assert passes(PIA_TO_SAM, "61", "Pia gives 30 to Sam, and she has 61 left.")
    assert passes(JAR, "61", "61 are left and Pia has 30.")
