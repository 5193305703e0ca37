"""A conversational prompt that ends inside an open tool turn (the assistant's call and the tool's result) is
continued by the completion as one assistant turn; only the completion's part of that turn is trained, as TRL
trains a prompt/completion row on its completion alone."""

from __future__ import annotations

import copy

import pytest

from picochat_hf.data.row_formats import normalize_row
from picochat_hf.data.schema import answer_text, prompt_text, validate_row
from picochat_hf.utils.errors import PicochatInputError

_CALL = {"id": "c1", "type": "function", "function": {"name": "calc", "arguments": {"expression": "12*7"}}}
_PROMPT = [{"role": "user", "content": "What is 12*7?"},
           {"role": "assistant", "content": "", "tool_calls": [_CALL]},
           {"role": "tool", "tool_call_id": "c1", "content": "84"}]
_PICO = {"id": "a", "category": "general", "skill": "general", "split": "train", "source": "s"}


def _trained_text(tokenizer, row: dict) -> str:
    from picochat_hf.training.packing import IGNORE_INDEX
    from picochat_hf.training.tokenize import tokenize_conversations

    labels = tokenize_conversations([row], tokenizer, seq_len=256, source="rows.jsonl").dataset[0]["labels"]
    return tokenizer.decode([x for x in labels if x != IGNORE_INDEX])


def _records(completion) -> list[dict]:
    rejected = [{"role": "assistant", "content": "It is 85."}]
    return [{"prompt": _PROMPT, "completion": completion},
            {"prompt": _PROMPT, "chosen": completion, "rejected": rejected}]


@pytest.mark.parametrize("completion", [[{"role": "assistant", "content": "It is 84."}], "It is 84."])
def test_the_prompts_tool_call_is_context_and_only_the_completion_is_trained(tiny_tokenizer, completion):
    for record in _records(completion)[: 1 if isinstance(completion, str) else 2]:
        row = normalize_row(record, path="rows.jsonl", line=1)
        assert len(row["messages"]) == 2  # one assistant turn: call, result, answer
        assert _trained_text(tiny_tokenizer, row) == "It is 84.<|assistant_end|>"


def test_the_same_conversation_as_messages_trains_the_call_too(tiny_tokenizer):
    """The neighbour that must not change: in `messages` form the whole turn, call included, is the answer."""
    row = normalize_row({"messages": _PROMPT + [{"role": "assistant", "content": "It is 84."}]}, path="rows.jsonl", line=1)
    trained = _trained_text(tiny_tokenizer, row)
    assert trained.startswith("<|python_start|>") and trained.endswith("It is 84.<|assistant_end|>")
    assert "84<|output_end|>" not in trained  # the tool's result is never trained


def test_a_completion_with_its_own_tool_call_trains_that_call(tiny_tokenizer):
    second = {"id": "c2", "type": "function", "function": {"name": "calc", "arguments": {"expression": "84+1"}}}
    completion = [{"role": "assistant", "content": "", "tool_calls": [second]},
                  {"role": "tool", "tool_call_id": "c2", "content": "85"},
                  {"role": "assistant", "content": "Plus one is 85."}]
    row = normalize_row({"prompt": _PROMPT, "completion": completion}, path="rows.jsonl", line=1)
    trained = _trained_text(tiny_tokenizer, row)
    assert "12*7" not in trained and "84+1" in trained and "85<|output_end|>" not in trained
    assert trained.endswith("Plus one is 85.<|assistant_end|>")


def test_the_template_alone_marks_only_the_completion(tiny_tokenizer):
    """TRL's own `assistant_only_loss` reads the template's generation mask directly, with no picochat masking."""
    row = normalize_row({"prompt": _PROMPT, "completion": "It is 84."}, path="rows.jsonl", line=1)
    enc = tiny_tokenizer.apply_chat_template(row["messages"], tokenize=True, return_dict=True,
                                             return_assistant_tokens_mask=True)
    marked = [t for t, m in zip(enc["input_ids"], enc["assistant_masks"], strict=True) if m]
    assert tiny_tokenizer.decode(marked) == "It is 84.<|assistant_end|>"


def test_an_older_template_without_part_weights_is_masked_by_span(tiny_tokenizer):
    """A tokenizer saved before its template knew part weights marks the whole turn; the span is masked anyway."""
    old = copy.deepcopy(tiny_tokenizer)
    old.chat_template = old.chat_template.replace("part['weight'] is defined", "part['weight_unknown'] is defined")
    row = normalize_row({"prompt": _PROMPT, "completion": "It is 84."}, path="rows.jsonl", line=1)
    assert _trained_text(old, row) == "It is 84.<|assistant_end|>"


