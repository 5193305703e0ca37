"""A bundle's tokenizer hash is re-derived from the tokenizer files it carries, never taken from run_manifest.json's
word: an edited manifest hash, a rewritten summary hash, a swapped chat template or an unloadable tokenizer fail
`bundle --check` and name the file."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from gate_fixtures import build_chain, fake_weights
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate

from test_bundle_check import _rewrite


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, tiny_tokenizer_dir):
    """(run directory, its bundle, the real tokenizer hash): a judged chain whose tokenizer/ is a real tokenizer."""
    root = tmp_path_factory.mktemp("bundle_tok")
    ckpt = fake_weights(root / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    run = build_chain(root, checkpoint=ckpt)
    run_release_gate(run, "skill_release")
    (run / "export").mkdir()
    (run / "export" / "README.md").write_text("---\nlicense: mit\ntags:\n- release-gate-warn\n---\n# card\n")
    shutil.copytree(tiny_tokenizer_dir, run / "tokenizer")
    real = (run / "tokenizer" / "tokenizer_hash.txt").read_text().strip()
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "tokenizer_hash": real, "num_parameters": 1000,
                                                       "planned_tokens": 25000}))
    return run, make_bundle(run, root / "run.tar.gz"), real


def _forge(src, dst, change):
    """Rewrite members with `change(rel, data)`, then re-list every member's sha256 in the manifest and re-sign the
    archive: a forger who re-makes every hash, so only what the files say can catch it."""
    members = {}
    _rewrite(src, dst, lambda name, data: members.setdefault(name, change(name.split("/", 1)[1], data)))
    manifest_name = next(n for n in members if n.endswith("/bundle_manifest.json"))
    manifest = json.loads(members[manifest_name])
    manifest["files"] = [{"path": n.split("/", 1)[1], "sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)}
                         for n, d in members.items() if n != manifest_name and d is not None]
    members[manifest_name] = json.dumps(manifest).encode()
    _rewrite(src, dst, lambda name, data: members[name])
    dst.with_name(dst.name + ".sha256").write_text(hashlib.sha256(dst.read_bytes()).hexdigest() + f"  {dst.name}\n")
    return check_bundle(dst)


def test_the_summary_tokenizer_hash_is_the_bundled_tokenizers(bundled, tmp_path):
    run, out, real = bundled
    res = check_bundle(out)
    assert res["ok"], res["problems"]
    assert res["summary"]["tokenizer_hash"] == real and res["summary"]["sources"]["tokenizer_hash"] == "run_manifest.json tokenizer_hash"

    def summary(rel, data):
        if rel != "bundle_manifest.json":
            return data
        manifest = json.loads(data)
        manifest["summary"]["tokenizer_hash"] = "f00d"
        return json.dumps(manifest).encode()

    res = _forge(out, tmp_path / "summary.tar.gz", summary)
    assert f"the bundle summary says tokenizer_hash 'f00d', but run_manifest.json tokenizer_hash gives {real!r}" in res["problems"]
    both = _forge(out, tmp_path / "both.tar.gz", lambda rel, data: summary(rel, data) if rel != "run_manifest.json"
                  else json.dumps({**json.loads(data), "tokenizer_hash": "f00d"}).encode())
    assert not both["ok"] and f"run_manifest.json says tokenizer_hash 'f00d', but the bundled tokenizer/ hashes to {real!r}" in both["problems"]


def test_a_swapped_template_or_unloadable_tokenizer_fails_the_check(bundled, tmp_path):
    run, out, real = bundled
    swapped = _forge(out, tmp_path / "template.tar.gz",
                     lambda rel, data: b"{{ messages }}" if rel == "tokenizer/chat_template.jinja" else data)
    assert not swapped["ok"] and any(p.startswith("run_manifest.json says tokenizer_hash") for p in swapped["problems"])
    assert any(p.startswith("the bundle summary says tokenizer_hash") for p in swapped["problems"])
    broken = _forge(out, tmp_path / "broken.tar.gz", lambda rel, data: b"{}" if rel == "tokenizer/tokenizer.json" else data)
    assert not broken["ok"] and any(p.startswith("the bundled tokenizer/ cannot be loaded") for p in broken["problems"])


def test_a_manifest_hash_edited_before_bundling_is_not_repeated(bundled, tmp_path):
    """run_manifest.json's tokenizer_hash (copied from tokenizer_hash.txt) edited or left from another tokenizer: the
    summary states the hash of the bundled tokenizer, and the check names the manifest's wrong word."""
    run, _, real = bundled
    manifest = run / "run_manifest.json"
    kept = manifest.read_text()
    manifest.write_text(json.dumps({**json.loads(kept), "tokenizer_hash": "f00d"}))
    try:
        res = check_bundle(make_bundle(run, tmp_path / "edited.tar.gz"))
    finally:
        manifest.write_text(kept)
    assert res["summary"]["tokenizer_hash"] == real
    assert res["summary"]["sources"]["tokenizer_hash"] == "tokenizer/ (re-derived from the bundled tokenizer files)"
    assert res["problems"] == [f"run_manifest.json says tokenizer_hash 'f00d', but the bundled tokenizer/ hashes to {real!r}"]


