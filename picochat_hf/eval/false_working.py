"""Working that is false about the prompt fails a reply, even when its final answer comes out right.

A scratchpad shows how the answer was reached; a right final answer after false working is a lucky guess, and
scoring it as right credits the model with a skill it did not show. `answers.false_equation` already fails a false
equation ("43 + 44 = 88"). This module checks the other statements worked replies make:

- spelling: a word spelled out letter by letter ("Spell it out: c, o, r, i, s, t, e, r." asked about "dumpling") must
  be a piece of the word the prompt asks about, read forwards or backwards; a letter-position claim ("The first letter is s."
  about "earthliness") must hold for the word asked about; a tally ("Count each t: t, a, n, g 1.") must count the asked
  letter, mark each of its occurrences 1, 2, ... in order, and agree with the count stated after it;
  a claim about the word reversed ("The reversed word starts with e.") must hold for it reversed (`reversed_claims`),
  and a tally of numbers ("Tally of o: 1, 2") must run to the letter's count (`number_tallies`);
- arithmetic: a bare equality of two different numbers ("1 = 2."), a count by a step ("Count by 3, 6 times: 3, 6,
  9, 12, 16, 18.") or headed by its groups ("Three fours: 4, 8, 13.") whose terms are not the step's multiples in order,
  and quantities in words read as sums (`worded_groups`: "6 tens minus 4 tens is 3 tens", "Six elevens make 72"), a sum
  under a repeating heading (`repeated_sums`: "Add 9 four times: 9+9+9+9") and a count on or back in ones
  (`counting_on`: "Count back 3 from 12: 11, 10, 9"); an equation that relates the answer to numbers the row never gave
  ("So 6 × 6 = 36." asked 9 × 4) and single-digit sums that are no column of the row (`worked_operands`).

Only statements that can be checked from the prompt alone are judged; anything else is left to the answer rules. The
spelling checks live in `false_spelling`; the arithmetic ones here.
"""

from __future__ import annotations

import re
from typing import Any

from .answers import false_equation, normalize_answer, number_mentions, parse_number, spell_out_numbers
from .claimed_results import false_claimed_result
from .chained_steps import false_chained_step, false_multiples, false_restatement, split_sums
from .column_steps import false_borrow_change, false_column_step, false_comparison, false_correction
from .counting_on import false_counting
from .foreign_working import foreign_working
from .false_spelling import false_glued, false_spelling, false_tally, letter_runs
from .labelled_counts import false_label_count
from .letter_counts import false_letter_count
from .letter_labels import false_labels
from .letter_positions import false_position
from .letter_relative import false_count_places, false_middle, false_relative, false_word_end
from .spelling_words import the_asked_word
from .number_glosses import false_gloss, other_operand_equation, other_operand_gloss
from .number_groups import second_count, second_place_count
from .number_holders import false_count
from .number_owners import count_owners
from .number_tallies import false_number_tally, without_number_tallies
from .repeated_sums import false_repeated_sum
from .restated_sums import false_operands
from .reversed_claims import false_reversed_claim, split_reversed
from .stated_results import false_result
from .story_items import false_change_count, false_item_count, without_story_nouns
from .worded_groups import groups_as_sums
from .worked_operands import foreign_column_step, foreign_step
from .word_claims import false_doubled, false_near_miss, false_part_count, false_vowel_count
from .worded_steps import as_equations

__all__ = ["letter_runs", "working_failures"]

_WORD_NUM = r"\d+|[a-z]+?"
# "Count by 3, 6 times:", "Counting in 3s:", "Count by threes:", "Count by 3 (six times):", "Add 3 six times:"; the terms
# may be parted by commas, semicolons or spaces, the last one after "and".
_COUNT_BY = re.compile(rf"\b(?:(?:skip[- ]?)?count(?:ing)?\s+(?:by|in)\s+({_WORD_NUM})(?:s|'s)?(?:\s*[,(]?\s*({_WORD_NUM})\s+times\)?)?"
                       rf"|add(?:ing)?\s+({_WORD_NUM})\s*[,(]?\s*({_WORD_NUM})\s+times\)?)"
                       r"\s*:\s*(-?\d+(?:\s*[,;]?\s*(?:and\s+)?-?\d+)*)(?![\d.]\d|\s*[-+*/×÷=])",
                       re.IGNORECASE)
