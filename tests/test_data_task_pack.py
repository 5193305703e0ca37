"""Task packs: determinism, SFT/eval disjointness, correct answers, scoreable rules, promote/force semantics."""

from __future__ import annotations

import json
import re

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data import task_pack as tp
from picochat_hf.data.dataset_pack import import_dataset_pack, load_dataset_pack
from picochat_hf.data.dedup import normalize_text
from picochat_hf.eval.scoring import extract_final_answer, normalize_answer, reply_passes, rule_failures
from picochat_hf.data.schema import read_rows
from picochat_hf.data.skills import Task
from picochat_hf.data.skills.choice import CAPITALS, DAYS, MONTHS, OPPOSITES
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import sha256_file


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """One capability pack per answer style, plus a balanced and a release pack (small row counts)."""
    root = tmp_path_factory.mktemp("packs")
    out = {}
    for name, kwargs in {
        "scratch": dict(profile="capability", answer_style="scratchpad"),
        "direct": dict(profile="capability", answer_style="direct"),
        "balanced": dict(profile="balanced", answer_style="scratchpad"),
        "release": dict(profile="release", answer_style="direct"),
    }.items():
        paths = tp.build_task_pack(root / name, sft_rows=600, eval_rows=200, seed=3, **kwargs)
        out[name] = {k: p for k, p in paths.items()}
        out[name]["rows_sft"] = read_rows(paths["sft"], require_provenance=True)
        out[name]["rows_eval"] = read_rows(paths["eval"], require_provenance=True)
    return out


def _all_rows(packs):
    for pack in packs.values():
        yield from pack["rows_sft"]
        yield from pack["rows_eval"]


def test_deterministic_by_seed(tmp_path, packs):
    again = tp.build_task_pack(tmp_path / "again", profile="capability", answer_style="scratchpad", sft_rows=600,
                               eval_rows=200, seed=3)
    assert sha256_file(again["sft"]) == sha256_file(packs["scratch"]["sft"])
    assert sha256_file(again["eval"]) == sha256_file(packs["scratch"]["eval"])
    other = tp.build_task_pack(tmp_path / "other", profile="capability", answer_style="scratchpad", sft_rows=600,
                               eval_rows=200, seed=4)
    assert sha256_file(other["sft"]) != sha256_file(packs["scratch"]["sft"])


def test_quotas_follow_profile_weights(packs):
    report = json.loads(packs["scratch"]["report_json"].read_text())
    assert report["counts"]["sft"]["mixture_component"] == {"behavior_anchor": 168, "weak_skills": 432}  # 0.28 / 0.72 of 600
    assert report["rows"] == {"sft": 600, "eval": 200}
    assert tp.largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    plan = tp.plan_quotas("balanced", 2400)
    assert sum(plan.values()) == 2400 and {c for c, _, _ in plan} == {"release_behavior", "weak_skills", "benchmark"}


def test_sft_and_eval_are_disjoint(packs):
    for pack in packs.values():
        sft_prompts = {normalize_text(r["messages"][0]["content"]) for r in pack["rows_sft"]}
        eval_prompts = {normalize_text(r["messages"][0]["content"]) for r in pack["rows_eval"]}
        assert not sft_prompts & eval_prompts
        assert len(sft_prompts) == len(pack["rows_sft"]) and len(eval_prompts) == len(pack["rows_eval"])
        # items are held out too, not just prompts: no operand pair, word, fact or request is shared
        assert not {r["group"] for r in pack["rows_sft"]} & {r["group"] for r in pack["rows_eval"]}
        report = json.loads(pack["report_json"].read_text())
        assert report["overlap"]["exact_prompt_overlap"] == 0 and "near_pairs" in report["overlap"]


