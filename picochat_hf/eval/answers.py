"""Reading one answer out of a whole reply: strict numbers, text answers, option letters, reasoning traces.

Every judge here looks at the *whole* text it is given and returns `(ok, why)`. A reply passes only when its
answer is unambiguous and right: a second different answer anywhere in the text, several candidates
("57 or 58", "A B C D") or a contradiction after the answer ("57\\nActually it is 58.") fail.

- **Numbers** are read strictly (a signed "-12"/"minus 12", scaled "12e1"/"12k"/"12 thousand"/"12²"/"12%"/"12 percent", bounded
  or approximate "more than 12"/"~12"/"12+"/"12 at most"/"12, at most"/"12 and up"/"12-ish", questioned "12?", denied "not 12" or ordinal "12th" ("12TH", "12'th", "12 th", "12ᵗʰ") number is not the value): digits with an optional decimal part, or thousands separators in valid
  positions only ("1,200" and "12,345.5" are numbers; "0,057", "1,20", "5.7.1" and "012" (a leading zero: a code,
  not a count) are malformed and never equal anything); ".5" is 0.5, never 5. Operands of an expression ("23 + 34 = 57", "7 x 8") are not answer
  candidates, and numbers the prompt itself states are dropped when the reply has any other candidate, so
  "Sam had 12, gave 5, so 7 are left" answers 7. Exactly one distinct candidate value must remain, and it may not be
  the result of a false equation ("929 + 269 = 660"), nor tied to a quantity the question does not ask about ("61 were
  taken", "61 were there before", "a appears 2 times" asked about r: `number_units`). A number
  denied right beside it ("12, not 13", "13 is wrong") is no candidate, and its denial no hedge. Number words
  are numbers ("twelve", "twenty-one"; "one" only when the reply has no other number). "12 tops." is a bound,
  "12 tops the list" is 12. A gloss after a number that says how it was got ("36 (four 9s)", "12, that is 7 + 5") must
  come to it and is then working, no candidate; a false one ("36 (9 × 5)") fails the reply (`number_glosses`). A worded
  product in an equation is the equation it states ("nine 4s make 36" is 9 * 4 = 36).
- **Text answers** pass when the whole text equals the answer, or when a short lead-in ending in
  "is", "are", "equals", "=" or ":" ("The letter is r.", "Reversed: tac") is followed by exactly the
  answer; an answer asked as a question ("r?") is not stated. Spaced letter sequences also accept commas or hyphens between the letters,
  and a word may be given letter by letter ("Reversed: t, a, c" is "tac").
- **Option letters** (`letters`, re-exported here): exactly one option letter must be chosen ("B", "(B)",
  "The answer is B", "B) Paris"); see that module.
- **Reasoning traces** (`answer_style: reasoning`): the reply must be exactly one
  `<reasoning>…</reasoning><answer>…</answer>` pair; only the `<answer>` part is judged.

Numbers are tokenized in `number_tokens` and equations read and checked in `equations`; both are re-exported here.
"""

from __future__ import annotations

__all__ = ["AnswerSettings", "clean", "parse_number", "normalize_answer", "is_number", "number_mentions", "spell_out_numbers",
           "judge_number", "judge_text", "judge_answer", "judge_final_answer", "extract_final_answer", "reasoning_answer",
           "chosen_letters", "judge_letter", "stated_options", "false_equation"]

import functools
import re
from dataclasses import dataclass, field

from ..utils.number_values import number_words_value
from .answer_glosses import asked_position_words, position_conflict, true_fact, without_gloss, without_reversal, without_true_gloss
from .equations import equation_holds as _equation_holds, equation_value as _equation_value, false_equation
from .letter_positions import without_true_claims
from .number_glosses import Gloss, gloss_fault, without_true_glosses
from .number_groups import second_count
from .number_holders import false_count, restates_answer
from .number_owners import count_owners, negated_changes
from .number_tokens import NumberMention, number_mentions, parse_number
from .number_units import letter_aside, unit_mismatch
from .reply_text import MARKDOWN, asked, clean
from .worded_groups import groups_as_sums
from .zero_counts import states_zero

_EMPHASIS = re.compile(r"\*\*|__|`")
_SPACED = re.compile(r"^[a-z](?: [a-z])+$")
_REASONING = re.compile(r"^\s*<reasoning>(.*?)</reasoning>\s*<answer>(.*?)</answer>\s*$", re.DOTALL)


