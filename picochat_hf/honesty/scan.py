"""The contamination scan: eval prompts and answers against SFT rows, the corpus and generated replies.

One pass over the corpus (streamed) and one over the SFT rows mark every n-gram the targets share with them
(`ngram_index.NgramIndex`) and run the item watches (`leaks.py`, `watch.py`): whole prompts of any length
with their answers, operand expressions, operands said in turn and word-problem operands with the answer beside
them, spelling words, option lists; a choice item's property and right option written as a key (`choice_keys.py`). SFT rows are also compared by canonical problem and, via MinHash LSH
(`near.near_matches`), by paraphrase. Template n-grams (in at least `boilerplate_min_rows` eval and SFT
rows, holding no number) never count as overlap. Every finding kind has a fixed severity
(`leaks.FINDING_KINDS`) and a count in `counts`; the status is `blocked` with any fail, `caution` with any
warn, otherwise `ready`. See docs/gates_and_honesty.md for every rule.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ..data.schema import answer_text, message_text, prompt_text, read_rows
from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text, ensure_can_write
from ..utils.provenance import input_sha256, provenance
from .choice_copies import choice_copy_findings, entities
from .choice_corpus import CorpusChoiceCopies, answer_copy_findings, corpus_choice_copies
from .choice_keys import ChoiceKeys, choice_key_findings, choice_keys
from .choice_lists import list_rules
from .corpus_questions import AskedQuestions, answer_question_findings, asked_questions
from .config import ScanConfig, affirmations, load_scan_config
from .near import near_matches
from .relations import other_relation
from .items import EvalItem, canonical_key, contains, eval_item, math_phrasings
from .leaks import (FINDING_KINDS, build_watches, unsaid_words, canonical_findings, near_findings, watch_findings, watch_stream,
                    weak_spelling_turn_findings)
from .matrix import matrix_cell, target_stats, uncovered_numbers
from .ngram_index import NgramIndex, Target
from .normalize import normalized, words
from .report_md import render_honesty_md
from .reworded import reworded_copy_findings
from .watch import Watcher
from .sources import corpus_size_bytes, iter_corpus, read_generated


def support_phrases(row: dict, cfg: ScanConfig) -> list[str]:
    """The row's specific answer phrases: from reference_answer, must_include and must_include_any."""
    generic = {normalized(p) for p in cfg.generic_phrases}
    candidates: list[str] = []
    for name in ("reference_answer", "must_include"):
        value = row.get(name)
        if isinstance(value, str):
            candidates.append(value)
        elif isinstance(value, list):
            candidates.extend(v for v in value if isinstance(v, str))
    for group in row.get("must_include_any") or []:
        candidates.extend(v for v in group if isinstance(v, str))
    out, seen = [], set()
    for phrase in candidates:
        norm = normalized(phrase)
        if len(norm) >= cfg.support_min_chars and len(norm.split()) >= cfg.support_min_words and norm not in generic and norm not in seen:
            seen.add(norm)
            out.append(phrase)
    return out


def asked_text(row: dict) -> str:
    """What the user and system turns before the supervised answer ask, joined without the assistant turns
    between them (a question split over two user turns reads whole; `prompt_text` keeps those turns)."""
    msgs = row["messages"]
    last = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=len(msgs))
    return "\n".join(message_text(m["content"]) for m in msgs[:last] if m["role"] != "assistant")


def sft_doc(row: dict) -> str:
    """One SFT row as one document: what its user turns ask, then its answer (a question split over user turns
    reads whole), and for a conversation every message in order after them (an answer given in an earlier
    assistant turn is beside its question)."""
    doc = asked_text(row) + "\n" + answer_text(row)
    if len(row["messages"]) > 2:
        doc += "\n" + "\n".join(message_text(m["content"]) for m in row["messages"])
    return doc