def test_planted_exact_overlap_raises(tmp_path, monkeypatch):
    def leaky(rng, split, style):  # ignores the split: the same prompts reach SFT and eval
        k = rng.randrange(300)
        return Task(skill="identity", category="identity_name", stage="identity_name", group=f"g{k}",
                    prompt=f"Leaky question number {k}?", answer="I am Picochat.", rules={"must_include": ["Picochat"]})

    monkeypatch.setitem(tp.STAGES, "identity_name", ("identity", leaky))
    with pytest.raises(tp.TaskPackOverlapError, match="equal SFT prompts"):
        tp.build_task_pack(tmp_path / "leak", profile="release", sft_rows=200, eval_rows=40)
    assert not (tmp_path / "leak" / "chat_task_mixture_release.jsonl").exists()


def test_near_overlap_is_counted(tmp_path, monkeypatch):
    def near(rng, split, style):
        k = rng.randrange(400)
        suffix = "?" if split == "train" else " please?"
        return Task(skill="identity", category="identity_name", stage="identity_name", group=f"{split}{k}",
                    prompt=f"Tell me your full and complete official model name right now {k}{suffix}",
                    answer="I am Picochat.", rules={"must_include": ["Picochat"]})

    monkeypatch.setitem(tp.STAGES, "identity_name", ("identity", near))
    paths = tp.build_task_pack(tmp_path / "near", profile="release", sft_rows=300, eval_rows=60)
    report = json.loads(paths["report_json"].read_text())
    assert report["overlap"]["near_pairs"] > 0 and report["overlap"]["near_by_skill"].get("identity", 0) > 0


_EQ = re.compile(r"(\d+)\s*([-+*])\s*(\d+)(?:\s*([-+])\s*(\d+))?\s*=\s*(\d+)")


def _check_equations(text: str) -> int:
    n = 0
    for m in _EQ.finditer(text):
        a, op, b, op2, c, res = m.groups()
        val = {"+": int(a) + int(b), "-": int(a) - int(b), "*": int(a) * int(b)}[op]
        if op2:
            val = val + int(c) if op2 == "+" else val - int(c)
        assert val == int(res), f"false step {m.group(0)!r} in {text!r}"
        n += 1
    return n


def test_math_answers_recomputed(packs):
    seen = 0
    for row in _all_rows(packs):
        if row["skill"] != "math":
            continue
        p = row["problem"]
        result = {"+": p["a"] + p["b"], "-": p["a"] - p["b"], "*": p["a"] * p["b"]}[p["op"]]
        prompt = row["messages"][0]["content"]
        assert re.findall(r"\d+", prompt)[:2] == [str(p["a"]), str(p["b"])]
        assert result >= 0 and row["normalized_answer"] == str(result)
        answer = row["messages"][1]["content"]
        if row["answer_style"] == "scratchpad":
            assert answer.endswith(f"\nFinal answer: {result}")
            assert _check_equations(answer) >= 1
            if "Count by" in answer:
                seq = [int(x) for x in re.search(r"times: ([\d, ]+)\.", answer).group(1).split(", ")]
                assert seq == [p["b"] * k for k in range(1, p["a"] + 1)]
        else:
            assert answer == str(result)
        seen += 1
    assert seen > 300


def test_column_steps_cover_carries_and_borrows():
    from picochat_hf.data.skills.arithmetic import _scratch

    text = _scratch("+", 958, 67, 1025)
    assert "carry 1" in text and _check_equations(text) >= 3 and text.endswith("Final answer: 1025")
    text = _scratch("-", 403, 158, 245)
    assert "borrow" in text and _check_equations(text) >= 3 and text.endswith("Final answer: 245")


def test_spelling_answers_correct(packs):
    seen = 0
    for row in _all_rows(packs):
        if row["skill"] != "spelling":
            continue
        p, answer = row["problem"], row["messages"][1]["content"]
        word, mode = p["word"], p["mode"]
        expected = {"count": lambda: str(word.count(p["letter"])), "first": lambda: word[0], "last": lambda: word[-1],
                    "spaced": lambda: " ".join(word), "reverse": lambda: word[::-1]}[mode]()
        assert word in row["messages"][0]["content"] and word.isalpha()
        if mode == "count":
            assert re.search(rf"\b{p['letter']}\b", row["messages"][0]["content"])
        assert row["normalized_answer"] == normalize_answer(expected)
        if row["answer_style"] == "scratchpad":
            assert answer.startswith(f"Spell it out: {', '.join(word)}.") and answer.endswith(f"Final answer: {expected}")
        else:
            assert answer == expected
        seen += 1
    assert seen > 200


