"""Evaluate scored rows with a model: choice rows by letter logits, the rest by greedy generation + rules.

This is the engine behind `eval chat`, `eval sft-fit` and `eval sft-fit --split heldout`; each only
decides which rows go in and which rules they carry. `eval score` judges replies made elsewhere with the
same `judge_generated`, so its results have the same fields. Rows with `correct_choice` but no `choices`
are generated and their text judged (one option letter), like every row in `eval score`.
"""

from __future__ import annotations

from collections import Counter

from ..data.schema import prompt_text
from ..utils.errors import PicochatInputError
from .choice import score_letters
from .generation import generate_replies
from .model_io import LoadedModel, encode_prompt, encode_row_prompt, prompt_messages
from .scoring import ScoringConfig, score_reply
from .stats import breakdown, choice_baselines, rate_summary

LABELS = "ABCDEFGHIJ"


def is_choice_row(row: dict) -> bool:
    return bool(row.get("choices")) and bool(row.get("correct_choice"))


def row_stage(row: dict) -> str:
    return str(row.get("stage") or row.get("mixture_component") or "unspecified")


def choice_messages(row: dict) -> tuple[list[dict], list[str]]:
    """The row's conversation with its lettered options shown (appended when the prompt lacks them)."""
    labels = list(LABELS[: len(row["choices"])])
    msgs = prompt_messages(row)
    text = "\n".join(m["content"] for m in msgs if m["role"] == "user" and isinstance(m["content"], str))
    if not all(f"{label}. {choice}" in text or f"{label}) {choice}" in text for label, choice in zip(labels, row["choices"], strict=True)):
        options = "\n".join(f"{label}. {choice}" for label, choice in zip(labels, row["choices"], strict=True))
        last_user = max(i for i, m in enumerate(msgs) if m["role"] == "user")
        msgs[last_user] = {**msgs[last_user], "content": f"{msgs[last_user]['content']}\n\n{options}"}
    return msgs, labels


def evaluate_rows(
    loaded: LoadedModel,
    rows: list[dict],
    cfg: ScoringConfig,
    *,
    max_new_tokens: int = 64,
    batch_size: int = 16,
    progress: bool = True,
) -> list[dict]:
    """One result per row, in input order."""
    results: list[dict | None] = [None] * len(rows)
    choice_idx = [i for i, r in enumerate(rows) if is_choice_row(r)]
    gen_idx = [i for i, r in enumerate(rows) if not is_choice_row(r)]

    if choice_idx:
        prompts, labels = [], []
        for i in choice_idx:
            msgs, labs = choice_messages(rows[i])
            gold = rows[i]["correct_choice"].strip().upper()
            if gold not in labs:
                raise ValueError(f"row {rows[i]['id']}: correct_choice {gold!r} is not one of {labs}")
            prompts.append(encode_prompt(loaded.tokenizer, msgs))
            labels.append(labs)
        check_context(loaded, prompts, [rows[i] for i in choice_idx])
        scored = score_letters(loaded, prompts, labels, batch_size=batch_size, progress=progress)
        for i, s in zip(choice_idx, scored, strict=True):
            row = rows[i]
            gold = row["correct_choice"].strip().upper()
            ok = s["pred"] == gold
            results[i] = result_record(row, prompt_text(row), s["pred"], ok, [] if ok else [f"choice: chose {s['pred']} not {gold}"])
            results[i]["choice"] = {"pred": s["pred"], "gold": gold, "n_choices": len(row["choices"]), "letter_logits": s["letter_logits"]}

    if gen_idx:
        prompts = [encode_row_prompt(loaded.tokenizer, rows[i]) for i in gen_idx]
        check_context(loaded, prompts, [rows[i] for i in gen_idx])
        check_reply_room(getattr(loaded.model.config, "max_position_embeddings", None), prompts, [rows[i] for i in gen_idx],
                         max_new_tokens)
        replies = generate_replies(loaded, prompts, max_new_tokens=max_new_tokens, batch_size=batch_size, progress=progress)
        for i, rep in zip(gen_idx, replies, strict=True):
            res = judge_generated(rows[i], rep.text, cfg, raw_reply=rep.raw)
            res["reply_tokens"] = rep.num_tokens
            # what the gate holds the report's max_new_tokens to: at most that many, and all of it unless it stopped on EOS
            res["num_generated_tokens"] = rep.num_generated
            res["stopped_on_eos"] = rep.stopped_on_eos
            res["hit_token_limit"] = not rep.stopped_on_eos
            results[i] = res
    return [r for r in results if r is not None]


def check_generation_budget(loaded: LoadedModel, max_new_tokens: int) -> None:
    """Refuse a reply budget larger than the model's context: replies would be generated, and judged, at
    positions the model was never built for (transformers only warns)."""
    context = getattr(loaded.model.config, "max_position_embeddings", None)
    if isinstance(context, int) and max_new_tokens > context:
        raise PicochatInputError(f"{max_new_tokens} new tokens exceed the model's context of {context} tokens", field="max_new_tokens")