@dataclass
class AnswerSettings:
    """The parts of the scoring config the answer judges read (see `scoring.ScoringConfig`)."""

    final_answer_marker: str
    lead_in_max_words: int
    answer_fillers: list[str]
    hedge_phrases: list[str]
    operator_words: list[str]
    alternative_words: list[str]
    negative_words: list[str]
    magnitude_words: list[str]
    bound_words_before: list[str]
    bound_words_after: list[str]
    bound_words_final: list[str] = field(default_factory=list)
    denial_words_before: list[str] = field(default_factory=list)
    denial_words_after: list[str] = field(default_factory=list)
    denial_undone_before: list[str] = field(default_factory=list)
    number_words_units: list[str] = field(default_factory=list)
    number_words_tens: list[str] = field(default_factory=list)
    number_words_lone: list[str] = field(default_factory=list)
    number_words_times: list[str] = field(default_factory=list)
    number_words_scales: list[str] = field(default_factory=list)
    answer_closing_words: list[str] = field(default_factory=list)
    working_openers: list[str] = field(default_factory=list)
    check_openers: list[str] = field(default_factory=list)
    hedge_courtesies: list[str] = field(default_factory=list)
    lead_in_verbs: list[str] = field(default_factory=list)
    answer_first_words: list[str] = field(default_factory=list)
    answer_retractions: list[str] = field(default_factory=list)
    multiplier_words_after: list[str] = field(default_factory=list)
    count_words_after: list[str] = field(default_factory=list)
    multiplier_continuations: list[str] = field(default_factory=list)
    occurrence_question_phrases: list[str] = field(default_factory=list)
    occurrence_count_phrases: list[str] = field(default_factory=list)
    occurrence_letter_words: list[str] = field(default_factory=list)
    currency_signs: list[str] = field(default_factory=list)
    money_words: list[str] = field(default_factory=list)
    money_units_after: list[str] = field(default_factory=list)
    measure_units_after: list[str] = field(default_factory=list)
    measure_unit_aliases: list[str] = field(default_factory=list)
    answer_position_first: list[str] = field(default_factory=list)
    answer_position_last: list[str] = field(default_factory=list)
    letter_position_ordinals: list[str] = field(default_factory=list)
    working_equality_words: list[str] = field(default_factory=list)
    count_store_verbs: list[str] = field(default_factory=list)
    count_question_phrases: list[str] = field(default_factory=list)
    count_free_words: list[str] = field(default_factory=list)
    count_change_verbs: list[str] = field(default_factory=list)
    count_start_phrases: list[str] = field(default_factory=list)
    answer_reverse_prompt_words: list[str] = field(default_factory=list)
    answer_reverse_trailers: list[str] = field(default_factory=list)
    answer_gloss_glue: list[str] = field(default_factory=list)
    answer_alphabet_after: list[str] = field(default_factory=list)
    answer_alphabet_before: list[str] = field(default_factory=list)
    count_change_fillers: list[str] = field(default_factory=list)
    count_change_particles: list[str] = field(default_factory=list)
    count_result_subjects: list[str] = field(default_factory=list)
    count_owner_verbs: list[str] = field(default_factory=list)
    difference_words_after: list[str] = field(default_factory=list)
    count_owner_adverbs: list[str] = field(default_factory=list)
    count_owner_pronouns: list[str] = field(default_factory=list)
    count_working_labels: list[str] = field(default_factory=list)
    count_label_start: list[str] = field(default_factory=list)
    count_label_change: list[str] = field(default_factory=list)
    count_label_result: list[str] = field(default_factory=list)
    count_label_whole: list[str] = field(default_factory=list)
    count_label_parts: list[str] = field(default_factory=list)
    story_change_skip: list[str] = field(default_factory=list)
    count_owner_past_verbs: list[str] = field(default_factory=list)
    count_group_question_words: list[str] = field(default_factory=list)
    count_question_stop_words: list[str] = field(default_factory=list)
    answer_claim_openers: list[str] = field(default_factory=list)
    answer_claim_fillers: list[str] = field(default_factory=list)
    answer_claim_relation_words: list[str] = field(default_factory=list)
    working_claim_openers: list[str] = field(default_factory=list)
    zero_count_phrases: list[str] = field(default_factory=list)
    zero_count_verbs: list[str] = field(default_factory=list)
    zero_count_fillers: list[str] = field(default_factory=list)
    letter_label_place_words: list[str] = field(default_factory=list)
    letter_label_count_words: list[str] = field(default_factory=list)
    letter_label_number_openers: list[str] = field(default_factory=list)
    letter_label_length_words: list[str] = field(default_factory=list)


def normalize_answer(text: str) -> str:
    """The comparable form of an expected answer: a number in canonical form, otherwise `clean` text."""
    core = MARKDOWN.sub("", text).strip().strip("\"'()[]{}").rstrip(".,;:!? ").lstrip("$").replace("−", "-")
    if re.fullmatch(r"[-+]?[\d.,]*\d", core):
        number = parse_number(core)
        if number is not None:
            return number
        return core
    return clean(text).lstrip("$")


