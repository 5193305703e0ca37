"""Settings of the contamination scan, read from YAML (defaults ship in `scan_defaults.yaml`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from ..utils.checks import check_fields, yaml_key_lines
from ..utils.errors import PicochatInputError
from ..utils.io import read_yaml_mapping
from ..utils.yaml_text import load_yaml_text
from .normalize import NORMALIZATION, words


@dataclass
class ScanConfig:
    ngram_size: int = field(default=8, metadata={"help": "Word n-gram length (published scans use 8 to 13; a prompt shorter than n is never n-gram checked, so n is capped).", "min": 1, "max": 32})
    min_words: int = field(default=3, metadata={"help": "Texts shorter than this are not checked for overlap.", "min": 1, "max": 32})
    fail_coverage: float = field(default=0.5, metadata={"help": "Share of an eval prompt's words inside shared n-grams that counts as a leak.", "min": 0.0, "max": 1.0})
    boilerplate_min_rows: int = field(default=3, metadata={"help": "An n-gram in more eval prompts than this (and the share below) is template text."})
    boilerplate_min_share: float = field(default=0.01, metadata={"help": "Share of eval prompts above which an n-gram is template text.", "min": 0.0, "max": 1.0})
    near_threshold: float = field(default=0.8, metadata={"help": "Near prompt hit: max(word-set Jaccard, difflib ratio) on LSH candidates.", "min": 0.0, "max": 1.0})
    near_min_words: int = field(default=6, metadata={"help": "Prompts shorter than this only count when exactly equal.", "max": 32})
    lsh_threshold: float = field(default=0.5, metadata={"help": "MinHash LSH candidate threshold (word-set Jaccard).", "min": 0.0, "max": 1.0})
    num_perm: int = field(default=128, metadata={"help": "MinHash permutations (memory and time grow with it).", "min": 16, "max": 1024})
    signature_min_digits: int = field(default=3, metadata={"help": "Corpus signature hits with fewer operand digits together are cautions, not leaks.", "max": 12})
    support_min_chars: int = field(default=18, metadata={"help": "Minimum characters of a specific support phrase."})
    support_min_words: int = field(default=3, metadata={"help": "Minimum words of a specific support phrase."})
    support_skip_skills: list[str] = field(default_factory=list, metadata={"help": "Skills whose answers are taught verbatim; their support phrases are not checked."})
    generic_phrases: list[str] = field(default_factory=list, metadata={"help": "Support phrases that prove nothing."})
    choice_copy_min_overlap: float = field(default=0.5, metadata={"help": "A reworded choice copy shares at least this share of the shorter question's content words.", "min": 0.0, "max": 1.0})
    question_stopwords: list[str] = field(default_factory=list, metadata={"help": "Words that are not content words of a choice question."})
    choice_list_min_options: int = field(default=3, metadata={"help": "An option list written without labels has at least this many options.", "max": 10})
    choice_list_max_words: int = field(default=4, metadata={"help": "An option of a list written without labels has at most this many words."})
    choice_list_articles: list[str] = field(default_factory=lambda: ["a", "an", "the"],
        metadata={"help": "Words an unlabelled option may open with beside the item's option text ('a Mars')."})
    choice_rejected_before: list[str] = field(default_factory=list,
        metadata={"help": "Words right before an option that reject it instead of naming it ('not Lima', 'it can't be Lima')."})
    choice_rejected_after: list[str] = field(default_factory=list,
        metadata={"help": "Words right after an option that reject it instead of naming it ('Lima is wrong')."})
    choice_negated_auxiliaries: list[str] = field(default_factory=list,
        metadata={"help": "Words the letter judge's glued \"n't\" rejections are written out with ('isn't', 'don't')."})
    choice_rejected_chain: list[str] = field(default_factory=list,
        metadata={"help": "Words that carry a rejection on to the next option ('not Lima or Oslo' rejects both)."})
    choice_not_rejecting: list[str] = field(default_factory=list,
        metadata={"help": "Words right after such a rejection that undo it ('Paris is not only the capital ...' names Paris)."})
    choice_asked_rejections: list[str] = field(default_factory=list,
        metadata={"help": "Answers right after an option asked with '?' that reject it ('Lima? No, Paris.' names Paris)."})
    choice_alternatives: list[str] = field(default_factory=list,
        metadata={"help": "Words joining an option to another offered beside it ('Paris or Lima'): neither is named."})
    choice_alternatives_before: list[str] = field(default_factory=list,
        metadata={"help": "Words right before an option that offer it as one of several ('either Paris or Lima')."})
    choice_alternative_hedges: list[str] = field(default_factory=list,
        metadata={"help": "Words after a joining word that offer no other option ('Paris, or so I think' names Paris)."})
    choice_retraction_openers: list[str] = field(default_factory=list,
        metadata={"help": "Words opening a retraction of the clause before them ('but they are' in 'Some say Lima, but they are wrong')."})
    choice_retraction_verdicts: list[str] = field(default_factory=list,
        metadata={"help": "Words closing such a retraction ('wrong', 'a myth'): the clause before it names no option."})
    choice_retraction_sentence_openers: list[str] = field(default_factory=list,
        metadata={"help": "Words opening a sentence that takes back the sentence before it when a retraction verdict follows ('That is' in 'Lima. That is wrong.')."})
    choice_retraction_sentences: list[str] = field(default_factory=list,
        metadata={"help": "Sentences that take back the sentence before them on their own ('Lima. Scratch that.')."})
    choice_alias_similarity: float = field(default=0.7, metadata={"min": 0.0, "max": 1.0,
        "help": "An alternative spelled at least this like an answer (difflib ratio) is another name of it ('Belgrade/Beograd' names Belgrade; 0 turns this off)."})
    choice_positions: dict[str, list[str]] = field(default_factory=dict,
        metadata={"help": "Place words of a reply choosing among a question's alternatives ('Lima or Paris?' -> 'The first one.'), keyed first, second, third, fourth or last."})
    choice_position_leads: list[str] = field(default_factory=list,
        metadata={"help": "Lead-ins before a place word that still name the place alone ('I'd say the first one')."})
    choice_position_nouns: list[str] = field(default_factory=list,
        metadata={"help": "Nouns after a place word ('the first one', 'the second option')."})
    choice_position_numbered: list[str] = field(default_factory=list,
        metadata={"help": "Words before a cardinal that name a place among a question's alternatives ('option two', 'number 2')."})
    choice_position_fillers: list[str] = field(default_factory=list,
        metadata={"help": "Words beside a place that say nothing else ('the latter, of course', 'the second one is correct')."})
    choice_position_tails: list[str] = field(default_factory=list,
        metadata={"help": "Words right after a place that only name the alternatives it is among ('the first one of the two')."})
    choice_position_other_words: int = field(default=2, metadata={"max": 16,
        "help": "A reply's first sentence names a place with at most this many other words (not fillers, lead-ins, rejections or the question's words)."})
    choice_position_asking: list[str] = field(default_factory=list,
        metadata={"help": "Words opening a question whose alternatives follow its first comma ('Which is the capital of Serbia, Budapest or Belgrade?')."})
    reply_question_openers: list[str] = field(default_factory=list,
        metadata={"help": "Words opening a question a reply asks of its own ('Which river flows through Belgrade?'): the words of that question answer nothing."})
    reply_question_tentative: list[str] = field(default_factory=list,
        metadata={"help": "Words after a yes/no opener that make the question a tentative answer ('Is it Belgrade?' still names Belgrade)."})
    choice_tag_questions: list[str] = field(default_factory=list,
        metadata={"help": "Tags after a comma that ask to confirm what precedes them ('Belgrade, isn't it?'): dropped, so the answer stays named."})
    choice_negative_questions: list[str] = field(default_factory=list,
        metadata={"help": "Openers of a question asking to confirm ('Isn't Belgrade the capital?'): read without the negation, so the answer stays named."})
    choice_attributed_before: list[str] = field(default_factory=list,
        metadata={"help": "Words right before an option that report it as others' view ('though some say Lima'): it counts only when no option is named otherwise."})
    corpus_choice_copies: bool = field(default=True,
        metadata={"help": "Read every corpus document's option lists for choice copies (costs about as much again as the rest of the corpus pass on prose; false skips corpus_choice_copy_with_answer)."})
    corpus_choice_question_words: int = field(default=40,
        metadata={"help": "A corpus choice copy's question is at most this many words before its option list."})
    corpus_choice_answer_words: int = field(default=12,
        metadata={"help": "A corpus choice copy's answer is in the first this many words of the first line after its options."})
    number_answer_shared_words: int = field(default=2,
        metadata={"help": "A number answering an item's question reworded: the question and reply share this many of the item's content words that are not its entities."})
    corpus_question_labels: list[str] = field(default_factory=list,
        metadata={"help": "Labels that open a question line whose answer is on the next line ('Q: Capital of Serbia')."})
    corpus_question_sentences: int = field(default=3, metadata={"min": 1,
        "help": "A question is read as its sentence ending in '?' and the sentences before it on its line, this many in all (a word problem's story)."})
    stem_min_words: int = field(default=6, metadata={"min": 1,
        "help": "A choice item's question followed by its right option's text in a corpus is a leak from this many words, shorter a caution."})
    corpus_key_separators: list[str] = field(default_factory=list,
        metadata={"help": "Separators between a key asking an item's question and its value on one line ('Capital of Serbia: Belgrade'); a space is any run of spaces."})
    corpus_heading_answer_words: int = field(default=6, metadata={"max": 64,
        "help": "A line standing alone asking an item's question without a '?' ('Capital of Serbia') is answered by the next line with words when it has at most this many words (0 turns this reading off)."})
    corpus_question_imperatives: list[str] = field(default_factory=list,
        metadata={"help": "Words opening an instruction that asks a question without a '?' ('Name the capital of Serbia.'), read as a question with its answer after it."})
    question_affirmations: list[str] = field(default_factory=list,
        metadata={"help": "Replies confirming the answer named in a question ('Is Belgrade the capital of Serbia?' -> 'Yes.')."})
    corpus_reply_fillers: list[str] = field(default_factory=list,
        metadata={"help": "Phrases that make up a sentence saying nothing before a reply ('Hmm.', 'Good question.'): the reply is the sentence after them."})
    corpus_reply_aside_words: int = field(default=8, metadata={"max": 64,
        "help": "A reply's first sentences of at most this many words together, without a number, are an aside: an answer alone after them is the reply ('Tough call, mate. Belgrade.'; 0 turns this reading off)."})
    corpus_answer_key_labels: list[str] = field(default_factory=list,
        metadata={"help": "Labels opening a quiz's answer key ('Answers: 1. Budapest 2. Belgrade'), whose numbered entries answer the numbered questions above it."})
    expression_answer_words: int = field(default=12, metadata={"max": 64,
        "help": "In the corpus an operand expression's answer also counts as the first number said within this many words after it, across a sentence end ('Add 23 and 34 for me. That gives 57.'; 0 turns this off)."})
    expression_answer_words_before: int = field(default=6, metadata={"max": 64,
        "help": "In the corpus an operand expression's answer also counts as the last number said within this many words before it, with a linking word between ('1312 is what you get from 973 + 339'; 0 turns this off)."})
    expression_answer_links: list[str] = field(default_factory=list,
        metadata={"help": "Words linking an answer said before an operand expression to it ('is', 'equals', 'from')."})
    spelling_answer_cues: dict[str, list[str]] = field(default_factory=dict,
        metadata={"help": "Phrases naming a spelling item's mode, keyed first, last or count ('starts with', 'appears'): its word with its one-letter or count answer and such a cue nearby is a leak in the corpus too."})
    math_phrasings: dict[str, list[str]] = field(default_factory=dict,
        metadata={"help": "Ways an operand expression is written, per operator ('sum of {a} and {b}'), watched with the answer beside them."})
    operand_cues: dict[str, list[str]] = field(default_factory=dict,
        metadata={"help": "Words naming an operator ('add', 'sum', 'times'), per operator: an item's operands said in turn with its answer the next number after them ('Take 23. Now add 34 to it. You get 57.', a table row '| 23 | 34 | 57 |' under '| a | b | sum |') is a leak with one of them nearby."})
    operand_reversing_words: list[str] = field(default_factory=list,
        metadata={"help": "Words between two operands said in turn that make the second the base ('add 23 to 34' is 34 + 23): no leak of the item 23 + 34."})
    operand_cue_words: int = field(default=48, metadata={"max": 256,
        "help": "Operands said in turn: a cue word counts within this many words before the first operand (a table's header over its rows) or after the answer."})
    count_answer_words: dict[str, list[str]] = field(default_factory=dict,
        metadata={"help": "Words stating a letter count without its number, per count ('1': 'once', '2': 'twice'), read as that count beside a spelling item's word."})
    choice_key_families: list[str] = field(default_factory=list,
        metadata={"help": "Choice families whose problem key is a property and the right option ('animal:deer'): the pair written as a key and value ('animal: deer') is a leak."})
    prompt_echo_warn: float = field(default=0.05, metadata={"help": "prompt_echo_rate above this is a caution.", "min": 0.0, "max": 1.0})
    unsupported_claim_warn: float = field(default=0.05, metadata={"help": "unsupported_claim_rate above this is a caution.", "min": 0.0, "max": 1.0})
    matrix_risk: dict[str, float] = field(
        default_factory=lambda: {"high_coverage": 0.8, "medium_coverage": 0.35, "high_span": 40, "medium_span": 16},
        metadata={"help": "Overlap-matrix risk levels."},
    )
    top_k: int = field(default=5, metadata={"help": "Nearest targets listed per matrix pair."})

    def to_dict(self) -> dict[str, Any]:
        return {"normalization": NORMALIZATION, **asdict(self)}


def load_scan_config(path: str | Path | None = None, **overrides: Any) -> ScanConfig:
    """Defaults from the packaged YAML, then the user's YAML, then keyword overrides (None is ignored)."""
    data = load_yaml_text(resources.files(__package__).joinpath("scan_defaults.yaml").read_text(encoding="utf-8"))
    if path is not None:
        user = read_yaml_mapping(path, "a mapping of settings")
        data.update(user)
    data.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name: f for f in fields(ScanConfig)}
    for key, value in data.items():
        if key not in known:
            raise PicochatInputError(f"unknown setting; expected one of {', '.join(known)}", path=path, field=key)
        default = known[key].default
        if isinstance(default, bool) and not isinstance(value, bool):
            raise PicochatInputError(f"expected true or false, got {value!r}", path=path, field=key)
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise PicochatInputError(f"expected a non-negative number, got {value!r}", path=path, field=key)
    cfg = ScanConfig(**data)
    # types (an int field given 8.5) and ranges (NaN, inf, a share above 1 that no text could reach) from the fields
    lines = yaml_key_lines(path) if path is not None else {}
    check_fields(cfg, path=path, lines=lines)
    for f in fields(ScanConfig):  # a list of words or phrases: each one a non-empty string (a number is no phrase)
        value = getattr(cfg, f.name)
        if f.type == "list[str]" and not all(isinstance(x, str) and x for x in value):
            raise PicochatInputError(f"expected a list of non-empty strings, got {value!r}", path=path, line=lines.get(f.name), field=f.name)
    for op, phrasings in cfg.math_phrasings.items():
        if not isinstance(phrasings, list) or not all(isinstance(p, str) and "{a}" in p.split() and "{b}" in p.split() for p in phrasings):
            raise PicochatInputError("expected a list of phrasings holding {a} and {b} as words", path=path, field=f"math_phrasings.{op}")
    for mode, phrases in cfg.spelling_answer_cues.items():
        if mode not in ("first", "last", "count") or not isinstance(phrases, list) or not all(isinstance(p, str) and words(p) for p in phrases):
            raise PicochatInputError("expected first, last or count with a list of phrases", path=path, line=lines.get("spelling_answer_cues"),
                                     field=f"spelling_answer_cues.{mode}")
    for op, cues in cfg.operand_cues.items():
        if op not in {"+", "-", "*", "/", *cfg.math_phrasings} or not isinstance(cues, list) or not all(isinstance(c, str) and words(c) for c in cues):
            raise PicochatInputError("expected an operator (+, -, *, /) with a list of cue words", path=path,
                                     line=lines.get("operand_cues"), field=f"operand_cues.{op}")
    for count, phrases in cfg.count_answer_words.items():
        if not str(count).isdigit() or not isinstance(phrases, list) or not all(isinstance(p, str) and words(p) for p in phrases):
            raise PicochatInputError("expected a count in digits with a list of phrases", path=path, line=lines.get("count_answer_words"),
                                     field=f"count_answer_words.{count}")
    _check_positions(cfg.choice_positions, path, lines)
    if cfg.choice_list_min_options < 2 or cfg.choice_list_max_words < 1:
        bad = "choice_list_min_options" if cfg.choice_list_min_options < 2 else "choice_list_max_words"
        raise PicochatInputError("a list has at least 2 options of at least 1 word", path=path, field=bad)
    if cfg.ngram_size < 1 or cfg.min_words < 1:
        raise PicochatInputError("must be at least 1", path=path, field="ngram_size" if cfg.ngram_size < 1 else "min_words")
    return cfg


def _check_positions(positions: Any, path: str | Path | None, lines: dict[str, int]) -> None:
    """`choice_positions`: a mapping of known places to lists of words (a bad one names its key)."""
    from .positions import PLACES

    if not isinstance(positions, dict):
        raise PicochatInputError(f"expected a mapping of places to words, got {positions!r}", path=path,
                                 line=lines.get("choice_positions"), field="choice_positions")
    for key, phrases in positions.items():
        if key not in PLACES or not isinstance(phrases, list) or not all(isinstance(p, str) and words(p) for p in phrases):
            raise PicochatInputError(f"expected one of {', '.join(PLACES)} with a list of words", path=path,
                                     line=lines.get("choice_positions"), field=f"choice_positions.{key}")


def affirmations(cfg: ScanConfig) -> frozenset[tuple[str, ...]]:
    """`question_affirmations` as normalised word runs."""
    return frozenset(tuple(words(a)) for a in cfg.question_affirmations if words(a))


def phrase_runs(phrases: list[str]) -> frozenset[tuple[str, ...]]:
    """Phrases of a word list setting as normalised word runs."""
    return frozenset(tuple(words(p)) for p in phrases if words(p))
