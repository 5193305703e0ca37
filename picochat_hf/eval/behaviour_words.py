"""The words of a reply as the behaviour judges read them: lowercase `[a-z]+` and `[0-9]+` tokens with "n't" read as
" not", lone letters marked, and the lexicons (`BehaviourLexicons`) they are matched against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"\^[a-z]|[a-z]+|[0-9]+")  # letters and digits apart: "GPT4" is "gpt 4"; "^s" a lone letter
# A letter standing alone names a letter ("it starts with s"), while one after an apostrophe ends a contraction ("it's")
# and one joined by dots is an abbreviation ("e.g."); "a" and "I" name a letter only where no word follows them.
_ABBREVIATION = re.compile(r"(?<![\w^])([a-z])\.([a-z])\.?(?!\w)", re.IGNORECASE)
_LONE_LETTER = re.compile(r"(?<![\w'’.^])(?:[b-hj-z]|[ai](?=\s*(?:[.,;:!?)\]\"'”’]|$)))(?![\w'’]|\.\w)", re.IGNORECASE)


_CANT = re.compile(r"\bcan['’]t\b")
_WONT = re.compile(r"\bwon['’]t\b")
_NT = re.compile(r"n['’]t\b")


def expand_negations(text: str) -> str:
    return _NT.sub(" not", _WONT.sub("will not", _CANT.sub("can not", text.lower())))


@lru_cache(maxsize=65536)
def _token_tuple(text: str) -> tuple[str, ...]:
    # the judges tokenise the same lexicon entries and clauses many times per reply
    return tuple(_TOKEN.findall(expand_negations(text)))


def tokens(text: str) -> list[str]:
    return list(_token_tuple(text))


def mark_letters(text: str) -> str:
    """The text with each lone letter marked ("it starts with ^s"), so that it reads as a letter named, never as the
    benign "s" of a contraction; lexicon phrases are not marked and so never match one."""
    marked = _LONE_LETTER.sub(lambda m: "^" + m.group(0), text)
    return _ABBREVIATION.sub(r"\1 \2", marked)  # "e.g." is the "e g" of `refusal_example_openers`, not a full stop


@lru_cache(maxsize=256)
def word_set(words: tuple[str, ...]) -> frozenset[str]:
    """Every token of a lexicon's entries, computed once per lexicon (not per clause)."""
    return frozenset(t for w in words for t in tokens(w))