def is_number(text: str) -> bool:
    return parse_number(text.replace("−", "-")) is not None


def _hedged(text: str, hedges: list[str], courtesies: list[str] = ()) -> str | None:
    low = " " + re.sub(r"[^a-z0-9]+", " ", re.sub(r"n['’]t\b", " not", text.lower())) + " "
    for phrase in courtesies:  # "I hope this helps" hedges nothing
        low = low.replace(f" {phrase} ", " ")
    return next((h for h in hedges if f" {h} " in low), None)


def _in_sentence(text: str, m: NumberMention) -> bool:
    before = re.search(r"([A-Za-z]+|\d)[^\w]*$", text[: m.start])
    after = re.match(r"[^\w]*([A-Za-z]+|\d)", text[m.end :])
    return bool(before and before.group(1)[0].isalpha()) or bool(after and after.group(1)[0].isalpha())


_APPROX_BEFORE = re.compile(r"[~≈<>≤≥]\s*[-−]?$")
_VALUE_SUFFIX = re.compile(r"(?:\s?[%‰‱]|(?i:\s?[-'’]?(?:st|nd|rd|th))(?![A-Za-z])|ˢᵗ|ⁿᵈ|ʳᵈ|ᵗʰ|[eE][-+]?\d|[kKMB](?![A-Za-z])|[x×](?![A-Za-z\d])|bn\b|[⁰¹²³⁴-⁹½¼¾⅐-⅞]|_\d|[-\s]?ish\b|\+(?!\s*\d)|\?|\s+\d+\s*/\s*\d)")


def _qualified(text: str, m: NumberMention, st: AnswerSettings, prompt: str = "") -> str | None:
    """Why the number at `m` is not stated as an exact value: a bound or approximation ("~12", "12+"),
    a question ("12?"), an ordinal ("12th"), an exponent, power, fraction or magnitude ("12e1", "12²", "12 1/2", "12 thousand"),
    a multiplier or a money amount the prompt does not ask for ("12 times as many", "$12")."""
    if _APPROX_BEFORE.search(text[: m.start]):
        return "approximate or bounded"
    unit = unit_mismatch(text, m.start, m.end, prompt, st)
    if unit:
        return unit
    after = text[m.end :]
    if _VALUE_SUFFIX.match(after):
        return "qualified by what follows it"
    words = "|".join(re.escape(w.lower()) for w in st.magnitude_words) or "(?!)"
    if re.match(r"[\s-]*(?:and\s+an?\s+)?(?:" + words + r")\b", after.lower()):
        return "scaled by a magnitude word"
    before = "|".join(re.escape(w.lower()) for w in st.bound_words_before) or "(?!)"
    behind = "|".join(re.escape(w.lower()) for w in st.bound_words_after) or "(?!)"
    if re.search(r"\b(?:" + before + r")\s*$", text[: m.start].lower()) or re.match(r"[\s,-]*(?:" + behind + r")\b", after.lower().replace("-", " ")):
        return "a bound, not a value"
    if re.match(r"\s+(?:" + _phrases(st.difference_words_after) + r")\b", after.lower()):
        return "a difference, not the count"
    if re.match(r"[\s,-]*(?:" + _phrases(st.bound_words_final) + r")\s*(?:[.,;:!?)\]]|$)", after.lower()):
        return "a bound, not a value"  # "12 tops." bounds; "12 tops the list" does not
    return None


_SCALE_VALUES = (100, 1000, 10**6, 10**9, 10**12)  # `number_words_scales` in order: hundred, thousand, million, ...


def _scaled_number_words(text: str, st: AnswerSettings) -> str:
    """Number words with a scale word as digits ("one hundred" -> "100", "a thousand" -> "1000", "one hundred and
    twelve" -> "112", "twelve hundred" -> "1200"); a run of number words without a scale word is left as it is."""
    built = _scaled_words_pattern(tuple(st.number_words_scales), tuple(st.number_words_units), tuple(st.number_words_tens))
    if built is None:
        return text
    run, scales, small = built

    def words_of(text: str) -> list[str]:
        return [w for w in re.split(r"[\s,-]+", text.lower()) if w and w not in ("and", "a", "an")]

    def value(m: re.Match) -> str:
        pieces = [words_of(p) for p in m.group(0).split(",")]
        if not any(w in scales for p in pieces for w in p):
            return m.group(0)
        # each part after a comma must be smaller than the scale before it, else the comma lists numbers ("two thousand, three thousand")
        if any(not p or number_words_value(p, small, scales) >= scales[prev[-1]] for prev, p in zip(pieces, pieces[1:])):
            return ", ".join(value(re.match(r".+", " ".join(p))) if p else "" for p in pieces)
        return str(number_words_value([w for p in pieces for w in p], small, scales))

    return run.sub(value, text)


