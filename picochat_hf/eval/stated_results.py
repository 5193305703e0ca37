"""A result the working states that contradicts the reply's own final answer: "The answer is 88." or "Total: 88." before
"Final answer: 87", "Count: 3." or "The o count is 3." before "Final answer: 2" about the o's of "hookah", "Subtracting gives 7 buttons." before "Final answer: 6".

A result is a label (`answer`, `result`, `count`, and by the operation a prompt asks for: `sum`/`total` for an addition,
`difference` for a subtraction, `product` for a multiplication) with "is", ":", "=" or "comes to" and a number that no
operator or list goes on from. A partial result names its part first ("the ones sum is 7", "the tens total: 8") and is
not judged; a label tied to a letter ("the o count", "the number of a's") must be that letter's count in the asked word.
"""

from __future__ import annotations

import re

from .spelling_words import the_asked_word

__all__ = ["false_result"]

_BY_OPERATION = {"+": ("sum", "total"), "-": ("difference",), "*": ("product",)}
# Words that may come before a label in its clause without making it a part ("So the final answer is 88").
_PLAIN = {"so", "the", "final", "thus", "then", "hence", "therefore", "and", "this", "that", "my", "our", "in", "overall",
          "letter"}
_NUMBER = r"(?P<n>-?\d[\d,]*(?:\.\d+)?)(?![\d.,]*\d)(?!\s*(?:[-+*/×÷x=]\s*\d|,\s*\d))"


def _operation(row: dict, prompt: str) -> str | None:
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if problem.get("op") in _BY_OPERATION:
        return problem["op"]
    numbers = re.findall(r"(?<![\w.,])\d+(?![\w.,]\d)", prompt)
    sign = re.search(rf"{numbers[0]}\s*([-+*×])\s*{numbers[1]}", prompt) if len(numbers) == 2 and not problem else None
    return ({"×": "*"}.get(sign.group(1), sign.group(1))) if sign else None


_RESULT_VERBS = r"(?:gives|leaves|makes|yields|equals|comes\s+to|results\s+in|is|(?:we|you|i)\s+get|gets\s+us)"
# Words between an operation word and its verb that keep it the whole sum's ("Subtracting them gives", "Taking away 78")
_SUM_WORDS = {"away", "them", "both", "these", "those", "the", "numbers", "from", "and", "it", "all", "up", "out", "two", "we"}


def _verb_result(reply: str, prompt: str, expected: str, subjects: list[str]) -> str | None:
    """A result an operation word or a gerund opening its clause states with a verb ("Subtracting gives 7 buttons.",
    "Taking away 78 leaves 16.") that is not `expected`; one about a part ("Subtracting the ones gives 2") is not judged."""
    names = "|".join(re.escape(w) for w in subjects if w not in ("that", "this", "which", "it", "so")) or "(?!)"
    pattern = re.compile(rf"(?:^|[.;:!?\n]\s*|\b(?:so|then|thus)\s*,?\s*)(?P<subject>(?:{names})\b|[a-z]+ing\b)(?P<mid>[^.;:!?\n]*?)"
                         rf",?\s+{_RESULT_VERBS}\s+{_NUMBER}", re.IGNORECASE)
    said = set(re.findall(r"[a-z]+|\d+", prompt.lower())) | _SUM_WORDS
    for m in pattern.finditer(reply):
        if not set(re.findall(r"[a-z]+|\d+", m.group("mid").lower())) <= said:
            continue  # a part or a check: "Subtracting the ones gives 2", "Adding back 78 gives 84"
        value = m.group("n").replace(",", "")
        if float(value) != float(expected):
            return m.group(0).strip(" .;:!?\n")
    return None


def false_result(reply: str, row: dict, prompt: str, expected: str, subjects: list[str] | None = None) -> str | None:
    """The first result the reply states that is not its answer `expected` (a number), else None; `subjects` are the
    operation words that may state a result with a verb (`count_result_subjects`)."""
    told = _verb_result(reply, prompt, expected, subjects or []) if _operation(row, prompt) in _BY_OPERATION else None
    if told:
        return told
    op = _operation(row, prompt)
    labels = ["answer", "result", "count", *_BY_OPERATION.get(op or "", ())]
    word = the_asked_word(prompt, row)
    letter = r"(?:[\"“'‘]?(?P<letter>[a-z])[\"”'’]?\s+)?"
    of_letter = r"(?:\s+of\s+(?:the\s+letter\s+)?[\"“'‘]?(?P<of>[a-z])[\"”'’]?(?:['’]s)?)?"
    pattern = re.compile(rf"(?<![\w'’]){letter}(?P<label>{'|'.join(labels)}|number){of_letter}\s*(?:\bis\b|\bwas\b|:|=|\bcomes\s+to\b|\bequals\b)?"
                         rf"\s*{_NUMBER}", re.IGNORECASE)
    for m in pattern.finditer(reply):
        label = m.group("label").lower()
        at = m.start("label")
        if re.search(r"final\s+$", reply[:at], re.IGNORECASE) and re.match(r"answer\s*[:：]", reply[at:], re.IGNORECASE):
            continue  # the "Final answer:" line is the answer rule's to judge
        if label == "number" and not m.group("of"):
            continue  # "number 5" names a number
        head = re.split(r"[.;:!?\n,(]", reply[: m.start()])[-1]
        if any(w not in _PLAIN for w in re.findall(r"[a-z]+", head.lower())):
            continue  # a part: "the ones sum is 7", "Olive's count: 3"
        if not re.search(r"\bis\b|\bwas\b|:|=|\bcomes\s+to\b|\bequals\b", m.group(0), re.IGNORECASE) and label != "total":
            continue  # "count 3 apples" is no statement; "total 88" is
        named = (m.group("letter") or m.group("of") or "").lower()
        want = str(word.count(named)) if named and word else expected
        if named and not word:
            continue
        value = m.group("n").replace(",", "")
        if value.rstrip("0").rstrip(".") != want.rstrip("0").rstrip(".") if "." in value + want else value != want:
            return m.group(0).strip()
    return None
