"""Numbers in forms that are not the plain value fail; the plain value in honest wordings passes."""

from __future__ import annotations

from picochat_hf.data.schema import prompt_text
from picochat_hf.eval.scoring import load_scoring_config, normalize_answer, score_reply

CFG = load_scoring_config()
APPLES = {"id": "n", "skill": "math", "category": "math", "normalized_answer": "12",
          "messages": [{"role": "user", "content": "Sam had 6 apples and doubled them. How many apples does he have now?"}]}


def verdict(row: dict, reply: str) -> dict:
    return score_reply(row, reply, prompt_text(row), CFG)


def passes(row: dict, reply: str) -> bool:
    return verdict(row, reply)["passed"]


def test_a_leading_zero_is_no_plain_number():
    for reply in ["012", "It is 012.", "0012", "He has 012 apples."]:
        assert not passes(APPLES, reply), reply
    for reply in ["12", "It is 12.", "12.0", "He has 12 apples."]:
        assert passes(APPLES, reply), (reply, verdict(APPLES, reply)["failures"])
    zero = {**APPLES, "normalized_answer": "0"}
    assert passes(zero, "0") and passes(zero, "It is 0.") and not passes(zero, "00")
    half = {**APPLES, "normalized_answer": "0.5"}
    assert passes(half, "0.5") and passes(half, ".5") and not passes(half, "00.5")
    assert normalize_answer("012") == "012"  # a malformed reference stays text, never 12


COUNT = {"id": "c", "skill": "spelling", "category": "spelling_count", "normalized_answer": "12",
         "messages": [{"role": "user", "content": 'How often does the letter a occur in the text?'}]}


def test_a_multiplier_is_not_the_value_but_a_count_of_occurrences_is():
    for reply in ["12 times", "He has 12 times as many.", "12 times more", "12 x", "12-fold", "It grew 12 fold."]:
        assert not passes(APPLES, reply), reply
    for reply in ["12 times", "It occurs 12 times.", "The letter a appears 12 times in it.", "12"]:
        assert passes(COUNT, reply), (reply, verdict(COUNT, reply)["failures"])
    for reply in ["12 times as often", "13 times", "12 times or 13 times"]:
        assert not passes(COUNT, reply), reply
    product = {**APPLES, "messages": [{"role": "user", "content": "What is 3 times 4?"}]}
    assert not passes(product, "12 times") and passes(product, "3 times 4 is 12.")


MONEY = {**APPLES, "messages": [{"role": "user", "content": "A pen costs 5 dollars and a book 7 dollars. What do both cost?"}]}


def test_a_money_amount_answers_a_money_question_only():
    for reply in ["$12", "It is $12.", "\u20ac12", "He has \u00a312 apples."]:
        assert not passes(APPLES, reply), reply
    for reply in ["$12", "They cost $12.", "12 dollars", "12"]:
        assert passes(MONEY, reply), (reply, verdict(MONEY, reply)["failures"])
    for reply in ["$13", "$12 or $13", "about $12", "$12k"]:
        assert not passes(MONEY, reply), reply
    signed = {**APPLES, "messages": [{"role": "user", "content": "A toy is $5 and a ball $7. What is the total?"}]}
    assert passes(signed, "$12") and passes(signed, "The total is $12.")


def test_number_words_with_a_scale_word_are_one_number():
    hundred = {**APPLES, "normalized_answer": "100"}
    for reply in ["one hundred", "One hundred.", "a hundred", "He has one hundred apples.", "100"]:
        assert passes(hundred, reply), (reply, verdict(hundred, reply)["failures"])
    for reply in ["one hundred and twelve", "two hundred", "one thousand", "a hundred or so", "one hundred or two hundred"]:
        assert not passes(hundred, reply), reply
    for reply in ["one hundred and twelve", "twelve hundred", "twelve thousand", "a hundred", "one hundred twelve"]:
        assert not passes(APPLES, reply), reply
    big = {**APPLES, "normalized_answer": "2105"}
    for reply in ["two thousand one hundred and five", "Two thousand one hundred five.", "2,105"]:
        assert passes(big, reply), reply
    assert not passes(big, "two thousand one hundred and six")
    assert passes({**APPLES, "normalized_answer": "112"}, "one hundred and twelve")
    assert passes({**APPLES, "normalized_answer": "1200"}, "twelve hundred")


