"""Load any checkpoint folder `AutoModelForCausalLM` loads, and turn rows into prompt token ids.

Prompts go through the tokenizer's chat template when it has one (the format a chat model was trained
on, BOS included by the template). A tokenizer without a template (a base model) gets nanochat's plain
format, `User: ...\\nAssistant:`, encoded with the tokenizer's own special tokens; the format used is
recorded in every report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..data.schema import context_parts, message_text
from ..utils.checks import check_device
from ..utils.errors import PicochatInputError
from ..utils.model_files import check_model_folder, check_tokenizer_folder
from ..utils.model_load import load_complete

PRECISIONS = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}
PLAIN_STOP = "\nUser:"


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any
    path: str
    tokenizer_path: str
    device: str
    precision: str

    @property
    def prompt_format(self) -> str:
        return "chat_template" if getattr(self.tokenizer, "chat_template", None) else "plain"

    def describe(self) -> dict:
        return {
            "path": self.path,
            "tokenizer": self.tokenizer_path,
            "model_type": getattr(self.model.config, "model_type", None),
            "num_parameters": int(self.model.num_parameters()),
            "device": self.device,
            "precision": self.precision,
            "prompt_format": self.prompt_format,
        }


def load_model(
    checkpoint: str | Path,
    *,
    tokenizer: str | Path | None = None,
    device: str = "cpu",
    precision: str = "fp32",
    trust_remote_code: bool = False,
) -> LoadedModel:
    """Load model + tokenizer (the tokenizer from `checkpoint` unless `tokenizer` names another folder)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    checkpoint = Path(checkpoint)
    check_device(device)
    check_model_folder(checkpoint)
    if precision not in PRECISIONS:
        raise PicochatInputError(f"unknown precision {precision!r}; expected one of {', '.join(PRECISIONS)}", field="precision")
    tok_path = Path(tokenizer) if tokenizer is not None else checkpoint
    tok_path = check_tokenizer_folder(tok_path)  # a tokenizer.json names its folder
    try:
        tok = AutoTokenizer.from_pretrained(tok_path, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as exc:
        raise PicochatInputError(f"cannot load a tokenizer ({exc}); pass --tokenizer", path=tok_path) from None
    if tok.pad_token_id is None:
        if tok.eos_token is None:
            raise PicochatInputError("the tokenizer has neither a pad nor an eos token; batched eval needs one", path=tok_path)
        tok.pad_token = tok.eos_token  # local copy only: padding is masked out everywhere we use it
    load = AutoModelForCausalLM.from_pretrained if (checkpoint / "adapter_config.json").is_file() else load_complete
    model = load(checkpoint, dtype=PRECISIONS[precision], trust_remote_code=trust_remote_code, use_safetensors=True)
    model.to(device)
    model.eval()
    return LoadedModel(model, tok, str(checkpoint), str(tok_path), device, precision)


def prompt_messages(row: dict) -> list[dict]:
    """The conversation the model answers: every message before the row's last assistant message."""
    msgs = row["messages"]
    last = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=len(msgs))
    return [dict(m) for m in msgs[:last]]


def encode_row_prompt(tokenizer: Any, row: dict) -> list[int]:
    """Token ids the model continues to answer `row`. A row whose answer turn opens with context (a prompt's tool call
    and its result that the completion continues) is asked with that opening: the model saw it in training and the
    answer depends on it; without it the question is another one. The ids are the row's own rendering up to the end
    of that opening (`chat_masks.opening_span`)."""
    msgs = row["messages"]
    last = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=None)
    if last is None or not context_parts(msgs[last]["content"]) or not getattr(tokenizer, "chat_template", None):
        return encode_prompt(tokenizer, prompt_messages(row))
    from ..data.chat_masks import messages_for_template, opening_span, render_ids

    full = render_ids(tokenizer, messages_for_template(tokenizer, msgs[: last + 1]))
    span = opening_span(tokenizer, msgs[: last + 1], last, full)
    if span is None:
        raise PicochatInputError(f"row {row.get('id')!r}: this chat template does not render the answer's opening (the "
                                 "prompt's tool call and result) as a prefix of the row, so it cannot be asked with it",
                                 field=f"messages[{last}].content")
    return full[: span[1]]


def plain_prompt(messages: list[dict]) -> str:
    role_names = {"user": "User", "assistant": "Assistant", "system": "System"}
    lines = [f"{role_names[m['role']]}: {message_text(m['content'])}" for m in messages]
    return "\n".join(lines + ["Assistant:"])


def encode_prompt(tokenizer: Any, messages: list[dict]) -> list[int]:
    """Token ids of `messages` followed by the assistant's turn opening."""
    if getattr(tokenizer, "chat_template", None):
        ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=False)
        return list(ids)
    return list(tokenizer.encode(plain_prompt(messages)))


def eos_ids(loaded: LoadedModel) -> list[int]:
    ids: set[int] = set()
    if loaded.tokenizer.eos_token_id is not None:
        ids.add(int(loaded.tokenizer.eos_token_id))
    gen_eos = getattr(getattr(loaded.model, "generation_config", None), "eos_token_id", None)
    if isinstance(gen_eos, int):
        ids.add(gen_eos)
    elif isinstance(gen_eos, (list, tuple)):
        ids.update(int(i) for i in gen_eos)
    return sorted(ids)
