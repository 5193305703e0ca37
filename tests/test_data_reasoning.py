"""Reasoning-trace import: column mapping and messages, filters, sampling, provenance, bad input."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.reasoning_import import import_reasoning_traces, is_english
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import sha256_file

_OUT = re.compile(r"^<reasoning>(.*)</reasoning><answer>(.*)</answer>$", re.DOTALL)


def _rows(n):
    return [{"q": f"What is {i} plus {i}?", "r": f"We add {i} and {i}, which gives {2 * i} because it is double.",
             "a": str(2 * i)} for i in range(n)]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_column_mapping_filters_and_provenance(tmp_path):
    rows = _rows(10)
    rows.append(dict(rows[2]))  # duplicate question
    rows.append({"q": "¿Cuál es la capital de Francia?", "r": "La capital de Francia es París, sin duda alguna en la historia.",
                 "a": "París"})  # not English
    rows.append({"q": "Long one?", "r": "This is a long trace and it goes on. " * 20, "a": "y"})  # over the budget
    rows.append({"q": "No answer?", "r": "thinking", "a": None})
    src = _jsonl(tmp_path / "traces.jsonl", rows)
    paths = import_reasoning_traces([src], tmp_path / "out", question_column="q", trace_column="r", answer_column="a",
                                    english_only=True, max_chars=300, system_prompt="Think step by step.")
    out = read_rows(paths["rows"], require_provenance=True)
    assert len(out) == 10
    for i, row in enumerate(out):
        assert row["messages"][0] == {"role": "system", "content": "Think step by step."}
        assert row["messages"][1]["content"] == rows[i]["q"]
        trace, answer = _OUT.match(row["messages"][2]["content"]).groups()
        assert trace == rows[i]["r"] and answer == rows[i]["a"] == row["normalized_answer"]
        assert row["skill"] == "reasoning" and row["source_row"] == i + 1 and row["source_sha256"] == sha256_file(src)
    c = json.loads(paths["report_json"].read_text())["counts"]
    assert c == {"read": 14, "duplicate_question": 1, "not_english": 1, "over_length_budget": 1, "missing_field": 1,
                 "passed_filters": 10, "kept": 10}


def test_messages_with_think_tags_from_parquet(tmp_path):
    msgs = [[{"role": "user", "content": f"Question {i}?"},
             {"role": "assistant", "content": f"<think>step {i}</think>\nThe answer is {i}."}] for i in range(4)]
    pq.write_table(pa.table({"messages": msgs}), tmp_path / "m.parquet")
    paths = import_reasoning_traces([tmp_path / "m.parquet"], tmp_path / "out", messages_column="messages")
    out = read_rows(paths["rows"])
    assert [r["messages"][-1]["content"] for r in out] == [f"<reasoning>step {i}</reasoning><answer>The answer is {i}.</answer>"
                                                           for i in range(4)]


@pytest.mark.parametrize("sample", ["random", "reservoir"])
def test_seeded_sampling(tmp_path, sample):
    src = _jsonl(tmp_path / "t.jsonl", _rows(200))
    kw = dict(question_column="q", trace_column="r", answer_column="a", sample=sample, rows=20)
    a = import_reasoning_traces([src], tmp_path / "a", seed=1, **kw)
    b = import_reasoning_traces([src], tmp_path / "b", seed=1, **kw)
    c = import_reasoning_traces([src], tmp_path / "c", seed=2, **kw)
    rows_a = [r["source_row"] for r in read_rows(a["rows"])]
    assert rows_a == [r["source_row"] for r in read_rows(b["rows"])]
    assert rows_a != [r["source_row"] for r in read_rows(c["rows"])]
    assert len(set(rows_a)) == 20 and rows_a == sorted(rows_a)
    assert max(rows_a) > 100  # not just the head of the file


def test_sampling_is_roughly_uniform(tmp_path):
    src = _jsonl(tmp_path / "t.jsonl", _rows(100))
    hits = [0] * 100
    for seed in range(60):
        paths = import_reasoning_traces([src], tmp_path / f"s{seed}", question_column="q", trace_column="r",
                                        answer_column="a", sample="reservoir", rows=10, seed=seed)
        for r in read_rows(paths["rows"]):
            hits[r["source_row"] - 1] += 1
    first_half, second_half = sum(hits[:50]), sum(hits[50:])
    assert sum(hits) == 600 and abs(first_half - second_half) < 120  # expected 300 each, sd ~ 12


def test_english_filter():
    assert is_english("The model adds the two numbers and then checks the result against the question.")
    assert not is_english("Модель складывает два числа и затем проверяет результат.")
    assert not is_english("Der Hund läuft schnell über die Straße, weil er die Katze sieht und sie fangen will.")


@pytest.mark.parametrize(
    "content,expect",
    [
        ('{"q": "a", "r": "b"}\n', "field 'a': missing column"),
        ('{"q": 3, "r": "b", "a": "c"}\n', "field 'q': expected a string, got int"),
        ('{"q": "a", "r": \n', ":1: malformed JSON"),
        ("", "empty file"),
    ],
)
def test_bad_input(tmp_path, capsys, content, expect):
    src = tmp_path / "t.jsonl"
    src.write_text(content, encoding="utf-8")
    rc = cli_main(["data", "reasoning-import", "--input", str(src), "--question-column", "q", "--trace-column", "r",
                   "--answer-column", "a", "--out-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and expect in err[0]
    assert not (tmp_path / "out").exists()
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    assert cli_main(["data", "reasoning-import", "--input", str(tmp_path / "x.txt"), "--out-dir", str(tmp_path / "o")]) == 2


def test_a_trace_is_paired_with_the_question_it_answers(tmp_path):
    """A conversation ending in an unanswered user message paired that message with the previous turn's answer;
    ShareGPT speakers and text parts were refused. The trace is the last message, answering the user right
    before it."""
    think = "<think>7 times 6</think>\nIt is 42."
    good = [{"from": "human", "value": "What is 7 times 6?"}, {"from": "gpt", "value": think}]
    parts = [{"role": "user", "content": [{"type": "text", "text": "What is 7 times 6?"}]}, {"role": "assistant", "content": think}]
    unanswered = [{"role": "user", "content": "What is 7 times 6?"}, {"role": "assistant", "content": think},
                  {"role": "user", "content": "And 8 times 9?"}]
    for k, msgs in enumerate((good, parts)):
        path = _jsonl(tmp_path / f"m{k}.jsonl", [{"messages": msgs}])
        out = read_rows(import_reasoning_traces([path], tmp_path / f"out{k}", messages_column="messages")["rows"])
        assert [m["content"] for m in out[0]["messages"][-2:]] == ["What is 7 times 6?",
                                                                  "<reasoning>7 times 6</reasoning><answer>It is 42.</answer>"]
    path = _jsonl(tmp_path / "bad.jsonl", [{"messages": good}, {"messages": unanswered}])
    with pytest.raises(PicochatInputError) as err:
        import_reasoning_traces([path], tmp_path / "out_bad", messages_column="messages")
    assert (err.value.line, err.value.field) == (2, "messages") and "ends with a user message and its assistant" in str(err.value)
    assert not (tmp_path / "out_bad").exists()


def _import_one(tmp_path, name, row, **kw):
    src = _jsonl(tmp_path / f"{name}.jsonl", [row, *_rows(1)])
    kw = {"question_column": "q", "trace_column": "r", "answer_column": "a", **kw}
    paths = import_reasoning_traces([src], tmp_path / name, **kw)
    out = read_rows(paths["rows"])
    return [r for r in out if r["source_row"] == 1], json.loads(paths["report_json"].read_text())["counts"]


@pytest.mark.parametrize("trace,answer", [
    ("5 plus 5 is 10.\nSo the answer is 11.", "10"),
    ("5 plus 5 is 10.\nFinal answer: 11", "10"),
    ("Adding them: 5 + 5 = 11", "10"),
    ("We add the two fives. \\boxed{11}", "10"),
    ("5 and 5 together.\n#### 11", "10"),
    ("The capital of France is Paris, so the answer is Lyon.", "Paris"),
    ("Both fives together make ten. The answer is 10.", "The answer is 11."),
])
def test_a_trace_whose_conclusion_contradicts_its_answer_is_dropped(tmp_path, trace, answer):
    """A trace concluding one answer beside an answer column saying another was trained on: the model learned
    reasoning that does not lead to its answer. Such rows are dropped and counted."""
    kept, counts = _import_one(tmp_path, "x", {"q": "What is 5 plus 5?", "r": trace, "a": answer})
    assert kept == [] and counts["answer_contradicts_trace"] == 1 and counts["kept"] == 1


@pytest.mark.parametrize("trace,answer", [
    ("5 plus 5 is 10.\nSo the answer is 10.", "10"),
    ("5 plus 5 is 10.\nFinal answer: 10", "10"),
    ("Adding them: 5 + 5 = 10", "10"),
    ("We add the two fives. \\boxed{10}", "10"),
    ("I first thought the answer is 11, but 5 + 5 is 10, so the answer is 10.", "10"),
    ("The capital of France is Paris, so the answer is Paris.", "Paris"),
    ("Both fives together make ten. The answer is 10.", "The answer is 10."),
    ("We add the two fives and get a number that is even.", "10"),
])
def test_a_trace_that_agrees_with_its_answer_is_kept(tmp_path, trace, answer):
    kept, counts = _import_one(tmp_path, "x", {"q": "What is 5 plus 5?", "r": trace, "a": answer})
    assert len(kept) == 1 and counts.get("answer_contradicts_trace", 0) == 0
    assert kept[0]["messages"][-1]["content"] == f"<reasoning>{trace}</reasoning><answer>{answer}</answer>"


def test_think_tags_in_the_trace_column_are_split_not_nested(tmp_path):
    """`<think>t</think>answer` in the trace column beside an answer column was kept whole: the reasoning part held
    the think tags and a second copy of the answer. Now the trace is the think part; a response after it that
    states another answer than the answer column drops the row."""
    kept, _ = _import_one(tmp_path, "ok", {"q": "What is 6 times 7?", "r": "<think>6 times 7 is 42</think>42", "a": "42"})
    assert kept[0]["messages"][-1]["content"] == "<reasoning>6 times 7 is 42</reasoning><answer>42</answer>"
    kept, counts = _import_one(tmp_path, "bad", {"q": "What is 6 times 7?", "r": "<think>6 times 7</think>It is 43.", "a": "42"})
    assert kept == [] and counts["answer_contradicts_trace"] == 1


@pytest.mark.parametrize("trace,answer", [
    ("3 plus 3 is 6</reasoning><answer>7", "6"),
    ("2 plus 2 is 4", "<answer>4</answer>"),
    ("<think>a</think><think>b</think>", "4"),
    ("we think <REASONING> twice", "4"),
])
def test_markup_inside_a_field_is_dropped(tmp_path, trace, answer):
    """A trace or answer holding the output's own tags made a row with two answers (or none) for the scorer to read."""
    kept, counts = _import_one(tmp_path, "x", {"q": "What is 2 plus 2?", "r": trace, "a": answer})
    assert kept == [] and counts["markup_in_text"] == 1


