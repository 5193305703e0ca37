"""Claims an identity reply makes by grammar rather than by a name it writes: a maker in the slots that credit one, what
the model is, and infallibility.

What it is: a noun phrase after "I am" ("I'm just a ...") or in apposition to the model's name ("I am Picochat, a ...")
says what the model is, so its head (its last word before a preposition, a relative clause or a verb) must be something
the model is: a model term, a made noun, a plain description or one of `identity_kind_nouns` ("a helpful assistant", "a
kind of AI"); any other head ("a wrapper around an api", "a front end to a cloud service") is a claim the row's facts do
not support. A degree phrase ("a bit limited", `identity_degree_words`) is no noun phrase.

Maker slots: the possessor of what was made ("alphabet's model"), a word that modifies it ("a tencent model", "a
yandex-trained model"), who it is "by" or "from" ("a model by tencent", "Picochat from tencent") and what it is based on
(`identity_source_openers`: "a fine tune of ...", "based on ...", "comes from ..."). A maker's name written in lowercase
is an ordinary word to the name lexicons, so the slot decides: every word in one must be the model's own project, a plain
description (`identity_plain_modifiers`, or a word with an adjective ending: "helpful", "experimental") or a library it
was built with; any other word credits a maker.

A claim may span a question and its answer: "Mistakes? Never." and "Errors? I don't make them." negate the error the
question names, "Am I always right? Yes." affirms the perfection it asks about. A question without a negation claims
nothing by itself ("Am I perfect? No." passes); one with a negation is read as a statement ("Did you know I never err?").

Infallibility: a word of error under a negation ("I never make mistakes", "I cannot be wrong", "error-free") or a claim
of perfection (`identity_perfection_claims`: "I am infallible"; a universal word before a word of being right: "I am
always right", "everything I say is true"), unless a negation, a hedge ("I try to be correct") or a negated disclaimer
("I can't promise I won't make mistakes", "I'm not sure if I'm wrong") takes it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .behaviour_words import BehaviourLexicons, _phrase, _starts, word_set

NEGATION_WINDOW = 4  # words a negation may stand before what it negates ("I do not make a single mistake")
_CONTRACTED = {"it", "that", "what", "there", "here", "he", "she", "who", "let", "where", "how", "this", "everyone"}
_DETERMINERS = {"a", "an", "the", "my", "your", "this", "that", "its", "our", "their", "his", "her", "these", "those"}
_PREPOSITIONS = {"of", "by", "from", "with", "for", "in", "on", "at", "to", "as", "like", "via", "using", "and", "or",
                 "called", "named", "than", "about", "into"}


def _plain(word: str, allowed: frozenset[str], lex: BehaviourLexicons) -> bool:
    return word in allowed or word.isdigit() or (len(word) >= 6 and word.endswith(tuple(lex.identity_modifier_suffixes)))


def _allowed(lex: BehaviourLexicons) -> frozenset[str]:
    return word_set(tuple(lex.identity_own_makers + lex.identity_self_names + lex.identity_plain_modifiers + lex.identity_tool_names
                          + lex.identity_maker_verbs + lex.identity_model_terms + lex.identity_made_nouns + lex.identity_training_words))


def _negated_before(toks: list[str], at: int, lex: BehaviourLexicons) -> bool:
    """A negation word ends within `NEGATION_WINDOW` words before `at` ("not a tencent model", "never wrong")."""
    window = toks[max(0, at - NEGATION_WINDOW) : at]
    return any(_starts(w, window) for w in lex.negation_words + lex.identity_fallible_negations)


def _described(toks: list[str], prev: list[str], lex: BehaviourLexicons) -> int | None:
    """Where the noun phrase saying what the model is starts in one clause (after its determiner), None when it has none:
    after "i am"/"i m" and adverbs and a determiner, or at the clause's start after a determiner when the clause before
    names the model or a model term ("I am Picochat, a ...", "Picochat here, a ...")."""
    adverbs = set(lex.identity_described_adverbs)
    names = set(lex.identity_self_names)
    k = 0
    if toks[:2] in (["i", "am"], ["i", "m"]):
        k = 2
    elif not set(prev) & (names | word_set(tuple(lex.identity_model_terms))):
        return None
    while k < len(toks) and toks[k] in adverbs:
        k += 1
    if k < len(toks) and toks[k] in names:  # "I am Picochat - a ...": a dash cuts no clause
        k += 1
    if k < len(toks) and toks[k] in ("a", "an", "the", "your"):
        return k + 1
    return None


def unsupported_kind(said: list[list[str]], lex: BehaviourLexicons) -> str | None:
    """The first noun phrase a reply states the model is whose head the model is not ("wrapper" in "I am Picochat, a
    wrapper around an api"); clauses with a negation deny, they describe nothing."""
    allowed = _allowed(lex) | word_set(tuple(lex.identity_kind_nouns))
    stops = _PREPOSITIONS | {"around", "that", "which", "who", "whose", "built", "trained", "made", "running", "and", "or"} | set(
        lex.refusal_predicate_words) | set(lex.refusal_relative_subjects) | set(lex.identity_maker_verbs)
    prev: list[str] = []
    for toks in said:
        start = _described(toks, prev, lex) if not any(_starts(w, toks) for w in lex.negation_words) else None
        prev = toks
        if start is None or toks[start : start + 1] and toks[start] in lex.identity_degree_words:
            continue
        phrase = _after_slot(toks, start, stops)
        if phrase and not _plain(phrase[-1], allowed, lex):
            return " ".join(phrase)
    return None


def _after_slot(toks: list[str], start: int, stops: set[str]) -> list[str]:
    """The words from `start` up to the first stop word ("a model by tencent | for chat")."""
    out = []
    for t in toks[start:]:
        if t in stops:
            break
        out.append(t)
    return out


def _before_slot(toks: list[str], i: int, stops: set[str]) -> tuple[list[str], int]:
    """The modifiers of the noun at `i` back to a determiner or stop word, with its possessor ("alphabet's model":
    ["alphabet"]; "it's a model": none, "'s" is "is" there), and where they start."""
    j, out = i - 1, []
    while j >= 0 and toks[j] not in stops and toks[j] != "s":
        out.append(toks[j])
        j -= 1
    if j >= 1 and toks[j] == "s" and toks[j - 1] not in _CONTRACTED | stops:
        out.append(toks[j - 1])
        j -= 1
    return out, j + 1


def maker_in_slots(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """The first word in a maker slot of one clause that is neither the own project nor a plain description."""
    allowed = _allowed(lex)
    stops = _DETERMINERS | _PREPOSITIONS | set(lex.refusal_predicate_words) | set(lex.refusal_relative_subjects) | word_set(
        tuple(lex.negation_words))
    heads = set(lex.identity_made_nouns) | set(lex.identity_self_names)
    for i, t in enumerate(toks):
        slot: list[str] = []
        start = i
        if t in lex.identity_made_nouns or t in lex.identity_maker_nouns:  # "alphabet's model", "apple's lab"
            slot, start = _before_slot(toks, i, stops)
        if t in heads and i + 1 < len(toks) and toks[i + 1] in ("by", "from"):
            slot += _after_slot(toks, i + 2, stops)
        bad = [w for w in slot if not _plain(w, allowed, lex)]
        if bad and not _negated_before(toks, start, lex):
            return " ".join(bad)
    for opener in lex.identity_source_openers:
        for i in _starts(opener, toks):
            slot = _after_slot(toks, i + len(_phrase(opener)), stops - _DETERMINERS - {"s"})
            bad = [w for w in slot if not _plain(w, allowed, lex) and w != "s"]
            if bad and not _negated_before(toks, i, lex):
                return " ".join(bad)
    return None


def _taken_back(toks: list[str], neg: int, at: int, lex: BehaviourLexicons) -> bool:
    """Whether the claim at `at` is disclaimed: a conjunction between its negation and it (the negation is of another
    verb: "I'm not perfect and make mistakes"), a hedge or disclaimer there ("I'm not sure if I'm wrong", "I try to be
    correct"), or a negated disclaimer before it ("I can't promise I won't make mistakes")."""
    between = set(toks[neg:at])
    if between & ({"and", "or", "so", "yet", "but"} | set(lex.identity_disclaim_verbs)):
        return True
    return _hedged(toks, max(0, neg - 2), at, lex)  # "I try not to make mistakes" aims, claims nothing


def _hedged(toks: list[str], start: int, at: int, lex: BehaviourLexicons) -> bool:
    if set(toks[start:at]) & (set(lex.identity_fallible_hedges) | {"if", "whether", "when"}):
        return True
    return any(t in lex.identity_disclaim_verbs and _negated_before(toks, k, lex) for k, t in enumerate(toks[:at]))


def _negation_at(toks: list[str], at: int, lex: BehaviourLexicons) -> int | None:
    """Where the nearest negation word within `NEGATION_WINDOW` words before `at` starts."""
    words = lex.negation_words + lex.identity_fallible_negations
    found = [k for w in words for k in _starts(w, toks) if at - NEGATION_WINDOW <= k < at]
    return max(found, default=None)


def _denied_after(toks: list[str], i: int, lex: BehaviourLexicons) -> int | None:
    """Where a phrase that denies the error at `i` ends, within `NEGATION_WINDOW` words after it ("mistakes never happen",
    "errors are impossible"), when no negation stands right before it ("not impossible")."""
    for p in lex.identity_error_denials_after:
        for k in _starts(p, toks):
            if i < k <= i + NEGATION_WINDOW and not _negation_at(toks, k, lex) in (k - 1, k - 2) and not set(toks[i:k]) & {"and", "or", "but"}:
                return k + len(_phrase(p)) - 1
    return None


def _idioms_joined(toks: list[str], lex: BehaviourLexicons) -> list[str]:
    """The clause with each idiom of being right or of error of several words read as one word ("spot on", "on the money",
    "off the mark")."""
    words = lex.identity_correct_words + lex.identity_error_words
    idioms = sorted((_phrase(w) for w in words if len(_phrase(w)) > 1), key=len, reverse=True)
    out, i = [], 0
    while i < len(toks):
        n = next((len(p) for p in idioms if tuple(toks[i : i + len(p)]) == p), 0)
        out.append(" ".join(toks[i : i + n]) if n else toks[i])
        i += n or 1
    return out


def _standard_claims(toks: list[str], lex: BehaviourLexicons) -> list[tuple[int, str]]:
    """A word of being right compared to a standard that does not err ("as accurate as a calculator", "more reliable than
    clockwork", "precise like a machine"); "less accurate than a calculator" compares down and claims nothing."""
    out = []
    for j, t in enumerate(toks):
        if t not in lex.identity_correct_words or toks[j + 1 : j + 2] not in (["as"], ["like"], ["than"]):
            continue
        if toks[j + 1] == "as" and toks[j - 1 : j] != ["as"] or toks[j - 1 : j] in (["less"], ["lesser"]):
            continue
        ends = [k + len(_phrase(w)) for w in lex.identity_perfect_standards for k in _starts(w, toks) if j + 2 <= k <= j + 4]
        if ends:
            out.append((j, " ".join(toks[j : min(ends)])))
    return out


def infallible(toks: list[str], lex: BehaviourLexicons) -> str | None:
    """The claim of infallibility in one clause, or None. A negation right after another ("not without errors") is
    undone, and claims nothing."""
    toks = _idioms_joined(toks, lex)
    for i, t in enumerate(toks):
        if t not in lex.identity_error_words:
            continue
        free = i + 1 < len(toks) and toks[i + 1] in ("free", "proof")  # "error-free", "mistake-proof"
        neg = _negation_at(toks, i, lex)
        if neg is not None and _negation_at(toks, neg, lex) in (neg - 1, neg - 2):
            continue  # "I'm not without errors", "never without mistakes"
        if free and neg is None and not _taken_back(toks, max(0, i - NEGATION_WINDOW), i, lex):
            return " ".join(toks[i : i + 2])
        if not free and neg is not None and not _taken_back(toks, neg, i, lex):
            return " ".join(toks[neg : i + 1])
        denial = _denied_after(toks, i, lex)
        if denial is not None and not _hedged(toks, 0, denial, lex):
            return " ".join(toks[i : denial + 1])  # "errors are impossible for me", "mistakes never happen"
    self_words = set(lex.identity_made_nouns) | set(lex.identity_self_names) | {"i", "me", "my", "m"}
    claims = [(k, p) for p in lex.identity_perfection_claims for k in _starts(p, toks)
              if len(_phrase(p)) > 1 or set(toks) & self_words]  # "Perfect!" alone claims nothing of the model
    for k, u in enumerate(toks):
        if u not in lex.identity_universal_words or toks[k + 1 : k + 2] == ["right"] and u == "all":
            continue  # "all right" is "fine"
        right = next((j for j in range(k + 1, min(k + 2 + NEGATION_WINDOW, len(toks))) if toks[j] in lex.identity_correct_words
                      and toks[j + 1 : j + 2] not in (["now"], ["away"], ["here"], ["there"])), None)
        if right is not None and not set(toks[k:right]) & {"and", "or", "but", "so"}:  # "always happy to help and correct me"
            claims.append((k, " ".join(toks[k : right + 1])))
        # "I'm right every time", "correct all the time": the universal word after the word of being right
        before = next((j for j in range(max(0, k - 3), k) if toks[j] in lex.identity_correct_words), None)
        if before is not None and not set(toks[before:k]) & {"and", "or", "but", "so", "most", "some"}:
            claims.append((before, " ".join(toks[before : k + 1])))
    claims += _standard_claims(toks, lex)
    for k, phrase in sorted(claims):
        end = k + len(_phrase(phrase))
        if _negation_at(toks, k, lex) is None and not _hedged(toks, 0, end, lex):
            return phrase
    return None


_PART = re.compile(r"[^.!?:\n]+(?:[.!?:\n]+|$)")


def _answer_no(answer: list[str], lex: BehaviourLexicons) -> list[str]:
    """The answer with a bare "no" of another spelling ("Nope", "Nah") read as "no"."""
    return ["no"] + answer[1:] if answer[:1] and answer[0] in lex.identity_answer_no else answer


def _negates(toks: list[str], lex: BehaviourLexicons) -> bool:
    return any(_starts(w, toks) for w in lex.negation_words + lex.identity_fallible_negations)


def statements(text: str, split: Callable[[str], list[list[str]]], lex: BehaviourLexicons) -> tuple[list[list[str]], list[tuple[list[str], list[str]]]]:
    """The clauses a reply states, and each question it asks itself with the first clause of its answer. A question
    without a negation states nothing ("Can I browse the web? No."), unless its answer affirms it without a negation or a
    hedge ("Can I browse the web? Sure."); one with a negation is a statement ("Did you know I never err?"). A lead ending
    in ":" is a statement whose answer follows ("Mistakes: none."). `split` cuts one sentence into clauses of tokens."""
    out: list[list[str]] = []
    pairs: list[tuple[list[str], list[str]]] = []
    pending: list[str] = []
    asked = False
    for m in _PART.finditer(text):
        parts = split(m.group(0))
        if not parts:
            continue
        toks = [t for c in parts for t in c]
        end = m.group(0).rstrip()[-1:]
        if end == "?" and not _negates(toks, lex):
            pending, asked = pending + toks, True  # "Wrong? Me? Never.": both questions wait for the answer
            continue
        if pending:
            answer = _answer_no(parts[0], lex)
            pairs.append((pending, answer))
            if asked and not _negates(answer, lex) and not set(answer) & set(lex.identity_fallible_hedges):
                # an identity reply's question answered yes is about the model ("Infallible? Yes.")
                out.append(pending if set(pending) & {"i", "me", "my"} else ["i"] + pending)
            elif not asked:
                out.append(pending + answer)  # "Accuracy: 100%." reads "accuracy 100"
        out += parts
        pending, asked = (toks if end == ":" else []), False
    return out, pairs


def reply_infallible(said: list[list[str]], pairs: list[tuple[list[str], list[str]]], lex: BehaviourLexicons) -> str | None:
    """The claim of infallibility in the clauses a reply states or across a question and its answer: the question's word
    of error under the answer's negation ("Mistakes? Never." reads "never mistakes")."""
    for question, answer in pairs:
        for i, t in enumerate(question):
            if t in lex.identity_error_words and question[i + 1 : i + 2] not in (["free"], ["proof"]):
                claim = infallible(answer + [t], lex)
                if claim:
                    return claim
    return next(filter(None, (infallible(c, lex) for c in said)), None)
