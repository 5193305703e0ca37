"""A number answers only what the prompt asks: "12 times" counts occurrences only on a prompt about how often something
(a letter) occurs, "12 dollars" or "$12" only a prompt about money, "12 hours" only a prompt naming hours. Number words
may carry a comma after a scale ("Two thousand, one hundred and five."), while a comma between two whole numbers still
lists them."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def verdict(prompt: str, want: str, reply: str) -> dict:
    row = {"id": "n", "skill": "math", "normalized_answer": want, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


APPLES = "Sam has 7 apples and the number 3 appears on each. He gets 5 more apples. How many apples does Sam have?"
COINS = "A jar contains 17 coins. 5 are taken away by Sam. How many coins are in the jar now?"
LETTER_COUNTS = ['How many t\'s are in "letter"?', 'What is the number of "t" letters in "letter"?', "Count the letter t in the word letter.",
                 'Tell me how many times t is used in the word "letter".', 'How frequently does the letter t occur in "letter"?']


def test_a_count_money_or_measure_the_prompt_does_not_ask_for_is_not_the_value():
    for reply in ["12 times", "It is 12 times.", "12 dollars", "$12", "12 bucks", "12 euros", "12 hours", "12 kg", "12 miles", "12 years"]:
        assert not verdict(APPLES, "12", reply)["passed"], reply
    for reply in ["12", "12 apples", "Sam has 12 apples.", "12 in total", "twelve apples"]:
        assert verdict(APPLES, "12", reply)["passed"], (reply, verdict(APPLES, "12", reply)["failures"])
    for reply in ["$12", "12 cents", "12 dollars"]:
        assert not verdict(COINS, "12", reply)["passed"], reply
    assert verdict(COINS, "12", "12 coins")["passed"]


def test_a_count_money_or_measure_the_prompt_asks_for_is_the_value():
    for prompt in LETTER_COUNTS:
        for reply in ["2 times", "It appears 2 times.", "2", "twice"]:
            assert verdict(prompt, "2", reply)["passed"], (prompt, reply, verdict(prompt, "2", reply)["failures"])
        assert not verdict(prompt, "2", "3 times")["passed"]
    money = "A toy costs 7 dollars and a book 5 dollars. How much do they cost together?"
    for reply in ["$12", "12 dollars", "They cost 12 dollars."]:
        assert verdict(money, "12", reply)["passed"], reply
    assert not verdict(money, "12", "13 dollars")["passed"] and not verdict(money, "12", "12 hours")["passed"]
    hours = "A trip takes 7 hours and then 5 hours more. How many hours in all?"
    assert verdict(hours, "12", "12 hours")["passed"] and not verdict(hours, "12", "12 minutes")["passed"]


def test_number_words_with_a_comma_after_a_scale_are_one_number():
    prompt = "What is 2000 + 105?"
    for reply in ["Two thousand, one hundred and five.", "two thousand, one hundred five", "It's two thousand, one hundred and five."]:
        assert verdict(prompt, "2105", reply)["passed"], reply
    for reply in ["two thousand, one hundred and six", "Two thousand, three thousand.", "two thousand, and five",
                  "One hundred and five, two thousand."]:
        assert not verdict(prompt, "2105", reply)["passed"], reply
    assert not verdict("What is 1000 + 1000?", "2000", "One thousand, one thousand.")["passed"]


def test_a_rounded_or_ballpark_number_is_no_exact_answer():
    for reply in ["12 (rounded)", "something like 12", "12, give or take", "12 or something", "ballpark 12"]:
        assert not verdict("How much is 7 + 5?", "12", reply)["passed"], reply
    for reply in ["12", "7 + 5 = 12", "Twelve."]:
        assert verdict("How much is 7 + 5?", "12", reply)["passed"], reply


def test_money_written_after_the_number_or_as_a_code_and_short_units():
    for reply in ["12$", "12 €", "12€", "USD 12", "EUR 12", "12 hrs", "12 mins"]:
        assert not verdict(APPLES, "12", reply)["passed"], reply
    euros = "A toy costs 7 euros and a book 5 euros. How many euros in total?"
    for reply in ["12€", "12 €", "€12", "EUR 12", "12 euros"]:
        assert verdict(euros, "12", reply)["passed"], reply
    hours = "A trip takes 7 hours and then 5 hours more. How many hours in all?"
    assert verdict(hours, "12", "12 hrs")["passed"] and not verdict(hours, "12", "12 mins")["passed"]
