"""A number the working gives as what the answer is, which is neither the answer nor any number the working or the
prompt has: a second answer hidden before the `Final answer:` line.

"That gives 16.\\nFinal answer: 6", "I think it is 58.\\n<the column working>\\nFinal answer: 57", "Count by 8, 7 times:
8, ..., 56.\\nWe get 64.\\nFinal answer: 56" and a lone "So 58." state a result the final line contradicts; the answer
judge reads only that line, and `stated_results` only labelled results ("the sum is 58"). A claim is a whole sentence
(or line): fillers, hedges and a claim phrase (`answer_claim_openers`, `working_claim_openers`), then the number, then
at most the words the prompt counts with ("That gives 16 buttons."). A restated step ("Ones: 3 + 4 = 7. That gives
7."), a number of the prompt ("Start: that is 84.") and a column's place value ("= 5. That is 50.") are the working's
own numbers, not a second answer.
"""

from __future__ import annotations

import re
from typing import Any

from .answers import counted_words
from .equations import place_values
from .number_tokens import number_mentions
from .reply_text import phrase_alternation

__all__ = ["false_claimed_result"]

_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+[.!?]*")  # "2.5" stays whole
_NUMBER = r"(?P<n>[-−]?\d[\d,]*(?:\.\d+)?)"


def _claim_pattern(prompt: str, st: Any) -> re.Pattern:
    lead = phrase_alternation(st.answer_claim_fillers + st.hedge_phrases)
    opener = phrase_alternation(st.answer_claim_openers + st.working_claim_openers)
    return re.compile(rf"\s*(?:(?:{lead})\s*,?\s*)*(?:(?:{opener})\s*,?\s*)?{_NUMBER}(?![\d.,]*\d)"
                      rf"(?:\s+(?:{counted_words(prompt, st)})){{0,2}}\s*[.!?]*\s*", re.IGNORECASE)


def false_claimed_result(worked: str, answer: str, prompt: str, told: str, st: Any) -> str | None:
    """The first sentence of `worked` (number words as digits) that claims a number as the result that is not `answer`
    (canonical), not a number the working writes elsewhere or `told` (the prompt with number words as digits) states,
    and no place value of one; None when there is none."""
    claim = _claim_pattern(prompt, st)
    mentions = number_mentions(worked, st.operator_words, st.negative_words)
    told_values = {m.value for m in number_mentions(told, st.operator_words, st.negative_words)}
    for sentence in _SENTENCE.finditer(worked):
        m = claim.fullmatch(sentence.group(0))
        if m is None:
            continue
        at = sentence.start() + m.start("n")
        here = next((x for x in mentions if x.start == at), None)
        if here is None or here.value is None or here.value == answer:
            continue
        elsewhere = {x.value for x in mentions if x is not here and x.value is not None} | told_values
        if here.value in elsewhere or any(place_values(float(here.value), float(v)) for v in elsewhere if v is not None):
            continue
        return sentence.group(0).strip()
    return None
