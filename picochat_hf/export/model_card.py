"""The model card: huggingface_hub `ModelCard` with `model-index` eval results and the evidence tables.

The YAML front matter carries license, tags, pipeline tag and one `EvalResult` per measured number (the
visible chat eval overall and per skill, the fits, and every external benchmark), so the Hub shows them.
The body states the re-checked release verdict first (a blocked release says BLOCKED and lists why; a verdict
whose evidence changed since the gate ran says STALE; a profile's stated exceptions are listed), then the
benchmark protocol's tables: model, data, budget, eval with 95% intervals, honesty, release. Every number names
the run-directory file it came from and that file's sha256 (first 12 hex digits; the release manifest lists
them in full). Benchmarks with a Hub dataset id are also returned as `.eval_results/` entries
(`EvalResultEntry`), which `export_hf` writes as YAML beside the card.
"""

from __future__ import annotations

from typing import Any

from huggingface_hub import EvalResult, EvalResultEntry, ModelCard, ModelCardData

from ..gates.common import count
from ..gates.history import history_sentence
from ..gates.limits import unverified_records
from ..utils.tokenizer_identity import legacy_tokenizer_note
from ..utils.trained_tokens import trained_tokens
from .run_evidence import EVALS, gate_status


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _pct(x: Any) -> str:
    """A rate as a percentage; small non-zero rates keep their digits (0.04% is not 0.0%)."""
    if not isinstance(x, (int, float)):
        return "n/a"
    if x != 0 and abs(100 * x) < 0.1:
        return f"{100 * x:.2g}%"
    return f"{100 * x:.1f}%"


def _src(evidence: dict[str, Any], rel: str) -> str:
    digest = (evidence.get("sources") or {}).get(rel)
    return f"`{rel}` ({digest[:12]})" if digest else f"`{rel}`"


def hub_eval_entries(evidence: dict[str, Any]) -> dict[str, list[EvalResultEntry]]:
    """`.eval_results/<name>.yaml` entries for external benchmarks whose data is a Hub dataset."""
    out: dict[str, list[EvalResultEntry]] = {}
    for ext in evidence.get("external") or []:
        if ext.get("hub_dataset") and isinstance(ext.get("value"), (int, float)) and not _not_held(evidence, ext["source"]):
            name = str(ext["hub_dataset"]).split("/")[-1]
            out.setdefault(name, []).append(EvalResultEntry(
                dataset_id=ext["hub_dataset"], task_id=ext["name"], value=round(float(ext["value"]), 4),
                notes=f"{ext['metric']}, n={ext.get('n')}; picochat_hf {ext['source']}"))
    return out


def _not_held(evidence: dict[str, Any], rel: str) -> str | None:
    """Why the numbers of the eval report at `rel` are not this model's measured numbers, or None: they do not follow
    from its rows (`run_evidence._rederived`), or it scored other weights (or a replies file) than the ones exported
    (`exported_weights`, set by the export; a card built without it cannot tell), or read them through another tokenizer
    than the one exported (`exported_tokenizer`, its `tokenizer_identity` digest; `exported_tokenizer_dir` its folder),
    or names none where one is exported."""
    problems = (evidence.get("rederived") or {}).get(rel) or []
    if problems:
        return f"its numbers do not follow from its rows ({problems[0]})"
    mine = evidence.get("exported_weights")
    about = _about_of(evidence, rel)
    if not mine or about is None:
        return None
    if about.get("kind") == "replies":
        return f"it scored a replies file ({about.get('path')}), not these weights"
    if about.get("weights_sha256") != mine:
        return f"it scored weights {str(about.get('weights_sha256'))[:12]}, not these weights {mine[:12]}"
    # the same weights read through other token ids are another model (lm-eval records no tokenizer to compare)
    shipped, read = evidence.get("exported_tokenizer"), about.get("tokenizer_sha256")
    if not shipped or about.get("harness") == "lm_eval" or read == shipped:
        return None
    if not read:  # a report that names no tokenizer may have asked the weights through any template
        return f"it records no tokenizer hash, so it cannot be tied to the shipped tokenizer {str(shipped)[:12]}"
    return legacy_tokenizer_note(read, evidence.get("exported_tokenizer_dir")) or (
        f"it read these weights through tokenizer {str(read)[:12]}, not the shipped {str(shipped)[:12]}")