def sft_turns(row: dict) -> list[str]:
    """An SFT row's prompt texts: the whole prompt and, in a conversation, what its user turns ask joined and each
    system or user message alone (an eval prompt copied into one turn of a longer conversation is still the same
    prompt)."""
    turns = [message_text(m["content"]) for m in row["messages"] if m["role"] != "assistant"]
    return list(dict.fromkeys([prompt_text(row), asked_text(row), *turns])) if len(turns) > 1 else [prompt_text(row)]


def item_entities(item: EvalItem, prompt: str) -> list[list[str]]:
    """The words a paraphrase of an eval prompt must keep to ask the same question: its quoted words and names
    (`choice_copies.entities`, numbers left to the near check's number test) and a spelling item's word."""
    out = [e for e in entities(prompt) if not any(c.isdigit() for w in e for c in w)]
    if item.spelling is not None and [item.spelling[0]] not in out:
        out.append(words(item.spelling[0]))
    return out


def template_keys(index: NgramIndex, targets: list[Target], cfg: ScanConfig) -> np.ndarray:
    """n-grams that are template text: in at least `boilerplate_min_rows` eval and SFT rows together, and
    holding no number (numbers are item-specific, so an n-gram with one is never template)."""
    freq = index.key_frequency("eval") + index.key_frequency("sft")
    numeric = np.zeros(index.ngram_keys.shape[0], dtype=bool)
    n = index.n
    # read per vocabulary word once, not per word of every target (the targets' ids are their words)
    digit_by_id = np.zeros(len(index.vocab) + 1, dtype=np.int64)
    digit_by_id[[i for w, i in index.vocab.items() if any(c.isdigit() for c in w)]] = 1
    for t in targets:
        if t.ngram_slots is None or not t.ngram_slots.size:
            continue
        digit = digit_by_id[t.ids.astype(np.intp)]
        in_window = np.convolve(digit, np.ones(n, dtype=np.int64), "valid") > 0
        numeric[t.ngram_slots[in_window]] = True
    return (freq >= cfg.boilerplate_min_rows) & ~numeric


def _support(eval_rows: list[dict], index: NgramIndex, cfg: ScanConfig) -> tuple[list[Target], set[str]]:
    limit = max(cfg.boilerplate_min_rows, cfg.boilerplate_min_share * len(eval_rows))
    skip = set(cfg.support_skip_skills)
    phrases = {r["id"]: support_phrases(r, cfg) for r in eval_rows if r["skill"] not in skip}
    rows_per_phrase = Counter(normalized(p) for ps in phrases.values() for p in set(ps))
    template_answers = {p for p, c in rows_per_phrase.items() if c > limit}
    targets = []
    for rid, ps in phrases.items():
        for k, phrase in enumerate(ps):
            if normalized(phrase) not in template_answers:
                targets.append(index.add("support", f"{rid}#{k}", phrase))
    return targets, template_answers


def _watchers(items: list, index: NgramIndex, cfg: ScanConfig) -> tuple[Watcher, Watcher]:
    """The item watchers of SFT rows (every watch) and of the corpus (the watches that hold in a corpus)."""
    watches = build_watches(items, index, cfg.signature_min_digits, (cfg.expression_answer_words, cfg.expression_answer_words_before),
                            cfg.spelling_answer_cues, operand_cues=cfg.operand_cues, operand_cue_words=cfg.operand_cue_words,
                            count_words=cfg.count_answer_words, reversing_words=cfg.operand_reversing_words)
    unsaid = unsaid_words(index, list_rules(cfg), cfg.expression_answer_links)
    return Watcher(watches, cfg.ngram_size, unsaid), Watcher([w for w in watches if w.in_corpus], cfg.ngram_size, unsaid)


