"""A base run on the embedded default corpus (no dataset pack, no documents file) records the corpus's fingerprint in its
train report (`data.default_corpus_sha256`, the sha256 the SFT preflight computes: `preflight_corpus.embedded_text`) and
the run manifest; the release gate's `honesty_embedded_corpus` holds the honesty scan to it. A scan that read that
corpus, written after the training it speaks for, leaves the verdict as it was; a scan that is missing, read only the
eval and SFT rows or another corpus, is undated or older than the checkpoint blocks, naming the corpus and both
fingerprints; a base report without the fingerprint is missing evidence. The SFT preflight names a recorded fingerprint
this Python's corpus does not have."""

from __future__ import annotations

import hashlib
import json

import pytest
from gate_fixtures import TRAIN_DATE, all_pass_but_rerun, build_chain, check_named, edit_json, read_json_file

from picochat_hf.gates import run_release_gate
from picochat_hf.gates.preflight_corpus import EMBEDDED, embedded_line, embedded_text, trained_texts
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import utc_now

NAME = "honesty_embedded_corpus"
DOCS = [("stdlib/m0/0", "The river bends twice before it reaches the sea."), ("stdlib/m1/0", "A mill stands on the second bend.")]
FP = hashlib.sha256(b"".join(embedded_line(d, t) for d, t in DOCS)).hexdigest()  # the fingerprint of DOCS, as JSONL lines
OTHER = "0f" * 32  # another Python's embedded corpus


def _embed(monkeypatch, docs=DOCS):
    """The embedded default corpus made `docs` (as `data.default_corpus.iter_default_documents` yields documents)."""
    rows = [{"id": d, "text": t, "source": "python-stdlib"} for d, t in docs]
    monkeypatch.setattr("picochat_hf.data.default_corpus.iter_default_documents", lambda *a, **k: iter(rows))


def _embedded_base(report: dict, fingerprint: str | None) -> None:
    """The base report of a run that pretrained in memory on the embedded corpus (no pack, no documents file)."""
    report["plan"] = {"stage": "base", "dataset_pack": None}
    report["data"] = {"path": "in_memory", "source": "default", "mix_documents": None, "mix_documents_sha256": None,
                      **({"default_corpus_sha256": fingerprint} if fingerprint else {})}
    report["inputs"] = {k: v for k, v in report["inputs"].items() if k != "dataset_pack_sha256"}


def _scan(report: dict, corpus: dict[str, str], created_at: str | None) -> None:
    """The honesty report made a scan of `corpus` ({file: sha256}; {} for the eval and SFT rows only), dated `created_at`."""
    report["inputs"]["corpus"] = list(corpus)
    report["inputs"]["sha256"]["corpus"] = dict(corpus)
    report["inputs"]["corpus_stats"] = {"documents": len(DOCS) if corpus else 0}
    report.pop("provenance", None)
    if created_at is not None:
        report["provenance"] = {"created_at": created_at}


def _chain(tmp_path, *, fingerprint: str | None = FP, corpus: dict[str, str] | None = None, created_at: str | None = "now") -> RunDir:
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("base"), lambda r: _embedded_base(r, fingerprint))
    edit_json(run.honesty_report, lambda r: _scan(r, {"default.jsonl": FP} if corpus is None else corpus,
                                                  utc_now() if created_at == "now" else created_at))
    return run


def _gate(run: RunDir, profile: str = "skill_release") -> tuple[dict, dict]:
    result = run_release_gate(run.root, profile)
    return result, check_named(result, NAME)


def test_a_scan_of_the_trained_embedded_corpus_leaves_the_verdict_unchanged(tmp_path):
    result, c = _gate(_chain(tmp_path))
    assert all_pass_but_rerun(result), [(x["name"], x["why"]) for x in result["checks"] if x["status"] != "pass"]
    assert c["status"] == "pass" and c["value"] == FP[:12] and c["threshold"] == FP[:12]
    assert EMBEDDED in c["why"] and FP[:12] in c["why"], c["why"]


