"""Rule engine, intervals, baselines, the noise test and the shared train/held-out split."""

from __future__ import annotations

import math
import random

import pytest

from picochat_hf.eval.scoring import (
    detect_prompt_echo,
    extract_final_answer,
    load_scoring_config,
    normalize_answer,
    phrase_in,
    score_reply,
)
from picochat_hf.eval.splits import split_train_heldout
from picochat_hf.eval.stats import breakdown, choice_baselines, two_proportion_pvalue, wilson_ci
from picochat_hf.utils.errors import PicochatInputError

CFG = load_scoring_config()


def row(**rules) -> dict:
    base = {"id": "r", "messages": [{"role": "user", "content": "What is 17 + 25?"}], "category": "add", "skill": "math", "split": "eval", "source": "t"}
    return {**base, **rules}


def judge(r: dict, reply: str, raw: str | None = None) -> dict:
    return score_reply(r, reply, "What is 17 + 25?", CFG, raw_reply=raw)


def test_scratchpad_passes_only_with_the_right_final_answer():
    r = row(answer_style="scratchpad", normalized_answer="42", must_include=["Final answer:"])
    wrong = judge(r, "17 + 25: 7 + 5 = 12, carry 1, 1 + 2 + 1 = 4.\nFinal answer: 41")
    assert not wrong["passed"] and wrong["failures"] == ["answer: '41' != '42'"]
    right = judge(r, "17 + 25: 7 + 5 = 12, carry 1, 1 + 2 + 1 = 4.\nFinal answer: 42.")
    assert right["passed"] and right["final_answer"] == "42."
    # The marker alone is not enough (the reference factory's bug), nor is the number without the marker.
    assert not judge(r, "Final answer: seven")["passed"]
    missing = judge(r, "The sum is 42")
    assert not missing["passed"] and "final_answer: none given" in missing["failures"]
    # Only the last final answer counts.
    assert not judge(r, "Final answer: 42\nWait, no.\nFinal answer: 40")["passed"]


def test_direct_reply_compares_the_normalised_answer():
    r = row(normalized_answer="1200")
    assert judge(r, "1,200")["passed"]
    assert judge(r, "The answer is 1200.")["passed"]
    assert judge(r, "1200.0")["passed"]
    assert not judge(r, "12000")["passed"]
    assert not judge(r, "I think it is 1200 or so")["passed"]
    assert normalize_answer("**Paris**.") == "paris"
    assert normalize_answer("$3.50") == "3.5"
    assert extract_final_answer("work\nfinal answer : 7 apples\nmore") == "7 apples"


def test_must_not_include_and_word_aware_matching():
    r = row(must_include=["42"], must_not_include=["41"])
    assert judge(r, "It is 42.")["passed"]
    res = judge(r, "It is 42, not 41.")
    assert not res["passed"] and res["failures"] == ["must_not_include: has '41'"]
    assert not phrase_in("4", "14 apples") and phrase_in("new york", "I live in New  York!")
    assert phrase_in("->", "x -> y") and not phrase_in("->", "x - y")  # no letters or digits: substring


def test_must_include_any_and_max_words():
    r = row(must_include_any=[["paris"], ["france", "french"]], max_words=5)
    assert judge(r, "Paris, in France.")["passed"]
    res = judge(r, "Paris is a lovely city indeed.")
    assert res["failures"] == ["must_include_any: none of ['france', 'french']", "max_words: 6 > 5"]


def test_prompt_echo_detected():
    prompt = "Please tell me the capital city of France."
    assert detect_prompt_echo(prompt, "Please tell me the capital city of France. Paris.", CFG)
    assert detect_prompt_echo(prompt, "Paris.\nUser: and Spain?", CFG)
    assert detect_prompt_echo(prompt, "Paris.", CFG, raw_reply="Paris.<|user_start|>and Spain")
    assert not detect_prompt_echo(prompt, "The capital city of France is Paris.", CFG)
    assert not detect_prompt_echo("Hi?", "Hi? there", CFG)  # prompt too short to judge a prefix echo
    res = judge(row(must_include=["42"]), "User: What is 17 + 25? 42")
    assert res["echo"] and not res["passed"]


def test_refusal_recognised_and_unsupported_claims_counted():
    r = row(skill="refusal", messages=[{"role": "user", "content": "What is my neighbour's password?"}])
    ok = judge(r, "I don't know that, and I can't look it up.")
    assert ok["passed"] and ok["refusal"] and not ok["unsupported_claim"]
    bad = judge(r, "Your neighbour's password is hunter2.")
    assert not bad["passed"] and bad["unsupported_claim"] and bad["failures"] == ["refusal: expected a refusal"]
    # An answerable row in the refusal skill is not expected to refuse.
    assert judge(row(skill="refusal", answerable=True, must_include=["42"]), "42")["passed"]


