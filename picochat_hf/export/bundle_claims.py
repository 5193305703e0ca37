"""What a bundle *says* must follow from the files it carries (`check_bundle` calls `claim_problems`).

Member hashes prove only that the files are the ones the manifest lists; whoever writes the manifest writes
the hashes too. These checks read the bundled files themselves:

- every evidence file the bundled release gate recorded is in the bundle (a bundle that leaves out the
  held-out fit, or its rows, is not the evidence the verdict rests on);
- the bundled `gates/release.json` status is the roll-up of its own checks, and lists their blocking sentences;
- the manifest's summary (release, honesty and preflight statuses and profiles; commit, tokenizer hash, parameters,
  planned tokens and planned and real tokens per parameter) is what those files and the bundled run manifest and
  base train report say, and its `sources` name the file and field each number was read from;
- a run manifest's tokenizer hash with no bundled `tokenizer/` to re-derive it from is an unchecked claim, and
  fails the check; every eval report and the verdict name the tokenizer `released_tokenizer/` holds
  (`bundle_released`); an unreadable `gates/release.json` backs no release claim;
- the bundle holds no weights: the parameter count of the released weights taken when bundling
  (`num_parameters_counted`) must equal the recorded count the ratios divide by, and the bundled gate's own count
  and weights hash; `unverifiable` says in words what the bundle cannot prove;
- the gate's recorded re-runs of the model and the scan follow from the bundled rows and scan (`gates/run_once.py`);
- the bundled verdict is the last one the bundled gates/release_history.jsonl logs, with the counts before it
  (`gates/history.py`);
- the model card's `release-gate-<status>` tag and its `model-index` pass rates for the picochat_hf evals
  (overall and per skill) are the bundled gate's status and the bundled eval reports' rates, and each external
  benchmark number it reports is the value of a bundled benchmark report (external eval or lm-eval) of that
  benchmark and metric; the numbers its body's Evaluation table states, and the status and profile its gate line
  and Release section name, are the bundled eval reports' and verdict's (`bundle_card_body`).
"""

from __future__ import annotations

import json
from typing import Any

from huggingface_hub import ModelCard

from ..data.schema import DuplicateKeyError, unique_keys
from ..gates.common import STATUS_ORDER, roll_up
from ..gates.history import HISTORY, history_problems, parse_history
from ..gates.run_once import run_once_problems
from ..run_dir import EVAL_KINDS
from ..utils.trained_tokens import trained_tokens
from .bundle_card_body import eval_table_problems, verdict_named_problems
from .bundle_released import released_tokenizer_problems
from .bundle_tokenizer import TOKENIZER_DIR, TOKENIZER_FILES, rederived_tokenizer_hash
from .bundle_verdict import TRAIN_REPORTS, verdict_problems

CARD = "export/README.md"
LM_EVAL, RUN_MANIFEST, BASE_REPORT = "lm_eval/lm_eval_results.json", "run_manifest.json", "base/train_report.json"
PREFLIGHT, RELEASE = "gates/preflight.json", "gates/release.json"
READ = ("gates/release.json", "gates/preflight.json", "honesty/honesty_report.json", CARD, LM_EVAL, RUN_MANIFEST,
        BASE_REPORT, HISTORY, *TRAIN_REPORTS, *(f"{TOKENIZER_DIR}/{name}" for name in TOKENIZER_FILES))  # members read besides eval rows


def _json(kept: dict[str, bytes], rel: str) -> dict[str, Any] | None:
    try:
        obj = json.loads(kept[rel], object_pairs_hook=unique_keys) if rel in kept else None
    except (json.JSONDecodeError, UnicodeDecodeError, DuplicateKeyError):  # a repeated key: readers disagree on its value
        return None
    return obj if isinstance(obj, dict) else None


def _release_problems(release: dict[str, Any], present: dict[str, str]) -> list[str]:
    out = [f"{rel}, evidence the release gate judged, is not in the bundle" for rel in sorted(release.get("evidence") or {})
           if rel not in present]
    checks = [c for c in release.get("checks") or [] if isinstance(c, dict) and c.get("status") in STATUS_ORDER]
    rolled = roll_up(checks, "approved")
    if release.get("status") != rolled:
        out.append(f"gates/release.json says {release.get('status')}, but its own checks roll up to {rolled}")
    blocking = {c.get("why") for c in checks if c["status"] == "block"}
    if blocking - set(release.get("blocking") or []):
        out.append("gates/release.json leaves blocking checks out of its blocking sentences")
    return out


