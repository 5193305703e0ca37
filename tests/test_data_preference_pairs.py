"""A preference pair whose rejected answer is its chosen answer prefers nothing: DPO's loss for it is log 2 whatever
the model does, yet it counted as a training pair. Refused naming the line and `rejected`; pairs that differ read."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError

U, A = "user", "assistant"


def _conv(*turns) -> list[dict]:
    return [{"role": r, "content": c} for r, c in turns]


SAME = [
    {"prompt": "What is 2 + 2?", "chosen": "4", "rejected": "4"},
    {"prompt": [{"role": U, "content": "Hi?"}], "chosen": [{"role": A, "content": "Hello."}],
     "rejected": [{"role": A, "content": "Hello."}]},
    {"chosen": _conv((U, "Hi?"), (A, "Hello.")), "rejected": _conv((U, "Hi?"), (A, "Hello."))},
]


@pytest.mark.parametrize("record", SAME, ids=["strings", "message_lists", "implicit_prompt"])
def test_a_pair_whose_rejected_answer_is_the_chosen_one_is_refused(tmp_path, record):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"prompt": "Q?", "chosen": "a", "rejected": "b"}) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(PicochatInputError, match="same answer as chosen") as err:
        read_rows(path)
    assert (err.value.line, err.value.field) == (2, "rejected")


@pytest.mark.parametrize("rejected", ["5", "4.", " 4", "four"])
def test_a_pair_whose_answers_differ_at_all_is_read(tmp_path, rejected):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"prompt": "What is 2 + 2?", "chosen": "4", "rejected": rejected}) + "\n")
    row = read_rows(path)[0]
    assert row["messages"][-1]["content"] == "4"