# A count headed by its groups ("Three fours: 4, 8, 12.", "Eight sixes: 6, 12, ..."): two terms or more, ending the clause
_GROUP_COUNT = re.compile(r"\b(\d+|[a-z]+)\s+([a-z]+?)(?:es|s)\s*:\s*(-?\d+(?:\s*[,;]?\s*(?:and\s+)?-?\d+)+)"
                          r"(?=\s*(?:[.;\n]|$|so\b|then\b))", re.IGNORECASE)
# A count headed by groups of a size ("4 groups of 9: 9, 18, 27, 36", "3 lots of 4: 4, 8, 12")
_GROUPS_OF = re.compile(r"\b(\d+|[a-z]+)\s+(?:lots|groups|sets|rows|bags|piles)\s+of\s+(\d+|[a-z]+)\s*:\s*(-?\d+(?:\s*[,;]?\s*(?:and\s+)?-?\d+)+)"
                        r"(?=\s*(?:[.;\n]|$|so\b|then\b))", re.IGNORECASE)
# A number: thousands separators ("1,000") and a minus sign ("-1") are part of it.
_NUM = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A bare equality; a number glued to ":" or "/" is a ratio, time or fraction ("1:2 = 0.5", "10:30"), and a right side
# that goes on with an operator is an expression ("0.5 = 1/2", "2 = 1 + 1"), both left to `answers.false_equation`.
_BARE_EQUALITY = re.compile(rf"(?<![\w.,:/^-])({_NUM})\s*(?:==?|＝|\bequals\b|\bis\s+equal\s+to\b)\s*({_NUM})"
                            r"(?![\w]|[.,]\d|\s*[-+*/×÷^:]\s*[\d(])"
                            # a place value after the right side makes it a quantity ("12 = 1 ten and 2 ones"); a unit
                            # does not ("So 1 = 2 apples." is false)
                            r"(?![ \t]+(?:\d|(?:tens?|ones?|hundreds?|thousands?|dozens?)\b))", re.IGNORECASE)
# A bare equality is a statement only where a number stands alone: at the start, after punctuation, a list bullet or a
# connective ("1 = 2.", "So, 3 = 4", "- 1 = 2", "We get 5 = 6"); "Day 1 = 5 pages" labels a number, and "3 and 4 = 7"
# or "6 + 1 = 7" is an expression ("And" opens a statement only at the start of a sentence).
_STATEMENT_BEFORE = re.compile(r"(?:^|[\n.:;!?(]|(?:^|\n)\s*(?:[-*•]|\*\*)|\b(?:so|thus|then|hence|therefore|because|since|"
                               r"get|gets|got|gives|give|gave|yields|means|shows|obtain)\s*,?|(?:^|[\n.:;!?]\s*)and)\s*\**\s*$",
                               re.IGNORECASE)