@functools.lru_cache(maxsize=64)
def _scaled_words_pattern(scale_words: tuple[str, ...], units: tuple[str, ...],
                          tens: tuple[str, ...]) -> tuple[re.Pattern, dict[str, int], dict[str, int]] | None:
    """The run of number words with a scale word, and the scale and small-number values; None without either. Built
    once per lexicon; the dicts returned are shared and only read."""
    scales = {w.lower(): v for w, v in zip(scale_words, _SCALE_VALUES)}
    small = {w.lower(): k for k, w in enumerate(units)}
    small |= {w.lower(): 20 + 10 * k for k, w in enumerate(tens)}
    if not scales or not small:
        return None
    word = "(?:" + "|".join(re.escape(w) for w in sorted([*scales, *small], key=len, reverse=True)) + ")"
    # a comma may follow "thousand" or a larger scale inside one number ("two thousand, one hundred and five")
    big = "|".join(rf"(?<={re.escape(w)})" for w, v in scales.items() if v >= 1000) or "(?!)"
    sep = rf"(?:\s+and\s+|[\s-]+|(?:{big}),\s*(?:and\s+)?)"
    run = re.compile(rf"(?<![\w'’-])(?:an?\s+(?={'|'.join(map(re.escape, scales))}))?{word}(?:{sep}{word})*(?![\w'’-])", re.IGNORECASE)
    return run, scales, small


def spell_out_numbers(text: str, st: AnswerSettings) -> str:
    """Number words as digits ("twelve" -> "12", "twenty-one" -> "21", "one hundred and twelve" -> "112"); a
    `number_words_lone` or `number_words_times` word ("one", "once", "twice") only when the text has no other number
    ("It is one." is 1, "It occurs twice." is 2, "12 is the one" is 12)."""
    text = _scaled_number_words(text, st)
    built = _number_words_pattern(tuple(st.number_words_units), tuple(st.number_words_tens), tuple(st.number_words_times),
                                  tuple(st.number_words_lone))
    if built is None:
        return text
    word, values, tens, lone = built
    others = re.search(r"\d", text) or any(m.group(0).lower() not in lone for m in word.finditer(text))

    def value(m: re.Match) -> str:
        if m.group(3):
            return m.group(0) if others and m.group(3).lower() in lone else str(values[m.group(3).lower()])
        return str(tens[m.group(1).lower()] + (values[m.group(2).lower()] if m.group(2) else 0))

    return word.sub(value, text)


@functools.lru_cache(maxsize=64)
def _number_words_pattern(units: tuple[str, ...], tens_words: tuple[str, ...], times_words: tuple[str, ...],
                          lone_words: tuple[str, ...]) -> tuple[re.Pattern, dict[str, int], dict[str, int], set[str]] | None:
    """The number-word pattern of `spell_out_numbers` with its values, tens and lone words; None without units and tens.
    Built once per lexicon; what it returns is shared and only read."""
    values = {w.lower(): k for k, w in enumerate(units)}
    tens = {w.lower(): 20 + 10 * k for k, w in enumerate(tens_words)}
    if not values and not tens:
        return None

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"

    digits = [w for w, v in values.items() if 1 <= v <= 9]
    times = {w.lower(): k + 1 for k, w in enumerate(times_words)}  # "once", "twice": lone words as well
    values = {**times, **values}
    word = re.compile(rf"(?<![\w'’-])(?:({alt(list(tens))})(?:[-\s]({alt(digits)}))?|({alt(list(values))}))(?![\w'’-])", re.IGNORECASE)
    lone = {w.lower() for w in lone_words} | set(times)
    return word, values, tens, lone


def _phrases(words: list[str]) -> str:
    """A regex alternation of lexicon phrases, "n't" glued to its word ("isn't"), others whole words."""
    out = [(r"(?<=[a-z])" if w.startswith("n'") else r"\b") + re.escape(w.lower()).replace("'", "['’]") + r"\b" for w in words]
    return "|".join(sorted(out, key=len, reverse=True)) or "(?!)"


def _denial_span(text: str, m: NumberMention, st: AnswerSettings) -> tuple[int, int] | None:
    """Where the words that deny the number at `m` are ("not 13", "13 is wrong"), None when it is not denied."""
    low = text.lower()
    before = re.search(r"(?:" + _phrases(st.denial_words_before) + r")\s*$", low[: m.start])
    if before and not re.search(r"(?:" + _phrases(st.denial_undone_before) + r")[\s,]*$", low[: before.start()]):
        return before.start(), m.start
    after = re.match(r"[\s,]*(?:" + _phrases(st.denial_words_after) + r")(?!\s*[-−]?\d)", low[m.end :])  # "12 is not 13" compares
    return (m.end, m.end + after.end()) if after else None


