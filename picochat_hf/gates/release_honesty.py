"""The release gate's honesty checks: is the contamination scan about this run's files, run with the shipped
settings, and do its counts follow from its own findings? When base pretraining read the embedded default corpus,
did the scan read that text, after the training it speaks for (`release_embedded`)? (`release_checks.CHECKS` runs
`check_honesty`.)"""

from __future__ import annotations

import json
from typing import Any

from ..honesty.config import load_scan_config
from ..honesty.leaks import FINDING_KINDS, describe_leaks
from .common import Check, check, count, short
from .common import chain_check as _chain
from .common import missing_check as _missing
from .evidence import Evidence
from .release_embedded import check_embedded_scan


def check_honesty(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    hon = ev.honesty
    if hon is None:
        return [_missing("honesty", "honesty scan", "honesty/honesty_report.json", rules, "not blocked"),
                _missing("contamination", "contamination scan", "honesty/honesty_report.json", rules, rules["contamination"]["max_failing_prompts"]),
                *check_embedded_scan(ev, rules)]
    status = hon["status"]
    sev = {"ready": "pass", "caution": "warn", "blocked": rules["honesty"]["severity"]}[status]
    out = [check("honesty", sev, status, "not blocked", f"Honesty scan status is {status}: {hon.get('summary', '')}".strip())]
    out += check_scan_coverage(ev, rules, profile) + check_embedded_scan(ev, rules) + _scan_findings(hon, rules)
    counts = hon.get("counts") or {}
    failing, thr = counts["eval_prompts_failing"], rules["contamination"]["max_failing_prompts"]
    if failing > thr:
        out.append(check("contamination", rules["contamination"]["severity"], failing, thr, f"{describe_leaks(counts)}; the limit is {thr}."))
    else:
        out.append(check("contamination", "pass", failing, thr, f"{describe_leaks(counts)} (limit {thr})."))
    return out


def _scan_findings(hon: dict, rules: dict) -> list[Check]:
    """The scan's counts and status follow from its own findings (a finding of a failing kind fails, whatever
    severity it is written with); a report edited to read clean, or without its findings, is no evidence."""
    findings = hon.get("findings")
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        return [_chain("honesty_findings", False, None, "findings listed", "honesty/honesty_report.json lists no findings, so its "
                       "counts cannot be checked against them.", rules)]
    failing = {f.get("eval_id") for f in findings if f.get("severity") == "fail" or FINDING_KINDS.get(str(f.get("kind"))) == "fail"}
    status = "blocked" if failing else ("caution" if findings else "ready")
    said = ((hon.get("counts") or {}).get("eval_prompts_failing"), hon.get("status"))
    ok = said == (len(failing), status)
    why = ("The honesty scan's counts and status follow from its findings." if ok else
           f"honesty/honesty_report.json says {said[0]} failing eval prompts (status {said[1]}), but its findings give "
           f"{len(failing)} (status {status}).")
    return [_chain("honesty_findings", ok, said[0], len(failing), why, rules)]


def _file_covered(kind: str, inputs: dict, used_sha: str | None, used_path: Any, used_by: str, rules: dict) -> Check:
    """`honesty_<kind>_file`: the scan read the file (by sha256) that `used_by` ("eval/eval_report.json scored")."""
    scanned = (inputs.get("sha256") or {}).get(kind)
    ok = bool(used_sha) and scanned == used_sha
    label = kind.upper() if kind == "sft" else kind
    why = (f"The honesty scan covered the {label} file that {used_by} (sha256 {short(used_sha)})." if ok else
           f"The honesty scan covered {label} file {short(scanned)} ({inputs.get(kind)}), but {used_by} {short(used_sha)} ({used_path}).")
    return _chain(f"honesty_{kind}_file", ok, short(scanned), short(used_sha), why, rules)


def check_scan_coverage(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """The scan covered the eval file that was scored, the SFT file that was trained on, and a non-empty corpus."""
    inputs = ev.honesty.get("inputs") or {}
    hashes = inputs.get("sha256") or {}
    out = []
    if ev.evals.get("eval") is not None:
        config = ev.evals["eval"].get("config") or {}
        out.append(_file_covered("eval", inputs, config.get("input_sha256"), config.get("input"), "eval/eval_report.json scored", rules))
    if not inputs.get("sft_rows"):
        out.append(_chain("honesty_sft_file", False, 0, "the trained SFT rows",
                          "The honesty scan did not include SFT rows, so leaks into them are unchecked.", rules))
    elif ev.train.get("sft") is not None:
        used = ev.train["sft"].get("inputs") or {}
        out.append(_file_covered("sft", inputs, used.get("sft_input_sha256"), used.get("sft_input"), "sft/train_report.json trained on", rules))
    docs = (inputs.get("corpus_stats") or {}).get("documents") or 0
    out.append(_chain("honesty_corpus", docs > 0, docs, "> 0 documents",
                      f"The honesty scan read {count(docs)} corpus documents." if docs else
                      "The honesty scan read 0 corpus documents, so leaks into the pretraining corpus are unchecked.", rules))
    return out + _scan_corpus_origin(ev, hashes, rules) + _scan_settings(ev.honesty, rules)


def _scan_settings(hon: dict, rules: dict) -> list[Check]:
    """The scan ran with the shipped settings (`honesty/scan_defaults.yaml`, as the report records them): a scan
    run with a longer n-gram, a higher fail coverage or a watch turned off finds fewer leaks, and its clean
    status says nothing about the thresholds a release is judged by."""
    shipped = json.loads(json.dumps(load_scan_config().to_dict()))  # as JSON stores it (tuples become lists)
    used = hon.get("config") if isinstance(hon.get("config"), dict) else {}
    differ = [f"{k} {used[k]!r} instead of {v!r}" if k in used else f"{k} not recorded" for k, v in shipped.items() if used.get(k) != v]
    differ += [f"{k} (not a setting of this scan)" for k in used if k not in shipped]
    why = ("The honesty scan ran with the shipped settings." if not differ else
           f"The honesty scan ran with other settings than the shipped ones ({', '.join(differ[:3])}"
           f"{f' and {len(differ) - 3} more' if len(differ) > 3 else ''}); re-run it with honesty/scan_defaults.yaml.")
    return [_chain("honesty_settings", not differ, len(differ), 0, why, rules)]


def _scan_corpus_origin(ev: Evidence, hashes: dict, rules: dict) -> list[Check]:
    """The scan read the dataset pack the base run trained on (base/train_report.json inputs.dataset_pack_sha256). A base
    report that records no such hash ties the scan to nothing: missing evidence, unless its plan shows it trained on
    no dataset pack (documents: then `honesty_corpus` is all there is to hold; the embedded default corpus is held by
    `honesty_embedded_corpus`)."""
    base = ev.train.get("base") or {}
    pretrained = (base.get("inputs") or {}).get("dataset_pack_sha256") if isinstance(base.get("inputs"), dict) else None
    plan = base.get("plan") if isinstance(base.get("plan"), dict) else None
    if not pretrained and base and (plan is None or plan.get("dataset_pack") not in (None, "default")):
        said = "records no plan and no inputs.dataset_pack_sha256" if plan is None else \
            f"names dataset pack {plan.get('dataset_pack')!r} in its plan but records no inputs.dataset_pack_sha256"
        return [check("honesty_corpus_origin", rules["missing_evidence"], None, "the pretraining pack",
                      f"base/train_report.json {said}, so the corpus the honesty scan read cannot be tied to the one the "
                      "base run trained on.")]
    scanned = hashes.get("corpus") if isinstance(hashes.get("corpus"), dict) else {}
    checks = _mixed_documents_scanned(base, scanned, rules)
    if not pretrained:
        return checks
    ok = pretrained in scanned.values()
    why = (f"The honesty scan read the dataset pack the base run trained on (sha256 {short(pretrained)})." if ok else
           f"The honesty scan read corpus {', '.join(short(h) for h in scanned.values()) or 'with no recorded sha256'}, but "
           f"base/train_report.json trained on dataset pack {short(pretrained)}.")
    return [_chain("honesty_corpus_origin", ok, short(pretrained), "the pretraining pack", why, rules)] + checks


def _mixed_documents_scanned(base: dict, scanned: dict, rules: dict) -> list[Check]:
    """Documents the base run mixed into its pretraining data (`data.mix_documents`, e.g. the demo's task text) are
    corpus too: the scan must have read them (their sha256 among its corpus hashes), or a leak in them goes unseen."""
    data = base.get("data") if isinstance(base.get("data"), dict) else {}
    if not data.get("mix_documents"):
        return []
    mixed = data.get("mix_documents_sha256")
    if not mixed:
        return [check("honesty_mixed_documents", rules["missing_evidence"], None, "the mixed documents",
                      f"base/train_report.json mixed {data['mix_documents']!r} into pretraining but records no "
                      "data.mix_documents_sha256, so the honesty scan cannot be shown to have read them.")]
    ok = mixed in scanned.values()
    why = (f"The honesty scan read the documents the base run mixed into pretraining (sha256 {short(mixed)})." if ok else
           f"base/train_report.json mixed documents {short(mixed)} ({data['mix_documents']}) into pretraining, but the "
           f"honesty scan read corpus {', '.join(short(h) for h in scanned.values()) or 'with no recorded sha256'}: scan "
           "them too (`picochat honesty scan --corpus` takes several files).")
    return [_chain("honesty_mixed_documents", ok, short(mixed), "the mixed documents", why, rules)]
