"""An identity reply's questions to itself, read as the statements their answers make.

"Am I made by OpenAI? No." states "I am not made by OpenAI" and "Am I Picochat? No." states "I am not Picochat": a
question without a negation whose answer opens with one is rewritten as the negated statement (an inverted auxiliary and
subject put back in order: "am I" -> "I am not"; any other question gets "not" before it: "Mistakes? Never." -> "not
mistakes."). A question answered otherwise, or never answered, is left as it is, so the clause checks read what it asks.

An aside that widens a rarity word to "never" ("rarely, if ever") is joined to its clause without its "if": "I rarely, if
ever, make mistakes" reads "I rarely ever make mistakes", which claims what "never" claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .behaviour_words import BehaviourLexicons, _starts

SHORT_ANSWER = 4  # words of an answer that denies its question with a negation anywhere in it ("Of course not.")
_PART = re.compile(r"[^.!?\n]+(?:[.!?\n]+|$)")
_AUXILIARIES = ("am", "are", "is", "was", "were", "do", "does", "did", "can", "could", "will", "would", "have", "has", "had",
                "should", "shall", "may", "might", "must")
_INVERTED = re.compile(rf"^(\s*)({'|'.join(_AUXILIARIES)})(?:\s+|(?<=can)(?=not))(i|you|we|it|they|he|she)\b", re.IGNORECASE)


def joined_asides(reply: str, lex: BehaviourLexicons) -> str:
    """The reply with each `identity_rarity_asides` aside ("if ever", "if at all") joined to its clause without "if"."""
    for aside in lex.identity_rarity_asides:
        words = aside.split()
        pattern = r"[\s,(\-–—]*\b" + r"\s+".join(map(re.escape, words)) + r"\b[\s,)\-–—]*"
        reply = re.sub(pattern, " " + " ".join(w for w in words if w != "if") + " ", reply, flags=re.IGNORECASE)
    return reply


def _opens_with_no(answer: list[str], lex: BehaviourLexicons) -> bool:
    words = lex.negation_words + lex.identity_fallible_negations
    if not answer or set(answer) & set(lex.identity_unsure_answers + lex.identity_fallible_hedges):
        return False  # "I don't know." and "I try not to." leave the question open
    # a negation opens the answer, or a short answer holds one ("Of course not.", "I am not.")
    return answer[0] in lex.identity_answer_no or any(0 in _starts(w, answer) or len(answer) <= SHORT_ANSWER and _starts(w, answer) for w in words)


def _denied(question: str) -> str:
    """The statement a question answered "no" makes: "Am I made by X?" -> "I am not made by X."."""
    body = question.rstrip().rstrip("?").rstrip()
    inverted = _INVERTED.match(body)
    if inverted:
        lead, aux, subject = inverted.groups()
        return f"{lead}{subject} {aux} not{body[inverted.end():]}. "
    lead = body[: len(body) - len(body.lstrip())]
    return f"{lead}not {body.lstrip()}. "


def answered_questions(reply: str, split: Callable[[str], list[list[str]]], lex: BehaviourLexicons) -> str:
    """The reply with each question it asks itself that its answer denies rewritten as the denied statement. `split` cuts
    a sentence into clauses of tokens (false friends blanked: "No doubt." opens with no denial)."""
    parts = [m.group(0) for m in _PART.finditer(reply)]
    out, pending = [], []
    for part in parts:
        asked = part.rstrip()[-1:] == "?"
        clauses = split(part)
        negated = any(any(_starts(w, c) for w in lex.negation_words + lex.identity_fallible_negations) for c in clauses)
        if asked and not negated:
            pending.append(part)  # "Wrong? Me? Never.": every question waits for the answer
            continue
        if pending:
            denies = bool(clauses) and not asked and _opens_with_no(clauses[0], lex)
            out += [_denied(q) for q in pending] if denies else pending
            pending = []
        out.append(part)
    return "".join(out + pending)