_CHECK_END = re.compile(r"[.!?](?!\d)|[)\n]")  # where a check of the answer ends: its sentence or bracket


def _check_spans(text: str, st: AnswerSettings) -> list[tuple[int, int]]:
    """Where the reply checks its answer: from a `check_openers` word to the end of its sentence or bracket ("57. Check:
    57 - 23 = 34.", "57 (check: 57 - 34 = 23)"). The results of the equations there are working; a bare number there
    ("57. Check: 58.") is still a candidate."""
    if not st.check_openers:
        return []
    out = []
    for m in re.finditer(rf"(?:{_phrases(st.check_openers)})\s*[:,]?", text, re.IGNORECASE):
        end = _CHECK_END.search(text, m.end())
        out.append((m.start(), end.start() if end else len(text)))
    return out


def _without_working(text: str, mentions: list[NumberMention], st: AnswerSettings) -> list[NumberMention]:
    """The mentions that may be the answer: the true result of an equation ("20+30=50") is working, not an answer
    candidate, when a later expression uses it or a `working_openers` word comes before it ("57, since 20+30=50 and
    3+4=7"); a false equation's result ("57, since 23+34=58") stays a candidate. Only working: the results no later
    expression uses ("20+30=50, 3+4=7, so 50+7=57" answers 57; "23 + 34 = 57" answers 57)."""
    spans = _check_spans(text, st)
    checked = lambda x: any(a <= x.start < b for a, b in spans)  # noqa: E731
    operands = [x for x in number_mentions(text, st.operator_words, st.negative_words) if x.operand and not checked(x)]
    openers = r"\b(?:" + (_phrases(st.working_openers)) + r")"

    def used_later(m: NumberMention) -> bool:
        return any(x.start > m.end and x.value == m.value for x in operands)

    true = [m for m in mentions if _equation_holds(text, m)]
    working = [m for m in true if used_later(m) or re.search(openers, text[: m.start].lower())] + [m for m in mentions if checked(m) and _equation_value(text, m) is not None]
    answers = [m for m in mentions if m not in working]
    return answers or [m for m in true if not used_later(m)] or mentions


def _alternatives(text: str, mentions: list[NumberMention], st: AnswerSettings) -> str | None:
    """Two numbers side by side with only an alternative word between them ("'57' or '58'"), None when none are."""
    for a, b in zip(mentions, mentions[1:]):
        between = clean(text[a.end : b.start])
        if between in st.alternative_words:
            return f"{text[a.start:a.end]!r} {between} {text[b.start:b.end]!r}"
    return None


def _number_text(text: str, st: AnswerSettings) -> tuple[str, Gloss | None]:
    """The text a number answer is read from: number words as digits, a worded product in an equation as its sum ("nine
    4s make 36" is 9 * 4 = 36) and each true gloss blanked ("36 (four 9s)" is 36); with the first false gloss."""
    return without_true_glosses(groups_as_sums(spell_out_numbers(_EMPHASIS.sub("", text), st), st), st)


def counted_words(prompt: str, st: AnswerSettings) -> str:
    """The words the prompt puts right after its numbers (number words too), one or two ("7 apples", "12 red shells"), as
    a pattern that also matches their singular or plural ("apple", "shells"), without `answer_claim_relation_words` ("5
    more"); "(?!)" when it has none."""
    relations = {w.lower() for w in st.answer_claim_relation_words + st.operator_words}
    told = spell_out_numbers(prompt, st).lower()
    words = {w for pair in re.findall(r"\d\s+([a-z]+)(?:\s+([a-z]+))?", told) for w in pair if w and w not in relations}
    forms = {f for w in words for f in (w, w[:-1] if w.endswith("s") else w + "s")}
    return _phrases(sorted(forms)) or "(?!)"


