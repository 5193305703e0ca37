"""Item-level leak checks: whole prompts with their answers, canonical problems, signatures, option lists.

These complement the n-gram coverage of long prompts (`scan.py`) at every prompt length:

- **whole prompt** (any length): found in an SFT row or a corpus document. With the item's answer in the
  same SFT row, or within a window around it in a corpus document, it is a leak (`*_prompt_with_answer`);
  a long prompt (at least `ngram_size` words) found whole in the corpus is a leak even without it;
- **canonical problem**: an SFT row carrying the same `problem`/`group` (operator and operands, mode, word
  and letter, choice family and key) whose answer contains the eval answer (`sft_canonical_with_answer`);
- **signature** (SFT rows without a canonical problem, and the corpus): the item's operand expression
  ("23 + 34", "23 plus 34"), the two operands of a word problem in order, or a spelling item's word, with
  the answer right beside it (`*_signature_with_answer`): numeric and single-word answers count as
  support only next to the item's own operands. In the corpus, a signature too weak to be a leak by
  itself is a caution (`corpus_signature_weak`): operands with fewer than `signature_min_digits` digits
  together ("1 + 2 = 3" in a code sample), a one-letter spelling answer, or a word problem's bare operands
  and answer (numbers in that order also occur in tables); in SFT rows each of these is a leak;
- **operands in turn**: an operand expression's operands said one after the other, its answer the next number after
  them, with a word of its operator nearby ("Take 23. Now add 34 to it. You get 57.", "| a | b | sum |" over
  "| 23 | 34 | 57 |", "a,b,sum" over "23,34,57"; `operand_watches`), a leak in SFT rows and the corpus alike;
- **options**: a choice item's whole option list, plain or lettered, in one document (`*_options`);
- **choice key** (`choice_keys.py`): a category item's property and right option as a key and value ("animal: deer");
- **choice copy** (`choice_copies.py`): an SFT row offering the same options in any order or lettering
  (or none: "Options: Lima, Oslo, Paris", `choice_lists.py`),
  choosing the right one, with a reworded question naming the item's entities;
- **corpus choice copy** (`choice_corpus.py`): a corpus document (or an SFT row's answer) offering the same
  options in any order, lettering or none, with the right one in the line after them and the question before them;
- **stem**: a choice item's question (before its options) with the right option's text after it, in any
  order or lettering of the options (`*_signature_with_answer`; in the corpus a question under
  `stem_min_words` words is a caution).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..data.schema import message_text
from .reworded import assistant_text
from .items import EvalItem, canonical_key, contains
from .ngram_index import NgramIndex
from .normalize import words
from .number_words import NUMBER_LIST_JOINS, ONES, TENS, digit_forms, number_forms
from .choice_lists import ListRules
from .tables import SYNTAX
from .watch import Unsaid, Watch, WatchResult, Watcher

# Every finding kind the scan reports, with its severity (all of them appear in the report's `counts`).
FINDING_KINDS: dict[str, str] = {
    "exact_sft_prompt": "fail",
    "sft_prompt_with_answer": "fail",
    "corpus_prompt_with_answer": "fail",
    "corpus_prompt_hit": "fail",
    "sft_ngram_leak": "fail",
    "corpus_ngram_leak": "fail",
    "sft_canonical_with_answer": "fail",
    "sft_signature_with_answer": "fail",
    "corpus_signature_with_answer": "fail",
    "corpus_signature_weak": "warn",
    "sft_options": "fail",
    "sft_choice_copy_with_answer": "fail",
    "corpus_options": "fail",
    "corpus_choice_copy_with_answer": "fail",
    "near_sft_prompt_with_answer": "fail",
    "near_sft_prompt": "warn",
    "sft_canonical_match": "warn",
    "sft_short_prompt_hit": "warn",
    "corpus_short_prompt_hit": "warn",
    "sft_ngram_overlap": "warn",
    "corpus_ngram_overlap": "warn",
    "support_phrase_in_sft": "warn",
    "support_phrase_in_corpus": "warn",
    "eval_duplicate_prompt": "warn",
    "prompt_echo_rate": "warn",
    "unsupported_claim_rate": "warn",
}
# the specific kind of a signature first: a word problem's operands beside its object noun ("story_named") and a spelling
# word beside its mode's cue ("spelling_cued") are leaks in the corpus, where the bare ones are cautions
# the words between a table's or a CSV's numbers as `words` reads them: a rule row's "-", the delimiters "," and ";"
ROW_MARKS = tuple(dict.fromkeys(w for mark in ("-", *SYNTAX.csv_delimiters) for w in words(f"1{mark}2") if not w.isdigit()))
SIGNATURE_KINDS = ("expression", "operands", "story_named", "story", "spelling_cued", "spelling", "stem")
SIGNATURE_WORDS = {"operands": "operands said in turn with its operator's word", "story_named": "story told with its object noun", "spelling_cued": "spelling word with its mode's words"}


def describe_leaks(counts: dict[str, Any]) -> str:
    """The true numbers of a scan's `counts` in one sentence (used by the release gate)."""
    n, failing = counts.get("eval_prompts"), counts.get("eval_prompts_failing")
    kinds = ", ".join(f"{k} {counts[k]}" for k, sev in FINDING_KINDS.items() if sev == "fail" and counts.get(k))
    text = f"{failing} of {n} eval prompts leak into SFT rows or the corpus" + (f" ({kinds})" if kinds else "")
    if "eval_prompts_warned" in counts:
        text += f"; {counts['eval_prompts_warned']} more have cautions only ({counts.get('findings_warn', 0)} caution findings)"
    return text