def test_a_scan_of_several_corpora_holding_the_trained_one_passes(tmp_path):
    _, c = _gate(_chain(tmp_path, corpus={"docs.jsonl": OTHER, "default.jsonl": FP}))
    assert c["status"] == "pass", c["why"]


def test_a_base_run_on_a_dataset_pack_gets_no_embedded_corpus_check(tmp_path):
    result = run_release_gate(build_chain(tmp_path), "skill_release")
    assert all_pass_but_rerun(result) and NAME not in [x["name"] for x in result["checks"]]


def test_a_missing_scan_blocks_naming_the_corpus_and_its_fingerprint(tmp_path):
    run = _chain(tmp_path)
    run.honesty_report.unlink()
    result, c = _gate(run)
    assert result["status"] == "blocked" and c["status"] == "block"
    assert EMBEDDED in c["why"] and f"sha256 {FP[:12]}" in c["why"] and "is missing" in c["why"] and "scanned corpus: none" in c["why"]


def test_a_scan_of_only_the_sft_and_eval_rows_blocks(tmp_path):
    result, c = _gate(_chain(tmp_path, corpus={}))
    assert result["status"] == "blocked" and c["status"] == "block"
    assert EMBEDDED in c["why"] and FP[:12] in c["why"] and "scanned corpus none (only the eval and SFT rows)" in c["why"], c["why"]
    assert c["value"] == "none (only the eval and SFT rows)" and c["threshold"] == FP[:12]


def test_a_scan_of_another_corpus_fingerprint_blocks_naming_both(tmp_path):
    result, c = _gate(_chain(tmp_path, corpus={"default.jsonl": OTHER}))
    assert result["status"] == "blocked" and c["status"] == "block"
    assert EMBEDDED in c["why"] and f"(sha256 {FP[:12]})" in c["why"] and f"scanned corpus {OTHER[:12]}" in c["why"], c["why"]
    assert check_named(result, "honesty_corpus")["status"] == "pass"  # it read documents: only the fingerprint tells


def test_another_corpus_warns_under_research(tmp_path):
    result, c = _gate(_chain(tmp_path, corpus={"default.jsonl": OTHER}), "research")
    assert c["status"] == "warn" and OTHER[:12] in c["why"] and result["status"] != "approved"


@pytest.mark.parametrize("scanned_at, before", [
    ("1999-12-31T00:00:00+00:00", "sft/train_report.json"),  # before every training report
    ("2000-01-01T12:00:00+00:00", "sft/train_report.json"),  # after the base run, before the SFT run that wrote the release
])
def test_a_scan_older_than_the_checkpoint_blocks(tmp_path, scanned_at, before):
    run = _chain(tmp_path, created_at=scanned_at)
    edit_json(run.train_report("base"), lambda r: r["provenance"].update(created_at="2000-01-01T06:00:00+00:00"))
    result, c = _gate(run)
    assert result["status"] == "blocked" and c["status"] == "block"
    assert c["value"] == scanned_at and c["threshold"] == TRAIN_DATE
    assert f"before {before} at {TRAIN_DATE}" in c["why"] and "stale" in c["why"] and FP[:12] in c["why"], c["why"]


def test_a_scan_older_than_the_base_run_it_speaks_for_blocks(tmp_path):
    """The base run that read the corpus was trained after the scan (and after the SFT report's date, as a retrained
    base would be): the scan predates the text it is said to cover."""
    run = _chain(tmp_path, created_at="2000-01-03T00:00:00+00:00")
    edit_json(run.train_report("base"), lambda r: r["provenance"].update(created_at="2000-01-04T00:00:00+00:00"))
    _, c = _gate(run)
    assert c["status"] == "block" and "before base/train_report.json at 2000-01-04T00:00:00+00:00" in c["why"], c["why"]


def test_an_undated_scan_blocks(tmp_path):
    result, c = _gate(_chain(tmp_path, created_at=None))
    assert result["status"] == "blocked" and c["status"] == "block"
    assert "records no readable provenance.created_at" in c["why"] and FP[:12] in c["why"], c["why"]