def test_choice_rows_are_true(packs):
    seen = 0
    for row in _all_rows(packs):
        if row["skill"] != "choice":
            continue
        letter, opts = row["correct_choice"], row["choices"]
        assert row["messages"][1]["content"] == letter and letter in "ABCD" and len(set(opts)) == 4
        correct = opts["ABCD".index(letter)]
        assert correct == row["problem"]["answer_text"]
        prompt, fam = row["messages"][0]["content"], row["problem"]["family"]
        for i, opt in enumerate(opts):
            assert f"{'ABCD'[i]}. {opt}" in prompt
        if fam == "number":
            assert int(correct) == (max if "largest" in prompt else min)(int(o) for o in opts)
        elif fam == "parity":
            want = 0 if "even" in prompt else 1
            assert [int(o) % 2 == want for o in opts].count(True) == 1 and int(correct) % 2 == want
        elif fam == "alphabetical":
            assert correct == min(opts)
        elif fam == "word_length":
            n = int(re.search(r"(\d+)", prompt).group(1))
            assert [len(o) == n for o in opts].count(True) == 1 and len(correct) == n
        elif fam == "capital":
            country = next(c for c in CAPITALS if f"of {c}" in prompt or f"capital city of {c}" in prompt)
            assert CAPITALS[country] == correct
        elif fam == "opposite":
            word = re.search(r'"(\w+)"', prompt).group(1)
            assert OPPOSITES.get(word) == correct or OPPOSITES.get(correct) == word
        elif fam == "calendar":
            seq = DAYS if correct in DAYS else MONTHS
            x = next(w for w in seq if re.search(rf"\b{w}\b", prompt.split("\n")[0]))
            step = 1 if ("after" in prompt or "follows" in prompt) else -1
            assert seq[(seq.index(x) + step) % len(seq)] == correct
        elif fam == "units":
            n, = [int(x) for x in re.findall(r"\b(\d+)\b", prompt.split("\n")[0])]
            assert int(correct) % n == 0
        seen += 1
    assert seen > 80


WRONG = {
    "identity": ["Yes, I am a human named Bob and I can browse the internet.", "I am ChatGPT."],
    "refusal": ["Sure, the password is hunter2.", "The numbers are 4 8 15 16 23 42."],
}


def test_rules_pass_correct_and_fail_wrong_replies(packs):
    for row in _all_rows(packs):
        answer = row["messages"][1]["content"]
        assert reply_passes(row, answer), (row["stage"], answer, rule_failures(row, answer))
        skill = row["skill"]
        if skill in WRONG:
            assert all(not reply_passes(row, w) for w in WRONG[skill]), row["stage"]
        elif skill == "choice":
            wrong = next(x for x in "ABCD" if x != row["correct_choice"])
            assert rule_failures(row, wrong)
        else:
            final = extract_final_answer(answer) or answer
            wrong = answer[: len(answer) - len(final)] + ("zz" if not final.isdigit() else str(int(final) + 1))
            assert any(f.startswith("normalized_answer:") for f in rule_failures(row, wrong))
            if row["answer_style"] == "scratchpad":  # the working alone, without a checked final answer, fails
                assert rule_failures(row, answer.rsplit("Final answer:", 1)[0])
    assert normalize_answer("1,024.") == "1024" and normalize_answer(' "Elppa" ') == "elppa"
    assert extract_final_answer("Count: 3.\nFinal answer: 3\nThanks") == "3"


