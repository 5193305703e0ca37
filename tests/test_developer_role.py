"""OpenAI's `developer` role (the system prompt of its newer chat format) was refused as an unknown role."""

from __future__ import annotations

import pytest

from picochat_hf.data.row_formats import normalize_row
from picochat_hf.utils.errors import PicochatInputError


def test_a_developer_message_is_the_system_prompt():
    row = normalize_row({"messages": [{"role": "developer", "content": "Be terse."}, {"role": "user", "content": "Hi"},
                                      {"role": "assistant", "content": "Hello"}]}, path="x.jsonl", line=1)
    assert row["messages"][0] == {"role": "system", "content": "Be terse."}


def test_a_developer_message_after_the_opening_is_refused_like_a_system_message():
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": [{"role": "user", "content": "Hi"}, {"role": "developer", "content": "Be terse."},
                                    {"role": "assistant", "content": "Hello"}]}, path="x.jsonl", line=1)
    assert err.value.field == "messages[1].role"


@pytest.mark.parametrize("role", ["Developer", "DEVELOPER", " developer", "System"])
def test_a_system_role_in_other_letter_case_is_the_system_prompt(role):
    row = normalize_row({"messages": [{"role": role, "content": "Be terse."}, {"role": "user", "content": "Hi"},
                                      {"role": "assistant", "content": "Hello"}]}, path="x.jsonl", line=1)
    assert row["messages"][0] == {"role": "system", "content": "Be terse."}


@pytest.mark.parametrize("role", ["robot", "narrator", "function_call", "", 3])
def test_other_roles_are_still_refused(role):
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": [{"role": role, "content": "x"}, {"role": "user", "content": "Hi"},
                                    {"role": "assistant", "content": "Hello"}]}, path="x.jsonl", line=1)
    assert err.value.field == "messages[0].role" and repr(role) in str(err.value)


@pytest.mark.parametrize("role", ["bot", "function", "Model"])
def test_a_mapped_role_out_of_place_is_refused_as_that_role(role):
    """`bot`/`Model` are the assistant and `function` a tool result: neither may open a conversation."""
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": [{"role": role, "content": "x"}, {"role": "user", "content": "Hi"},
                                    {"role": "assistant", "content": "Hello"}]}, path="x.jsonl", line=1)
    assert err.value.field == "messages[0].role"
