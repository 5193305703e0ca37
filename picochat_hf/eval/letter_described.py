"""A letter described in a clause of its own, as a contrast or an elimination beside the letter chosen (data:
`choice_stance.yaml`).

"A is a planet, so B.", "B, but A is close.", "B; A and C are planets.", "C might seem right, but it's B." name A and C
to set them aside: each is the subject of a describing verb whose clause says what the option is or how it looks, and
nothing in it says the option is right. Such a letter is read like a letter glossed with its own text ("A is Lima"):
it chooses only when no other letter is chosen ("B is a common animal." chooses B).

A clause that claims the option is right, righter than another, or has the property the question asks for ("B, but A is
better", "B, though A is also right", "B, but A is an animal" asked for an animal) describes nothing: its letter is
chosen, and the reply gives several letters.
"""

from __future__ import annotations

import re

from .choice_stance import _WORDS, stance_words, stem

# where a describing clause may open: the reply's start, a clause mark, or a word that joins clauses
_OPENS = re.compile(r"(?:^|[.;:!?,(\n—–\-]|\b(?:but|though|although|while|whereas|and|so|yet|then|however|also)\b)[\s\"'(]*(?:(?:option|choice|letter)\s+)?$",
                    re.IGNORECASE)
_LIST = r"[)\"']*(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)[(\"']*[A-J](?![A-Za-z'’])[)\"']*)*"
# other option texts joined to a subject text before its verb ("Mercury and Saturn are planets")
TEXT_LIST = r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)[A-Za-z0-9][\w'’\- ]{0,30}?)?"
_CLAUSE_END = re.compile(r"[.;!?\n]|,\s*(?:so|but|and|then|which|while|whereas|yet|though|although|however|hence|thus)\b|,\s*[A-J](?![A-Za-z'’])"
                         r"|\s(?:but|so|yet|though|although|whereas)\s", re.IGNORECASE)


def described(before: str, nxt: str, terms: tuple[str, ...]) -> bool:
    """Whether the letter between `before` and `nxt` is the subject of a clause that only describes its option."""
    return bool(_OPENS.search(before)) and describing(nxt, terms, _LIST)


def describing(nxt: str, terms: tuple[str, ...], subjects: str = "") -> bool:
    """Whether `nxt`, after the subject (and any `subjects` joined to it), is a describing verb with a predicate that
    says nothing right of the option ("is a planet", "might seem right"; not "is better", "is also an animal")."""
    return predicate_reading(nxt, terms, subjects) == "describes"


def predicate_reading(nxt: str, terms: tuple[str, ...], subjects: str = "") -> str | None:
    """"describes" when `nxt` (after the subject and any `subjects` joined to it) is a describing verb and a predicate
    that says nothing right of the option, "affirms" when its predicate says the option is right, righter than another
    or has the question's property (all its words, or its last: "Car is furniture" asked for a piece of furniture), None
    when no describing verb follows."""
    words = stance_words()
    verbs = "|".join(re.escape(v).replace("'", "['’]") for v in sorted(words.describing_verbs, key=len, reverse=True))
    m = re.match(subjects + r"\s*(?<![A-Za-z])(" + verbs + r")(n['’]t)?(?![A-Za-z])", nxt, re.IGNORECASE)
    if m is None:
        return None
    stop = _CLAUSE_END.search(nxt, m.end())
    verb = m.group(1).lower().replace("’", "'")
    predicate = [w.replace("’", "'") for w in _WORDS.findall(nxt[m.end() : stop.start() if stop else len(nxt)].lower())]
    if not predicate:
        return None  # "A is." / "A is, B" say nothing of the option
    if m.group(2) or predicate[0] in ("not", "no", "never"):
        return "describes"  # "Mercury is not an animal", "A isn't close": what the option is not
    cut = next((k for k, w in enumerate(predicate) if w in ("not", "never", "unlike", "rather", "instead")), len(predicate))
    predicate = predicate[:cut]  # "bed is furniture, not an animal": what follows the negation is what the option is not
    said = " " + " ".join(predicate) + " "
    affirming = [a for a in words.affirming if f" {a} " in said
                 and not (a == "more" and re.search(r" \d[\d.,]* (?:[a-z]+ )?more ", said))]  # "A is 12 more than B" counts
    if any(a in ("also", "as well", "equally", "either", "both") for a in affirming) or predicate[-1] == "too":
        return "affirms"  # "A is also an animal", "A works too"; "D is too short" only describes
    if verb in words.appearance_words or any(f" {a} " in " " + " ".join(predicate[:2]) + " " for a in words.appearance_words):
        return "describes"
    stems = {stem(w) for w in predicate + [verb]}
    if [a for a in affirming if a != "too"] or re.search(r"\bthe one\b", said) or (terms and (set(terms) <= stems or terms[-1] in stems)) or _compared(stems, terms):
        return "affirms"
    return "affirms" if _names_asked(predicate, terms) else "describes"


def _names_asked(predicate: list[str], terms: tuple[str, ...]) -> bool:
    """The predicate is the asked thing itself, maybe "of" what the question names ("C is the antonym", "C is the antonym
    of lose" asked for the antonym of "lose"); "the antonym of push" names another word's."""
    words = [w for w in predicate if w not in ("a", "an", "the")]
    if not words or stem(words[0]) not in terms:
        return False
    rest = words[1:]
    return not rest or (rest[0] == "of" and len(rest) > 1 and all(stem(w) in terms for w in rest[1:]))


def _compared(stems: set[str], terms: tuple[str, ...]) -> bool:
    """The predicate compares by the question's superlative ("B is smaller" asked for the smallest)."""
    bases = [t[:-3] for t in terms if t.endswith("est") and len(t) > 5]
    return any(w.startswith(b) and w.endswith("er") for b in bases for w in stems)