def scan(
    *,
    eval_rows: list[dict],
    sft_rows: list[dict] | None = None,
    corpus: Callable[[], Iterable[tuple[str, str]]] | None = None,
    corpus_bytes: int | None = None,
    generated: list[tuple[str, str]] | None = None,
    rates: dict[str, Any] | None = None,
    config: ScanConfig | None = None,
    inputs: dict[str, Any] | None = None,
    show_progress: bool = True,
) -> dict[str, Any]:
    """Scan in memory and return the honesty report (see module docstring)."""
    cfg = config or load_scan_config()
    t0 = time.perf_counter()
    sft_rows = sft_rows or []
    generated = generated or []
    index = NgramIndex(n=cfg.ngram_size, min_words=cfg.min_words)
    eval_targets = [index.add("eval", r["id"], prompt_text(r)) for r in eval_rows]
    support_targets, template_answers = _support(eval_rows, index, cfg)
    sft_targets = [index.add("sft", r["id"], sft_doc(r)) for r in sft_rows]
    gen_targets = [index.add("generated", key, text) for key, text in generated]
    index.build()
    boilerplate = template_keys(index, eval_targets + sft_targets, cfg)
    phrasings = math_phrasings(cfg.math_phrasings)
    items = [eval_item(i, r, set(cfg.support_skip_skills), phrasings) for i, r in enumerate(eval_rows)]
    watcher = _watchers(items, index, cfg)

    copies, asked, keys = corpus_choice_copies(eval_rows, cfg), asked_questions(eval_rows, cfg), choice_keys(eval_rows, cfg)
    corpus_docs = (lambda: keys.tap(asked.tap(copies.tap(corpus())))) if corpus is not None else None
    timing = {"index_s": time.perf_counter() - t0}
    sft_m, sft_w, corpus_m, corpus_w = _stream_sources(index, watcher, sft_rows, corpus_docs, corpus_bytes, show_progress, timing)
    t1 = time.perf_counter()

    rates = dict(rates or {})
    findings, per_prompt, support_hits = _findings(eval_rows, sft_rows, eval_targets, support_targets, items, index, boilerplate,
                                                   cfg, (sft_m, sft_w), (corpus_m, corpus_w), rates, (copies, asked, keys))
    matrix = _matrix(sft_targets, eval_targets, gen_targets, sft_m, corpus_m, boilerplate, cfg)
    timing["findings_s"] = time.perf_counter() - t1
    counts = _counts(eval_rows, findings, support_targets, template_answers, support_hits, boilerplate)
    status = "blocked" if counts["eval_prompts_failing"] else ("caution" if findings else "ready")
    corpus_info = ({"documents": corpus_m.num_docs, "words": corpus_m.num_words, "chars": corpus_m.num_chars}
                   if corpus_m is not None else None)
    return {
        "status": status,
        "summary": _summary(status, counts, findings),
        "config": cfg.to_dict(),
        "inputs": {**(inputs or {}), "corpus_stats": corpus_info, "sft_rows": len(sft_rows), "eval_rows": len(eval_rows), "generated_replies": len(generated)},
        "counts": counts,
        "rates": {"prompt_echo_rate": rates.get("prompt_echo_rate"), "unsupported_claim_rate": rates.get("unsupported_claim_rate")},
        "matrix": matrix,
        "findings": findings,
        "prompts": per_prompt,
        "seconds": round(time.perf_counter() - t0, 3),
        "timing": {k: round(v, 3) for k, v in timing.items()},
        "provenance": provenance(),
    }


def _stream_sources(index, watcher, sft_rows, corpus, corpus_bytes, show_progress, timing) -> tuple[Any, Any, Any, Any]:
    """Stream the SFT rows and the corpus through the index and the watchers (`watcher`: the SFT one, the corpus one);
    return (sft match, sft watch,
    corpus match, corpus watch), None for a source not given, and record the seconds in `timing`."""
    t1 = time.perf_counter()
    sft_watch, sft_w = watch_stream(index, watcher[0], whole_doc=True, skip_docs={i for i, r in enumerate(sft_rows) if canonical_key(r)})
    sft_m = index.match("sft", ((r["id"], sft_doc(r)) for r in sft_rows), watch=sft_watch) if sft_rows else None
    timing["sft_stream_s"] = time.perf_counter() - t1
    corpus_m, corpus_w = None, None
    t1, c1 = time.perf_counter(), time.process_time()
    if corpus is not None:
        corpus_watch, corpus_w = watch_stream(index, watcher[1], whole_doc=False)
        bar = tqdm(total=corpus_bytes, unit="B", unit_scale=True, desc="corpus scan", disable=not show_progress)
        corpus_m = index.match("corpus", corpus(), progress=bar, watch=corpus_watch)
        bar.close()
    timing["corpus_stream_s"] = time.perf_counter() - t1
    timing["corpus_stream_cpu_s"] = time.process_time() - c1
    return sft_m, sft_w, corpus_m, corpus_w


