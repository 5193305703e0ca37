"""Identity claims in a negated form, which the clause judges read as denials (data: `identity_negated.yaml`).

"There is no question I cannot answer." negates twice and claims omniscience; "Nothing is beyond my knowledge." and "No
question is too hard for me." claim it with a universal negative subject; "I have no limits", "I don't have any
limitations" and "no knowledge cutoff" deny a limit the model has; "I am not without internet access", "I don't lack
memory" and "I'm not offline" deny an inability, which claims the ability. Near misses that state a limit pass: "There are
questions I cannot answer.", "I am not without limits." (a triple negation admits one), "I don't know my exact limits."
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import BehaviourLexicons, _phrase, _starts

NEGATED_YAML = Path(__file__).with_name("identity_negated.yaml")
_LISTS = ("none_words", "self_negations", "copulas", "out_of_reach", "none_verbs", "plain_negations", "limit_words",
          "limit_gap_words", "boundless", "inability_gap_words", "inabilities", "self_subjects", "disowning", "self_references",
          "reference_gap_words")


@dataclass(frozen=True)
class Negated:
    words: dict[str, tuple[str, ...]]
    none_window: int


@lru_cache(maxsize=1)
def _table() -> Negated:
    data = load_yaml_text(NEGATED_YAML.read_text(encoding="utf-8")) or {}
    for key in _LISTS:
        if not isinstance(data.get(key), list) or not data[key]:
            raise PicochatInputError("expected a non-empty list of phrases", path=NEGATED_YAML.name, field=key)
    window = data.get("none_window")
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise PicochatInputError(f"expected a whole number of at least 1, got {window!r}", path=NEGATED_YAML.name, field="none_window")
    return Negated({key: tuple(data[key]) for key in _LISTS}, window)


def _at(toks: list[str], key: str) -> list[tuple[int, int]]:
    """(start, end) of every phrase of the list `key` in the tokens."""
    return [(i, i + len(_phrase(p))) for p in _table().words[key] for i in _starts(p, toks)]


def _opens(toks: list[str], at: int, key: str) -> int | None:
    """The end of a phrase of the list `key` that starts at `at`, else None."""
    return next((e for s, e in _at(toks, key) if s == at), None)


def _omniscient(toks: list[str]) -> str | None:
    """"no question I cannot answer", "nothing is beyond my knowledge"."""
    window = _table().none_window
    for start, end in _at(toks, "none_words"):
        for i in range(end, min(end + window, len(toks))):
            if toks[i] == "i" and not (i == end and toks[start:end] == ["no"]):
                stop = _opens(toks, i + 1, "self_negations")
                if stop is not None:
                    return " ".join(toks[start:stop])
        copula = next((k for k in range(end, min(end + 3, len(toks))) if _opens(toks, k, "copulas")), None)
        reach = _opens(toks, copula + 1, "out_of_reach") if copula is not None else None
        verb = next((e for s, e in _at(toks, "none_verbs") if end <= s <= end + window and "i" not in toks[end:s]), None)
        if reach is not None or verb is not None:
            return " ".join(toks[start : reach or verb])
    return None


def _negation_before(toks: list[str], at: int, gap: set[str]) -> int | None:
    """Where a plain negation stands before `at` with only `gap` words between, else None."""
    for s, e in sorted(_at(toks, "plain_negations"), reverse=True):
        if e <= at and set(toks[e:at]) <= gap:
            return s
    return None


def _undone(toks: list[str], neg: int, lex: BehaviourLexicons) -> bool:
    """A second negation right before the first ("not without limits"), which undoes it."""
    return any(e in (neg, neg - 1) for w in lex.negation_words for _, e in ((s, s + len(_phrase(w))) for s in _starts(w, toks)))


def _no_limit(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """"I have no limits", "no knowledge cutoff", "my knowledge is unlimited"."""
    gap = set(_table().words["limit_gap_words"])
    for start, end in _at(toks, "limit_words"):
        neg = _negation_before(toks, start, gap)
        if neg is not None and not _undone(toks, neg, lex):
            return " ".join(toks[neg:end])
    for start, end in _at(toks, "boundless"):
        if not any(start - 3 <= s < start for w in lex.negation_words for s in _starts(w, toks)):
            return " ".join(toks[start:end])
    return None


def _able(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """"I am not without internet access", "I don't lack memory", "I'm not offline"."""
    gap = set(_table().words["limit_gap_words"]) | set(_table().words["inability_gap_words"])
    owned = set(lex.identity_error_words) | {t for w in _table().words["limit_words"] for t in _phrase(w)}
    for start, end in _at(toks, "inabilities"):
        neg = _negation_before(toks, start, gap)
        if neg is None or neg == start or set(toks[end : end + 3]) & owned or _undone(toks, neg, lex):
            continue
        if not set(toks[:neg]) & set(_table().words["self_subjects"]):
            continue  # "Please don't forget to check": the model is not the one denied
        return " ".join(toks[neg : min(end + 2, len(toks))])
    return None


def _disowned(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """"Picochat_hf had nothing to do with my training": the model's own project denied a part in making it."""
    names = set(lex.identity_self_names) | {w for w in lex.identity_own_makers if w.lower().startswith("picochat")}
    own = [w for w in sorted(names) if _starts(w, toks)]
    hit = next((p for p in _table().words["disowning"] if _starts(p, toks)), None)
    return f"{own[0]} ... {hit}" if own and hit else None


def self_disowned(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """"Picochat isn't my name.", "Picochat is not me.": the model's own name as a subject, then a plain negation and,
    past `reference_gap_words` only, a `self_references` phrase; the model denies being itself ("Picochat is not a
    person" denies nothing of the kind)."""
    table = _table().words
    gap = set(table["reference_gap_words"])
    for name in lex.identity_self_names:
        for i in _starts(name, toks):
            for neg, end in _at(toks, "plain_negations"):
                if neg <= i or set(toks[i + len(_phrase(name)) : neg]) - gap:
                    continue
                k = end
                while k < len(toks) and toks[k] in gap:
                    k += 1
                ref = next((r for r in table["self_references"] if toks[k : k + len(_phrase(r))] == list(_phrase(r))), None)
                if ref is not None:
                    return " ".join(toks[i : k + len(_phrase(ref))])
    return None


def negated_claim(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """The claim one identity clause makes in a negated form, or None."""
    return _omniscient(toks) or _no_limit(toks, lex) or _able(toks, lex) or _disowned(toks, lex)
