"""Push an exported folder to the Hugging Face Hub (huggingface_hub `create_repo` + `upload_folder`).

The token comes only from the environment (`HF_TOKEN`, or `HUGGING_FACE_HUB_TOKEN`); it is handed to
`HfApi` in memory and never written or printed. A folder whose manifest records a blocked release gate is
refused unless `allow_blocked`, and so is one whose verdict is stale: the gate's evidence in the run directory
is re-checked (`gates.verify`) when the run directory is still there (and the manifest's gate must be that
verdict), a folder exported despite a stale verdict stays refused, and without the run directory what the
folder shows about itself is re-checked (`folder_claims`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from huggingface_hub import HfApi

from ..utils.errors import PicochatInputError
from .folder_claims import folder_gate_problems
from .hf_export import MANIFEST, check_export

TOKEN_ENV = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")


def upload_plan(folder: str | Path, repo_id: str, *, private: bool = False, commit_message: str | None = None) -> dict[str, Any]:
    """What `push_to_hub` would do, without network: the repo, visibility and the files (with sha256)."""
    folder = Path(folder)
    check = check_export(folder)
    if not check["ok"]:
        raise PicochatInputError(f"the folder does not match its manifest (missing {check['missing']}, altered {check['altered']}, "
                                 f"extra {check['extra']})", path=folder / MANIFEST)
    from ..utils.io import read_json

    manifest = read_json(folder / MANIFEST)
    if "/" not in repo_id:
        raise PicochatInputError("repo id must look like 'user/name'", field="repo_id")
    return {
        "repo_id": repo_id,
        "repo_type": "model",
        "private": private,
        "commit_message": commit_message or f"Upload {manifest['model_name']} (release gate: {manifest['gate']['status']})",
        "gate": manifest["gate"],
        "files": [{"path": f["path"], "sha256": f["sha256"]} for f in manifest["files"]] + [{"path": MANIFEST, "sha256": None}],
    }


def publishable(folder: str | Path) -> tuple[bool, str]:
    """May this exported folder be pushed without an override? Re-checks the run's verdict when it is reachable."""
    from ..gates.verify import may_publish, verify_release
    from ..utils.io import read_json

    manifest = read_json(Path(folder) / MANIFEST)
    gate = manifest.get("gate") if isinstance(manifest.get("gate"), dict) else {}
    problems = folder_gate_problems(folder, manifest)
    if problems:
        return False, f"The folder's release claims do not follow from the folder: {'; '.join(problems)}."
    if gate.get("status") == "blocked":
        return False, "The release gate is blocked: " + " ".join(gate.get("blocking") or ["see the card."])
    if gate.get("exported_despite_stale") or gate.get("state") == "stale":
        return False, gate.get("sentence") or "The release verdict was stale when this folder was exported."
    run = manifest.get("run_dir")
    if run and Path(run).is_dir():
        verdict = verify_release(run)
        other = _not_the_judged_weights(Path(folder), verdict)
        ok, why = (False, other) if other else may_publish(verdict)
        other = _not_the_runs_verdict(gate, verdict, run) if ok else None
        return (False, other) if other else (ok, why)
    return True, ""


def _not_the_runs_verdict(gate: dict[str, Any], verdict: dict[str, Any], run: str) -> str | None:
    """Why the folder's gate block (what its card and commit message repeat) is not the run's re-checked verdict."""
    said, now = (gate.get("status"), gate.get("state")), (verdict.get("status"), verdict.get("state"))
    if said != now:
        return (f"release_manifest.json says the release gate is {said[0]} ({said[1]}), but the verdict of {run} is now "
                f"{now[0]} ({now[1]}); export the folder again so its card says what the gate says.")
    if gate.get("profile") != verdict.get("profile"):  # the card names the profile whose thresholds the model cleared
        return (f"release_manifest.json says the release gate ran under profile {gate.get('profile')}, but the verdict of {run} "
                f"ran under profile {verdict.get('profile')}; export the folder again so its card says what the gate says.")
    return None


def _not_the_judged_weights(folder: Path, verdict: dict[str, Any]) -> str | None:
    """Why the folder's weights or tokenizer are not the ones the run's release gate judged (the same file, or
    the same tensors under another hash); None when they are or no gate recorded them."""
    from ..utils.provenance import input_sha256, tensors_differ, weights_sha256

    judged = verdict.get("checkpoint") or {}
    want_w, want_t, path = judged.get("weights_sha256"), judged.get("tokenizer_sha256"), judged.get("path")
    if want_w and weights_sha256(folder) != want_w:
        if not path or weights_sha256(path) != want_w:
            return f"The folder's weights are not the ones the release gate judged, and {path} no longer holds those to compare."
        differs = tensors_differ(folder, path)
        if differs:
            return f"The folder's weights are not the ones the release gate judged ({path}): {differs}."
    if want_t and input_sha256(folder) != want_t:
        return (f"The folder's tokenizer (tokenizer.json, chat template, special tokens) is not the tokenizer the release gate "
                f"judged ({str(want_t)[:12]}, {path}).")
    return None


def push_to_hub(folder: str | Path, repo_id: str, *, private: bool = False, commit_message: str | None = None,
                allow_blocked: bool = False) -> dict[str, Any]:
    """Create the repo (if needed) and upload the folder; return the upload plan plus the commit URL."""
    plan = upload_plan(folder, repo_id, private=private, commit_message=commit_message)
    ok, why = publishable(folder)
    if not ok and not allow_blocked:
        raise PicochatInputError(f"{why} Pass --allow-blocked to push it anyway (its card says so).", path=Path(folder) / MANIFEST)
    token = next((os.environ[name] for name in TOKEN_ENV if os.environ.get(name)), None)
    if token is None:
        raise PicochatInputError(f"no Hub token: set {TOKEN_ENV[0]} in the environment")
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id=repo_id, repo_type="model", private=private, exist_ok=True)
        commit = api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="model", commit_message=plan["commit_message"])
    except Exception as exc:  # network, auth, a bad repo id: the folder is complete, only the upload failed
        module = type(exc).__module__ or ""
        if not (module.startswith(("huggingface_hub", "requests", "httpx", "urllib3")) or isinstance(exc, OSError)):
            raise
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        raise PicochatInputError(f"Hub push failed ({reason}); the exported folder is complete, push it again when the Hub is reachable",
                                 field="repo_id") from None
    plan["commit_url"] = str(getattr(commit, "commit_url", commit))
    return plan
