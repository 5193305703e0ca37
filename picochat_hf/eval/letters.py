"""Reading the option letter a reply chooses ("B", "(B)", "The answer is B", "B) Paris").

Exactly one option letter must be chosen; listing several fails ("A or B"), and so does asking ("B?", "Is it
B?"), and so does hedging ("maybe B", "I think B"). A denied letter ("not B", "B is wrong", "it can't be B", "I doubt it's B") is not chosen, nor is a letter
named in the reason given for the choice ("B, since A is in France"), unless the reason affirms it ("B, since
A is right" chooses both). A letter glossed with its own option's text ("A is Lima") beside another chosen letter explains
the options instead of choosing. A reply that is exactly one option's text chooses that option, and the chosen letter
must not come with another option's text ("B. Lima" when B is Paris).

A letter is denied however the denial is written around it: after it ("B is the trap", "B: no.", "B (wrong)", "B is
tempting but wrong", "B, which is wrong.", "B. That's not right."), after its own text ("B: Paris is wrong.", "B (Paris)?
No."), before it ("I reject B", "Wrong: B"), carried on from a list ("A, C and D are wrong", "A is wrong, and so is B"),
or inside a reason ("B, since B is wrong"). A letter is read quoted, bracketed, bold or lowercase ("'B'", "[B]", "**B**",
"b, since ..."); struck through ("~~B~~") it is deleted. The chosen letter fails when it is also denied ("B or not B"),
taken back ("B. Just kidding.") or its own text denied ("B (not Paris).").

Contrast and elimination: a letter that is the subject of a describing clause ("A is a planet, so B.", "B, but A is
close.", "C might seem right, but it's B.") is read like a glossed letter (`letter_described`); one whose clause says it is
right, better, also right or has the asked property ("B, but A is better.") is chosen. The right letter given with a
judgement against it, in sarcasm, or with a reason that denies it the asked property ("B is what a fool would pick", "B.
Yeah, right.", "B, but deer is not an animal") fails (`choice_stance`), and so does one with a reason that calls its
option a thing of another kind than the question asks for ("B, but deer is a plant.", `choice_kinds`). A claim about any
option that the option texts can decide ("B. A is 3 years.", "D. C comes first.", "A. Carrot is a fruit.") describes that
option, and the reply fails when the claim is false or says another option answers (`choice_claims`).

Warnings and reported picks: a letter named as the wrong pick ("The trap is A.", "A common mistake is to pick A.",
"Picking A is a common mistake.", "Beware of A.") is denied; one picked by someone else ("People often pick A.", "If you
picked A, ...") is read like a described letter. Lowercase alphabet letters in an order ("b comes before c") are no
option letters.

Exclusion answers: a reply that chooses no letter and denies every option but one, of three or more, chooses the one
left ("Not A, C or D." and "A, C and D are wrong." choose B; "Anything but B, C and D." chooses A), and is judged on it;
fewer denials ("Not A.") choose nothing, and the one left must not be written unread elsewhere in the reply.

The word lists (the article "A", rejections, reasons) are data: the `choice_*` lexicons of the scoring YAML
(`scoring.yaml`). A caller without a scoring config (the honesty scan) gets the shipped lexicons.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .choice_claims import false_claim, only_claimed, unclaimed
from .choice_glosses import false_calendar_gloss, gloss_as_claim
from .choice_kinds import misplaced_kind
from .choice_stance import question_terms, stance_failure, stance_words, stem
from .letter_described import TEXT_LIST, described, describing, predicate_reading
from .reply_text import MARKDOWN, STRIP, asked, clean, phrase_alternation


@dataclass(frozen=True)
class LetterLexicon:
    """The `choice_*` lexicons of `scoring.ScoringConfig` (see `scoring.yaml` for what each holds)."""

    not_after_article: tuple[str, ...]
    rejected_before: tuple[str, ...]
    rejected_verbs: tuple[str, ...]
    rejected_that: tuple[str, ...]
    rejected_copulas: tuple[str, ...]
    rejected_after: tuple[str, ...]
    rejected_closing: tuple[str, ...]
    contrast_words: tuple[str, ...]
    back_pronouns: tuple[str, ...]
    rejected_labels: tuple[str, ...]
    retractions: tuple[str, ...]
    rejection_carried_before: tuple[str, ...]
    rejection_carried_after: tuple[str, ...]
    not_rejecting: tuple[str, ...]
    reason_openers: tuple[str, ...]
    affirmed_after: tuple[str, ...]
    hedge_phrases: tuple[str, ...]
    rejected_adjectives: tuple[str, ...]
    mistake_nouns: tuple[str, ...]
    picking_verbs: tuple[str, ...]
    other_pickers: tuple[str, ...]


_LIST_REST = re.compile(r"(?:\s*,\s*[A-J](?![A-Za-z]))*,?\s+(?:or|nor|and)\s+(?:(?:option|choice|letter)\s+)?[(\"']?[A-J](?![A-Za-z])")


_CLOSE = r"\s*(?:[.!;,)\n](?!\w)|$)"  # the end of a clause ("No." closes, "No.1" does not)


@functools.lru_cache(maxsize=8)
def _patterns(lex: LetterLexicon) -> dict[str, re.Pattern]:
    keep = r"(?!\s+(?:" + phrase_alternation(lex.not_rejecting) + "))"
    copula = r"(?:(?:" + phrase_alternation(lex.rejected_copulas) + r")\s*)?"
    contrast = phrase_alternation(lex.contrast_words)
    # a rejection that closes its clause, maybe with what it denies: "is wrong.", "is not the answer.", "is not it."
    adjectives = r"(?:(?:" + phrase_alternation(lex.rejected_adjectives) + r")\s+)*"  # "A is a common mistake"
    picking = r"(?:(?:to\s+)?(?:" + phrase_alternation(lex.picking_verbs) + r")\s+)?"
    rejection = (copula + r"(?:(?:a|an|the)\s+)?(?:" + phrase_alternation(lex.rejected_after) + r")(?:\s+(?:it\b|"
                 + phrase_alternation(lex.affirmed_after) + r"))?" + _CLOSE)
    return {
        # "not B", "rather than B", "I would not pick B", "I doubt it's B", "not option B", "not (B)"
        "before": re.compile(r"(?:" + phrase_alternation(lex.rejected_before) + r"|(?:" + phrase_alternation(lex.rejected_verbs) + r")(?:\s+(?:"
                             + phrase_alternation(lex.rejected_that) + r"))?)\s+(?:(?:option|choice|letter)\s+)?[(\"']*$", re.IGNORECASE),
        # "B is wrong", "B would be wrong", "B is the wrong answer", "B doesn't fit"; "B is not only right" is no rejection
        "after": re.compile(r"[)\"']*\s*" + copula + r"(?:(?:a|an|the)\s+)?" + adjectives + r"(?:" + phrase_alternation(lex.rejected_after) + ")" + keep,
                            re.IGNORECASE),
        # "the trap is A", "a common mistake is to pick A", "the wrong answer would be A": a mistake named before the letter
        "mistake": re.compile(r"\b(?:" + phrase_alternation(lex.mistake_nouns) + r")(?:s|es)?\s+(?:here\s+)?(?:is|would\s+be|was|will\s+be|[:=])\s+"
                              + picking + r"(?:(?:option|choice|letter)\s+)?[(\"']*$", re.IGNORECASE),
        # "people often pick A", "if you picked A", "many choose A by mistake": someone else's pick, reported
        "reported": re.compile(r"\b(?:" + phrase_alternation(lex.other_pickers) + r")\s+(?:(?:[a-z]+ly|often|sometimes|might|may|would|will|still|also|"
                               r"then|tend\s+to)\s+){0,2}(?:" + phrase_alternation(lex.picking_verbs) + r")\s+(?:(?:option|choice|letter)\s+)?[(\"']*$",
                               re.IGNORECASE),
        "reason": re.compile(r"(?:^|[\s,;(])(?:" + phrase_alternation(lex.reason_openers) + r")\s", re.IGNORECASE),
        "hedge": re.compile(phrase_alternation(lex.hedge_phrases), re.IGNORECASE),
        "affirmed": re.compile(r"[)\"']*\s*" + copula + r"(?:" + phrase_alternation(lex.affirmed_after) + ")", re.IGNORECASE),
        # "B: no.", "B — wrong.", "B (wrong)", "B ✗", "B, the wrong one.": a rejection that closes the letter's clause after a mark
        "closing": re.compile(r"[)\"']*(?:\s*[:\-–—=,.…(!←]+\s*|\s+)(?:(?:a|an|the)\s+)?(?:" + phrase_alternation(lex.rejected_closing) + r")"
                              + _CLOSE, re.IGNORECASE),
        # "B is tempting but wrong", "B looks right, yet isn't": the clause turns on a contrast to a rejection that closes it
        "contrast": re.compile(r"[)\"']*\s*" + copula + r"(?:[\w'’]+\s+){0,4}?[\w'’]*,?\s*(?:" + contrast + r")\s+" + rejection, re.IGNORECASE),
        # "B, which is wrong.", "B. That's not right.", "B, but it is not the answer."
        "back": re.compile(r"[)\"']*[\s,;:.!\-–—]*(?:(?:" + contrast + r")\s+)?(?:" + phrase_alternation(lex.back_pronouns) + r")\s*"
                           + rejection, re.IGNORECASE),
        # "Wrong: B", "Eliminated: A, C, D.": a label opening the sentence rejects every letter after it in that sentence
        "label": re.compile(r"(?:^|[.;!?\n]\s*)(?:the\s+)?(?:" + phrase_alternation(lex.rejected_labels) + r")\s*[:=\-–—][^.;!?\n]*$",
                            re.IGNORECASE),
        # "A is wrong, and so is B", "A is wrong; same for B", "A is wrong, and B too"
        "carried_before": re.compile(r"[\s,;.]*(?:and\s+)?(?:" + phrase_alternation(lex.rejection_carried_before) + r")\s+(?:(?:option|choice|letter)\s+)?[(\"']*$",
                                     re.IGNORECASE),
        "carried_after": re.compile(r"[)\"']*,?\s*(?:" + phrase_alternation(lex.rejection_carried_after) + r")" + _CLOSE, re.IGNORECASE),
        "retraction": re.compile(r"(?:^|[\s,;:.!(\-–—…])(?:" + phrase_alternation(lex.retractions) + r")" + _CLOSE, re.IGNORECASE),
        "denied_text": re.compile(r"(?:" + phrase_alternation(lex.rejected_before) + r")\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE),
        "text_rejected": re.compile(r"[)\"']*\s*" + rejection, re.IGNORECASE),
    }


@functools.lru_cache(maxsize=1)
def default_letter_lexicon() -> LetterLexicon:
    """The shipped lexicons (`scoring.yaml`), for callers without a scoring config."""
    from .scoring import default_scoring_config

    return default_scoring_config().letters()


def _reason_spans(s: str, pats: dict[str, re.Pattern], labels: list[str]) -> list[tuple[int, int]]:
    """The reasons a reply gives ("since A is in France"): after a chosen letter, from a reason opener to the end of its
    sentence; or to the first comma when the reason opens the sentence ("Since A is in France, B"). An opener before
    any letter is no reason ("I'd go for B", "I would mark it as B")."""
    out = []
    letter = r"(?<![A-Za-z'’])[" + "".join(labels) + r"](?![A-Za-z'’])"
    for m in pats["reason"].finditer(s):
        start = m.start() + (m.group(0)[:1] in " \t\n,;(")
        sentence_start = re.search(r"(?:^|[.!?\n])\s*$", s[:start]) is not None
        if not sentence_start and not re.search(letter, s[:start]):
            continue
        stop = re.search(r"[,;]" if sentence_start else r"[.!?\n](?:\s|$)|;", s[start:])
        out.append((start, start + stop.start() if stop else len(s)))
    return out


def _own_text(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> bool:
    """The letter is followed by its own option's text ("C) false" where C is "false"): the text is read, not a rejection."""
    if not choices or labels.index(letter) >= len(choices):
        return False
    own = re.escape(clean(choices[labels.index(letter)]))
    return bool(own) and re.match(r"[).:\-–—]?\s*" + own + r"(?![a-z0-9])", nxt.lower()) is not None


