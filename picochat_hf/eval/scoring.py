"""The rule engine: judge one generated reply against the scoring rules of its row.

Rules (all optional on a row, all must hold for a pass):

- `must_include`: every phrase appears in the reply;
- `must_include_any`: each group has at least one phrase in the reply;
- `must_not_include`: no phrase appears in the reply;
- `max_words`: the reply has at most this many whitespace-separated words;
- `normalized_answer`: the reply's answer equals this value after normalisation. A reply with a
  `Final answer: X` line is judged by X (the last such line), so a scratchpad passes only when its final
  answer is right; a scratchpad row (`answer_style: scratchpad`) without that line fails; any other reply
  passes when the whole reply, or its first line minus a leading "The answer is", matches.
- no prompt echo (the reply restates the prompt or starts a new chat turn);
- rows that expect a refusal (`answerable: false`, or skill `refusal` without `answerable`) must refuse;
  a reply to such a row that does not refuse is an *unsupported claim*.

Phrases match word-aware (the task packs' reading, `picochat_hf.data.rules`): the phrase's lowercase
`[a-z0-9]+` tokens must appear as a contiguous run of the reply's tokens, so "4" does not match "14". A
phrase containing ":" (such as "Final answer:") or no letters or digits is matched as a case-insensitive
substring. On the rules both read, a reply that the task packs' `rule_failures` accepts is accepted here
too (answers are compared after the same normalisation, numbers in one canonical form); this engine adds
the prompt-echo and refusal checks, and requires the final-answer line on scratchpad rows.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..data.rules import normalize_answer as _rules_normalize
from ..data.rules import phrase_occurs
from ..utils.errors import PicochatInputError

_TOKEN_RE = re.compile(r"[a-z0-9]+")


@dataclass
class ScoringConfig:
    """Settings of the rule engine; the shipped defaults live in `picochat_hf/eval/scoring.yaml`."""

    refusal_phrases: list[str] = field(default_factory=list, metadata={"help": "Phrases that mark a reply as a refusal."})
    echo_prefix_chars: int = field(default=80, metadata={"help": "Prompt characters a reply must start with to count as an echo."})
    echo_min_prompt_chars: int = field(default=12, metadata={"help": "Shorter prompts are never checked for a prefix echo."})
    echo_role_prefixes: list[str] = field(default_factory=list, metadata={"help": "A reply line starting with one of these is an echo."})
    echo_markers: list[str] = field(default_factory=list, metadata={"help": "Chat-control strings whose presence in a reply is an echo."})
    final_answer_marker: str = field(default="final answer", metadata={"help": "Marker before the final answer of a scratchpad."})
    direct_answer_prefixes: list[str] = field(
        default_factory=list, metadata={"help": "Prefixes stripped from a direct reply before comparing it with normalized_answer."}
    )


def load_scoring_config(path: str | Path | None = None) -> ScoringConfig:
    """Read a scoring YAML (the shipped `scoring.yaml` when `path` is None)."""
    if path is None:
        text = resources.files("picochat_hf.eval").joinpath("scoring.yaml").read_text(encoding="utf-8")
        where: str | Path = "picochat_hf/eval/scoring.yaml"
    else:
        where = Path(path)
        if not where.exists():
            raise PicochatInputError("file not found", path=where)
        text = where.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise PicochatInputError(f"malformed YAML ({exc})", path=where) from None
    known = {f.name for f in dataclasses.fields(ScoringConfig)}
    for key in data:
        if key not in known:
            raise PicochatInputError(f"unknown setting; expected one of {', '.join(sorted(known))}", path=where, field=key)
    return ScoringConfig(**data)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


def phrase_in(phrase: str, reply: str) -> bool:
    """Word-aware, case-insensitive phrase match: the task packs' reading (`data.rules.phrase_occurs`)."""
    return phrase_occurs(phrase, reply)


_NUMBER_RE = re.compile(r"^[-+]?\$?(\d+)?(\.\d+)?$")


def normalize_answer(text: str) -> str:
    """The task packs' normalisation (`data.rules.normalize_answer`: lowercase, collapsed whitespace, no
    surrounding quotes/punctuation/markdown, no digit-group commas), then numbers in one canonical form
    ("1,200.50" -> "1200.5", "$3" -> "3"). Two answers equal under the task packs' rule stay equal here."""
    s = _rules_normalize(text).strip("_")
    if _NUMBER_RE.match(s) and any(c.isdigit() for c in s):
        try:
            value = float(s.replace("$", ""))
        except ValueError:
            return s
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).rstrip("0").rstrip(".")
    return s