def _about_of(evidence: dict[str, Any], rel: str) -> dict[str, Any] | None:
    """What the report at `rel` (an eval kind's or an external benchmark's) is about, as `gates.evidence` reads it."""
    from ..gates.evidence import report_about

    kind = rel.split("/", 1)[0]
    report = (evidence.get("evals") or {}).get(kind)
    if rel == f"{kind}/eval_report.json" and report:
        return report_about(report)
    return next((ext.get("about") for ext in evidence.get("external") or [] if ext.get("source") == rel), None)


def _ci(ci: Any) -> str:
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and all(isinstance(v, (int, float)) for v in ci):
        return f"[{_pct(ci[0])}, {_pct(ci[1])}]"
    return "n/a"


def _eval_results(evidence: dict[str, Any], model_name: str) -> list[EvalResult]:
    out: list[EvalResult] = []
    for key, label in EVALS:
        rep = (evidence.get("evals") or {}).get(key)
        if not rep or _not_held(evidence, f"{key}/eval_report.json"):  # a rate its rows do not give is no result
            continue
        s = rep["summary"]
        common = dict(task_type="text-generation", task_name=f"{label} (rule-scored)", dataset_type=f"picochat_hf/{key}",
                      dataset_name=f"picochat_hf {label.lower()}", metric_type="accuracy", verified=False)
        out.append(EvalResult(**common, metric_name="pass rate", metric_value=round(float(s["pass_rate"]), 4)))
        if key == "eval":
            for skill, entry in sorted((s.get("by_skill") or {}).items()):
                out.append(EvalResult(**{**common, "dataset_config": skill}, metric_name=f"{skill} pass rate",
                                      metric_value=round(float(entry["pass_rate"]), 4)))
    for ext in evidence.get("external") or []:
        if isinstance(ext.get("value"), (int, float)) and not _not_held(evidence, ext["source"]):
            out.append(EvalResult(task_type="multiple-choice" if ext["metric"] == "letter_acc" or "acc" in str(ext["metric"]) else "text-generation",
                                  dataset_type=ext["name"], dataset_name=ext["name"], metric_type=str(ext["metric"]).split(",")[0],
                                  metric_value=round(float(ext["value"]), 4), verified=False))
    return out


