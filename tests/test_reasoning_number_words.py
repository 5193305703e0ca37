"""A number answer is checked against a trace's conclusion written in number words ("ten", "twenty-one", "a dozen")
as well as in digits."""

from __future__ import annotations

import pytest

from picochat_hf.data.reasoning_checks import contradiction

Q = "Sam has 5 apples and gets 6 more. How many apples does he have?"
Q12 = "Sam has 7 apples and gets 5 more. How many apples does he have?"


@pytest.mark.parametrize("trace", [
    "5 plus 6. The sum comes out to ten.",
    "The sum comes out to ten.",
    "The sum comes out to 10.",
    "The total is ten.",
    "That makes ten apples.",
    "He has twenty-one apples.",
    "He has a dozen apples.",
    "5 + 6 = ten",
    "Adding them gives a total of ten.",
    "He ends up with ten apples.",
    "It works out to ten.",
    "It adds up to ten apples.",
    "The result is ten apples.",
    "Five plus six makes ten.",
])
def test_a_conclusion_in_number_words_naming_another_number_drops_the_row(trace):
    reason = contradiction(Q, trace, "11")
    assert reason is not None and "'11'" in reason, (trace, reason)


@pytest.mark.parametrize("trace", [
    "5 plus 6. The sum comes out to eleven.",
    "The sum comes out to 11.",
    "The total is eleven.",
    "That makes eleven apples.",
    "5 + 6 = eleven",
    "He ends up with eleven apples.",
    "Five plus six makes eleven.",
    "The answer is eleven.",
    "It adds up to eleven apples, not ten.",
])
def test_a_conclusion_in_number_words_naming_the_answer_is_kept(trace):
    assert contradiction(Q, trace, "11") is None, trace


@pytest.mark.parametrize("trace,answer,kept", [
    ("He has a dozen apples.", "12", True),
    ("The answer is a dozen.", "12", True),
    ("Seven and five make a dozen.", "12", True),
    ("He has half a dozen apples.", "12", False),
    ("He has two dozen apples.", "12", False),
    ("The answer is two dozen.", "12", False),
    ("He has twenty-one apples.", "21", True),
    ("He has twenty-one apples.", "12", False),
    ("He has twelve apples.", "12", True),
])
def test_dozens_are_read_as_their_number(trace, answer, kept):
    assert (contradiction(Q12, trace, answer) is None) is kept, trace


def test_the_import_drops_a_trace_whose_sum_in_words_is_another_number(tmp_path):
    import json

    from picochat_hf.data.reasoning_import import import_reasoning_traces
    from picochat_hf.data.schema import read_rows

    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"q": Q, "r": "5 plus 6. The sum comes out to ten.", "a": "11"}) + "\n"
                   + json.dumps({"q": Q, "r": "5 plus 6. The sum comes out to eleven.", "a": "11"}) + "\n",
                   encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "o", question_column="q", trace_column="r", answer_column="a")
    assert [r["source_row"] for r in read_rows(paths["rows"])] == [2]


@pytest.mark.parametrize("trace,kept", [
    ("We add the two numbers and get eleven.", True),
    ("We add the two numbers and get an odd number.", True),
    ("We add the two numbers and get ten.", False),
    ("Adding the 2 numbers gives 10.", False),
])
def test_a_number_counting_the_numbers_worked_on_is_not_a_result(trace, kept):
    assert (contradiction(Q, trace, "11") is None) is kept, trace


# -- an answer column in number words is a number answer ------------------------------------------------------------

@pytest.mark.parametrize("trace,answer", [
    ("So the total is 10.", "eleven"),
    ("The sum comes out to ten.", "eleven"),
    ("5 + 6 = 10", "eleven"),
    ("The answer is 10.", "Eleven apples."),
    ("5 + 6 = 11", "The answer is ten."),
    ("The answer is 13.", "a dozen"),
])
def test_an_answer_in_number_words_contradicted_by_its_trace_drops_the_row(trace, answer):
    assert contradiction(Q, trace, answer) is not None, (trace, answer)


