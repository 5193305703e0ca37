"""Result bundles: a complete bundle checks out and every rate is re-derived from its rows; a tampered,
truncated, padded or rewritten one fails and says which file; a missing archive hash fails unless waived."""

from __future__ import annotations

import io
import json
import shutil
import tarfile

import pytest

from gate_fixtures import build_chain, edit_json, fake_weights
from picochat_hf.cli import main as cli_main
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate


@pytest.fixture
def run(tmp_path, tiny_tokenizer_dir):
    # the released checkpoint ships its tokenizer, which every eval records: the run's tokenizer/ written below is
    # then not what a release of it ships (a tokenizer appearing beside an unhashed one would make the verdict stale);
    # it is a real one, since `--check` re-derives the tokenizer hash from the bundled files
    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    # 40 eval rows a skill (the fixture's rates still clear every skill_release threshold and interval, so the
    # verdict is the same): no test here counts rows, and every gate, bundle and check re-judges each of them
    run = build_chain(tmp_path, checkpoint=ckpt, n=40)
    run_release_gate(run, "skill_release")
    shutil.copytree(tiny_tokenizer_dir, run / "tokenizer")
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000, "planned_tokens": 25000,
                                                       "tokenizer_hash": (run / "tokenizer" / "tokenizer_hash.txt").read_text().strip()}))
    (run / "base" / "metrics.jsonl").write_text('{"step": 1, "eval_loss": 3.2}\n')
    (run / "base" / "checkpoint").mkdir()
    (run / "base" / "checkpoint" / "model.safetensors").write_bytes(b"\0" * 1000)  # weights never go in
    (run / "export").mkdir()
    (run / "export" / "README.md").write_text("---\nlicense: mit\n---\n# card\n")
    (run / "export" / "release_manifest.json").write_text("{}")
    return run


def _rewrite(src, dst, change):
    """Copy a bundle member by member, letting `change(name, data)` return new bytes or None to drop it."""
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read()
            new = change(m.name, data)
            if new is None:
                continue
            info = tarfile.TarInfo(m.name)
            info.size = len(new)
            tout.addfile(info, io.BytesIO(new))


def _rewrite_signed(src, dst, change):
    """`_rewrite`, then a fresh `.sha256` sidecar for the forged archive (a forger who re-signs)."""
    import hashlib

    _rewrite(src, dst, change)
    dst.with_name(dst.name + ".sha256").write_text(hashlib.sha256(dst.read_bytes()).hexdigest() + f"  {dst.name}\n")


def test_bundle_roundtrip_rederives_every_rate(run, tmp_path):
    out = make_bundle(run, tmp_path / "b" / "run.tar.gz")
    res = check_bundle(out)
    assert res["ok"], res["problems"]
    assert res["archive_sha256"] is True
    assert res["summary"]["git_commit"] == "abc123" and res["summary"]["planned_tokens_per_parameter"] == 25.0
    assert res["summary"]["release_status"] == "warn" and res["summary"]["release_state"] == "current"  # replies not re-run
    assert res["missing_expected"] == ["dataset pack", "import report"]
    assert {r["report"] for r in res["rederived"]} == {"eval/eval_report.json", "sft_fit/eval_report.json",
                                                       "sft_fit_heldout/eval_report.json", "external_eval/arc_easy/eval_report.json"}
    assert all(r["ok"] for r in res["rederived"])
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert "run/bundle_manifest.json" in names and "run/eval/results.jsonl" in names and "run/gates/release.json" in names
    assert not any("checkpoint" in n or n.endswith(".safetensors") for n in names)
    with pytest.raises(Exception, match="already exists"):
        make_bundle(run, out)