def check_reply_room(context: int | None, prompts: list[list[int]], rows: list[dict], max_new_tokens: int, *,
                     field: str = "max_new_tokens", path: str | None = None) -> None:
    """Refuse a reply budget that does not fit after every prompt: a reply would run past the model's context (the
    budget alone fitting is not enough), where it is generated at positions the model was never built for."""
    if not isinstance(context, int) or not prompts:
        return
    longest = max(range(len(prompts)), key=lambda k: len(prompts[k]))
    n = len(prompts[longest])
    if n + max_new_tokens > context:
        raise PicochatInputError(f"row {rows[longest].get('id')!r}: its prompt of {n} tokens plus {max_new_tokens} new tokens "
                                 f"exceeds the model's context of {context} tokens; at most {max(context - n, 0)} new tokens "
                                 "fit every prompt", path=path, field=field)


def check_context(loaded: LoadedModel, prompts: list[list[int]], rows: list[dict]) -> None:
    """Refuse a row whose prompt alone fills the model's context: it would be scored on a prompt the model
    cannot see whole."""
    context = getattr(loaded.model.config, "max_position_embeddings", None)
    if not isinstance(context, int):
        return
    for ids, row in zip(prompts, rows, strict=True):
        if len(ids) >= context:
            raise PicochatInputError(f"row {row.get('id')!r}: the prompt is {len(ids)} tokens, which exceeds the model's context of "
                                     f"{context} tokens (shorten the row)", field="messages")


def judge_generated(row: dict, reply: str, cfg: ScoringConfig, raw_reply: str | None = None) -> dict:
    """The result of one generated (or externally produced) reply: the same fields for every evaluator."""
    prompt = prompt_text(row)
    verdict = score_reply(row, reply, prompt, cfg, raw_reply=raw_reply)
    res = result_record(row, prompt, reply, verdict["passed"], verdict["failures"])
    res.update({k: verdict[k] for k in ("echo", "refusal", "expects_refusal", "unsupported_claim", "final_answer", "format_ok")})
    return res


def result_record(row: dict, prompt: str, reply: str, passed: bool, failures: list[str]) -> dict:
    expected = {k: row[k] for k in ("normalized_answer", "reference_answer", "correct_choice", "must_include") if row.get(k) is not None}
    return {
        "id": row["id"],
        "skill": row["skill"],
        "category": row["category"],
        "stage": row_stage(row),
        "answer_style": row.get("answer_style"),
        "prompt": prompt,
        "reply": reply,
        "expected": expected,
        "passed": bool(passed),
        "failures": failures,
        "echo": False,
        "refusal": False,
        "expects_refusal": False,
        "unsupported_claim": False,
        "format_ok": None,
        # fields the row format lacked and the reader filled in (data.row_formats), so a result never hides them
        **({"defaults": row["defaults"]} if row.get("defaults") else {}),
    }


def summarize(results: list[dict]) -> dict:
    """The `summary` block of eval_report.json."""
    n = len(results)
    passed = sum(r["passed"] for r in results)
    generated = [r for r in results if "choice" not in r]
    choice = [r for r in results if "choice" in r]
    refusal_rows = [r for r in results if r["expects_refusal"]]
    formatted = [r for r in results if r.get("format_ok") is not None]
    summary = {
        **rate_summary(passed, n),
        "ci_method": "wilson",
        "prompt_echo_rate": (sum(r["echo"] for r in generated) / len(generated)) if generated else 0.0,
        "unsupported_claim_rate": (sum(r["unsupported_claim"] for r in refusal_rows) / len(refusal_rows)) if refusal_rows else 0.0,
        "unsupported_claim_n": len(refusal_rows),
        "refusal_pass_rate": (sum(r["passed"] for r in refusal_rows) / len(refusal_rows)) if refusal_rows else None,
        "format_adherence_rate": (sum(bool(r["format_ok"]) for r in formatted) / len(formatted)) if formatted else None,
        "format_n": len(formatted),
        "hit_token_limit_rate": (sum(r.get("hit_token_limit", False) for r in generated) / len(generated)) if generated else 0.0,
        "generated": rate_summary(sum(r["passed"] for r in generated), len(generated)),
        "choice": rate_summary(sum(r["passed"] for r in choice), len(choice)),
        "by_skill": breakdown(results, lambda r: r["skill"], lambda r: r["passed"]),
        "by_category": breakdown(results, lambda r: r["category"], lambda r: r["passed"]),
        "by_stage": breakdown(results, lambda r: r["stage"], lambda r: r["passed"]),
        "baselines": choice_baselines([r["choice"]["n_choices"] for r in choice], [r["choice"]["gold"] for r in choice]),
        "failure_counts": dict(Counter(f.split(":")[0] for r in results for f in r["failures"]).most_common()),
    }
    return summary