@pytest.mark.parametrize("trace,answer", [
    ("So the total is 11.", "eleven"),
    ("The sum comes out to eleven.", "eleven"),
    ("5 + 6 = 11", "eleven"),
    ("The answer is 11.", "Eleven apples."),
    ("He has 11 apples.", "He has eleven apples."),
    ("4 + 6 = 10", "The answer is ten."),  # "5 + 6 = 10" here was a false step kept
    ("The answer is 12.", "a dozen"),
    ("The answer is twelve.", "a dozen"),
])
def test_an_answer_in_number_words_agreeing_with_its_trace_is_kept(trace, answer):
    assert contradiction(Q, trace, answer) is None, (trace, answer)


@pytest.mark.parametrize("answer,checked", [
    ("eleven", "11"), ("Eleven apples.", "11"), ("The answer is twenty-one.", "21"), ("a dozen", "12"), ("Ten.", "10"),
    # text that holds a number word is text, not a number: titles, names, and words the question does not count
    ("One Direction", "one direction"), ("Seven Samurai", "seven samurai"), ("The Three Musketeers", "the three musketeers"),
    ("One of them", "one of them"), ("ten downing street", "ten downing street"), ("seven wonders", "seven wonders"),
    ("No one", "no one"),
])
def test_the_checked_answer_of_a_number_in_words_is_the_number(answer, checked):
    """"One of them" was recorded as normalized_answer 1 and "ten downing street" as 10: a reply of 1 or 10 would
    have been scored right."""
    from picochat_hf.data.reasoning_checks import checked_answer

    assert checked_answer(answer, Q) == checked


# -- a closing remark without a number does not hide the conclusion before it ---------------------------------------

@pytest.mark.parametrize("trace,kept", [
    ("The sum comes out to ten. Let me double-check: yes.", False),
    ("He ends up with 10 apples. That seems right.", False),
    ("So he has ten apples.\nDone!", False),
    ("The sum comes out to eleven. Let me double-check: yes.", True),
    ("He ends up with 11 apples. That seems right.", True),
    ("So he has eleven apples.\nDone!", True),
])
def test_the_last_sentence_stating_a_number_is_the_conclusion(trace, kept):
    assert (contradiction(Q, trace, "11") is None) is kept, trace


@pytest.mark.parametrize("trace,answer,kept", [
    ("He has 10 apples.", "He has eleven apples.", False),
    ("He has 10 apples.", "He has 11 apples.", False),
    ("So he ends up with ten.", "Sam has 11 apples.", False),
    ("He has 11 apples.", "He has eleven apples.", True),
    ("He has eleven apples.", "He has 11 apples.", True),
    ("He has 11 apples. That seems right.", "Sam has 11 apples in all.", True),
])
def test_a_sentence_answer_stating_one_number_is_checked_against_the_trace(trace, answer, kept):
    """A sentence answer ("He has eleven apples.") stays text for scoring, but the one number it states is still
    compared with the number the trace concludes."""
    assert (contradiction(Q, trace, answer) is None) is kept, (trace, answer)


@pytest.mark.parametrize("answer,question,checked", [
    ("10 Downing Street", "Where does the UK prime minister live?", "10 downing street"),
    ("7 Up", "Which soft drink is lemon-lime flavoured?", "7 up"),
    ("72 clips", "How many clips did Natalia sell?", "72"),
    ("72 clips in all", "How many clips did Natalia sell?", "72"),
    ("$72", "How much did it cost?", "72"),
])
def test_a_number_before_words_is_the_number_only_when_the_question_counts_them(answer, question, checked):
    """"10 Downing Street" was recorded as normalized_answer 10 (a number before up to three words was read as a
    count with its unit), so a reply of "10" to "Where does the prime minister live?" would score right."""
    from picochat_hf.data.reasoning_checks import checked_answer

    assert checked_answer(answer, question) == checked


def test_a_decimal_before_dozen_is_not_read_as_its_last_digits():
    from picochat_hf.data.reasoning_checks import in_digits

    assert "1.60" not in in_digits("He has 1.5 dozen apples.") and in_digits("He has 2 dozen apples.") == "He has 24 apples."
