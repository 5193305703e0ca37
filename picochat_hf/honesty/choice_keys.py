"""A choice item's key written as a key and its value: "animal: deer" for the item asking which option is an animal.

A choice item of a family whose question asks which option has a property (`choice_key_families`: the category family,
problem key "animal:deer") is identified by that property and its right option's text alone; a document or an SFT
message pairing them with a key separator (`corpus_key_separators`: "animal: deer", "Animals - deer", "animal → deer")
gives the item without its options. The value must be the right option's text alone up to its clause's end: a list
("animal: deer, fox, owl") is a word list and another value ("animal: fox") another fact; the word alone in prose ("a
deer ran across the road") names no property. Found in a corpus document it is `corpus_signature_with_answer`; in any
message of an SFT row without a canonical problem, `sft_signature_with_answer`.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from ..data.schema import message_text
from .config import ScanConfig
from .items import canonical_key
from .normalize import words
from .tables import row_end_pairs

# the value runs to its clause's end, a "," after it making it one entry of a list; or it is quoted ("animal": "deer")
_VALUE = (r"[ \t]*(?:[\"“](?P<quoted>[^\"”\n,]*[^\W_][^\"”\n,]*)[\"”]|"
          r"(?P<bare>[^\n.;,|()\[\]{}]*[^\W_][^\n.;,|()\[\]{}]*?)[ \t]*(?=(?P<end>[\n.;,|)\]}]|$)))")


def _singular(ws: list[str]) -> list[str]:
    """A one-word property in the singular ("animals" is "animal"), as the key pattern reads it."""
    return [ws[0][:-1]] if len(ws) == 1 and len(ws[0]) > 3 and ws[0].endswith("s") and not ws[0].endswith("ss") else ws


def key_pairs(eval_rows: list[dict], families: list[str]) -> dict[tuple[str, str], list[str]]:
    """(property, answer text) as normalised words joined -> the ids of the choice items of `families` keyed so."""
    out: dict[tuple[str, str], list[str]] = {}
    for r in eval_rows:
        p = r.get("problem")
        if not r.get("correct_choice") or not isinstance(p, dict) or p.get("family") not in families:
            continue
        parts, answer = str(p.get("key") or "").split(":"), str(p.get("answer_text") or "")
        if len(parts) == 2 and words(parts[0]) and words(parts[1]) == words(answer):
            out.setdefault((" ".join(words(parts[0])), " ".join(words(answer))), []).append(r["id"])
    return out


class ChoiceKeys:
    """Reads documents for the items' (property, answer) pairs written as a key and a value; `hits`: item id -> document."""

    def __init__(self, pairs: dict[tuple[str, str], list[str]], separators: list[str]):
        self.pairs = pairs
        self.hits: dict[str, str] = {}
        props = sorted({k for k, _ in pairs}, key=len, reverse=True)
        seps = "|".join(re.escape(s).replace(r"\ ", r"[ \t]+") for s in sorted(separators, key=len, reverse=True))
        # the property, maybe plural ("Animals: deer"), standing as a word of its own before the separator
        alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in props)
        self.pattern = (re.compile(r"(?<![^\W_])(" + alternation + r")(?:e?s)?[\"”]?[ \t]*(?:" + seps + ")" + _VALUE, re.IGNORECASE)
                        if props and seps else None)
        self.mentioned = re.compile(r"(?<![^\W_])(?:" + alternation + ")", re.IGNORECASE) if props else None

    def tap(self, docs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """Pass `docs` through, reading each on the way."""
        for name, text in docs:
            self.read(name, text)
            yield name, text

    def read(self, name: str, text: str) -> None:
        """Record the items whose property and answer `text` pairs: as a key and value, or as a table's or a delimited line's
        cell and the last ("| animal | deer |", "animal,deer"; "animal,deer,fox" is a list, `tables.row_end_pairs`)."""
        if self.pattern is None or not self.mentioned.search(text):
            return
        for m in self.pattern.finditer(text):
            if m.group("quoted") is None and m.group("end") == ",":  # "animal: deer, fox": one entry of a list
                continue
            self._pair(name, m.group(1), m.group("quoted") or m.group("bare"))
        for key, value in row_end_pairs(text):
            self._pair(name, key, value)

    def _pair(self, name: str, key: str, value: str) -> None:
        for item_id in self.pairs.get((" ".join(_singular(words(key))), " ".join(words(value))), []):
            self.hits.setdefault(item_id, name)

    def findings(self, add: Callable[..., None], side: str = "corpus") -> None:
        where = "corpus document" if side == "corpus" else "SFT row"
        for item_id, doc in self.hits.items():
            add(f"{side}_signature_with_answer", item_id, side, doc,
                f"{where} {doc} pairs the item's property with its right option as a key and value, without its options")


def choice_keys(eval_rows: list[dict], cfg: ScanConfig) -> ChoiceKeys:
    """The key reader for the choice items of `cfg.choice_key_families`."""
    return ChoiceKeys(key_pairs(eval_rows, cfg.choice_key_families), cfg.corpus_key_separators)


def choice_key_findings(eval_rows: list[dict], sft_rows: list[dict], skip: set[str], add: Callable[..., None], cfg: ScanConfig) -> None:
    """`sft_signature_with_answer` for an item's key and value in any message of an SFT row without a canonical problem
    (items in `skip` already have a leak finding)."""
    reader = ChoiceKeys({k: [i for i in ids if i not in skip] for k, ids in key_pairs(eval_rows, cfg.choice_key_families).items()},
                        cfg.corpus_key_separators)
    deque(reader.tap((r["id"], message_text(m["content"])) for r in sft_rows if canonical_key(r) is None for m in r["messages"]),
          maxlen=0)
    reader.findings(add, side="sft")