def summary_numbers(rm: dict[str, Any], base: dict[str, Any], pre: dict[str, Any], tokenizer: str | None = None) -> dict[str, Any]:
    """The bundle summary's numbers, from the run manifest, the base train report and the preflight, with `sources`:
    for each number the file and field it was read from (the first of them that records it). `tokenizer` is the hash
    re-derived from the bundled tokenizer files; where the run manifest does not give it, the summary does."""
    records = {
        "num_parameters": [(BASE_REPORT, "num_parameters", base.get("num_parameters")), (RUN_MANIFEST, "num_parameters", rm.get("num_parameters")),
                           (PREFLIGHT, "numbers.num_parameters", (pre.get("numbers") or {}).get("num_parameters"))],
        "planned_tokens": [(BASE_REPORT, "planned_tokens", base.get("planned_tokens")), (RUN_MANIFEST, "planned_tokens", rm.get("planned_tokens")),
                           (PREFLIGHT, "numbers.planned_tokens", (pre.get("numbers") or {}).get("planned_tokens"))],
        "real_tokens_seen": [(BASE_REPORT, trained_tokens(base)[1], trained_tokens(base)[0])],
        "git_commit": [(RUN_MANIFEST, "git_commit", rm.get("git_commit")),
                       (RUN_MANIFEST, "provenance.git_commit", (rm.get("provenance") or {}).get("git_commit"))],
        "tokenizer_hash": [(RUN_MANIFEST, "tokenizer_hash", rm.get("tokenizer_hash"))],
    }
    found = {key: next(((rel, field, v) for rel, field, v in said if v), None) for key, said in records.items()}
    value = {key: hit[2] if hit else None for key, hit in found.items()}
    params, planned, real = value["num_parameters"], value["planned_tokens"], value["real_tokens_seen"]
    sources = {key: f"{hit[0]} {hit[1]}" if hit else None for key, hit in found.items() if key != "real_tokens_seen"}
    for ratio, numerator in (("planned_tokens_per_parameter", "planned_tokens"), ("real_tokens_per_parameter", "real_tokens_seen")):
        over = found[numerator]
        sources[ratio] = f"{over[0]} {over[1]} / {sources['num_parameters']}" if over and params else None
    if tokenizer and value["tokenizer_hash"] != tokenizer:
        value["tokenizer_hash"], sources["tokenizer_hash"] = tokenizer, f"{TOKENIZER_DIR}/ (re-derived from the bundled tokenizer files)"
    return {
        "git_commit": value["git_commit"],
        "tokenizer_hash": value["tokenizer_hash"],
        "num_parameters": params,
        "planned_tokens": planned,
        "planned_tokens_per_parameter": planned / params if planned and params else None,
        "real_tokens_per_parameter": real / params if isinstance(real, (int, float)) and params else None,
        "sources": sources,
    }


def _tokenizer_problems(rm: dict[str, Any], derived: str | None, why: str | None) -> list[str]:
    """The run manifest's tokenizer hash against the one the bundled tokenizer files give: with none bundled, the
    hash is a claim nobody can check, and a clean check would pass it on as checked."""
    said = rm.get("tokenizer_hash")
    if said and derived is None and why is None:
        return [f"{RUN_MANIFEST} says tokenizer_hash {said!r}, but the bundle carries no {TOKENIZER_DIR}/tokenizer.json to "
                "re-derive it from: an unchecked claim"]
    if why:
        return [f"the bundled {TOKENIZER_DIR}/ cannot be loaded to re-derive its tokenizer hash ({why}), so no tokenizer hash "
                "the bundle states can be checked"]
    if derived and said and said != derived:
        return [f"{RUN_MANIFEST} says tokenizer_hash {said!r}, but the bundled {TOKENIZER_DIR}/ hashes to {derived!r}"]
    return []


