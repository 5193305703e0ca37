"""The release gate's chain checks: is the evidence about this release? The released checkpoint is what
this run's SFT (or DPO from it) wrote, SFT started from the base run's weights, every eval, fit and external
report scored the released weights with the released tokenizer, and every evidence file is the run's own."""

from __future__ import annotations

from ..utils.provenance import tensors_differ, weights_sha256
from ..utils.tokenizer_identity import legacy_tokenizer_note
from .common import Check, check, short
from .common import chain_check as _chain
from .common import missing_check as _missing
from .evidence import Evidence
from .release_owned import foreign_links, link_advice


def check_released_checkpoint(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    rel = ev.run.rel(ev.checkpoint) if ev.checkpoint.is_relative_to(ev.run.root) else str(ev.checkpoint)
    if ev.weights is None:
        return [_missing("released_checkpoint", "released checkpoint weights", rel, rules)]
    out = [check("released_checkpoint", "pass", short(ev.weights), None, f"The released checkpoint {rel} has weights {short(ev.weights)}.")]
    sft = ev.train.get("sft") or {}
    wrote = (sft.get("outputs") or {}).get("checkpoint_weights_sha256")
    if sft:  # a checkpoint named with --checkpoint is the release only when it holds what this run's SFT wrote
        same = wrote == ev.weights or (ev.checkpoint != ev.run.released_checkpoint and wrote is not None
                                       and weights_sha256(ev.run.released_checkpoint) == wrote
                                       and tensors_differ(ev.checkpoint, ev.run.released_checkpoint) is None)
        holds = "holds them" if wrote == ev.weights else f"holds the same tensors ({short(ev.weights)})"
        dpo = None if same or wrote is None else _dpo_origin(ev, wrote, rel)
        if dpo is not None and dpo[0]:
            out.append(_chain("sft_checkpoint_origin", True, short(wrote), short(ev.weights), dpo[1], rules))
            return out
        out.append(_chain("sft_checkpoint_origin", same, short(wrote), short(ev.weights),
                          f"sft/train_report.json says SFT wrote weights {short(wrote)}, and {rel} {holds}." if same else
                          f"sft/train_report.json says SFT wrote weights {short(wrote)}, but {rel} holds weights {short(ev.weights)}"
                          + (f"; {dpo[1]}" if dpo else "") + ": the evidence of this run's training is not about it.", rules))
    return out


def check_base_origin(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """The base run's report speaks for the release (its budget, its completed steps) only when SFT started from
    weights that base run wrote (its checkpoint or best checkpoint)."""
    base, sft = ev.train.get("base"), ev.train.get("sft")
    if not base or not sft:
        return []  # a missing report is the training check's
    started = (sft.get("inputs") or {}).get("init_weights_sha256")
    outputs = base.get("outputs") if isinstance(base.get("outputs"), dict) else {}
    wrote = list(dict.fromkeys(outputs.get(k) for k in ("checkpoint_weights_sha256", "best_checkpoint_weights_sha256") if outputs.get(k)))
    if not started or not wrote:
        field = "sft/train_report.json's inputs.init_weights_sha256" if not started else "base/train_report.json's outputs"
        return [_chain("base_checkpoint_origin", False, short(started), None, f"{field} is not recorded, so the base run's "
                       "report (its token budget, its steps) cannot be tied to the weights SFT started from.", rules)]
    ok = started in wrote
    said = f"base/train_report.json says the base run wrote weights {' or '.join(short(w) for w in wrote)}"
    return [_chain("base_checkpoint_origin", ok, short(started), short(wrote[0]),
                   f"{said}, and SFT started from weights {short(started)}." if ok else
                   f"{said}, but SFT started from weights {short(started)} (sft/train_report.json): the base report is about "
                   "another base run, so its budget and steps are not this release's.", rules)]


def _dpo_origin(ev: Evidence, wrote: str, rel: str) -> tuple[bool, str] | None:
    """Is the released checkpoint the output of a DPO run trained from this run's SFT output? (True, why) when
    dpo/train_report.json completed, records SFT's weights as its input and the released weights as its output;
    (False, why not) when it does not; None when the run has no DPO report."""
    dpo = ev.train.get("dpo")
    if dpo is None:
        return None
    started = (dpo.get("inputs") or {}).get("init_weights_sha256")
    made = (dpo.get("outputs") or {}).get("checkpoint_weights_sha256")
    if dpo.get("status") != "completed":
        return False, f"dpo/train_report.json's status is {dpo.get('status')}, not completed"
    if started != wrote:
        return False, (f"dpo/train_report.json trained from weights {short(started)}, not SFT's" if started else
                       "dpo/train_report.json does not record the weights it trained from (inputs.init_weights_sha256)")
    if made != ev.weights:
        return False, f"dpo/train_report.json trained from SFT's weights but wrote weights {short(made)}"
    return True, (f"sft/train_report.json says SFT wrote weights {short(wrote)}; dpo/train_report.json trained from them and wrote "
                  f"weights {short(made)}, which {rel} holds.")


def _about_sentence(rel: str, about: dict, ev: Evidence, rel_ckpt: str) -> tuple[bool, str]:
    if about.get("kind") == "replies":
        return False, (f"{rel} scores a replies file ({about.get('path')}), not a model, so it is no evidence about "
                       f"the released checkpoint {rel_ckpt}.")
    got = about.get("weights_sha256")
    if got is None:
        return False, f"{rel} does not record the weights it scored ({about.get('path')}), so it cannot be tied to {rel_ckpt}."
    if got == ev.weights:
        return _same_tokenizer(rel, about, ev, rel_ckpt) or (True, f"{rel} scored the released checkpoint (weights {short(got)}).")
    manifest = ev.export_manifest or {}
    if got == manifest.get("weights_sha256") and manifest.get("source_weights_sha256") == ev.weights:
        differs = _export_differs(ev, got)
        if differs:
            return False, f"{rel} scored weights {short(got)}, which export/release_manifest.json calls the export of {rel_ckpt}, but {differs}."
        return True, f"{rel} scored the export of the released checkpoint (weights {short(got)}, the same tensors as {short(ev.weights)})."
    return False, (f"{rel} scored weights {short(got)} ({about.get('path')}), but the released checkpoint {rel_ckpt} "
                   f"has weights {short(ev.weights)}.")


def _export_differs(ev: Evidence, got: str) -> str | None:
    """Why export/ is not the released checkpoint's weights under another hash (the manifest's word is not
    enough: it is a file like any other); None when export/ holds weights hashing to `got` whose tensors equal
    the released checkpoint's (cast to the export's dtype)."""
    on_disk = weights_sha256(ev.run.export_dir)
    if on_disk != got:
        return f"export/ holds weights {short(on_disk)}"
    return tensors_differ(ev.run.export_dir, ev.checkpoint)


def _same_tokenizer(rel: str, about: dict, ev: Evidence, rel_ckpt: str) -> tuple[bool, str] | None:
    """Why a report about the released weights is still not about the release: it read them with another
    tokenizer (or does not say which); None when the tokenizer is the released one."""
    if about.get("harness") == "lm_eval":  # lm-eval records no tokenizer; its scores are not counted
        return None
    got, path = about.get("tokenizer_sha256"), about.get("tokenizer")
    if ev.tokenizer is None:  # no tokenizer.json ships: only a report that read none (a slow tokenizer) is about the release
        return None if got is None else (False, (
            f"{rel} scored the released weights with tokenizer {short(got)} ({path}), but {rel_ckpt} ships no tokenizer.json "
            "(none in it, its parent folder or the run's tokenizer/), so the release is not the model that was scored."))
    if got is None:  # every eval writer hashes the tokenizer it read; a report without the hash may have read any
        used = f"the tokenizer at {path}" if path is not None else "a tokenizer it does not name"
        return False, (f"{rel} scored the released weights with {used} but does not record its sha256, "
                       f"so it cannot be tied to the tokenizer of {rel_ckpt}.")
    if got != ev.tokenizer:
        legacy = legacy_tokenizer_note(got, ev.run.shipped_tokenizer_dir(ev.checkpoint))
        if legacy:
            return False, f"{rel} scored the released weights, but {legacy}."
        return False, (f"{rel} scored the released weights with tokenizer {short(got)} ({path}), but {rel_ckpt} ships "
                       f"tokenizer {short(ev.tokenizer)}.")
    return None


def check_evidence_inside(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every evidence file is the run directory's own: one reached through a link to elsewhere (another run's eval, a
    shared folder), or a hard link with names outside the run, is not this run's record and can change under it."""
    bad = foreign_links([ev.run.root / rel for rel in ev.files], ev.run.root, ev.run.rel)
    if not bad:
        return [check("evidence_inside_run", "pass", len(ev.files), "inside the run directory",
                      f"All {len(ev.files)} evidence files lie inside the run directory.")]
    more = f" ({len(bad) - 1} more)" if len(bad) > 1 else ""
    advice = link_advice(bad, "evidence must be the run's own files")
    return [_chain("evidence_inside_run", False, len(bad), 0, f"{bad[0]}{more}: {advice}.", rules)]


def check_eval_models(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every eval, fit and external report must be about the released weights."""
    if ev.weights is None:
        return []
    rel_ckpt = ev.run.rel(ev.checkpoint) if ev.checkpoint.is_relative_to(ev.run.root) else str(ev.checkpoint)
    out = []
    for kind, report in ev.evals.items():
        if report is not None:
            ok, why = _about_sentence(ev.run.rel(ev.run.eval_report(kind)), ev.about(kind), ev, rel_ckpt)
            out.append(_chain(f"{kind}_model", ok, short(ev.about(kind).get("weights_sha256")), short(ev.weights), why, rules))
    seen: set[str] = set()
    for ext in ev.external:
        if ext["source"] in seen:
            continue
        seen.add(ext["source"])
        ok, why = _about_sentence(ext["source"], ext["about"], ev, rel_ckpt)
        out.append(_chain(f"external_model:{ext['source']}", ok, short(ext["about"].get("weights_sha256")), short(ev.weights), why, rules))
    return out