def _glossed(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> bool:
    """The letter is followed by "is" (or "=", "means", "stands for") and its own option's text ("A is Lima"): it says
    what the option is, which chooses it only when no other letter is chosen ("B. A is Lima, which is in Peru." chooses B)."""
    if not choices or labels.index(letter) >= len(choices):
        return False
    own = re.escape(clean(choices[labels.index(letter)]))
    link = r"[)\"'’]?\s*(?:is|was|=|means|stands\s+for)\s+(?:the\s+)?(?:option\s+|answer\s+)?[\"'“‘(]?"
    return bool(own) and re.match(link + own + r"(?![a-z0-9])", nxt.lower()) is not None


def _glossed_other(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> bool:
    """The letter is followed by "is" (or "=", "means") and another option's text ("A is Paris" where B is Paris): it
    ties that option's text to this letter, which describes nothing; it says the letter is that option."""
    return any(other != letter and _glossed(nxt, other, labels, choices) for other in labels[: len(choices or [])])


def _own_rest(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> str | None:
    """What follows the letter's own option text written right after it ("B: deer is wrong" gives " is wrong", "B (deer)?"
    gives "?"), None when its text does not follow it."""
    if not choices or labels.index(letter) >= len(choices) or not clean(choices[labels.index(letter)]):
        return None
    own = re.escape(clean(choices[labels.index(letter)])).replace(r"\ ", r"\s+")
    m = re.match(r"[)\"']*\s*[(:,\-–—=.]?\s*(?:(?:i\.\s?e\.?|namely|that\s+is),?\s*)?(?:(?:the|a|an)\s+)?[\"'“‘]?" + own + r"(?![a-z0-9])[\"'”’]?\s*\)?,?", nxt, re.IGNORECASE)
    return nxt[m.end() :] if m else None


def _past_own_text(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> str:
    """What follows the letter past its own text in brackets or commas ("A (48) is 4 years" gives " is 4 years")."""
    m = re.match(r"\s*[(,]\s*", nxt)
    rest = _own_rest(nxt, letter, labels, choices) if m else None
    return nxt if rest is None else rest


def denied_own_text(text: str, letter: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon) -> str | None:
    """The chosen option's own text when the reply denies it ("B (not deer).", "B, not deer.", "B. Deer is wrong.",
    "anything but deer"), None otherwise; the text explained ("B. Deer is not a planet.") is not denied."""
    if not choices or labels.index(letter) >= len(choices) or not clean(choices[labels.index(letter)]):
        return None
    pats, s = _patterns(lex), MARKDOWN.sub("", text).translate(_WRAPS)
    own = re.escape(clean(choices[labels.index(letter)])).replace(r"\ ", r"\s+")
    for m in re.finditer(r"(?<![A-Za-z0-9])" + own + r"(?![A-Za-z0-9])", s, re.IGNORECASE):
        if pats["denied_text"].search(s[: m.start()]) or pats["text_rejected"].match(s[m.end() :]):
            return m.group(0)
    return None


def _denied_after(nxt: str, letter: str, labels: list[str], choices: list[str] | None, pats: dict[str, re.Pattern]) -> bool:
    """The words after a letter reject it: "B is wrong", "B is the trap", "B: no.", "B is tempting but wrong", "B?", or
    the same after its own text ("B: deer is wrong.", "B (deer)? No."); its own text alone ("C) false") rejects nothing."""
    rest = _own_rest(nxt, letter, labels, choices)
    if rest is not None and (pats["text_rejected"].match(rest) or rest.lstrip(")\"' ").startswith("?")):
        return True
    tail = nxt if rest is None else rest
    if pats["closing"].match(tail) or pats["contrast"].match(tail) or pats["back"].match(tail):
        return True
    return rest is None and (bool(pats["after"].match(nxt)) or nxt.lstrip(")\"' ").startswith("?"))


_JOINER = r"\s*[)\"'’]?\s*(?:,\s*(?:(?:and|or|nor)\s+)?|\s+(?:and|or|nor)\s+)(?:(?:option|choice|letter)\s+)?[(\"'‘]?\s*"


def _spread_back(s: str, out: list[list]) -> None:
    """A rejection after the last letter of a list rejects the whole list ("A, C and D are wrong", "A, C, D are wrong"):
    the letters are joined by commas, "and", "or" or "nor" only, with one of those words or a plural copula closing it."""
    for k in range(len(out) - 1, 0, -1):
        if out[k][3] != "after":
            continue
        j = k
        while j > 0 and re.fullmatch(_JOINER, s[out[j - 1][5] : out[j][4]], re.IGNORECASE):
            j -= 1
        closed = re.search(r"\b(?:and|or|nor)\b", s[out[k - 1][5] : out[k][4]], re.IGNORECASE)
        plural = re.match(r"[)\"'’\s]*(?:are|were)\b", s[out[k][5] :], re.IGNORECASE)
        if j < k and (closed or plural):
            for m in out[j:k]:
                m[1], m[3] = True, "after"


_WRAPS = str.maketrans("[]“”‘’", "()\"\"''")  # one character each, so positions hold: "[B]" reads as "(B)", "“B”" as '"B"'
# a letter alone, maybe quoted ("'B'"), not inside a word or a contraction ("I'd", "B's")
_LETTER = re.compile(r"(?<![A-Za-z])(?<![A-Za-z]['’])([A-Ja-j])(?![A-Za-z])(?!['’][A-Za-z])")


_ALPHABET_ORDER = re.compile(r"[\"')]*,?\s+(?:(?:which|that)\s+)?(?:comes?|is|goes|precedes|follows|sits)\s+(?:(?:right|just|well|alphabetically)\s+)?"
                             r"(?:before|after|earlier|later|ahead)\b", re.IGNORECASE)


def _lowercase_read(letter: str, before: str, nxt: str, cue: bool) -> bool:
    """A lowercase letter is an option letter after a cue and before punctuation ("option b."), and a lowercase letter
    other than the words "a" and "i" anywhere it stands alone ("b, since deer is an animal"), but not in an abbreviation
    ("e.g."); "a" also opens a reply before punctuation ("a) Lima")."""
    punct = re.match(r"\s*(?:[).,;:!?\n]|$)", nxt) is not None
    if cue and punct:
        return True
    if re.match(r"\.[A-Za-z]", nxt):
        return False
    if letter in "ai":
        return letter == "a" and punct and not before.strip(STRIP)
    return True


def _verb_after(word: str) -> bool:
    """A describing verb after "A" makes it a letter, not the article ("A fits", "A seems close", "A precedes it")."""
    return word.lower() in stance_words().describing_verbs


def _letter_mentions(s: str, labels: list[str], lex: LetterLexicon, choices: list[str] | None = None, *,
                     glosses: bool = False, kinds: bool = False, terms: tuple[str, ...] = ()) -> list[tuple]:
    """(letter, rejected) for each option letter written in `s` (with `glosses`, (letter, rejected, glossed): see `_glossed`;
    with `kinds`, also how it was rejected: "before", "after", "asked", "" when chosen), skipping the article "A", the
    pronoun "I" and letters in a reason that does not affirm them; a letter is rejected when denied ("not B", "B is
    wrong", "it can't be B", "not A or B", "A, C and D are wrong") or asked ("B?")."""
    pats = _patterns(lex)
    s = s.translate(_WRAPS)
    reasons = _reason_spans(s, pats, labels)
    out: list[list] = []
    last = 0
    for m in re.finditer(_LETTER, s):
        letter, before, nxt = m.group(1).upper(), s[: m.start()], s[m.end() :]
        if letter not in labels:
            continue
        cue = re.search(r"(?:answer|option|choice|letter|\bis|:|\()\s*$", before, re.IGNORECASE)
        if m.group(1).islower() and not _lowercase_read(m.group(1), before, nxt, bool(cue)):
            continue  # "a" and "i" are words, "e.g." an abbreviation
        if m.group(1).lower() in terms and re.search(r"\b(?:with|letter|in)\s*[\"'(]*$", before, re.IGNORECASE):
            continue  # the letter the question asks about ("B, it opens with c." asked for the word opening with "c")
        if m.group(1).islower() and (re.search(r"\b(?:before|after|than)\s*[\"'(]*$", before, re.IGNORECASE)
                                     or _ALPHABET_ORDER.match(nxt)):
            continue  # a letter of the alphabet in an order ("b comes before c", "starts with b, which is before c")
        word = re.match(r"\s+([a-z]+|[A-Z][a-z]+)\b", nxt)
        capital = bool(word) and word.group(1)[0].isupper()
        if capital and letter == "A" and _own_text(nxt, letter, labels, choices):
            word = None  # "A Mercury" where option A is Mercury: the letter with its own text
        if letter in ("A", "I") and word and word.group(1).lower() not in lex.not_after_article and not cue \
                and (capital or (stem(word.group(1)) not in terms and not _verb_after(word.group(1)))):  # "A precedes February", "A works too"
            continue  # the article "A cat", "A Mercury is a planet" or the pronoun "I think"
        if any(a <= m.start() < b for a, b in reasons) and not pats["affirmed"].match(nxt) and not (
                pats["before"].search(before) or pats["text_rejected"].match(nxt)):
            continue  # named in a reason ("B, since A is in France"), not chosen; denied there ("since B is wrong") it counts
        asked_here = nxt.lstrip(")\"' ").startswith("?")
        kind = "before" if pats["before"].search(before) or pats["label"].search(before) or pats["mistake"].search(before) else ("asked" if asked_here else "after") if _denied_after(
            nxt, letter, labels, choices, pats) else ""
        joiner = before[last:]
        if out and out[-1][1] and kind == "":
            # "not A or B", "anything but B, C and D" reject the whole list; "A? No" asks about A and chooses nothing
            if re.search(r"[(\s]*\b(?:or|nor)\s+(?:(?:option|choice|letter)\s+)?[(\"']?$", joiner):
                kind = out[-1][3] or "before"
            # "not A, C or D" rejects the whole list; "Not A, B." chooses B (no "or" closes a list)
            elif re.fullmatch(r"\s*,\s*", joiner) and _LIST_REST.match(nxt):
                kind = out[-1][3] or "before"
            elif out[-1][3] in ("before", "after") and (pats["carried_before"].search(joiner) or (
                    re.search(r"(?:^|[\s,;.])and\s+[(\"']*$", joiner) and pats["carried_after"].match(nxt))):
                kind = out[-1][3]
            elif out[-1][3] == "before" and re.fullmatch(_JOINER, joiner, re.IGNORECASE) and re.search(r"\band\b", joiner) \
                    and not pats["affirmed"].match(nxt):
                kind = "before"
        gloss = _glossed(nxt, letter, labels, choices) or (kind == "" and (described(before, _past_own_text(nxt, letter, labels, choices), terms)
                                                                          or pats["reported"].search(before) is not None)
                                                           and not _glossed_other(nxt, letter, labels, choices))  # "A is a planet, so B"
        out.append([letter, kind != "", gloss, kind, m.start(), m.end()])
        last = m.end()
    _spread_back(s, out)
    return [tuple(m[:3] if glosses else m[:2]) + ((m[3],) if kinds else ()) for m in out]


def excluded_letter(mentions: list[tuple], labels: list[str], text: str = "") -> str | None:
    """The one option left when a reply denies every other option of three or more and chooses none ("Not A, C or D.",
    "Anything but B, C and D.", "A, C and D are wrong."); one denial among four ("Not A.") leaves none, and a letter
    only asked about ("A? C? D?") is not denied, and the one left must not be written in `text` unread ("A, C and D are
    wrong; same for B.", where B stands in a reason). `mentions` are (letter, rejected, glossed, kind)."""
    if len(labels) < 3 or any(not m[1] for m in mentions):
        return None
    denied = {m[0] for m in mentions if m[3] in ("before", "after")}
    left = [x for x in labels if x not in denied]
    if len(left) != 1 or len(denied) != len(labels) - 1:
        return None
    return None if any(m.group(1) == left[0] for m in _LETTER.finditer(text.translate(_WRAPS))) else left[0]


def chosen_letters(text: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon | None = None, *,
                   terms: tuple[str, ...] = ()) -> list[str]:
    """The option letters a reply chooses, in order of first mention; a rejected letter ("not B", "B is wrong")
    is not chosen. A reply that denies every option but one of three or more and chooses none chooses the one left
    (`excluded_letter`: "Not A, C or D." chooses B)."""
    lex = lex or default_letter_lexicon()
    s = MARKDOWN.sub("", unstruck(text)).strip()
    whole = s.strip(STRIP)
    if len(whole) == 1 and whole.upper() in labels:
        return [whole.upper()]
    found: list[str] = []
    glossed: list[str] = []
    mentions = _letter_mentions(s, labels, lex, choices, glosses=True, kinds=True, terms=terms)
    for letter, rejected, gloss, _ in mentions:
        if not rejected and letter not in (glossed if gloss else found):
            (glossed if gloss else found).append(letter)
    if not found:
        found = glossed
    left = None if found else excluded_letter(mentions, labels, s)
    if left:
        return [left]
    if not found and choices:
        matches = [labels[k] for k, c in enumerate(choices) if clean(c) == clean(s)]
        if len(matches) == 1:
            return matches
    return found


_LINK = r"(?:[).:;,=…\-–—→>]|\s)*"  # what may join a letter and an option text: "B) Lima", "B — Lima", "B → Lima"
_SAYING = r"(?:(?:(?:which|that|it|this)\s*)?(?:is|['’]s|was|equals|means)\s+)?(?:the\s+[a-z]+\s+is\s+)?"


def _option_at(segment: str, choices: list[str]) -> int | None:
    """The option whose text `segment` is or starts with, as whole words (the longest such text), None when none."""
    seg = clean(segment)
    hits = [(len(clean(c)), k) for k, c in enumerate(choices) if clean(c) and _starts_pattern(clean(c)).match(seg)]
    return max(hits)[1] if hits else None


# an option's text as whole words: built per option text, not per reply (re's own cache of 512 patterns thrashes on a
# task pack's thousands of option texts, and compiling was half the time of reading 20,000 SFT rows)
@functools.lru_cache(maxsize=8192)
def _starts_pattern(text: str) -> re.Pattern:
    return re.compile(re.escape(text) + r"(?![a-z0-9])")


@functools.lru_cache(maxsize=8192)
def _word_pattern(text: str) -> re.Pattern:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(text) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _option_before(before: str, choices: list[str]) -> int | None:
    """The option whose text ends `before`, joined to the letter after it by a bracket, comma, colon, "=" or "is"
    ("Lima (B)", "Lima, B", "Lima is B"), None when none."""
    m = re.search(r"(?:\(|,|:|=|\bis\b|\s)+$", before, re.IGNORECASE)
    if m is None or not m.group(0).strip():
        return None
    head = clean(before[: m.start()])
    hits = [(len(clean(c)), k) for k, c in enumerate(choices) if clean(c) and re.search(r"(?<![a-z0-9])" + re.escape(clean(c)) + "$", head)]
    run = re.split(r"[.;!?\n]", head[: len(head) - len(clean(choices[max(hits)[1]]))])[-1] if hits else ""
    if not hits or (_DENIED_RUN.search(run) and re.search(r"\b(?:or|nor|and)\s+$", run)):
        return None  # "Not Mercury, Saturn or bed: B" lists the denied options before the letter; "Not Mercury, bed: B" does not
    return max(hits)[1]


# a denial whose run reaches the option text with no turn in between ("not Lima, Oslo or"; not "not Lima but")
_DENIED_RUN = re.compile(r"\b(?:not|n't|unlike|except|never|anything\s+but|other\s+than|rather\s+than|instead\s+of)\b"
                         r"(?:(?!\b(?:but|rather|instead|yet|though|however|so)\b)[^.;!?\n])*$", re.IGNORECASE)


def stated_options(text: str, letter: str, choices: list[str], terms: tuple[str, ...] = ()) -> set[int]:
    """The options whose text is written beside `letter`: after it ("B) Paris", "Option B: Rome", "B — Rome", "B, which
    is Rome", "B. It's Rome.") or before it ("Rome (B)", "Rome, B", "Rome is B"). A text that opens the next sentence as
    the subject of a describing clause ("B. Mercury is a planet.", `letter_described.describing`) is not stated."""
    s = MARKDOWN.sub("", text)
    out = set()
    for m in re.finditer(r"(?<![A-Za-z'])" + letter + r"(?![A-Za-z'])", s):
        after = re.match(_LINK + _SAYING + r"([^\n]*)", s[m.end() :], re.IGNORECASE)
        k_after = _option_at(after.group(1), choices) if after else None
        if k_after is not None and _subject_text(s[m.end() : after.start(1)], after.group(1), choices[k_after], terms):
            k_after = None
        for k in (k_after, _option_before(s[: m.start()], choices)):
            if k is not None:
                out.add(k)
    return out


def _subject_text(link: str, rest: str, choice: str, terms: tuple[str, ...]) -> bool:
    """The option text after a sentence break opens a clause that describes it ("B. Mercury is a planet.")."""
    if not re.search(r"[.;!?]", link):
        return False
    m = re.match(r"\s*(?:(?:the|a|an)\s+)?" + re.escape(clean(choice)).replace(r"\ ", r"\s+") + r"(?![A-Za-z0-9])", rest, re.IGNORECASE)
    return m is not None and describing(past_unit(rest[m.end() :], choice, terms), terms, TEXT_LIST)


def past_unit(after: str, choice: str, terms: tuple[str, ...]) -> str:
    """`after` past the unit a number option's text may carry, when the question names it ("48 months is 4 years" asked
    to convert to months gives " is 4 years")."""
    m = re.match(r"\s+([a-z]+)\b", after, re.IGNORECASE) if re.fullmatch(r"[\d.,]+", clean(choice)) else None
    return after[m.end() :] if m and stem(m.group(1)) in terms else after


# Where an option's text stands as an answer: after a clause or sentence start, a colon, "is", a correction or an
# alternative ("B. Actually, bed.", "B, or rather bed", "B; the animal is the bed"), maybe after an article.
_AS_ANSWER = re.compile(r"(?:^|[.,;:!?(\n\-–—…]|\b(?:no|nope|or|nor|actually|rather|wait|hmm|mean|instead|final|answer|is|are|was|"
                        r"i\.?e|namely|meaning|so|then|maybe|correction|oops|sorry|make\s+that))\s*(?:(?:the|a|an)\s+)?$", re.IGNORECASE)
_DENIED = re.compile(r"\b(?:not|n['’]t|unlike|than|instead\s+of|except|no\s+longer|never)\b[^.;!?\n]*$", re.IGNORECASE)


def other_option_named(text: str, gold: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon,
                       terms: tuple[str, ...] = ()) -> int | None:
    """Another option whose text the reply gives as an answer beside the chosen letter ("B. Actually, bed.", "B, or rather
    bed", "B; the animal is the bed"): its text where an answer stands, not the subject of a sentence ("Mercury is a
    planet"), not asked ("Saturn? No, B."), not denied ("not bed", "unlike bed"), not in the reason for the choice ("since bed is furniture") and not
    one of several other options listed together ("the others (Mercury, Saturn, bed) are not")."""
    if not choices:
        return None
    s = MARKDOWN.sub("", text)
    reasons = _reason_spans(s, _patterns(lex), labels)
    hits = []
    for k, choice in enumerate(choices):
        own = clean(choice)
        if not own or labels[k] == gold or own == clean(choices[labels.index(gold)]):
            continue
        for m in _word_pattern(own).finditer(s):
            before, after = s[: m.start()], past_unit(s[m.end() :], choice, terms)
            sentence = re.split(r"[.;!?\n]", before)[-1]
            reading = predicate_reading(after, terms, TEXT_LIST)  # "Mercury is a planet" describes; "Mercury is right" answers
            subject = reading == "describes" or (reading is None and re.match(TEXT_LIST + r"\s*(?:(?:is|are|was|were|isn['’]t|['’]s|has|have)\b|\?)",
                                                                              after, re.IGNORECASE))
            if (_AS_ANSWER.search(before) and not subject
                    and not _DENIED.search(sentence) and not any(a <= m.start() < b for a, b in reasons)
                    and not re.search(r"(?<![A-Za-z])[A-J][)\"'’]?\s*(?:is|=|means)\s*(?:(?:the|a|an)\s+)?$", before)  # "A is Lima" glosses A
                    and not re.search(r"(?<![A-Za-z])" + labels[k] + r"\s*[(:,]\s*$", before)):  # "A (48) is 4 years" names A's text
                hits.append((k, m.start(), len(before) - len(sentence)))
    sentences = [h[2] for h in hits]
    listed = {h[2] for h in hits if sentences.count(h[2]) > 1}
    named = [k for k, _, at in hits if at not in listed]
    return named[0] if named else None


_OPTION_LINE = re.compile(r"^[ \t]*[(\[]?([A-J])[.):\]][ \t]+(\S.*?)[ \t]*$", re.MULTILINE)


def prompt_options(prompt: str) -> list[str] | None:
    """The option texts a prompt lists one a line ("A. deer", "(B) bed"), when the letters run from A without a gap and
    there are at least two; None otherwise."""
    found = _OPTION_LINE.findall(prompt)
    letters = "".join(letter for letter, _ in found)
    if len(found) < 2 or letters != "ABCDEFGHIJ"[: len(found)]:
        return None
    return [text for _, text in found]


_STRUCK = re.compile(r"~~.*?~~", re.DOTALL)  # markdown strikethrough: "~~B~~" deletes B


def unstruck(text: str) -> str:
    """`text` with struck-through parts ("~~B~~ A") blanked, positions kept."""
    return _STRUCK.sub(lambda m: " " * len(m.group(0)), text)


def _undone(s: str, m: re.Match) -> bool:
    """A negation right before a retraction undoes it: "B, not kidding.", "B. No kidding.", "B, and I'm not joking."."""
    phrase_at = m.start() + (m.group(0)[:1] in " \t\n,;:.!(-–—…")
    return re.search(r"\b(?:no|not|without)\s*$", s[:phrase_at], re.IGNORECASE) is not None


def _unsettled(text: str, letter: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon) -> str | None:
    """Why the one chosen letter does not stand: hedged ("maybe B"), asked ("Is it B?"), taken back after it ("B. Just
    kidding.", "B or not."), or denied as well as chosen ("B and not B"); None when it stands."""
    pats, s = _patterns(lex), MARKDOWN.sub("", text)
    hedge = pats["hedge"].search(s)
    if hedge:
        return f"choice: hedged ({hedge.group(0).lower()!r})"
    if asked(text):
        return "choice: the letter is asked, not chosen"
    first = next((m for m in _LETTER.finditer(s) if m.group(1).upper() == letter), None)
    back = next((r for r in pats["retraction"].finditer(s, first.end() if first else 0) if not _undone(s, r)), None)
    if back:
        return f"choice: {letter} is taken back ({back.group(0).strip(STRIP + '—–-…').lower()!r})"
    if any(x == letter and kind in ("before", "after") for x, _, _, kind in _letter_mentions(s, labels, lex, choices, glosses=True, kinds=True)):
        return f"choice: {letter} is both chosen and denied"
    return None


def judge_letter(text: str, gold: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon | None = None,
                 question: str = "") -> tuple[bool, str]:
    """Whether `text` chooses exactly the option `gold`, and why not: see the module docstring. `question` (the prompt)
    names the property the right option has (`choice_stance.question_terms`)."""
    lex = lex or default_letter_lexicon()
    text = unstruck(text)
    terms = question_terms(question) if question else ()
    letters = chosen_letters(text, labels, choices, lex, terms=terms)
    letters = unclaimed(letters, text, labels, choices, gold, question)  # "B. A is 4 years.": A is described, judged below
    claimed = only_claimed(text, labels, choices, gold, question)
    mentions = _letter_mentions(MARKDOWN.sub("", text), labels, lex, choices, glosses=True, kinds=True)
    if not letters:
        rejected = [m[0] for m in mentions if m[1]]
        hedge = _patterns(lex)["hedge"].search(MARKDOWN.sub("", text))
        if rejected and hedge:  # "B? no idea" asks and hedges
            return False, f"choice: hedged ({hedge.group(0).lower()!r}); {rejected[0]} is not chosen"
        return False, f"choice: rejects {rejected[0]} and chooses none" if rejected else "choice: no option letter"
    if len(letters) > 1:
        why = _unsettled(text, letters[0], labels, choices, lex)
        return False, why if why and why.startswith("choice: hedged") else f"choice: several letters {', '.join(letters)}"
    why = _unsettled(text, letters[0], labels, choices, lex)
    if why:
        return False, why
    if letters[0] != gold:
        if mentions and all(m[1] for m in mentions):
            return False, f"choice: denies every option but {letters[0]}, which leaves {letters[0]}, not {gold}"
        return False, f"choice: chose {letters[0]} not {gold}"
    other = sorted(k for k in stated_options(text, gold, choices or [], terms) if labels[k] != gold and k not in claimed[1])
    if other:
        return False, f"choice: letter {gold} given with the text of option {labels[other[0]]}"
    denied = denied_own_text(text, gold, labels, choices, lex)
    if denied is not None:
        return False, f"choice: letter {gold} chosen, but its own text {denied!r} is denied"
    named = other_option_named(text, gold, labels, choices, lex, terms)
    if named is not None and named not in claimed[1]:
        return False, f"choice: letter {gold} chosen, then the text of option {labels[named]} given as the answer"
    why = stance_failure(text, gold, labels, choices, terms)
    if why:
        return False, why
    claim = misplaced_kind(text, gold, labels, choices, terms)
    if claim:
        return False, f"choice: {gold} is given with a reason that calls it a {claim[1]}, not a {claim[2]} ({claim[0]!r})"
    glossed = gloss_as_claim(text, gold)
    why = (false_claim(text, gold, labels, choices, question) or (glossed and false_claim(glossed, gold, labels, choices, question))
           or false_calendar_gloss(text, gold, labels, choices))
    return (False, why) if why else (True, "")