def test_tampered_bundle_fails_check(run, tmp_path, capsys):
    out = make_bundle(run, tmp_path / "run.tar.gz")
    bad = tmp_path / "bad.tar.gz"

    def flip_eval(name, data):
        if name == "run/eval/eval_report.json":
            report = json.loads(data)
            report["summary"]["pass_rate"] = 0.99
            return json.dumps(report).encode()
        return data

    _rewrite(out, bad, flip_eval)
    res = check_bundle(bad, require_archive_hash=False)
    assert not res["ok"] and res["altered"] == ["eval/eval_report.json"] and res["archive_sha256"] is None
    assert cli_main(["bundle", "--check", str(bad), "--no-archive-hash"]) == 1
    assert "altered: eval/eval_report.json" in capsys.readouterr().out

    dropped = tmp_path / "dropped.tar.gz"
    _rewrite(out, dropped, lambda n, d: None if n.endswith("honesty/honesty_report.json") else d)
    res = check_bundle(dropped, require_archive_hash=False)
    assert res["missing"] == ["honesty/honesty_report.json"] and not res["ok"]

    padded = tmp_path / "padded.tar.gz"
    with tarfile.open(out, "r:gz") as tin:
        members = [(m, tin.extractfile(m).read()) for m in tin.getmembers()]
    with tarfile.open(padded, "w:gz") as tout:
        for m, data in members + [(tarfile.TarInfo("run/eval/extra_claims.json"), b'{"pass_rate": 1.0}')]:
            m.size = len(data)
            tout.addfile(m, io.BytesIO(data))
    assert check_bundle(padded, require_archive_hash=False)["extra"] == ["eval/extra_claims.json"]

    # the archive itself changed after its sidecar was written
    (tmp_path / "run.tar.gz").write_bytes(bad.read_bytes())
    res = check_bundle(out)
    assert res["archive_sha256"] is False and not res["ok"]


def test_rewritten_manifest_without_archive_hash_fails(run, tmp_path, capsys):
    """The attack the file hashes alone miss: edit a rate, rewrite the manifest to match, delete the sidecar."""
    out = make_bundle(run, tmp_path / "run.tar.gz")
    forged = tmp_path / "forged.tar.gz"
    new_report = None

    def forge(name, data):
        nonlocal new_report
        if name == "run/eval/eval_report.json":
            report = json.loads(data)
            report["summary"]["by_skill"]["math"]["pass_rate"] = 1.0
            new_report = json.dumps(report).encode()
            return new_report
        return data

    _rewrite(out, tmp_path / "step.tar.gz", forge)
    import hashlib

    def fix_manifest(name, data):
        if name.endswith("bundle_manifest.json"):
            manifest = json.loads(data)
            for f in manifest["files"]:
                if f["path"] == "eval/eval_report.json":
                    f["sha256"] = hashlib.sha256(new_report).hexdigest()
            return json.dumps(manifest).encode()
        return data

    _rewrite(tmp_path / "step.tar.gz", forged, fix_manifest)
    assert not (tmp_path / "forged.tar.gz.sha256").exists()
    assert cli_main(["bundle", "--check", str(forged)]) == 1
    printed = capsys.readouterr().out
    assert "the archive has no forged.tar.gz.sha256 sidecar" in printed and "FAILED" in printed
    res = check_bundle(forged, require_archive_hash=False)  # waived: the rows still expose the edit
    assert not res["ok"] and res["altered"] == []
    assert "eval/eval_report.json: summary.by_skill.math.pass_rate: reported 1.0, the rows give 0.5" in res["problems"]
    assert "eval/eval_report.json differs from the file the release gate judged" in res["problems"]


def test_bundle_records_a_stale_verdict(run, tmp_path, capsys):
    edit_json(run / "honesty" / "honesty_report.json", lambda h: h.update(summary="edited after the gate"))
    out = tmp_path / "x.tar.gz"
    assert cli_main(["bundle", "--run-dir", str(run), "--out", str(out)]) == 0
    assert "is stale: honesty/honesty_report.json changed after the gate ran" in capsys.readouterr().out
    res = check_bundle(out)
    assert res["summary"]["release_state"] == "stale"
    assert "honesty/honesty_report.json differs from the file the release gate judged" in res["problems"]


