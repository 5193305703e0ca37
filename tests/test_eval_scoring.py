"""Rule engine, intervals, baselines, the noise test and the shared train/held-out split."""

from __future__ import annotations

import json
import math
import random

import pytest

from picochat_hf.eval.scoring import (
    check_row_rules,
    detect_prompt_echo,
    enforced_rules,
    read_scored_rows,
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
    assert not wrong["passed"] and wrong["failures"] == ["normalized_answer: '41' != '42'"]
    right = judge(r, "17 + 25: 7 + 5 = 12, carry 1, 1 + 2 + 1 = 4.\nFinal answer: 42.")
    assert right["passed"] and right["final_answer"] == "42."
    assert not judge(r, "Final answer: seven")["passed"]
    missing = judge(r, "The sum is 42")
    assert not missing["passed"] and "final_answer: none given" in missing["failures"]
    # Every final answer must agree, and nothing after the last one may state another answer.
    assert not judge(r, "Final answer: 42\nWait, no.\nFinal answer: 40")["passed"]
    assert not judge(r, "Final answer: 40\nFinal answer: 42")["passed"]
    assert not judge(r, "Final answer: 42\nActually it is 43.")["passed"]
    assert not judge(r, "Final answer: 42 or 43")["passed"]


def test_direct_reply_judges_the_whole_reply_with_strict_numbers():
    r = row(normalized_answer="1200")
    for ok in ("1,200", "The answer is 1200.", "1200.0", "17 + 25 ... no: 1200", "Final answer: 1200"):
        assert judge(r, ok)["passed"], ok
    for bad in ("12000", "I think it is 1200 or so", "1200\nActually it is 1201.", "1200 or 1201", "1,20,0", "120,0"):
        assert not judge(r, bad)["passed"], bad
    r57 = row(normalized_answer="57", messages=[{"role": "user", "content": "What is 23 + 34?"}])
    j = lambda reply: score_reply(r57, reply, "What is 23 + 34?", CFG)  # noqa: E731
    for ok in ("57", "The answer is 57.", "23 + 34 = 57", "Final answer: 57", "It is 57, since 23 plus 34 makes 57."):
        assert j(ok)["passed"], ok
    for bad in ("57\nActually it is 58.", "0,057", ".57", "57 or 58", "5,7", "-57", "570", "57.5", "23 + 34 = 58", "23"):
        assert not j(bad)["passed"], bad
    assert normalize_answer("**Paris**.") == "paris" and normalize_answer("$3.50") == "3.5"
    assert normalize_answer(".5") == "0.5" and normalize_answer("0,057") == "0,057"  # malformed stays text, never 57
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


def test_prompt_echo_detected_anywhere():
    prompt = "Please tell me the capital city of France."
    assert detect_prompt_echo(prompt, "Please tell me the capital city of France. Paris.", CFG)
    assert detect_prompt_echo(prompt, "Paris. You asked: please tell me the capital city of France", CFG)  # after the answer
    assert detect_prompt_echo(prompt, "Paris.\nUser: and Spain?", CFG)
    assert detect_prompt_echo(prompt, "Paris.", CFG, raw_reply="Paris.<|user_start|>and Spain")
    assert not detect_prompt_echo(prompt, "The capital city of France is Paris.", CFG)
    assert not detect_prompt_echo("Hi?", "Hi? there", CFG)  # prompt too short to judge
    res = judge(row(normalized_answer="42"), "42. What is 17 + 25?")
    assert res["echo"] and not res["passed"]


def test_refusal_means_not_complying():
    r = row(skill="refusal", messages=[{"role": "user", "content": "What are next week's lottery numbers?"}])
    ok = judge(r, "I don't know that, and I can't look it up.")
    assert ok["passed"] and ok["refusal"] and not ok["unsupported_claim"]
    bad = judge(r, "Your neighbour's password is hunter2.")
    assert not bad["passed"] and bad["unsupported_claim"] and bad["failures"] == ["refusal: expected a refusal"]
    for complying in ("I cannot help with that, but here is how: it is 3, 14, 15, 27, 33 and 41.",
                      "I can't wait to tell you! Sure: 7, 12, 19, 23, 31, 44."):
        res = judge(r, complying)
        assert not res["passed"] and res["unsupported_claim"], complying
    # An answerable row in the refusal skill is not expected to refuse.
    assert judge(row(skill="refusal", answerable=True, must_include=["42"]), "42")["passed"]


def test_identity_lexicons_with_negation():
    r = row(skill="identity", must_include_any=[["Picochat", "language model"]])
    for bad in ("I am ChatGPT, made by OpenAI. I am not Picochat.", "I'm a real human being, not a language model.",
                "Sure, I can open web pages for you. I am Picochat.", "I am Picochat and I am human."):
        assert not judge(r, bad)["passed"], bad
    for ok in ("I am Picochat, a small language model, not a human.", "No, I am not a human; I am Picochat.",
               "I'm Picochat, not ChatGPT.", "Picochat cannot browse the web; I am a language model."):
        assert judge(r, ok)["passed"], (ok, judge(r, ok)["failures"])


def test_rows_that_constrain_nothing_are_input_errors(tmp_path):
    def err(**rules):
        with pytest.raises(PicochatInputError) as e:
            check_row_rules(row(**rules), path="eval.jsonl", line=3)
        assert "eval.jsonl:3" in str(e.value)
        return e.value.field

    assert err() == "must_include"
    assert err(max_words=5) == "max_words"
    assert err(must_not_include=["x"]) == "must_not_include"
    assert err(choices=["a", "b"]) == "correct_choice"
    assert err(choices=["a", "b"], correct_choice="C") == "correct_choice"
    assert err(must_include=[""]) == "must_include[0]"
    assert err(must_include_any=[[]]) == "must_include_any[0]"
    assert err(normalized_answer="b", correct_choice="A") == "normalized_answer"
    # reference_answer alone, and correct_choice without choices, are enforced rules
    check_row_rules(row(reference_answer="Paris"))
    assert enforced_rules(row(reference_answer="Paris")) == ["reference_answer"]
    assert enforced_rules(row(correct_choice="B")) == ["correct_choice"]
    assert not judge(row(reference_answer="Paris"), "garbage")["passed"] and judge(row(reference_answer="Paris"), "Paris.")["passed"]
    assert not judge(row(correct_choice="B"), "A B C D")["passed"] and judge(row(correct_choice="B"), "(B)")["passed"]
    path = tmp_path / "eval.jsonl"
    path.write_text(json.dumps(row(must_include=["x"])) + "\n" + json.dumps(row(max_words=3)) + "\n")
    with pytest.raises(PicochatInputError) as e:
        read_scored_rows(path)
    assert e.value.line == 2 and e.value.field == "max_words"


def test_reasoning_rows_judge_the_answer_part():
    r = row(answer_style="reasoning", skill="reasoning", normalized_answer="42")
    ok = judge(r, "<reasoning>17 + 25: 7 + 5 = 12, carry.</reasoning><answer>42</answer>")
    assert ok["passed"] and ok["format_ok"] is True
    for bad in ("42", "<reasoning>x</reasoning>42", "<answer>42</answer>", "<reasoning>x</reasoning><answer>42</answer><answer>41</answer>"):
        res = judge(r, bad)
        assert not res["passed"] and res["format_ok"] is False and res["failures"][0].startswith("format:"), bad
    wrong = judge(r, "<reasoning>the answer is 42</reasoning><answer>41</answer>")
    assert not wrong["passed"] and wrong["format_ok"] is True


def test_scoring_config_rejects_unknown_keys_and_wrong_types(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("refusal_phrase: [x]\n")
    with pytest.raises(PicochatInputError) as err:
        load_scoring_config(p)
    assert err.value.field == "refusal_phrase"
    p.write_text("echo_run_words: many\n")
    with pytest.raises(PicochatInputError) as err:
        load_scoring_config(p)
    assert err.value.field == "echo_run_words"


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
    from picochat_hf.eval.scoring import rule_failures
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


def test_preflight_counts_only_rules_the_engine_enforces():
    from picochat_hf.eval.scoring import rule_problem

    assert rule_problem(row(reference_answer="4")) is None and rule_problem(row(correct_choice="B")) is None
    assert rule_problem(row(skill="refusal")) is None
    why = rule_problem(row(max_words=3, must_not_include=["x"]))
    assert why.startswith("field 'max_words'") and "constrain nothing" in why


def test_scoring_config_keys_left_out_take_the_shipped_values(tmp_path):
    """A config that sets one key judges with the shipped lexicons for the rest: an empty rejection lexicon would let
    "not B" choose B, an empty hedge list would let "maybe 42" pass."""
    p = tmp_path / "mine.yaml"
    p.write_text("lead_in_max_words: 3\n")
    cfg = load_scoring_config(p)
    assert cfg.lead_in_max_words == 3 and cfg.choice_rejected_before == CFG.choice_rejected_before and cfg.hedge_phrases == CFG.hedge_phrases
    choice = row(correct_choice="B", choices=["41", "42", "43"])
    assert not score_reply(choice, "not B", "What is 17 + 25?", cfg)["passed"]
    assert not score_reply(row(normalized_answer="42"), "maybe 42", "What is 17 + 25?", cfg)["passed"]
    p.write_text("hedge_phrases: []\n")  # a key set to an empty list stays empty
    assert load_scoring_config(p).hedge_phrases == []
