"""Is gates/preflight.json the preflight of the run it gates?

A preflight's status and profile say nothing about *which* plan it judged: one written for a smaller model, a
shorter budget, another dataset pack or another seed reads `ready` just as well. The preflight records the plan
it checked, its fingerprint (`plan_fingerprint`), the sha256 of the data that plan names (`inputs`) and the
numbers its checks computed; the training report of the last stage records the plan it trained and the
fingerprint of the preflight it ran. `check_preflight_plan` ties the two: same plan (paths aside: staged inputs
move after the preflight, so the data is compared by content), same data, and check numbers that are the plan's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .common import Check, chain_check, short

# plan keys that name files: their content is compared through `inputs`, since the trainer moves staged inputs
# (a re-run with --force) after the preflight read them
PATH_KEYS = ("sft_input", "eval_input", "dataset_pack", "tokenizer", "init_checkpoint")
INPUT_HASHES = ("sft_input_sha256", "eval_input_sha256", "dataset_pack_sha256", "tokenizer_sha256", "init_weights_sha256")
# plan keys whose data always hashes when it exists; a tokenizer folder without tokenizer.json (a slow tokenizer)
# hashes to nothing on both sides legitimately
HASH_OWED = ("sft_input", "eval_input", "dataset_pack", "init_checkpoint")
# preflight checks whose recorded value is a plan number: (check name, plan key)
CHECK_VALUES = (("model_size", "num_parameters"), ("launch_shape", "tokens_per_step"), ("planned_steps", "max_steps"))


def plan_fingerprint(plan: dict[str, Any]) -> str:
    """sha256 of a plan without its file paths (canonical JSON: key order and tuples do not matter)."""
    kept = {k: v for k, v in plan.items() if k not in PATH_KEYS}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode()).hexdigest()


def _differences(checked: dict[str, Any], trained: dict[str, Any]) -> list[str]:
    keys = sorted((set(checked) | set(trained)) - set(PATH_KEYS))
    return [f"{k} {checked.get(k)!r} checked, {trained.get(k)!r} trained" for k in keys if checked.get(k) != trained.get(k)]


def _input_differences(pre: dict[str, Any], plan: dict[str, Any], report: dict[str, Any], rel: str) -> list[str]:
    """Why the data the preflight hashed is not shown to be the data the run trained on. A hash either side lacks is
    unknown, never a match: an older or hand-made train report without it could have trained on anything."""
    checked, trained = pre.get("inputs"), report.get("inputs")
    if not isinstance(checked, dict):
        return ["gates/preflight.json records no sha256 of the data it checked (inputs)"]
    if not isinstance(trained, dict):
        return [f"{rel} records no inputs (the sha256 of the data it trained on), so it cannot be tied to the data the preflight checked"]
    out = []
    for path_key, key in zip(PATH_KEYS, INPUT_HASHES):
        mine, theirs = checked.get(key), trained.get(key)
        if mine is not None and theirs is None:
            out.append(f"{rel} records no inputs.{key}, so the data it trained on cannot be tied to the data the preflight checked")
        elif mine != theirs:
            out.append(f"{key} {short(mine)} checked, {short(theirs)} trained")
        elif mine is None and path_key in HASH_OWED and plan.get(path_key) not in (None, "default"):
            out.append(f"the plan names {path_key} {plan.get(path_key)!r}, but neither gates/preflight.json nor {rel} records its {key}")
    return out


def _number_differences(pre: dict[str, Any], plan: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """The numbers the preflight's checks computed are those of the plan it records and of the run trained."""
    out = []
    numbers = pre.get("numbers") if isinstance(pre.get("numbers"), dict) else {}
    for key in ("num_parameters", "planned_tokens"):
        if numbers.get(key) != report.get(key):
            out.append(f"its numbers.{key} is {numbers.get(key)!r}, but the run trained {report.get(key)!r}")
    for name, key in CHECK_VALUES:
        for c in pre.get("checks") or []:
            if isinstance(c, dict) and c.get("name") == name and plan.get(key) is not None and c.get("value") != plan.get(key):
                out.append(f"its {name} check judged {c.get('value')!r}, but its plan's {key} is {plan.get(key)!r}")
    return out