@pytest.mark.parametrize("profile, status", [("skill_release", "block"), ("research", "warn")])
def test_a_base_report_without_the_fingerprint_is_missing_evidence(tmp_path, profile, status):
    _, c = _gate(_chain(tmp_path, fingerprint=None), profile)
    assert c["status"] == status and "records no data.default_corpus_sha256" in c["why"] and FP[:12] in c["why"], c["why"]
    assert EMBEDDED in c["why"]


def test_the_scan_the_sentence_asks_for_passes_and_rescans_the_same(tmp_path, monkeypatch):
    """The embedded corpus written out as `embedded_line` lines and scanned: the scan records the base run's fingerprint,
    and `--rescan` finds the same findings in the same file."""
    from picochat_hf.honesty.scan import run_scan

    _embed(monkeypatch)
    run = _chain(tmp_path)
    corpus = run.root / "default.jsonl"
    corpus.write_bytes(b"".join(embedded_line(d, t) for d, t in embedded_text().documents))
    run_scan(eval_path=run.task_pack_dir / "eval.jsonl", sft_path=run.task_pack_dir / "sft.jsonl", corpus_paths=[corpus],
             out_dir=run.honesty_dir, show_progress=False, force=True)
    assert FP in read_json_file(run.honesty_report)["inputs"]["sha256"]["corpus"].values()
    result = run_release_gate(run.root, "skill_release", rescan=True)
    assert check_named(result, NAME)["status"] == "pass" and check_named(result, "honesty_rescanned")["status"] == "pass"


def test_scan_default_corpus_flag_records_the_base_runs_fingerprint_and_passes(tmp_path, monkeypatch):
    """`picochat honesty scan --default-corpus` is the scan the block asks for: it writes the embedded corpus beside the
    report, records the base run's fingerprint, and the check passes; a second run reuses the identical file."""
    from picochat_hf.cli import main as cli_main

    _embed(monkeypatch)
    run = _chain(tmp_path)
    argv = ["honesty", "scan", "--eval", str(run.task_pack_dir / "eval.jsonl"), "--sft", str(run.task_pack_dir / "sft.jsonl"),
            "--default-corpus", "--out-dir", str(run.honesty_dir), "--force"]
    assert cli_main(argv) == 0
    written = run.honesty_dir / "default_corpus.jsonl"
    assert hashlib.sha256(written.read_bytes()).hexdigest() == FP
    assert FP in read_json_file(run.honesty_report)["inputs"]["sha256"]["corpus"].values()
    assert check_named(run_release_gate(run.root, "skill_release"), NAME)["status"] == "pass"
    assert cli_main(argv) == 0 and hashlib.sha256(written.read_bytes()).hexdigest() == FP


def test_scan_default_corpus_keeps_another_file_of_that_name_without_force(tmp_path, monkeypatch, capsys):
    from picochat_hf.cli import main as cli_main

    _embed(monkeypatch)
    run = _chain(tmp_path)
    out = tmp_path / "scan"
    out.mkdir()
    (out / "default_corpus.jsonl").write_text('{"id": "mine", "text": "a user file"}\n', encoding="utf-8")
    argv = ["honesty", "scan", "--eval", str(run.task_pack_dir / "eval.jsonl"), "--default-corpus", "--out-dir", str(out)]
    assert cli_main(argv) == 2
    assert "default_corpus.jsonl" in capsys.readouterr().err and not (out / "honesty_report.json").exists()
    assert (out / "default_corpus.jsonl").read_text(encoding="utf-8") == '{"id": "mine", "text": "a user file"}\n'
    assert cli_main([*argv, "--force"]) == 0
    assert hashlib.sha256((out / "default_corpus.jsonl").read_bytes()).hexdigest() == FP


# ---- the fingerprint as base pretraining records it, and the preflight's use of it


