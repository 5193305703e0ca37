"""The default demo recipe: its training rows never hold an eval item, and the skill-growth callback."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from picochat_hf.demo import DemoConfig, fast_config


def _item_key(row: dict) -> str:
    """What makes two rows the same item: the problem for math (any stage), otherwise the row's group."""
    if row["skill"] == "math":
        p = row["problem"]
        return f"math:{p['op']}:{p['a']}:{p['b']}"
    return row["group"]


@pytest.fixture(scope="module")
def default_pack(tmp_path_factory):
    from picochat_hf.data.task_pack import build_task_pack

    cfg = DemoConfig()
    paths = build_task_pack(tmp_path_factory.mktemp("pack"), profile=cfg.task_profile, sft_rows=cfg.sft_rows,
                            eval_rows=cfg.eval_rows, source="offline", answer_style=cfg.answer_style, seed=cfg.seed,
                            promote=False, train_profile=cfg.sft_profile or None)
    read = lambda p: [json.loads(line) for line in p.read_text().splitlines()]  # noqa: E731
    return read(paths["sft"]), read(paths["eval"])


def test_default_recipe_training_rows_hold_no_eval_item(default_pack):
    sft, eval_ = default_pack
    train_keys = {_item_key(r) for r in sft}
    leaked = [r["id"] for r in eval_ if _item_key(r) in train_keys]
    assert not leaked, leaked[:5]
    eval_words = {r["problem"]["word"] for r in eval_ if r["skill"] == "spelling"}
    train_words = {r["problem"]["word"] for r in sft if r["skill"] == "spelling"}
    assert not eval_words & train_words


def test_default_recipe_eval_rows_follow_the_eval_profile(default_pack, tmp_path):
    """The SFT-only mixture leaves the eval rows exactly as the eval profile alone makes them."""
    from picochat_hf.data.task_pack import build_task_pack

    cfg = DemoConfig()
    paths = build_task_pack(tmp_path, profile=cfg.task_profile, sft_rows=64, eval_rows=cfg.eval_rows, source="offline",
                            answer_style=cfg.answer_style, seed=cfg.seed, promote=False)
    alone = [json.loads(line) for line in paths["eval"].read_text().splitlines()]
    assert [r["messages"][0] for r in alone] == [r["messages"][0] for r in default_pack[1]]


def test_growth_steps_and_subset():
    from picochat_hf.training.skill_growth import growth_steps, growth_subset

    assert growth_steps(100, 4) == [25, 50, 75, 100]
    assert growth_steps(3, 5) == [1, 2, 3]
    assert growth_steps(0, 5) == []
    rows = [{"skill": s, "i": i} for i, s in enumerate("aabacbb")]
    assert [r["i"] for r in growth_subset(rows, 2)] == [0, 1, 2, 4, 5]


def test_skill_growth_callback_on_a_tiny_model(tmp_path, tiny_tokenizer):
    from helpers_model import tiny_model

    from picochat_hf.training.skill_growth import SkillGrowthCallback, read_growth

    tok = tiny_tokenizer
    model = tiny_model(vocab_size=len(tok), bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                       pad_token_id=tok.pad_token_id, max_position_embeddings=256)
    rows = [
        {"id": "m", "skill": "math", "category": "math_addition", "messages": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}],
         "normalized_answer": "4"},
        {"id": "c", "skill": "choice", "category": "choice_test", "messages": [{"role": "user", "content": "Pick one.\nA. x\nB. y"},
                                                      {"role": "assistant", "content": "B"}],
         "choices": ["x", "y"], "correct_choice": "B"},
    ]
    cb = SkillGrowthCallback(rows, tok, tmp_path / "skill_growth.jsonl", [2, 4], max_new_tokens=4, batch_size=2)
    state = SimpleNamespace(is_world_process_zero=True, global_step=0)
    cb.on_train_begin(None, state, None)
    model.train()
    for step in range(1, 5):
        state.global_step = step
        cb.on_step_end(None, state, None, model=model)
    assert model.training  # the callback restores the training mode
    lines = read_growth(tmp_path / "skill_growth.jsonl")
    assert [line["step"] for line in lines] == [2, 4]
    for line in lines:
        assert set(line["by_skill"]) == {"math", "choice"}
        assert line["n"] == 2 and 0.0 <= line["pass_rate"] <= 1.0
        assert all(s["n"] == 1 for s in line["by_skill"].values())
    # the same weights give the same scores: the subset and the judging are deterministic
    assert lines[0]["by_skill"] == lines[1]["by_skill"]


def test_letter_group_one_keeps_every_letter_a_token():
    from picochat_hf.data.default_corpus import default_texts
    from picochat_hf.tokenizer import split_pattern, train_tokenizer, SPLIT_PATTERN

    assert split_pattern(2) == SPLIT_PATTERN  # the default split is unchanged
    tok = train_tokenizer(default_texts(max_documents=20), vocab_size=400, digit_group=1, letter_group=1)
    for piece in tok.tokenize('Spell "strawberry" backwards: y r r e b'):
        letters = [c for c in tok.convert_tokens_to_string([piece]) if c.isalpha()]
        assert len(letters) <= 1, piece


def test_fast_config_keeps_a_chosen_out_dir_and_validates():
    from picochat_hf.demo import FAST_OVERRIDES, fast_config

    fast = fast_config(DemoConfig())
    assert fast.out_dir == FAST_OVERRIDES["out_dir"] and fast.sft_steps == FAST_OVERRIDES["sft_steps"]
    assert fast_config(DemoConfig(out_dir="runs/mine")).out_dir == "runs/mine"
    assert fast.eval_rows == DemoConfig().eval_rows  # the same eval rows: only the budget shrinks