def build_watches(items: list[EvalItem], index: NgramIndex, min_story_digits: int = 3, next_number: tuple[int, int] = (0, 0),
                  spelling_cues: dict[str, list[str]] | None = None, *, operand_cues: dict[str, list[str]] | None = None,
                  operand_cue_words: int = 48, count_words: dict[str, list[str]] | None = None,
                  reversing_words: list[str] = ()) -> list[Watch]:
    """One watch per whole prompt, operand expression (its answer beside it, or in the corpus the first number said
    within `next_number[0]` words after it or the last within `next_number[1]` words before it), word-problem operand pair (in either order, the answer after
    both; operands with at least `min_story_digits` digits together: "42 ... 5" is watched, "9 ... 8" is not; again
    with the object noun after its first operand nearby: "story_named"), operands said in turn with their answer next and one
    of the operator's `operand_cues` within `operand_cue_words` words ("operands", `operand_watches`), spelling word (again
    with each cue of its mode nearby, `spelling_cues`: "spelling_cued"; a count also in `count_words`: "once") and option list."""
    ids = index.word_ids
    out: list[Watch] = []
    for it in items:
        # a number answer also digit by digit or in groups ("5 7", "five seven", "4 600"), beside its own prompt or operands
        answers = [ids(a) for a in it.answers] + [ids(f) for a in it.answers if len(a) == 1 for f in digit_forms(a[0])]
        if it.prompt:
            out.append(Watch(it.index, "prompt", ids(it.prompt), answers=answers))
        for expr in it.expressions:
            out.append(Watch(it.index, "expression", ids(expr), answers=answers, before=2, after=4, next_number=next_number[0],
                             last_number=next_number[1]))
        out += operand_watches(it, ids, answers, (operand_cues or {}).get(it.operands[1], []) if it.operands else [],
                               min_digits=min_story_digits, reach=next_number[0], cue_words=operand_cue_words, reversing=reversing_words)
        if it.story is not None and len(it.story[0]) + len(it.story[1]) >= min_story_digits:
            a, b = it.story  # each operand in digits or in words ("ninety ... eighty-four"), in either order
            noun = story_noun(it.prompt, a)
            in_corpus = min(len(a), len(b)) >= 2
            for x, y in ((a, b), (b, a)):  # "sold 21 of her 86, leaving 65" tells the story of 86 - 21 too
                for first in [[x], *number_forms(x)]:
                    for second in [[y], *number_forms(y)]:
                        out.append(Watch(it.index, "story", ids(first), answers=answers, second=ids(second), before=0, after=12,
                                         in_corpus=in_corpus))
                        if noun:  # "Xena had 90 balloons. She sold 84 of them. She has 6 left."
                            out.append(Watch(it.index, "story_named", ids(first), answers=answers, second=ids(second), before=12,
                                             after=12, in_corpus=in_corpus, required=[ids(noun)], answer_before=False))
        if it.spelling is not None:
            word, answer, required = it.spelling
            weak = len("".join(answer)) <= 1 or "".join(answer).isdigit()  # "l", "3": a letter or count names no word
            out.append(Watch(it.index, "spelling", ids([word]), answers=[ids(a) for a in spelled_forms(answer)],
                             required=[ids(required)] if required else [], before=12, after=24, answer_before=not weak))
            # a count in words ("once") only with its mode's cue: "Is an orchid a tree? Once, ..." says no count
            forms = [ids(a) for a in spelled_forms(answer, count_words if required else None)]
            for cue in spelling_cue_runs(it, spelling_cues or {}) if weak else ():
                # "The first letter of "lantern" is l.", "Banana has 3 a's.": the letter or count stated as the word's,
                # not one letter or number beside it; a count with its letter and cue also before the word ("the letter e
                # appears once in lantern": no word is asked for, as "Name a word that starts with l." asks for one)
                out.append(Watch(it.index, "spelling_cued", ids([word]), answers=forms, required=[ids(r) for r in (required, cue) if r],
                                 before=8 if required else 12, after=24, answer_before=bool(required)))
                if required:  # a count table's header over its row ("| word | letter | count |", a rule row, "| lantern | e | 1 |")
                    out.append(Watch(it.index, "spelling_cued", ids([word]), answers=forms, required=[ids(required), ids(cue)],
                                     before=24, after=8, answer_before=False))
        for opts in it.options:
            out.append(Watch(it.index, "options", ids(opts)))
        if it.stem and len(it.answers) > 1:  # the right option's text, not its letter (another list may letter it otherwise)
            out.append(Watch(it.index, "stem", ids(it.stem), answers=[ids(a) for a in it.answers[1:]], before=0, after=24))
    return out


