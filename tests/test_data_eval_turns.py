"""An eval row is asked the conversation before its last assistant turn (`eval.model_io.prompt_messages`), so a user
turn after that assistant turn is never asked: [user "What is 2+2?", assistant "4", user "What is 3+3?"] with
normalized_answer "6" would ask 2+2 and score the reply against 6. Such a row is refused when it is scored (it carries
a scoring rule or is an eval row); a training conversation that ends on a user turn is kept, as before."""

from __future__ import annotations

import copy

import pytest

from picochat_hf.data.schema import validate_row
from picochat_hf.utils.errors import PicochatInputError

U1, A1, U2 = ({"role": "user", "content": "What is 2+2?"}, {"role": "assistant", "content": "4"},
              {"role": "user", "content": "What is 3+3?"})


def _row(messages: list[dict], **over) -> dict:
    return {"id": "r1", "category": "math", "skill": "math", "split": "train", "source": "s", "messages": messages, **over}


@pytest.mark.parametrize("over", [{"normalized_answer": "6"}, {"must_include": ["6"]}, {"reference_answer": "6"},
                                  {"split": "eval"}, {"answerable": False, "skill": "refusal"}, {"max_words": 3}])
def test_a_scored_row_with_a_user_turn_after_its_last_answer_is_refused(over):
    with pytest.raises(PicochatInputError) as err:
        validate_row(_row([U1, A1, U2], **over), path="eval.jsonl", line=7)
    assert (err.value.path, err.value.line, err.value.field) == ("eval.jsonl", 7, "messages[2].role")
    assert "never asked" in err.value.reason


@pytest.mark.parametrize("messages,over", [
    ([U1, A1, U2], {}),  # a training conversation: the trailing turn is context, never a target
    ([U1], {"normalized_answer": "4", "split": "eval"}),  # a prompt-only eval row
    ([U1, A1, U2, {"role": "assistant", "content": "6"}], {"normalized_answer": "6", "split": "eval"}),
    ([U1, A1], {"normalized_answer": "4", "split": "eval"}),
])
def test_rows_that_ask_what_they_score_are_read(messages, over):
    row = _row(messages, **over)
    assert validate_row(copy.deepcopy(row)) == row  # accepted, and nothing rewritten