def test_in_memory_pretraining_on_the_embedded_corpus_records_its_fingerprint(monkeypatch, tiny_tokenizer):
    from types import SimpleNamespace

    from picochat_hf.training import pretrain

    docs = [(f"stdlib/m{i}/0", f"The fox number {i} jumps over the lazy dog again.") for i in range(12)]
    _embed(monkeypatch, docs)
    config = SimpleNamespace(max_documents=None, val_fraction=0.2, max_length=64, dataset_pack=None, documents=None, mix_documents=None)
    want = hashlib.sha256(b"".join(embedded_line(d, t) for d, t in docs)).hexdigest()
    assert pretrain._in_memory_data(config, tiny_tokenizer)[2]["default_corpus_sha256"] == want == embedded_text().sha256
    config.documents = "default"
    assert pretrain._in_memory_data(config, tiny_tokenizer)[2]["default_corpus_sha256"] == want


def test_pretraining_on_a_file_records_no_corpus_fingerprint(monkeypatch, tiny_tokenizer, tmp_path):
    from types import SimpleNamespace

    from picochat_hf.training import pretrain

    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"text": f"The fox number {i} jumps."}) + "\n" for i in range(12)), encoding="utf-8")
    _embed(monkeypatch)
    config = SimpleNamespace(max_documents=None, val_fraction=0.2, max_length=64, dataset_pack=None, documents=str(docs), mix_documents=None)
    assert pretrain._in_memory_data(config, tiny_tokenizer)[2]["default_corpus_sha256"] is None


def test_a_base_run_on_the_embedded_corpus_writes_the_fingerprint_to_its_report_and_the_manifest(monkeypatch, tmp_path):
    from test_train_planned_tokens import _run

    from picochat_hf.utils.run_manifest import build_run_manifest

    docs = [(f"stdlib/m{i}/0", f"the fox {i} jumps over the dog.") for i in range(40)]
    _embed(monkeypatch, docs)
    want = hashlib.sha256(b"".join(embedded_line(d, t) for d, t in docs)).hexdigest()
    report = _run(monkeypatch, tmp_path, documents="default")
    assert report["data"]["source"] == "default" and report["data"]["default_corpus_sha256"] == want
    assert build_run_manifest(tmp_path / "run")["data"]["default_corpus_sha256"] == want


def _base(fingerprint: str | None) -> dict:
    report = {"inputs": {}}
    _embedded_base(report, fingerprint)
    return report


def test_the_preflight_scans_the_embedded_corpus_it_trained_on(monkeypatch):
    _embed(monkeypatch)
    texts, problems = trained_texts(None, _base(FP))
    assert problems == [] and [t.sha256 for t in texts] == [FP]
    texts, problems = trained_texts(None, _base(None))  # an older base report: this Python's corpus, as before
    assert problems == [] and [t.sha256 for t in texts] == [FP]


def test_the_preflight_names_a_recorded_fingerprint_this_python_does_not_give(monkeypatch):
    _embed(monkeypatch)
    texts, problems = trained_texts(None, _base(OTHER))
    assert texts == [] and len(problems) == 1
    assert f"sha256 {FP[:12]} in this Python" in problems[0] and f"trained on {OTHER[:12]}" in problems[0], problems
    assert "data.default_corpus_sha256" in problems[0]


def test_bundle_check_rederives_the_check_and_fails_a_verdict_edited_to_pass_it(tmp_path):
    """`honesty_embedded_corpus` reads only the bundled scan and train reports: `bundle --check` gives it again, so a
    verdict whose blocking check was edited to pass (status, value and sentence) fails the check, naming it."""
    from test_bundle_verdict import _forge_verdict

    from picochat_hf.export import check_bundle, make_bundle

    run = _chain(tmp_path, corpus={"default.jsonl": OTHER})
    result, c = _gate(run)
    assert c["status"] == "block"
    bundle = make_bundle(run.root, tmp_path / "b.tar.gz")
    assert not any(NAME in p for p in check_bundle(bundle)["problems"])  # the verdict agrees with its evidence

    def forge(verdict):
        forged = next(x for x in verdict["checks"] if x["name"] == NAME)
        forged.update(status="pass", value=FP[:12], why="The honesty scan read the embedded default corpus.")

    problems = check_bundle(_forge_verdict(bundle, tmp_path / "forged.tar.gz", forge))["problems"]
    said = [p for p in problems if p.startswith(f"gates/release.json records {NAME} as pass")]
    assert said and "gives block" in said[0] and OTHER[:12] in said[0], problems