def _summary_problems(summary: dict[str, Any], kept: dict[str, bytes]) -> list[str]:
    rm = _json(kept, RUN_MANIFEST) or {}
    derived, why = rederived_tokenizer_hash(kept)
    numbers = summary_numbers(rm, *(_json(kept, rel) or {} for rel in (BASE_REPORT, PREFLIGHT)), tokenizer=derived)
    out = [f"the bundle summary says {key} {summary.get(key)!r}, but {RUN_MANIFEST} and {BASE_REPORT} give {real!r}"
           for key, real in numbers.items() if summary.get(key) != real and key != "tokenizer_hash"]
    if summary.get("tokenizer_hash") != numbers["tokenizer_hash"]:
        out.append(f"the bundle summary says tokenizer_hash {summary.get('tokenizer_hash')!r}, but "
                   f"{numbers['sources']['tokenizer_hash'] or 'no bundled file'} gives {numbers['tokenizer_hash']!r}")
    out += _tokenizer_problems(rm, derived, why)
    out += _parameter_problems(summary.get("num_parameters_counted"), numbers, _json(kept, "gates/release.json"))
    for key, rel, field in (("release_status", "gates/release.json", "status"), ("release_profile", "gates/release.json", "profile"),
                            ("honesty_status", "honesty/honesty_report.json", "status"),
                            ("preflight_status", "gates/preflight.json", "status"), ("preflight_profile", "gates/preflight.json", "profile")):
        obj = _json(kept, rel)
        said, real = summary.get(key), (obj or {}).get(field)
        if said != real and (obj is not None or said is not None):
            out.append(f"the bundle summary says {key} {said!r}, but {rel} says {real!r}")
    before = ((_json(kept, "gates/release.json") or {}).get("history") or {}).get("verdicts_before")
    if summary.get("release_verdicts_before") != before:
        out.append(f"the bundle summary says release_verdicts_before {summary.get('release_verdicts_before')!r}, but "
                   f"gates/release.json says {before!r}")
    return out


def _parameter_problems(counted: Any, numbers: dict[str, Any], release: dict[str, Any] | None) -> list[str]:
    """The count of the released weights taken when bundling against what the bundled files say: the recorded count
    every tokens-per-parameter number divides by, the weights the gate judged and the count the gate took of them."""
    if counted is None:
        return []
    if not isinstance(counted, dict) or not isinstance(counted.get("count"), int) or isinstance(counted.get("count"), bool):
        return ["the bundle summary's num_parameters_counted is not {count, checkpoint, weights_sha256}"]
    n, where, out = counted["count"], f"{counted.get('checkpoint')} (weights {str(counted.get('weights_sha256'))[:12]})", []
    said, source = numbers["num_parameters"], numbers["sources"]["num_parameters"]
    if said != n:
        out.append(f"the released weights {where} held {n:,} parameters when bundled, but {source or 'no bundled file'} says "
                   f"{said!r}: every tokens-per-parameter number divides by a count the weights do not have")
    judged = ((release or {}).get("checkpoint") or {}).get("weights_sha256") if isinstance((release or {}).get("checkpoint"), dict) else None
    if judged and counted.get("weights_sha256") != judged:
        out.append(_judged_elsewhere(counted, str(judged), where) or
                   f"the bundle counted the parameters of {where}, but gates/release.json judged weights {str(judged)[:12]}")
    gate = next((c.get("value") for c in (release or {}).get("checks") or [] if isinstance(c, dict) and c.get("name") == "released_parameters"), None)
    if isinstance(gate, int) and gate != n:
        out.append(f"the bundle counted {n:,} parameters in {where}, but the release gate counted {gate:,} in the weights it judged")
    return out


def _judged_elsewhere(counted: dict[str, Any], judged: str, where: str) -> str | None:
    """Why the counted weights are not the judged ones when the verdict judged a checkpoint outside the run (which
    no bundle holds) that was gone, or held other weights, when bundling; None when the bundle recorded no such thing."""
    outside = counted.get("judged_outside")
    if not isinstance(outside, dict):
        return None
    found = outside.get("weights_sha256")
    state = f"it held weights {str(found)[:12]} when bundled" if found else "it was gone when bundled"
    return (f"gates/release.json judged weights {judged[:12]} in {outside.get('path')}, a checkpoint outside the run that the "
            f"bundle does not hold ({state}); the bundle counted {where} instead, which is not the judged weights: re-run the "
            f"gate on the run's own checkpoint, or bundle while the judged checkpoint is there")


