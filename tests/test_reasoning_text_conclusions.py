"""A trace whose concluding sentence names another candidate than a text (or letter) answer is dropped."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.reasoning_checks import contradiction
from picochat_hf.data.reasoning_import import import_reasoning_traces
from picochat_hf.data.schema import read_rows

Q = "What is the capital of France?"
MC = "Which city is the capital of France? A) Lyon B) Paris C) Nice"


def _import(tmp_path, trace, answer, question=Q):
    rows = [{"q": question, "r": trace, "a": answer},
            {"q": "What is 2 plus 2?", "r": "We add 2 and 2, which gives 4 because it is double.", "a": "4"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "out", question_column="q", trace_column="r", answer_column="a")
    kept = [r for r in read_rows(paths["rows"]) if r["source_row"] == 1]
    return kept, json.loads(paths["report_json"].read_text())["counts"]


@pytest.mark.parametrize("trace", [
    "Paris is large, but the question is about France. Therefore it is Lyon.",
    "Thus, Lyon.",
    "Hence the capital is Lyon.",
    "So it must be Lyon.",
    "So it's Lyon, not Paris.",
    "Therefore, it's Lyon rather than Paris.",
    "France has many cities.\nSo the capital of France is Lyon.",
    "Lyon it is, therefore.",
    "It is Lyon.",
    "The capital of France is Lyon.",
    "Considering everything, the capital of France is Lyon.",
    "Paris was my first guess. In the end it is Lyon!",
])
def test_a_concluding_sentence_naming_another_city_drops_the_row(tmp_path, trace):
    kept, counts = _import(tmp_path, trace, "Paris")
    assert kept == [] and counts["answer_contradicts_trace"] == 1 and counts["kept"] == 1


@pytest.mark.parametrize("trace", [
    "Lyon is a large city. Therefore it is Paris.",
    "Therefore it is Paris, not Lyon.",
    "Paris, not Lyon.",
    "So the capital is Paris, not Lyon.",
    "Some say Lyon. Hence the capital of France is Paris.",
    "Thus, Paris.",
    "It is Paris.",
    "The capital of France is Paris.",
    "Lyon is the third largest city. Paris is the capital of France.",
    "The capital is Paris. Its population is about two million.",
    "Paris is the capital, so I am confident.",
    "So I will go with that.",
    "Therefore, that is correct.",
])
def test_a_trace_concluding_the_answer_or_no_candidate_is_kept(tmp_path, trace):
    kept, counts = _import(tmp_path, trace, "Paris")
    assert len(kept) == 1 and counts.get("answer_contradicts_trace", 0) == 0, counts


@pytest.mark.parametrize("trace,answer,kept_expected", [
    ("Lyon is not the capital. Therefore it is C.", "B", False),
    ("Lyon is not the capital. Therefore it is B.", "B", True),
    ("So the answer must be option C.", "B", False),
    ("So it's option B.", "B", True),
    ("Thus, A.", "B", False),
])
def test_a_letter_answer_is_checked_against_the_concluding_sentence(tmp_path, trace, answer, kept_expected):
    kept, counts = _import(tmp_path, trace, answer, question=MC)
    assert bool(kept) is kept_expected, counts


@pytest.mark.parametrize("trace,answer,contradicts", [
    ("The ocean is large. Therefore the largest ocean is the Atlantic.", "the Pacific Ocean", True),
    ("The ocean is large. Therefore the largest ocean is the Pacific.", "the Pacific Ocean", False),
    ("So the largest ocean is the Pacific Ocean.", "Pacific", False),
    ("Hence it's New York City.", "Washington, D.C.", True),
    ("Hence it's Washington.", "Washington, D.C.", False),
])
def test_multi_word_answers(trace, answer, contradicts):
    assert (contradiction("Which is the largest ocean? Or which city is the US capital?", trace, answer) is not None) is contradicts


MC_LINES = "Which city is the capital of France?\n(A) Lyon\n(B) Paris\n(C) Nice"


@pytest.mark.parametrize("question", [MC, MC_LINES])
@pytest.mark.parametrize("trace,contradicts", [
    ("Lyon is the capital of France.", True),
    ("Paris is the capital of France.", False),
    ("Thus, C) Nice.", True),
    ("Thus, B) Paris.", False),
    ("So it is option (C).", True),
    ("So it is option (B).", False),
    ("Therefore it is Nice.", True),
    ("Therefore it is Paris.", False),
    ("It is a city.", False),
])
def test_a_letter_answer_is_compared_with_the_option_the_conclusion_names(question, trace, contradicts):
    """An option's text ("Paris") beside its letter ("B") is the same answer; another option's text or label is not."""
    assert (contradiction(question, trace, "B") is not None) is contradicts


@pytest.mark.parametrize("trace,contradicts", [
    ("So it must be Paris or Lyon.", True),
    ("So it must be Marseille or Lyon.", True),
    ("Therefore, Lyon is the capital.", True),
    ("Therefore, Paris is the capital.", False),
    ("So Lyon it is.", True),
    ("So Paris it is.", False),
    ("So I'd say Lyon.", True),
    ("So, putting it all together, the capital of France is Paris.", False),
    ("Everything checks out, so the capital of France is indeed Lyon.", True),
    ("So that makes sense.", False),
    ("So, it seems.", False),
    ("Paris is the capital. So that's right.", False),
])
def test_reworded_conclusions(trace, contradicts):
    assert (contradiction(Q, trace, "Paris") is not None) is contradicts


@pytest.mark.parametrize("response,trace,answer", [
    ("Okay, 2 plus 2 is 4.\n</think>\n\nThe answer is 4.", "Okay, 2 plus 2 is 4.", "The answer is 4."),
    ("<think>Okay, 2 plus 2 is 4.</think>4", "Okay, 2 plus 2 is 4.", "4"),
])
def test_a_response_whose_think_tag_was_prefilled_by_the_template_is_split(tmp_path, response, trace, answer):
    """R1-style completions often start inside the trace (the chat template wrote `<think>`), so only `</think>`
    is in the text; such rows were all dropped as missing an answer."""
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"q": "What is 2 plus 2?", "r": response}) + "\n", encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "o", question_column="q", trace_column="r", answer_column=None)
    (row,) = read_rows(paths["rows"])
    assert row["messages"][-1]["content"] == f"<reasoning>{trace}</reasoning><answer>{answer}</answer>"


@pytest.mark.parametrize("response", ["a </think> b </think> c", "</think>", "Okay.\n</think>\n"])
def test_a_stray_or_empty_closing_tag_is_not_a_trace(tmp_path, response):
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"q": "What is 2 plus 2?", "r": response}) + "\n" + json.dumps(
        {"q": "What is 3 plus 3?", "r": "<think>3 plus 3 is 6.</think>6"}) + "\n", encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "o", question_column="q", trace_column="r", answer_column=None)
    assert [r["source_row"] for r in read_rows(paths["rows"])] == [2]


@pytest.mark.parametrize("trace,contradicts", [
    ("So the answer's Lyon.", True),
    ("So the answer's Paris.", False),
    ("Therefore, I conclude it is Lyon.", True),
    ("Therefore, I conclude it is Paris.", False),
    ("Hence I believe the capital is Lyon.", True),
    ("Hence I believe the capital is Paris.", False),
    ("So I am sure it is Lyon.", True),
    ("So I am confident.", False),
])
def test_a_conclusion_behind_an_opinion_verb_is_read(trace, contradicts):
    assert (contradiction(Q, trace, "Paris") is not None) is contradicts


@pytest.mark.parametrize("trace,kept", [
    ("Therefore it is Lyon. I am confident.", False),
    ("Therefore it is Lyon. That seems right.", False),
    ("So the capital is Lyon.\nDone!", False),
    ("The capital of France is Lyon. Let me double-check: yes.", False),
    ("Therefore it is Paris. I am confident.", True),
    ("Therefore it is Paris. That seems right.", True),
    ("So the capital is Paris.\nDone!", True),
    ("The capital of France is Paris. Let me double-check: yes.", True),
    # only a short closing remark is skipped: a longer last sentence without a claim ends the reading
    ("It is Lyon, I thought at first. Then I remembered the government sits in the largest city of the country.", True),
])
def test_a_short_closing_remark_does_not_hide_the_concluding_claim(trace, kept):
    """"Therefore it is Lyon. I am confident." beside Paris was kept: only the last sentence was read."""
    from picochat_hf.data.reasoning_checks import contradiction

    assert (contradiction("What is the capital of France?", trace, "Paris") is None) is kept, trace


# -- an option named by its label and text together, and a statement naming an option by its text -----------------

@pytest.mark.parametrize("question", [MC, MC_LINES])
@pytest.mark.parametrize("trace,answer,contradicts", [
    ("C) Nice is correct.", "B", True),  # the label and text of another option, called correct
    ("(C) Nice is the right answer.", "B", True),
    ("B) Paris is correct.", "B", False),
    ("Nice (C) is the capital of France.", "B", True),
    ("Paris (B) is the capital of France.", "B", False),
    ("The answer is Paris.", "B", False),  # the option's text for its letter: the same answer
    ("The answer is Nice.", "B", True),
    ("Answer: (B)", "Paris", False),  # the letter for an answer column holding the option's text
    ("Answer: (C)", "Paris", True),
    ("The answer is Nice.", "Paris", True),
    ("So the capital is Paris.", "B", False),  # a predicate naming an option is the candidate, not its subject
    ("So the capital is Nice.", "B", True),
    ("So the capital is C.", "B", True),
    ("Lyon is not the capital. Nice is.", "B", True),  # a subject with a bare verb names its candidate
    ("Lyon is not the capital. Paris is.", "B", False),
    ("Lyon is not the capital. Nice is.", "Paris", True),
    ("B or C is correct.", "B", True),  # two options named: no one answer
    ("So B or C is correct.", "B", True),
    ("The answer is B or C.", "B", True),
    ("Answer: B or C", "B", True),
    ("The answer is B and C.", "B", True),
    ("The answer is B (Nice).", "B", True),  # a label with another option's text
    ("Answer: B) Nice", "B", True),
    ("The answer is B, not C.", "B", False),  # a denial is read by the judges
    ("The answer is C, not B.", "B", True),
])
def test_an_option_named_by_label_or_text_is_that_option(question, trace, answer, contradicts):
    """"C) Nice is correct." beside B was kept (its subject was read in lowercase, so its label went unseen), and
    "The answer is Paris." beside B was dropped although Paris is option B."""
    assert (contradiction(question, trace, answer) is not None) is contradicts, (trace, answer)


@pytest.mark.parametrize("trace,answer,contradicts", [
    ("The answer isn't Paris.", "Paris", True),  # read as "is not", which denies the answer
    ("So it isn't Paris.", "Paris", True),
    ("So it wasn't Paris.", "Paris", True),
    ("The answer is not Paris.", "Paris", True),
    ("So it isn't Lyon; it is Paris.", "Paris", False),
    ("It wasn't Lyon. It is Paris.", "Paris", False),
])
def test_a_contracted_denial_is_a_denial(trace, answer, contradicts):
    """"The answer isn't Paris." beside Paris was kept: "isn't" held no verb the concluding sentence is read by."""
    assert (contradiction(Q, trace, answer) is not None) is contradicts, trace