def _matrix(sft_targets, eval_targets, gen_targets, sft_m, corpus_m, boilerplate, cfg) -> list[dict[str, Any]]:
    """The overlap matrix: corpus into SFT, eval and generated text; SFT into eval and generated text."""
    return [
        matrix_cell("corpus", "sft", sft_targets, corpus_m, cfg, None),
        matrix_cell("corpus", "eval", eval_targets, corpus_m, cfg, boilerplate),
        matrix_cell("sft", "eval", eval_targets, sft_m, cfg, boilerplate),
        matrix_cell("sft", "generated", gen_targets, sft_m, cfg, None),
        matrix_cell("corpus", "generated", gen_targets, corpus_m, cfg, None),
    ]


def _findings(eval_rows, sft_rows, eval_targets, support_targets, items, index, boilerplate, cfg, sft, corpus,
              rates, readers: tuple[CorpusChoiceCopies, AskedQuestions, ChoiceKeys]) -> tuple[list[dict[str, Any]], list[dict], dict[str, int]]:
    """All findings in report order, the per-prompt verdicts and the support hits; `sft` and `corpus` are
    (match, watch) pairs, `readers` the choice copies, asked questions and choice keys read from the streamed corpus."""
    (sft_m, sft_w), (corpus_m, corpus_w) = sft, corpus
    findings: list[dict[str, Any]] = []

    def add(kind: str, row_id: str, reference: str, value: Any, detail: str) -> None:
        findings.append({"severity": FINDING_KINDS[kind], "kind": kind, "eval_id": row_id, "reference": reference, "value": value, "detail": detail})

    per_prompt, exact = _prompt_findings(eval_rows, sft_rows, eval_targets, items, index, boilerplate, cfg, sft_m, corpus_m, add)
    for side, m, w in (("sft", sft_m, sft_w), ("corpus", corpus_m, corpus_w)):
        if m is not None:
            watch_findings(items, side, w, m.source_name, cfg.ngram_size, exact if side == "sft" else set(), add,
                           min_digits=cfg.signature_min_digits, stem_words=cfg.stem_min_words)
    canonical_findings([it for it in items if it.id not in exact], sft_rows, add)
    choice_copy_findings(eval_rows, sft_rows, exact, add, stopwords=cfg.question_stopwords, min_overlap=cfg.choice_copy_min_overlap,
                         rules=list_rules(cfg))
    found = exact | {f["eval_id"] for f in findings if f["kind"] == "sft_choice_copy_with_answer"}
    answer_copy_findings(eval_rows, sft_rows, found, add, cfg)
    found |= {f["eval_id"] for f in findings if f["kind"] in ("sft_choice_copy_with_answer", "sft_signature_with_answer")}
    reworded_copy_findings(eval_rows, sft_rows, found, add, stopwords=cfg.question_stopwords, min_overlap=cfg.choice_copy_min_overlap,
                           skip_skills=set(cfg.support_skip_skills), rules=list_rules(cfg), shared_words=cfg.number_answer_shared_words,
                           affirmations=affirmations(cfg))
    found |= {f["eval_id"] for f in findings if f["kind"] == "sft_signature_with_answer"}
    weak_spelling_turn_findings(items, sft_rows, found, add)
    found |= {f["eval_id"] for f in findings if f["kind"] == "sft_signature_with_answer"}
    answer_question_findings(eval_rows, sft_rows, found, add, cfg)
    choice_key_findings(eval_rows, sft_rows, found | {f["eval_id"] for f in findings if f["kind"] == "sft_signature_with_answer"}, add, cfg)
    for reader in readers:
        reader.findings(add)
    _overlap_findings(eval_targets, (sft_m, sft_rows, items), corpus_m, boilerplate, cfg, findings, add)
    support_hits = _support_findings(support_targets, sft_m, corpus_m, cfg, add)
    for name, limit_value in (("prompt_echo_rate", cfg.prompt_echo_warn), ("unsupported_claim_rate", cfg.unsupported_claim_warn)):
        value = rates.get(name)
        if isinstance(value, (int, float)) and value > limit_value:
            add(name, "*", "eval_report", value, f"{name.replace('_', ' ')} {value:.1%} is above {limit_value:.0%}")
    return findings, per_prompt, support_hits