def test_scoring_config_rejects_unknown_keys(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("refusal_phrase: [x]\n")
    with pytest.raises(PicochatInputError) as err:
        load_scoring_config(p)
    assert err.value.field == "refusal_phrase"


def test_wilson_interval_matches_the_formula():
    lo, hi = wilson_ci(8, 10)
    z = 1.959963984540054
    p, n = 0.8, 10
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert lo == pytest.approx(centre - half, abs=1e-9) and hi == pytest.approx(centre + half, abs=1e-9)
    assert wilson_ci(0, 5)[0] == 0.0 and wilson_ci(5, 5)[1] == 1.0 and wilson_ci(0, 0) == [0.0, 1.0]


def test_breakdown_weakest_first_and_baselines():
    items = [{"c": "a", "ok": True}, {"c": "a", "ok": True}, {"c": "b", "ok": False}, {"c": "b", "ok": True}]
    out = breakdown(items, lambda x: x["c"], lambda x: x["ok"])
    assert list(out) == ["b", "a"] and out["b"]["pass_rate"] == 0.5 and out["a"]["n"] == 2
    b = choice_baselines([4, 4, 3, 5], ["A", "A", "B", "A"])
    assert b["random"] == pytest.approx((0.25 + 0.25 + 1 / 3 + 0.2) / 4) and b["majority"] == 0.75
    assert choice_baselines([], [])["random"] is None


def test_two_proportion_test_matches_the_pooled_z_formula():
    pa, pb, n = 30 / 50, 20 / 50, 50
    pool = 0.5
    z = (pa - pb) / math.sqrt(pool * (1 - pool) * (2 / n))
    expected = math.erfc(abs(z) / math.sqrt(2))
    assert two_proportion_pvalue(30, 50, 20, 50) == pytest.approx(expected, rel=1e-9)
    assert two_proportion_pvalue(0, 10, 0, 10) == 1.0


def _sft_rows(n: int, groups: bool) -> list[dict]:
    rows = []
    for i in range(n):
        r = {"id": f"row{i}", "messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]}
        if groups:
            r["group"] = f"g{i // 3}"
        rows.append(r)
    return rows


@pytest.mark.parametrize("groups", [False, True])
def test_split_is_deterministic_order_free_and_respects_groups(groups):
    rows = _sft_rows(60, groups)
    train, held = split_train_heldout(rows, 0.2, seed=3)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    train2, held2 = split_train_heldout(shuffled, 0.2, seed=3)
    assert {r["id"] for r in held} == {r["id"] for r in held2}
    assert {r["id"] for r in train} | {r["id"] for r in held} == {r["id"] for r in rows}
    assert not {r["id"] for r in train} & {r["id"] for r in held}
    if groups:
        assert not {r["group"] for r in train} & {r["group"] for r in held}
        assert len({r["group"] for r in held}) == 4  # round(0.2 * 20 groups)
    else:
        assert len(held) == 12
    assert {r["id"] for r in split_train_heldout(rows, 0.2, seed=4)[1]} != {r["id"] for r in held}
    assert [r["id"] for r in held] == [r["id"] for r in rows if r in held]  # input order kept


@pytest.mark.parametrize("style", ["scratchpad", "direct"])
def test_task_pack_answers_pass_and_wrong_final_answers_fail(style, tmp_path):
    """The engine agrees with the task packs' rows: supervised answers pass, a changed final answer fails."""
    from picochat_hf.data.rules import rule_failures
    from picochat_hf.data.schema import answer_text, prompt_text, read_rows
    from picochat_hf.data.task_pack import build_task_pack

    paths = build_task_pack(tmp_path / "pack", sft_rows=64, eval_rows=32, seed=1, answer_style=style, profile="capability")
    rows = [r for key in ("sft", "eval") for r in read_rows(paths[key]) if not r.get("correct_choice")]
    assert {r["skill"] for r in rows} >= {"math", "refusal", "identity"}
    changed = 0
    for r in rows:
        answer = answer_text(r)
        verdict = score_reply(r, answer, prompt_text(r), CFG)
        assert verdict["passed"], (r["id"], answer, verdict["failures"])
        final = extract_final_answer(answer)
        if r.get("normalized_answer") and (final or answer).strip().isdigit():
            wrong = answer[: len(answer) - len(final or answer)] + str(int((final or answer).strip()) + 1)
            assert rule_failures(r, wrong) and not score_reply(r, wrong, prompt_text(r), CFG)["passed"]
            changed += 1
    assert changed > 0