def test_row_shards_write_the_same_mask(tiny_tokenizer):
    from picochat_hf.data.shards import encode_conversation

    row = normalize_row({"prompt": _PROMPT, "completion": "It is 84."}, path="rows.jsonl", line=1)
    ids, mask = encode_conversation(tiny_tokenizer, row["messages"], source="rows.jsonl", row_id=row["id"])
    assert tiny_tokenizer.decode([t for t, m in zip(ids, mask, strict=True) if m]) == "It is 84.<|assistant_end|>"


def test_the_rows_answer_is_the_completion_and_its_prompt_holds_the_call():
    row = normalize_row({"prompt": _PROMPT, "completion": "It is 84."}, path="rows.jsonl", line=1)
    assert answer_text(row) == "It is 84."
    assert "12*7" in prompt_text(row) and "84" in prompt_text(row)


def _pico_turn(parts: list[dict]) -> dict:
    return {**_PICO, "messages": [{"role": "user", "content": "What is 12*7?"}, {"role": "assistant", "content": parts}]}


_CALL_PART = {"type": "python", "text": '{"name": "calc", "arguments": {"expression": "12*7"}}'}
_OUT_PART = {"type": "python_output", "text": "84"}
_ANSWER = {"type": "text", "text": "It is 84."}


@pytest.mark.parametrize("parts,field", [
    # context parts after a trained part: no prefix of the turn to mask
    ([{**_CALL_PART, "weight": 0}, _OUT_PART, {**_ANSWER, "weight": 0}], "messages[1].content[2].weight"),
    ([_CALL_PART, {**_OUT_PART, "weight": 0}, _ANSWER], "messages[1].content[1].weight"),
    # context that ends before the tool's result: the call's answer would be trained as if no result came
    ([{**_CALL_PART, "weight": 0}, _OUT_PART, _ANSWER], "messages[1].content[0].weight"),
    # a turn all context is no answer
    ([{**_CALL_PART, "weight": 0}, {**_OUT_PART, "weight": 0}], "messages[1].content[1].weight"),
    ([{**_CALL_PART, "weight": 0.5}, _OUT_PART, _ANSWER], "messages[1].content[0].weight"),
    ([{**_CALL_PART, "weight": "0"}, _OUT_PART, _ANSWER], "messages[1].content[0].weight"),
    ([{**_CALL_PART, "weight": False}, _OUT_PART, _ANSWER], "messages[1].content[0].weight"),
])
def test_part_weights_that_cannot_be_honoured_are_refused(parts, field):
    with pytest.raises(PicochatInputError) as err:
        validate_row(_pico_turn(parts), path="rows.jsonl", line=4)
    assert err.value.line == 4 and err.value.field == field


def test_a_picochat_row_with_a_context_prefix_is_read(tiny_tokenizer):
    row = validate_row(_pico_turn([{**_CALL_PART, "weight": 0}, {**_OUT_PART, "weight": 0}, _ANSWER]))
    assert _trained_text(tiny_tokenizer, row) == "It is 84.<|assistant_end|>"


def test_a_user_part_weight_is_refused():
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": [{"role": "user", "content": [{"type": "text", "text": "hi", "weight": 0}]},
                                    {"role": "assistant", "content": "hello"}]}, path="rows.jsonl", line=2)
    assert err.value.line == 2 and err.value.field.startswith("messages[0]")


def test_a_completion_of_weight_zero_continuing_the_turn_is_refused():
    """The joined turn takes the completion's weight: 0 leaves the row no trained answer, refused as such."""
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"prompt": _PROMPT, "completion": [{"role": "assistant", "content": "It is 84.", "weight": 0}]},
                      path="rows.jsonl", line=5)
    assert err.value.line == 5 and err.value.field == "messages[1].weight"


def test_a_prompt_whose_call_has_no_result_is_still_refused():
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"prompt": _PROMPT[:2], "completion": "It is 84."}, path="rows.jsonl", line=6)
    assert err.value.line == 6


def _implicit(chosen_text: str, rejected_text: str, rejected_call: dict | None = None) -> dict:
    other = rejected_call or _CALL
    rejected_prompt = [_PROMPT[0], {"role": "assistant", "content": "", "tool_calls": [other]},
                       {"role": "tool", "tool_call_id": other["id"], "content": "84"}]
    return {"chosen": _PROMPT + [{"role": "assistant", "content": chosen_text}],
            "rejected": rejected_prompt + [{"role": "assistant", "content": rejected_text}]}


