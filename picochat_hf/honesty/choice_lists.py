"""Option lists written without labels: "Options: Lima, Oslo, Paris, Bern", "(Lima / Oslo / Paris / Bern)",
"Choose from Lima, Oslo, Paris or Bern.", or short lines ("- Lima", "Oslo", ...).

A choice item copied with its letters dropped is still the item: `choice_copies.py` compares such a list with
an eval item's options exactly as it compares a lettered one (one option set within the other, the right
option chosen, the question naming the item's entities). Where an unlabelled list starts and ends is not
written down, so the parse keeps the list's first and last segments whole ("Choose from Lima", "Bern in your
view") and reads them against one item's options (`OptionList.resolve`): the item option at the segment's
edge is the listed option and the rest is question text; a short segment with no item option at its edge is
an option the item does not have (so the option sets differ, as for a lettered "D. Bern"); a long one
(more than `max_words` words) is question text, not an option. Segments between separators are options when
they have at most `max_words` words. A row that letters or numbers its options is read by
`choice_copies.listed_options` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .config import ScanConfig
from .items import contains
from .normalize import words

_CLAUSE = re.compile(r"[^.?!:()\[\]{}\n—]+(?:[.?!](?!\s|$)[^.?!:()\[\]{}\n—]*)*")  # text between clause ends
_SEPARATOR = re.compile(r"\s*(?:[;/|]|,(?!\d))\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]\s+)?(\S.*?)\s*$")


@dataclass(frozen=True)
class ListRules:
    """How an unlabelled option list is read (`ScanConfig.choice_list_*`)."""

    min_options: int = 3
    max_words: int = 4
    articles: frozenset[str] = field(default_factory=lambda: frozenset({"a", "an", "the"}))


@dataclass(frozen=True)
class OptionList:
    """One unlabelled option list in a prompt: the question around it, its first and last segments (maybe
    carrying question words: "choose from lima"; empty for a list of lines) and the segments between."""

    question: list[str]
    lead: list[str]
    slots: list[list[str]]
    tail: list[str]

    def keys(self, rules: ListRules) -> set[str]:
        """Every text one of the listed options may have (to find the lists that may offer a given option)."""
        out = {" ".join(s) for s in self.slots} | {" ".join(_bare(s, rules)) for s in self.slots}
        out |= {" ".join(self.lead[-k:]) for k in range(1, min(len(self.lead), rules.max_words) + 1)}
        tail = _bare(self.tail, rules)
        out |= {" ".join(tail[:k]) for k in range(1, min(len(tail), rules.max_words) + 1)}
        return out

    def resolve(self, options: set[str], rules: ListRules) -> tuple[list[str], list[str]]:
        """(question words, listed option texts) of the list read against one item's option texts."""
        question, listed = list(self.question), []
        for s in self.slots:
            bare = " ".join(_bare(s, rules))
            listed.append(bare if bare in options else " ".join(s))
        for seg, at_end in ((self.lead, True), (_bare(self.tail, rules), False)):
            if not seg:
                continue
            edge = [o for o in options if (seg[len(seg) - len(o.split()):] if at_end else seg[: len(o.split())]) == o.split()]
            if edge:
                o = max(edge, key=len)
                n = len(o.split())
                listed.append(o)
                question += seg[: len(seg) - n] if at_end else seg[n:]
            elif len(seg) <= rules.max_words:  # an option the item does not have ("choose from bern")
                listed.append(seg[-1] if at_end else seg[0])
                question += seg[:-1] if at_end else seg[1:]
            else:  # prose around the list, not an option
                question += seg
        return question, listed


def _bare(seg: list[str], rules: ListRules) -> list[str]:
    """A segment without the article it opens with ("a mars" is "mars")."""
    return seg[1:] if len(seg) > 1 and seg[0] in rules.articles else seg


def list_rules(cfg: ScanConfig) -> ListRules:
    """The list rules a scan config sets."""
    return ListRules(cfg.choice_list_min_options, cfg.choice_list_max_words, frozenset(w for a in cfg.choice_list_articles for w in words(a)))


def _inline_lists(text: str, rules: ListRules) -> list[OptionList]:
    """Lists inside one clause: at least `min_options` segments between commas, slashes, semicolons, "or", "and"."""
    out = []
    for clause in _CLAUSE.finditer(text):
        parts = _SEPARATOR.split(clause.group(0))
        segs = [words(p) for p in parts]
        if len(segs) < rules.min_options or not all(segs) or any(len(s) > rules.max_words for s in segs[1:-1]):
            continue
        question = words(text[: clause.start()]) + words(text[clause.end():])
        out.append(OptionList(question, segs[0], segs[1:-1], segs[-1]))
    return out


def _line_lists(text: str, rules: ListRules) -> list[OptionList]:
    """Runs of at least `min_options` short lines (an optional bullet "-", "*" or "•", at most `max_words` words)."""
    lines = text.split("\n")
    short = [words(_BULLET.match(ln).group(1)) if ln.strip() else [] for ln in lines]
    ok = [bool(s) and len(s) <= rules.max_words and not lines[k].rstrip().endswith(("?", ":")) for k, s in enumerate(short)]
    out, k = [], 0
    while k < len(lines):
        j = k
        while j < len(lines) and ok[j]:
            j += 1
        if j - k >= rules.min_options:
            question = words("\n".join(lines[:k])) + words("\n".join(lines[j:]))
            out.append(OptionList(question, [], short[k:j], []))
        k = max(j, k + 1)
    return out


def option_lists(text: str, rules: ListRules) -> list[OptionList]:
    """Every unlabelled option list of a prompt (see the module docstring)."""
    return _line_lists(text, rules) + _inline_lists(text, rules)


def named_option(answer: list[str], listed: list[str]) -> str | None:
    """The one listed option an answer names ("Paris", "It is Paris."); None when it names none or several."""
    named = {o for o in listed if contains(answer, o.split())}
    named = {o for o in named if not any(o != p and contains(p.split(), o.split()) for p in named)}  # "delhi" in "new delhi"
    return named.pop() if len(named) == 1 else None