def _drop_tokenizer(rel, data):
    return None if rel.startswith("tokenizer/") else data


def test_a_bundle_without_its_tokenizer_states_an_unchecked_hash_and_fails(bundled, tmp_path):
    """No tokenizer/ in the bundle: run_manifest.json's tokenizer_hash is a claim nothing in it can check, so the check
    fails and names it, whether the files were dropped from the archive or were never in the run."""
    run, out, real = bundled
    dropped = _forge(out, tmp_path / "dropped.tar.gz", _drop_tokenizer)
    want = (f"run_manifest.json says tokenizer_hash {real!r}, but the bundle carries no tokenizer/tokenizer.json to re-derive it "
            "from: an unchecked claim")
    assert not dropped["ok"] and want in dropped["problems"]
    assert any(s.startswith("tokenizer_hash: run_manifest.json's word") for s in dropped["unverifiable"])
    shutil.move(run / "tokenizer", tmp_path / "kept_tokenizer")
    try:
        res = check_bundle(make_bundle(run, tmp_path / "never.tar.gz"))
    finally:
        shutil.move(tmp_path / "kept_tokenizer", run / "tokenizer")
    assert not res["ok"] and want in res["problems"] and "tokenizer" in res["missing_expected"]


def test_the_bundle_ships_the_released_tokenizer_its_evals_and_verdict_name(bundled, tmp_path):
    """The evals read the released checkpoint's tokenizer, not the run's tokenizer/: the bundle carries that one too
    (released_tokenizer/), states its digest from the files and ties every eval report and the verdict to it."""
    from picochat_hf.utils.provenance import input_sha256

    run, out, _ = bundled
    shipped = input_sha256(run / "sft" / "checkpoint")
    res = check_bundle(out)
    assert res["ok"], res["problems"]
    assert res["summary"]["released_tokenizer"] == {"sha256": shipped, "from": "sft/checkpoint"}
    # the released tokenizer swapped in the bundle, hashes re-made: the evals and the verdict read another one
    swapped = _forge(out, tmp_path / "swapped.tar.gz", lambda rel, data: b'{"model": "other"}' if rel == "released_tokenizer/tokenizer.json" else data)
    assert not swapped["ok"]
    assert any(p.startswith("eval/eval_report.json was read with tokenizer " + shipped[:12]) for p in swapped["problems"])
    assert any(p.startswith("gates/release.json judged tokenizer " + shipped[:12]) for p in swapped["problems"])
    assert any(p.startswith("the bundle summary says released_tokenizer") for p in swapped["problems"])


def test_a_bundle_whose_evals_read_another_template_fails(bundled, tmp_path):
    """The released checkpoint's chat template changed after its evals and gate ran: the bundle ships the template a
    user gets, which is not the one the evals were read with, and the check says so."""
    run, _, _ = bundled
    template = run / "sft" / "checkpoint" / "chat_template.jinja"
    template.write_text("{% for m in messages %}{{ m.content }}{% endfor %}")
    try:
        res = check_bundle(make_bundle(run, tmp_path / "template.tar.gz"))
    finally:
        template.unlink()
    assert not res["ok"]
    for rel in ("eval/eval_report.json", "sft_fit/eval_report.json", "sft_fit_heldout/eval_report.json",
                "external_eval/arc_easy/eval_report.json"):
        assert any(p.startswith(f"{rel} was read with tokenizer ") and "released_tokenizer/" in p for p in res["problems"]), rel
    assert any(p.startswith("gates/release.json judged tokenizer ") for p in res["problems"])


