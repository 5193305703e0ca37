"""Copy-teaching rows (`sft_profile: capability_train_copy`): training words only, no eval split, reference answers
the scorer passes, and the eval rows exactly as the default recipe makes them."""

from __future__ import annotations

import json
import random

import pytest

from picochat_hf.data.skills import STAGES
from picochat_hf.data.skills.spelling import word_pool
from picochat_hf.data.skills.spelling_copy import COPY_STAGES, copy_task, copy_templates
from picochat_hf.demo import DemoConfig
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def _read(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The same seed's pack with the default SFT mixture and with copy teaching (small SFT budget)."""
    from picochat_hf.data.task_pack import build_task_pack

    out = {}
    for profile in ("capability_train", "capability_train_copy"):
        paths = build_task_pack(tmp_path_factory.mktemp(profile), profile="capability", sft_rows=1200, eval_rows=200,
                                source="offline", answer_style="scratchpad", seed=3, promote=False, train_profile=profile)
        out[profile] = (_read(paths["sft"]), _read(paths["eval"]))
    return out


def test_copy_rows_use_training_words_only(packs):
    sft, eval_ = packs["capability_train_copy"]
    copy_rows = [r for r in sft if r["category"].startswith("spelling_copy_")]
    assert {r["category"] for r in copy_rows} == {"spelling_copy_repeat", "spelling_copy_spell_spaced", "spelling_copy_spell"}
    train, held_out = set(word_pool()["train"]), set(word_pool()["eval"])
    assert all(r["problem"]["word"] in train for r in copy_rows)
    eval_words = {r["problem"]["word"] for r in eval_ if r["skill"] == "spelling"}
    assert eval_words and eval_words <= held_out
    # no held-out word, plain, spaced or comma-spelled, appears in any copy row's prompt or answer
    text = " " + "\n".join(m["content"] for r in copy_rows for m in r["messages"]).replace('"', " ").replace(".", " ") + " "
    forms = {f for w in eval_words for f in (f" {w} ", f" {' '.join(w)} ", f" {', '.join(w)} ")}
    assert not [f for f in forms if f in text]
    assert not [r for r in copy_rows if r["problem"]["word"] in eval_words]


def test_no_eval_split_exists():
    for stage, (_, gen) in COPY_STAGES.items():
        assert stage in STAGES
        with pytest.raises(ValueError, match="SFT rows only"):
            gen(random.Random(0), "eval", "scratchpad")


def test_eval_rows_are_the_default_recipes(packs):
    """Copy teaching changes the SFT mixture only: the eval rows are the default recipe's, row for row."""
    assert packs["capability_train_copy"][1] == packs["capability_train"][1]
    default_sft, copy_sft = packs["capability_train"][0], packs["capability_train_copy"][0]
    assert not any(r["category"].startswith("spelling_copy_") for r in default_sft)
    share = sum(r["category"].startswith("spelling_copy_") for r in copy_sft) / len(copy_sft)
    assert 0.09 < share < 0.12  # 0.12 of 1.12 in task_profiles.yaml


@pytest.mark.parametrize("mode, template, first_line", [
    ("repeat", "Repeat: {word}", None),
    ("spell_spaced", "Spell: {spaced}", "Spell it out: l, a, n, t, e, r, n."),
    ("spell", "Spell: {word}", "Spell it out: l, a, n, t, e, r, n."),
])
def test_reference_answers_pass_and_wrong_spellings_fail(mode, template, first_line):
    task = copy_task(mode, "lantern", template)
    row = {"id": "c", "skill": "spelling", "messages": [{"role": "user", "content": task.prompt}], **task.rules}
    assert task.answer.splitlines()[0] == (first_line or "lantern")
    assert score_reply(row, task.answer, task.prompt, CFG)["passed"]
    assert score_reply(row, "Final answer: lantern" if first_line else "Lantern.", task.prompt, CFG)["passed"]
    wrong = task.answer.replace("lantern", "lanterm") if mode == "repeat" else task.answer.replace("e, r, n.", "e, r, m.")
    assert not score_reply(row, wrong, task.prompt, CFG)["passed"]


def test_first_line_is_the_spelling_scratchpads():
    """The spelled line copy teaching practises is the one every scratchpad spelling answer starts with."""
    _, gen = STAGES["spelling_l2_spaced"]
    task = gen(random.Random(5), "train", "scratchpad")
    word = task.problem["word"]
    assert copy_task("spell", word, "Spell: {word}").answer.splitlines()[0] == task.answer.splitlines()[0]


def test_templates_are_not_eval_templates():
    from picochat_hf.data.skills.spelling import PROMPTS

    eval_templates = {t for mode in PROMPTS.values() for t in mode["eval"]}
    assert not eval_templates & {t for ts in copy_templates().values() for t in ts}


def test_demo_config_names_the_profile(tmp_path):
    assert DemoConfig().sft_profile == "capability_train"  # off by default
    path = tmp_path / "demo.yaml"
    path.write_text("sft_profile: capability_train_copy\n")
    assert DemoConfig.from_yaml(path).sft_profile == "capability_train_copy"
    path.write_text("seed: 1\nsft_profile: capability_train_copies\n")
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        DemoConfig.from_yaml(path)
    assert "demo.yaml:2" in str(err.value) and "sft_profile" in str(err.value)


def test_bad_template_file_names_file_and_field(tmp_path, monkeypatch):
    from picochat_hf.data.skills import spelling_copy
    from picochat_hf.utils.errors import PicochatInputError

    bad = tmp_path / "spelling_copy.yaml"
    bad.write_text("repeat: ['Repeat: {word}']\nspell_spaced: []\nspell: ['Spell: {word}']\n")
    monkeypatch.setattr(spelling_copy, "COPY_YAML", bad)
    with pytest.raises(PicochatInputError) as err:
        spelling_copy.copy_templates.__wrapped__()
    assert "spell_spaced" in str(err.value) and "spelling_copy.yaml" in str(err.value)