def _prompt_findings(eval_rows, sft_rows, eval_targets, items, index, boilerplate, cfg, sft_m, corpus_m, add) -> tuple[list[dict], set[str]]:
    """Exact and paraphrased SFT prompts, duplicate eval prompts; the per-prompt entries of the report."""
    sft_prompt_norm: dict[str, str] = {}
    for r in sft_rows:
        for turn in sft_turns(r):
            sft_prompt_norm.setdefault(normalized(turn), r["id"])
    eval_words = [(t.key, words(t.text)) for t in eval_targets]
    near = near_matches(
        [(key, index.strip_keys(w, boilerplate)) for key, w in eval_words],
        [(r["id"], index.strip_keys(words(turn), boilerplate)) for r in sft_rows for turn in sft_turns(r)],
        threshold=cfg.near_threshold, min_words=cfg.near_min_words, lsh_threshold=cfg.lsh_threshold, num_perm=cfg.num_perm,
    )  # fmt: skip
    seen_eval: dict[str, str] = {}
    exact: set[str] = set()
    per_prompt = []
    for t, (_, w) in zip(eval_targets, eval_words):
        norm = " ".join(w)
        entry: dict[str, Any] = {"id": t.key, "words": len(w)}
        if norm in seen_eval:
            add("eval_duplicate_prompt", t.key, "eval", seen_eval[norm], f"same prompt as eval row {seen_eval[norm]}")
        seen_eval.setdefault(norm, t.key)
        if w and norm in sft_prompt_norm:
            exact.add(t.key)
            entry["exact_sft"] = sft_prompt_norm[norm]
            add("exact_sft_prompt", t.key, "sft", sft_prompt_norm[norm], f"prompt ({len(w)} words) equals SFT row {sft_prompt_norm[norm]} after normalisation")
        elif t.key in near:
            entry["near_sft"] = {"id": near[t.key][0], "similarity": round(near[t.key][1], 4)}
        for ref_name, m in (("sft", sft_m), ("corpus", corpus_m)):
            st = target_stats(t, m, cfg.ngram_size, boilerplate) if m is not None else None
            if st is not None:
                entry[ref_name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in st.items()}
        per_prompt.append(entry)
    by_id = {it.id: it for it in items}
    sft_by_id = {r["id"]: r for r in sft_rows}
    other = {k for k, (ref, _) in near.items() if not all(contains(words(sft_doc(sft_by_id[ref])), e)
                                                             for e in item_entities(by_id[k], prompt_text(eval_rows[by_id[k].index])))}
    # the same template asking another relation of the entity ("the largest city of Serbia" for "the capital of Serbia")
    other |= {k for k, (ref, _) in near.items() if other_relation(by_id[k].prompt, words(prompt_text(sft_by_id[ref])))}
    near_findings(by_id, {k: v for k, v in near.items() if k not in exact}, sft_by_id, cfg.near_threshold, add, other=other)
    return per_prompt, exact