def test_a_bundle_with_no_released_tokenizer_cannot_back_the_tokenizer_its_evals_name(bundled, tmp_path):
    run, out, _ = bundled
    res = _forge(out, tmp_path / "none.tar.gz", lambda rel, data: None if rel.startswith("released_tokenizer/") else data)
    assert not res["ok"]
    assert any("eval/eval_report.json was read with tokenizer" in p and "carries no released tokenizer" in p for p in res["problems"])


def test_evidence_added_after_the_gate_fails_the_check(bundled, tmp_path):
    """An external benchmark written after the verdict: the gate never judged it, yet the card can show its number.
    A changed evidence file already failed the check; an added one must too, and a summary calling that verdict
    current (re-signed) is named."""
    run, out, _ = bundled
    shutil.copytree(run / "external_eval" / "arc_easy", run / "external_eval" / "arc_later")
    try:
        res = check_bundle(make_bundle(run, tmp_path / "added.tar.gz"))
    finally:
        shutil.rmtree(run / "external_eval" / "arc_later")
    assert res["summary"]["release_state"] == "stale" and not res["ok"]
    for rel in ("external_eval/arc_later/eval_report.json", "external_eval/arc_later/results.jsonl"):
        assert f"{rel} is evidence the release gate never judged (it appeared after the gate ran)" in res["problems"]

    def current(rel, data):
        if rel != "bundle_manifest.json":
            return data
        manifest = json.loads(data)
        manifest["summary"]["release_state"] = "current"
        return json.dumps(manifest).encode()

    forged = _forge(tmp_path / "added.tar.gz", tmp_path / "current.tar.gz", current)
    assert ("the bundle summary says release_state 'current', but the bundled evidence is not what gates/release.json "
            "judged") in forged["problems"]
    assert check_bundle(out)["ok"]


@pytest.mark.parametrize("verdict", [b"[]", b'{"status": "approved"', b"\xff"])
def test_an_unreadable_verdict_backs_no_release_claim(bundled, tmp_path, verdict):
    """gates/release.json swapped for something that is no verdict (a list, cut-off JSON, bytes that are not text), the
    summary's release fields emptied to match: the check crashed on the list and passed the others, leaving the card's
    release-gate-warn tag and every release claim unchecked, as if no gate had run."""
    run, out, _ = bundled

    def change(rel, data):
        if rel == "gates/release.json":
            return verdict
        if rel == "bundle_manifest.json":
            manifest = json.loads(data)
            manifest["summary"].update(release_status=None, release_profile=None, release_verdicts_before=None, released_tokenizer=None)
            return json.dumps(manifest).encode()
        return None if rel.startswith("released_tokenizer/") else data

    res = _forge(out, tmp_path / "verdict.tar.gz", change)
    assert not res["ok"]
    assert any(p.startswith("gates/release.json ") and p.endswith("so nothing the bundle says about its release is backed")
               for p in res["problems"])
    assert "export/README.md is tagged release-gate-warn, but the bundle holds no readable gates/release.json" in res["problems"]


@pytest.mark.parametrize(("member", "body", "said"), [("eval/eval_report.json", b"[]", "is not a JSON object, so it reports no rates"),
                                                      ("eval/results.jsonl", b"[1]\n", "unreadable (line 1 is not a JSON object)")])
def test_an_eval_report_or_row_that_is_no_object_fails_the_check(bundled, tmp_path, member, body, said):
    """A report or a results.jsonl row that is a list or a number crashed the check (AttributeError) instead of naming it."""
    _, out, _ = bundled
    res = _forge(out, tmp_path / "rows.tar.gz", lambda rel, data: body if rel == member else data)
    assert not res["ok"] and f"eval/eval_report.json: {said}" in res["problems"]