def test_a_bound_on_a_number_the_prompt_states_is_an_aside_beside_the_answer():
    for reply in ["Sam has 12, which is double 6.", "He has 12 apples, twice the 6 he had.", "12, more than the 6 he had."]:
        assert passes(APPLES, reply), (reply, verdict(APPLES, reply)["failures"])
    for reply in ["Sam has 13, which is double 6.", "double 6", "He has more than 6.", "more than 12", "Sam has more than 12, double 6.",
                  "He has 12, which is about double 6.", "Sam has 12 or 13, double 6.", "Sam has double 7, so 12."]:
        assert not passes(APPLES, reply), reply


LETTER = {"id": "s", "skill": "spelling", "category": "spelling_first", "normalized_answer": "m", "answer_style": "scratchpad",
          "messages": [{"role": "user", "content": 'What is the first letter of "mango"?'}]}


def test_a_courtesy_or_a_restatement_after_the_final_answer_states_nothing_else():
    for reply in ["Final answer: m\nThanks!", "Final answer: m\nHope this helps!", "Final answer: m\nThe first letter is m.",
                  "Spell it out: m, a, n, g, o.\nFinal answer: m\nHappy to help. :)"]:
        assert passes(LETTER, reply), (reply, verdict(LETTER, reply)["failures"])
    for reply in ["Final answer: m\nOr n.", "Final answer: m\nActually n", "Final answer: m\nThe first letter is n.",
                  "Final answer: m\nThanks, n!", "Final answer: m\nThanks! Or maybe n."]:
        assert not passes(LETTER, reply), reply
    scratch = {**APPLES, "answer_style": "scratchpad"}
    for reply in ["Final answer: 12\nThanks!", "Final answer: 12\nSo Sam has 12 apples.", "Final answer: 12\nThe apples doubled."]:
        assert passes(scratch, reply), (reply, verdict(scratch, reply)["failures"])
    for reply in ["Final answer: 12\nOr maybe not.", "Final answer: 12\nNo wait, it's wrong.", "Final answer: 12\nActually, scratch that.",
                  "Final answer: 12\nActually thirteen", "Final answer: 12\nI think.", "Final answer: 12\nOops, I miscounted."]:
        assert not passes(scratch, reply), reply


SUM = {"id": "a", "skill": "math", "category": "math", "normalized_answer": "57", "messages": [{"role": "user", "content": "What is 23 + 34?"}]}


def test_the_true_results_of_working_equations_are_no_candidates():
    for reply in ["57, since 20+30=50 and 3+4=7.", "57 because 20 + 30 = 50 and 3 + 4 = 7, and 50 + 7 = 57.",
                  "20+30=50 and 3+4=7, so 50+7=57", "23 + 34 = 57"]:
        assert passes(SUM, reply), (reply, verdict(SUM, reply)["failures"])
    for reply in ["57, since 20+30=50 and 3+4=8.", "57, since 23+34=58", "57. Or 23+35=58", "20+30=50 and 3+4=7",
                  "58, since 20+30=50 and 3+4=8", "23 + 34 = 58", "50, since 20+30=50"]:
        assert not passes(SUM, reply), reply


FIRST_LETTER = {"id": "f", "skill": "spelling", "category": "spelling_first", "normalized_answer": "m",
                "messages": [{"role": "user", "content": 'What is the first letter of "market"?'}]}


def test_a_text_answer_put_first_or_after_a_verb_lead_in():
    for reply in ["M is the first letter.", "m is the first letter of market", "It starts with m.", "The word begins with M.",
                  "m is the answer."]:
        assert passes(FIRST_LETTER, reply), (reply, verdict(FIRST_LETTER, reply)["failures"])
    for reply in ["N is the first letter.", "m is the last letter.", "m is the answer, n.", "It starts with n.", "m or n is the first letter.",
                  "It starts with m or n.", "m is maybe the first letter.", "It starts with m?"]:
        assert not passes(FIRST_LETTER, reply), reply
    backwards = {**FIRST_LETTER, "normalized_answer": "tac", "messages": [{"role": "user", "content": 'Write "cat" backwards.'}]}
    assert passes(backwards, "tac is cat backwards.") and passes(backwards, "Backwards it reads tac.")
    assert not passes(backwards, "act is cat backwards.") and not passes(backwards, "tac is cat forwards.")