@pytest.mark.parametrize("response", [
    "<reasoning>6 times 7 is 42</reasoning>\n<answer>42</answer>",
    "<reasoning>6 times 7 is 42</reasoning><answer>42</answer>",
])
def test_a_response_already_in_the_reasoning_format_is_read(tmp_path, response):
    """A response in the output format itself (the seed plan's standard form) was dropped as a missing trace."""
    msgs = [{"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": response}]
    src = _jsonl(tmp_path / "m.jsonl", [{"messages": msgs}])
    out = read_rows(import_reasoning_traces([src], tmp_path / "o", messages_column="messages")["rows"])
    assert out[0]["messages"][-1]["content"] == "<reasoning>6 times 7 is 42</reasoning><answer>42</answer>"


@pytest.mark.parametrize("trace,answer,kept_expected", [
    ("5 and 5 make ten.\nSo 11 in all.", "10", False),
    ("5 and 5 make ten.\nTherefore, there are 10 apples.", "10", True),
    ("The answer is 10.\nActually no: 5 + 5 = 11", "10", False),
    ("So the answer is 11, since 5 + 5 = 10", "10", False),
    ("The answer is 10.\nCheck: 5 + 5 = 10", "10", True),
    ("We add 5 and 5 to get 10.\nSo the capital city is Rome.", "Paris", True),  # a text answer: the last line is not read
    ("Final answer: 10.0", "10", True),
    ("the final answer is ten", "10", True),
    ("The answer is 10 or 11.", "10", False),
])
def test_the_traces_last_line_is_checked_against_the_answer(tmp_path, trace, answer, kept_expected):
    kept, counts = _import_one(tmp_path, "x", {"q": "What is 5 plus 5?", "r": trace, "a": answer})
    assert bool(kept) is kept_expected, counts