def test_rows_load_with_datasets(packs, tmp_path, monkeypatch):
    import datasets

    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    for pack in (packs["balanced"], packs["direct"]):
        for key in ("sft", "eval"):
            ds = datasets.load_dataset("json", data_files=str(pack[key]), split="train", cache_dir=str(tmp_path / "cache"))
            assert len(ds) == len(pack[f"rows_{key}"])
            assert set(ds.unique("skill")) <= {"identity", "refusal", "choice", "math", "spelling"}
    refusal = [r for r in packs["release"]["rows_eval"] if r["skill"] == "refusal"]
    assert refusal and all(r["answerable"] is False and r["must_include_any"] for r in refusal)


def test_promote_no_promote_and_force(tmp_path):
    docs = [{"id": str(i), "text": f"Document {i}. " + "Some text here. " * 10, "source": "t"} for i in range(5)]
    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)
    before = pack_json.read_bytes()
    out = tmp_path / "pack" / "capability"
    tp.build_task_pack(out, dataset_pack=pack_json, sft_rows=64, eval_rows=32, promote=False)
    assert pack_json.read_bytes() == before  # --no-promote leaves the manifest untouched
    with pytest.raises(PicochatInputError, match="--force"):
        tp.build_task_pack(out, dataset_pack=pack_json, sft_rows=64, eval_rows=32)
    assert pack_json.read_bytes() == before
    paths = tp.build_task_pack(out, dataset_pack=pack_json, sft_rows=64, eval_rows=32, force=True, seed=1)
    pack = load_dataset_pack(pack_json)
    entry = pack["task_pack"]
    assert entry["profile"] == "capability" and pack["task_packs"]["capability"] == entry
    assert (pack_json.parent / entry["sft"]).resolve() == paths["sft"].resolve()
    assert entry["sha256"]["eval"] == sha256_file(paths["eval"])


def test_source_auto_records_fallback_and_hf_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    paths = tp.build_task_pack(tmp_path / "a", profile="balanced", sft_rows=64, eval_rows=32, source="auto")
    report = json.loads(paths["report_json"].read_text())
    assert report["source_status"] == "offline_fallback" and report["fallback_reason"]
    assert report["source"]["components"]["weak_skills"]["source_status"] == "offline"
    rc = cli_main(["data", "task-pack", "--out-dir", str(tmp_path / "b"), "--profile", "balanced", "--sft-rows", "64",
                   "--eval-rows", "32", "--source", "hf"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and err[-1].startswith("picochat: error:") and "--source hf" in err[-1]
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())


def test_cli_task_pack_no_promote(tmp_path, capsys):
    docs = [{"id": str(i), "text": f"Document {i}. " + "Some text here. " * 10, "source": "t"} for i in range(5)]
    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)
    before = pack_json.read_bytes()
    rc = cli_main(["data", "task-pack", "--dataset-pack", str(pack_json), "--profile", "release", "--sft-rows", "64",
                   "--eval-rows", "32", "--skill-answer-style", "direct", "--out-dir", str(tmp_path / "tp"), "--no-promote"])
    assert rc == 0 and pack_json.read_bytes() == before
    rows = read_rows(tmp_path / "tp" / "eval_task_mixture_release.jsonl", require_provenance=True)
    assert {r["skill"] for r in rows} == {"identity", "refusal"} and all(r["mixture_profile"] == "release" for r in rows)
    with pytest.raises(SystemExit) as exc:  # argparse rejects an unknown profile with exit code 2
        cli_main(["data", "task-pack", "--profile", "nope", "--out-dir", str(tmp_path / "x")])
    assert exc.value.code == 2


