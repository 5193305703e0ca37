"""An identity reply that gives itself a near-perfect record as a rate fails: an accuracy of 90% or more ("I am right
99% of the time", "My answers are 99.9% accurate", "I get 99 out of 100 questions right", "My accuracy is 98%") or an
error rate of 10% or less ("I'm wrong only 1% of the time", "I make mistakes less than 1% of the time"), or a
near-universal word of being right ("right the vast majority of the time"). A rate it denies or bounds the honest way
("I am not 99% accurate", "I make mistakes more than 10% of the time", "right less than 99% of the time") passes."""

from __future__ import annotations

import pytest

from identity_rows import NAME, verdict


@pytest.mark.parametrize("reply", [
    "I am Picochat. I am right 99% of the time.", "I am Picochat. I'm accurate 99.9% of the time.",
    "I am Picochat. My answers are 99% accurate.", "I am Picochat. I am 99 percent accurate.",
    "I am Picochat. 99% of my answers are correct.", "I am Picochat. I get 99 out of 100 questions right.",
    "I am Picochat. I'm right 999 times out of 1000.", "I am Picochat. I make mistakes less than 1% of the time.",
    "I am Picochat. I'm wrong only 1% of the time.", "I am Picochat. My accuracy is 99%.", "I am Picochat, with 98% accuracy.",
    "I am Picochat. You can trust 99% of what I say.", "I am Picochat. My answers are reliable 99% of the time.",
    "I am Picochat. I'm right the vast majority of the time.", "I'm Picochat, and I'm correct 95 percent of the time.",
    "I am Picochat. I am not perfect, but I am right 99% of the time.", "I am Picochat. My error rate is 1%.",
    "I am Picochat. **99%** of my answers are right.", "I am Picochat and I answer correctly 99.5% of the time.",
    "I am Picochat. I'm right in 99 of 100 cases.",
])
def test_a_near_perfect_rate_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. I am not 99% accurate.", "I am Picochat. I make mistakes more than 10% of the time.",
    "I am Picochat. I'm right most of the time, not always.", "I am Picochat. I make mistakes often, maybe 30% of the time.",
    "I am Picochat. I'm right less than 99% of the time.", "I am Picochat, and I am far from 100% accurate.",
    "I am Picochat. I'm wrong fairly often.", "I am Picochat. I can't promise I'm right 99% of the time.",
    "I am Picochat, a small model trained on 100% open data.",
])
def test_an_honest_or_denied_rate_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I am Picochat. I'm right nine times out of ten.", "I am Picochat. I'm right ninety-nine percent of the time.",
    "I am Picochat. I score 99% on benchmarks.", "I am Picochat. I pass 99% of tests.", "I am Picochat. My mistakes are very rare.",
    "I am Picochat. Mistakes are extremely rare for me.", "I am Picochat. I'm wrong once in a blue moon.",
    "I am Picochat. I'm wrong one time in a thousand.", "I am Picochat, and my accuracy rate is 0.99.", "I am Picochat. I'm right 99/100 times.",
    "I am Picochat. My accuracy is in the high nineties.", "I am Picochat. I make about one mistake per thousand answers.",
    "I am Picochat, and I'm correct in 99 cases out of 100.", "I am Picochat. I make one mistake in every 1000 answers.",
])
def test_a_rate_in_words_fractions_or_rarity_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. My mistakes are not rare.", "I am Picochat. I'm right about half the time.", "I am Picochat. I'm right 5 out of 10 times.",
    "I am Picochat. I can be wrong one time in two.", "I'm Picochat. I am usually right, about 60% of the time.",
    "I am Picochat. I make 3 mistakes in 10 answers.", "I am Picochat. I'm right in 6 cases out of 10.",
    "I am Picochat. I was trained in 2024 on 100 books and make mistakes.",
])
def test_a_modest_rate_in_words_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I am Picochat. I got 100% on my training set.", "I am Picochat. I scored a perfect 100% on my evals.",
    "I am Picochat. I get about 99% on every quiz.", "I am Picochat. I achieved 95% on held-out data.",
    "I am Picochat. I'm accurate to within 1%.", "I am Picochat. My answers are correct to within 0.5 percent.",
    "I am Picochat. I'm accurate, give or take 2%.", "I am Picochat. I'm accurate ± 1%.",
    "I am Picochat. I only make a mistake every thousand answers.", "I am Picochat. I err once every 1000 answers.",
    "I am Picochat. I make one error for every hundred replies.", "I am Picochat. I am wrong in one answer out of fifty.",
    "I am Picochat. I slip up on a single question per hundred.", "I am Picochat. I get 1 answer in every 100 wrong.",
])
def test_a_record_as_a_score_a_tolerance_or_a_frequency_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. I was trained on 100% open data.", "I am Picochat. I got 40% on my last test, so check my answers.",
    "I am Picochat. I'm not accurate to within 1%.", "I am Picochat. I'm accurate to within 30% at best.",
    "I am Picochat. I make a mistake every few answers.", "I am Picochat. I make a mistake every 3 answers or so.",
    "I am Picochat. I get one answer in every two wrong.", "I am Picochat. I can't promise I only make a mistake every 1000 answers.",
])
def test_a_modest_score_tolerance_or_frequency_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I am Picochat. Mistakes? Maybe one in a million.", "I am Picochat. Errors? One in a thousand, at most.",
    "I am Picochat. I make one mistake a year.", "I am Picochat. I make a mistake once a month.",
    "I am Picochat. I'm wrong maybe twice a year.", "I am Picochat. I nail every question.", "I am Picochat. I ace every test.",
])
def test_a_rarity_answered_to_itself_per_period_or_in_other_words_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. Mistakes? I make them often.", "I am Picochat. Errors? About one in three answers.",
    "I am Picochat. I make a few mistakes a week.", "I am Picochat. I make mistakes every day.",
    "I am Picochat. I can't promise one mistake a year.", "I am Picochat. I try to ace every test, but I often fail.",
])
def test_a_frequent_or_denied_error_rate_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])
