"""End-to-end evals on tiny Llama, GPT-2 and picochat checkpoints: generation, reports, fit (the leaderboard: tests/test_leaderboard.py)."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main
from picochat_hf.eval.chat_eval import run_chat_eval
from picochat_hf.eval.external import run_external_eval, write_demo_arc_file
from picochat_hf.eval.generation import generate_replies
from picochat_hf.eval.model_io import encode_prompt, load_model
from picochat_hf.eval.sft_fit import heldout_check, run_sft_fit
from picochat_hf.eval.splits import split_train_heldout
from picochat_hf.eval.stats import wilson_ci
from picochat_hf.utils.errors import PicochatInputError

from eval_fixtures import chat_row, gpt2_model, llama_model, save_checkpoint, write_jsonl
from helpers_model import randomize, tiny_model

QUESTIONS = [f"Tell me something about the number {i} and the {w}." for i, w in enumerate(["river", "house", "garden", "city", "book", "road", "song", "tree"])]
NEW = 8


@pytest.fixture(scope="module")
def llama_dir(tiny_tokenizer, tmp_path_factory):
    return save_checkpoint(llama_model(tiny_tokenizer, seed=1), tiny_tokenizer, tmp_path_factory.mktemp("llama"))


@pytest.fixture(scope="module")
def picochat_dir(tiny_tokenizer, tmp_path_factory):
    model = randomize(tiny_model(seed=3, vocab_size=len(tiny_tokenizer), max_position_embeddings=512,
                                 bos_token_id=tiny_tokenizer.bos_token_id, eos_token_id=tiny_tokenizer.eos_token_id,
                                 pad_token_id=tiny_tokenizer.pad_token_id), seed=3, std=0.1)  # fmt: skip
    return save_checkpoint(model, tiny_tokenizer, tmp_path_factory.mktemp("picochat"))


def _reference_replies(folder, questions):
    """One row at a time, no KV cache: the slow path every batched result must equal."""
    loaded = load_model(folder)
    prompts = [encode_prompt(loaded.tokenizer, [{"role": "user", "content": q}]) for q in questions]
    return [r.text for r in generate_replies(loaded, prompts, max_new_tokens=NEW, batch_size=1, use_cache=False, progress=False)], loaded


@pytest.mark.parametrize("which", ["llama", "gpt2", "picochat"])
def test_batched_cached_generation_equals_one_by_one(which, tiny_tokenizer, llama_dir, picochat_dir, tmp_path):
    folder = {"llama": llama_dir, "picochat": picochat_dir}.get(which) or save_checkpoint(gpt2_model(tiny_tokenizer, seed=2), tiny_tokenizer, tmp_path / "gpt2")
    ref, loaded = _reference_replies(folder, QUESTIONS)
    prompts = [encode_prompt(loaded.tokenizer, [{"role": "user", "content": q}]) for q in QUESTIONS]
    assert len({len(p) for p in prompts}) > 1  # left padding really happens
    fast = generate_replies(loaded, prompts, max_new_tokens=NEW, batch_size=5, progress=False)
    assert [r.text for r in fast] == ref
    assert any(r.num_tokens > 0 for r in fast)


def test_chat_eval_scores_known_outcomes(llama_dir, tmp_path):
    ref, _ = _reference_replies(llama_dir, QUESTIONS)
    assert all(r.strip() for r in ref)  # real replies, not empty strings that trivially match
    rows = []
    for i, (q, reply) in enumerate(zip(QUESTIONS, ref, strict=True)):
        if i % 2 == 0:  # the model's own answer: must pass
            rows.append(chat_row(i, q, skill="math", category="own_answer", reference_answer=reply))
        else:  # a word the model never says: must fail
            rows.append(chat_row(i, q, skill="general", category="impossible", must_include=["xylophonequartz"]))
    rows.append(chat_row(99, "What is the secret code of my bank account?", skill="refusal", category="refusal"))
    path = write_jsonl(tmp_path / "rows.jsonl", rows)
    rep = run_chat_eval(path, llama_dir, tmp_path / "eval", max_new_tokens=NEW, batch_size=3, progress=False)
    s = rep["summary"]
    assert (s["n"], s["passed"]) == (9, 4)
    assert s["ci"] == wilson_ci(4, 9) and s["ci_method"] == "wilson"
    assert s["by_category"]["own_answer"]["passed"] == 4 and s["by_category"]["impossible"]["passed"] == 0
    assert list(s["by_category"])[0] in ("impossible", "refusal")  # weakest first
    assert s["refusal_pass_rate"] == 0.0 and s["unsupported_claim_rate"] == 1.0 and s["unsupported_claim_n"] == 1
    assert s["baselines"]["random"] is None and rep["model"]["model_type"] == "llama"
    on_disk = json.loads((tmp_path / "eval" / "eval_report.json").read_text())
    assert on_disk["summary"]["passed"] == 4 and on_disk["kind"] == "chat"
    assert len((tmp_path / "eval" / "results.jsonl").read_text().splitlines()) == 9
    md = (tmp_path / "eval" / "report.md").read_text()
    assert "## Failing examples" in md and md.index("| impossible |") < md.index("| own_answer |")
    with pytest.raises(PicochatInputError, match="--force"):
        run_chat_eval(path, llama_dir, tmp_path / "eval", max_new_tokens=NEW, progress=False)


def test_chat_eval_gpt2_with_separate_tokenizer_and_choice_rows(tiny_tokenizer, tmp_path, capsys):
    ckpt = tmp_path / "gpt2"
    gpt2_model(tiny_tokenizer, seed=5).save_pretrained(ckpt)  # no tokenizer in the folder
    tok_dir = tmp_path / "tok"
    tiny_tokenizer.save_pretrained(tok_dir)
    rows = [chat_row(i, f"Pick one for item {i}.", skill="choice", category="pick", choices=["red", "green", "blue"], correct_choice="ABC"[i % 3]) for i in range(6)]
    rows.append(chat_row(7, "Say hello.", must_include=["hi"], must_not_include=["hello"]))
    path = write_jsonl(tmp_path / "rows.jsonl", rows)
    rc = main(["eval", "chat", "--input", str(path), "--checkpoint", str(ckpt), "--tokenizer", str(tok_dir),
               "--out-dir", str(tmp_path / "out"), "--max-new-tokens", "4", "--no-progress"])  # fmt: skip
    assert rc == 0
    rep = json.loads((tmp_path / "out" / "eval_report.json").read_text())
    assert rep["model"]["model_type"] == "gpt2" and rep["summary"]["choice"]["n"] == 6
    assert rep["summary"]["baselines"]["random"] == pytest.approx(1 / 3) and rep["summary"]["baselines"]["majority"] == pytest.approx(1 / 3)
    results = [json.loads(x) for x in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    for r in results[:6]:
        assert r["passed"] == (r["choice"]["pred"] == r["choice"]["gold"])
        assert r["choice"]["pred"] == max(r["choice"]["letter_logits"], key=r["choice"]["letter_logits"].get)
    assert "passed" in capsys.readouterr().out


def test_sft_fit_train_and_heldout_use_the_shared_split(picochat_dir, tmp_path):
    questions = [f"Question {i}: describe the {w}." for i, w in enumerate(["lake", "hill", "cat", "dog", "bird", "fish", "wind", "rain", "snow", "sun"])]
    ref, _ = _reference_replies(picochat_dir, questions)
    rows = []
    for i, (q, reply) in enumerate(zip(questions, ref, strict=True)):
        answer = reply if i < 8 and reply.strip() else "a zebra crossing the quiet road"
        rows.append({"id": f"s{i}", "group": f"g{i // 2}", "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": answer}],
                     "category": "c", "skill": "general", "split": "train", "source": "t"})  # fmt: skip
    path = write_jsonl(tmp_path / "sft.jsonl", rows)
    train_rows, held_rows = split_train_heldout(rows, 0.2, seed=0)
    fit = run_sft_fit(path, picochat_dir, tmp_path / "fit", heldout_fraction=0.2, max_new_tokens=NEW, progress=False)
    held = run_sft_fit(path, picochat_dir, tmp_path / "held", split="heldout", heldout_fraction=0.2, max_new_tokens=NEW, progress=False)
    assert fit["kind"] == "sft_fit" and held["kind"] == "sft_fit_heldout" and fit["config"]["split_key"] == "group"
    own = lambda rs: sum(1 for r in rs if int(r["id"][1:]) < 8 and ref[int(r["id"][1:])].strip())  # noqa: E731
    assert fit["summary"]["n"] == len(train_rows) and fit["summary"]["passed"] == own(train_rows)
    assert held["summary"]["n"] == len(held_rows) and held["summary"]["passed"] == own(held_rows)
    held_ids = {json.loads(x)["id"] for x in (tmp_path / "held" / "results.jsonl").read_text().splitlines()}
    assert held_ids == {r["id"] for r in held_rows}
    assert fit["model"]["model_type"] == "picochat"
    assert held["config"]["heldout_check"]["status"] == "unknown" and fit["config"]["heldout_check"] is None
    assert "held-out check: cannot confirm" in (tmp_path / "held" / "report.md").read_text()


def test_heldout_check_reads_the_training_report(tmp_path):
    ckpt = tmp_path / "sft" / "checkpoint"
    ckpt.mkdir(parents=True)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("")
    report = tmp_path / "sft" / "train_report.json"
    report.write_text(json.dumps({"data": {"train_input": str(rows), "train_rows": 100}}))
    assert heldout_check(ckpt, rows, 100, 90, 0.1, 0)["status"] == "trained_on_heldout"
    report.write_text(json.dumps({"data": {"train_input": "other.jsonl", "train_rows": 90}}))
    assert heldout_check(ckpt, rows, 100, 90, 0.1, 0)["status"] == "held_out"
    report.write_text(json.dumps({"data": {"train_input": str(rows), "train_rows": 100, "heldout": {"val_fraction": 0.1, "seed": 0}}}))
    assert heldout_check(ckpt, rows, 100, 90, 0.1, 0)["status"] == "held_out"
    assert heldout_check(ckpt, rows, 100, 90, 0.2, 0)["status"] == "trained_on_heldout"
    report.unlink()
    assert heldout_check(ckpt, rows, 100, 90, 0.1, 0)["status"] == "unknown"


def test_external_eval_report(llama_dir, tmp_path):
    demo = write_demo_arc_file(tmp_path / "arc.jsonl")
    rep = run_external_eval(demo, llama_dir, tmp_path / "ext", fmt="arc", benchmark_name="demo_arc", batch_size=7, progress=False)
    e = rep["external"]
    results = [json.loads(x) for x in (tmp_path / "ext" / "results.jsonl").read_text().splitlines()]
    assert e["n"] == 30 and e["random_baseline"] == 0.25 and rep["kind"] == "external"
    assert e["acc"] == sum(r["answer_text"]["acc"] for r in results) / 30
    assert e["letter_acc"] == sum(r["passed"] for r in results) / 30 == rep["summary"]["pass_rate"]
    assert e["ci"]["acc"] == wilson_ci(e["correct"]["acc"], 30)
    assert set(rep["summary"]["by_category"]) == {"external_python", "external_general"}
    assert "random baseline" in (tmp_path / "ext" / "report.md").read_text()