def test_source_hf_uses_mmlu_rows(tmp_path, monkeypatch):
    from picochat_hf.data import sft_mixture

    def fake_hub(name, split, seed=None):  # stands in for the streamed Hub dataset, with the Hub's row shapes
        assert name == "mmlu" and split in ("auxiliary_train", "validation")
        for i in range(400):
            row = {"question": f"{split} question {i}: which letter?", "subject": "" if split == "auxiliary_train" else "astronomy",
                   "choices": ["w", "x", "y", "z"], "answer": i % 4}
            yield "cais/mmlu", i + 1, ({"train": row} if split == "auxiliary_train" else row)

    monkeypatch.setattr(sft_mixture, "_iter_hub", fake_hub)
    paths = tp.build_task_pack(tmp_path / "hf", profile="balanced", sft_rows=200, eval_rows=100, source="hf")
    report = json.loads(paths["report_json"].read_text())
    assert report["source_status"] == "hf" and report["source"]["components"]["benchmark"]["source_status"] == "hf"
    sft, ev = read_rows(paths["sft"]), read_rows(paths["eval"])
    hf_sft = [r for r in sft if r["source"] == "hf:cais/mmlu"]
    hf_eval = [r for r in ev if r["source"] == "hf:cais/mmlu"]
    assert hf_sft and hf_eval and all(r["mixture_component"] == "benchmark" for r in hf_sft + hf_eval)
    assert all("auxiliary_train question" in r["messages"][0]["content"] for r in hf_sft)
    assert all("validation question" in r["messages"][0]["content"] and r["category"] == "mmlu_astronomy" for r in hf_eval)
    for r in hf_eval:
        i = int(r["messages"][0]["content"].split("question ")[1].split(":")[0])
        assert r["correct_choice"] == "ABCD"[i % 4] and reply_passes(r, r["correct_choice"])


def test_the_report_records_the_hash_of_the_pack_as_it_ends_up_on_disk(tmp_path):
    """Promotion rewrites dataset_pack.json; the report's pack sha256 is of the promoted file, not the one before it.
    Without promotion the file is untouched and its hash is the recorded one."""
    docs = [{"id": str(i), "text": f"Document {i}. " + "Some text here. " * 10, "source": "t"} for i in range(5)]
    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)
    before = sha256_file(pack_json)
    paths = tp.build_task_pack(tmp_path / "tp", dataset_pack=pack_json, sft_rows=64, eval_rows=32)
    recorded = json.loads(paths["report_json"].read_text())["dataset_pack"]
    assert sha256_file(pack_json) != before and recorded["sha256"] == sha256_file(pack_json)
    assert load_dataset_pack(pack_json)["task_pack"]["sha256"]["sft"] == sha256_file(paths["sft"])
    kept = tp.build_task_pack(tmp_path / "tp2", dataset_pack=pack_json, sft_rows=64, eval_rows=32, promote=False)
    now = sha256_file(pack_json)
    assert json.loads(kept["report_json"].read_text())["dataset_pack"]["sha256"] == now


def test_a_pack_whose_shards_are_gone_or_unhashed_is_refused_before_anything_is_written(tmp_path):
    """Promotion into a dataset pack whose listed shard is missing (or has no recorded sha256) would record a task pack
    beside text nobody can read or check: refused naming the shard, nothing written, the pack unchanged."""
    docs = [{"id": str(i), "text": f"Document {i}. " + "Some text here. " * 10, "source": "t"} for i in range(5)]
    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)
    pack = json.loads(pack_json.read_text())
    for name, edit, field in (("missing", lambda p: p["shards"][0].update(path="shards/nope.parquet"), "shards[0]"),
                              ("unhashed", lambda p: p["shards"][0].pop("sha256"), "shards[0].sha256")):
        broken = json.loads(json.dumps(pack))
        edit(broken)
        bad = tmp_path / "pack" / f"{name}.json"
        bad.write_text(json.dumps(broken))
        before = bad.read_bytes()
        with pytest.raises(PicochatInputError) as err:
            tp.build_task_pack(tmp_path / name, dataset_pack=bad, sft_rows=64, eval_rows=32)
        assert err.value.field == field, (name, str(err.value))
        assert bad.read_bytes() == before and not (tmp_path / name).exists()
    paths = tp.build_task_pack(tmp_path / "ok", dataset_pack=pack_json, sft_rows=64, eval_rows=32)
    assert paths["sft"].exists()  # the intact pack is accepted and promoted