def product_operands(row: dict, prompt: str) -> tuple[float, float] | None:
    """The two factors of a multiplication the row asks for: its recorded problem, else the two numbers of a prompt that
    multiplies ("Evaluate 4 multiplied by 9."); None for any other prompt."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if problem.get("op") in ("*", "×", "x") and all(isinstance(problem.get(k), (int, float)) for k in ("a", "b")):
        return float(problem["a"]), float(problem["b"])
    numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]\d)", prompt)
    if problem or len(numbers) != 2 or not re.search(r"[*×]|\btimes\b|\bmultipl", prompt, re.IGNORECASE):
        return None
    return float(numbers[0]), float(numbers[1])


def false_count_by(reply: str, st: Any = None, operands: tuple[float, float] | None = None) -> str | None:
    """A count by a step whose terms are not its multiples in order ("Count by 3, 6 times: 3, 6, 9, 12, 16, 18",
    "Counting in 3s: 3, 6, 10"), or, on a multiplication (`operands`), a count whose step and number of terms are not
    its two factors ("Count by 8, 4 times: 8, 16, 24, 32." or "Count by 9, 5 times: ..." asked 4 * 9)."""
    for m in _COUNT_BY.finditer(reply):
        step_text, times_text = m.group(1) or m.group(3), m.group(2) or m.group(4)
        step = _number(step_text, st) if _number(step_text, st) is not None else _number(step_text[:-1], st)  # "sixes"
        times = _number(times_text, st) if times_text else None
        if step is None or (times_text and times is None):
            continue
        terms = [int(t) for t in re.findall(r"-?\d+", m.group(5))]
        want = [step * (i + 1) for i in range(len(terms))]
        if terms != want or (times is not None and len(terms) != times):
            return m.group(0).strip()
        # the step must be a factor; a stated number of times must be the other one ("Count by 9: 9, 18, 27, ..." may stop)
        if operands is not None and (step not in operands or (times is not None and sorted((step, times)) != sorted(operands))):
            return m.group(0).strip()
    return _false_group_count(reply, st)


def _false_group_count(reply: str, st: Any) -> str | None:
    """A count headed by its groups whose terms are not the multiples of the group, one for each ("Three fours: 4, 8,
    13", "Three fours: 4, 8, 12, 16", "4 groups of 9: 9, 18, 26, 36")."""
    for m in [*_GROUP_COUNT.finditer(reply), *_GROUPS_OF.finditer(reply)]:
        times, step = _number(m.group(1), st), _number(m.group(2), st)
        if times is None or step is None:
            continue
        terms = [int(t) for t in re.findall(r"-?\d+", m.group(3))]
        if terms != [step * (i + 1) for i in range(len(terms))] or len(terms) != times:
            return m.group(0).strip()
    return None


def _number(text: str, st: Any) -> float | None:
    words = list(getattr(st, "number_words_units", []))
    if text.lower() in words:
        return float(words.index(text.lower()))
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _worded(reply: str, st: Any) -> str:
    """`reply` with the number words one to nineteen standing alone written as digits ("One equals two")."""
    words = list(getattr(st, "number_words_units", []))
    if not words:
        return reply
    alternation = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.sub(rf"\b(?:{alternation})\b(?!-)", lambda m: str(words.index(m.group(0).lower())), reply, flags=re.IGNORECASE)


def false_equality(reply: str, st: Any = None) -> str | None:
    """A bare equality of two different numbers stated on its own ("1 = 2.", "One equals two."); an expression before
    the first number is left to `answers.false_equation`, and a labelled number ("Day 1 = 5 pages") is no equality."""
    for text in map(split_sums, (reply, _worded(reply, st), as_equations(_worded(reply, st), st))):
        for m in _BARE_EQUALITY.finditer(text):
            if not _STATEMENT_BEFORE.search(text[: m.start()]):
                continue
            left, right = _number(m.group(1), st), _number(m.group(2), st)
            if left is not None and right is not None and left != right:
                return m.group(0)
    return None


def _problem(row: dict) -> dict:
    return row["problem"] if isinstance(row.get("problem"), dict) else {}


def is_spelling_row(row: dict) -> bool:
    return any(str(row.get(key) or "").lower().startswith("spelling") for key in ("skill", "category", "stage"))


def second_counts(row: dict, reply: str, prompt: str, st: Any) -> str | None:
    """Why a count the reply gives the asked person or place after its answer contradicts it ("The shelf has 6 buttons.
    It has 84.", "Pia has 61 left. Pia has 91."), read over the whole reply with its working; None when none does."""
    expected = row.get("normalized_answer") if row.get("normalized_answer") is not None else row.get("reference_answer")
    answer = parse_number(normalize_answer(str(expected))) if expected is not None else None
    if answer is None:
        return None
    # an operand is working ("the jar has 12 - 6 = 6"), not a count given to anyone
    mentions = [m for m in number_mentions(reply, st.operator_words, st.negative_words) if not m.operand]
    return second_place_count(reply, mentions, answer, prompt, st) or second_count(reply, mentions, answer, prompt, st)


def false_owned_count(reply: str, prompt: str, st: Any, answer: str) -> str | None:
    """A count the working of a story gives a person that the prompt does not ("Liam took 47 cookies." when Liam takes out 48,
    "Sam has 6." with no Sam in the story); the answer itself and results the working derives after "=" are not
    judged ("Pia has 61 left", "91 - 30 = 61")."""
    text, told = spell_out_numbers(reply, st), spell_out_numbers(prompt, st)
    derived = {parse_number(v) for v in re.findall(r"=\s*(\d[\d,]*(?:\.\d+)?)", as_equations(text, st))}
    mentions = number_mentions(text, st.operator_words, st.negative_words)
    parts: set[int] = set()
    for i, m in enumerate(mentions):
        if i in parts or m.operand or m.value in (None, answer) or m.value in derived:
            continue
        owners = count_owners(text, m.start, m.end, st, told)
        wrong = false_count(owners, m.value, told, st)
        run = _parts_run(text, mentions, i)
        if wrong and run and false_count(owners, _total(m.value, [mentions[j].value for j in run]), told, st) is None:
            parts.update(run)  # "Liam takes 40 cookies and then 8 more": the move told in parts
            continue
        if wrong:
            return f"{text[m.start : m.end]!r} {wrong}"
    return None


# the words between two parts of one move: "40 cookies and then 8 more", "40, then another 8"
_PART_GAP = re.compile(r"[a-z ,]*\b(?:and|then|plus|another)\b[a-z ,]*", re.IGNORECASE)


def _parts_run(text: str, mentions: list[Any], i: int) -> list[int]:
    """The mentions after `mentions[i]` in its clause that go on with more of the same move ("and then 8 more")."""
    run, k = [], i
    while k + 1 < len(mentions) and mentions[k + 1].value is not None and not mentions[k + 1].operand \
            and _PART_GAP.fullmatch(text[mentions[k].end : mentions[k + 1].start]):
        k += 1
        run.append(k)
    return run


def _total(first: str, rest: list[str]) -> str:
    total = float(first) + sum(float(v) for v in rest)
    return parse_number(str(int(total)) if total.is_integer() else str(total)) or str(total)


def _answer_split(row: dict, reply: str, st: Any) -> tuple[str, str]:
    """(the text of `reply` the answer judge reads, the rest): a reasoning trace's `<answer>` part and its `<reasoning>`
    part, the last final-answer line and the text around it, or the whole reply and nothing."""
    if str(row.get("answer_style") or "").lower() == "reasoning":
        parts = [re.search(rf"<{tag}>(.*?)</{tag}>", reply, re.DOTALL) for tag in ("answer", "reasoning")]
        return parts[0].group(1) if parts[0] else "", parts[1].group(1) if parts[1] else ""
    marks = list(re.finditer(re.escape(st.final_answer_marker) + r"\s*[:：]", reply, re.IGNORECASE))
    if not marks:
        return reply, ""
    line, _, after = reply[marks[-1].end() :].partition("\n")
    return line, reply[: marks[-1].start()] + "\n" + after


def _false_step(row: dict, reply: str, signed: str, prompt: str, st: Any) -> str | None:
    """The first false arithmetic step of the working: equalities, counts by a step, repeated sums, counting on, lists of
    multiples, restatements, chained steps, equations, operands, comparisons, corrections and column steps; quantities
    in words ("6 tens minus 4 tens is 2 tens", "Six elevens make 72") are read as the sums they state (`signed`)."""
    factors = product_operands(row, prompt)
    return (false_equality(reply, st) or false_count_by(reply, st, factors) or false_repeated_sum(reply, st) or false_counting(reply)
            or false_multiples(signed, factors) or false_restatement(signed) or false_chained_step(signed)
            or false_equation(signed, st) or false_operands(signed, row, prompt) or false_comparison(reply)
            or false_comparison(spell_out_numbers(reply, st)) or false_correction(reply) or false_borrow_change(reply)
            or false_column_step(reply, row))


def _claimed_result(row: dict, reply: str, prompt: str, st: Any, answer: str | None) -> str | None:
    """A sentence of the working before the final-answer line (a reasoning trace's `<reasoning>`) that gives another number
    as the result (`claimed_results`); arithmetic rows only."""
    if answer is None or is_spelling_row(row):
        return None
    _, worked = _answer_split(row, reply, st)
    return false_claimed_result(spell_out_numbers(worked, st), answer, prompt, spell_out_numbers(prompt, st), st) if worked.strip() else None


def glossed_failure(row: dict, reply: str, prompt: str, st: Any, answer: str | None) -> str | None:
    """Why a gloss in `reply` fails it (`number_glosses`): a false gloss in the working the answer judge did not read, or
    a gloss or lone equation of the answer that sets out another sum than the row asks ("12 (6 + 6)", "6 + 6 = 12" asked
    7 + 5); None when none does."""
    stated, worked = _answer_split(row, reply, st)
    wrong = false_gloss(spell_out_numbers(worked, st), st) if worked.strip() else None
    if wrong or answer is None:
        return f"the working glosses a number falsely: {wrong}" if wrong else None
    gloss = other_operand_gloss(spell_out_numbers(reply, st), row, prompt, st, answer)
    signed = as_equations(spell_out_numbers(groups_as_sums(stated, st), st), st)
    equation = None if gloss else other_operand_equation(signed, row, prompt, answer)
    if gloss or equation:
        return f"the {'gloss' if gloss else 'equation'} {gloss or equation!r} of the answer sets out another sum than the one asked"
    return None


def working_failures(row: dict, reply: str, prompt: str, st: Any, rule_name: str) -> list[str]:
    """The failures of a worked reply whose working is false about the prompt (see the module docstring)."""
    failures = []
    foreign = foreign_working(row, reply, prompt, is_spelling_row(row), st)
    if foreign:
        failures.append(f"{rule_name}: the working is not about this problem: {foreign}")
    again = second_counts(row, reply, prompt, st)
    if again:
        failures.append(f"{rule_name}: the working {again}")
    expected = row.get("normalized_answer") if row.get("normalized_answer") is not None else row.get("reference_answer")
    answer = parse_number(normalize_answer(str(expected))) if expected is not None else None
    # a tally of numbers ("o count: 1, 2") is judged on its own (`number_tallies`), not read as a stated result
    told = without_number_tallies(reply) if is_spelling_row(row) else reply
    result = false_result(told, row, prompt, answer, st.count_result_subjects) if answer is not None else None
    claimed = None if result else _claimed_result(row, reply, prompt, st, answer)
    if result or claimed:
        failures.append(f"{rule_name}: the working states a result that is not its answer ({result!r})" if result
                        else f"{rule_name}: the working gives another result than its answer ({claimed!r})")
    owned = false_owned_count(reply, prompt, st, answer) if answer is not None and not is_spelling_row(row) else None
    # a story's counted nouns are dropped so its worded steps read as sums ("1 grape less than 62 grapes is 61 grapes")
    plain = reply if is_spelling_row(row) else without_story_nouns(reply, prompt)
    signed = split_sums(as_equations(spell_out_numbers(groups_as_sums(plain, st), st), st))
    items = (false_item_count(reply, row, prompt, signed, st) or false_change_count(reply, row, prompt, st)) \
        if not is_spelling_row(row) else None
    if items:
        failures.append(f"{rule_name}: the working counts {items!r}, which the problem does not have")
    labelled = false_label_count(reply, row, st)
    if labelled:
        failures.append(f"{rule_name}: the working gives a labelled quantity that is not the problem's ({labelled!r})")
    if owned:
        failures.append(f"{rule_name}: the working {owned}")
    glossed = glossed_failure(row, reply, prompt, st, answer)
    if glossed:
        failures.append(f"{rule_name}: {glossed}")
    foreign = (foreign_step(signed, row, prompt, answer) or foreign_column_step(signed, row, answer)) \
        if answer is not None and not glossed and not is_spelling_row(row) else None
    if foreign:
        failures.append(f"{rule_name}: the working is about other numbers than the problem's: {foreign}")
    wrong = _false_step(row, reply, signed, prompt, st)
    if wrong:
        failures.append(f"{rule_name}: the working states a false step ({wrong!r})")
    if is_spelling_row(row):
        run = false_spelling(reply, prompt, row) or false_glued(reply, prompt, row)
        if run:
            failures.append(f"{rule_name}: the working spells {run!r}, which is no part of the word the prompt asks about")
        word = the_asked_word(prompt, row)
        ahead, back = split_reversed(reply)  # claims about the word reversed are judged against it reversed
        for why in (false_position(ahead, prompt, st, row), false_relative(ahead, word, st), false_word_end(ahead, word),
                    false_count_places(spell_out_numbers(ahead, st), word, _problem(row).get("letter")), false_middle(ahead, word),
                    false_reversed_claim(back, word, st),
                    false_tally(reply, row, prompt, st), false_number_tally(reply, word, _problem(row).get("letter")),
                    false_letter_count(reply, prompt, st, row), false_labels(reply, prompt, st, row),
                    false_near_miss(reply, word, prompt), false_part_count(reply, word, prompt, _problem(row).get("letter")),
                    false_vowel_count(reply, word, st), false_doubled(reply, word)):
            if why:
                failures.append(f"{rule_name}: the working is false: {why}")
    return failures
