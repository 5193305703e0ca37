"""The bundle summary's parameter count: the bundle carries no weights, so the summary names where each number comes
from, counts the released weights when bundling, and `--check` ties that count to the recorded one every
tokens-per-parameter number divides by and to the gate's own count and weights hash."""

from __future__ import annotations

import json
import shutil

import pytest

from gate_fixtures import edit_json, fake_weights, gated_chain
from picochat_hf.cli import main as cli_main
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.utils.provenance import weights_sha256

from test_bundle_check import _rewrite_signed


@pytest.fixture
def chain(tmp_path):
    return gated_chain(tmp_path)


def test_the_summary_says_where_each_number_comes_from_and_counts_the_weights(chain, tmp_path, capsys):
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz"))
    assert res["ok"], res["problems"]
    summary = res["summary"]
    assert summary["sources"]["num_parameters"] == "base/train_report.json num_parameters"
    assert summary["sources"]["real_tokens_per_parameter"] == "base/train_report.json real_tokens_seen / base/train_report.json num_parameters"
    assert summary["sources"]["git_commit"] == "run_manifest.json git_commit"
    assert summary["num_parameters_counted"] == {"count": 1000, "checkpoint": "sft/checkpoint",
                                                 "weights_sha256": weights_sha256(chain / "sft" / "checkpoint")}
    assert len(res["unverifiable"]) == 1 and "counted in sft/checkpoint" in res["unverifiable"][0]
    assert "the bundle holds no weights" in res["unverifiable"][0]
    assert cli_main(["bundle", "--check", str(tmp_path / "b.tar.gz")]) == 0
    assert "not verifiable from the bundle: num_parameters: 1000 counted in sft/checkpoint" in capsys.readouterr().out


def test_a_recorded_count_that_is_not_the_weights_fails_the_check(chain, tmp_path):
    """base/train_report.json says 500 parameters (the gate re-run on it, so its evidence is current and it blocks): the
    summary said 500 and 50 tokens per parameter, and `bundle --check` passed. The weights hold 1000."""
    for rel in ("base/train_report.json", "sft/train_report.json"):
        edit_json(chain / rel, lambda r: r.update(num_parameters=500))
    run_release_gate(chain, "skill_release")
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz"))
    assert res["summary"]["num_parameters"] == 500 and res["summary"]["release_state"] == "current"
    assert not res["ok"] and res["altered"] == []
    assert ("the released weights sft/checkpoint (weights " + weights_sha256(chain / "sft" / "checkpoint")[:12] + ") held 1,000 "
            "parameters when bundled, but base/train_report.json num_parameters says 500: every tokens-per-parameter number "
            "divides by a count the weights do not have") in res["problems"]


def test_a_forged_count_or_source_in_the_manifest_fails_even_re_signed(chain, tmp_path):
    out = make_bundle(chain, tmp_path / "b.tar.gz")

    def forge(change):
        def edit(name, data):
            if name.endswith("bundle_manifest.json"):
                manifest = json.loads(data)
                change(manifest["summary"])
                return json.dumps(manifest).encode()
            return data
        return edit

    cases = {
        "count": (lambda s: s["num_parameters_counted"].update(count=1250), "but the release gate counted 1,000"),
        "weights": (lambda s: s["num_parameters_counted"].update(weights_sha256="9" * 64), "but gates/release.json judged weights"),
        "source": (lambda s: s["sources"].update(num_parameters="sft/checkpoint (counted)"), "the bundle summary says sources"),
        "shape": (lambda s: s.update(num_parameters_counted=1000), "is not {count, checkpoint, weights_sha256}"),
    }
    for name, (change, said) in cases.items():
        forged = tmp_path / f"{name}.tar.gz"
        _rewrite_signed(out, forged, forge(change))
        res = check_bundle(forged)
        assert not res["ok"] and any(said in p for p in res["problems"]), (name, res["problems"])


def test_without_weights_the_summary_says_the_count_is_the_reports_word(chain, tmp_path):
    shutil.rmtree(chain / "sft" / "checkpoint")
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz"))
    assert res["summary"]["num_parameters_counted"] is None
    assert res["unverifiable"] == ["num_parameters: base/train_report.json num_parameters's word; no released weights were "
                                   "there to count when bundled"]


def test_a_verdict_on_a_copy_outside_the_run_is_counted_there_or_says_why_not(chain, tmp_path):
    """`gate release --checkpoint` on a copy outside the run (the same tensors under another file hash): the bundle
    counted the run's sft/checkpoint and `--check` failed with "counted sft/checkpoint, but the gate judged weights X",
    which did not say that the judged checkpoint lies outside the run, nor whether it was still there. It is now
    counted where the gate judged it while it holds those weights; gone or changed, `--check` says which."""
    from safetensors.torch import load_file, save_file

    ckpt = chain / "sft" / "checkpoint"
    copy = tmp_path / "copy"
    shutil.copytree(ckpt, copy)
    save_file(load_file(str(ckpt / "model.safetensors")), str(copy / "model.safetensors"), metadata={"note": "copy"})
    judged = weights_sha256(copy)
    assert judged != weights_sha256(ckpt)
    run_release_gate(chain, "skill_release", checkpoint=copy)
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz"))
    assert res["ok"], res["problems"]
    assert res["summary"]["num_parameters_counted"] == {"count": 1000, "checkpoint": str(copy), "weights_sha256": judged}
    assert f"counted in {copy} (weights {judged[:12]})" in res["unverifiable"][0]
    fake_weights(copy, seed=7)  # the judged copy now holds other weights
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz", force=True))
    said = (f"gates/release.json judged weights {judged[:12]} in {copy}, a checkpoint outside the run that the bundle does not "
            f"hold (it held weights {weights_sha256(copy)[:12]} when bundled); the bundle counted sft/checkpoint (weights "
            f"{weights_sha256(ckpt)[:12]}) instead, which is not the judged weights")
    assert not res["ok"] and any(p.startswith(said) for p in res["problems"]), res["problems"]
    shutil.rmtree(copy)
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz", force=True))
    assert not res["ok"] and any("outside the run that the bundle does not hold (it was gone when bundled)" in p for p in res["problems"])


def test_a_verdict_on_a_byte_copy_outside_the_run_is_counted_in_the_run(chain, tmp_path):
    """The neighbour: a byte-for-byte copy (the judged hash is the run's own weights' hash) is counted in sft/checkpoint,
    and stays so when the copy is gone."""
    copy = tmp_path / "copy"
    shutil.copytree(chain / "sft" / "checkpoint", copy)
    run_release_gate(chain, "skill_release", checkpoint=copy)
    shutil.rmtree(copy)
    res = check_bundle(make_bundle(chain, tmp_path / "b.tar.gz"))
    assert res["ok"], res["problems"]
    assert res["summary"]["num_parameters_counted"]["checkpoint"] == "sft/checkpoint"
