"""Reading one answer out of a whole reply: strict numbers, text answers, option letters, reasoning traces.

Every judge here looks at the *whole* text it is given and returns `(ok, why)`. A reply passes only when its
answer is unambiguous and right: a second different answer anywhere in the text, several candidates
("57 or 58", "A B C D") or a contradiction after the answer ("57\\nActually it is 58.") fail.

- **Numbers** are read strictly (a signed "-12"/"minus 12", scaled "12e1"/"12k"/"12 thousand"/"12²"/"12%"/"12 percent", bounded
  or approximate "more than 12"/"~12"/"12+"/"12 at most"/"12, at most"/"12 and up"/"12-ish", questioned "12?", denied "not 12" or ordinal "12th" ("12TH", "12'th", "12 th", "12ᵗʰ") number is not the value): digits with an optional decimal part, or thousands separators in valid
  positions only ("1,200" and "12,345.5" are numbers; "0,057", "1,20" and "5.7.1" are malformed and never
  equal anything); ".5" is 0.5, never 5. Operands of an expression ("23 + 34 = 57", "7 x 8") are not answer
  candidates, and numbers the prompt itself states are dropped when the reply has any other candidate, so
  "Sam had 12, gave 5, so 7 are left" answers 7. Exactly one distinct candidate value must remain. A number
  denied right beside it ("12, not 13", "13 is wrong") is no candidate, and its denial no hedge. Number words
  are numbers ("twelve", "twenty-one"; "one" only when the reply has no other number). "12 tops." is a bound,
  "12 tops the list" is 12.
- **Text answers** pass when the whole text equals the answer, or when a short lead-in ending in
  "is", "are", "equals", "=" or ":" ("The letter is r.", "Reversed: tac") is followed by exactly the
  answer; an answer asked as a question ("r?") is not stated. Spaced letter sequences also accept commas or hyphens between the letters.
- **Option letters**: exactly one option letter must be chosen ("B", "B.", "(B)", "The answer is B",
  "B) Paris"); listing several fails ("A or B"), and so does asking ("B?", "Is it B?"); a denied letter ("not B", "B is
  wrong", "it can't be B") is not chosen; a reply that is exactly one option's text chooses that option.
- **Reasoning traces** (`answer_style: reasoning`): the reply must be exactly one
  `<reasoning>…</reasoning><answer>…</answer>` pair; only the `<answer>` part is judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_STRIP = " \t\r\n\"'`.,;:!?()[]{}*_"
_MARKDOWN = re.compile(r"[*_`]+")
_EMPHASIS = re.compile(r"\*\*|__|`")
_NUM_TOKEN = re.compile(r"(?<![\w.,])[.,]?\d[\d.,]*(?<=\d)")
_VALID_NUM = re.compile(r"^(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$|^\.\d+$")
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
    number_words_units: list[str] = field(default_factory=list)
    number_words_tens: list[str] = field(default_factory=list)
    number_words_lone: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """Lowercase, no markdown emphasis, collapsed whitespace, no surrounding quotes or punctuation."""
    s = _MARKDOWN.sub("", text)
    return re.sub(r"\s+", " ", s.strip().lower()).strip(_STRIP)


def parse_number(token: str) -> str | None:
    """Canonical text of a strictly written number ("1,200.50" -> "1200.5"), None when malformed."""
    sign = "-" if token[:1] in "-−" else ""
    body = token.lstrip("-−+")
    if not _VALID_NUM.match(body):
        return None
    value = float(body.replace(",", ""))
    if value == 0:
        sign = ""
    if value.is_integer() and abs(value) < 1e15:
        return sign + str(int(value))
    return sign + repr(value).rstrip("0").rstrip(".")


def normalize_answer(text: str) -> str:
    """The comparable form of an expected answer: a number in canonical form, otherwise `clean` text."""
    core = _MARKDOWN.sub("", text).strip().strip("\"'()[]{}").rstrip(".,;:!? ").lstrip("$").replace("−", "-")
    if re.fullmatch(r"[-+]?[\d.,]*\d", core):
        number = parse_number(core)
        if number is not None:
            return number
        return core
    return clean(text).lstrip("$")


def is_number(text: str) -> bool:
    return parse_number(text.replace("−", "-")) is not None


@dataclass
class NumberMention:
    start: int
    end: int
    value: str | None  # None: malformed
    operand: bool


def number_mentions(text: str, operator_words: list[str], negative_words: list[str]) -> list[NumberMention]:
    """Every number written in `text`, with its sign, value and whether it is an expression operand."""
    out = []
    ops = "|".join(re.escape(w.lower()) for w in operator_words) or "(?!)"
    negs = r"\b(?:" + ("|".join(re.escape(w.lower()) for w in negative_words) or "(?!)") + ")"
    for m in _NUM_TOKEN.finditer(text):
        start, token = m.start(), m.group(0)
        before = text[:start]
        # a minus is binary after an operand ("12 - 5", "(3)-1") or inside a hyphenated word ("F-16"), else a sign ("is -12")
        if before.endswith(("-", "−")) and not re.search(r"(?:[\d)]\s*|[A-Za-z_])[-−]$", before):
            start -= 1
            token = "-" + token
        prev = text[:start].lower()
        after = text[m.end():].lower()
        follows_op = re.search(r"\d\s*(?:[+\-−*/×÷x]|" + ops + r")\s*$", prev) is not None
        before_op = re.match(r"\s*(?:[+\-−*/×÷x]|" + ops + r")\s*[-−]?\d", after) is not None
        after_equals = prev.rstrip().endswith("=")
        value = parse_number(token.replace("−", "-"))
        if value is not None and not token.startswith("-") and not follows_op and re.search(negs + r"\s*$", prev):
            value = parse_number("-" + token)  # "minus 12", "negative 12" with no operand before
        out.append(NumberMention(start, m.end(), value, operand=(follows_op or before_op) and not after_equals))
    return out


def _hedged(text: str, hedges: list[str]) -> str | None:
    low = " " + re.sub(r"[^a-z0-9]+", " ", re.sub(r"n['’]t\b", " not", text.lower())) + " "
    return next((h for h in hedges if f" {h} " in low), None)


def _in_sentence(text: str, m: NumberMention) -> bool:
    before = re.search(r"([A-Za-z]+|\d)[^\w]*$", text[: m.start])
    after = re.match(r"[^\w]*([A-Za-z]+|\d)", text[m.end :])
    return bool(before and before.group(1)[0].isalpha()) or bool(after and after.group(1)[0].isalpha())


_APPROX_BEFORE = re.compile(r"[~≈<>≤≥]\s*[-−]?$")
_VALUE_SUFFIX = re.compile(r"(?:\s?[%‰‱]|(?i:\s?[-'’]?(?:st|nd|rd|th))(?![A-Za-z])|ˢᵗ|ⁿᵈ|ʳᵈ|ᵗʰ|[eE][-+]?\d|[kKMB](?![A-Za-z])|[x×](?![A-Za-z\d])|bn\b|[⁰¹²³⁴-⁹½¼¾⅐-⅞]|_\d|[-\s]?ish\b|\+(?!\s*\d)|\?|\s+\d+\s*/\s*\d)")


def _qualified(text: str, m: NumberMention, st: AnswerSettings) -> str | None:
    """Why the number at `m` is not stated as an exact value: a bound or approximation ("~12", "12+"),
    a question ("12?"), an ordinal ("12th"), an exponent, power, fraction or magnitude ("12e1", "12²", "12 1/2", "12 thousand")."""
    if _APPROX_BEFORE.search(text[: m.start]):
        return "approximate or bounded"
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
    if re.match(r"[\s,-]*(?:" + _phrases(st.bound_words_final) + r")\s*(?:[.,;:!?)\]]|$)", after.lower()):
        return "a bound, not a value"  # "12 tops." bounds; "12 tops the list" does not
    return None


def spell_out_numbers(text: str, st: AnswerSettings) -> str:
    """Number words as digits ("twelve" -> "12", "twenty-one" -> "21"); a `number_words_lone` word ("one") only when
    the text has no other number ("It is one." is 1, "12 is the one" is 12)."""
    values = {w.lower(): k for k, w in enumerate(st.number_words_units)}
    tens = {w.lower(): 20 + 10 * k for k, w in enumerate(st.number_words_tens)}
    if not values and not tens:
        return text

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"

    digits = [w for w, v in values.items() if 1 <= v <= 9]
    word = re.compile(rf"(?<![\w'’-])(?:({alt(list(tens))})(?:[-\s]({alt(digits)}))?|({alt(list(values))}))(?![\w'’-])", re.IGNORECASE)
    lone = {w.lower() for w in st.number_words_lone}
    others = re.search(r"\d", text) or any(m.group(0).lower() not in lone for m in word.finditer(text))

    def value(m: re.Match) -> str:
        if m.group(3):
            return m.group(0) if others and m.group(3).lower() in lone else str(values[m.group(3).lower()])
        return str(tens[m.group(1).lower()] + (values[m.group(2).lower()] if m.group(2) else 0))

    return word.sub(value, text)


def _phrases(words: list[str]) -> str:
    """A regex alternation of lexicon phrases, "n't" glued to its word ("isn't"), others whole words."""
    out = [(r"(?<=[a-z])" if w.startswith("n'") else r"\b") + re.escape(w.lower()).replace("'", "['’]") + r"\b" for w in words]
    return "|".join(sorted(out, key=len, reverse=True)) or "(?!)"


def _denial_span(text: str, m: NumberMention, st: AnswerSettings) -> tuple[int, int] | None:
    """Where the words that deny the number at `m` are ("not 13", "13 is wrong"), None when it is not denied."""
    low = text.lower()
    before = re.search(r"(?:" + _phrases(st.denial_words_before) + r")\s*$", low[: m.start])
    if before:
        return before.start(), m.start
    after = re.match(r"[\s,]*(?:" + _phrases(st.denial_words_after) + r")", low[m.end :])
    return (m.end, m.end + after.end()) if after else None


def judge_number(text: str, expected: str, prompt: str, st: AnswerSettings) -> tuple[bool, str]:
    """One unambiguous number equal to `expected` (canonical) in `text`; a denied number ("12, not 13") is none."""
    text = spell_out_numbers(_EMPHASIS.sub("", text), st)
    found = [m for m in number_mentions(text, st.operator_words, st.negative_words) if not m.operand]
    spans = {id(m): _denial_span(text, m, st) for m in found}
    undenied = text
    for span in filter(None, spans.values()):
        undenied = undenied[: span[0]] + " " * (span[1] - span[0]) + undenied[span[1] :]
    hedge = _hedged(undenied, st.hedge_phrases)
    if hedge:
        return False, f"answer: hedged ({hedge!r})"
    mentions = [m for m in found if spans[id(m)] is None]
    if not mentions:
        return False, "answer: denies every number it gives" if found else "answer: no number in the reply"
    for a, b in zip(mentions, mentions[1:]):
        between = clean(text[a.end : b.start])
        if between in st.alternative_words:
            return False, f"answer: alternatives {text[a.start:a.end]!r} {between} {text[b.start:b.end]!r}"
    for m in mentions:
        why = _qualified(text, m, st)
        if why:
            return False, f"answer: {text[m.start : m.end]!r} is {why}"
    malformed = [text[m.start : m.end] for m in mentions if m.value is None]
    if malformed:
        return False, f"answer: malformed number {malformed[0]!r}"
    prompt_values = {m.value for m in number_mentions(spell_out_numbers(prompt, st), st.operator_words, st.negative_words)}
    values = list(dict.fromkeys(m.value for m in mentions))
    # A number the prompt states, restated inside a sentence ("had 12 apples"), is not an answer candidate
    # when the reply has another one; bare numbers side by side ("7 12") all are.
    restated = {m.value for m in mentions if m.value in prompt_values and _in_sentence(text, m)}
    fresh = [v for v in values if v not in restated]
    candidates = fresh if fresh else values
    if len(candidates) > 1:
        return False, f"answer: several candidates {candidates}"
    if candidates[0] != expected:
        return False, f"answer: {candidates[0]!r} != {expected!r}"
    return True, ""


def _strip_fillers(text: str, fillers: list[str]) -> str:
    for f in fillers:
        if text.startswith(f + " "):
            return text[len(f) + 1 :]
    return text


def text_candidates(text: str, st: AnswerSettings) -> list[str]:
    """The whole text, and the text after a short lead-in ("The first letter is r." -> "r")."""
    whole = clean(text)
    out = [whole]
    m = re.search(r"(?:\bis\b|\bare\b|\bequals\b|=|:)", whole)
    if m is not None and len(whole[: m.start()].split()) <= st.lead_in_max_words:
        out.append(clean(whole[m.end() :]))
    return [_strip_fillers(c, st.answer_fillers) for c in out] + out


def _asked(text: str) -> bool:
    """The reply ends in a question mark: it asks about an answer instead of stating it ("r?", "Is it B?")."""
    return _MARKDOWN.sub("", text).rstrip(" \t\r\n\"'`)]").endswith("?")


def judge_text(text: str, expected: str, st: AnswerSettings) -> tuple[bool, str]:
    """The whole text is the answer, or a short lead-in plus exactly the answer."""
    hedge = _hedged(text, [h for h in st.hedge_phrases if not _hedged(expected, [h])])  # "not" may be the answer itself
    if hedge:
        return False, f"answer: hedged ({hedge!r})"
    if _asked(text) and not expected.rstrip().endswith("?"):
        return False, f"answer: {clean(text)[:60]!r} is asked, not stated"
    want = clean(expected)
    spaced = bool(_SPACED.match(want))
    for cand in text_candidates(text, st):
        if cand == want or (spaced and re.sub(r"[\s,\-]+", " ", cand) == want):
            return True, ""
    return False, f"answer: {clean(text)[:60]!r} is not {want!r}"


def judge_answer(text: str, expected: str, prompt: str, st: AnswerSettings) -> tuple[bool, str]:
    want = normalize_answer(expected)
    if is_number(want):
        return judge_number(text, want, prompt, st)
    return judge_text(text, want, st)


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
    if clean(trailing):
        want = normalize_answer(expected)
        extra = [m.value for m in number_mentions(spell_out_numbers(trailing, st), st.operator_words, st.negative_words) if not m.operand and m.value != want]
        if not is_number(want) or extra:
            fails.append("answer: more text after the final answer")
    return not fails, fails, final


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


# Words that follow a letter but never the article "a": "A or B" and "A is right" name option A, "A cat" does not.
_NOT_AFTER_ARTICLE = ("or", "and", "nor", "is", "was", "then", "but", "not", "seems", "looks", "because", "since", "so",
                      "would", "could", "should", "must", "might", "will", "can", "too", "also", "only", "instead", "vs",
                      "versus", "if", "as", "being", "appears", "remains", "isn", "wasn")
# A letter rejected instead of chosen: "not B", "B is wrong", "rather than B", "B isn't right".
# ... also in other words before it ("never B", "anything but B", "I would not pick B", "I doubt it's B")
_REJECTED_BEFORE = re.compile(r"(?:\bnot|n['’]t|\bexcept|\brather than|\binstead of|\bother than|(?:\bnot|\bcannot|n['’]t)\s+be|\bneither|\bnor"
                              r"|\bnever|\b(?:anything|everything|all)\s+but|(?:(?:\bnot|n['’]t)\s+(?:pick|choose|select|go\s+with|say|think|"
                              r"believe|guess)|\bdoubt)(?:\s+(?:it['’]s|it\s+is|that|that\s+it['’]s|that\s+it\s+is))?)\s+"
                              r"(?:(?:option|choice|letter)\s+)?[(\"']?$", re.IGNORECASE)
# ... or after it, maybe with words between ("B is the wrong answer", "B would be wrong", "B doesn't fit", "B is out")
_REJECTED_AFTER = re.compile(r"[)\"']?\s*(?:is|was|['’]s|seems|looks|(?:would|could|must|should|will)\s+be|seems\s+to\s+be)?\s*"
                             r"(?:(?:a|an|the)\s+)?(?:wrong|incorrect|false|not\b(?!\s+(?:only|just|merely))|isn['’]t(?!\s+(?:only|just|merely))|can(?:no|['’])t be|ruled out|eliminated|"
                             r"excluded|out\b|unlikely|implausible|bad\b|poor\b|mistaken|invalid|does(?:n['’]t|\s+not)|do(?:n['’]t|\s+not)|"
                             r"won['’]t|wouldn['’]t|would\s+not)", re.IGNORECASE)


def _letter_mentions(s: str, labels: list[str]) -> list[tuple[str, bool]]:
    """(letter, rejected) for each option letter written in `s`, skipping the article "A" and the pronoun "I"; a
    letter is rejected when denied ("not B", "B is wrong", "it can't be B", "not A or B") or asked ("B?")."""
    out: list[tuple[str, bool]] = []
    last = 0
    for m in re.finditer(r"(?<![A-Za-z'])([A-J])(?![A-Za-z'])", s):
        letter, before, nxt = m.group(1), s[: m.start()], s[m.end() :]
        if letter not in labels:
            continue
        cue = re.search(r"(?:answer|option|choice|letter|\bis|:|\()\s*$", before, re.IGNORECASE)
        word = re.match(r"\s+([a-z]+)\b", nxt)
        if letter in ("A", "I") and word and word.group(1) not in _NOT_AFTER_ARTICLE and not cue:
            continue  # the article "A cat" or the pronoun "I think"
        rejected = bool(_REJECTED_BEFORE.search(before) or _REJECTED_AFTER.match(nxt)) or nxt.lstrip(")\"' ").startswith("?")
        # "not A or B" rejects both; "A? No" asks about A and chooses nothing
        if out and out[-1][1] and re.search(r"[(\s]*\b(?:or|nor)\s+(?:(?:option|choice|letter)\s+)?[(\"']?$", before[last:]):
            rejected = True
        out.append((letter, rejected))
        last = m.end()
    return out


def chosen_letters(text: str, labels: list[str], choices: list[str] | None) -> list[str]:
    """The option letters a reply chooses, in order of first mention; a rejected letter ("not B", "B is wrong")
    is not chosen."""
    s = _MARKDOWN.sub("", text).strip()
    whole = s.strip(_STRIP)
    if len(whole) == 1 and whole.upper() in labels:
        return [whole.upper()]
    found: list[str] = []
    for letter, rejected in _letter_mentions(s, labels):
        if not rejected and letter not in found:
            found.append(letter)
    if not found and choices:
        matches = [labels[k] for k, c in enumerate(choices) if clean(c) == clean(s)]
        if len(matches) == 1:
            return matches
    return found


def _option_at(segment: str, choices: list[str]) -> int | None:
    """The option whose text `segment` is or starts with (the longest such text), None when none."""
    seg = clean(segment)
    hits = [(len(clean(c)), k) for k, c in enumerate(choices) if clean(c) and (seg == clean(c) or seg.startswith(clean(c) + " "))]
    return max(hits)[1] if hits else None


def stated_options(text: str, letter: str, choices: list[str]) -> set[int]:
    """The options whose text is written beside `letter` ("B) Paris", "Option B: Rome", "Rome (B)")."""
    s = _MARKDOWN.sub("", text)
    out = set()
    for m in re.finditer(r"(?<![A-Za-z'])" + letter + r"(?![A-Za-z'])\s*[).:\-–]?\s*([^\n]*)", s):
        k = _option_at(m.group(1), choices)
        if k is not None:
            out.add(k)
    for m in re.finditer(r"(?:^|\n)([^\n]*?)\s*\(\s*" + letter + r"\s*\)", s):
        k = _option_at(re.sub(r"^.*\b(?:is|answer|choose|pick)\b[:\s]*", "", m.group(1), flags=re.IGNORECASE), choices)
        if k is not None:
            out.add(k)
    return out


def judge_letter(text: str, gold: str, labels: list[str], choices: list[str] | None) -> tuple[bool, str]:
    letters = chosen_letters(text, labels, choices)
    if not letters:
        rejected = [x for x, no in _letter_mentions(_MARKDOWN.sub("", text), labels) if no]
        return False, f"choice: rejects {rejected[0]} and chooses none" if rejected else "choice: no option letter"
    if _asked(text):
        return False, "choice: the letter is asked, not chosen"
    if len(letters) > 1:
        return False, f"choice: several letters {', '.join(letters)}"
    if letters[0] != gold:
        return False, f"choice: chose {letters[0]} not {gold}"
    other = sorted(k for k in stated_options(text, gold, choices or []) if labels[k] != gold)
    if other:
        return False, f"choice: letter {gold} given with the text of option {labels[other[0]]}"
    return True, ""
