"""Preflight checks of the data a plan names: tokenizer and document boundaries, the dataset pack, SFT rows,
eval rows and eval contamination. Pure functions of `PreflightInputs` (everything was read once)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..data.schema import SKILLS, answer_text, prompt_text
from ..eval.scoring import rule_problem
from ..honesty.normalize import normalized
from ..utils.errors import PicochatInputError
from .common import check, pct
from .preflight_inputs import PreflightInputs

Check = dict[str, Any]


def _packed(inp: PreflightInputs) -> bool:
    packing = inp.plan.get("packing")
    return bool(packing) and str(packing).lower() not in ("none", "false", "no")


def check_tokenizer(inp: PreflightInputs) -> list[Check]:
    tok = inp.tokenizer
    if tok is None:
        return [check("tokenizer", inp.long_block, None, "a tokenizer", "No tokenizer given, so vocabulary and BOS boundaries cannot be checked.")]
    t, vocab = inp.t["tokenizer"], len(tok)
    if inp.long and vocab < t["vocab_block_below_long"]:
        out = [check("tokenizer_vocab", "block", vocab, t["vocab_block_below_long"], f"Vocabulary of {vocab} is below {t['vocab_block_below_long']} on a long run.")]
    elif vocab < t["vocab_warn_below"]:
        out = [check("tokenizer_vocab", "warn", vocab, t["vocab_warn_below"], f"Vocabulary of {vocab} is below {t['vocab_warn_below']}: long sequences per text.")]
    else:
        out = [check("tokenizer_vocab", "pass", vocab, t["vocab_warn_below"], f"Vocabulary of {vocab} tokens.")]
    model_vocab = (inp.plan.get("model_config") or {}).get("vocab_size")
    if model_vocab is not None and model_vocab < vocab:
        out.append(check("tokenizer_model_vocab", "block", vocab, model_vocab, f"The tokenizer has {vocab} tokens but the model embeds only {model_vocab}."))
    if _packed(inp) or inp.stage == "base":
        ids = tok("boundary check")["input_ids"]
        starts_bos = tok.bos_token_id is not None and bool(ids) and ids[0] == tok.bos_token_id
        where = "packed rows" if _packed(inp) else "document streams"
        if starts_bos:
            out.append(check("document_boundaries", "pass", True, "BOS at every start",
                             f"The tokenizer puts {tok.bos_token} at the start of every text, so {where} keep document boundaries."))
        else:
            out.append(check("document_boundaries", inp.long_block, False, "BOS at every start",
                             f"The tokenizer does not add a BOS token; {where} would run documents together."))
    return out


def corpus_tokens(inp: PreflightInputs) -> float | None:
    counts = (inp.pack or {}).get("counts") or {}
    return counts.get("estimated_tokens") or (counts.get("characters", 0) / inp.t["chars_per_token"]) if inp.pack else None


def check_corpus(inp: PreflightInputs) -> list[Check]:
    if inp.pack is None:
        if inp.stage == "base":
            return [check("dataset_pack", inp.long_block, None, "a dataset pack", "No dataset pack: corpus size, duplicates and boundaries are unmeasured.")]
        return []
    t, counts = inp.t["corpus"], inp.pack.get("counts") or {}
    docs, chars = counts.get("documents", 0), counts.get("characters", 0)
    if not docs:
        return [check("corpus_documents", "block", docs, "> 0", "The dataset pack holds no documents.")]
    low = t["warn_documents_below_long"]
    out = [check("corpus_documents", "warn" if inp.long and docs < low else "pass", docs, low, f"{docs:,} documents, {chars:,} characters.")]
    if inp.long and chars < t["warn_chars_below_long"]:
        out.append(check("corpus_size", "warn", chars, t["warn_chars_below_long"], f"{chars:,} characters is small for a long run (< {t['warn_chars_below_long']:,})."))
    dup = inp.import_report.get("duplicates") or {}
    for key, name, warn_at, block_at in (
        ("exact_duplicate_rate", "duplicate_documents", t["duplicate_warn"], t["duplicate_block_long"]),
        ("near_duplicate_rate", "near_duplicate_documents", t["near_duplicate_warn"], t["near_duplicate_block_long"]),
        ("duplicate_line_rate", "duplicate_lines", t["duplicate_line_warn"], t["duplicate_line_block_long"]),
    ):
        rate = dup.get(key)
        if rate is None:
            out.append(check(name, "warn", None, warn_at, f"The import report has no {key}; duplicates are unmeasured."))
            continue
        st = "block" if inp.long and rate > block_at else ("warn" if rate > warn_at else "pass")
        out.append(check(name, st, round(rate, 4), block_at if st == "block" else warn_at,
                         f"{name.replace('_', ' ').capitalize()}: {pct(rate)} (warn above {pct(warn_at)}, block long runs above {pct(block_at)})."))
    shards = inp.pack.get("shards") or []
    if all(isinstance(s, dict) and "documents" in s for s in shards):
        out.append(check("shard_boundaries", "pass", len(shards), "whole documents", f"{len(shards)} shards store whole documents (no document is split across shards)."))
    else:
        out.append(check("shard_boundaries", inp.long_block, None, "whole documents", "The pack's shards do not record their documents; boundaries are unverifiable."))
    tokens = corpus_tokens(inp)
    if inp.stage == "base" and inp.planned and tokens:
        epochs = inp.planned / tokens
        st = "block" if inp.long and epochs > t["epochs_block_long"] else ("warn" if epochs > t["epochs_warn"] else "pass")
        out.append(check("base_exposure", st, round(epochs, 3), t["epochs_warn"], f"The plan reads the corpus {epochs:.2f} times (estimated {tokens:,.0f} tokens)."))
    return out


def _coverage(inp: PreflightInputs, name: str, rows: list[dict], what: str) -> Check:
    required = list(inp.t.get("required_skills") or [])
    unknown = [s for s in required if s not in SKILLS]
    if unknown:
        raise PicochatInputError(f"unknown skills {unknown}; expected some of {', '.join(SKILLS)}", path=inp.prof["source"], field="preflight.required_skills")
    present = Counter(r["skill"] for r in rows)
    missing = [s for s in required if not present.get(s)]
    if missing:
        return check(name, "block", sorted(present), required, f"{what} rows lack the skills {', '.join(missing)} that profile {inp.prof['name']} requires.")
    return check(name, "pass", dict(sorted(present.items())), required, f"{what} rows cover {', '.join(f'{k} {v}' for k, v in sorted(present.items()))}.")


def check_sft_rows(inp: PreflightInputs) -> list[Check]:
    rows = inp.sft_rows
    if rows is None:
        return [check("sft_rows", "block", None, "a JSONL of rows", "No SFT input given.")] if inp.stage == "sft" else []
    t, n = inp.t["sft"], len(rows)
    st = "block" if inp.long and n < t["rows_block_below_long"] else ("warn" if n < t["rows_warn_below"] else "pass")
    out = [check("sft_rows", st, n, t["rows_warn_below"], f"{n} SFT rows (warn below {t['rows_warn_below']}, block long runs below {t['rows_block_below_long']}).")]
    prompts = Counter(normalized(prompt_text(r)) for r in rows)
    dup = sum(c - 1 for c in prompts.values()) / n
    st = "block" if inp.long and dup > t["duplicate_prompt_block_long"] else ("warn" if dup > t["duplicate_prompt_warn"] else "pass")
    out.append(check("sft_duplicate_prompts", st, round(dup, 4), t["duplicate_prompt_warn"], f"{pct(dup)} of SFT prompts repeat an earlier prompt."))
    out.append(_coverage(inp, "sft_skill_coverage", rows, "SFT"))
    cats = {r["category"] for r in rows}
    if inp.long and len(cats) < t["min_categories_long"]:
        out.append(check("sft_category_balance", "warn", len(cats), t["min_categories_long"], f"Only {len(cats)} SFT categories on a long run."))
    else:
        out.append(check("sft_category_balance", "pass", len(cats), t["min_categories_long"], f"{len(cats)} SFT categories."))
    if inp.plan.get("sampling") in ("category_sqrt", "category_balanced") and len(cats) < 2:
        out.append(check("sampling", "warn", len(cats), 2, f"{inp.plan.get('sampling')} sampling with a single category is plain uniform sampling."))
    avg = sum(len(answer_text(r).split()) for r in rows) / n
    low = t["answer_words_warn_below_long"]
    out.append(check("sft_answer_length", "warn" if inp.long and avg < low else "pass", round(avg, 2), low, f"Assistant answers average {avg:.1f} words."))
    return out + _sft_exposure(inp, rows)


def _sft_exposure(inp: PreflightInputs, rows: list[dict]) -> list[Check]:
    if inp.stage != "sft" or not inp.planned:
        return []
    t = inp.t["sft"]
    if inp.tokenizer is not None:
        total = sum(len(ids) for ids in inp.tokenizer([prompt_text(r) + "\n" + answer_text(r) for r in rows])["input_ids"])
        how = "tokenized"
    else:
        total = sum(len(prompt_text(r)) + len(answer_text(r)) for r in rows) / inp.t["chars_per_token"]
        how = f"characters / {inp.t['chars_per_token']}"
    epochs = inp.planned / max(total, 1)
    st = "block" if inp.long and epochs > t["exposure_block_long"] else ("warn" if epochs > t["exposure_warn"] else "pass")
    return [check("sft_exposure", st, round(epochs, 3), t["exposure_warn"], f"The plan reads the SFT set {epochs:.1f} times ({total:,.0f} tokens, {how}).")]


def check_eval_rows(inp: PreflightInputs) -> list[Check]:
    rows = inp.eval_rows
    if rows is None:
        if inp.stage == "base":
            return []
        return [check("eval_rows", "block" if inp.release else "warn", None, "a JSONL of eval rows", "No eval rows given: skills and contamination cannot be checked.")]
    t, n = inp.t["eval"], len(rows)
    st = "block" if inp.long and n < t["rows_block_below_long"] else ("warn" if n < t["rows_warn_below"] else "pass")
    out = [check("eval_rows", st, n, t["rows_warn_below"], f"{n} eval rows (warn below {t['rows_warn_below']}, block long runs below {t['rows_block_below_long']}).")]
    problems = [(r["id"], why) for r in rows if (why := rule_problem(r)) is not None]  # the rule engine's own reading
    ruled = n - len(problems)
    if ruled < n:
        out.append(check("eval_rules", inp.long_block, ruled, n, f"Only {ruled} of {n} eval rows carry rules the scoring engine enforces "
                         f"(first: {problems[0][0]}, {problems[0][1]}); the rest cannot be scored."))
    else:
        out.append(check("eval_rules", "pass", ruled, n, f"All {n} eval rows carry rules the scoring engine enforces."))
    out.append(_coverage(inp, "eval_skill_coverage", rows, "Eval"))
    if inp.long:
        unanswerable = sum(1 for r in rows if r.get("answerable") is False)
        splits = {r["split"] for r in rows}
        lo_u, lo_s = t["unanswerable_warn_below_long"], t["splits_warn_below_long"]
        out.append(check("unanswerable_eval", "warn" if unanswerable < lo_u else "pass", unanswerable, lo_u, f"{unanswerable} unanswerable eval rows test abstention."))
        out.append(check("eval_splits", "warn" if len(splits) < lo_s else "pass", len(splits), lo_s, f"{len(splits)} eval split labels."))
    return out


def check_contamination(inp: PreflightInputs) -> list[Check]:
    if inp.contamination is None:
        return []
    report, source = inp.contamination["report"], inp.contamination["source"]
    problems = inp.contamination.get("problems") or []
    out = []
    if problems:  # a text the model trained on that the scan could not read: its leaks are unseen
        more = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
        out.append(check("trained_text_scanned", "block", len(problems), 0, problems[0] + more))
    if report is None:
        return out + [check("eval_contamination", "block", None, "ready", f"Contamination {source}: a trained text could not be read.")]
    status = report.get("status")
    sev = {"ready": "pass", "caution": "warn", "blocked": "block"}.get(status, "block")
    return out + [check("eval_contamination", sev, status, "ready", f"Contamination {source}: {report.get('summary', status)}")]


DATA_CHECKS = (check_tokenizer, check_corpus, check_sft_rows, check_eval_rows, check_contamination)
