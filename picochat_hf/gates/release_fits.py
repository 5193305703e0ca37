"""The release gate's fit checks: the SFT fit and held-out fit pass their thresholds on enough rows, scored
the file SFT trained on, and the held-out rows are the ones SFT really left out."""

from __future__ import annotations

from ..run_dir import EVAL_LABELS
from .common import Check, check, short
from .common import chain_check as _chain
from .common import missing_check as _missing
from .evidence import Evidence
from .release_thresholds import min_check


def check_fits(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    out = []
    for kind in ("sft_fit", "sft_fit_heldout"):
        rep, label = ev.evals.get(kind), EVAL_LABELS[kind]
        if rep is None:
            out.append(_missing(kind, f"{label.lower()} report", f"{kind}/eval_report.json", rules, rules[kind]["min"]))
        else:
            out.append(min_check(kind, label, rep["summary"]["pass_rate"], rules[kind], rules, profile, rep["summary"]))
            out.append(_fit_rows(kind, label, rep, rules[kind], rules, profile))
            out += _fit_origin(ev, kind, rep, rules)
    return out


def _fit_rows(kind: str, label: str, rep: dict, rule: dict, rules: dict, profile: str) -> Check:
    """A fit scored at least the rule's `min_n` rows of its split (all of them when the split is smaller): a fit
    cut down to a few rows by `max_rows` proves little, however well they pass."""
    config = rep.get("config") or {}
    split_n = config.get("n_train_rows" if kind == "sft_fit" else "n_heldout_rows")
    want = int(rule.get("min_n", 1))
    need = min(want, split_n) if isinstance(split_n, int) and not isinstance(split_n, bool) else want
    n = rep["summary"].get("n", 0)
    of = f" of the {split_n} in its split" if isinstance(split_n, int) else ""
    if n >= need:
        return check(f"{kind}_rows", "pass", n, need, f"{label} scored {n} rows{of}; the profile needs at least {need}.")
    sev = rule["severity"] if rules["missing_evidence"] == "block" else "warn"
    return check(f"{kind}_rows", sev, n, need, f"{label} scored only {n} rows{of}; profile {profile} needs at least {need} to judge it.")


def _fit_origin(ev: Evidence, kind: str, rep: dict, rules: dict) -> list[Check]:
    """A fit scored the SFT file that was trained on; a held-out fit scored rows SFT really held out. Without
    sft/train_report.json (or its record of the file) the fit cannot be tied to training: missing evidence."""
    sft = ev.train.get("sft") or {}
    config = rep.get("config") or {}
    trained = (sft.get("inputs") or {}).get("sft_input_sha256")
    if not trained:  # no record of the file trained on: the fit cannot be tied to it (a missing report is check_training's too)
        said = "is missing" if not sft else "records no inputs.sft_input_sha256"
        return [check(f"{kind}_origin", rules["missing_evidence"], short(config.get("input_sha256")), None,
                      f"sft/train_report.json {said}, so the rows {kind}/eval_report.json scored cannot "
                      "be tied to the SFT file trained on.")]
    if config.get("input_sha256") != trained:
        return [_chain(f"{kind}_origin", False, short(config.get("input_sha256")), short(trained),
                       f"{kind}/eval_report.json scored rows {short(config.get('input_sha256'))}, but sft/train_report.json trained on "
                       f"{short(trained)}.", rules)]
    if kind != "sft_fit_heldout":
        return [_chain(f"{kind}_origin", True, short(trained), short(trained), f"{kind}/eval_report.json scored the rows SFT trained on.",
                       rules)]
    return [_heldout_origin(kind, sft, config, rules)]


def _heldout_origin(kind: str, sft: dict, config: dict, rules: dict) -> Check:
    """The held-out fit's rows are the split sft/train_report.json's `data.heldout` records leaving out (same
    val_fraction and seed). A report without that record cannot prove the rows were held out: missing evidence."""
    check_said = config.get("heldout_check") if isinstance(config.get("heldout_check"), dict) else {}
    status = check_said.get("status")
    data = sft.get("data") if isinstance(sft.get("data"), dict) else None
    split = data.get("heldout") if data is not None else None
    ours = (config.get("val_fraction"), config.get("seed"))
    if status == "trained_on_heldout":
        why = f"{kind}/eval_report.json says training saw its rows ({check_said.get('why')}): recall, not held-out fit."
        return _chain(f"{kind}_origin", False, status, "held out", why, rules)
    if data is None or (isinstance(split, dict) and None in (split.get("val_fraction"), split.get("seed"))):
        field = "data section" if data is None else "data.heldout.val_fraction and data.heldout.seed"
        return check(f"{kind}_origin", rules["missing_evidence"], status, "held out",
                     f"sft/train_report.json records no {field}, so whether SFT held out the rows {kind}/eval_report.json "
                     "scored (its val_fraction and seed) cannot be shown: held-out fit may be recall.")
    if not isinstance(split, dict):
        why = f"sft/train_report.json held no rows out, so {kind}/eval_report.json scored rows SFT trained on: recall, not held-out fit."
    elif (split.get("val_fraction"), split.get("seed")) != ours:
        why = (f"{kind}/eval_report.json split val_fraction={ours[0]}, seed={ours[1]}, but SFT held out "
               f"val_fraction={split.get('val_fraction')}, seed={split.get('seed')}: its rows are not the ones SFT left out.")
    else:
        why = None
    return _chain(f"{kind}_origin", why is None, status, "held out", why or f"{kind}/eval_report.json scored rows SFT held out "
                  f"(sft/train_report.json data.heldout val_fraction={ours[0]}, seed={ours[1]}).", rules)
