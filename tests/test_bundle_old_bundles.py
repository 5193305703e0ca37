"""A bundle made before `make_bundle` carried the rows the evals scored (`eval_rows/`) cannot be verified: `bundle --check`
fails it (exit 1) with one first line that says so, names the reports whose rows are missing and how to bundle the run
again, instead of a sentence per report; the other problems of such a bundle are still reported. A bundle that has
`eval_rows/` but leaves out a file, or lists rows it does not hold, or records the scored rows as gone when bundling, is
not called old: it fails as before. Bundling the run again gives a bundle that passes."""

from __future__ import annotations

import json

import pytest
from gate_fixtures import gated_chain

from picochat_hf.cli import main as cli_main
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.export.bundle_rows import made_before_rows

from test_bundle_check import _rewrite_signed

OLD = "made before eval_rows/ was bundled"
REPORTS = "eval/eval_report.json, external_eval/arc_easy/eval_report.json"


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    """(run directory, its honest bundle), built once: each test writes its variants of the bundle beside its own tmp_path."""
    root = tmp_path_factory.mktemp("old_bundles")
    run = gated_chain(root)
    return run, make_bundle(run, root / "b.tar.gz")


def _old(src, dst, *, keep_listed: bool = False, missing_expected: list[str] | None = None, tamper: bool = False):
    """`src` as a bundle made before eval_rows/ existed: no member under it and (unless `keep_listed`) no manifest entry
    for one; `missing_expected` replaces the manifest's; `tamper` edits a bundled eval report after the manifest
    hashed it. Re-signed, as the old `make_bundle` signed its archives."""
    def change(name, data):
        rel = name.split("/", 1)[1]
        if rel.startswith("eval_rows/"):
            return None
        if rel == "bundle_manifest.json":
            m = json.loads(data)
            m["files"] = [f for f in m["files"] if keep_listed or not f["path"].startswith("eval_rows/")]
            if missing_expected is not None:
                m["missing_expected"] = missing_expected
            return json.dumps(m).encode()
        if tamper and rel == "sft_fit/report.md":
            return data + b"\nedited\n"
        return data

    _rewrite_signed(src, dst, change)
    return dst


def test_an_old_bundle_fails_with_one_line_naming_what_is_missing_and_how_to_rebuild(honest, tmp_path):
    res = check_bundle(_old(honest[1], tmp_path / "old.tar.gz"))
    assert not res["ok"]
    first = res["problems"][0]
    assert first.startswith(f"{OLD}: it carries no rows file that {REPORTS} scored"), first
    assert first.endswith("re-run `picochat bundle --run-dir run --out old.tar.gz --force` on the run directory"), first
    assert "\n" not in first
    assert [p for p in res["problems"] if "eval_rows/" in p] == [first]  # not a sentence per report besides it
    assert not any(p.startswith(("eval/eval_report.json scored rows ", "external_eval/")) for p in res["problems"])


def test_the_cli_fails_an_old_bundle_with_that_line_first(honest, tmp_path, capsys):
    old = _old(honest[1], tmp_path / "old.tar.gz")
    assert cli_main(["bundle", "--check", str(old)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(OLD) and "--force" in lines[0] and lines[-1].startswith("FAILED: ")


def test_an_old_bundle_still_reports_its_other_problems(honest, tmp_path):
    res = check_bundle(_old(honest[1], tmp_path / "old.tar.gz", tamper=True))
    assert res["problems"][0].startswith(OLD) and "altered: sft_fit/report.md" in res["problems"], res["problems"]


def test_the_rebuilt_bundle_passes(honest, tmp_path):
    run, bundle = honest
    old = _old(bundle, tmp_path / "old.tar.gz")
    assert not check_bundle(old)["ok"]
    res = check_bundle(make_bundle(run, old, force=True))
    assert res["ok"], res["problems"]


def test_a_bundle_with_eval_rows_missing_one_file_is_not_called_old(honest, tmp_path):
    def drop(name, data):
        if name.endswith("/eval_rows/eval/eval.jsonl"):
            return None
        if name.endswith("/bundle_manifest.json"):
            m = json.loads(data)
            m["files"] = [f for f in m["files"] if f["path"] != "eval_rows/eval/eval.jsonl"]
            return json.dumps(m).encode()
        return data

    _rewrite_signed(honest[1], tmp_path / "dropped.tar.gz", drop)
    res = check_bundle(tmp_path / "dropped.tar.gz")
    assert not res["ok"] and not any(p.startswith(OLD) for p in res["problems"])
    assert any(p.startswith("eval/eval_report.json scored rows ") for p in res["problems"]), res["problems"]


def test_a_bundle_listing_rows_it_does_not_hold_is_not_called_old(honest, tmp_path):
    res = check_bundle(_old(honest[1], tmp_path / "listed.tar.gz", keep_listed=True))
    assert not res["ok"] and not any(p.startswith(OLD) for p in res["problems"])
    assert "missing: eval_rows/eval/eval.jsonl" in res["problems"], res["problems"]


def test_a_bundle_whose_scored_rows_were_gone_when_bundling_is_not_called_old(honest, tmp_path):
    res = check_bundle(_old(honest[1], tmp_path / "gone.tar.gz", missing_expected=["rows eval/eval_report.json scored"]))
    assert not res["ok"] and not any(p.startswith(OLD) for p in res["problems"])
    assert any(p.startswith("eval/eval_report.json scored rows ") for p in res["problems"]), res["problems"]


def _reports(rels: list[str]):
    kept = {rel: b"{}" for rel in rels}
    return kept, (lambda rel: {"config": {"input_sha256": "ab" * 32}} if rel in kept else None)


def test_made_before_rows_needs_reports_that_scored_rows():
    kept, read = _reports(["sft_fit/eval_report.json"])  # fits' rows (the SFT file) are never bundled
    assert made_before_rows({"files": [], "run_name": "r"}, {}, kept, read, "b.tar.gz") is None
    kept, read = _reports(["eval/eval_report.json"])
    said = made_before_rows({"files": [{"path": "eval/eval_report.json"}]}, {"eval/eval_report.json": "x"}, kept, read, "b.tar.gz")
    assert said is not None and "eval/eval_report.json scored" in said and "--run-dir RUN_DIR --out b.tar.gz --force" in said