def operand_watches(it: EvalItem, ids: Callable, answers: list, cues: list[str], *, min_digits: int, reach: int,
                    cue_words: int, reversing: list[str] = ()) -> list[Watch]:
    """An operand expression's operands said in turn, each in digits or words, its answer the next number after them and
    one of its operator's `cues` nearby ("Take 23. Now add 34 to it. You get 57."; `Watch.in_turn`); none for a word
    problem (its story is watched), operands under `min_digits` digits together ("1, 2, 3" lists) or no cues; a `reversing`
    word between the operands makes the second the base ("Add 23 to 34" is 34 + 23)."""
    if it.operands is None or it.story is not None or not cues or not reach:
        return []
    a, _, b = it.operands
    if len(a) + len(b) < min_digits:
        return []
    cue_ids = [ids(words(c)) for c in cues if words(c)]
    out = [Watch(it.index, "operands", ids(first), answers=answers, second=ids(second), gap=8, before=cue_words, after=reach,
                 next_number=reach, in_turn=True, any_of=cue_ids, none_between=[ids([w]) for w in reversing])
           for first in [[a], *number_forms(a)] for second in [[b], *number_forms(b)]]
    for answer in (x[0] for x in it.answers[:1] if len(x) == 1 and x[0].isdigit()):
        # a CSV line whose comma before a 3-digit field reads as a thousands separator ("293,164,129" is one number): the
        # line's own words, with an operator's word beside them as the answer ("a,b,difference" over it)
        fused = words(f"{a},{b},{answer}")
        if fused != [a, ",", b, ",", answer]:
            out.append(Watch(it.index, "operands", ids(fused), answers=cue_ids, before=cue_words, after=reach))
    return out


def story_noun(prompt: list[str], operand: str) -> list[str]:
    """The object noun right after a word problem's first operand ("90 balloons" -> ["balloons"]), or none."""
    at = prompt.index(operand) if operand in prompt else -1
    nxt = prompt[at + 1] if 0 <= at < len(prompt) - 1 else ""
    return [nxt] if nxt.isalpha() and len(nxt) > 2 else []


def spelling_cue_runs(item: EvalItem, cues: dict[str, list[str]]) -> list[list[str]]:
    """The cue phrases of the spelling mode an item asks, as words: "count" for an item counting a letter, else the mode
    ("first", "last") whose cue its prompt holds ("What letter is at the start of ..." asks the first letter); none when
    no mode's or several modes' cues are in it."""
    runs = {mode: [words(c) for c in phrases if words(c)] for mode, phrases in cues.items()}
    if item.spelling is not None and item.spelling[2]:  # the letter counted is required beside the word
        return runs.get("count", [])
    asked = [mode for mode, rs in runs.items() if mode != "count" and any(contains(item.prompt, r) for r in rs)]
    return runs[asked[0]] if len(asked) == 1 else []


