"""Result bundles: the minimum public result of a run as one tar.gz with a sha256 manifest.

`make_bundle` packs the evidence files of a run directory (never weights, shards or checkpoints): commit and
run manifest, dataset pack + import report, tokenizer, the tokenizer the release ships (`released_tokenizer/`,
`bundle_released`), the rows the visible eval and the external benchmarks scored (`eval_rows/`, `bundle_rows`),
preflight, honesty, the base validation curve, SFT
fit and held-out fit, the visible eval, external benchmarks (each eval with its per-row `results.jsonl`), the
release gate, the model card and release manifest, and the report. `bundle_manifest.json` inside lists every
file's sha256, which expected pieces are missing, and the release verdict re-checked against its evidence
(`gates.verify`); a `<bundle>.sha256` sidecar holds the archive's own hash. The summary names the file and field
each of its numbers was read from, and counts the released weights' parameters when bundling (the bundle holds no
weights, so that count is what `--check` can hold the recorded one to).

`check_bundle` re-hashes every member without extracting anything and names what is missing, altered or
unexpected; requires the archive's sidecar hash to exist and match (unless `require_archive_hash=False`);
re-derives every eval report's rates and intervals from its `results.jsonl` (`rederive`); re-checks the
bundled gate's evidence hashes against the bundled files and names bundled evidence the gate never judged; and checks what the bundle says (summary, gate
status, model card numbers) against the files it carries (`bundle_claims`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from ..data.schema import DuplicateKeyError, unique_keys
from ..gates.release_size import count_parameters
from ..gates.recorded_paths import judged_checkpoint
from ..gates.verify import verify_release
from ..run_dir import EVAL_KINDS, RunDir
from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_text, default_mode, ensure_can_write, read_json, read_json_object, sha256_file
from ..utils.provenance import provenance, weights_sha256
from ..utils.tokenizer_identity import TEMPLATE_DIR
from .bundle_claims import READ as CLAIM_FILES
from .bundle_claims import claim_problems, summary_numbers, unverifiable
from .bundle_rows import ROWS, made_before_rows, rows_problems, scored_rows_files
from .bundle_released import RELEASED, released_tokenizer_dir, released_tokenizer_files, released_tokenizer_summary
from .bundle_shape import MANIFEST, check_manifest_shape
from .bundle_tokenizer import TOKENIZER_FILES, rederived_tokenizer_hash, run_tokenizer_files
from .bundle_verdict import rederive_once, verdict_unverifiable
from .rederive import read_results, rederive

EVAL_PIECES = (("sft fit", "sft_fit"), ("held-out sft fit", "sft_fit_heldout"), ("visible eval", "eval"))


def expected_pieces(run: RunDir) -> list[tuple[str, tuple[str, ...], bool]]:
    """(piece of the public result, patterns relative to the run directory, required), named through `RunDir`."""
    r = run.rel
    ext = r(run.external_root)
    pieces = [
        ("run manifest (commit, versions, hashes)", (r(run.run_manifest),), True),
        ("dataset pack", (r(run.dataset_pack),), True),
        ("import report", (r(run.import_report), r(run.import_report.with_suffix(".md"))), True),
        ("tokenizer", (*(r(run.tokenizer_dir / n) for n in TOKENIZER_FILES), f"{r(run.tokenizer_dir / TEMPLATE_DIR)}/*.jinja"), True),
        ("task pack summary", (f"{r(run.task_pack_dir)}/*.json", f"{r(run.task_pack_dir)}/*.md"), False),
        ("preflight", (r(run.preflight), r(run.preflight_md)), True),
        ("honesty", (r(run.honesty_report), r(run.honesty_dir / "report.md")), True),
        ("base validation curve", (r(run.metrics("base")), r(run.train_report("base"))), True),
        ("sft training log", (r(run.metrics("sft")), r(run.train_report("sft"))), False),
        ("dpo training log", (r(run.metrics("dpo")), r(run.train_report("dpo"))), False),
    ]
    for label, kind in EVAL_PIECES:
        report = run.eval_report(kind)
        pieces.append((label, (r(report), r(report.parent / "report.md")), True))
        pieces.append((f"{label} per-row results", (r(run.results_beside(report)),), True))
    pieces += [
        ("external benchmark", (f"{ext}/*/eval_report.json", f"{ext}/*/report.md", f"{ext}/*/results.jsonl", r(run.lm_eval_results),
                                r(run.lm_eval_dir / "lm_eval_command.json")), True),
        ("release gate", (r(run.release), r(run.release_md), r(run.release_history)), True),
        ("model card and release manifest", (r(run.model_card), r(run.release_manifest)), True),
        ("report", (r(run.report_md), r(run.report_html), f"{r(run.report_assets)}/*.png"), False),
    ]
    return pieces


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summary(run: RunDir, released: Path | None) -> dict[str, Any]:
    def maybe(path: Path) -> dict:
        return read_json_object(path) if path.exists() else {}

    rm, base, pre, rel = maybe(run.run_manifest), maybe(run.train_report("base")), maybe(run.preflight), maybe(run.release)
    verdict = verify_release(run)
    return {
        **summary_numbers(rm, base, pre, tokenizer=rederived_tokenizer_hash(run_tokenizer_files(run.tokenizer_dir))[0]),
        "preflight_status": pre.get("status"),
        "preflight_profile": pre.get("profile"),
        "honesty_status": maybe(run.honesty_report).get("status"),
        "release_status": rel.get("status"),
        "release_profile": rel.get("profile"),
        "release_state": verdict["state"],
        "release_verdicts_before": (rel.get("history") or {}).get("verdicts_before"),
        "release_sentence": verdict["sentence"],
        "num_parameters_counted": _counted_parameters(run, rel),
        "released_tokenizer": released_tokenizer_summary(run, released),
    }


def _counted_parameters(run: RunDir, release: dict[str, Any]) -> dict[str, Any] | None:
    """{count, checkpoint, weights_sha256} of the released weights, counted when bundling: the bundle carries no
    weights, so this is the only count of them it can hold (`--check` ties it to the gate's count and weights hash).
    The checkpoint is the verdict's when it lies in the run, or lies outside it and still holds the weights the gate
    judged (`gate release --checkpoint` on a copy); else the run's sft/checkpoint, with `judged_outside` saying where
    the verdict's checkpoint was and what it held, so `--check` can say why the counted weights are not the judged
    ones. None when none can be counted."""
    ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
    folder = judged_checkpoint(run, release)  # as this run names it: a copied or moved run's own (`recorded_paths`)
    outside = folder is not None and not folder.resolve().is_relative_to(run.root.resolve())
    judged, judged_outside = ckpt.get("weights_sha256"), None
    if outside and judged and weights_sha256(run.released_checkpoint) == judged:
        folder = run.released_checkpoint  # the run's own copy of the judged weights: counted in the run
    elif outside and not (folder.is_dir() and judged and weights_sha256(folder) == judged):
        judged_outside = {"path": str(folder), "weights_sha256": weights_sha256(folder) if folder.is_dir() else None}
    if folder is None or not folder.is_dir() or judged_outside is not None:
        folder = run.released_checkpoint
    n = count_parameters(folder)
    where = run.rel(folder) if folder.resolve().is_relative_to(run.root.resolve()) else str(folder)
    counted = {"count": n, "checkpoint": where, "weights_sha256": weights_sha256(folder)}
    return None if n is None else counted | ({"judged_outside": judged_outside} if judged_outside else {})


def _bundled_files(run: RunDir) -> tuple[dict[str, Path], list[str], Path | None]:
    """The files a bundle of `run` carries (member path -> file), the expected pieces it lacks and the released
    tokenizer's folder."""
    files: dict[str, Path] = {}
    missing: list[str] = []
    for label, patterns, required in expected_pieces(run):
        found = [p for pat in patterns for p in sorted(run.root.glob(pat)) if p.is_file()]
        for p in found:
            files[run.rel(p)] = p
        if not found and required:
            missing.append(label)
    if not files:
        raise PicochatInputError("no result files found; is this a run directory?", path=run.root)
    root = run.root.resolve()
    for rel, p in files.items():
        if p.is_symlink() or not p.resolve().is_relative_to(root):  # a tar member would be a link, or another run's file
            raise PicochatInputError(f"is a link (to {p.resolve()}); a bundle carries the run's own files, copy it in", path=p, field=rel)
    # the tokenizer a release ships, as a user gets it (links followed): it may lie beside a judged copy outside the run
    release = read_json(run.release) if run.release.is_file() else {}
    released = released_tokenizer_dir(run, release if isinstance(release, dict) else {})
    files |= released_tokenizer_files(released)
    if not any(rel.startswith(f"{RELEASED}/") for rel in files):
        missing.append("released tokenizer")
    rows, gone = scored_rows_files(run)  # the eval pack and benchmark files, so `--check` re-judges their verdicts
    files |= rows
    missing += gone
    return files, missing, released


def make_bundle(run_dir: str | Path, out: str | Path, *, force: bool = False) -> Path:
    """Write `out` (a .tar.gz) and `out.sha256`; return `out`."""
    run = RunDir(run_dir)
    if not run.root.is_dir():
        raise PicochatInputError("run directory not found", path=run.root)
    out = Path(out)
    ensure_can_write(out, force=force)
    ensure_can_write(f"{out}.sha256", force=force)  # the sidecar is part of the bundle: another file there is not replaced
    if out.is_dir():
        raise PicochatInputError("is a directory where a file is expected (name the .tar.gz to write)", path=out, field="out")
    files, missing, released = _bundled_files(run)
    prefix = run.root.resolve().name
    table = [{"path": rel, "sha256": sha256_file(p), "bytes": p.stat().st_size} for rel, p in sorted(files.items())]
    manifest = {
        "format": "picochat_hf.result_bundle",
        "version": 1,
        "run_name": prefix,
        "summary": _summary(run, released),
        "missing_expected": missing,
        "files": table,
        "provenance": provenance(),
    }
    blob = json.dumps(manifest, indent=2).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            info = tarfile.TarInfo(f"{prefix}/{MANIFEST}")
            info.size = len(blob)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(blob))
            for entry in table:
                _add(tar, files[entry["path"]], f"{prefix}/{entry['path']}")
        default_mode(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    atomic_write_text(f"{out}.sha256", f"{sha256_file(out)}  {out.name}\n")
    return out


def _add(tar: tarfile.TarFile, path: Path, arcname: str) -> None:
    """Add the file's bytes (a link is read through, never stored as a link)."""
    data = path.read_bytes()
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = len(data), int(path.stat().st_mtime), 0o644
    tar.addfile(info, io.BytesIO(data))


def _archive_check(path: Path, require: bool) -> tuple[bool | None, list[str]]:
    """(sidecar matches or None when absent, problems): a missing or wrong sidecar is a problem when `require`."""
    sidecar = Path(f"{path}.sha256")
    if not sidecar.exists():
        why = f"the archive has no {sidecar.name} sidecar, so the archive itself (manifest included) is unverified"
        return None, [why] if require else []
    recorded = sidecar.read_text(encoding="utf-8").split()
    if not recorded:
        raise PicochatInputError("empty sidecar: expected '<sha256>  <archive name>'", path=sidecar)
    ok = recorded[0] == sha256_file(path)
    return ok, [] if ok else [f"the archive does not match its {sidecar.name} sidecar"]


KEEP = ("eval_report.json", "results.jsonl", "release.json", "release_manifest.json")  # members read back for the audit


def _read_members(path: Path) -> tuple[dict[str, Any], dict[str, str], dict[str, bytes], list[str]]:
    """(manifest, {rel: sha256}, {rel: bytes} of the audited members, unsafe member names)."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise PicochatInputError(f"not a readable tar.gz ({exc})", path=path) from None
    with tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        unsafe = [m.name for m in tar.getmembers() if m.name.startswith("/") or ".." in Path(m.name).parts or m.issym() or m.islnk()]
        manifest_member = next((m for m in members if m.name.endswith(f"/{MANIFEST}") and m.name.count("/") == 1), None)
        if manifest_member is None:
            raise PicochatInputError(f"no {MANIFEST} in the bundle", path=path)
        prefix = manifest_member.name.split("/", 1)[0]
        try:
            manifest = json.loads(tar.extractfile(manifest_member).read(), object_pairs_hook=unique_keys)
        except json.JSONDecodeError as exc:
            raise PicochatInputError(f"{MANIFEST} is malformed ({exc.msg})", path=path) from None
        except DuplicateKeyError as exc:  # a reader keeping the first value and one keeping the last would disagree
            raise PicochatInputError(f"{MANIFEST} names the key {exc.key!r} twice in one object", path=path) from None
        check_manifest_shape(manifest, path)
        present: dict[str, str] = {}
        kept: dict[str, bytes] = {}
        for m in members:
            if m is manifest_member:
                continue
            rel = m.name[len(prefix) + 1 :] if m.name.startswith(prefix + "/") else m.name
            data = tar.extractfile(m).read()
            present[rel] = _hash_bytes(data)
            if rel.rsplit("/", 1)[-1] in KEEP or rel in CLAIM_FILES or rel.startswith((f"{RELEASED}/", f"{ROWS}/")):
                kept[rel] = data
    return manifest, present, kept, unsafe


def _is_evidence(rel: str) -> bool:
    """Whether a bundle member is a file a release verdict rests on (`gates.evidence.evidence_files`)."""
    run = RunDir(Path("run"))
    fixed = {run.rel(p) for p in (run.preflight, run.honesty_report, run.lm_eval_results, *(run.train_report(s) for s in ("base", "sft", "dpo")))}
    fixed |= {run.rel(p) for kind in EVAL_KINDS for p in (run.eval_report(kind), run.results_beside(run.eval_report(kind)))}
    parts, ext = rel.split("/"), run.rel(run.external_root)
    return rel in fixed or (len(parts) == 3 and parts[0] == ext and parts[2] in ("eval_report.json", "results.jsonl"))


def _audit(kept: dict[str, bytes], present: dict[str, str]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """(re-derivation per eval report, gate evidence files whose bundled hash differs from the gate's, evidence files
    the gate never judged)."""
    rederived = []
    for rel, data in sorted(kept.items()):
        if not rel.endswith("eval_report.json"):
            continue
        results_rel = rel.rsplit("/", 1)[0] + "/results.jsonl"
        if results_rel not in kept:
            rederived.append({"report": rel, "ok": False, "mismatches": [f"no {results_rel}, so its rates cannot be re-derived"]})
            continue
        try:
            report = json.loads(data, object_pairs_hook=unique_keys)
            mismatches = (rederive(report, read_results(kept[results_rel].decode("utf-8"))) if isinstance(report, dict)
                          else ["is not a JSON object, so it reports no rates"])
        except DuplicateKeyError as exc:
            mismatches = [f"names the key {exc.key!r} twice in one object"]
        except (ValueError, UnicodeDecodeError) as exc:  # malformed JSON, or a row that is no object
            mismatches = [f"unreadable ({exc})"]
        rederived.append({"report": rel, "ok": not mismatches, "mismatches": mismatches})
    stale: list[str] = []
    added: list[str] = []
    release = next((data for rel, data in kept.items() if rel == "gates/release.json"), None)
    if release is not None:
        try:
            record = json.loads(release, object_pairs_hook=unique_keys)
        except (DuplicateKeyError, json.JSONDecodeError, UnicodeDecodeError):
            return rederived, [], []  # reported by `_repeated_keys` or by `claim_problems`: neither value can be trusted
        evidence = record.get("evidence") if isinstance(record, dict) else None
        if not isinstance(evidence, dict):
            return rederived, [], []  # reported by `claim_problems`
        evidence = {rel: digest for rel, digest in evidence.items() if isinstance(digest, str)}
        stale = sorted(rel for rel, digest in evidence.items() if rel in present and present[rel] != digest)
        added = sorted(rel for rel in present if _is_evidence(rel) and rel not in evidence)
    return rederived, stale, added


def _repeated_keys(kept: dict[str, bytes]) -> list[str]:
    """A sentence for each kept JSON member that names a key twice in one object: Python reads the last value, other
    readers the first, so a forger can show one verdict or rate to people and another to tools (eval reports are
    reported by their re-derivation)."""
    out = []
    for rel, data in sorted(kept.items()):
        if rel.endswith(".json") and not rel.endswith("eval_report.json"):
            try:
                json.loads(data, object_pairs_hook=unique_keys)
            except DuplicateKeyError as exc:
                out.append(f"{rel} names the key {exc.key!r} twice in one object (readers disagree on its value)")
            except (json.JSONDecodeError, UnicodeDecodeError):
                pass  # malformed members are reported where they are read
    return out


def _member_json(kept: dict[str, bytes], rel: str) -> Any:
    """A kept member as JSON; None when it is absent or unreadable (reported where it is read)."""
    try:
        return json.loads(kept[rel], object_pairs_hook=unique_keys) if rel in kept else None
    except (DuplicateKeyError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def check_bundle(path: str | Path, *, require_archive_hash: bool = True) -> dict[str, Any]:
    """Verify a bundle: `{ok, problems, missing, altered, extra, unsafe, archive_sha256, rederived, stale_evidence,
    missing_expected, summary, unverifiable, unverified_checks, files}`; `problems` holds one sentence per reason it is
    not ok; `unverified_checks` names the verdict's checks the bundle cannot re-derive (`bundle_verdict`)."""
    path = Path(path)
    if not path.exists():
        raise PicochatInputError("bundle not found", path=path)
    with rederive_once():  # the verdict's checks are re-derived once, for its mismatches and for what stays unverified
        return _checked(path, require_archive_hash)


def _checked(path: Path, require_archive_hash: bool) -> dict[str, Any]:
    """`check_bundle`'s answer for an existing bundle."""
    archive_ok, problems = _archive_check(path, require_archive_hash)
    manifest, present, kept, unsafe = _read_members(path)
    listed = {f["path"]: f["sha256"] for f in manifest.get("files", [])}
    missing = sorted(set(listed) - set(present))
    altered = sorted(p for p in listed if p in present and present[p] != listed[p])
    extra = sorted(set(present) - set(listed))
    rederived, stale, added = _audit(kept, present)
    problems += [f"missing: {p}" for p in missing] + [f"altered: {p}" for p in altered] + [f"extra: {p}" for p in extra]
    problems += [f"unsafe: {p}" for p in unsafe]
    problems += [f"{r['report']}: {m}" for r in rederived for m in r["mismatches"]]
    problems += [f"{rel} differs from the file the release gate judged" for rel in stale]
    problems += [f"{rel} is evidence the release gate never judged (it appeared after the gate ran)" for rel in added]
    if (stale or added) and (manifest.get("summary") or {}).get("release_state") == "current":
        problems.append("the bundle summary says release_state 'current', but the bundled evidence is not what gates/release.json judged")
    old = made_before_rows(manifest, present, kept, lambda rel: _member_json(kept, rel), path.name)
    problems = ([old] if old else []) + problems + _repeated_keys(kept) + claim_problems(manifest, kept, present)
    problems += [] if old else rows_problems(kept, lambda rel: _member_json(kept, rel))
    return {
        "ok": not problems,
        "problems": problems,
        "missing": missing,
        "altered": altered,
        "extra": extra,
        "unsafe": unsafe,
        "archive_sha256": archive_ok,
        "rederived": rederived,
        "stale_evidence": stale,
        "missing_expected": manifest.get("missing_expected", []),
        "summary": manifest.get("summary", {}),
        "unverifiable": unverifiable(manifest.get("summary") or {}, kept),
        "unverified_checks": verdict_unverifiable(kept, manifest.get("summary") or {}),
        "files": len(listed),
    }
