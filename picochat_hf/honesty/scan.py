"""The contamination scan: eval prompts and answers against SFT rows, the corpus and generated replies.

One pass over the corpus (streamed) and one over the SFT rows mark every n-gram the targets share with them
(`ngram_index.NgramIndex`); MinHash LSH finds paraphrased prompts (`near.near_matches`). Per eval prompt the
scan reports exact hits, near hits, n-gram coverage and the longest shared span; per eval answer the
"specific" support phrases found elsewhere; and an overlap matrix over corpus, SFT, eval and generated
replies. Findings are `fail` or `warn`; the status is `blocked` with any fail, `caution` with any warn,
otherwise `ready`. See docs/gates_and_honesty.md for every rule.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ..data.schema import answer_text, prompt_text, read_rows
from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text, ensure_can_write
from ..utils.provenance import input_sha256, provenance
from .config import ScanConfig, load_scan_config
from .near import near_matches
from .ngram_index import Matches, NgramIndex, Target
from .normalize import normalized, words
from .report_md import render_honesty_md
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


def target_stats(t: Target, m: Matches, n: int, ignore: np.ndarray | None = None) -> dict[str, Any] | None:
    """Coverage, longest shared span (words) and whole-text containment of one target against one reference."""
    if t.ngram_slots is not None:
        if t.ngram_slots.size == 0:
            return None
        raw = m.ngram_found[t.ngram_slots]
        found = raw & ~ignore[t.ngram_slots] if ignore is not None else raw
        if not found.any():
            return {"coverage": 0.0, "longest": 0, "contained": bool(raw.all()), "source": None, "hit": False}
        delta = np.zeros(t.num_words + 1, dtype=np.int64)
        pos = np.flatnonzero(found)
        np.add.at(delta, pos, 1)
        np.add.at(delta, pos + n, -1)
        coverage = float((np.cumsum(delta)[:-1] > 0).sum()) / t.num_words
        # longest run of consecutive shared n-grams -> span of run + n - 1 words
        padded = np.concatenate([[0], found.astype(np.int8), [0]])
        edges = np.flatnonzero(np.diff(padded))
        starts, ends = edges[::2], edges[1::2]
        best = int(np.argmax(ends - starts))
        run = int(ends[best] - starts[best])
        source = m.source_name(int(m.ngram_source[t.ngram_slots[starts[best]]]))
        return {"coverage": coverage, "longest": run + n - 1, "contained": bool(raw.all()), "source": source, "hit": True}
    if t.short_slot is not None:
        hit = bool(m.short_found[t.num_words][t.short_slot])
        source = m.source_name(int(m.short_source[t.num_words][t.short_slot])) if hit else None
        return {"coverage": 1.0 if hit else 0.0, "longest": t.num_words if hit else 0, "contained": hit, "source": source, "hit": hit}
    return None


def _risk(cell: dict, cfg: ScanConfig) -> str:
    r, n = cfg.matrix_risk, cfg.ngram_size
    if cell["contained"] or cell["max_coverage"] >= r["high_coverage"] or cell["longest_span"] >= max(r["high_span"], 5 * n):
        return "high"
    if cell["max_coverage"] >= r["medium_coverage"] or cell["longest_span"] >= max(r["medium_span"], 2 * n):
        return "medium"
    return "low" if cell["with_overlap"] else "clean"


def _matrix_cell(reference: str, target_side: str, targets: list[Target], m: Matches | None, cfg: ScanConfig, ignore) -> dict:
    cell: dict[str, Any] = {"reference": reference, "target": target_side, "targets": len(targets), "checked": 0}
    if m is None:
        return {**cell, "risk": "not_scanned"}
    rows, covered_words, total_words = [], 0.0, 0
    for t in targets:
        st = target_stats(t, m, cfg.ngram_size, ignore)
        if st is None:
            continue
        rows.append((t, st))
        covered_words += st["coverage"] * t.num_words
        total_words += t.num_words
    best = max(rows, key=lambda r: r[1]["longest"], default=None)
    cell.update(
        checked=len(rows),
        with_overlap=sum(1 for _, s in rows if s["hit"]),
        contained=sum(1 for _, s in rows if s["contained"] and s["hit"]),
        coverage=covered_words / total_words if total_words else 0.0,
        max_coverage=max((s["coverage"] for _, s in rows), default=0.0),
        share_over_fail=(sum(1 for _, s in rows if s["coverage"] >= cfg.fail_coverage) / len(rows)) if rows else 0.0,
        longest_span=best[1]["longest"] if best else 0,
        longest_target=best[0].key if best and best[1]["longest"] else None,
        longest_source=best[1]["source"] if best else None,
        top=[
            {"target": t.key, "coverage": round(s["coverage"], 4), "longest_span": s["longest"], "source": s["source"]}
            for t, s in sorted(rows, key=lambda r: (-r[1]["coverage"], -r[1]["longest"], r[0].key))[: cfg.top_k]
            if s["hit"]
        ],
    )
    cell["risk"] = _risk(cell, cfg)
    return cell


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
    support_targets: list[Target] = []
    limit = max(cfg.boilerplate_min_rows, cfg.boilerplate_min_share * len(eval_rows))
    skip = set(cfg.support_skip_skills)
    phrases = {r["id"]: support_phrases(r, cfg) for r in eval_rows if r["skill"] not in skip}
    rows_per_phrase = Counter(normalized(p) for ps in phrases.values() for p in set(ps))
    template_answers = {p for p, c in rows_per_phrase.items() if c > limit}
    for rid, ps in phrases.items():
        for k, phrase in enumerate(ps):
            if normalized(phrase) not in template_answers:
                support_targets.append(index.add("support", f"{rid}#{k}", phrase))
    sft_targets = [index.add("sft", r["id"], prompt_text(r) + "\n" + answer_text(r)) for r in sft_rows]
    gen_targets = [index.add("generated", key, text) for key, text in generated]
    index.build()

    freq = index.key_frequency("eval")
    boilerplate = freq > limit

    def sft_docs():
        for r in sft_rows:
            yield r["id"], prompt_text(r)
            yield r["id"], answer_text(r)

    timing = {"index_s": time.perf_counter() - t0}
    t1 = time.perf_counter()
    sft_m = index.match("sft", sft_docs()) if sft_rows else None
    timing["sft_stream_s"] = time.perf_counter() - t1
    corpus_m = None
    t1, c1 = time.perf_counter(), time.process_time()
    if corpus is not None:
        bar = tqdm(total=corpus_bytes, unit="B", unit_scale=True, desc="corpus scan", disable=not show_progress)
        corpus_m = index.match("corpus", corpus(), progress=bar)
        bar.close()
    timing["corpus_stream_s"] = time.perf_counter() - t1
    timing["corpus_stream_cpu_s"] = time.process_time() - c1
    t1 = time.perf_counter()

    findings: list[dict[str, Any]] = []

    def add(severity: str, kind: str, row_id: str, reference: str, value: Any, detail: str) -> None:
        findings.append({"severity": severity, "kind": kind, "eval_id": row_id, "reference": reference, "value": value, "detail": detail})

    # exact and near prompt hits against SFT prompts
    sft_prompt_norm: dict[str, str] = {}
    for r in sft_rows:
        sft_prompt_norm.setdefault(normalized(prompt_text(r)), r["id"])
    eval_words = [(t.key, words(t.text)) for t in eval_targets]
    near = near_matches(
        [(key, index.strip_keys(w, boilerplate)) for key, w in eval_words],
        [(r["id"], index.strip_keys(words(prompt_text(r)), boilerplate)) for r in sft_rows],
        threshold=cfg.near_threshold,
        min_words=cfg.near_min_words,
        lsh_threshold=cfg.lsh_threshold,
        num_perm=cfg.num_perm,
    )
    seen_eval: dict[str, str] = {}
    per_prompt: list[dict[str, Any]] = []
    for t, (_, w) in zip(eval_targets, eval_words):
        norm = " ".join(w)
        entry: dict[str, Any] = {"id": t.key, "words": len(w)}
        if norm in seen_eval:
            add("warn", "eval_duplicate_prompt", t.key, "eval", seen_eval[norm], f"same prompt as eval row {seen_eval[norm]}")
        seen_eval.setdefault(norm, t.key)
        if len(w) >= cfg.min_words and norm in sft_prompt_norm:
            entry["exact_sft"] = sft_prompt_norm[norm]
            add("fail", "exact_sft_prompt", t.key, "sft", sft_prompt_norm[norm], f"prompt equals SFT row {sft_prompt_norm[norm]} after normalisation")
        elif t.key in near:
            ref, score = near[t.key]
            entry["near_sft"] = {"id": ref, "similarity": round(score, 4)}
            add("warn", "near_sft_prompt", t.key, "sft", round(score, 4), f"paraphrase of SFT row {ref} (similarity {score:.2f} >= {cfg.near_threshold})")
        for ref_name, m in (("sft", sft_m), ("corpus", corpus_m)):
            if m is None:
                continue
            st = target_stats(t, m, cfg.ngram_size, boilerplate)
            if st is None:
                continue
            entry[ref_name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in st.items()}
            if ref_name == "sft" and "exact_sft" in entry:
                continue
            long_enough = t.num_words >= cfg.ngram_size
            where = f"{ref_name} document {st['source']}" if ref_name == "corpus" else f"SFT row {st['source']}"
            if long_enough and st["contained"] and ref_name == "corpus":
                add("fail", "corpus_prompt_hit", t.key, ref_name, 1.0, f"whole prompt ({t.num_words} words) occurs in {where}")
            elif long_enough and st["coverage"] >= cfg.fail_coverage:
                add("fail", f"{ref_name}_ngram_leak", t.key, ref_name, round(st["coverage"], 4),
                    f"{st['coverage']:.0%} of the prompt's words lie in {cfg.ngram_size}-grams shared with {ref_name} (fail at {cfg.fail_coverage:.0%}); longest span {st['longest']} words, {where}")
            elif not long_enough and st["contained"]:
                add("warn", f"{ref_name}_short_prompt_hit", t.key, ref_name, t.num_words, f"short prompt ({t.num_words} words) occurs whole in {where}")
            elif st["hit"]:
                add("warn", f"{ref_name}_ngram_overlap", t.key, ref_name, round(st["coverage"], 4),
                    f"shares {cfg.ngram_size}-grams with {where} (coverage {st['coverage']:.0%}, longest span {st['longest']} words)")
        per_prompt.append(entry)

    # support phrases found in SFT rows or the corpus
    support_hits = {"sft": 0, "corpus": 0}
    for t in support_targets:
        row_id = t.key.split("#", 1)[0]
        for ref_name, m in (("sft", sft_m), ("corpus", corpus_m)):
            st = target_stats(t, m, cfg.ngram_size) if m is not None else None
            if st is not None and st["contained"] and st["hit"]:
                support_hits[ref_name] += 1
                add("warn", f"support_phrase_in_{ref_name}", row_id, ref_name, t.text, f"answer phrase {t.text!r} occurs in {ref_name} ({st['source']})")

    rates = dict(rates or {})
    for name, limit_value in (("prompt_echo_rate", cfg.prompt_echo_warn), ("unsupported_claim_rate", cfg.unsupported_claim_warn)):
        value = rates.get(name)
        if isinstance(value, (int, float)) and value > limit_value:
            add("warn", name, "*", "eval_report", value, f"{name.replace('_', ' ')} {value:.1%} is above {limit_value:.0%}")

    matrix = [
        _matrix_cell("corpus", "sft", sft_targets, corpus_m, cfg, None),
        _matrix_cell("corpus", "eval", eval_targets, corpus_m, cfg, boilerplate),
        _matrix_cell("sft", "eval", eval_targets, sft_m, cfg, boilerplate),
        _matrix_cell("sft", "generated", gen_targets, sft_m, cfg, None),
        _matrix_cell("corpus", "generated", gen_targets, corpus_m, cfg, None),
    ]
    timing["findings_s"] = time.perf_counter() - t1
    kinds = Counter(f["kind"] for f in findings)
    failing = {f["eval_id"] for f in findings if f["severity"] == "fail"}
    status = "blocked" if failing else ("caution" if findings else "ready")
    counts = {
        "eval_prompts": len(eval_rows),
        "eval_prompts_failing": len(failing),
        "exact_prompt_hits": kinds["exact_sft_prompt"],
        "near_prompt_hits": kinds["near_sft_prompt"],
        "sft_ngram_leaks": kinds["sft_ngram_leak"],
        "corpus_phrase_hits": kinds["corpus_prompt_hit"] + kinds["corpus_short_prompt_hit"],
        "corpus_ngram_leaks": kinds["corpus_ngram_leak"],
        "support_phrases": len(support_targets),
        "template_answers": len(template_answers),
        "support_phrase_hits": support_hits,
        "eval_duplicate_prompts": kinds["eval_duplicate_prompt"],
        "boilerplate_ngrams": int(boilerplate.sum()),
    }
    corpus_info = None
    if corpus_m is not None:
        corpus_info = {"documents": corpus_m.num_docs, "words": corpus_m.num_words, "chars": corpus_m.num_chars}
    report = {
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
    return report


def _summary(status: str, counts: dict, findings: list[dict]) -> str:
    fails = [f for f in findings if f["severity"] == "fail"]
    if status == "ready":
        return f"No contamination found in {counts['eval_prompts']} eval prompts."
    if fails:
        return f"{counts['eval_prompts_failing']} of {counts['eval_prompts']} eval prompts leak (first: {fails[0]['eval_id']}: {fails[0]['detail']})."
    return f"{len(findings)} caution findings over {counts['eval_prompts']} eval prompts (first: {findings[0]['detail']})."


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
        atomic_write_json(out / "honesty_report.json", report)
        atomic_write_text(out / "report.md", render_honesty_md(report))
    return report