def test_a_think_response_whose_answer_contradicts_its_trace_is_dropped(tmp_path):
    """The same check reads messages and a trace column split at `</think>` (no answer column)."""
    good = [{"role": "user", "content": "What is 5 plus 5?"}, {"role": "assistant", "content": "<think>5 + 5 = 10</think>10"}]
    bad = [{"role": "user", "content": "What is 5 plus 6?"}, {"role": "assistant", "content": "<think>5 + 6 = 11</think>The answer is 12."}]
    src = _jsonl(tmp_path / "m.jsonl", [{"messages": good}, {"messages": bad}])
    paths = import_reasoning_traces([src], tmp_path / "o", messages_column="messages")
    assert [r["source_row"] for r in read_rows(paths["rows"])] == [1]
    src = _jsonl(tmp_path / "c.jsonl", [{"q": m[0]["content"], "r": m[1]["content"]} for m in (good, bad)])
    paths = import_reasoning_traces([src], tmp_path / "c", question_column="q", trace_column="r", answer_column=None)
    assert [r["source_row"] for r in read_rows(paths["rows"])] == [1]
    report = json.loads(paths["report_json"].read_text())
    assert report["counts"]["answer_contradicts_trace"] == 1
    assert "contradicts its trace 1" in (tmp_path / "c" / "reasoning_import.md").read_text()


