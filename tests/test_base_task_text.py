"""Task text for base pretraining (`DemoConfig.base_task_text`): lines from the training pools only, every line
true, mixed into the base stage's documents and scanned as corpus."""

from __future__ import annotations

import json
import random
import re
from types import SimpleNamespace

import pytest

from picochat_hf.data.skills import STAGES
from picochat_hf.data.skills.arithmetic import POOL_OPS, eval_problems
from picochat_hf.data.skills.spelling import word_pool
from picochat_hf.data.skills.task_text import task_text_documents, task_text_spec, train_pairs
from picochat_hf.demo import DemoConfig, write_base_task_text
from picochat_hf.utils.errors import PicochatInputError

MATH_LINE = re.compile(r"^(\d+) ([+*-]) (\d+): (.*)$")
SPELL_LINE = re.compile(r"^([a-z]+)(?::| with spaces:| reversed:|, count each ([a-z]):) (.*)$")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    docs = task_text_documents(40_000, len, seed=3)  # characters as tokens: a few thousand lines
    return [line for doc in docs for line in doc.splitlines()]


@pytest.fixture(scope="module")
def eval_rows() -> list:
    """Eval rows as the task pack draws them: every spelling and math stage, eval split, its eval templates."""
    rng = random.Random(0)
    stages = [s for s in STAGES if s.startswith(("spelling_", "math_"))]
    return [STAGES[s][1](rng, "eval", "scratchpad") for s in stages for _ in range(200)]


def _parse(line: str) -> tuple[str, object]:
    m = MATH_LINE.match(line)
    if m:
        return "math", (int(m[1]), m[2], int(m[3]), m[4])
    m = SPELL_LINE.match(line)
    assert m, f"a line of no known kind: {line!r}"
    return "spelling", (m[1], m[2], m[3])


def test_every_kind_appears_and_every_line_is_true(lines):
    """The right answers: each spelled, spaced, reversed, tallied or first/last line spells its own (training)
    word correctly, and each sum's working ends in the true result."""
    seen = set()
    for line in lines:
        kind, parsed = _parse(line)
        if kind == "math":
            a, op, b, working = parsed
            want = {"+": a + b, "-": a - b, "*": a * b}[op]
            assert working.endswith(f"So {a} {op} {b} = {want}. Final answer: {want}") or working == f"{a} {op} {b} = {want}. Final answer: {want}", line
            seen.add("math")
            continue
        word, letter, rest = parsed
        if " with spaces:" in line:
            assert rest == " ".join(word); seen.add("spaced")
        elif " reversed:" in line:
            assert rest == ", ".join(word[::-1]) + "."; seen.add("reversed")
        elif letter:
            assert rest.endswith(f"Count: {word.count(letter)}.") and re.sub(r" \d+", "", rest.split(".")[0]) == ", ".join(word), line
            seen.add("tally")
        elif rest.startswith("the first letter"):
            assert rest == f"the first letter is {word[0]}, the last letter is {word[-1]}."; seen.add("ends")
        else:
            assert rest == ", ".join(word) + "."; seen.add("spelled")
    assert seen == set(task_text_spec()["kinds"])


def test_no_eval_word_or_problem_enters(lines, eval_rows):
    """Every spelled word is a training-pool word and every problem a training pair no stage holds out; no eval
    row's word is spelled, tallied or reversed, and no eval row's problem is stated, worked or met as a column
    ("borrow 1: 15 - 8 = 7" of a training sum, with 15 - 8 held out: the honesty scan blocks on it in a corpus)."""
    eval_words, train_words = set(word_pool()["eval"]), set(word_pool()["train"])
    subjects, problems = set(), set()
    for line in lines:
        kind, parsed = _parse(line)
        if kind == "math":
            a, op, b, _ = parsed
            problems.add((a, op, b))
            assert (a, b) not in eval_problems(op), line
        else:
            subjects.add(parsed[0])
    assert subjects <= train_words and not subjects & eval_words
    text = "\n".join(lines)
    # every run of single letters ("d, e, e, r" or "d e e r", tally counts dropped) read as a word, both ways round
    runs = [re.sub(r"[^a-z]", "", r) for r in re.findall(r"\b[a-z](?:(?: \d+)?,? [a-z]\b)+", text)]
    spelled = set(runs) | {r[::-1] for r in runs}
    words = set(re.findall(r"[a-z]+", text))
    assert len(spelled & subjects) > len(subjects) // 2  # the runs are read back as the words they spell
    for task in eval_rows:
        p = task.problem
        if task.skill == "spelling":
            w = p["word"]
            assert w not in subjects and w not in spelled, w
            assert w not in words or w in {"the", "letter", "carry", "borrow", "final"}, w  # the scratchpads' own words
        else:
            a, op, b = p["a"], p["op"], p["b"]
            assert (a, op, b) not in problems
            worked = {"+": f"Add {a} and {b} ", "-": f"Subtract {b} from {a} ", "*": f"Count by {b}, {a} times"}[op]
            for stated in (worked, f"So {a} {op} {b} =", f"\n{a} {op} {b}: "):
                assert stated not in text, stated
            assert not re.search(rf"(?<!\d){a} \{op} {b}(?!\d)", text), (a, op, b)


def test_a_training_sum_with_a_held_out_column_is_left_out():
    from picochat_hf.data.skills.task_text import states_held_out

    assert (15, 8) in eval_problems("-") and (755, 283) not in eval_problems("-")
    assert states_held_out("755 - 283: Tens: 5 is less than 8, borrow 1: 15 - 8 = 7.")
    assert not states_held_out("755 - 283: Ones: 5 - 3 = 2.")  # the same sum's columns without the held-out one