def test_context_len_must_hold_the_training_rows():
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError, match="context_len"):
        DemoConfig(seq_len=256, context_len=128).validate()


def test_precision_auto_follows_the_cpu_probe(monkeypatch):
    """`precision: auto` resolves once per run, from the matmul probe: bf16 only where it measured faster."""
    import picochat_hf.utils.cpu_precision as cp
    from picochat_hf.demo import _precision

    calls = []
    for faster, want in ((True, "bf16"), (False, "fp32")):
        monkeypatch.setattr(cp, "cpu_bf16_is_faster", lambda faster=faster: calls.append(1) or faster)
        state: dict = {}
        assert _precision(DemoConfig(), state) == want
        assert _precision(DemoConfig(), state) == want  # cached in the run state: base and SFT agree
    assert len(calls) == 2
    assert _precision(DemoConfig(precision="fp32"), {}) == "fp32"
    assert _precision(DemoConfig(precision="bf16"), {}) == "bf16"


def test_cpu_bf16_probe_compares_measured_times(monkeypatch):
    import torch

    import picochat_hf.utils.cpu_precision as cp

    for fp32_s, bf16_s, want in ((3.0, 1.0, True), (1.0, 1.0, False), (1.1, 1.0, False), (1.0, 3.0, False)):
        monkeypatch.setattr(cp, "matmul_seconds", lambda dtype, a=fp32_s, b=bf16_s: a if dtype == torch.float32 else b)
        assert cp.cpu_bf16_is_faster() is want


def test_precision_setting_is_validated(tmp_path):
    from picochat_hf.utils.errors import PicochatInputError

    bad = tmp_path / "demo.yaml"
    bad.write_text("seed: 1\nprecision: fp16\n")
    with pytest.raises(PicochatInputError) as err:
        DemoConfig.from_yaml(bad)
    assert "precision" in str(err.value) and ":2" in str(err.value)


def test_torch_compile_falls_back_to_eager_only_where_inductor_cannot_build(monkeypatch):
    """The demo compiles SFT by default; without a C++ compiler or Python headers it runs eager, once per run."""
    import picochat_hf.utils.compile_support as cs
    from picochat_hf.demo import _torch_compile

    monkeypatch.setattr(cs, "inductor_cpu_unavailable", lambda: None)
    assert _torch_compile(DemoConfig(), {}) is True
    assert _torch_compile(DemoConfig(torch_compile=False), {}) is False
    assert fast_config(DemoConfig()).torch_compile is False  # 100 SFT steps do not win the compile time back
    monkeypatch.setattr(cs, "inductor_cpu_unavailable", lambda: "torch.compile needs a C++ compiler")
    state: dict = {}
    assert _torch_compile(DemoConfig(), state) is False
    assert state["torch_compile"] is False
    monkeypatch.setattr(cs, "inductor_cpu_unavailable", lambda: None)
    assert _torch_compile(DemoConfig(), state) is False  # resolved once per run


def test_inductor_check_names_what_is_missing(monkeypatch, tmp_path):
    import sysconfig

    import torch._inductor.cpp_builder as cpp_builder

    from picochat_hf.utils.compile_support import inductor_cpu_unavailable

    real_paths = sysconfig.get_paths
    monkeypatch.setattr(cpp_builder, "get_cpp_compiler", lambda: "g++")
    monkeypatch.setattr(sysconfig, "get_paths", lambda: {**real_paths(), "include": str(tmp_path)})
    assert "Python.h" in inductor_cpu_unavailable()
    (tmp_path / "Python.h").write_text("")
    assert inductor_cpu_unavailable() is None

    def no_compiler():
        raise RuntimeError("no g++")

    monkeypatch.setattr(cpp_builder, "get_cpp_compiler", no_compiler)
    assert "C++ compiler" in inductor_cpu_unavailable()


def test_tokenizer_sft_rows_adds_only_the_rows_sft_trains_on(default_pack, tmp_path):
    """With `tokenizer_sft_rows` the tokenizer reads the corpus and the SFT rows SFT trains on; the rows the
    held-out fit scores and every eval row stay out, and the option is off by default."""
    from picochat_hf.data.dataset_pack import import_dataset_pack, iter_pack_texts
    from picochat_hf.demo import SFT_HELDOUT_FRACTION, tokenizer_texts
    from picochat_hf.eval.splits import DEFAULT_SPLIT_SEED, split_train_heldout

    sft, eval_ = default_pack
    sft_path = tmp_path / "sft.jsonl"
    sft_path.write_text("".join(json.dumps(r) + "\n" for r in sft[:400]))
    pack = import_dataset_pack(None, tmp_path / "pack", documents=iter([{"id": "d0", "text": "A corpus document long enough to be kept by the importer."}]))
    state = {"dataset_pack": str(pack), "sft_rows": str(sft_path)}
    corpus = list(iter_pack_texts(pack))
    assert list(tokenizer_texts(DemoConfig(), state)) == corpus
    texts = list(tokenizer_texts(DemoConfig(tokenizer_sft_rows=True), state))
    train, held = split_train_heldout(sft[:400], SFT_HELDOUT_FRACTION, DEFAULT_SPLIT_SEED)
    assert held and texts[: len(corpus)] == corpus and len(texts) == len(corpus) + len(train)
    joined = "\n\n".join(texts)
    text_of = lambda r: "\n".join(m["content"] for m in r["messages"])  # noqa: E731
    assert all(text_of(r) in joined for r in train)
    assert not any(text_of(r) in texts for r in held)
    assert not any(r["messages"][0]["content"] in joined for r in eval_)