def test_the_conversation_before_the_traced_answer_is_kept(tmp_path):
    """A messages row lost its system message and every earlier turn: "And 8 times 9?" was trained without the
    conversation it continues. The system message and earlier turns are kept (an earlier answer's own reasoning
    is left out, as reasoning chat templates do); `--system-prompt` fills in only where a row has no system message."""
    long = [{"role": "system", "content": "Answer tersely."}, {"role": "user", "content": "What is 7 times 6?"},
            {"role": "assistant", "content": "<think>7 times 6</think>42"}, {"role": "user", "content": "And 8 times 9?"},
            {"role": "assistant", "content": "<think>8 times 9 = 72</think>72"}]
    short = [{"role": "user", "content": "And 8 times 9?"}, {"role": "assistant", "content": "<think>8 times 9 = 72</think>72"}]
    src = _jsonl(tmp_path / "m.jsonl", [{"messages": long}, {"messages": short}])
    paths = import_reasoning_traces([src], tmp_path / "o", messages_column="messages", system_prompt="Think first.")
    out = read_rows(paths["rows"])
    assert [m["content"] for m in out[0]["messages"]] == [
        "Answer tersely.", "What is 7 times 6?", "42", "And 8 times 9?", "<reasoning>8 times 9 = 72</reasoning><answer>72</answer>"]
    assert [m["content"] for m in out[1]["messages"]] == [  # the same last question in another conversation is no duplicate
        "Think first.", "And 8 times 9?", "<reasoning>8 times 9 = 72</reasoning><answer>72</answer>"]


@pytest.mark.parametrize("response,answer_column", [
    ("<Thought>\n6 times 7 is 42\n</Thought>\n<Output>\n42\n</Output>", None),  # OpenO1-SFT
    ("<Thought>6 times 7 is 42</Thought><Output>42</Output>", None),
    ("<think>6 times 7 is 42</think>\n\n42", None),  # DeepSeek-R1 exports, glaive reasoning-v1
])
def test_the_seed_plans_trace_formats_are_split(tmp_path, response, answer_column):
    """OpenO1-SFT writes `<Thought>…</Thought><Output>…</Output>`: every such row was dropped as having no answer."""
    src = _jsonl(tmp_path / "o1.jsonl", [{"instruction": "What is 6 times 7?", "output": response}])
    paths = import_reasoning_traces([src], tmp_path / "o", question_column="instruction", trace_column="output",
                                    answer_column=answer_column)
    assert read_rows(paths["rows"])[0]["messages"][-1]["content"] == "<reasoning>6 times 7 is 42</reasoning><answer>42</answer>"


def test_an_openo1_output_contradicting_its_thought_is_dropped(tmp_path):
    rows = [{"instruction": "What is 6 times 7?", "output": "<Thought>6 times 7 = 42</Thought><Output>43</Output>"},
            {"instruction": "What is 2 times 2?", "output": "<Thought>2 times 2 = 4</Thought><Output>4</Output><Output>5</Output>"},
            *[{"instruction": r["q"], "output": f"<Thought>{r['r']}</Thought><Output>{r['a']}</Output>"} for r in _rows(1)]]
    paths = import_reasoning_traces([_jsonl(tmp_path / "o1.jsonl", rows)], tmp_path / "o", question_column="instruction",
                                    trace_column="output", answer_column=None)
    c = json.loads(paths["report_json"].read_text())["counts"]
    assert (c["answer_contradicts_trace"], c["markup_in_text"], c["kept"]) == (1, 1, 1)


@pytest.mark.parametrize("tail,norm", [("The answer is 42.", "42"), ("Final answer: 42", "42"), ("It is 42.", "42"),
                                       ("42", "42"), ("So the answer is Paris.", "paris")])