def test_train_pairs_leave_out_every_pair_another_stage_holds_out():
    for stage, op in POOL_OPS.items():
        if stage != "story":
            assert train_pairs(stage) and not set(train_pairs(stage)) & eval_problems(op)


def test_documents_are_deterministic_and_reach_the_target():
    a = task_text_documents(5_000, len, seed=1)
    assert a == task_text_documents(5_000, len, seed=1) and a != task_text_documents(5_000, len, seed=2)
    assert sum(map(len, a)) >= 5_000 and sum(map(len, a[:-1])) < 5_000
    assert all(len(d.splitlines()) == task_text_spec()["lines_per_document"] for d in a)


def test_demo_writes_the_share_with_the_run_tokenizer_only_when_on(tmp_path, tiny_tokenizer_dir):
    from picochat_hf.data.dataset_pack import import_dataset_pack, iter_pack_texts
    from picochat_hf.tokenizer import load_tokenizer

    text = "The module reads a file, parses its lines and returns them as a list of records. " * 30
    pack = import_dataset_pack(None, tmp_path / "pack", documents=iter([{"id": "d0", "text": text}]))
    state = {"dataset_pack": str(pack), "tokenizer": str(tiny_tokenizer_dir)}
    assert write_base_task_text(DemoConfig(), tmp_path, state) is None and "base_task_text" not in state
    path = write_base_task_text(DemoConfig(base_task_text=0.5), tmp_path, state)
    assert path == state["base_task_text"]
    tok = load_tokenizer(tiny_tokenizer_dir)
    count = lambda t: len(tok(t, add_special_tokens=False)["input_ids"])  # noqa: E731
    corpus = sum(count(t) for t in iter_pack_texts(pack))
    docs = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    mixed = sum(map(count, docs))
    assert corpus <= mixed < corpus + max(map(count, docs))  # half the base tokens


@pytest.mark.parametrize("value", ["1.0", "-0.1", "yes"])
def test_bad_share_names_file_line_and_field(tmp_path, value):
    bad = tmp_path / "demo.yaml"
    bad.write_text(f"seed: 1\nbase_task_text: {value}\n")
    with pytest.raises(PicochatInputError) as err:
        DemoConfig.from_yaml(bad)
    assert "base_task_text" in str(err.value) and ":2" in str(err.value) and "demo.yaml" in str(err.value)


def test_pretraining_reads_mix_documents_beside_the_pack(tmp_path):
    from picochat_hf.data.dataset_pack import import_dataset_pack
    from picochat_hf.training.pretrain import iter_documents

    pack = import_dataset_pack(None, tmp_path / "pack", documents=iter([{"id": "d0", "text": "A corpus document long enough to be kept by the importer."}]))
    mix = tmp_path / "mix.jsonl"
    mix.write_text(json.dumps({"id": "d0", "text": "deer: d, e, e, r."}) + "\n")
    docs = list(iter_documents(SimpleNamespace(dataset_pack=str(pack), documents=None, mix_documents=str(mix))))
    assert [d["id"] for d in docs][-1] == "mix:d0" and docs[-1]["text"] == "deer: d, e, e, r." and len(docs) == 2
    missing = SimpleNamespace(dataset_pack=str(pack), documents=None, mix_documents=str(tmp_path / "none.jsonl"))
    with pytest.raises(PicochatInputError, match="mix_documents"):
        list(iter_documents(missing))
    mix.write_text(json.dumps({"id": "d0", "text": "ok"}) + "\n" + json.dumps({"id": "d1", "body": "x"}) + "\n")
    with pytest.raises(PicochatInputError) as err:
        list(iter_documents(SimpleNamespace(dataset_pack=str(pack), documents=None, mix_documents=str(mix))))
    assert ":2" in str(err.value) and "text" in str(err.value)


def test_mix_documents_are_refused_with_shards(tmp_path):
    from picochat_hf.training.config import PicochatPretrainConfig

    with pytest.raises(PicochatInputError, match="mix_documents"):
        PicochatPretrainConfig(output_dir=str(tmp_path / "o"), shards=str(tmp_path), mix_documents=str(tmp_path / "m.jsonl"), max_steps=2)


def test_tiny_demo_with_task_text_trains_on_it_and_scans_it(tmp_path):
    """End to end at a tiny budget: the base report names the mixed file and its sha256, the honesty scan read it
    as corpus (by content), and no corpus leak of an eval row is found in it."""
    from picochat_hf.demo import BASE_TASK_TEXT, run_demo

    run = tmp_path / "run"
    cfg = DemoConfig(out_dir=str(run), vocab_size=400, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     num_key_value_heads=1, seq_len=128, base_steps=3, base_batch_size=4, sft_rows=120, eval_rows=60,
                     sft_steps=3, sft_batch_size=4, fit_max_rows=8, eval_batch_size=16, eval_max_new_tokens=16,
                     growth_points=0, torch_compile=False, run_lm_eval=False, regenerate_rows=0, base_task_text=0.2)
    run_demo(cfg)
    data = json.loads((run / "base/train_report.json").read_text())["data"]
    honesty = json.loads((run / "honesty/honesty_report.json").read_text())
    assert data["mix_documents"].endswith(BASE_TASK_TEXT) and data["train_documents"] > 1
    assert data["mix_documents_sha256"] in honesty["inputs"]["sha256"]["corpus"].values()
    release = json.loads((run / "gates/release.json").read_text())
    status = {c["name"]: c["status"] for c in release["checks"]}
    for name in ("contamination", "honesty_findings", "honesty_corpus", "honesty_corpus_origin"):
        assert status[name] == "pass", (name, status[name])