def _model_table(config: Any, num_parameters: int, tokenizer_hash: str | None) -> list[str]:
    rows = [("architecture", f"{type(config).__name__.replace('Config', '')} (`model_type: {config.model_type}`)"), ("parameters", f"{num_parameters:,}")]
    for field, label in (("num_hidden_layers", "layers"), ("hidden_size", "width"), ("num_attention_heads", "attention heads"),
                         ("num_key_value_heads", "key/value heads"), ("max_position_embeddings", "context (tokens)"), ("vocab_size", "vocabulary")):
        if getattr(config, field, None) is not None:
            rows.append((label, str(getattr(config, field))))
    if tokenizer_hash:
        rows.append(("tokenizer hash", f"`{tokenizer_hash}`"))
    return ["| | |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows]]


def _gate_lines(gate: dict[str, Any], override: bool) -> list[str]:
    forced = " It was exported with an explicit override (`--allow-blocked`/`--force`)." if override else ""
    if gate["state"] == "stale":
        lines = [f"> **Release gate: STALE.** {gate['sentence']}{forced} Do not treat it as a release.", ""]
    elif gate["status"] == "blocked":
        lines = ["> **Release gate: BLOCKED.** This model did not pass its release gate "
                 f"(profile `{gate['profile']}`).{forced} Do not treat it as a release.", ">"]
        lines += [f"> - {why}" for why in gate["blocking"]] + [""]
    elif gate["state"] == "not_run":
        lines = [f"> **Release gate: not run.** {gate['sentence']} Its claims are unchecked.", ""]
    else:
        lines = [f"**Release gate: {gate['status']}** (profile `{gate['profile']}`). {gate['sentence']}", ""]
    if gate.get("exceptions"):
        lines += [f"Profile `{gate['profile']}` states these exceptions to its rules:", ""] + [f"- {x}" for x in gate["exceptions"]] + [""]
    return lines


def build_model_card(
    *,
    model_name: str,
    license: str,
    config: Any,
    num_parameters: int,
    evidence: dict[str, Any],
    dataset_summary: str = "",
    eval_summary: str = "",
    tokenizer_hash: str | None = None,
    merged_adapter: str | None = None,
    has_code: bool = False,
    override: bool = False,
) -> ModelCard:
    """The card; `override` says the export went ahead despite a blocked or stale verdict."""
    gate = gate_status(evidence)
    card_data = ModelCardData(
        language="en", license=license, library_name="transformers", pipeline_tag="text-generation",
        tags=["picochat", "picochat_hf", "text-generation", f"release-gate-{gate['status']}"] + (["release-gate-stale"] if gate["state"] == "stale" else []),
        model_name=model_name, eval_results=_eval_results(evidence, model_name) or None,
    )
    limits = ["The verdict rests partly on the run's own records, which no check can confirm from its files alone (see "
              "*What this verdict cannot check* under Release).", ""] if evidence.get("release") else []
    lines = [f"# {model_name}", ""] + _gate_lines(gate, override) + limits + [
        "A small chat model trained with picochat_hf on the Hugging Face stack. Every number below names the run-directory "
        "file it came from and the first 12 hex digits of that file's sha256; `release_manifest.json` lists the evidence "
        "files with their full sha256.", ""]
    lines += ["## Model", "", *_model_table(config, num_parameters, tokenizer_hash), ""]
    if merged_adapter:
        lines += [f"LoRA adapter `{merged_adapter}` merged into the base weights.", ""]
    lines += _data_lines(evidence, dataset_summary) + _budget_lines(evidence, num_parameters) + _eval_lines(evidence, eval_summary)
    lines += _honesty_lines(evidence) + _release_lines(evidence) + _usage_lines(model_name, has_code)
    content = f"---\n{card_data.to_yaml()}\n---\n\n" + "\n".join(lines)
    return ModelCard(content)


def _data_lines(evidence: dict[str, Any], dataset_summary: str) -> list[str]:
    pack = evidence.get("dataset_pack") or {}
    counts = pack.get("counts") or {}
    src = _src(evidence, "dataset_pack/dataset_pack.json")
    lines = ["## Data", "", "| | | source |", "|---|---|---|", f"| dataset pack | {pack.get('name', 'n/a')} | {src} |",
             f"| documents | {count(counts.get('documents'))} | {src} |", f"| characters | {count(counts.get('characters'))} | {src} |",
             f"| estimated tokens | {count(counts.get('estimated_tokens'))} | {src} |"]
    sft_train = evidence.get("sft_train") or {}
    if sft_train.get("category_rows"):
        lines.append(f"| SFT rows by category | {', '.join(f'{k} {v}' for k, v in sft_train['category_rows'].items())} | "
                     f"{_src(evidence, 'sft/train_report.json')} |")
    return lines + ["", dataset_summary.strip() or "_No dataset summary given._", ""]


def _budget_lines(evidence: dict[str, Any], num_parameters: int) -> list[str]:
    base = evidence.get("base_train") or {}
    pre = (evidence.get("preflight") or {}).get("numbers") or {}
    b_src, p_src = _src(evidence, "base/train_report.json"), _src(evidence, "gates/preflight.json")
    planned = base.get("planned_tokens")
    real = trained_tokens(base)[0]
    params = num_parameters  # the exported model's own count: a report's count can be edited to flatter the budget
    rows = [("planned base tokens", count(planned), b_src),
            ("planned tokens per parameter", count(planned / params) if planned and params else "n/a", b_src),
            ("base tokens trained on", count(real), b_src),
            ("tokens per parameter trained on", count(real / params) if isinstance(real, (int, float)) and params else "n/a", b_src),
            ("base run status", base.get("status", "n/a"), b_src),
            ("training FLOPs (planned)", f"{pre['training_flops']:.3g}" if isinstance(pre.get("training_flops"), (int, float)) else "n/a", p_src),
            ("preflight", f"{(evidence.get('preflight') or {}).get('status', 'not run')} (profile {(evidence.get('preflight') or {}).get('profile')})", p_src)]
    if base.get("num_parameters") not in (None, num_parameters):
        rows.append(("parameters the base report records (not the model's)", count(base.get("num_parameters")), b_src))
    return ["## Budget", "", "| | | source |", "|---|---|---|", *[f"| {a} | {b} | {c} |" for a, b, c in rows], ""]


def _eval_lines(evidence: dict[str, Any], eval_summary: str) -> list[str]:
    lines = ["## Evaluation", "", "Pass rates with 95% Wilson intervals.", "", "| eval | n | pass rate | 95% CI | source |", "|---|---|---|---|---|"]
    for key, label in EVALS:
        rep = (evidence.get("evals") or {}).get(key)
        if not rep:
            continue
        s, src = rep["summary"], _src(evidence, f"{key}/eval_report.json")
        why = _not_held(evidence, f"{key}/eval_report.json")
        if why:
            lines.append(f"| {label} | {s['n']} | does not hold | – | {src}: {why} |")
            continue
        lines.append(f"| {label} | {s['n']} | {_pct(s['pass_rate'])} | {_ci(s.get('ci'))} | {src} |")
        if key == "eval":
            for skill, e in sorted((s.get("by_skill") or {}).items()):
                lines.append(f"| &nbsp;&nbsp;{skill} | {e['n']} | {_pct(e['pass_rate'])} | {_ci(e.get('ci'))} | {src} |")
    for ext in evidence.get("external") or []:
        rb = f" (random {_pct(ext['random_baseline'])})" if isinstance(ext.get("random_baseline"), (int, float)) else ""
        ci, why = ext.get("ci"), _not_held(evidence, ext["source"])
        if why:
            lines.append(f"| {ext['name']} `{ext['metric']}`{rb} | {ext.get('n', 'n/a')} | does not hold | – | "
                         f"{_src(evidence, ext['source'])}: {why} |")
            continue
        lines.append(f"| {ext['name']} `{ext['metric']}`{rb} | {ext.get('n', 'n/a')} | {_pct(ext.get('value'))} | "
                     f"{_ci(ci) if isinstance(ci, list) else 'see report'} | {_src(evidence, ext['source'])} |")
    if len(lines) == 6:
        lines.append("| _no eval reports found_ | | | | |")
    return lines + ["", eval_summary.strip() or "_No evaluation summary given._", ""]


def _honesty_lines(evidence: dict[str, Any]) -> list[str]:
    hon = evidence.get("honesty")
    if not hon:
        return ["## Honesty", "", "_No honesty scan was found for this run._", ""]
    c, rates, cfg = hon.get("counts") or {}, hon.get("rates") or {}, hon.get("config") or {}
    rows = [("contamination scan", hon.get("status")), ("method", f"word {cfg.get('ngram_size')}-grams, {cfg.get('normalization', '')}"),
            ("eval prompts leaking (fail)", f"{c.get('eval_prompts_failing')} of {c.get('eval_prompts')}"),
            ("exact / near prompt hits", f"{c.get('exact_prompt_hits')} / {c.get('near_prompt_hits')}"),
            ("corpus phrase hits", c.get("corpus_phrase_hits")),
            ("support-phrase hits", ", ".join(f"{k} {v}" for k, v in (c.get("support_phrase_hits") or {}).items()) or "n/a"),
            ("prompt echo rate", _pct(rates.get("prompt_echo_rate"))), ("unsupported claim rate", _pct(rates.get("unsupported_claim_rate")))]
    src = _src(evidence, "honesty/honesty_report.json")
    return ["## Honesty", "", "| | | source |", "|---|---|---|", *[f"| {a} | {b} | {src} |" for a, b in rows], "", hon.get("summary", ""), ""]


def _release_lines(evidence: dict[str, Any]) -> list[str]:
    release = evidence.get("release")
    if not release:
        return ["## Release", "", "_The release gate was not run._", ""]
    lines = ["## Release", "", f"Gate status **{release['status']}** under profile `{release['profile']}` "
             f"({_src(evidence, 'gates/release.json')}). {gate_status(evidence)['sentence']} {history_sentence(release)}", "",
             "| check | status | value | threshold | why |", "|---|---|---|---|---|"]
    for chk in release.get("checks", []):
        value = f"{chk['value']:.4g}" if isinstance(chk["value"], float) else chk["value"]
        lines.append(f"| {chk['name']} | {chk['status']} | {_cell(value)} | {_cell(chk['threshold'])} | {_cell(chk['why'])} |")
    # worded from the verdict's settings, not copied from it: an edited list could drop a limit
    return lines + ["", "### What this verdict cannot check", "", *[f"- {why}" for why in unverified_records(release)], ""]


def _usage_lines(model_name: str, has_code: bool) -> list[str]:
    load = (f'model = AutoModelForCausalLM.from_pretrained("{model_name}", trust_remote_code=True)  # or `import picochat_hf` first'
            if has_code else f'model = AutoModelForCausalLM.from_pretrained("{model_name}")')
    return ["## How to use", "", "```python", "from transformers import AutoModelForCausalLM, AutoTokenizer", "",
            f'tok = AutoTokenizer.from_pretrained("{model_name}")', load,
            'ids = tok.apply_chat_template([{"role": "user", "content": "Hello!"}], add_generation_prompt=True, return_tensors="pt", return_dict=True)',
            "out = model.generate(**ids, max_new_tokens=64)", "print(tok.decode(out[0, ids['input_ids'].shape[1]:], skip_special_tokens=True))", "```", "",
            "## Limitations", "", "A small model: it makes factual errors, its skills are the ones measured above and no more, and "
            "its pass rates are rule-scored on the project's own eval rows. Read the honesty and release sections before relying on it.", ""]