def test_an_implicit_prompt_holding_the_shared_tool_call_is_context(tiny_tokenizer):
    """TRL's implicit prompt is what chosen and rejected share (`extract_prompt`): the same call and result are
    prompt, and the SFT reading of the pair trains the chosen answer only."""
    row = normalize_row(_implicit("It is 84.", "It is 85."), path="rows.jsonl", line=1)
    assert _trained_text(tiny_tokenizer, row) == "It is 84.<|assistant_end|>"
    assert answer_text(row) == "It is 84."
    explicit = normalize_row({"prompt": _PROMPT[:1], **_implicit("It is 84.", "It is 85.")}, path="rows.jsonl", line=1)
    assert explicit["messages"] == row["messages"]


def test_an_implicit_prompt_whose_calls_differ_trains_the_chosen_call(tiny_tokenizer):
    """The neighbour: when the rejected answer made another call, the call is part of what was chosen."""
    other = {"id": "c1", "type": "function", "function": {"name": "calc", "arguments": {"expression": "12+7"}}}
    row = normalize_row(_implicit("It is 84.", "It is 84.", rejected_call=other), path="rows.jsonl", line=1)
    trained = _trained_text(tiny_tokenizer, row)
    assert "12*7" in trained and trained.endswith("It is 84.<|assistant_end|>")


def test_a_record_repeating_the_conversation_in_messages_is_still_one_conversation():
    """ultrafeedback-style records carry `messages` = prompt + chosen; the prompt's call being context in one layout
    and part of the turn in the other is still the same conversation, not two."""
    answer = [{"role": "assistant", "content": "It is 84."}]
    for record in ({"prompt": _PROMPT, "completion": answer, "messages": _PROMPT + answer},
                   {"prompt": _PROMPT, "chosen": answer, "rejected": [{"role": "assistant", "content": "It is 85."}],
                    "messages": _PROMPT + answer}):
        assert normalize_row(record, path="rows.jsonl", line=1)["messages"][1]["content"][-1]["text"] == "It is 84."


@pytest.mark.parametrize("prompt", [
    # the assistant says something before its call
    [_PROMPT[0], {"role": "assistant", "content": "Let me compute.", "tool_calls": [_CALL]}, _PROMPT[2]],
    # a system message and an earlier exchange before the open turn
    [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."},
     *_PROMPT],
    # two calls, each with its result
    [_PROMPT[0], {"role": "assistant", "content": "", "tool_calls": [_CALL, {**_CALL, "id": "c2"}]},
     _PROMPT[2], {"role": "tool", "tool_call_id": "c2", "content": "84"}],
])
def test_every_shape_of_open_tool_turn_trains_the_completion_only(tiny_tokenizer, prompt):
    from picochat_hf.data.shards import encode_conversation

    row = normalize_row({"prompt": prompt, "completion": "It is 84."}, path="rows.jsonl", line=1)
    assert _trained_text(tiny_tokenizer, row) == "It is 84.<|assistant_end|>"
    ids, mask = encode_conversation(tiny_tokenizer, row["messages"], source="rows.jsonl", row_id=row["id"])
    assert tiny_tokenizer.decode([t for t, m in zip(ids, mask, strict=True) if m]) == "It is 84.<|assistant_end|>"
    assert answer_text(row) == "It is 84."


def test_context_parts_inside_a_context_only_turn_are_read(tiny_tokenizer):
    """A turn of weight 0 is context whole: its parts' own weights change nothing and are not refused."""
    parts = [{**_CALL_PART, "weight": 0}, {**_OUT_PART, "weight": 0}]
    row = validate_row({**_PICO, "messages": [{"role": "user", "content": "What is 12*7?"},
                                              {"role": "assistant", "content": parts, "weight": 0},
                                              {"role": "user", "content": "So?"}, {"role": "assistant", "content": "84."}]})
    assert _trained_text(tiny_tokenizer, row) == "84.<|assistant_end|>"


@pytest.mark.parametrize("parts,field", [
    ([_OUT_PART], "messages[1].content"),
    ([_OUT_PART, {"type": "text", "text": "  "}], "messages[1].content"),
    ([{**_CALL_PART, "weight": 0}, {**_OUT_PART, "weight": 0}, _OUT_PART], "messages[1].content[1].weight"),
])
def test_a_turn_of_tool_results_only_is_refused(parts, field):
    """Tool results are never trained: such a turn taught only its end token, while the evals read its text as the
    row's trained answer."""
    with pytest.raises(PicochatInputError) as err:
        validate_row(_pico_turn(parts), path="rows.jsonl", line=3)
    assert err.value.line == 3 and err.value.field == field