def unsaid_words(index: NgramIndex, rules: ListRules, links: list[str] = ()) -> Unsaid:
    """The one-word cues of `rules` as word ids: rejections before an answer ("not", "never"), alternatives ("or"
    either side, "either" before) and hedges after an alternative ("so"); the numbers and the words joining a list of
    them, which keep spaced digits inside a list ("5 7 and 9") from reading as one number. A symbol ("/") is left out: in an operand
    expression it is an operator, not an alternative."""
    def ids(ws) -> frozenset[int]:
        ws = sorted({w for w in ws if w.isalnum()})
        return frozenset(int(x) for x in index.word_ids(ws))

    numbers = frozenset(int(x) for x in index.word_ids([*map(str, range(1000)), *ONES, *(w for w in index.vocab if w.isdigit())]))
    # a word the targets lack reads as 0 in the stream: every number up to 9999 gets an id, so that another number said
    # before the answer ends an expression's search ("23 + 34 + 1000 = 1057"); "one" is mostly a pronoun ("one at a time")
    spoken = [w for w in (*ONES, *TENS) if w and w != "one"]
    any_number = frozenset(int(x) for x in index.word_ids([*spoken, *map(str, range(10000)), *(w for w in index.vocab if w.isdigit())]))
    return Unsaid(ids(p[0] for p in rules.rejected_before if len(p) == 1), ids([*rules.alternatives, *rules.alternatives_before]),
                  ids(rules.alternatives), ids(rules.hedges), numbers, frozenset(int(x) for x in index.word_ids(list(NUMBER_LIST_JOINS))),
                  any_number, frozenset(int(x) for x in index.word_ids([w for link in links for w in words(link)])),
                  frozenset(int(x) for x in index.word_ids(list(ROW_MARKS))))


def spelled_forms(answer: list[str], count_words: dict[str, list[str]] | None = None) -> list[list[str]]:
    """A spelling answer as written, a one-word answer spelled out letter by letter ("d r a h c r o",
    "d-r-a-h-c-r-o") and a count in words ("three"; with `count_words`, a count item's, also "once", "twice"), so the
    same answer in another spelling is still found beside its word."""
    out = [answer] + (number_forms(answer[0]) if len(answer) == 1 else [])
    if count_words and len(answer) == 1 and answer[0].isdigit():
        out += [words(c) for c in count_words.get(str(int(answer[0])), []) if words(c)]
    if len(answer) == 1 and len(answer[0]) > 1 and answer[0].isalpha():
        letters = list(answer[0])
        out += [letters, [x for k, c in enumerate(letters) for x in ((["-"] if k else []) + [c])]]
    elif len(answer) > 1 and all(len(c) == 1 and c.isalpha() for c in answer):  # a spaced answer hyphenated: "t-a-m-b-o-u-r-i-n-e"
        out.append([x for k, c in enumerate(answer) for x in ((["-"] if k else []) + [c])])
    return out


def watch_stream(index: NgramIndex, watcher: Watcher, *, whole_doc: bool, skip_docs: set[int] | None = None) -> tuple[Callable, WatchResult]:
    res = WatchResult()
    return (lambda ids, doc_of_word: watcher.scan(ids, doc_of_word, res, whole_doc=whole_doc, skip_docs=skip_docs)), res


def _answer_in(item: EvalItem, text_words: list[str]) -> bool:
    return any(contains(text_words, a) for a in item.answers)


def canonical_findings(items: list[EvalItem], sft_rows: list[dict], add: Callable[..., None]) -> None:
    """Eval items whose canonical problem an SFT row carries (with the answer: a leak)."""
    by_key: dict[str, list[dict]] = {}
    for r in sft_rows:
        key = canonical_key(r)
        if key is not None:
            by_key.setdefault(key, []).append(r)
    for it in items:
        rows = by_key.get(it.canonical or "", [])
        if not rows:
            continue
        hit = next((r for r in rows if it.answers and _answer_in(it, words(assistant_text(r)))), None)
        if hit is not None:
            add("sft_canonical_with_answer", it.id, "sft", hit["id"], f"SFT row {hit['id']} is the same problem ({it.canonical}) with its answer")
        else:
            add("sft_canonical_match", it.id, "sft", rows[0]["id"], f"SFT row {rows[0]['id']} is the same problem ({it.canonical}); its answer is not checked or differs")


def near_findings(items: dict[str, EvalItem], near: dict[str, tuple[str, float]], sft_by_id: dict[str, dict], threshold: float,
                  add: Callable[..., None], other: set[str] = frozenset()) -> None:
    """Paraphrased prompts (MinHash LSH): a leak when the SFT row also holds the eval answer, unless the row does
    not name the item's entities (`other`: the same template about another word or name, whose answer may be
    the same by chance, "Which letter comes last in "keyway"?" for the item about "cawky"), a caution then."""
    for key, (ref, score) in near.items():
        it = items[key]
        if key not in other and it.answers and _answer_in(it, words(assistant_text(sft_by_id[ref]))):
            add("near_sft_prompt_with_answer", key, "sft", round(score, 4),
                f"paraphrase of SFT row {ref} (similarity {score:.2f} >= {threshold}) whose answer holds the eval answer")
        else:
            add("near_sft_prompt", key, "sft", round(score, 4), f"paraphrase of SFT row {ref} (similarity {score:.2f} >= {threshold})")