def _claimed(text: str, m: NumberMention, st: AnswerSettings, prompt: str = "") -> bool:
    """A number given as what the answer is, in a reply with no working: the last sentence of at most three, an
    `answer_claim_openers` phrase opening it (after `answer_claim_fillers` only: "Oh wait, that is 7."), right before
    the number, and nothing after the number but words the prompt counts with its numbers, an adverb or fillers ("That
    is 7 apples.", "That is 7 exactly.", "That is 7, sorry."): "6. That is 7." to "What is 7 - 1?" says the answer is 7
    too. In working ("Start with 7. That is 12. ...", a check "6 + 1 = 7. That is 7.") a restated number is the
    working's, and "Twice that is 12" relates another number."""
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if x]
    if len(sentences) > 3 or re.search(r"[.!?]\s+\S", text[m.end :]):
        return False
    fill = _phrases(st.answer_claim_fillers)
    counted = counted_words(prompt, st)
    if not re.match(rf"(?:\s+(?:{counted})\b){{0,2}}\s*(?:[a-z]+ly\s*)?(?:[,;]?\s*(?:{fill})\s*)*(?:[.!?)]|$)", text[m.end :],
                    re.IGNORECASE):
        return False  # "That is 7 - 1.", "It is 7 apples less 1", "that is 7, and she gives away 5"
    before = text[: m.start].lower().replace("\u2019", "'")
    if not re.search(rf"(?:^|[.!?;:(\n\u2013\u2014])\s*(?:(?:{fill})\s*,?\s*)*(?:{_phrases(st.answer_claim_openers)})\s*,?\s*$", before):
        return False
    return not any(x.operand for x in number_mentions(text, st.operator_words, st.negative_words))  # working: the working's


def _answered_again(text: str, m: NumberMention, prompt: str, st: AnswerSettings) -> bool:
    """Whether a restated prompt number answers the question again ("6 stay, and 78 stay too") or is what "that" is."""
    return restates_answer(text, m.start, m.end, prompt, st) or _claimed(text, m, st, prompt)


def judge_number(text: str, expected: str, prompt: str, st: AnswerSettings) -> tuple[bool, str]:
    """One unambiguous number equal to `expected` (canonical) in `text`; a denied number ("12, not 13") is none."""
    if not re.search(r"\d", text) and states_zero(text, prompt, st):  # "None.", "Not once.", "There are no x's."
        return (True, "") if expected == "0" else (False, f"answer: '0' != {expected!r}")
    text, glossed = _number_text(text, st)
    if glossed is not None:  # "36 (9 × 5)", "36 (five 9s)": it says how the number was got, falsely
        return False, f"answer: the gloss {gloss_fault(glossed)}"
    found = [m for m in number_mentions(text, st.operator_words, st.negative_words) if not m.operand]
    spans = {id(m): _denial_span(text, m, st) for m in found}
    undenied = text
    for span in [*filter(None, spans.values()), *negated_changes(text, prompt, st)]:  # "61 were not taken" hedges nothing
        undenied = undenied[: span[0]] + " " * (span[1] - span[0]) + undenied[span[1] :]
    hedge = _hedged(undenied, st.hedge_phrases, st.hedge_courtesies)
    if hedge:
        return False, f"answer: hedged ({hedge!r})"
    mentions = [m for m in found if spans[id(m)] is None]
    asides = [m for m in mentions if letter_aside(text, m.start, m.end, m.value, prompt, st)]  # "2 t's and 1 o."
    mentions = [m for m in mentions if m not in asides] if len(asides) < len(mentions) else mentions
    if not mentions:
        return False, "answer: denies every number it gives" if found else "answer: no number in the reply"
    both = {m.value for m in mentions} & {m.value for m in found if spans[id(m)] is not None}
    if both:
        return False, f"answer: states and denies {sorted(both, key=str)[0]!r}"
    offered = _alternatives(text, mentions, st)
    if offered:
        return False, f"answer: alternatives {offered}"
    prompt_values = {m.value for m in number_mentions(spell_out_numbers(prompt, st), st.operator_words, st.negative_words)}
    qualified = [(m, _qualified(text, m, st, prompt)) for m in mentions]
    plain = [m for m, why in qualified if not why]
    for m, why in qualified:
        # a bound or scaling of a number the prompt states, inside a sentence ("12, which is double 6"), is an aside when a
        # plain candidate remains; any other qualified number fails the reply
        if why and not (plain and m.value in prompt_values and _in_sentence(text, m)):
            return False, f"answer: {text[m.start : m.end]!r} is {why}"
    mentions = plain
    malformed = [text[m.start : m.end] for m in mentions if m.value is None]
    if malformed:
        return False, f"answer: malformed number {malformed[0]!r}"
    mentions = _without_working(text, mentions, st)
    values = list(dict.fromkeys(m.value for m in mentions))
    # A number the prompt states, restated inside a sentence ("had 12 apples"), is not an answer candidate when the reply has
    # another, unless its clause answers the question again ("6 stay, and 78 stay too") or it is what "that" is ("6. That
    # is 7."); bare numbers side by side ("7 12") all are.
    restated = {m.value for m in mentions if m.value in prompt_values and _in_sentence(text, m)}
    restated -= {m.value for m in mentions if m.value in restated and _answered_again(text, m, prompt, st)}
    candidates = [v for v in values if v not in restated] or values
    if len(candidates) > 1:
        return False, f"answer: several candidates {candidates}"
    false = next((m for m in mentions if m.value == candidates[0] and _equation_value(text, m) is False), None)
    if false is not None:  # "929 + 269 = 660": the right number as the result of a false equation states it
        return False, f"answer: {text[false.start : false.end]!r} is the result of a false equation"
    if candidates[0] != expected:
        return False, f"answer: {candidates[0]!r} != {expected!r}"
    told = spell_out_numbers(prompt, st)
    for m in found:  # an aside giving someone a count the prompt does not ("61 are left. Sam has 30.") is a wrong fact
        wrong = m.value not in (None, candidates[0]) and spans[id(m)] is None and false_count(count_owners(text, m.start, m.end, st, told), m.value, told, st)
        if wrong:
            return False, f"answer: {text[m.start : m.end]!r} {wrong}"
    again = second_count(text, [m for m in found if spans[id(m)] is None], candidates[0], told, st)  # "Pia has 61. Pia has 91."
    return (False, f"answer: {again}") if again else (True, "")