def extract_final_answer(reply: str, marker: str = "final answer") -> str | None:
    """The first non-empty line after the last `<marker>:` in the reply (None when there is no marker).

    Same reading as `data.rules.extract_final_answer`, except that a missing marker is reported."""
    matches = list(re.finditer(re.escape(marker) + r"\s*[:：]", reply, re.IGNORECASE))
    if not matches:
        return None
    rest = reply[matches[-1].end() :].strip()
    return rest.split("\n", 1)[0].strip() if rest else ""


def direct_answer(reply: str, prefixes: list[str]) -> str:
    """A direct reply's answer: its first non-empty line without a leading "The answer is"."""
    line = next((ln.strip() for ln in reply.strip().splitlines() if ln.strip()), "")
    low = line.lower()
    for prefix in prefixes:
        if low.startswith(prefix):
            return line[len(prefix) :].strip()
    return line


def _normalise_for_echo(text: str) -> str:
    return " ".join(tokens(text))


def detect_prompt_echo(prompt: str, reply: str, cfg: ScoringConfig, raw_reply: str | None = None) -> bool:
    """True when the reply restates the prompt or starts a new chat turn.

    `raw_reply` is the reply decoded with its special tokens, where a new turn's control token shows."""
    for line in reply.splitlines():
        low = line.strip().lower()
        if any(low.startswith(p) for p in cfg.echo_role_prefixes):
            return True
    if any(marker in (raw_reply if raw_reply is not None else reply) for marker in cfg.echo_markers):
        return True
    norm_prompt = _normalise_for_echo(prompt)
    if len(norm_prompt) < cfg.echo_min_prompt_chars:
        return False
    head = norm_prompt[: cfg.echo_prefix_chars]
    norm_reply = _normalise_for_echo(reply)
    return norm_reply.startswith(head) or norm_reply.startswith("user " + head)


def is_refusal(reply: str, cfg: ScoringConfig) -> bool:
    return any(phrase_in(p, reply) for p in cfg.refusal_phrases)


def expects_refusal(row: dict) -> bool:
    """Rows whose right answer is to decline: `answerable: false`, or skill `refusal` when unmarked."""
    if row.get("answerable") is not None:
        return row["answerable"] is False
    return row.get("skill") == "refusal"


def is_scratchpad(row: dict) -> bool:
    return str(row.get("answer_style") or "").lower() == "scratchpad"


def score_reply(row: dict, reply: str, prompt: str, cfg: ScoringConfig, raw_reply: str | None = None) -> dict[str, Any]:
    """Judge `reply` against the rules of `row`.

    Returns `{"passed", "failures": ["<rule>: <detail>", ...], "echo", "refusal", "expects_refusal",
    "unsupported_claim", "final_answer", "words"}`.
    """
    failures: list[str] = []
    for phrase in row.get("must_include") or []:
        if not phrase_in(phrase, reply):
            failures.append(f"must_include: missing {phrase!r}")
    for group in row.get("must_include_any") or []:
        if group and not any(phrase_in(p, reply) for p in group):
            failures.append(f"must_include_any: none of {group!r}")
    for phrase in row.get("must_not_include") or []:
        if phrase_in(phrase, reply):
            failures.append(f"must_not_include: has {phrase!r}")
    n_words = len(reply.split())
    if row.get("max_words") is not None and n_words > row["max_words"]:
        failures.append(f"max_words: {n_words} > {row['max_words']}")

    final = extract_final_answer(reply, cfg.final_answer_marker)
    expected = row.get("normalized_answer")
    if expected is not None:
        want = normalize_answer(expected)
        if final is not None:
            got = normalize_answer(final)
        elif is_scratchpad(row):
            got = None
            failures.append("final_answer: none given")
        else:  # the whole reply, or its first line without a leading "The answer is"
            whole, first = normalize_answer(reply), normalize_answer(direct_answer(reply, cfg.direct_answer_prefixes))
            got = whole if whole == want else first
        if got is not None and got != want:
            failures.append(f"answer: {got!r} != {want!r}")

    echo = detect_prompt_echo(prompt, reply, cfg, raw_reply)
    if echo:
        failures.append("echo: reply restates the prompt")
    refusal = is_refusal(reply, cfg)
    wants_refusal = expects_refusal(row)
    if wants_refusal and not refusal:
        failures.append("refusal: expected a refusal")
    return {
        "passed": not failures,
        "failures": failures,
        "echo": echo,
        "refusal": refusal,
        "expects_refusal": wants_refusal,
        "unsupported_claim": wants_refusal and not refusal,
        "final_answer": final,
        "words": n_words,
    }