def test_cli_bundle(run, tmp_path, capsys):
    out = tmp_path / "x.tar.gz"
    assert cli_main(["bundle", "--run-dir", str(run), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "missing: dataset pack; import report" in printed and "matches its evidence" in printed
    assert cli_main(["bundle", "--check", str(out)]) == 0
    assert cli_main(["bundle", "--run-dir", str(run), "--out", str(out)]) == 2
    assert cli_main(["bundle", "--check", str(tmp_path / "nope.tar.gz")]) == 2


CARD = """---
license: mit
tags: [picochat, release-gate-{status}]
model-index:
- name: m
  results:
  - task: {{type: text-generation}}
    dataset: {{type: picochat_hf/eval, name: visible eval}}
    metrics: [{{type: accuracy, name: pass rate, value: {overall}}}]
  - task: {{type: text-generation}}
    dataset: {{type: picochat_hf/eval, name: visible eval, config: math}}
    metrics: [{{type: accuracy, name: math pass rate, value: {math}}}]
---
# card
"""


def _overall(run) -> float:
    return round(json.loads((run / "eval" / "eval_report.json").read_text())["summary"]["pass_rate"], 4)


def test_card_numbers_and_tag_must_match_the_bundled_evidence(run, tmp_path):
    """A card edited before bundling (so the manifest hashes it as it is) still has to say what the bundled
    eval report and gate say."""
    (run / "export" / "README.md").write_text(CARD.format(status="warn", overall=_overall(run), math=0.5))
    assert check_bundle(make_bundle(run, tmp_path / "ok.tar.gz"))["ok"]
    (run / "export" / "README.md").write_text(CARD.format(status="warn", overall=_overall(run), math=0.9))
    res = check_bundle(make_bundle(run, tmp_path / "math.tar.gz"))
    assert not res["ok"] and res["altered"] == []
    assert "export/README.md reports eval math pass rate 0.9, but eval/eval_report.json gives 0.5" in res["problems"]
    edit_json(run / "gates" / "release.json", lambda r: r.update(status="blocked"))
    (run / "export" / "README.md").write_text(CARD.format(status="warn", overall=_overall(run), math=0.5))
    res = check_bundle(make_bundle(run, tmp_path / "tag.tar.gz"))
    assert "export/README.md is tagged release-gate-warn, but gates/release.json says blocked" in res["problems"]
    assert "gates/release.json says blocked, but its own checks roll up to warn" in res["problems"]


def test_summary_and_verdict_must_follow_from_the_bundled_files(run, tmp_path):
    """A bundle whose summary is rewritten (manifest and sidecar re-made), whose gate verdict is edited, or that
    leaves out evidence the gate judged (and drops it from its manifest) fails on its own files."""
    out = make_bundle(run, tmp_path / "run.tar.gz")

    def forge(name, data):
        if name.endswith("bundle_manifest.json"):
            manifest = json.loads(data)
            manifest["summary"]["honesty_status"] = "ready"
            manifest["files"] = [f for f in manifest["files"] if not f["path"].startswith("sft_fit_heldout/")]
            return json.dumps(manifest).encode()
        if name.endswith("honesty/honesty_report.json"):
            return json.dumps({**json.loads(data), "status": "blocked"}).encode()
        return None if "/sft_fit_heldout/" in name else data

    forged = tmp_path / "forged.tar.gz"
    _rewrite_signed(out, forged, forge)
    res = check_bundle(forged)
    assert res["archive_sha256"] is True and res["missing"] == []
    assert "the bundle summary says honesty_status 'ready', but honesty/honesty_report.json says 'blocked'" in res["problems"]
    assert "sft_fit_heldout/eval_report.json, evidence the release gate judged, is not in the bundle" in res["problems"]
    assert "sft_fit_heldout/results.jsonl, evidence the release gate judged, is not in the bundle" in res["problems"]


def test_bundle_refuses_evidence_linked_from_outside_the_run(run, tmp_path):
    """A linked evidence file would go into the archive as a link member (or as another run's file): refused
    before anything is written, naming the file."""
    from picochat_hf.utils.errors import PicochatInputError

    honesty = run / "honesty" / "honesty_report.json"
    elsewhere = tmp_path / "other_honesty.json"
    honesty.rename(elsewhere)
    honesty.symlink_to(elsewhere)
    out = tmp_path / "linked.tar.gz"
    with pytest.raises(PicochatInputError, match="a bundle carries the run's own files") as err:
        make_bundle(run, out)
    assert "honesty_report.json" in str(err.value) and not out.exists()


def test_claimed_re_runs_must_follow_from_the_bundled_rows_and_scan(run, tmp_path):
    """A bundle whose gate verdict claims re-runs of the model and the scan it never made (manifest and sidecar
    re-made to match) fails on the bundled results and honesty report."""
    import hashlib

    out = make_bundle(run, tmp_path / "run.tar.gz")
    claim = [{"name": f"regenerated:{k}/eval_report.json", "status": "pass", "value": 8, "threshold": 8, "why": "gives it again"}
             for k in ("sft_fit", "sft_fit_heldout", "eval")]
    claim.append({"name": "honesty_rescanned", "status": "pass", "value": 2, "threshold": 2, "why": "same findings"})
    release = {}

    def forge(name, data):
        if name.endswith("gates/release.json"):
            release["bytes"] = json.dumps({**json.loads(data), "regenerate_rows": 8, "rescan": True,
                                           "checks": json.loads(data)["checks"] + claim}).encode()
            return release["bytes"]
        return data

    first = tmp_path / "first.tar.gz"
    _rewrite(out, first, forge)
    digest = hashlib.sha256(release["bytes"]).hexdigest()

    def manifest(name, data):
        if name.endswith("bundle_manifest.json"):
            m = json.loads(data)
            for f in m["files"]:
                if f["path"] == "gates/release.json":
                    f["sha256"] = digest
            return json.dumps(m).encode()
        return data

    forged = tmp_path / "forged.tar.gz"
    _rewrite_signed(first, forged, manifest)
    res = check_bundle(forged)
    assert res["altered"] == [] and not res["ok"]
    said = [p for p in res["problems"] if p.startswith("gates/release.json's re-run checks do not follow from the bundled files: ")]
    assert any("regenerated:eval/eval_report.json is recorded pass, but the rows it names are not the sample" in p for p in said)
    assert any("honesty_rescanned is recorded pass with 2 findings found again of 2, but honesty/honesty_report.json lists 0" in p
               for p in said)


EXT_CARD = """---
license: mit
tags: [picochat, release-gate-warn]
model-index:
- name: m
  results:
  - task: {{type: multiple-choice}}
    dataset: {{type: {name}, name: {name}}}
    metrics: [{{type: letter_acc, value: {value}}}]
---
# card
"""


def test_card_external_benchmark_numbers_must_match_the_bundled_reports(run, tmp_path):
    """An external benchmark's number on the card (arc_easy letter accuracy 0.31 in the fixture) is checked like the
    picochat_hf evals': a card raised to 0.91, or naming a benchmark no bundled report holds, fails."""
    (run / "export" / "README.md").write_text(EXT_CARD.format(name="arc_easy", value=0.31))
    res = check_bundle(make_bundle(run, tmp_path / "ok.tar.gz"))
    assert res["ok"], res["problems"]
    (run / "export" / "README.md").write_text(EXT_CARD.format(name="arc_easy", value=0.91))
    res = check_bundle(make_bundle(run, tmp_path / "raised.tar.gz"))
    assert not res["ok"] and res["altered"] == []
    assert "export/README.md reports arc_easy letter_acc 0.91, but the bundled benchmark reports give 0.31" in res["problems"]
    (run / "export" / "README.md").write_text(EXT_CARD.format(name="mmlu", value=0.31))
    res = check_bundle(make_bundle(run, tmp_path / "other.tar.gz"))
    assert "export/README.md reports mmlu letter_acc 0.31, but the bundled benchmark reports give nothing: no bundled report holds it" \
        in res["problems"]


def test_summary_numbers_must_follow_from_the_bundled_manifest_and_train_report(run, tmp_path):
    """A bundle summary that says the base run trained on 20 tokens per parameter (manifest and sidecar re-made),
    where the bundled base/train_report.json gives 25,000 tokens for 1,000 parameters, fails on its own files."""
    out = make_bundle(run, tmp_path / "run.tar.gz")
    assert check_bundle(out)["ok"]

    def forge(name, data):
        if name.endswith("bundle_manifest.json"):
            manifest = json.loads(data)
            manifest["summary"].update(real_tokens_per_parameter=20.0, num_parameters=1250)
            return json.dumps(manifest).encode()
        return data

    forged = tmp_path / "forged.tar.gz"
    _rewrite_signed(out, forged, forge)
    res = check_bundle(forged)
    assert res["archive_sha256"] is True and res["altered"] == [] and not res["ok"]
    assert ("the bundle summary says real_tokens_per_parameter 20.0, but run_manifest.json and base/train_report.json give 25.0"
            in res["problems"])
    assert any(p.startswith("the bundle summary says num_parameters 1250") for p in res["problems"])


def test_a_verdict_without_a_rerun_claiming_approved_fails_the_bundle(run, tmp_path):
    """The gate ran without re-running replies (regenerate_rows 0): its replies_rerun warning deleted and the status
    edited to approved, the bundled verdict does not follow from its own files."""
    def approve(r):
        r["checks"] = [c for c in r["checks"] if c["name"] != "replies_rerun"]
        r.update(status="approved", summary="All checks pass.")

    edit_json(run / "gates" / "release.json", approve)
    res = check_bundle(make_bundle(run, tmp_path / "b.tar.gz"))
    assert not res["ok"]
    assert any("regenerate_rows 0) but records no replies_rerun check" in p for p in res["problems"]), res["problems"]


def test_bundled_verdict_must_be_the_last_one_the_bundled_log_records(run, tmp_path):
    """A bundle whose gates/release.json is swapped for an earlier try (or whose log of verdicts is left out)
    fails on its own files, even re-signed; the summary shows how many verdicts came before the shipped one."""
    first = (run / "gates" / "release.json").read_bytes()
    run_release_gate(run, "skill_release")
    out = make_bundle(run, tmp_path / "run.tar.gz")
    res = check_bundle(out)
    assert res["ok"], res["problems"]
    assert res["summary"]["release_verdicts_before"] == 1

    def earlier(name, data):
        return first if name.endswith("gates/release.json") else data

    def unlogged(name, data):
        if name.endswith("bundle_manifest.json"):
            manifest = json.loads(data)
            manifest["files"] = [f for f in manifest["files"] if f["path"] != "gates/release_history.jsonl"]
            return json.dumps(manifest).encode()
        return None if name.endswith("gates/release_history.jsonl") else data

    # two verdicts within one second share created_at; their verdict_id always differs
    for change, said in ((earlier, "is not the last verdict gates/release_history.jsonl logged ("),
                         (unlogged, "gates/release_history.jsonl is missing or empty")):
        forged = tmp_path / f"{change.__name__}.tar.gz"
        _rewrite_signed(out, forged, change)
        problems = check_bundle(forged)["problems"]
        assert any(p.startswith("gates/release.json is not the gate's logged verdict: ") and said in p for p in problems), problems
        if change is earlier:
            assert any("verdict_id differ" in p for p in problems), problems