def _strip_fillers(text: str, fillers: list[str]) -> str:
    """The text without the fillers it opens with, one after another ("surely the letter m" -> "m")."""
    stripped = True
    while stripped:
        stripped = False
        for f in fillers:
            m = re.match(re.escape(f) + r",?\s+", text)
            if m:
                text, stripped = text[m.end() :], True
    return text


def text_candidates(text: str, st: AnswerSettings, prompt: str = "") -> list[str]:
    """The whole text, the text after a short lead-in ("The first letter is r." -> "r", "It's r." -> "r", "It starts with
    r." -> "r": `lead_in_verbs`), and a short answer put first and described in the prompt's words ("R is the first
    letter." -> "r", `answer_first_words`; "R is the last letter." describes it in other words)."""
    whole = clean(text)
    out = [whole]
    verbs = "|".join(r"\b" + re.escape(v.lower()).replace(r"\ ", r"\s+") + r"\b" for v in st.lead_in_verbs)
    m = re.search(r"(?:\bis\b|\bare\b|\bequals\b|=|:|^(?:it|that|this)['’]s\b" + (f"|{verbs}" if verbs else "") + ")", whole)
    if m is not None and len(whole[: m.start()].split()) <= st.lead_in_max_words and not position_conflict(whole[: m.end()], prompt, st):
        out.append(clean(whole[m.end() :]))  # "It ends with m." asked for the first letter describes another answer
    first = re.match(r"^(\S+(?: \S+){0,2}) (?:is|are) (.+)$", whole)
    described = set(re.findall(r"[a-z0-9]+", prompt.lower())) | {w.lower() for w in st.answer_first_words} | asked_position_words(prompt, st)
    if first is not None and prompt and set(re.findall(r"[a-z0-9]+", first.group(2))) <= described:
        out.append(clean(first.group(1)))
    return [_strip_fillers(c, st.answer_fillers) for c in out] + out


def _without_denial(text: str, want: str, st: AnswerSettings, prompt: str = "") -> str | None:
    """The text without a denied alternative before or after the answer ("m, not n", "Not n, m", "not n but m");
    None when what it denies is the answer itself ("n, not m") or a true fact about it ("noitcepsni (not inspection
    backwards)")."""
    deny = _phrases(st.denial_words_before)
    m = re.match(r"^(?P<keep>.+?)(?:[,;]?\s+|\s*[(\[]\s*)(?:" + deny + r")\s+(?P<obj>[^,;.!?()\[\]]+?)[)\]]?[.!]?\s*$", text, re.IGNORECASE)
    m = m or re.match(r"^\s*(?:" + deny + r")\s+(?P<obj>[^,;]+?)(?:[,;]\s*|\s+but\s+)(?:it\s+is\s+|it['’]s\s+)?(?P<keep>.+)$", text, re.IGNORECASE)
    if m is None:
        return text
    obj = m.group("obj")
    return None if clean(obj) == want or true_fact(obj, want, prompt, st) else m.group("keep")