def _overlap_findings(eval_targets, sft, corpus_m, boilerplate, cfg, findings, add) -> None:
    """n-gram coverage of long prompts (template n-grams ignored), unless a whole-prompt finding already holds;
    `sft` is (match, rows, eval items)."""
    sft_m, sft_rows, items = sft
    whole = {(f["eval_id"], f["reference"]) for f in findings if f["kind"] in
             ("exact_sft_prompt", "sft_prompt_with_answer", "corpus_prompt_with_answer", "corpus_prompt_hit")}
    for t, item in zip(eval_targets, items):
        if t.num_words < cfg.ngram_size:
            continue
        for ref_name, m in (("sft", sft_m), ("corpus", corpus_m)):
            if m is None or (t.key, ref_name) in whole:
                continue
            st = target_stats(t, m, cfg.ngram_size, boilerplate)
            if st is None:
                continue
            where = f"{ref_name} document {st['source']}" if ref_name == "corpus" else f"SFT row {st['source']}"
            rows = sft_rows if ref_name == "sft" else None
            if st["coverage"] >= cfg.fail_coverage and _same_item(t, item, m, rows, boilerplate, cfg):
                add(f"{ref_name}_ngram_leak", t.key, ref_name, round(st["coverage"], 4),
                    f"{st['coverage']:.0%} of the prompt's words lie in {cfg.ngram_size}-grams shared with {ref_name} (fail at {cfg.fail_coverage:.0%}); longest span {st['longest']} words, {where}")
            elif st["hit"]:
                add(f"{ref_name}_ngram_overlap", t.key, ref_name, round(st["coverage"], 4),
                    f"shares {cfg.ngram_size}-grams with {where} (coverage {st['coverage']:.0%}, longest span {st['longest']} words)")


def _same_item(t: Target, item: EvalItem, m, sft_rows: list[dict] | None, boilerplate, cfg: ScanConfig) -> bool:
    """Whether SFT rows or corpus documents sharing a prompt's n-grams ask its item: every number of the prompt lies
    in a shared n-gram, or an SFT row holding them also holds the item's answer ("Xena starts the day with 90
    balloons and sells 12" shares the template and the 90 of the item about 90 - 84, not the item; without its 84
    but answered 6 it is the item). Corpus documents (`sft_rows` None) are not kept after the stream, so there the
    numbers decide; a corpus fragment answered after its question is the question reader's (`corpus_questions.py`)."""
    missing, docs = uncovered_numbers(t, m, cfg.ngram_size, boilerplate)
    if not missing or not item.answers:
        return True
    if sft_rows is None:
        return False
    return any(contains(words(sft_doc(sft_rows[d])), a) for d in docs.tolist() if d < len(sft_rows) for a in item.answers)


def _support_findings(support_targets, sft_m, corpus_m, cfg, add) -> dict[str, int]:
    """Specific answer phrases (long support phrases) found in SFT rows or the corpus: cautions."""
    hits = {"sft": 0, "corpus": 0}
    for t in support_targets:
        row_id = t.key.split("#", 1)[0]
        for ref_name, m in (("sft", sft_m), ("corpus", corpus_m)):
            st = target_stats(t, m, cfg.ngram_size) if m is not None else None
            if st is not None and st["contained"] and st["hit"]:
                hits[ref_name] += 1
                add(f"support_phrase_in_{ref_name}", row_id, ref_name, t.text, f"answer phrase {t.text!r} occurs in {ref_name} ({st['source']})")
    return hits


def _counts(eval_rows, findings, support_targets, template_answers, support_hits, boilerplate) -> dict[str, Any]:
    """Every finding kind (zero when absent), the failing and warned prompt totals, and the legacy totals."""
    kinds = Counter(f["kind"] for f in findings)
    failing = {f["eval_id"] for f in findings if f["severity"] == "fail"}
    warned = {f["eval_id"] for f in findings if f["severity"] == "warn" and f["eval_id"] != "*"} - failing
    return {
        "eval_prompts": len(eval_rows),
        "eval_prompts_failing": len(failing),
        "eval_prompts_warned": len(warned),
        "findings_fail": sum(f["severity"] == "fail" for f in findings),
        "findings_warn": sum(f["severity"] == "warn" for f in findings),
        **{kind: kinds[kind] for kind in FINDING_KINDS},
        "exact_prompt_hits": kinds["exact_sft_prompt"],
        "near_prompt_hits": kinds["near_sft_prompt"] + kinds["near_sft_prompt_with_answer"],
        "corpus_phrase_hits": kinds["corpus_prompt_hit"] + kinds["corpus_short_prompt_hit"] + kinds["corpus_prompt_with_answer"],
        "support_phrases": len(support_targets),
        "template_answers": len(template_answers),
        "support_phrase_hits": support_hits,
        "boilerplate_ngrams": int(boilerplate.sum()),
    }