def test_the_rows_checked_answer_is_the_value_its_response_states(tmp_path, tail, norm):
    """`<think>…</think>The answer is 42.` kept "the answer is 42" as the row's normalized answer, so an honest
    reply `<answer>42</answer>` was scored wrong; the answer the response states is the checked value."""
    from picochat_hf.eval.scoring import reply_passes

    msgs = [{"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": f"<think>work</think>{tail}"}]
    row = read_rows(import_reasoning_traces([_jsonl(tmp_path / "m.jsonl", [{"messages": msgs}])], tmp_path / "o",
                                            messages_column="messages")["rows"])[0]
    assert row["normalized_answer"] == norm and row["reference_answer"] == tail
    right, wrong = ("42", "43") if norm == "42" else ("Paris", "Lyon")
    assert reply_passes(row, f"<reasoning>x</reasoning><answer>{right}</answer>")
    assert not reply_passes(row, f"<reasoning>x</reasoning><answer>{wrong}</answer>")


@pytest.mark.parametrize("trace,answer,kept_expected", [
    ("The answer is not B; it is C.", "B", False),
    ("B is wrong, so the answer is C.", "B", False),
    ("The answer is B) Paris.", "B", True),
    ("So the answer is the city of Paris.", "Paris", True),
    ("So the answer is not Paris but Lyon.", "Paris", False),
    ("Five and five is ten.\nHmm, so actually it's 11.", "10", False),
    ("Five and five.\nWe add them, so we get 10.", "10", True),
])
def test_a_denied_or_corrected_conclusion_is_not_read_as_agreement(tmp_path, trace, answer, kept_expected):
    """"The answer is not B; it is C." holds the letter B, which a words-in-order test read as agreeing with B."""
    kept, counts = _import_one(tmp_path, "x", {"q": "Which option: A, B or C? Or what is 5 plus 5?", "r": trace, "a": answer})
    assert bool(kept) is kept_expected, counts


@pytest.mark.parametrize("trace,answer,kept_expected", [
    ("48 + 24 = 72", "72 clips", True),
    ("48 + 24 = 71", "72 clips", False),
    ("So the answer is 72.", "$72", True),
    ("So the answer is 70.", "72 clips in all", False),
])
def test_a_number_answer_with_its_unit_is_compared_as_a_number(tmp_path, trace, answer, kept_expected):
    """"72 clips" was compared as text, so a trace ending "= 72" was read as contradicting it and an honest row dropped."""
    kept, counts = _import_one(tmp_path, "x", {"q": "How many clips did Natalia sell in all?", "r": trace, "a": answer})
    assert bool(kept) is kept_expected, counts
    if kept:
        assert kept[0]["normalized_answer"] == "72"


@pytest.mark.parametrize("trace,kept_expected", [
    ("Adding them up.\nThe answer is:\n\n41", False),
    ("Adding them up.\nFinal answer:\n**41**", False),
    ("Adding them up.\nThe answer is:\n\n42", True),
])
def test_a_statement_whose_value_is_on_the_next_line_is_read(tmp_path, trace, kept_expected):
    """"The answer is:" with the value on the next line stated nothing, so the trace went unchecked."""
    kept, counts = _import_one(tmp_path, "x", {"q": "What is 40 plus 2?", "r": trace, "a": "42"})
    assert bool(kept) is kept_expected, counts


@pytest.mark.parametrize("q,r,a", [("q", "r", "r"), ("q", "q", "a"), ("a", "r", "a")])
def test_one_column_mapped_to_two_fields_is_refused(tmp_path, q, r, a):
    """`--trace-column response --answer-column response` wrote the whole response as the trace and again as the
    answer."""
    src = _jsonl(tmp_path / "t.jsonl", _rows(2))
    with pytest.raises(PicochatInputError) as err:
        import_reasoning_traces([src], tmp_path / "o", question_column=q, trace_column=r, answer_column=a)
    assert "twice" in str(err.value) and not (tmp_path / "o").exists()


@pytest.mark.parametrize("trace,answer,kept_expected", [
    ("3 plus 3 is 6.", "7", False),
    ("Three and three together make 6", "7", False),
    ("3 plus 3 is 6.", "6", True),
    ("We count them: there are 6 in all.", "6", True),
])
def test_a_last_line_ending_in_is_n_is_read_for_a_number_answer(tmp_path, trace, answer, kept_expected):
    """`<Thought>3 plus 3 is 6.</Thought><Output>7</Output>` was imported: the trace's last line ends "is 6" and
    states no marker, so nothing was compared."""
    kept, counts = _import_one(tmp_path, "x", {"q": "What is 3 plus 3?", "r": trace, "a": answer})
    assert bool(kept) is kept_expected, counts