def judge_text(text: str, expected: str, st: AnswerSettings, prompt: str = "") -> tuple[bool, str]:
    """The whole text is the answer, or a short lead-in plus exactly the answer; a denied alternative beside it
    ("m, not n") is dropped, a denied answer fails."""
    kept = _without_denial(MARKDOWN.sub("", text), clean(expected), st, prompt)
    if kept is None:
        return False, f"answer: denies {clean(expected)!r}"
    kept = without_true_gloss(kept, clean(expected), prompt, st)  # "h (the letter after g)", "tac (cat backwards)"
    kept = without_true_claims(kept, prompt, st)  # "The first letter is h; the last is h." about "hookah"
    text = without_gloss(without_reversal(kept, prompt, st), clean(expected), prompt, st)  # "m (as in mango)", "tac backwards"
    hedge = _hedged(text, [h for h in st.hedge_phrases if not _hedged(expected, [h])], st.hedge_courtesies)  # "not" may be the answer
    if hedge:
        return False, f"answer: hedged ({hedge!r})"
    if asked(text) and not expected.rstrip().endswith("?"):
        return False, f"answer: {clean(text)[:60]!r} is asked, not stated"
    want = clean(expected)
    spaced = bool(_SPACED.match(want))
    for cand in text_candidates(text, st, prompt):
        letters = re.sub(r"[\s,\-–—]+", " ", cand)  # "c-a-t", "c – a – t", "c, a, t"
        if cand == want or (spaced and letters == want) or (_SPACED.match(letters) and letters.replace(" ", "") == want):
            return True, ""
    return False, f"answer: {clean(text)[:60]!r} is not {want!r}"


def judge_answer(text: str, expected: str, prompt: str, st: AnswerSettings) -> tuple[bool, str]:
    want = normalize_answer(expected)
    if is_number(want):
        return judge_number(text, want, prompt, st)
    return judge_text(text, want, st, prompt)


def final_answer_split(reply: str, marker: str) -> tuple[list[str], str] | None:
    """(the answer text after every `<marker>:`, the text after the last answer's line); None without a marker."""
    matches = list(re.finditer(re.escape(marker) + r"\s*[:：]", reply, re.IGNORECASE))
    if not matches:
        return None
    answers = []
    for i, m in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(reply)
        answers.append(reply[m.end() : stop].strip().split("\n", 1)[0].strip())
    rest = reply[matches[-1].end() :].strip()
    trailing = rest.split("\n", 1)[1] if "\n" in rest else ""
    return answers, trailing


def judge_final_answer(reply: str, expected: str, prompt: str, st: AnswerSettings, *, require_marker: bool) -> tuple[bool, list[str], str | None]:
    """Judge a reply's answer: the last `Final answer:` line when there is one (every earlier one must agree,
    nothing after it may state another answer), otherwise the whole reply. Returns (ok, failures, final)."""
    split = final_answer_split(reply, st.final_answer_marker)
    if split is None:
        if require_marker:
            return False, ["final_answer: none given"], None
        ok, why = judge_answer(reply, expected, prompt, st)
        return ok, [] if ok else [why], None
    answers, trailing = split
    final = answers[-1]
    ok, why = judge_answer(final, expected, prompt, st)
    fails = [] if ok else [why]
    if any(normalize_answer(a) != normalize_answer(final) for a in answers[:-1]):
        fails.append("answer: several different final answers")
    if _trailing_states(trailing, expected, prompt, st):
        fails.append("answer: more text after the final answer")
    wrong = false_equation(reply, st)
    if wrong:
        fails.append(f"answer: the working states a false equation ({wrong!r})")
    return not fails, fails, final


def _trailing_states(trailing: str, expected: str, prompt: str, st: AnswerSettings) -> bool:
    """Whether the text after the final answer's line may state another answer. A courtesy closing ("Thanks!", "Hope this
    helps.", `answer_closing_words` only) or a restatement of the answer ("The first letter is m.") states none; after a
    number, neither does text with no other number, hedge or retraction ("Or maybe not.", "Actually, scratch that.")."""
    words = re.findall(r"[a-z0-9]+", trailing.lower())
    if set(words) <= {w.lower() for w in st.answer_closing_words} or judge_answer(trailing, expected, prompt, st)[0]:
        return False
    want = normalize_answer(expected)
    if not is_number(want):
        return True
    extra = [m.value for m in number_mentions(spell_out_numbers(trailing, st), st.operator_words, st.negative_words) if not m.operand and m.value != want]
    return bool(extra or _hedged(trailing, st.hedge_phrases + st.answer_retractions, st.hedge_courtesies))


def extract_final_answer(reply: str, marker: str = "final answer") -> str | None:
    """The answer text after the last `<marker>:` (None when the reply has no marker)."""
    split = final_answer_split(reply, marker)
    return None if split is None else split[0][-1]


def reasoning_answer(reply: str) -> str | None:
    """The `<answer>` part of a well-formed `<reasoning>…</reasoning><answer>…</answer>` reply, else None."""
    m = _REASONING.match(reply)
    if m is None or reply.count("<answer>") != 1 or reply.count("<reasoning>") != 1:
        return None
    return m.group(2).strip()


# The option-letter judges live in `letters`; re-exported here, where callers (the honesty scan) import them.
from .letters import chosen_letters, judge_letter, stated_options  # noqa: E402