def _summary(status: str, counts: dict, findings: list[dict]) -> str:
    """One sentence with the true numbers: prompts failing, by finding kind, and prompts with cautions only."""
    n = counts["eval_prompts"]
    if status == "ready":
        return f"No contamination found in {n} eval prompts."
    warned = f"{counts['eval_prompts_warned']} more have cautions only"
    fails = [f for f in findings if f["severity"] == "fail"]
    if not fails:
        return f"0 of {n} eval prompts leak; {warned} ({counts['findings_warn']} caution findings, first: {findings[0]['detail']})."
    kinds = Counter(f["kind"] for f in fails)
    by_kind = ", ".join(f"{k} {v}" for k, v in kinds.most_common())
    return f"{counts['eval_prompts_failing']} of {n} eval prompts leak ({by_kind}); {warned} (first leak: {fails[0]['eval_id']}: {fails[0]['detail']})."


def run_scan(
    *,
    eval_path: str | Path,
    sft_path: str | Path | None = None,
    corpus_paths: Iterable[str | Path] = (),
    generated_paths: Iterable[str | Path] = (),
    out_dir: str | Path | None = None,
    config: ScanConfig | None = None,
    force: bool = False,
    show_progress: bool = True,
) -> dict[str, Any]:
    """Read the files, scan, and (with `out_dir`) write `honesty_report.json` and `report.md`."""
    cfg = config or load_scan_config()
    if out_dir is not None:  # both files it writes: a run folder's own report.md is never replaced silently
        for name in ("honesty_report.json", "report.md"):
            ensure_can_write(Path(out_dir) / name, force=force)
    eval_rows = read_rows(eval_path, split="eval")  # any accepted row format (data.row_formats)
    sft_rows = read_rows(sft_path) if sft_path is not None else []
    corpus_list = [Path(p) for p in corpus_paths]
    generated_paths = [Path(p) for p in generated_paths]
    for p in corpus_list + generated_paths:
        if not p.exists():
            raise PicochatInputError("file not found", path=p)
    generated: list[tuple[str, str]] = []
    rates: dict[str, Any] = {}
    for gp in generated_paths:
        replies, r = read_generated(gp)
        generated.extend(replies)
        for key, value in r.items():
            if value is not None and key != "n":
                rates[key] = max(value, rates.get(key) or 0.0)
    inputs = {
        "eval": str(eval_path),
        "sft": None if sft_path is None else str(sft_path),
        "corpus": [str(p) for p in corpus_list],
        "generated": [str(p) for p in generated_paths],
        # what was scanned, by content: the release gate matches these with the eval and train reports
        "sha256": {"eval": input_sha256(eval_path), "sft": input_sha256(sft_path),
                   "corpus": {str(p): input_sha256(p) for p in corpus_list}},
    }
    report = scan(
        eval_rows=eval_rows,
        sft_rows=sft_rows,
        corpus=(lambda: iter_corpus(corpus_list)) if corpus_list else None,
        corpus_bytes=corpus_size_bytes(corpus_list) if corpus_list else None,
        generated=generated,
        rates=rates,
        config=cfg,
        inputs=inputs,
        show_progress=show_progress,
    )
    if out_dir is not None:
        out = Path(out_dir)
        markdown = render_honesty_md(report)  # both texts made before either file is replaced: a failure writes neither
        atomic_write_text(out / "report.md", markdown)
        atomic_write_json(out / "honesty_report.json", report)  # the marker of its output, last
    return report
