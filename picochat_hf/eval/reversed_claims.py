"""Letter-place and start/end claims about the word reversed, judged against the reversed word.

"The reversed word starts with e.", "Backwards, it begins with e and ends with c.", "e is the first letter of the
reversed word" are claims about the asked word read backwards; judged against the word forwards they read false when
true and true when false. A clause (`letter_places.yaml`: `clause_breaks`) that names a reversal (`reversed_subject`)
is split off the reply (`split_reversed`) and its claims judged against the reversed word (`false_reversed_claim`); a
claim in it that names the asked word itself ("the last letter of hookah, h, comes first when reversed") stays about
the word. The rest of the reply is judged as before, about the word forwards.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text

__all__ = ["false_reversed_claim", "split_reversed"]

PLACES_YAML = Path(__file__).with_name("letter_places.yaml")
# pronouns and fillers that stand for the word a clause is about ("it", "the word")
_SUBJECT_WORDS = {"it", "word", "this", "that", "and", "but", "so", "then", "also", "which", "while", "thus", "hence", "too"}


@lru_cache(maxsize=1)
def _grammar() -> tuple[re.Pattern, re.Pattern, frozenset[str]]:
    data = load_yaml_text(PLACES_YAML.read_text(encoding="utf-8"))
    words = sorted(data["reversed_subject"], key=len, reverse=True)
    named = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.IGNORECASE)
    breaks = re.compile(r"(?:[.;!?](?=\s|$)|\n|" + "|".join(data["clause_breaks"]) + ")", re.IGNORECASE)
    return named, breaks, frozenset(w.split()[0].lower() for w in words)


def split_reversed(reply: str) -> tuple[str, str]:
    """(the reply without its clauses about the reversed word, those clauses each on its own line)."""
    named, breaks, _ = _grammar()
    forward, backward, pos, carried = [], [], 0, False
    for m in [*breaks.finditer(reply), None]:
        end = m.start() if m is not None else len(reply)
        clause = reply[pos:end]
        about_back = carried or bool(named.search(clause))
        (backward if about_back else forward).append(clause)
        # a clause that only names the reversal ("Reversed, it begins with e") opens the one after it
        carried = bool(named.search(clause)) and len(clause.split()) <= 5 and m is not None and m.group(0).startswith(",")
        if m is not None:
            forward.append(m.group(0))
            pos = m.end()
    return "".join(forward) if backward else reply, "\n".join(c.strip() for c in backward)


def false_reversed_claim(clauses: str, word: str | None, st: Any) -> str | None:
    """The first letter-place or start/end claim in `clauses` (`split_reversed`'s second part) that is false of `word`
    reversed, or of `word` where the claim names it; None when each holds."""
    from .letter_positions import position_claims
    from .letter_relative import false_middle, false_relative, false_word_end

    if not word or not clauses:
        return None
    back = word[::-1]
    _, _, reversal = _grammar()
    for place, named, letter in position_claims(clauses, st):
        target = word if named == word else back if named in (None, *_SUBJECT_WORDS, *reversal) else None
        if target is not None and not (-len(target) <= place < len(target) and target[place] == letter):
            where = {0: "first letter", -1: "last letter"}.get(place, f"letter {place + 1 if place >= 0 else place}")
            return f"the {where} of {target!r} is {letter!r}"
    return false_word_end(clauses, back) or false_relative(clauses, back, st) or false_middle(clauses, back)
