"""The SFT preflight's contamination scan reads every text the model trained on: besides the SFT rows and the
plan's dataset pack, the documents base pretraining mixed in (`base/train_report.json` data.mix_documents, the
demo's task text), the base run's own documents file, and the embedded default corpus when the base run read no file
(data.source "default": here a tiny monkeypatched one). A file the base report names that is missing, changed since the
base run or unreadable blocks, naming the file and the field."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.schema import write_rows
from picochat_hf.gates import run_preflight
from picochat_hf.gates.preflight_corpus import embedded_line, embedded_text
from picochat_hf.utils.provenance import input_sha256

EVAL_PROMPTS = ["What is the capital city of the small made up land of Zorvania?", "How many legs does a spider walking on glass have?",
                "Spell the word lantern backwards for me please.", "Who painted the famous blue door in the old harbour town?"]
CLEAN_DOC = "The river bends twice before it reaches the sea, and the mill stands on the second bend."


def _eval_rows():
    return [{"id": f"e{i}", "skill": "general", "category": "general", "split": "eval", "source": "test",
             "messages": [{"role": "user", "content": p}], "must_include": ["ok"]} for i, p in enumerate(EVAL_PROMPTS)]


def _sft_rows():
    return [{"id": f"s{i}", "skill": "general", "category": "general", "split": "train", "source": "test",
             "messages": [{"role": "user", "content": f"Name a colour number {i}."}, {"role": "assistant", "content": f"Blue {i}."}]}
            for i in range(8)]


def _docs(path, texts):
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    return path


def _embed(monkeypatch, texts):
    """The embedded default corpus, as `data.default_corpus.iter_default_documents` yields it, made `texts`."""
    docs = [{"id": f"stdlib/m{i}/0", "text": t, "source": "python-stdlib"} for i, t in enumerate(texts)]
    monkeypatch.setattr("picochat_hf.data.default_corpus.iter_default_documents", lambda *a, **k: iter(docs))
    return docs


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    _embed(monkeypatch, [CLEAN_DOC])
    write_rows(tmp_path / "sft.jsonl", _sft_rows())
    write_rows(tmp_path / "eval.jsonl", _eval_rows())
    run = tmp_path / "run"
    plan = {"stage": "sft", "num_parameters": 1000, "flops_per_token": 6000, "seq_len": 64, "per_device_batch": 4, "grad_accum": 1,
            "world_size": 1, "tokens_per_step": 256, "max_steps": 10, "planned_tokens": 2560, "learning_rate": 1e-4, "device": "cpu",
            "precision": "fp32", "packing": "none", "sft_input": str(tmp_path / "sft.jsonl"), "eval_input": str(tmp_path / "eval.jsonl"),
            "dataset_pack": None, "tokenizer": None}
    return tmp_path, run, plan


def _base_report(run, mix, *, sha=None, source="default"):
    report = {"stage": "base", "status": "completed", "plan": {"stage": "base", "dataset_pack": None},
              "data": {"path": "in_memory", "source": source, "mix_documents": str(mix),
                       "mix_documents_sha256": sha if sha is not None else input_sha256(mix)}}
    path = run / "base" / "train_report.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report))


def _named(result, name):
    return next(c for c in result["checks"] if c["name"] == name)


def test_leak_in_the_mixed_documents_blocks_and_clean_mixed_documents_pass(setup):
    root, run, plan = setup
    _base_report(run, _docs(root / "task_text.jsonl", [CLEAN_DOC, f"Question: {EVAL_PROMPTS[0]} Answer: Zorvania City."]))
    leaky = run_preflight(plan, run, "skill_release")
    check = _named(leaky, "eval_contamination")
    assert leaky["status"] == "blocked" and check["status"] == "block", check["why"]
    assert "task_text.jsonl" in check["why"]  # the scan says what it read

    _base_report(run, _docs(root / "task_text.jsonl", [CLEAN_DOC, "Spelling practice: garden is g a r d e n."]))
    clean = run_preflight(plan, run, "skill_release")
    check = _named(clean, "eval_contamination")
    assert check["status"] == "pass" and "task_text.jsonl" in check["why"], check["why"]
    assert not any(c["name"] == "trained_text_scanned" for c in clean["checks"])


def test_leak_in_the_base_documents_file_blocks(setup):
    root, run, plan = setup
    mix = _docs(root / "task_text.jsonl", [CLEAN_DOC])
    _base_report(run, mix, source=str(_docs(root / "documents.jsonl", [f"{EVAL_PROMPTS[1]} Eight, of course."])))
    check = _named(run_preflight(plan, run, "skill_release"), "eval_contamination")
    assert check["status"] == "block" and "documents.jsonl" in check["why"], check["why"]


@pytest.mark.parametrize("break_it,said", [
    ("missing", "does not exist"),
    ("changed", "data.mix_documents_sha256"),
    ("no_text", "cannot be read as corpus text"),
])
def test_an_unreadable_or_changed_mixed_file_blocks_naming_it(setup, break_it, said):
    root, run, plan = setup
    mix = _docs(root / "task_text.jsonl", [CLEAN_DOC])
    if break_it == "missing":
        _base_report(run, root / "gone.jsonl", sha="ab" * 32)
        name = "gone.jsonl"
    elif break_it == "changed":
        _base_report(run, mix, sha="ab" * 32)
        name = "task_text.jsonl"
    else:
        mix.write_text(json.dumps({"id": "x", "body": CLEAN_DOC}) + "\n", encoding="utf-8")
        _base_report(run, mix)
        name = "task_text.jsonl"
    result = run_preflight(plan, run, "skill_release")
    check = _named(result, "trained_text_scanned")
    assert result["status"] == "blocked" and check["status"] == "block"
    assert name in check["why"] and "data.mix_documents" in check["why"] and said in check["why"], check["why"]


def test_run_honesty_report_stands_in_only_when_it_scanned_the_mixed_documents(setup):
    from picochat_hf.honesty.scan import run_scan

    root, run, plan = setup
    mix = _docs(root / "task_text.jsonl", [CLEAN_DOC])
    _base_report(run, mix)
    run_scan(eval_path=root / "eval.jsonl", sft_path=root / "sft.jsonl", out_dir=run / "honesty", show_progress=False)
    check = _named(run_preflight(plan, run, "skill_release"), "eval_contamination")
    assert "was not used: it did not scan task_text.jsonl (base/train_report.json data.mix_documents)" in check["why"], check["why"]
    assert check["status"] == "pass"  # the fresh scan read it, and it is clean

    embedded = root / "default.jsonl"  # the embedded corpus written out as its fingerprint reads it
    embedded.write_bytes(b"".join(embedded_line(d, t) for d, t in embedded_text().documents))
    run_scan(eval_path=root / "eval.jsonl", sft_path=root / "sft.jsonl", corpus_paths=[mix, embedded], out_dir=run / "honesty",
             show_progress=False, force=True)
    check = _named(run_preflight(plan, run, "skill_release"), "eval_contamination")
    assert check["status"] == "pass" and "honesty/honesty_report.json" in check["why"] and "not used" not in check["why"], check["why"]


@pytest.mark.parametrize("planted", [
    f"Question: {EVAL_PROMPTS[0]} Answer: Zorvania City.",
    f"{CLEAN_DOC}\n\nA note from the docs. {EVAL_PROMPTS[2]} It is nretnal. {CLEAN_DOC}",
])
def test_a_leak_in_the_embedded_default_corpus_blocks_naming_it(setup, monkeypatch, planted):
    root, run, plan = setup
    _embed(monkeypatch, [CLEAN_DOC, planted])
    _base_report(run, _docs(root / "task_text.jsonl", [CLEAN_DOC]))
    result = run_preflight(plan, run, "skill_release")
    check = _named(result, "eval_contamination")
    fingerprint = embedded_text().sha256
    assert result["status"] == "blocked" and check["status"] == "block", check["why"]
    assert f"the embedded default corpus (sha256 {fingerprint[:12]})" in check["why"], check["why"]


def test_a_clean_embedded_default_corpus_passes_and_is_named(setup):
    root, run, plan = setup
    _base_report(run, _docs(root / "task_text.jsonl", [CLEAN_DOC]))
    check = _named(run_preflight(plan, run, "skill_release"), "eval_contamination")
    assert check["status"] == "pass" and "the embedded default corpus (sha256 " in check["why"], check["why"]


def test_a_base_run_that_read_a_file_is_not_held_to_the_embedded_corpus(setup, monkeypatch):
    root, run, plan = setup
    _embed(monkeypatch, [f"Question: {EVAL_PROMPTS[0]} Answer: Zorvania City."])  # not what this base run read
    _base_report(run, _docs(root / "task_text.jsonl", [CLEAN_DOC]), source=str(_docs(root / "documents.jsonl", [CLEAN_DOC])))
    check = _named(run_preflight(plan, run, "skill_release"), "eval_contamination")
    assert check["status"] == "pass" and "embedded" not in check["why"] and "documents.jsonl" in check["why"], check["why"]


def test_an_embedded_corpus_with_no_documents_blocks_naming_it(setup, monkeypatch):
    root, run, plan = setup
    _embed(monkeypatch, [])
    _base_report(run, _docs(root / "task_text.jsonl", [CLEAN_DOC]))
    result = run_preflight(plan, run, "skill_release")
    check = _named(result, "trained_text_scanned")
    assert result["status"] == "blocked" and check["status"] == "block"
    assert "the embedded default corpus" in check["why"] and "data.source 'default'" in check["why"], check["why"]
