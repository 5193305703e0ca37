"""The model card: huggingface_hub `ModelCard` with `model-index` eval results and the evidence tables.

The YAML front matter carries license, tags, pipeline tag and one `EvalResult` per measured number (the
visible chat eval overall and per skill, the fits, and every external benchmark), so the Hub shows them.
The body states the release-gate status first (a blocked release says BLOCKED and lists why), then the
benchmark protocol's tables: model, data, budget, eval with 95% intervals, honesty, release.
"""

from __future__ import annotations

from typing import Any

from huggingface_hub import EvalResult, ModelCard, ModelCardData

from .run_evidence import EVALS, gate_status


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _pct(x: Any) -> str:
    return "n/a" if not isinstance(x, (int, float)) else f"{100 * x:.1f}%"


def _ci(ci: Any) -> str:
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and all(isinstance(v, (int, float)) for v in ci):
        return f"[{_pct(ci[0])}, {_pct(ci[1])}]"
    return "n/a"


def _eval_results(evidence: dict[str, Any], model_name: str) -> list[EvalResult]:
    out: list[EvalResult] = []
    for key, label in EVALS:
        rep = (evidence.get("evals") or {}).get(key)
        if not rep:
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
        if isinstance(ext.get("value"), (int, float)):
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
) -> ModelCard:
    gate = gate_status(evidence)
    card_data = ModelCardData(
        language="en", license=license, library_name="transformers", pipeline_tag="text-generation",
        tags=["picochat", "picochat_hf", "text-generation", f"release-gate-{gate['status']}"],
        model_name=model_name, eval_results=_eval_results(evidence, model_name) or None,
    )
    lines = [f"# {model_name}", ""]
    if gate["status"] == "blocked":
        lines += ["> **Release gate: BLOCKED.** This model did not pass its release gate "
                  f"(profile `{gate['profile']}`) and was exported with an explicit override. Do not treat it as a release.", ">"]
        lines += [f"> - {why}" for why in gate["blocking"]] + [""]
    elif gate["status"] == "not_run":
        lines += ["> **Release gate: not run.** No `gates/release.json` was found for this export; its claims are unchecked.", ""]
    else:
        lines += [f"**Release gate: {gate['status']}** (profile `{gate['profile']}`).", ""]
    lines += ["A small chat model trained with picochat_hf on the Hugging Face stack. "
              "Every number below comes from a file in its run directory; the release manifest lists their sha256.", ""]
    lines += ["## Model", "", *_model_table(config, num_parameters, tokenizer_hash), ""]
    if merged_adapter:
        lines += [f"LoRA adapter `{merged_adapter}` merged into the base weights.", ""]

    pack = evidence.get("dataset_pack") or {}
    counts = pack.get("counts") or {}
    lines += ["## Data", "", "| | |", "|---|---|", f"| dataset pack | {pack.get('name', 'n/a')} |",
              f"| documents | {counts.get('documents', 'n/a')} |", f"| characters | {counts.get('characters', 'n/a')} |",
              f"| estimated tokens | {counts.get('estimated_tokens', 'n/a')} |"]
    sft_train = evidence.get("sft_train") or {}
    if sft_train.get("category_rows"):
        lines.append(f"| SFT rows by category | {', '.join(f'{k} {v}' for k, v in sft_train['category_rows'].items())} |")
    lines += ["", dataset_summary.strip() or "_No dataset summary given._", ""]

    base = evidence.get("base_train") or {}
    pre = (evidence.get("preflight") or {}).get("numbers") or {}
    planned = base.get("planned_tokens") or pre.get("planned_tokens")
    flops = f"{pre['training_flops']:.3g}" if isinstance(pre.get("training_flops"), (int, float)) else "n/a"
    tpp = (base.get("tokens_per_parameter") or {}).get("planned") or (planned / num_parameters if planned and num_parameters else None)
    lines += ["## Budget", "", "| | |", "|---|---|", f"| planned base tokens | {planned if planned is not None else 'n/a'} |",
              f"| planned tokens per parameter | {f'{tpp:.1f}' if isinstance(tpp, (int, float)) else 'n/a'} |",
              f"| base tokens seen | {base.get('real_tokens_seen', 'n/a')} |",
              f"| training FLOPs (planned) | {flops} |",
              f"| preflight | {(evidence.get('preflight') or {}).get('status', 'not run')} |", ""]

    lines += ["## Evaluation", "", "Pass rates with 95% Wilson intervals.", "", "| eval | n | pass rate | 95% CI |", "|---|---|---|---|"]
    any_eval = False
    for key, label in EVALS:
        rep = (evidence.get("evals") or {}).get(key)
        if not rep:
            continue
        any_eval = True
        s = rep["summary"]
        lines.append(f"| {label} | {s['n']} | {_pct(s['pass_rate'])} | {_ci(s.get('ci'))} |")
        if key == "eval":
            for skill, e in sorted((s.get("by_skill") or {}).items()):
                lines.append(f"| &nbsp;&nbsp;{skill} | {e['n']} | {_pct(e['pass_rate'])} | {_ci(e.get('ci'))} |")
    for ext in evidence.get("external") or []:
        any_eval = True
        rb = f" (random {_pct(ext['random_baseline'])})" if isinstance(ext.get("random_baseline"), (int, float)) else ""
        ci = ext.get("ci")
        lines.append(f"| {ext['name']} `{ext['metric']}`{rb} | {ext.get('n', 'n/a')} | {_pct(ext.get('value'))} | {_ci(ci) if isinstance(ci, list) else 'see report'} |")
    if not any_eval:
        lines.append("| _no eval reports found_ | | | |")
    lines += ["", eval_summary.strip() or "_No evaluation summary given._", ""]

    hon = evidence.get("honesty")
    lines += ["## Honesty", ""]
    if hon:
        c = hon.get("counts") or {}
        rates = hon.get("rates") or {}
        cfg = hon.get("config") or {}
        lines += ["| | |", "|---|---|", f"| contamination scan | {hon.get('status')} |",
                  f"| method | word {cfg.get('ngram_size')}-grams, {cfg.get('normalization', '')} |",
                  f"| eval prompts leaking (fail) | {c.get('eval_prompts_failing')} of {c.get('eval_prompts')} |",
                  f"| exact / near prompt hits | {c.get('exact_prompt_hits')} / {c.get('near_prompt_hits')} |",
                  f"| corpus phrase hits | {c.get('corpus_phrase_hits')} |",
                  f"| support-phrase hits | {', '.join(f'{k} {v}' for k, v in (c.get('support_phrase_hits') or {}).items()) or 'n/a'} |",
                  f"| prompt echo rate | {_pct(rates.get('prompt_echo_rate'))} |",
                  f"| unsupported claim rate | {_pct(rates.get('unsupported_claim_rate'))} |", "", hon.get("summary", ""), ""]
    else:
        lines += ["_No honesty scan was found for this run._", ""]

    release = evidence.get("release")
    lines += ["## Release", ""]
    if release:
        lines += [f"Gate status **{release['status']}** under profile `{release['profile']}`.", "",
                  "| check | status | value | threshold | why |", "|---|---|---|---|---|"]
        for chk in release.get("checks", []):
            value = f"{chk['value']:.4g}" if isinstance(chk["value"], float) else chk["value"]
            lines.append(f"| {chk['name']} | {chk['status']} | {value} | {chk['threshold']} | {_cell(chk['why'])} |")
    else:
        lines.append("_The release gate was not run._")
    lines += ["", "## How to use", "", "```python", "from transformers import AutoModelForCausalLM, AutoTokenizer",
              "", f'tok = AutoTokenizer.from_pretrained("{model_name}")',
              (f'model = AutoModelForCausalLM.from_pretrained("{model_name}", trust_remote_code=True)  # or `import picochat_hf` first'
               if has_code else f'model = AutoModelForCausalLM.from_pretrained("{model_name}")'),
              'ids = tok.apply_chat_template([{"role": "user", "content": "Hello!"}], add_generation_prompt=True, return_tensors="pt", return_dict=True)',
              "out = model.generate(**ids, max_new_tokens=64)", "print(tok.decode(out[0, ids['input_ids'].shape[1]:], skip_special_tokens=True))", "```", "",
              "## Limitations", "", "A small model: it makes factual errors, its skills are the ones measured above and no more, and "
              "its pass rates are rule-scored on the project's own eval rows. Read the honesty and release sections before relying on it.", ""]
    content = f"---\n{card_data.to_yaml()}\n---\n\n" + "\n".join(lines)
    return ModelCard(content)
