"""A number answer is checked against the trace's last sentence when it states one result without a marker."""

from __future__ import annotations

import pytest

from picochat_hf.data.reasoning_checks import contradiction

Q = "Sam has 5 apples and gets 5 more. How many apples does he have?"


@pytest.mark.parametrize("trace", [
    "Adding 5 and 5 gives us 11.",
    "The total is 11 apples.",
    "He ends up with 11 apples.",
    "In the end, he has 11.",
    "Thus he has eleven apples.",
    "5 and 5 make 10. He now has 11 apples.",
    "He has 11 apples now!",
])
def test_a_last_sentence_stating_another_number_drops_the_row(trace):
    reason = contradiction(Q, trace, "10")
    assert reason is not None and ("11" in reason or "eleven" in reason) and "'10'" in reason, reason


@pytest.mark.parametrize("trace", [
    "Adding 5 and 5 gives us 10.",
    "The total is 10 apples.",
    "He ends up with 10 apples.",
    "In the end, he has 10.",
    "Thus he has ten apples.",
    "5+5 is 10. So he has 10 apples in total, not 11.",
    "He has 10 apples, which is 2 more than 8.",
    "He has 5 apples and gets 5 more.",
    "He had 5 apples. He now has 10 apples. That seems right.",
    "Each of the 5 new apples is red.",
])
def test_a_last_sentence_stating_the_answer_or_no_single_result_is_kept(trace):
    assert contradiction(Q, trace, "10") is None


def test_a_denied_number_after_the_last_conclusion_word_is_not_the_conclusion():
    """"So he has 10 apples in total, not 11." read the text after "in total" (", not 11") as the conclusion and
    dropped an honest row."""
    assert contradiction(Q, "So he has 10 apples in total, not 11.", "10") is None
    reason = contradiction(Q, "So he has 11 apples in total, not 10.", "10")
    assert reason is not None and "11" in reason, reason


@pytest.mark.parametrize("value,expected", [(10, "10"), (10.0, "10"), (2.5, "2.5")])
def test_a_number_answer_column_is_read_as_its_number(tmp_path, value, expected):
    """A parquet/JSON answer column holding numbers (GSM8K-style exports) stopped the whole import with 'expected a
    string'; a number is now the answer it states, checked against the trace like any other."""
    import json

    from picochat_hf.data.reasoning_import import import_reasoning_traces
    from picochat_hf.data.schema import read_rows

    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"q": Q, "r": f"5 plus 5 makes {expected}.", "a": value}) + "\n"
                   + json.dumps({"q": "What is 3 plus 3?", "r": "3 plus 3 is 7.", "a": 6}) + "\n", encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "o", question_column="q", trace_column="r", answer_column="a")
    rows = read_rows(paths["rows"])
    assert [r["source_row"] for r in rows] == [1] and rows[0]["normalized_answer"] == expected


@pytest.mark.parametrize("value", [True, [1], {"a": 1}, float("nan")])
def test_an_answer_that_is_no_text_or_number_is_refused(tmp_path, value):
    import json

    from picochat_hf.data.reasoning_import import import_reasoning_traces
    from picochat_hf.utils.errors import PicochatInputError

    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"q": Q, "r": "5 plus 5 makes 10.", "a": value}) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        import_reasoning_traces([src], tmp_path / "o", question_column="q", trace_column="r", answer_column="a")
    assert err.value.field == "a"


# -- a number the question states, or an intermediate quantity, is not a competing result --------------------------

QM = "What is 2 minus 5?"


@pytest.mark.parametrize("trace,answer", [
    ("Half of ten is five.", "5"),
    ("Half of 10 is 5.", "5"),
    ("Ten halved gives five.", "5"),
    ("We take 12, and half of 12 is five.", "5"),  # 12 and "half of 12" are the working; five is what it gives
    ("He had 10 and now has 5.", "5"),
    ("Twice six is 12, and 12 minus 7 leaves 5.", "5"),
    ("So half of ten is five.", "5"),  # read after its conclusion word, too
    ("The answer: half of ten is five.", "5"),
    ("Half of ten equals five. Done!", "5"),
    ("So he has 10 apples in total, not 5.", "10"),
])
def test_an_intermediate_beside_a_result_the_question_states_keeps_the_row(trace, answer):
    """"Half of ten is five." beside 5 was dropped: 5 is a number the question states, so it was set aside and the
    intermediate 10 read as the sentence's one result."""
    assert contradiction(QM, trace, answer) is None, trace


@pytest.mark.parametrize("trace,answer", [
    ("Half of ten is five.", "-3"),  # the sentence's result is 5, not the answer
    ("Half of ten is four.", "5"),
    ("Half of 10 is 4.", "5"),
    ("He had 5, so he ends up with 11.", "5"),
    ("He has 10 now, up from 5.", "5"),
    ("We take 12, and half of 12 is six.", "5"),
    ("11 apples is what he has.", "5"),
    ("So half of ten is four.", "5"),
    ("So half of ten is five.", "-3"),
    ("The answer: half of ten is four.", "5"),
    ("Half of ten equals four. Done!", "5"),
    ("So he has 5 apples in total, not 10.", "10"),
    ("Two minus five is negative three.", "3"),
])
def test_a_result_other_than_the_answer_still_drops_the_row(trace, answer):
    assert contradiction(QM, trace, answer) is not None, trace


Q6 = "Sam has 5 apples and gets 6 more. How many apples does he have?"


@pytest.mark.parametrize("trace,answer", [
    ("So he has 5 or 6.", "5"),  # two results, one of them the answer: no single conclusion
    ("So he has 5 or 11.", "11"),
    ("So he has 11 or 12.", "11"),
])
def test_a_conclusion_naming_the_answer_and_another_number_drops_the_row(trace, answer):
    assert contradiction(Q6, trace, answer) is not None, trace


def test_the_import_keeps_a_think_trace_whose_working_the_question_does_not_state(tmp_path):
    import json

    from picochat_hf.data.reasoning_import import import_reasoning_traces
    from picochat_hf.data.schema import read_rows

    src = tmp_path / "r.jsonl"
    rows = [[QM, "<think>Half of ten is five.</think>5"], [QM, "<think>Half of ten is four.</think>5"],
            [QM, "<think>Half of ten is five.</think>-3"]]
    src.write_text("".join(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": r}]}) + "\n"
                           for q, r in rows), encoding="utf-8")
    kept = read_rows(import_reasoning_traces([src], tmp_path / "o", messages_column="messages")["rows"])
    assert [r["source_row"] for r in kept] == [1]
    assert kept[0]["messages"][-1]["content"] == "<reasoning>Half of ten is five.</reasoning><answer>5</answer>"


@pytest.mark.parametrize("trace,answer,kept", [
    ("The answer isn't 11.", "11", False),  # the sentence names the answer only to deny it
    ("So he doesn't have 11.", "11", False),
    ("The total is not 11.", "11", False),
    ("He does not end up with 11 apples.", "11", False),
    ("He never had 11.", "11", False),
    ("It is not 10, so it must be 11.", "11", True),
    ("He has 11, not 10.", "11", True),
    ("He doesn't have 10; he has 11.", "11", True),
    ("Sam didn't eat any so he has 11.", "11", True),  # the denial is about something else
])
def test_a_sentence_denying_the_answer_drops_the_row(trace, answer, kept):
    """"The total is not 11." beside 11 was kept: the denied 11 was set aside and no other result was left to compare."""
    assert (contradiction(Q6, trace, answer) is None) is kept, trace