def _stage_report(ev: Any) -> tuple[str, dict[str, Any] | None]:
    """(the last training stage that runs a preflight, its train report): SFT overwrites base's preflight."""
    stage = "sft" if ev.train.get("sft") is not None else "base"
    return stage, ev.train.get(stage)


def preflight_plan_problems(pre: dict[str, Any], ev: Any) -> list[str]:
    """Sentences naming why gates/preflight.json is not the preflight of the plan the run trained; empty when it is."""
    plan = pre.get("plan")
    stage, report = _stage_report(ev)
    rel = f"{stage}/train_report.json"
    if not isinstance(plan, dict):
        return ["gates/preflight.json records no plan, so it cannot be tied to the run it gates"]
    if plan.get("stage") != stage:
        return [f"gates/preflight.json checked a {plan.get('stage')!r} plan, but the run's last training stage is {stage} ({rel})"]
    if report is None:
        return [f"{rel} is missing, so the plan gates/preflight.json checked cannot be tied to a trained run"]
    trained = report.get("plan")
    if not isinstance(trained, dict):
        return [f"{rel} records no plan, so gates/preflight.json cannot be tied to what was trained"]
    differ = _differences(plan, trained)
    out = [f"its plan is not the one {rel} trained ({'; '.join(differ[:3])})"] if differ else []
    # the report's own numbers come from its plan (`build_train_report`): a plan block edited to match another
    # run's preflight leaves them behind
    out += [f"{rel} trained {key} {report[key]!r}, but the plan it records says {trained.get(key)!r}"
            for key in ("num_parameters", "max_steps", "tokens_per_step", "planned_tokens") if key in report and report[key] != trained.get(key)]
    digest = plan_fingerprint(plan)
    for where, said in (("gates/preflight.json", pre.get("plan_sha256")), (rel, (report.get("preflight") or {}).get("plan_sha256"))):
        if said is not None and said != digest:  # a missing one is named below
            out.append(f"{where} records plan_sha256 {short(said)}, but the plan gates/preflight.json checked hashes to {short(digest)}")
    if pre.get("plan_sha256") is None:
        out.append("gates/preflight.json records no plan_sha256")
    if (report.get("preflight") or {}).get("plan_sha256") is None:  # every trainer records the preflight it ran
        out.append(f"{rel} records no preflight.plan_sha256, so the preflight it ran cannot be shown to be gates/preflight.json")
    return out + _input_differences(pre, plan, report, rel) + _number_differences(pre, plan, report) + _date_problems(pre, report, rel)


def _date_problems(pre: dict[str, Any], report: dict[str, Any], rel: str) -> list[str]:
    """A preflight gates a run before it trains: one written after the training report (a `gate preflight --force`
    run afterwards, under other settings) did not gate it. Both files must be dated."""
    from .release_dates import written_at

    trained, checked = written_at(report), written_at(pre)
    if trained is None:  # every trainer dates its report: a missing date would skip this check
        return [f"{rel} records no readable provenance.created_at, so gates/preflight.json cannot be shown to have run before it"]
    if checked is None:
        return [f"gates/preflight.json records no readable provenance.created_at, so it cannot be shown to have run before {rel}"]
    if checked > trained:
        return [f"gates/preflight.json was written at {checked.isoformat()}, after {rel} ({trained.isoformat()}): it did not gate that run"]
    return []


def check_preflight_plan(ev: Any, rules: dict, profile: str) -> list[Check]:
    """gates/preflight.json judged the plan, data and numbers the last training stage trained."""
    if ev.preflight is None:
        return []  # `check_preflight` names the missing file
    problems = preflight_plan_problems(ev.preflight, ev)
    stage, _ = _stage_report(ev)
    digest = plan_fingerprint(ev.preflight["plan"]) if isinstance(ev.preflight.get("plan"), dict) else None
    if not problems:
        return [chain_check("preflight_plan", True, short(digest), f"{stage}/train_report.json's plan",
                            f"gates/preflight.json checked the plan {stage}/train_report.json trained (plan {short(digest)}), "
                            "its data and its numbers.", rules)]
    more = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
    return [chain_check("preflight_plan", False, short(digest), f"{stage}/train_report.json's plan",
                        f"gates/preflight.json is not the preflight of this run: {problems[0]}{more}.", rules)]