@lru_cache(maxsize=4096)
def _phrase(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase's tokens, tokenised once."""
    return tuple(tokens(phrase))


def has_phrase(phrase: str, toks: list[str]) -> bool:
    return bool(_starts(phrase, toks))


@lru_cache(maxsize=1024)
def _first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    """The first tokens of a lexicon's phrases, once per lexicon."""
    return frozenset(p[0] for p in map(_phrase, phrases) if p)


def any_phrase(phrases: list[str] | tuple[str, ...], toks: list[str]) -> bool:
    """`any(has_phrase(p, toks) for p in phrases)`, with a set test first: most clauses hold no phrase's first word."""
    phrases = tuple(phrases)
    if _first_words(phrases).isdisjoint(toks):
        return False
    return any(_starts(p, toks) for p in phrases)


def first_phrase(phrases: list[str] | tuple[str, ...], toks: list[str]) -> str | None:
    """`next((p for p in phrases if has_phrase(p, toks)), None)`, with the set test of `any_phrase` first."""
    phrases = tuple(phrases)
    if _first_words(phrases).isdisjoint(toks):
        return None
    return next((p for p in phrases if _starts(p, toks)), None)


@dataclass
class BehaviourLexicons:
    refusal_phrases: list[str]
    refusal_false_friends: list[str]
    negation_false_friends: list[str]
    compliance_markers: list[str]
    negation_words: list[str]
    identity_self_names: list[str]
    identity_other_names: list[str]
    identity_model_terms: list[str]
    identity_human_terms: list[str]
    identity_ability_claims: list[str]
    identity_retractions: list[str]
    refusal_limit_terms: list[str]
    refusal_benign_words: list[str]
    refusal_conditional_openers: list[str]
    refusal_offer_openers: list[str]
    refusal_predicate_words: list[str]
    refusal_contrast_negations: list[str]
    refusal_limit_complements: list[str]
    refusal_run_on_subjects: list[str]
    refusal_run_on_determiners: list[str]
    refusal_run_on_copulas: list[str]
    refusal_embedders: list[str]
    refusal_closed_embedders: list[str]
    refusal_clause_continuations: list[str]
    refusal_offer_max_words: int
    number_words_units: list[str]
    number_words_tens: list[str]
    number_words_lone: list[str]
    refusal_report_verbs: list[str]
    refusal_object_words: list[str]
    refusal_knowing_verbs: list[str]
    refusal_relative_subjects: list[str]
    refusal_indirect_objects: list[str]
    refusal_complement_stops: list[str]
    refusal_example_openers: list[str]
    refusal_ruling_out: list[str]
    refusal_value_nouns: list[str]
    refusal_absent_subjects: list[str]
    refusal_yes_no_embedders: list[str]
    refusal_asked_pronouns: list[str]
    refusal_state_words: list[str]
    refusal_time_words: list[str]
    reply_common_capitals: list[str]
    identity_maker_verbs: list[str]
    identity_online_terms: list[str]
    identity_training_words: list[str]
    identity_maker_nouns: list[str]
    identity_media_words: list[str]
    identity_tool_names: list[str]
    identity_tool_openers: list[str]
    identity_size_suffixes: list[str]
    identity_size_scales: list[str]
    identity_size_nouns: list[str]
    identity_size_claims: list[str]
    identity_ability_verbs: list[str]
    identity_ability_modals: list[str]
    identity_own_makers: list[str]
    refusal_limit_declines: list[str]
    refusal_redirect_verbs: list[str]
    refusal_event_nouns: list[str]
    refusal_person_states: list[str]
    refusal_state_suffixes: list[str]
    refusal_courtesy_words: list[str]
    refusal_courtesy_persons: list[str]
    refusal_vocatives: list[str]
    refusal_courtesy_things: list[str]
    refusal_predicate_openers: list[str]
    refusal_relative_verbs: list[str]
    refusal_closing_courtesy: list[str]
    identity_made_nouns: list[str]
    identity_plain_modifiers: list[str]
    identity_modifier_suffixes: list[str]
    identity_source_openers: list[str]
    identity_error_words: list[str]
    identity_fallible_negations: list[str]
    identity_perfection_claims: list[str]
    identity_universal_words: list[str]
    identity_correct_words: list[str]
    identity_user_addresses: list[str]
    identity_relative_subjects: list[str]
    identity_perfect_standards: list[str]
    identity_fallible_hedges: list[str]
    identity_answer_no: list[str]
    identity_error_denials_after: list[str]
    identity_kind_nouns: list[str]
    identity_described_adverbs: list[str]
    identity_degree_words: list[str]
    identity_design_names: list[str]
    identity_likeness_words: list[str]
    identity_disclaim_verbs: list[str]
    identity_rarity_asides: list[str]
    identity_unsure_answers: list[str]
    identity_rate_right_words: list[str]
    identity_rate_near_all: list[str]
    identity_rate_bounds_below: list[str]
    identity_rate_bounds_above: list[str]
    identity_accuracy_claim_min: int
    identity_rate_score_verbs: list[str]
    identity_rate_score_fillers: list[str]
    identity_rate_tolerances: list[str]
    identity_rare_periods: list[str]
    number_words_units: list[str]
    number_words_tens: list[str]
    number_words_scales: list[str]


def _strip_false_friends(toks: list[str], friends: list[str]) -> list[str]:
    out = list(toks)
    for f in friends:
        p = _phrase(f)
        if not p or p[0] not in out:  # no run can start without the first word ("_" is never a token)
            continue
        n = len(p)
        for i in range(len(out) - n + 1):
            if out[i] == p[0] and tuple(out[i : i + n]) == p:
                out[i : i + n] = ["_"] * n
    return out

def _starts_with(toks: list[str], phrases: list[str]) -> bool:
    # a list of tokens compared with a list, as before (`_phrase` is the cached tuple of the same tokens)
    return any(toks[: len(p)] == p for p in (list(_phrase(ph)) for ph in phrases) if p)

def _starts(phrase: str, toks: list[str]) -> list[int]:
    p = _phrase(phrase)
    n = len(p)
    if not n:
        return []
    first = p[0]  # tested for membership first: most phrases of a lexicon are not in a clause at all
    if first not in toks:
        return []
    return [i for i in range(len(toks) - n + 1) if toks[i] == first and tuple(toks[i : i + n]) == p]