def specific(item: EvalItem, kind: str, min_digits: int, stem_words: int) -> bool:
    """Whether a signature is specific enough that finding it in a natural corpus is a leak: an operand
    expression whose operands have at least `min_digits` digits together ("23 + 34", not "1 + 2"), a spelling
    answer longer than one letter; never a word problem's bare operands (they also occur in tables)."""
    if kind == "story":
        return False
    if kind in ("story_named", "spelling_cued"):  # the item's own noun or mode cue beside its numbers or letter
        return True
    if kind == "spelling":
        return item.spelling is not None and len("".join(item.spelling[1])) > 1
    if kind == "stem":
        return len(item.stem) >= stem_words
    if item.story is not None:
        operands = list(item.story)
    elif item.expressions:
        operands = [x for x in item.expressions[0] if x.isdigit()]  # the first expression has the operands in digits
    else:
        return True
    return sum(len(x) for x in operands) >= min_digits


def watch_findings(items: list[EvalItem], side: str, res: WatchResult, doc_name: Callable[[int], Any], ngram_size: int,
                   exact_sft: set[str], add: Callable[..., None], *, min_digits: int = 0, stem_words: int) -> None:
    """Findings from one reference side's watch results (`side` is "sft" or "corpus")."""
    for it in items:
        where = f"{'SFT row' if side == 'sft' else 'corpus document'} {{}}"
        key = (it.index, "prompt")
        if key in res.with_answer and it.id not in exact_sft:
            add(f"{side}_prompt_with_answer", it.id, side, doc_name(res.with_answer[key]),
                f"whole prompt ({len(it.prompt)} words) with its answer in {where.format(doc_name(res.with_answer[key]))}")
        elif key in res.found and it.id not in exact_sft:
            src = where.format(doc_name(res.found[key]))
            if side == "corpus" and len(it.prompt) >= ngram_size:
                add("corpus_prompt_hit", it.id, side, doc_name(res.found[key]), f"whole prompt ({len(it.prompt)} words) occurs in {src}")
            elif len(it.prompt) < ngram_size:
                add(f"{side}_short_prompt_hit", it.id, side, doc_name(res.found[key]),
                    f"short prompt ({len(it.prompt)} words) occurs whole in {src}, without its answer nearby")
        for kind in SIGNATURE_KINDS:
            if (it.index, kind) in res.with_answer:
                doc = doc_name(res.with_answer[(it.index, kind)])
                if side == "corpus" and not specific(it, kind, min_digits, stem_words):
                    add("corpus_signature_weak", it.id, side, doc,
                        f"the item's {kind} with its answer in {where.format(doc)}; too weak a signature to block on in a corpus (operands under {min_digits} digits, a one-letter answer or bare word-problem numbers)")
                else:
                    said = SIGNATURE_WORDS.get(kind, kind)
                    add(f"{side}_signature_with_answer", it.id, side, doc, f"the item's {said} with its answer in {where.format(doc)}")
                break
        if (it.index, "options") in res.found:
            doc = doc_name(res.found[(it.index, "options")])
            add(f"{side}_options", it.id, side, doc, f"the item's whole option list occurs in {where.format(doc)}")


def weak_spelling_turn_findings(items: list[EvalItem], sft_rows: list[dict], found: set[str], add: Callable[..., None]) -> None:
    """A one-letter or count spelling answer stated in one message with its word ("L is the first letter of
    lantern."). The streamed watch counts such an answer only after the word, because across a row the letter
    may be the one a user asks about ("Name a word that starts with l." -> "lantern"); inside one message the
    letter and the word are one statement, whichever comes first."""
    weak: dict[str, list[EvalItem]] = {}
    for it in items:
        if it.spelling is not None and it.id not in found and (len("".join(it.spelling[1])) <= 1 or "".join(it.spelling[1]).isdigit()):
            weak.setdefault(it.spelling[0], []).append(it)
    if not weak:
        return
    flagged: set[str] = set()
    for row in sft_rows:
        if canonical_key(row):  # same-problem rows are judged by `canonical_findings`
            continue
        for msg in row["messages"]:
            ws = words(message_text(msg["content"]))
            for word in set(ws) & weak.keys():
                for it in weak[word]:
                    _, answer, required = it.spelling
                    if it.id in flagged or not any(contains(ws, a) for a in spelled_forms(answer)):
                        continue
                    if all(contains(ws, r) for r in ([required] if required else [])):
                        flagged.add(it.id)
                        add("sft_signature_with_answer", it.id, "sft", row["id"],
                            f"the item's spelling with its answer in one {msg['role']} message of SFT row {row['id']}")
