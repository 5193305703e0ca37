"""Whole numbers written out in English words, as the scan's normalised word sequences.

A leak may spell its numbers ("twenty-three plus thirty-four is fifty-seven"); the scan watches those forms
beside the digits. `normalize.words` keeps a hyphen as a word of its own, so "twenty-three" is
["twenty", "-", "three"]; `number_forms` gives that form, the spaced form and, above one hundred, the
forms with and without "and" ("one hundred and five", "one hundred five"), and "a hundred"/"a thousand" for
"one hundred"/"one thousand".
"""

from __future__ import annotations

from ..utils.number_values import number_words_value

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
MAX_SPELLED = 999_999


def _below_hundred(n: int, hyphen: bool) -> list[str]:
    if n < 20:
        return [ONES[n]]
    tens, ones = divmod(n, 10)
    if not ones:
        return [TENS[tens]]
    return [TENS[tens], "-", ONES[ones]] if hyphen else [TENS[tens], ONES[ones]]


def _below_thousand(n: int, hyphen: bool, conj: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_hundred(rest, hyphen)
    out = [ONES[hundreds], "hundred"]
    if rest:
        out += (["and"] if conj else []) + _below_hundred(rest, hyphen)
    return out


def spell(n: int, *, hyphen: bool = True, conj: bool = False) -> list[str]:
    """`n` (0 <= n <= MAX_SPELLED) in words: spell(57) == ["fifty", "-", "seven"]."""
    if not 0 <= n <= MAX_SPELLED:
        raise ValueError(f"{n} is outside 0..{MAX_SPELLED}")
    thousands, rest = divmod(n, 1000)
    if not thousands:
        return _below_thousand(rest, hyphen, conj)
    out = _below_thousand(thousands, hyphen, conj) + ["thousand"]
    if rest:
        out += (["and"] if conj and rest < 100 else []) + _below_thousand(rest, hyphen, conj)
    return out


def number_forms(number: str) -> list[list[str]]:
    """Every word form of a whole number written in digits ("57"); none for other text or numbers too large."""
    if not number.isdigit() or int(number) > MAX_SPELLED:
        return []
    n = int(number)
    forms = [spell(n, hyphen=h, conj=c) for h in (True, False) for c in (False, True)]
    forms += [["a", *f[1:]] for f in forms if f[0] == "one" and len(f) > 1 and f[1] in ("hundred", "thousand")]
    return list({tuple(f): f for f in forms}.values())


_VALUES = {w: k for k, w in enumerate(ONES)} | {w: 10 * k for k, w in enumerate(TENS) if w}
_SCALES = {"hundred": 100, "thousand": 1000}


def parse_number(tokens: list[str]) -> str | None:
    """The digits of a whole number written in words, as `number_forms` writes it ("seven thousand" is "7000",
    ["eighty", "-", "seven"] is "87"); None for anything else (the digits must spell back to `tokens`)."""
    core = [w for w in tokens if w not in ("-", "and", "a")]
    if not core or any(w not in _VALUES and w not in _SCALES for w in core):
        return None
    text = str(number_words_value(core, _VALUES, _SCALES))
    return text if tokens in number_forms(text) else None


def numbers_as_digits(tokens: list[str]) -> list[str]:
    """`tokens` with each longest run of number words read as its digits: ["it", "is", "seven", "thousand"] is
    ["it", "is", "7000"]."""
    if not any(t in _VALUES or t in _SCALES for t in tokens):
        return tokens  # no number word ("a" alone starts none)
    out, i = [], 0
    while i < len(tokens):
        if tokens[i] in _VALUES or tokens[i] == "a":
            for j in range(min(len(tokens), i + 9), i, -1):
                digits = parse_number(tokens[i:j])
                if digits is not None:
                    out.append(digits)
                    i = j
                    break
            else:
                out.append(tokens[i])
                i += 1
        else:
            out.append(tokens[i])
            i += 1
    return out


def digit_forms(number: str) -> list[list[str]]:
    """A whole number of two or more digits written digit by digit ("5 7", "five seven") and, from four digits, in groups
    of three ("4 600"), as the scan's words: a reply spacing its digits still gives the number."""
    if not number.isdigit() or len(number) < 2 or len(number) > len(str(MAX_SPELLED)):
        return []
    forms = [list(number), [ONES[int(d)] for d in number]]
    if len(number) >= 4:
        head = len(number) % 3 or 3
        forms.append([number[:head], *(number[i : i + 3] for i in range(head, len(number), 3))])
    return forms


NUMBER_LIST_JOINS = (",", ";", "and", "&")  # "5, 7 and 9": words between the numbers of a list (`normalize.words` keeps the ",")


def joined_digits(tokens: list[str]) -> list[str]:
    """`tokens` with each run of two or more one-digit numbers read as one number ("5 7" is "57"), and a number of one to
    three digits followed by groups of exactly three read as one ("4 600" is "4600"), as `digit_forms` writes them; a
    run listed beside another number ("3, 5 7", "5 7 and 9") is a list, its numbers left apart."""
    if sum(len(t) <= 3 and t.isdigit() for t in tokens) < 2:
        return tokens
    out, i = [], 0
    while i < len(tokens):
        j = i + 1
        if tokens[i].isdigit() and len(tokens[i]) == 1:
            while j < len(tokens) and tokens[j].isdigit() and len(tokens[j]) == 1:
                j += 1
        if j == i + 1 and tokens[i].isdigit() and len(tokens[i]) <= 3:
            while j < len(tokens) and tokens[j].isdigit() and len(tokens[j]) == 3:
                j += 1
        if j > i + 1 and _listed(tokens, i, j):
            j = i + 1
        out.append("".join(tokens[i:j]))
        i = j
    return out


def _listed(tokens: list[str], start: int, end: int) -> bool:
    """Whether `tokens[start:end]` follow or precede another number across a list word ("3, 5 7", "5 7 and 9")."""
    before = tokens[max(start - 2, 0) : start]
    after = tokens[end : end + 2]
    return ((len(before) == 2 and before[1] in NUMBER_LIST_JOINS and before[0].isdigit())
            or (len(after) == 2 and after[0] in NUMBER_LIST_JOINS and after[1].isdigit()))
