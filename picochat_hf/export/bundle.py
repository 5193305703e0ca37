"""Result bundles: the minimum public result of a run as one tar.gz with a sha256 manifest.

`make_bundle` packs the evidence files of a run directory (never weights, shards or checkpoints): commit and
run manifest, dataset pack + import report, tokenizer, preflight, honesty, the base validation curve, SFT
fit and held-out fit, the visible eval, external benchmarks, the release gate, the model card and release
manifest, and the report. `bundle_manifest.json` inside lists every file's sha256 and which expected pieces
are missing; a `<bundle>.sha256` sidecar holds the archive's own hash. `check_bundle` re-hashes every member
without extracting anything and names what is missing, altered or unexpected.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import ensure_can_write, read_json, sha256_file
from ..utils.provenance import provenance

MANIFEST = "bundle_manifest.json"
# (piece of the public result, patterns relative to the run directory, required)
EXPECTED: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("run manifest (commit, versions, hashes)", ("run_manifest.json",), True),
    ("dataset pack", ("dataset_pack/dataset_pack.json",), True),
    ("import report", ("dataset_pack/import_report.json", "dataset_pack/import_report.md"), True),
    ("tokenizer", ("tokenizer/tokenizer.json", "tokenizer/tokenizer_config.json", "tokenizer/chat_template.jinja"), True),
    ("task pack summary", ("task_pack/*.json", "task_pack/*.md"), False),
    ("preflight", ("gates/preflight.json", "gates/preflight.md"), True),
    ("honesty", ("honesty/honesty_report.json", "honesty/report.md"), True),
    ("base validation curve", ("base/metrics.jsonl", "base/train_report.json"), True),
    ("sft training log", ("sft/metrics.jsonl", "sft/train_report.json"), False),
    ("sft fit", ("sft_fit/eval_report.json", "sft_fit/report.md"), True),
    ("held-out sft fit", ("sft_fit_heldout/eval_report.json", "sft_fit_heldout/report.md"), True),
    ("visible eval", ("eval/eval_report.json", "eval/report.md"), True),
    ("external benchmark", ("external_eval/*/eval_report.json", "external_eval/*/report.md", "lm_eval/lm_eval_results.json", "lm_eval/lm_eval_command.json"), True),
    ("release gate", ("gates/release.json", "gates/release.md"), True),
    ("model card and release manifest", ("export/README.md", "export/release_manifest.json"), True),
    ("report", ("report.md", "report.html", "plots/*.png", "*.png"), False),
)


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summary(run: Path) -> dict[str, Any]:
    def maybe(rel: str) -> dict:
        p = run / rel
        return read_json(p) if p.exists() else {}

    rm, base, pre, rel = maybe("run_manifest.json"), maybe("base/train_report.json"), maybe("gates/preflight.json"), maybe("gates/release.json")
    params = rm.get("num_parameters") or base.get("num_parameters") or (pre.get("numbers") or {}).get("num_parameters")
    planned = rm.get("planned_tokens") or base.get("planned_tokens") or (pre.get("numbers") or {}).get("planned_tokens")
    return {
        "git_commit": rm.get("git_commit") or (rm.get("provenance") or {}).get("git_commit"),
        "tokenizer_hash": rm.get("tokenizer_hash"),
        "num_parameters": params,
        "planned_tokens": planned,
        "planned_tokens_per_parameter": planned / params if planned and params else None,
        "preflight_status": pre.get("status"),
        "honesty_status": maybe("honesty/honesty_report.json").get("status"),
        "release_status": rel.get("status"),
        "release_profile": rel.get("profile"),
    }


def make_bundle(run_dir: str | Path, out: str | Path, *, force: bool = False) -> Path:
    """Write `out` (a .tar.gz) and `out.sha256`; return `out`."""
    run = Path(run_dir)
    if not run.is_dir():
        raise PicochatInputError("run directory not found", path=run)
    out = Path(out)
    ensure_can_write(out, force=force)
    files: dict[str, Path] = {}
    missing: list[str] = []
    for label, patterns, required in EXPECTED:
        found = [p for pat in patterns for p in sorted(run.glob(pat)) if p.is_file()]
        for p in found:
            files[p.relative_to(run).as_posix()] = p
        if not found and required:
            missing.append(label)
    if not files:
        raise PicochatInputError("no result files found; is this a run directory?", path=run)
    prefix = run.resolve().name
    table = [{"path": rel, "sha256": sha256_file(p), "bytes": p.stat().st_size} for rel, p in sorted(files.items())]
    manifest = {
        "format": "picochat_hf.result_bundle",
        "version": 1,
        "run_name": prefix,
        "summary": _summary(run),
        "missing_expected": missing,
        "files": table,
        "provenance": provenance(),
    }
    import json

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
                tar.add(files[entry["path"]], arcname=f"{prefix}/{entry['path']}", recursive=False)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    Path(f"{out}.sha256").write_text(f"{sha256_file(out)}  {out.name}\n", encoding="utf-8")
    return out


def check_bundle(path: str | Path) -> dict[str, Any]:
    """Verify a bundle: `{ok, missing, altered, extra, unsafe, archive_sha256, missing_expected, summary}`."""
    path = Path(path)
    if not path.exists():
        raise PicochatInputError("bundle not found", path=path)
    sidecar = Path(f"{path}.sha256")
    archive_ok = None
    if sidecar.exists():
        archive_ok = sidecar.read_text(encoding="utf-8").split()[0] == sha256_file(path)
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise PicochatInputError(f"not a readable tar.gz ({exc})", path=path) from None
    import json

    with tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        unsafe = [m.name for m in tar.getmembers() if m.name.startswith("/") or ".." in Path(m.name).parts or m.issym() or m.islnk()]
        manifest_member = next((m for m in members if m.name.endswith(f"/{MANIFEST}") and m.name.count("/") == 1), None)
        if manifest_member is None:
            raise PicochatInputError(f"no {MANIFEST} in the bundle", path=path)
        prefix = manifest_member.name.split("/", 1)[0]
        try:
            manifest = json.loads(tar.extractfile(manifest_member).read())
        except json.JSONDecodeError as exc:
            raise PicochatInputError(f"{MANIFEST} is malformed ({exc.msg})", path=path) from None
        listed = {f["path"]: f["sha256"] for f in manifest.get("files", [])}
        present: dict[str, str] = {}
        for m in members:
            if m is manifest_member:
                continue
            rel = m.name[len(prefix) + 1 :] if m.name.startswith(prefix + "/") else m.name
            h = hashlib.sha256()
            fh = tar.extractfile(m)
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
            present[rel] = h.hexdigest()
    missing = sorted(set(listed) - set(present))
    altered = sorted(p for p in listed if p in present and present[p] != listed[p])
    extra = sorted(set(present) - set(listed))
    ok = not (missing or altered or extra or unsafe) and archive_ok is not False
    return {
        "ok": ok,
        "missing": missing,
        "altered": altered,
        "extra": extra,
        "unsafe": unsafe,
        "archive_sha256": archive_ok,
        "missing_expected": manifest.get("missing_expected", []),
        "summary": manifest.get("summary", {}),
        "files": len(listed),
    }