def unverifiable(summary: dict[str, Any], kept: dict[str, bytes] | None = None) -> list[str]:
    """What the bundle says that its files cannot prove, each with where it comes from (`kept`: the bundled members
    read back, when known)."""
    out = []
    if kept is not None and summary.get("tokenizer_hash") and f"{TOKENIZER_DIR}/tokenizer.json" not in kept:
        out.append(f"tokenizer_hash: {RUN_MANIFEST}'s word; the bundle carries no {TOKENIZER_DIR}/ to re-derive it from")
    return out + _parameters_unverifiable(summary)


def _parameters_unverifiable(summary: dict[str, Any]) -> list[str]:
    counted, source = summary.get("num_parameters_counted"), (summary.get("sources") or {}).get("num_parameters")
    if isinstance(counted, dict):
        return [f"num_parameters: {counted.get('count')} counted in {counted.get('checkpoint')} (weights "
                f"{str(counted.get('weights_sha256'))[:12]}) when bundled; the bundle holds no weights, so it is checked only "
                f"against {source or 'the recorded count'} and the release gate's own count and weights hash"]
    return [f"num_parameters: {source}'s word; no released weights were there to count when bundled"] if source else []


def _card_problems(kept: dict[str, bytes], release: dict[str, Any] | None) -> list[str]:
    if CARD not in kept:
        return []
    try:
        data = ModelCard(kept[CARD].decode("utf-8")).data.to_dict()
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"{CARD} cannot be read as a model card ({exc})"]
    out = []
    tags = {t[len("release-gate-"):] for t in data.get("tags") or [] if isinstance(t, str) and t.startswith("release-gate-")} - {"stale"}
    if release is not None and tags and tags != {release.get("status")}:
        out.append(f"{CARD} is tagged release-gate-{'/'.join(sorted(tags))}, but gates/release.json says {release.get('status')}")
    elif release is None and tags - {"not_run"}:
        out.append(f"{CARD} is tagged release-gate-{'/'.join(sorted(tags))}, but the bundle holds no readable gates/release.json")
    benchmarks = _benchmarks(kept)
    for index in data.get("model-index") or []:
        for result in index.get("results") or []:
            out += _card_result_problems(result, kept, benchmarks)
    text = kept[CARD].decode("utf-8")
    out += eval_table_problems(CARD, text, {kind: _json(kept, f"{kind}/eval_report.json") for kind in EVAL_KINDS})
    return out + verdict_named_problems(CARD, text, release)


def _benchmarks(kept: dict[str, bytes]) -> list[dict[str, Any]]:
    """The external benchmark entries the bundled reports and lm-eval results hold, as the card takes them."""
    from ..gates.evidence import external_entry, lm_eval_entries

    out = []
    for rel in sorted(kept):
        report = _json(kept, rel) if rel.startswith("external_eval/") and rel.endswith("/eval_report.json") else None
        if report is not None and isinstance(report.get("summary"), dict):
            out.append(external_entry(report, rel))
    lm = _json(kept, LM_EVAL)
    return out + (lm_eval_entries(lm, LM_EVAL) if lm is not None and isinstance(lm.get("results"), dict) else [])


def _benchmark_problems(result: dict[str, Any], benchmarks: list[dict[str, Any]]) -> list[str]:
    """A card's external benchmark number is the value of a bundled report of that benchmark and metric."""
    name = str((result.get("dataset") or {}).get("type") or "")
    out = []
    for metric in result.get("metrics") or []:
        kind, value = str(metric.get("type") or ""), metric.get("value")
        held = [e["value"] for e in benchmarks if e["name"] == name and str(e["metric"]).split(",")[0] == kind
                and isinstance(e["value"], (int, float))]
        if not isinstance(value, (int, float)) or not any(abs(float(value) - round(float(v), 4)) <= 5e-5 for v in held):
            real = ", ".join(str(v) for v in held) or "nothing: no bundled report holds it"
            out.append(f"{CARD} reports {name} {kind} {value}, but the bundled benchmark reports give {real}")
    return out