def test_a_turn_with_a_call_or_text_beside_its_result_is_read():
    assert validate_row(_pico_turn([_CALL_PART, _OUT_PART]))
    assert validate_row(_pico_turn([_OUT_PART, _ANSWER]))


# a template with generation markers that does not render parts: they reach it flattened to text
_FLAT = ("{% for m in messages %}{% if m['role'] == 'assistant' %}[A]{% generation %}{{ m['content'] }}"
         "{% endgeneration %}{% else %}[U]{{ m['content'] }}{% endif %}{% endfor %}")


def _flat_tokenizer(tokenizer):
    tok = copy.deepcopy(tokenizer)
    tok.chat_template = _FLAT
    return tok


def test_a_template_that_flattens_parts_never_trains_the_tools_output(tiny_tokenizer):
    """Parts flattened to text for such a template were all trained, the tool's "84" with them; the output's
    characters are now masked, the call (the model's own words) and the answer stay trained."""
    tok = _flat_tokenizer(tiny_tokenizer)
    row = _pico_turn([{"type": "text", "text": "Let me compute. "}, _CALL_PART, _OUT_PART, {"type": "text", "text": " It is 84."}])
    assert _trained_text(tok, row) == 'Let me compute. {"name": "calc", "arguments": {"expression": "12*7"}} It is 84.'
    plain = _pico_turn([{"type": "text", "text": 'Let me compute. {"name": "calc", "arguments": {"expression": "12*7"}}84 It is 84.'}])
    assert _trained_text(tok, plain).endswith('"12*7"}}84 It is 84.')  # the same text written by the model is trained


def test_a_template_that_flattens_parts_trains_only_the_completion_of_an_open_tool_turn(tiny_tokenizer):
    """The prompt's call and result (context, weight 0) were trained as the answer's opening under such a template."""
    tok = _flat_tokenizer(tiny_tokenizer)
    row = normalize_row({"prompt": _PROMPT, "completion": "It is 84."}, path="rows.jsonl", line=1)
    assert _trained_text(tok, row) == "It is 84."
    from picochat_hf.data.shards import encode_conversation

    ids, mask = encode_conversation(tok, row["messages"], source="rows.jsonl", row_id=row["id"])
    assert tok.decode([t for t, m in zip(ids, mask, strict=True) if m]) == "It is 84."
    assert "[{" not in tok.decode(ids)  # shards render the parts as text too, never the list's repr


def test_a_flattening_template_that_rewrites_the_turns_text_is_refused(tiny_tokenizer):
    """A template that changes the text it inserts (here: upper-cases it) leaves no characters to mask by."""
    tok = _flat_tokenizer(tiny_tokenizer)
    tok.chat_template = _FLAT.replace("{{ m['content'] }}{% endgeneration %}", "{{ m['content'] | upper }}{% endgeneration %}")
    row = _pico_turn([_CALL_PART, _OUT_PART, _ANSWER])
    with pytest.raises(PicochatInputError, match="does not insert the turn's text as written") as err:
        _trained_text(tok, row)
    assert err.value.field == "messages[1].content"
    assert _trained_text(tok, _pico_turn([_ANSWER])) == "IT IS 84."  # rows without tool output are unaffected


def test_an_eval_of_a_joined_row_asks_with_the_prompts_call_and_result(tiny_tokenizer):
    """SFT-fit evals asked a joined row's question from the user turn alone, so the model never saw the call and the
    result it was trained to continue from; the prompt is now the row's rendering up to the end of the tool result."""
    from picochat_hf.eval.model_io import encode_prompt, encode_row_prompt, prompt_messages

    row = normalize_row({"prompt": _PROMPT, "completion": "It is 84."}, path="rows.jsonl", line=1)
    ids = encode_row_prompt(tiny_tokenizer, row)
    full = tiny_tokenizer.apply_chat_template(row["messages"], tokenize=True, return_dict=True)["input_ids"]
    assert tiny_tokenizer.decode(full[len(ids):]) == "It is 84.<|assistant_end|>"
    assert tiny_tokenizer.decode(ids).endswith("<|output_start|>84<|output_end|>") and "What is 12*7?" in tiny_tokenizer.decode(ids)
    plain = _pico_turn([_ANSWER])  # no opening: the prompt is the user turn and the assistant's start, as before
    assert encode_row_prompt(tiny_tokenizer, plain) == encode_prompt(tiny_tokenizer, prompt_messages(plain))
    flat = _flat_tokenizer(tiny_tokenizer)
    asked = flat.decode(encode_row_prompt(flat, row))
    assert asked.endswith('{"name": "calc", "arguments": {"expression": "12*7"}}84') and "It is" not in asked
