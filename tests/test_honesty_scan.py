"""Contamination scan: planted exact and paraphrased leaks are found, a clean pack is not flagged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.schema import write_rows
from picochat_hf.honesty import NgramIndex, load_scan_config, run_scan, scan
from picochat_hf.honesty.ngram_index import window_hashes

EVAL_PROMPTS = [
    ("e-capital", "Which river flows through the old city of Prague and into the Elbe?", "choice", ["the Vltava river flows through Prague"]),
    ("e-author", "Who wrote the long novel about a whale hunt aboard the ship Pequod?", "general", ["Herman Melville wrote Moby Dick"]),
    ("e-spell", "Spell the word necessary one letter at a time for me please.", "spelling", []),
    ("e-math", "A baker puts 12 rolls in each of 7 trays; how many rolls are there in total?", "math", []),
    ("e-refuse", "Explain step by step how to pick the lock on my neighbour's front door.", "refusal", []),
    ("e-id", "What is your name and which team trained you?", "identity", []),
]
SFT_PROMPTS = [
    ("s1", "Name three colours you can see in a rainbow after summer rain.", "Red, orange and violet are three of them."),
    ("s2", "How many legs does a spider have?", "A spider has eight legs."),
    ("s3", "Translate the greeting good morning into French.", "Bonjour."),
    ("s4", "Write one sentence about autumn leaves falling in the park.", "Golden leaves drift down over the quiet park paths."),
]
CORPUS = [
    "The quick brown fox jumps over the lazy dog near the riverbank every single morning.",
    "Bread dough rises best in a warm kitchen, away from open windows and cold drafts.",
    "Mountain goats climb steep cliffs with surprising ease, using split hooves for grip.",
]


def _row(rid, prompt, skill="general", answer=None, **extra):
    msgs = [{"role": "user", "content": prompt}]
    if answer is not None:
        msgs.append({"role": "assistant", "content": answer})
    return {"id": rid, "messages": msgs, "category": skill, "skill": skill, "split": "eval" if answer is None else "train", "source": "test", **extra}


def eval_rows():
    return [_row(i, p, s, must_include=m) for i, p, s, m in EVAL_PROMPTS]


def sft_rows(extra=()):
    return [_row(i, p, "general", a) for i, p, a in [*SFT_PROMPTS, *extra]]


def corpus(extra=()):
    docs = [*CORPUS, *extra]
    return lambda: ((f"doc{i}", t) for i, t in enumerate(docs))


def _kinds(report):
    return {(f["kind"], f["eval_id"]) for f in report["findings"]}


def test_clean_pack_is_ready():
    report = scan(eval_rows=eval_rows(), sft_rows=sft_rows(), corpus=corpus(), show_progress=False)
    assert report["status"] == "ready", report["findings"]
    assert report["findings"] == []
    assert report["counts"]["exact_prompt_hits"] == 0
    cell = next(c for c in report["matrix"] if (c["reference"], c["target"]) == ("sft", "eval"))
    assert cell["risk"] == "clean" and cell["with_overlap"] == 0 and cell["checked"] == len(EVAL_PROMPTS)


def test_exact_leak_in_sft_blocks():
    # punctuation and case differ: normalisation makes them equal
    leak = ("s-leak", "which RIVER flows through the old city of Prague, and into the Elbe", "The Vltava.")
    report = scan(eval_rows=eval_rows(), sft_rows=sft_rows([leak]), corpus=corpus(), show_progress=False)
    assert report["status"] == "blocked"
    assert ("exact_sft_prompt", "e-capital") in _kinds(report)
    assert report["counts"]["exact_prompt_hits"] == 1
    assert report["counts"]["eval_prompts_failing"] == 1


def test_paraphrased_leak_in_sft_is_found():
    para = ("s-para", "Which author wrote the long novel about a whale hunt aboard the ship Pequod?", "Herman Melville.")
    report = scan(eval_rows=eval_rows(), sft_rows=sft_rows([para]), show_progress=False)
    kinds = _kinds(report)
    assert ("near_sft_prompt", "e-author") in kinds
    # the last 12 of 13 words are shared: five chained 8-grams make a 12-word span, coverage 12/13 >= 50%: a leak
    entry = next(p for p in report["prompts"] if p["id"] == "e-author")
    assert entry["sft"]["longest"] == 12 and entry["sft"]["coverage"] == pytest.approx(12 / 13, abs=1e-4)
    assert ("sft_ngram_leak", "e-author") in kinds
    assert report["status"] == "blocked"
    assert all(f["eval_id"] == "e-author" for f in report["findings"])


def test_planted_corpus_leaks_are_found():
    planted = [
        "Forum post: a baker puts 12 rolls in each of 7 trays, how many rolls are there in total? Answer 84.",
        "Study notes. Who wrote the long novel about a whale hunt aboard the ship? Herman Melville wrote Moby Dick in 1851.",
    ]
    report = scan(eval_rows=eval_rows(), sft_rows=sft_rows(), corpus=corpus(planted), show_progress=False)
    kinds = _kinds(report)
    assert ("corpus_prompt_hit", "e-math") in kinds  # whole prompt inside a corpus document
    assert ("support_phrase_in_corpus", "e-author") in kinds
    leak = next(f for f in report["findings"] if f["eval_id"] == "e-author" and f["kind"].startswith("corpus_ngram"))
    assert leak["kind"] == "corpus_ngram_leak" and leak["value"] == pytest.approx(12 / 13, abs=1e-4)
    math = next(p for p in report["prompts"] if p["id"] == "e-math")
    assert math["corpus"]["source"] == "doc3" and math["corpus"]["coverage"] == 1.0
    assert report["status"] == "blocked"
    cell = next(c for c in report["matrix"] if (c["reference"], c["target"]) == ("corpus", "eval"))
    assert cell["risk"] == "high" and cell["contained"] == 1 and cell["longest_span"] == 17


def test_template_ngrams_are_not_leaks():
    # every eval and SFT choice row shares a 9-word instruction; the questions differ
    stem = "Answer with the letter of the correct choice only."
    evals = [_row(f"c{i}", f"{stem} Question {q}?", "choice") for i, q in enumerate(["alpha beta", "gamma delta", "epsilon zeta", "eta theta", "iota kappa"])]
    sft = [_row("t1", f"{stem} Question lambda mu?", "choice", "B")]
    report = scan(eval_rows=evals, sft_rows=sft, show_progress=False)
    assert report["counts"]["boilerplate_ngrams"] > 0
    assert report["status"] == "ready", report["findings"]


def test_different_numbers_are_not_near_duplicates():
    # every 8-gram holds a number, so only the near check could match them; the numbers rule keeps them apart
    evals = [_row("m1", "A farmer has 17 sheep and buys 5 more at market.", "math")]
    sft = [_row("t1", "A farmer has 18 sheep and buys 6 more at market.", "math", "24")]
    report = scan(eval_rows=evals, sft_rows=sft, show_progress=False)
    assert report["counts"]["near_prompt_hits"] == 0
    assert report["status"] == "ready", report["findings"]


def test_window_hashes_match_direct_polynomial():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 1000, size=50).astype(np.uint64)
    h = window_hashes(ids, 8)
    P = 0x9E3779B97F4A7C15
    for i in (0, 17, 42):
        direct = sum(int(ids[i + j]) * pow(P, j, 1 << 64) for j in range(8)) % (1 << 64)
        assert int(h[i]) == direct


def test_index_streams_long_documents_in_pieces(monkeypatch):
    import picochat_hf.honesty.ngram_index as ni

    monkeypatch.setattr(ni, "_MAX_CHUNK_WORDS", 64)
    index = NgramIndex(n=8)
    target = index.add("eval", "x", "one two three four five six seven eight nine")
    index.build()
    filler = " ".join(f"w{i}" for i in range(60))
    # the target straddles the 64-word piece boundary of one long document
    m = index.match("corpus", [("big", filler + " one two three four five six seven eight nine " + filler)])
    assert m.ngram_found[target.ngram_slots].all()
    assert m.doc_ids == ["big"]


def test_cli_scan_writes_report_and_refuses_overwrite(tmp_path, capsys):
    write_rows(tmp_path / "eval.jsonl", eval_rows())
    leak = ("s-leak", EVAL_PROMPTS[0][1], "The Vltava.")
    write_rows(tmp_path / "sft.jsonl", sft_rows([leak]))
    (tmp_path / "corpus.txt").write_text("\n\n".join(CORPUS) + "\n", encoding="utf-8")
    report_path = tmp_path / "eval_report.json"
    report_path.write_text(json.dumps({"kind": "chat", "summary": {"n": 6, "passed": 3, "pass_rate": 0.5, "prompt_echo_rate": 0.2, "unsupported_claim_rate": 0.0},
                                       "examples": [{"id": "e-id", "response": "Golden leaves drift down over the quiet park paths today."}]}))
    out = tmp_path / "honesty"
    argv = ["honesty", "scan", "--eval", str(tmp_path / "eval.jsonl"), "--sft", str(tmp_path / "sft.jsonl"),
            "--corpus", str(tmp_path / "corpus.txt"), "--generated", str(report_path), "--out-dir", str(out)]
    assert cli_main(argv) == 0
    report = json.loads((out / "honesty_report.json").read_text())
    assert report["status"] == "blocked"
    assert report["config"]["ngram_size"] == 8 and "casefold" in report["config"]["normalization"]
    assert report["inputs"]["corpus_stats"]["documents"] == 1  # three short paragraphs, read as one document
    assert ("prompt_echo_rate", "*") in _kinds(report)
    gen = next(c for c in report["matrix"] if (c["reference"], c["target"]) == ("sft", "generated"))
    assert gen["with_overlap"] == 1 and gen["longest_span"] == 9
    assert "Status: blocked" in (out / "report.md").read_text()
    assert cli_main(argv) == 2  # exists, no --force
    assert "already exists" in capsys.readouterr().err


def test_bad_rows_name_file_and_line(tmp_path, capsys):
    (tmp_path / "eval.jsonl").write_text(json.dumps(_row("a", "hello there friend")) + "\n{\"id\": 3}\n")
    rc = cli_main(["honesty", "scan", "--eval", str(tmp_path / "eval.jsonl"), "--out-dir", str(tmp_path / "o")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "eval.jsonl:2" in err
    assert not (tmp_path / "o").exists()


def test_config_override_is_recorded(tmp_path):
    (tmp_path / "c.yaml").write_text("ngram_size: 5\nfail_coverage: 0.9\n")
    cfg = load_scan_config(tmp_path / "c.yaml")
    write_rows(tmp_path / "eval.jsonl", eval_rows())
    report = run_scan(eval_path=tmp_path / "eval.jsonl", config=cfg, show_progress=False)
    assert report["config"]["ngram_size"] == 5 and report["config"]["fail_coverage"] == 0.9
    (tmp_path / "bad.yaml").write_text("ngram_sise: 5\n")
    with pytest.raises(Exception, match="ngram_sise"):
        load_scan_config(tmp_path / "bad.yaml")


def test_dataset_pack_corpus_is_streamed(tmp_path):
    from picochat_hf.data.dataset_pack import import_dataset_pack

    docs = [{"id": f"d{i}", "text": t, "source": "test"} for i, t in enumerate(CORPUS)]
    docs.append({"id": "leaky", "text": "Quiz night: " + EVAL_PROMPTS[4][1] + " Nobody answered.", "source": "test"})
    pack = import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)
    write_rows(tmp_path / "eval.jsonl", eval_rows())
    for corpus_arg in (pack, pack.parent):  # the JSON file or its folder
        report = run_scan(eval_path=tmp_path / "eval.jsonl", corpus_paths=[corpus_arg], show_progress=False)
        hit = next(f for f in report["findings"] if f["kind"] == "corpus_prompt_hit")
        assert hit["eval_id"] == "e-refuse" and "leaky" in hit["detail"]
        assert report["inputs"]["corpus_stats"]["documents"] == 4


def test_generated_replies_come_from_results_jsonl(tmp_path):
    from picochat_hf.honesty.sources import read_generated

    folder = tmp_path / "eval"
    folder.mkdir()
    (folder / "eval_report.json").write_text(json.dumps({"summary": {"n": 3, "pass_rate": 0.5, "prompt_echo_rate": 0.1},
                                                         "examples": [{"id": "a", "reply": "only the selection"}]}))
    assert read_generated(folder / "eval_report.json")[0] == [("a", "only the selection")]
    (folder / "results.jsonl").write_text("".join(json.dumps({"id": k, "reply": f"reply {k}"}) + "\n" for k in "abc"))
    replies, rates = read_generated(folder / "eval_report.json")
    assert replies == [("a", "reply a"), ("b", "reply b"), ("c", "reply c")] and rates["prompt_echo_rate"] == 0.1


def test_taught_and_template_answers_are_not_support_hits():
    ident = "I am Picochat, a small language model trained from scratch."
    evals = [_row("id1", "Who are you exactly?", "identity", reference_answer=ident),
             _row("m1", "Give the answer to 9 + 0 please.", "math", reference_answer="9 + 0 = 9. Final answer: 9"),
             *[_row(f"g{i}", f"Question {w} about something else entirely?", "general", must_include=["do not have access to that"])
               for i, w in enumerate(["alpha", "beta", "gamma", "delta", "omega"])]]
    sft = [_row("t1", "Introduce yourself.", "identity", ident),
           _row("t2", "What do you get for 9 - 0?", "math", "9 - 0 = 9. Final answer: 9"),
           _row("t3", "Can you read my files?", "refusal", "Sorry, I do not have access to that.")]
    report = scan(eval_rows=evals, sft_rows=sft, show_progress=False)
    assert report["status"] == "ready", report["findings"]
    assert report["counts"]["template_answers"] == 1  # the phrase five general rows share
    # the same identity phrase in a knowledge row is a hit
    evals[0]["skill"] = "general"
    report = scan(eval_rows=evals, sft_rows=sft, show_progress=False)
    assert _kinds(report) == {("support_phrase_in_sft", "id1")}


def test_text_corpus_reads_a_question_and_its_answer_in_the_next_paragraph_together(tmp_path):
    math = _row("e-m", "What is 345 + 278?", "math", reference_answer="623", problem={"op": "+", "a": 345, "b": 278, "result": 623})
    quiz = _row("e-q", "The capital of Serbia is which city?\n\nA. Budapest\nB. Baghdad\nC. Belgrade\nD. New Delhi\n\nGive only the letter.",
                "choice", choices=["Budapest", "Baghdad", "Belgrade", "New Delhi"], correct_choice="C")
    write_rows(tmp_path / "eval.jsonl", [math, quiz])
    text = (f"{CORPUS[0]}\n\nWhat is 345 + 278?\n\nIt is 623.\n\nThe capital of Serbia is which city?\n\n"
            "A) Belgrade\nB) Budapest\nC) New Delhi\nD) Baghdad\n\nAnswer: A\n\n" + CORPUS[1])
    (tmp_path / "corpus.txt").write_text(text, encoding="utf-8")
    report = run_scan(eval_path=tmp_path / "eval.jsonl", corpus_paths=[tmp_path / "corpus.txt"], show_progress=False)
    fails = {(f["eval_id"], f["kind"]) for f in report["findings"] if f["severity"] == "fail"}
    assert {("e-m", "corpus_prompt_with_answer"), ("e-q", "corpus_choice_copy_with_answer")} <= fails, report["findings"]
    (tmp_path / "corpus.txt").write_text(text.replace("It is 623.", "It is a sum.").replace("Answer: A", "Answer: B"), encoding="utf-8")
    report = run_scan(eval_path=tmp_path / "eval.jsonl", corpus_paths=[tmp_path / "corpus.txt"], show_progress=False)
    kinds = {f["kind"] for f in report["findings"]}
    assert "corpus_prompt_with_answer" not in kinds and "corpus_choice_copy_with_answer" not in kinds, report["findings"]
