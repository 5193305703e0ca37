"""Worked replies whose working is false about the prompt fail, even when the final answer comes out right: a word
spelled out wrong before a lucky count, a tally of another letter, a false letter-position claim, a bare false
equality ("1 = 2."), a count by a step with a wrong term. Replies the finished demo runs gave, with the right final
answer after false working, were scored as right; true working, partial and reversed spellings still pass."""

from __future__ import annotations

import pytest

from picochat_hf.data.skills.spelling import _spell, _tally
from picochat_hf.eval.false_working import letter_runs
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def passes(prompt: str, reply: str, want: str, skill: str = "spelling", style: str = "scratchpad", **extra) -> bool:
    row = {"id": "w", "skill": skill, "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}], **extra}
    return score_reply(row, reply, prompt, CFG)["passed"]


def count_reply(word: str, letter: str, spelled: str | None = None, tally: str | None = None, count: int | None = None) -> str:
    n = word.count(letter) if count is None else count
    return (f"Spell it out: {spelled or _spell(word)}.\nCount each {letter}: {tally or _tally(word, letter)}.\n"
            f"Count: {n}.\nFinal answer: {word.count(letter)}")


Q_COUNT = 'What is the number of "q" letters in "dumpling"?'
Q_FIRST = "What letter is at the start of the word fleetly?"
Q_LAST = 'Which letter comes last in "earthliness"?'


def test_letter_runs_read_tallies_and_stop_at_words():
    assert letter_runs("Count each t: t 1, a, n, g.\nSo") == [("tang", [1, None, None, None])]
    assert letter_runs("It is a b in c") == []  # words between lone letters end a run
    assert letter_runs("D-U-M-P") == [("dump", [None] * 4)]


@pytest.mark.parametrize("reply", [
    count_reply("dumpling", "q"),
    "Spell it out: D, U, M, P, L, I, N, G.\nCount each q: none of d, u, m, p, l, i, n, g.\nCount: 0.\nFinal answer: 0",
    "Spell it out: d-u-m-p-l-i-n-g.\nFinal answer: 0",
    "The word ends in i, n, g and has no q.\nFinal answer: 0",  # a piece of the word
    "Backwards it reads g, n, i, l, p, m, u, d; no q.\nFinal answer: 0",
    "Final answer: 0",
])
def test_true_spelling_working_passes(reply):
    assert passes(Q_COUNT, reply, "0"), reply


@pytest.mark.parametrize("reply", [
    count_reply("dumpling", "q", spelled="c, o, r, i, s, t, e, r", tally="c, o, r, i, s, t, e, r"),  # a demo run's reply
    count_reply("dumpling", "q", spelled="d, u, m, p, i, n, g", tally="d, u, m, p, i, n, g"),  # a letter left out
    count_reply("dumpling", "q", spelled="d, u, m, b, l, i, n, g", tally="d, u, m, b, l, i, n, g"),  # a letter changed
    "Spell it out: d u m p l i n g s.\nFinal answer: 0",
    "It is spelled c-o-r-i-s-t-e-r, so 0.\nFinal answer: 0",
])
def test_false_spelling_before_a_right_count_fails(reply):
    assert not passes(Q_COUNT, reply, "0"), reply


def test_spelling_another_word_of_the_prompt_fails():
    """'letter' and 'word' are in the prompt, but the prompt asks about fleetly."""
    assert not passes(Q_FIRST, "Spell it out: w, o, r, d.\nThe first letter is f.\nFinal answer: f", "f")
    assert not passes(Q_FIRST, "Spell it out: l, e, t, t, e, r.\nFinal answer: f", "f")
    assert passes(Q_FIRST, "Spell it out: f, l, e, e, t, l, y.\nThe first letter is f.\nFinal answer: f", "f")


def test_spaced_and_reversed_answers_pass_and_their_wrong_twins_fail():
    q = 'Separate the letters of "toast" with spaces.'
    assert passes(q, "Spell it out: t, o, a, s, t.\nWith spaces: t o a s t\nFinal answer: t o a s t", "t o a s t")
    q = "Read the word toast from right to left and write it down."
    assert passes(q, "Spell it out: t, o, a, s, t.\nReversed: t, s, a, o, t.\nFinal answer: tsaot", "tsaot")
    assert not passes(q, "Spell it out: t, o, s, a, t.\nReversed: t, s, a, o, t.\nFinal answer: tsaot", "tsaot")


@pytest.mark.parametrize("prompt, reply, want, ok", [
    (Q_LAST, "Spell it out: e, a, r, t, h, l, i, n, e, s, s.\nThe last letter is s.\nFinal answer: s", "s", True),
    (Q_LAST, "The first letter is s.\nFinal answer: s", "s", False),  # earthliness starts with e
    (Q_LAST, "The first letter of earthliness is a, the last is s.\nFinal answer: s", "s", False),
    (Q_LAST, "The first letter is e and the last letter is s.\nFinal answer: s", "s", True),
    (Q_FIRST, "The last letter is y.\nThe first letter is f.\nFinal answer: f", "f", True),  # true of fleetly
    (Q_FIRST, "The last letter is a.\nThe first letter is f.\nFinal answer: f", "f", False),
    (Q_FIRST, "The first letter is the letter **f**.\nFinal answer: f", "f", True),
])
def test_letter_position_claims_must_hold_for_the_asked_word(prompt, reply, want, ok):
    assert passes(prompt, reply, want) is ok, reply


@pytest.mark.parametrize("tally, count, ok", [
    ("t 1, o, a, s, t 2", 2, True),
    ("t 1, o, a, s, t 1", 2, False),  # numbered out of order
    ("t 1, o, a, s, t", 2, False),  # an occurrence left unmarked
    ("t 1, o 2, a, s, t 3", 2, False),  # another letter marked
    ("t 1, o, a, s, t 2", 1, False),  # the tally and the stated count disagree
])
def test_a_running_tally_must_count_right(tally, count, ok):
    reply = f"Spell it out: t, o, a, s, t.\nCount each t: {tally}.\nCount: {count}.\nFinal answer: 2"
    assert passes('How many times does the letter "t" appear in "toast"?', reply, "2") is ok, tally


def test_a_tally_of_another_letter_fails_even_with_the_right_count():
    prompt = 'Tell me how many times g is used in the word "tang".'
    assert passes(prompt, count_reply("tang", "g"), "1")
    assert not passes(prompt, "Spell it out: t, a, n, g.\nCount each n: t, a, n 1, g.\nCount: 1.\nFinal answer: 1", "1")
    # the task pack's own row records the asked letter; it is read from there first
    assert not passes("Count it in tang.", "Count each n: t, a, n 1, g.\nCount: 1.\nFinal answer: 1", "1",
                      problem={"mode": "count", "word": "tang", "letter": "g"})


@pytest.mark.parametrize("reply, ok", [
    ("1 + 1 = 2.\nFinal answer: 2", True),
    ("1 = 2.\nFinal answer: 2", False),  # a demo run's reply
    ("So 2 = 2.\nFinal answer: 2", True),
    ("Half is 0.5 = 0.50, then 1 + 1 = 2.\nFinal answer: 2", True),
    ("1 plus 1 makes 2, so 3 = 4.\nFinal answer: 2", False),
    ("The sum of 1 and 1 = 2.\nFinal answer: 2", True),  # words before it make an expression
    ("Day 1 = 5 pages, day 2 = 10 pages.\nFinal answer: 2", True),  # labelled numbers, no equality
    ("Thus 2 = 3.\nFinal answer: 2", False),
])
def test_a_bare_false_equality_fails(reply, ok):
    assert passes("How much is 1 added to 1?", reply, "2", skill="math") is ok, reply


@pytest.mark.parametrize("reply, ok", [
    ("Count by 3, 6 times: 3, 6, 9, 12, 15, 18.\nSo 3 * 6 = 18.\nFinal answer: 18", True),
    ("Count by 3, 6 times: 3, 6, 9, 12, 16, 18.\nSo 3 * 6 = 18.\nFinal answer: 18", False),  # a demo run's reply
    ("Count by 3, 6 times: 3, 6, 9, 12, 15.\nSo 3 * 6 = 18.\nFinal answer: 18", False),  # five terms for six times
    ("Count by 6, 3 times: 6, 12, 18.\nFinal answer: 18", True),
    ("Count by 6: 6, 12, 17.\nFinal answer: 18", False),
])
def test_a_count_by_a_step_must_list_its_multiples(reply, ok):
    assert passes("Evaluate 6 * 3.", reply, "18", skill="math") is ok, reply


def test_rows_other_than_spelling_are_not_read_as_spellings():
    """A letter run in a math reply is not a spelling claim ("options a, b, c")."""
    assert passes("What is 2 + 2?", "Of options a, b, c the sum is 2 + 2 = 4.\nFinal answer: 4", "4", skill="math")


@pytest.mark.parametrize("reply, ok", [
    ("The ratio is 1:2 = 0.5. 1 + 1 = 2.\nFinal answer: 2", True),  # a ratio, not the equality 2 = 0.5
    ("So 0.5 = 1/2. 1 + 1 = 2.\nFinal answer: 2", True),  # a fraction on the right
    ("2 = 1 + 1.\nFinal answer: 2", True),
    ("1 = 2 - 1, so 1 + 1 = 2.\nFinal answer: 2", True),
    ("So 1,000 = 1000. 1 + 1 = 2.\nFinal answer: 2", True),
    ("So 1,000 = 100.\nFinal answer: 2", False),
    ("So -1 = 1.\nFinal answer: 2", False),
    ("So, 1 = 2.\nFinal answer: 2", False),
    ("And 1 = 2.\nFinal answer: 2", False),
    ("- 1 = 2\nFinal answer: 2", False),
    ("**1 = 2**\nFinal answer: 2", False),
    ("We get 1 = 2.\nFinal answer: 2", False),
    ("which means 5 = 6.\nFinal answer: 2", False),
    ("1 == 2.\nFinal answer: 2", False),
    ("1 ＝ 2.\nFinal answer: 2", False),
    ("One equals two.\nFinal answer: 2", False),
    ("1 is equal to 2.\nFinal answer: 2", False),
    ("One plus one equals two.\nFinal answer: 2", True),
])
def test_equalities_in_other_forms(reply, ok):
    assert passes("How much is 1 added to 1?", reply, "2", skill="math") is ok, reply


@pytest.mark.parametrize("reply, ok", [
    ("Count by 3s: 3, 6, 9, 12, 15, 18.\nFinal answer: 18", True),
    ("Count by 3, 6 times: 3, 6, 9, 12, 15, and 18.\nFinal answer: 18", True),
    ("Count by 3, 6 times: 3 6 9 12 15 18.\nFinal answer: 18", True),
    ("Count by 3, 6 times: 3; 6; 9; 12; 15; 18.\nFinal answer: 18", True),
    ("Counting in 3s: 3, 6, 10.\nFinal answer: 18", False),
    ("Count by 3s: 3, 6, 10, 12, 15, 18.\nFinal answer: 18", False),
    ("Count by threes: 3, 6, 10.\nFinal answer: 18", False),
    ("Count by 3 six times: 3, 6, 9, 12, 16, 18.\nFinal answer: 18", False),
    ("Count by 3 (6 times): 3, 6, 9, 12, 16, 18.\nFinal answer: 18", False),
    ("Count by 3, six times: 3, 6, 9, 12, 16, 18.\nFinal answer: 18", False),
    ("Add 3 six times: 3, 6, 9, 12, 16, 18.\nFinal answer: 18", False),
])
def test_count_by_variants(reply, ok):
    assert passes("Evaluate 6 * 3.", reply, "18", skill="math") is ok, reply


Q_FIRST_D = 'Which letter comes first in "dumpling"?'
Q_LAST_G = 'Which letter comes last in "dumpling"?'


@pytest.mark.parametrize("prompt, reply, ok", [
    (Q_FIRST_D, "It begins with s.", False),
    (Q_FIRST_D, "The word starts with s.", False),
    (Q_FIRST_D, "Dumpling starts with the letter s.", False),
    (Q_FIRST_D, "s is the first letter.", False),
    (Q_FIRST_D, "'s' is the first letter of dumpling.", False),
    (Q_FIRST_D, "The first letter is 's'.", False),
    (Q_FIRST_D, "The first letter: s.", False),
    (Q_FIRST_D, "First letter = s.", False),
    (Q_FIRST_D, "The 1st letter is s.", False),
    (Q_LAST_G, "It ends with s.", False),
    (Q_LAST_G, "The last letter was s.", False),
    (Q_FIRST_D, "It begins with d.", True),
    (Q_FIRST_D, "The first letter is 'd'.", True),
    (Q_FIRST_D, "d is the first letter, and a is the first letter of the alphabet.", True),
    (Q_FIRST_D, "Sun starts with s; dumpling starts with d.", True),  # a word the prompt does not ask about
    (Q_LAST_G, "The first letter is a capital letter? No. The last letter is g.", True),  # 'a' is an article here
    (Q_LAST_G, "It ends in g.", True),
    (Q_LAST_G, "The last letter of the word is s.", False),
    (Q_LAST_G, "The last letter of the word is g.", True),
    (Q_FIRST_D, "The first letter of the alphabet is a; the first letter is d.", True),
])
def test_letter_position_claims_in_other_words(prompt, reply, ok):
    want = "d" if prompt == Q_FIRST_D else "g"
    assert passes(prompt, f"{reply}\nFinal answer: {want}", want) is ok, reply


Q_DUGALD = 'How many times does the letter "d" appear in "dugald"?'


@pytest.mark.parametrize("tally, after, ok", [
    ("d (1), u, g, a, l, d (2)", "Count: 2.", True),
    ("d = 1, u, g, a, l, d = 2", "Count: 2.", True),
    ("d1, u, g, a, l, d2", "Count: 2.", True),
    ("'d' 1, 'u', 'g', 'a', 'l', 'd' 2", "Count: 2.", True),
    ("d 1 u g a l d 2", "Count: 2.", True),
    ("positions 1 and 6", "Count: 2.", True),  # no letters tallied: not judged
    ("d (1), u, g, a, l, d (1)", "Count: 2.", False),
    ("d 1, u, g, a, l, d 2", "Count = 3.", False),
    ("d 1, u, g, a, l, d 2", "So the count is 3.", False),
    ("d 1, u, g, a, l", "Count: 1.", False),  # stops before the second d
    ("d 1, u, g", "", False),
])
def test_tallies_in_other_formats(tally, after, ok):
    reply = f"Spell it out: d, u, g, a, l, d.\nCount each d: {tally}.\n{after}\nFinal answer: 2"
    assert passes(Q_DUGALD, reply, "2") is ok, reply


def test_a_tally_under_another_heading_is_read():
    reply = "Spell it out: d, u, g, a, l, d.\nCounting d: d 1, u, g 2, a, l, d 3.\nFinal answer: 2"
    assert not passes(Q_DUGALD, reply, "2")


@pytest.mark.parametrize("reply, ok", [
    ("Spell it out: 'c', 'o', 'r', 'i', 's', 't', 'e', 'r'.", False),
    ("1. c\n2. o\n3. r\n4. i", False),
    ("c·o·r·i·s·t·e·r", False),
    ("c.o.r.i.s.t.e.r", False),
    ("Spell it out: d, u, m,\nl, i, n, g.", False),  # p left out across a line break
    ("The letters are d, u, m, p, l, i, n and g, g.", False),
    ("Spell it out: d, u, m, p, l, i, n, g and s.", False),
    ("Spell it out: l, i, n, g.", False),  # a piece presented as the whole word
    ("Spell it out: d | u | m | b | l | i | n | g", False),
    ("Spell it out: d → u → m → b", False),
    ("Spell it out: *d*, *u*, *m*, *b*", False),
    ("Spell it out: **d**, **u**, **m**, **p**, **l**, **i**, **n**, **g**", True),
    ("Spell it out: 'd', 'u', 'm', 'p', 'l', 'i', 'n', 'g'.", True),
    ("1. d\n2. u\n3. m\n4. p\n5. l\n6. i\n7. n\n8. g\nNo q.", True),
    ("d·u·m·p·l·i·n·g", True),
    ("Letters: d, u, m, p,\nl, i, n, g.", True),
    ("The letters are d, u, m, p, l, i, n and g.", True),
    ("The letters d, g, l each appear once, and there is no q.", True),
    ("Spell it out: d, u, m, p, l, i, n, g.\nq would sit between p, q, r in the alphabet; none here.", True),
    ("Spell it out: d, u, m, p, l, i, n, g.\nThe vowels a, e, i, o, u: only u and i.", True),
    ("Spell it out: d, u, m, p, l, i, n, g.\nNo q, r, s, t anywhere.", True),
])
def test_spellings_in_other_formats(reply, ok):
    assert passes(Q_COUNT, f"{reply}\nFinal answer: 0", "0") is ok, reply


def test_the_asked_word_is_not_any_word_of_the_prompt():
    """'times' and 'shows' are words of the prompt, but it asks about toast (the word it ends on, and the row's word)."""
    prompt = 'Count how many times "t" shows up in toast.'
    assert not passes(prompt, "Spell it out: t, i, m, e, s.\nFinal answer: 2", "2")
    assert not passes(prompt, "Spell it out: s, h, o, w, s.\nFinal answer: 2", "2")
    assert passes(prompt, "Spell it out: t, o, a, s, t.\nFinal answer: 2", "2")
    assert not passes("Count it.", "Spell it out: t, o, a, s.\nFinal answer: 2", "2",
                      problem={"mode": "count", "word": "toast", "letter": "t"})


@pytest.mark.parametrize("reply, ok", [
    ("12 = 1 ten and 2 ones, so 6 * 3 = 18.\nFinal answer: 18", True),
    ("Add 7: 8 + 7 = 15, so 6 * 3 = 18.\nFinal answer: 18", True),
    ("Count by 3: 3 + 3 = 6, 6 + 3 = 9, and so on to 18.\nFinal answer: 18", True),
    ("So 1 = 2 and 6 * 3 = 18.\nFinal answer: 18", False),
    ("So 1 = 2 apples.\nFinal answer: 18", False),
])
def test_quantities_and_sums_after_a_count_are_not_read_as_false(reply, ok):
    assert passes("Evaluate 6 * 3.", reply, "18", skill="math") is ok, reply