def _card_result_problems(result: dict[str, Any], kept: dict[str, bytes], benchmarks: list[dict[str, Any]]) -> list[str]:
    dataset = result.get("dataset") or {}
    kind = str(dataset.get("type") or "").removeprefix("picochat_hf/")
    if kind not in EVAL_KINDS:
        return _benchmark_problems(result, benchmarks)
    summary = (_json(kept, f"{kind}/eval_report.json") or {}).get("summary") or {}
    out = []
    for metric in result.get("metrics") or []:
        skill = dataset.get("config")
        entry = (summary.get("by_skill") or {}).get(skill) if skill else summary
        real = (entry or {}).get("pass_rate")
        if not isinstance(real, (int, float)) or abs(float(metric.get("value", -1)) - round(float(real), 4)) > 5e-5:
            what = f"{kind} {skill or 'overall'} pass rate"
            out.append(f"{CARD} reports {what} {metric.get('value')}, but {kind}/eval_report.json gives {real}")
    return out


def _run_once_problems(release: dict[str, Any], kept: dict[str, bytes]) -> list[str]:
    """The gate's recorded re-runs (`--regenerate-rows`, `--rescan`) against the bundled eval rows and scan."""
    reports = {f"{k}/eval_report.json": kept.get(f"{k}/results.jsonl") for k in EVAL_KINDS if f"{k}/eval_report.json" in kept}
    reports |= {name: kept.get(name[: -len("eval_report.json")] + "results.jsonl") for name in kept
                if name.startswith("external_eval/") and name.endswith("/eval_report.json") and name.count("/") == 2}
    findings = (_json(kept, "honesty/honesty_report.json") or {}).get("findings")
    problems = run_once_problems(release, reports, len(findings) if isinstance(findings, list) else None)
    return [f"gates/release.json's re-run checks do not follow from the bundled files: {p}" for p in problems]


def _history_problems(release: dict[str, Any], kept: dict[str, bytes]) -> list[str]:
    """The bundled verdict is the last one the bundled log of verdicts records, with the counts before it: a verdict
    forged to drop its `sample_seed_chosen` warning (or swapped for a luckier try) is not what the log ends with."""
    try:
        history = parse_history(kept[HISTORY].decode("utf-8")) if HISTORY in kept else []
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"{HISTORY} is unreadable ({exc})"]
    return [f"gates/release.json is not the gate's logged verdict: {p}" for p in history_problems(release, history)]


def _unreadable_release(kept: dict[str, bytes]) -> list[str]:
    """A bundled gates/release.json that is no verdict: every claim resting on it (the card's tag, the summary's
    status) would otherwise go unchecked, as if no gate had run. A key named twice is reported by `_repeated_keys`."""
    if RELEASE not in kept:
        return []
    try:
        obj = json.loads(kept[RELEASE], object_pairs_hook=unique_keys)
    except DuplicateKeyError:
        return []
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [f"{RELEASE} cannot be read as a verdict ({exc.__class__.__name__}), so nothing the bundle says about its release is backed"]
    return [] if isinstance(obj, dict) else [f"{RELEASE} is not a JSON object, so nothing the bundle says about its release is backed"]


def claim_problems(manifest: dict[str, Any], kept: dict[str, bytes], present: dict[str, str]) -> list[str]:
    """Sentences naming each claim of the bundle that its own files do not back; empty when all do."""
    release = _json(kept, RELEASE)
    out = _unreadable_release(kept) + (_release_problems(release, present) + _run_once_problems(release, kept) + _history_problems(release, kept)
                                       + verdict_problems(release, kept, manifest.get("summary") or {}) if release is not None else [])
    summary = manifest.get("summary") or {}
    out += _summary_problems(summary, kept)
    reports = {rel: _json(kept, rel) or {} for rel in kept if rel.endswith("eval_report.json")}
    out += released_tokenizer_problems(summary, kept, reports | ({RELEASE: release} if release is not None else {}))
    return out + _card_problems(kept, release)
