"""What a whole record trains: its own `weight` (1 trains it, 0 leaves it out, counted; anything else refused) and,
in a training file, a conversation that holds an assistant answer and ends on one. Every format reads them alike;
errors name the file, line and field."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from train_fixtures import tokenizer

from picochat_hf.cli import main as cli_main
from picochat_hf.data.row_formats import defaults_summary, iter_rows, normalize_row
from picochat_hf.tokenizer import save_tokenizer
from picochat_hf.utils.errors import PicochatInputError

U, A, S = "user", "assistant", "system"
PICO = {"id": "r1", "category": "c", "skill": "general", "split": "train", "source": "s"}


def _msg(role: str, text: str) -> dict:
    return {"role": role, "content": text}


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# one conversation (user "q", assistant "a") in every accepted layout
LAYOUTS = {
    "messages": {"messages": [_msg(U, "q"), _msg(A, "a")]},
    "parts": {"messages": [{"role": U, "content": [{"type": "text", "text": "q"}]},
                           {"role": A, "content": [{"type": "text", "text": "a"}]}]},
    "sharegpt": {"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]},
    "conversations_chatml": {"conversations": [_msg(U, "q"), _msg(A, "a")]},
    "prompt_completion": {"prompt": "q", "completion": "a"},
    "prompt_completion_lists": {"prompt": [_msg(U, "q")], "completion": [_msg(A, "a")]},
    "alpaca": {"instruction": "q", "output": "a"},
    "preference": {"prompt": "q", "chosen": "a", "rejected": "b"},
    "picochat": {**PICO, "messages": [_msg(U, "q"), _msg(A, "a")]},
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("switch", [{"weight": 0}, {"weight": 0.0}, {"train": False}, {"training": False},
                                    {"weight": 0, "trainable": False}])
def test_a_record_switched_off_is_left_out_of_training_and_counted(tmp_path, layout, switch):
    record = {**LAYOUTS[layout], **switch}
    assert normalize_row(record, path="rows.jsonl", line=1) is None
    kept = {**LAYOUTS[layout], "id": "kept"}
    path = _jsonl(tmp_path / "rows.jsonl", [kept, {**record, "id": "off"}])
    counts: Counter = Counter()
    rows = list(iter_rows(path, defaults_used=counts))
    assert [r["id"] for r in rows] == ["kept"]
    reason = next(f"{k} {v if k == 'weight' else 'false'}" for k, v in switch.items())
    assert defaults_summary(counts)["dropped_rows"] == {reason.replace("0.0", "0"): 1}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("switch", [{}, {"weight": 1}, {"weight": 1.0}, {"weight": None}, {"train": True},
                                    {"weight": 1, "training": True}])
def test_a_record_switched_on_or_silent_is_trained(layout, switch):
    row = normalize_row({**LAYOUTS[layout], **switch}, path="rows.jsonl", line=1)
    assert row is not None and row["messages"][-1] == _msg(A, "a")


@pytest.mark.parametrize("layout", ["messages", "sharegpt", "alpaca", "picochat"])
@pytest.mark.parametrize("switch, field, reason", [
    ({"weight": -1}, "weight", "weight -1: a row is trained"),
    ({"weight": 2}, "weight", "no per-row loss scale"),
    ({"weight": 0.5}, "weight", "weight 0.5"),
    ({"weight": float("nan")}, "weight", "weight nan"),
    ({"weight": "0"}, "weight", "weight '0'"),
    ({"weight": "1"}, "weight", "weight '1'"),
    ({"weight": True}, "weight", "weight True"),
    ({"train": "no"}, "train", "training flag is true or false"),
    ({"training": 0}, "training", "training flag is true or false"),
    ({"weight": 1, "train": False}, "train", "disagree"),
    ({"weight": 0, "trainable": True}, "trainable", "disagree"),
    ({"loss_weight": 0}, "loss_weight", "is not read"),
    ({"sample_weight": 2.0}, "sample_weight", "is not read"),
])
def test_a_record_weight_that_cannot_be_honoured_is_refused(layout, switch, field, reason):
    with pytest.raises(PicochatInputError, match=reason) as err:
        normalize_row({**LAYOUTS[layout], **switch}, path="rows.jsonl", line=7)
    assert (err.value.path, err.value.line, err.value.field) == ("rows.jsonl", 7, field)


def test_an_eval_row_is_never_left_out_by_its_weight():
    eval_row = {"messages": [_msg(U, "q"), _msg(A, "a")], "must_include": ["a"]}
    with pytest.raises(PicochatInputError, match="every eval row is scored") as err:
        normalize_row({**eval_row, "weight": 0}, path="eval.jsonl", line=2, split="eval")
    assert err.value.field == "weight"
    kept = normalize_row({**eval_row, "weight": 1}, path="eval.jsonl", line=2, split="eval")
    assert (kept["split"], kept["must_include"], kept["messages"]) == ("eval", ["a"], eval_row["messages"])


def test_data_shards_refuses_a_negative_record_weight_with_exit_2(tmp_path, capsys):
    save_tokenizer(tokenizer(), tmp_path / "tok")
    rows = _jsonl(tmp_path / "rows.jsonl", [LAYOUTS["messages"], {**LAYOUTS["sharegpt"], "weight": -1}])
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "rows.jsonl:2, field 'weight': weight -1" in err[-1]
    assert not (tmp_path / "o").exists()


# a training row with nothing to train: no assistant message, or a user message after the last answer
@pytest.mark.parametrize("record, field", [
    ({"messages": [_msg(U, "q")]}, "messages"),
    ({"messages": [_msg(S, "s"), _msg(U, "q")]}, "messages"),
    ({"messages": [_msg(U, "q"), _msg(A, "a"), _msg(U, "and then?")]}, "messages[2].role"),
    ({"messages": [_msg(S, "s"), _msg(U, "q"), _msg(A, "a"), _msg(U, "and then?")]}, "messages[3].role"),
    ({"messages": [_msg(U, [{"type": "text", "text": "q"}])]}, "messages"),
    ({"conversations": [{"from": "human", "value": "q"}]}, "conversations"),
    ({"conversations": [{"from": "system", "value": "s"}, {"from": "human", "value": "q"}]}, "conversations"),
    ({"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}, {"from": "human", "value": "x"}]},
     "conversations[2].role"),
    ({"conversations": [_msg(U, "q"), _msg(A, "a"), _msg(U, "x")]}, "conversations[2].role"),
    ({**PICO, "messages": [_msg(U, "q")]}, "messages"),
    ({**PICO, "messages": [_msg(U, "q"), _msg(A, "a"), _msg(U, "x")]}, "messages[2].role"),
])
def test_a_training_row_with_nothing_to_train_is_refused_naming_the_message(record, field):
    with pytest.raises(PicochatInputError, match="no assistant message|ends on a user message") as err:
        normalize_row(record, path="rows.jsonl", line=3)
    assert (err.value.path, err.value.line, err.value.field) == ("rows.jsonl", 3, field)


@pytest.mark.parametrize("record", [
    {"messages": [_msg(U, "q"), _msg(A, "a")]},
    {"messages": [_msg(S, "s"), _msg(U, "q"), _msg(A, "a"), _msg(U, "and then?"), _msg(A, "done")]},
    {"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]},
    {"conversations": [_msg(U, "q"), _msg(A, "a")]},
    {**PICO, "messages": [_msg(U, "q"), _msg(A, "a")]},
])
def test_a_training_row_ending_on_its_answer_is_kept(record):
    assert normalize_row(record, path="rows.jsonl", line=3)["messages"][-1]["role"] == A


@pytest.mark.parametrize("record", [
    {"messages": [_msg(U, "q")]},  # a prompt-only eval row: the model's reply is what is scored
    {"conversations": [{"from": "human", "value": "q"}]},
    {**PICO, "split": "eval", "messages": [_msg(U, "q")], "must_include": ["a"]},
])
def test_a_prompt_only_eval_row_is_kept(record):
    assert normalize_row(record, path="eval.jsonl", line=1, split="eval")["messages"][-1]["role"] == U


def test_a_scored_prompt_only_row_in_a_training_read_is_kept():
    # the preflight and skill-growth evals read eval files in the default role: a row with rules is scored, not trained
    row = normalize_row({"messages": [_msg(U, "q")], "must_include": ["a"]}, path="eval.jsonl", line=1)
    assert row["messages"] == [_msg(U, "q")]


def test_data_shards_refuses_a_conversation_cut_short_with_exit_2(tmp_path, capsys):
    save_tokenizer(tokenizer(), tmp_path / "tok")
    rows = _jsonl(tmp_path / "rows.jsonl", [LAYOUTS["sharegpt"],
                                            {"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"},
                                                               {"from": "human", "value": "x"}]}])
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "rows.jsonl:2, field 'conversations[2].role': the conversation ends on a user message" in err[-1]
    assert not (tmp_path / "o").exists()


def test_dpo_pairs_read_the_record_weight_as_sft_does():
    from picochat_hf.training.dpo import preference_dataset

    pair = {"prompt": "q", "chosen": "a", "rejected": "b"}
    ds = preference_dataset("pairs.jsonl", [(1, pair), (2, {**pair, "chosen": "c", "weight": 0}), (3, {**pair, "weight": 1})])
    assert ds["chosen"] == [[_msg(A, "a")], [_msg(A, "a")]]
    with pytest.raises(PicochatInputError, match="weight -1") as err:
        preference_dataset("pairs.jsonl", [(1, pair), (2, {**pair, "weight": -1})])
    assert (err.value.line, err.value.field) == (2, "weight")
    with pytest.raises(PicochatInputError, match="every eval row is scored"):
        preference_dataset("eval.jsonl", [(1, {**pair, "weight": 0})], split="eval")
    with pytest.raises(PicochatInputError, match="every pair has weight 0"):
        preference_dataset("pairs.jsonl", [(1, {**pair, "weight": 0})])


@pytest.mark.parametrize("record, field", [
    ({"messages": [_msg(U, "q"), {"role": A, "content": "a", "Weight": 0}]}, "messages[1].Weight"),
    ({"messages": [{"Role": U, "Content": "q"}, _msg(A, "a")]}, "messages[0].Role"),
    ({"messages": [{"role": U, "Content": "q"}, _msg(A, "a")]}, "messages[0].Content"),
    ({"conversations": [{"From": "human", "Value": "q"}, {"from": "gpt", "value": "a"}]}, "conversations[0].From"),
    ({"messages": [_msg(U, "q"), _msg(A, "a")], "Weight": 0}, "Weight"),
    ({"messages": [_msg(U, "q"), _msg(A, "a")], "TRAIN": False}, "TRAIN"),
])
def test_a_read_key_in_other_letter_case_is_refused_not_dropped(record, field):
    # dropped as an unread key, `Weight: 0` would train the turn it switches off
    with pytest.raises(PicochatInputError, match="case-sensitive") as err:
        normalize_row(record, path="rows.jsonl", line=5)
    assert (err.value.line, err.value.field) == (5, field)


def test_a_chat_column_in_other_letter_case_is_named():
    with pytest.raises(PicochatInputError, match="spell 'Messages' as 'messages'"):
        normalize_row({"Messages": [_msg(U, "q"), _msg(A, "a")]}, path="rows.jsonl", line=1)


@pytest.mark.parametrize("record", [
    {"messages": [_msg(U, "q"), {"role": A, "content": "a", "weight": 1}]},
    {"messages": [{"role": U, "content": "q", "Metadata": {"k": 1}}, _msg(A, "a")]},  # an unread key: dropped, counted
    {"messages": [_msg(U, "q"), _msg(A, "a")], "Category": "x"},
])
def test_lower_case_and_unread_keys_are_read_as_before(record):
    assert normalize_row(record, path="rows.jsonl", line=1)["messages"][-1]["content"] == "a"


def test_reasoning_import_leaves_out_a_record_of_weight_0_and_counts_it(tmp_path):
    from picochat_hf.data.reasoning_import import import_reasoning_traces

    row = {"question": "What is 2 plus 2?", "trace": "2 plus 2 is 4.", "answer": "4"}
    src = _jsonl(tmp_path / "t.jsonl", [row, {**row, "question": "What is 3 plus 1?", "weight": 0}])
    out = import_reasoning_traces([src], tmp_path / "o")
    assert len(out["rows"].read_text(encoding="utf-8").splitlines()) == 1
    assert json.loads(out["report_json"].read_text(encoding="utf-8"))["counts"]["weight_0"] == 1
    with pytest.raises(PicochatInputError, match="weight -1") as err:
        import_reasoning_traces([_jsonl(tmp_path / "b.jsonl", [{**row, "weight": -1}])], tmp_path / "b")
    assert (err.value.line, err.value.field) == (1, "weight") and not (tmp_path / "b").exists()


@pytest.mark.parametrize("key", ["chosen", "rejected"])
def test_a_preference_answer_ending_on_a_user_message_is_refused(key):
    # DPO scores every token of the answer: a trailing user message would be preferred (or dispreferred) with it
    q, x = _msg(U, "q"), _msg(U, "and then?")
    sides = {"chosen": [q, _msg(A, "a")], "rejected": [q, _msg(A, "b")]}
    record = {**sides, key: [*sides[key], x]}
    from picochat_hf.data.row_formats import preference_triple

    with pytest.raises(PicochatInputError, match="ends on a user message") as err:
        preference_triple(record, path="pairs.jsonl", line=2)
    assert (err.value.line, err.value.field) == (2, f"{key}[2].role")
    assert preference_triple(sides, path="pairs.jsonl", line=2)[1] == [_msg(A, "a")]
    assert normalize_row({"prompt": "q", "chosen": [_msg(A, "a")], "rejected": [_msg(A, "b")]})["messages"][-1] == _msg(A, "a")


_CALL = {"id": "c1", "type": "function", "function": {"name": "calc", "arguments": {"expression": "12*7"}}}
_OPEN = [_msg(U, "What is 12*7?"), {"role": A, "content": "", "tool_calls": [_CALL]},
         {"role": "tool", "tool_call_id": "c1", "content": "84"}]
_SHAREGPT_OPEN = [{"from": "human", "value": "What is 12*7?"},
                  {"from": "function_call", "value": json.dumps({"name": "calc", "arguments": {"expression": "12*7"}})},
                  {"from": "observation", "value": "84"}]


@pytest.mark.parametrize("record, field", [
    ({"messages": _OPEN}, "messages[2].role"),
    ({"conversations": _SHAREGPT_OPEN}, "conversations[2].role"),
])
def test_a_training_row_ending_on_a_tool_result_is_refused(record, field):
    with pytest.raises(PicochatInputError, match="ends on a tool result") as err:
        normalize_row(record, path="rows.jsonl", line=4)
    assert (err.value.line, err.value.field) == (4, field)


@pytest.mark.parametrize("record", [
    {"messages": [*_OPEN, _msg(A, "84.")]},
    {"conversations": [*_SHAREGPT_OPEN, {"from": "gpt", "value": "84."}]},
    {"prompt": _OPEN, "completion": [_msg(A, "84.")]},
])
def test_a_tool_turn_answered_after_its_result_is_trained(record):
    content = normalize_row(record, path="rows.jsonl", line=4)["messages"][-1]["content"]
    assert content[-1] == {"type": "text", "text": "84."}


def test_an_eval_prompt_ending_on_a_tool_result_is_kept():
    row = normalize_row({"messages": _OPEN}, path="eval.jsonl", line=1, split="eval")
    assert row["messages"][-1]["content"][-1]["type"] == "python_output"


def test_dataset_records_switched_off_are_left_out_and_counted(tmp_path):
    from picochat_hf.data.datasets_source import iter_dataset_rows
    from picochat_hf.data.row_formats import normalize_records

    records = [(1, LAYOUTS["messages"]), (2, {**LAYOUTS["sharegpt"], "weight": 0}), (3, {**LAYOUTS["alpaca"], "weight": 1})]
    counts: Counter = Counter()
    rows = list(normalize_records(records, where="ds[train]", split="train", source="ds", defaults_used=counts))
    assert [r["id"] for r in rows] == ["ds:1", "ds:3"] and counts["dropped_row:weight 0"] == 1
    path = _jsonl(tmp_path / "d.jsonl", [r for _, r in records])
    counts = Counter()
    assert len(list(iter_dataset_rows(str(path), defaults_used=counts))) == 2
    assert defaults_summary(counts)["dropped_rows"] == {"weight 0": 1}


def _mixed_with_dropped() -> list[dict]:
    """Two formats, each with rows used and rows switched off (weight 0, train false), one dropped row carrying an
    unread message key and missing every picochat field: what is counted of it is that it was read and dropped."""
    sharegpt_off = {"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a", "timestamp": 1}],
                    "weight": 0}
    return [{"id": "m1", **LAYOUTS["messages"]}, {"id": "m2", **LAYOUTS["messages"], "train": False},
            {"id": "m3", **LAYOUTS["messages"], "weight": 1}, {"id": "s1", **LAYOUTS["sharegpt"]}, sharegpt_off,
            {**PICO, "id": "p1", "messages": [_msg(U, "q"), _msg(A, "a")], "weight": 0},
            {**PICO, "id": "p2", "messages": [_msg(U, "q"), _msg(A, "a")]}]


def test_rows_left_out_count_as_read_and_dropped_under_their_format_and_the_counts_add_up(tmp_path):
    counts: Counter = Counter()
    rows = list(iter_rows(_jsonl(tmp_path / "rows.jsonl", _mixed_with_dropped()), defaults_used=counts))
    assert [r["id"] for r in rows] == ["m1", "m3", "s1", "p2"]
    summary = defaults_summary(counts)
    assert summary["formats"] == {"conversational": 2, "picochat": 1, "sharegpt": 1}  # rows used, not rows read
    assert summary["rows"] == {"conversational": {"read": 3, "used": 2, "dropped": 1, "refused": 0},
                               "picochat": {"read": 2, "used": 1, "dropped": 1, "refused": 0},
                               "sharegpt": {"read": 2, "used": 1, "dropped": 1, "refused": 0}}
    assert all(c["read"] == c["used"] + c["dropped"] + c["refused"] for c in summary["rows"].values())
    assert sum(c["read"] for c in summary["rows"].values()) == 7 and sum(summary["dropped_rows"].values()) == 3
    assert summary["dropped_rows"] == {"train false": 1, "weight 0": 2}
    # the dropped rows' defaults and unread keys are not those of the rows used
    assert summary["defaulted_fields"] == {"category": 3, "skill": 3, "split": 3, "source": 3}
    assert summary["dropped_message_keys"] == {}


def test_rows_all_used_count_as_read_and_used():
    counts: Counter = Counter()
    for i, layout in enumerate(("messages", "sharegpt", "alpaca", "picochat")):
        assert normalize_row({**LAYOUTS[layout], "id": f"r{i}"}, path="rows.jsonl", line=i + 1, defaults_used=counts)
    summary = defaults_summary(counts)
    assert summary["formats"] == {"alpaca": 1, "conversational": 1, "picochat": 1, "sharegpt": 1}
    assert summary["rows"] == {f: {"read": 1, "used": 1, "dropped": 0, "refused": 0} for f in summary["formats"]}
    assert summary["dropped_rows"] == {}


def test_a_refused_row_counts_nothing_and_the_shards_manifest_adds_up(tmp_path, capsys):
    counts: Counter = Counter()
    with pytest.raises(PicochatInputError):
        normalize_row({**LAYOUTS["messages"], "weight": 0.5}, path="rows.jsonl", line=1, defaults_used=counts)
    with pytest.raises(PicochatInputError):  # read whole before it is dropped: a broken dropped row is refused
        normalize_row({"messages": [_msg(U, "q")], "weight": 0}, path="rows.jsonl", line=2, defaults_used=counts)
    assert counts == Counter()
    save_tokenizer(tokenizer(), tmp_path / "tok")
    rows = _jsonl(tmp_path / "rows.jsonl", _mixed_with_dropped())
    assert cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tmp_path / "tok"),
                     "--out-dir", str(tmp_path / "o")]) == 0
    manifest = json.loads((tmp_path / "o" / "shards.json").read_text())
    assert manifest["sequences"] == 4
    assert manifest["row_formats"]["rows"]["conversational"] == {"read": 3, "used": 2, "dropped": 1, "refused": 0}
    assert manifest["row_formats"]["formats"] == {"conversational": 2, "picochat": 1, "sharegpt": 1}
