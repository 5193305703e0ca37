"""Checks that a reasoning trace and its answer belong together (settings: `reasoning_checks.yaml`).

A trace is supervised next to its answer, so a trace concluding one answer beside an answer column giving another
teaches reasoning that does not lead to the answer (and usually means one of the two is wrong). The trace's
conclusions are its last answer statement (a marker such as "the answer is", `\\boxed{}`, `####`), the number its
last line ends on after "=", and, for a number answer, the number its last line ends on after "is"/"makes"/... and
its last line after a conclusion word ("so", "therefore");
for a text or letter answer, the candidate its last sentence names ("Therefore it is Lyon.": `text_conclusion_conflict`);
each must state the answer the row gives, judged by the scorer's own answer judges (`eval.answers`), and a
statement holding a denial word ("not B; it is C") must pass the text judge itself. A trace that states no answer
cannot be checked and is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..eval.answers import (AnswerSettings, is_number, judge_number, judge_text, normalize_answer, number_mentions,
                            spell_out_numbers, text_candidates)
from ..eval.scoring import default_scoring_config, tokens
from ..utils.yaml_text import load_yaml_text

SETTINGS_FILE = Path(__file__).with_name("reasoning_checks.yaml")


def _form(trace: str, answer: str | None, implied_open: bool = False) -> re.Pattern:
    """`<trace>t</trace>` then `<answer>a</answer>` (group 2) or the rest of the text (group 3); with `implied_open`
    the opening tag may be missing (the chat template wrote it before the completion began)."""
    tagged = rf"<{answer}>(.*?)</{answer}>\s*$|" if answer else ""
    opening = rf"(?:<{trace}>)?" if implied_open else rf"<{trace}>"
    return re.compile(rf"^\s*{opening}(.*?)</{trace}>\s*(?:{tagged}(.*)$)", re.DOTALL | re.IGNORECASE)


@lru_cache(maxsize=1)
def _settings() -> dict:
    raw = load_yaml_text(SETTINGS_FILE.read_text(encoding="utf-8"))
    return {"markers": [re.compile(p, re.IGNORECASE) for p in raw["statement_markers"]],
            "boxed": re.compile(raw["boxed"]), "equals": re.compile(raw["trailing_equals"]),
            "conclusion": re.compile(r"\b(?:" + "|".join(re.escape(w) for w in raw["conclusion_words"]) + r")\b[\s,:]*",
                                     re.IGNORECASE),
            "denials": {t for w in raw["denial_words"] for t in tokens(w)} | {w.lower() for w in raw["denial_words"]},
            "forms": [_form(f["trace"], f["answer"], bool(f.get("implied_open"))) for f in raw["response_forms"]],
            "result": re.compile(r"\b(?:" + "|".join(re.escape(w) for w in raw["result_verbs"])
                                 + r")\s+\$?\s*([-−]?[\d.,]*\d)\s*[.!]?\s*$", re.IGNORECASE),
            "max_unit_words": int(raw["max_unit_words"]),
            "max_answer_chars": int(raw["max_answer_chars"]), "markup": re.compile(raw["markup"], re.IGNORECASE),
            "text": _text_settings(raw["text_conclusion"], raw["conclusion_words"]),
            "number_verb": re.compile(_words(raw["number_sentence_verbs"]), re.IGNORECASE),
            "denied_after": re.compile(r"\W*" + _words(raw["result_denials"]), re.IGNORECASE),
            "denied_before": re.compile(_words(raw["result_denials"]) + r"\W*$", re.IGNORECASE),
            "groups": {str(w).lower(): int(n) for w, n in raw["group_words"].items()},
            "counted": [str(w).lower() for w in raw["counted_number_nouns"]],
            "change": re.compile(r"\s+" + _words(raw["change_words"]) + r"(?!\s+than\b)", re.IGNORECASE),
            "clause_break": re.compile(raw["result_clause_break"]),
            "closing": {"max": int(raw["closing_remarks"]["max"]), "words": int(raw["closing_remarks"]["max_words"])}}


def _words(words: list[str]) -> str:
    return r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"


def _text_settings(raw: dict, conclusion_words: list[str]) -> dict:
    return {"conclusion": re.compile(_words(conclusion_words + raw["extra_conclusion_words"]), re.IGNORECASE),
            "verb": re.compile(_words(raw["verbs"]), re.IGNORECASE), "pronouns": set(raw["pronouns"]),
            "fillers": set(raw["fillers"]), "non_answers": set(raw["non_answers"]), "extra_words": int(raw["extra_words"]),
            "affirmations": set(raw["affirmations"]), "determiners": set(raw["determiners"]),
            "non_subjects": set(raw["non_subjects"])}


@lru_cache(maxsize=1)
def _answer_settings() -> AnswerSettings:
    return default_scoring_config().answers()


def split_response(text: str) -> tuple[str, str] | None:
    """(trace, answer) of a response in one of the `response_forms` (`<think>t</think>a`,
    `<reasoning>t</reasoning><answer>a</answer>`, `<Thought>t</Thought><Output>a</Output>`); None for any other text."""
    for form in _settings()["forms"]:
        m = form.match(text)
        if m:
            groups = [g for g in m.groups()[1:] if g is not None]
            return m.group(1), groups[0] if groups else ""
    return None


def has_markup(*texts: str) -> bool:
    """Whether any text holds a think/reasoning/answer tag of its own."""
    return any(_settings()["markup"].search(t) for t in texts)


def _statement_after(text: str, start: int) -> str:
    """The rest of the marker's line, or the next non-empty line when the marker ends its line ("The answer is:\n42")."""
    rest = text[start:].split("\n", 1)
    if rest[0].strip(" \t.:*") or len(rest) == 1:
        return rest[0]
    return next((ln for ln in rest[1].splitlines() if ln.strip()), "")


def stated_answer(text: str) -> str | None:
    """The answer a text states last: the text after its last statement marker or `\\boxed{}` (to the end of that
    line); None when it states none."""
    s = _settings()
    found: list[tuple[int, str]] = []
    for marker in s["markers"]:
        found += [(m.end(), _statement_after(text, m.end())) for m in marker.finditer(text)]
    found += [(m.end(), m.group(1)) for m in s["boxed"].finditer(text)]
    found = [(end, stated.strip()) for end, stated in found if stated.strip(" .:*")]
    return max(found)[1] if found else None


def conclusions(text: str, *, numeric: bool) -> list[str]:
    """Every answer the text concludes with: its last statement (`stated_answer`), the number its last line ends
    on ("... = 10"), and, for a number answer, the number after a result verb ending the last line ("... is 10.") and
    the last line's text after a conclusion word ("So 10 are left.")."""
    s = _settings()
    out = [stated_answer(text)]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines:
        m = s["equals"].search(lines[-1])
        out.append(m.group(1) if m else None)
        m = s["result"].search(lines[-1])
        if numeric and m:
            out.append(m.group(1))
        # the last conclusion word whose text is not a denial ("So he has 10 in total, not 11.": not ", not 11")
        after = [lines[-1][c.end():] for c in s["conclusion"].finditer(lines[-1])]
        after = [a for a in after if not s["denied_after"].match(a)]
        if numeric and after and re.search(r"\d", spell_out_numbers(after[-1], _answer_settings())):
            out.append(after[-1])
    return [c for c in out if c]


def in_digits(text: str) -> str:
    """The text with its number words as digits ("ten" -> "10", "twenty-one" -> "21", "two dozen" -> "24", "half a
    dozen" -> "6"), so a conclusion in words is compared like one in digits."""
    text = spell_out_numbers(text, _answer_settings())
    for word, n in _settings()["groups"].items():
        w = re.escape(word)
        if n % 2 == 0:
            text = re.sub(rf"\bhalf\s+an?\s+{w}\b", str(n // 2), text, flags=re.IGNORECASE)
        text = re.sub(rf"(?<![\d.,])\b(\d+|one)\s+{w}\b", lambda m: str(n * (1 if m.group(1).lower() == "one" else int(m.group(1)))),
                      text, flags=re.IGNORECASE)
        text = re.sub(rf"\ban?\s+{w}\b", str(n), text, flags=re.IGNORECASE)
    return text


def _states(stated: str, answer: str, question: str) -> bool:
    """Whether `stated` gives `answer`: the same number, or the answer's words in order (the scorer's text judge)."""
    st = _answer_settings()
    options = _option_letter(stated.strip(" .:*"), question), _option_letter(answer.strip(" .:*"), question)
    if None not in options:  # "Paris" and "B" name one option of "A) Lyon B) Paris"; "Nice" names another
        return options[0] == options[1]
    words = set(tokens(stated)) | set(re.findall(r"[a-z]+'?[a-z]*", stated.lower()))
    if options[1] is not None and len(_named_options(stated, _options(question))) > 1 and not _settings()["denials"] & words:
        return False  # "B or C", "B (Nice)": no one option; "B, not C" is left to the judges, which read denials
    want = normalize_answer(answer)
    if is_number(want):
        if judge_number(stated, want, question, st)[0]:
            return True
        head = _result_head(stated)  # "5, half of ten": the value before its working in apposition
        if head != stated and judge_number(head, want, question, st)[0]:
            return True
        # "So half of 10 is 5." states 5 as its result; 10 is working, not a second answer ("5 or 6" states two)
        return bool(_settings()["number_verb"].search(stated)) and _sentence_result(in_digits(stated), question, float(want),
                                                                                    alone=True) is True
    if judge_text(stated, want, st, question)[0]:
        return True
    need, have = tokens(want), tokens(stated)
    if _settings()["denials"] & (set(have) | set(re.findall(r"[a-z]+'?[a-z]*", stated.lower()))):
        return False  # "not B; it is C" names B: only the text judge, which reads denials, may accept it
    return bool(need) and any(have[i:i + len(need)] == need for i in range(len(have) - len(need) + 1))


def _result_head(stated: str) -> str:
    """A statement up to the clause break after its first number ("5, half of 10" -> "5") when what follows is working
    in apposition: it starts with a word and holds no denial and no "or" ("5, or 6", "5, but really 6", "5; 6 with
    tax" are left whole); else the whole statement."""
    found = re.search(r"\d", stated)
    cut = _settings()["clause_break"].search(stated, found.end()) if found else None
    if cut is None:
        return stated
    tail = stated[cut.end():]
    words = set(tokens(tail)) | set(re.findall(r"[a-z]+'?[a-z]*", tail.lower()))
    if re.match(r"\W*[-−$]?\d", tail) or "or" in words or _settings()["denials"] & words:
        return stated
    return stated[:cut.start()]


def answer_core(answer: str, question: str = "") -> str:
    """The value an answer states: after its own statement marker ("The answer is 42." -> "42."), the one number a
    short lead-in gives ("It is 42." -> "42"), a number before a few unit words the question asks about ("72 clips"
    for "How many clips ...?" -> "72"; "10 Downing Street" stays text), else the whole answer. A number in words is
    that number when it is the whole answer ("eleven", "a dozen" -> "12"), what its own statement states ("The
    answer is ten."), or comes before such units ("Eleven apples."); other text holding a number word ("One of
    them", "Seven Samurai") stays text."""
    core = _core(answer, question)
    if is_number(normalize_answer(core)):
        return core
    spelled = in_digits(answer)
    if spelled == answer:
        return core
    stated = stated_answer(spelled)
    whole = (stated or spelled).strip().rstrip(".!")
    if is_number(normalize_answer(whole)):
        return whole
    counted = _counted_number(spelled, question)
    return counted if counted is not None else core


def _core(answer: str, question: str) -> str:
    stated = stated_answer(answer)
    if stated:
        return stated
    numbers = {c for c in text_candidates(answer, _answer_settings()) if is_number(normalize_answer(c))}
    if len(numbers) == 1:
        return numbers.pop()
    counted = _counted_number(answer, question)
    return counted if counted is not None else answer.strip()


def _counted_number(answer: str, question: str) -> str | None:
    """The number of "<number> <unit words>" ("72 clips in all", "$72") when the answer is nothing else and its
    first unit word is what the question asks about; None otherwise ("10 Downing Street", "7 Up")."""
    m = re.fullmatch(r"\s*\$?\s*([-−]?[\d.,]*\d)((?:\s+[A-Za-z]+){1,%d})\s*[.!]?\s*" % _settings()["max_unit_words"], answer)
    if m is None or not is_number(normalize_answer(m.group(1))):
        return None
    unit = m.group(2).split()[0].lower()
    return m.group(1) if {unit, unit.rstrip("s")} & set(tokens(question)) else None


def checked_answer(answer: str, question: str = "") -> str | None:
    """The row's `normalized_answer`: the normalised `answer_core`, None for a free-text answer too long to compare."""
    core = answer_core(answer, question)
    return normalize_answer(core) if len(core) <= _settings()["max_answer_chars"] else None


_CONTRACTED = re.compile(r"\b(it|that|this|there|here|what|answer)['’]s\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(is|are|was|were|does|do|did|has|have|had)n['’]t\b", re.IGNORECASE)
# a number this close after "not"/"never" is denied: "is not 11", "does not end up with 11"
_DENIED_NUMBER = re.compile(r"\b(?:not|never)\b(?:\s+[A-Za-z]+){0,3}\s*$", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    return [p for ln in text.splitlines() if ln.strip() for p in re.split(r"(?<=[.!?])\s+", ln.strip()) if p.strip(" .!?*")]


def _last_sentence(text: str, *, numbered: bool = False) -> str:
    """The text's last sentence ("it's" read as "it is"); with `numbered`, its last sentence stating a number in digits
    or words, so a closing remark ("That seems right.") does not hide the result before it."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    parts = [p for p in re.split(r"(?<=[.!?])\s+", lines[-1].strip()) if p.strip(" .!?*")] if lines else []
    if numbered:
        parts = [p for p in _sentences(text) if re.search(r"\d", in_digits(p))][-1:]
    return _clean(parts[-1]) if parts else ""


def _clean(sentence: str) -> str:
    sentence = _NEGATED.sub(r"\1 not", _CONTRACTED.sub(r"\1 is", sentence))  # "isn't B" denies B as "is not B" does
    return sentence.strip().strip("*").rstrip(".!?* ")


def _concluding_sentence_claim(trace: str, question: str) -> tuple[str, str, bool] | None:
    """The claim of the trace's last sentence, or of the sentence before a few short closing remarks that make none
    ("Therefore it is Lyon. I am confident.": `closing_remarks` in the settings)."""
    limits = _settings()["closing"]
    sentences = _sentences(trace)
    for back, sentence in enumerate(reversed(sentences)):
        claim = _concluding_claim(_clean(sentence), question)
        if claim is not None or back >= limits["max"] or len(sentence.split()) > limits["words"]:
            return claim
    return None


def _content(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in _settings()["text"]["fillers"]]


def _concluding_claim(sentence: str, question: str) -> tuple[str, str, bool] | None:
    """(the claim, the candidate it names, whether the candidate stands alone without a verb) of a concluding
    sentence: after its last conclusion word, or a whole "<subject> is <candidate>" sentence whose subject is a
    pronoun or the question's words; None when it makes no such claim."""
    ts = _settings()["text"]
    concl = list(ts["conclusion"].finditer(sentence))
    part = sentence[concl[-1].end():].strip(" ,:;") if concl else sentence
    if concl and not part:  # the conclusion word closes the sentence: "Lyon it is, therefore."
        part = sentence[:concl[-1].start()].strip(" ,:;")
    verb = ts["verb"].search(part)
    if verb is None:
        return (part, part, True) if concl else None
    subject_text = part[:verb.start()].split(",")[-1]
    subject, candidate = _content(subject_text), part[verb.end():].strip(" ,:;")
    if not candidate and subject and subject[-1] not in ts["pronouns"]:
        return part, subject_text.strip(), False  # "Lyon is wrong. Paris is.": the subject is the candidate
    if not candidate:  # "Lyon it is"
        subject, candidate = subject[-1:], " ".join(subject[:-1])
    pronoun, asked = all(t in ts["pronouns"] for t in subject), set(tokens(question))
    if subject and not pronoun and _affirms(re.split(r"[,;]", candidate)[0]) and _names_itself(subject_text, question):
        return part, subject_text.strip(), False  # "B is correct.", "C) Nice is the right answer." (as written: its label)
    if subject and not pronoun and _content(candidate) and set(_content(candidate)) <= asked \
            and _option_letter(candidate, question) is None:  # "the fruit is the apple": apple is an option, the candidate
        return part, subject_text.strip(), False  # "Lyon is the capital (of France).": the subject is the candidate
    if not (pronoun or {t for t in subject if t not in ts["pronouns"]} <= asked):
        return None  # "Its population is large.": a claim about something else
    if not concl and pronoun and not re.search(r"[A-Z0-9]|^\W*\w\W*$", candidate):
        return None  # "It is the largest city.": a description; "It is Lyon." names a candidate
    return part, candidate, False


def _affirms(predicate: str) -> bool:
    """Whether a predicate only calls its subject the answer ("correct", "the right answer"), with no denial."""
    words = tokens(predicate)
    ts = _settings()["text"]
    return bool(words) and all(w in ts["affirmations"] or w in ts["fillers"] for w in words) and any(
        w in ts["affirmations"] for w in words)


def _names_itself(subject_text: str, question: str) -> bool:
    """Whether a sentence's subject is a candidate: one of the question's options ("B", "option (B)", "Paris" among
    "A) Lyon B) Paris"), or a name (a capital letter or digit after any leading filler or determiner: "Lyon", not
    "the reasoning")."""
    if _option_letter(subject_text.strip(), question) is not None:
        return True
    ts = _settings()["text"]
    if set(tokens(subject_text)) & ts["non_subjects"]:
        return False
    words = subject_text.split()
    while words and words[0].strip("*(\"'").lower() in ts["fillers"] | ts["determiners"]:
        words = words[1:]
    return bool(words) and bool(re.match(r"[\W_]*[A-Z0-9]", words[0]))


def _names_candidate(candidate: str, bare: bool, core: str, question: str) -> bool:
    """Whether a claim's candidate is short enough to be an answer and is not a word like "correct" or "that"."""
    ts = _settings()["text"]
    words = _content(candidate) or re.findall(r"^\W*([A-Z])\W*$", candidate)  # the option letter A, not the article
    if not words or all(w in ts["non_answers"] for w in words):
        return False
    if bare and any(w in ts["pronouns"] or w in ts["non_answers"] for w in words):
        return False  # "So, it seems.": no verb and a pronoun is a remark, not a candidate
    if len(words) > len(_content(core) or tokens(core)) + (1 if bare else ts["extra_words"]):
        return False
    return not (len(words) >= 2 and set(words) <= set(tokens(question)))  # "the capital of France" restates it


_OPTION = re.compile(r"(?:^|[\s(])([A-Z])[).:]\s*(.+?)(?=\s+\(?[A-Z][).:]\s|\n|$)")


def _options(question: str) -> dict[str, list[str]]:
    return {m.group(1): tokens(m.group(2)) for m in _OPTION.finditer(question)}


def _named_options(text: str, options: dict[str, list[str]]) -> set[str]:
    """Every option `text` names, by label ("B", "(C)"; "A" or "I" before a word is the article or pronoun) or by its
    text ("Paris")."""
    named = {m.group(1) for m in re.finditer(r"(?<![\w'’])\(?([A-Z])\)?(?![\w'’])", text) if m.group(1) in options
             and not (m.group(1) in "AI" and re.match(r"\s+(?!or\b|and\b)[a-z]", text[m.end():]))}
    have, fillers = tokens(text), _settings()["text"]["fillers"]
    for k, words in options.items():
        need = [w for w in words if w not in fillers]
        if need and any(have[i:i + len(need)] == need for i in range(len(have) - len(need) + 1)):
            named.add(k)
    return named


def _option_letter(candidate: str, question: str) -> str | None:
    """The option a candidate chooses among the question's "A) Lyon B) Paris" options: by its label ("C) Nice",
    "option (C)") or by its text ("Paris"); None when the question lists no options or the candidate names none."""
    options = _options(question)
    if len(options) < 2 or len(_named_options(candidate, options)) > 1:  # "B or C", "B (Nice)": no one option
        return None
    label = re.match(r"\W*(?:option\s+|choice\s+)?\(?([A-Z])\b(?![.'’]\w)", candidate, re.IGNORECASE)
    if label and label.group(1).upper() in options and (label.group(1).isupper() or len(candidate.strip(" ().")) == 1):
        return label.group(1).upper()
    tail = re.search(r"\(([A-Z])\)\W*$", candidate)  # "Nice (C)"
    if tail and tail.group(1) in options:
        return tail.group(1)
    named = [k for k, words in options.items() if words and _content(candidate) == [w for w in words if w not in
                                                                                     _settings()["text"]["fillers"]]]
    return named[0] if len(named) == 1 else None


def text_conclusion_conflict(question: str, trace: str, core: str) -> str | None:
    """The candidate a trace's concluding sentence names when it is not the text answer `core` ("Therefore it is
    Lyon." beside "Paris"); None when it names the answer, or a shorter form of it, or no candidate."""
    claim = _concluding_sentence_claim(trace, question)
    if claim is None:
        return None
    part, candidate, _ = claim
    letter = _option_letter(candidate, question) if re.fullmatch(r"\W*[A-Za-z]\W*", core) else None
    if letter is not None:
        return None if letter == core.strip(" ().:").upper() else candidate
    if not _names_candidate(candidate, claim[2], core, question):
        return None
    if "or" in tokens(candidate) and "or" not in tokens(core):
        return candidate  # "Paris or Lyon" names two candidates
    if _states(part, core, question) or _states(candidate, core, question):
        return None
    words, have = _content(candidate), set(tokens(candidate)) | set(re.findall(r"[a-z]+'?[a-z]*", candidate.lower()))
    if words and not (_settings()["denials"] & have) and set(words) <= set(tokens(core)):
        return None  # "Washington" for "Washington, D.C."
    return candidate


def _results(text: str, operands: bool = False) -> list[tuple[int, float]]:
    """(position, value) of the numbers `text` states (already in digits), without counts of the numbers worked on
    ("the two fives", "the 2 numbers") and, unless `operands`, without expression operands."""
    st = _answer_settings()
    units = [w.lower() for w in st.number_words_units]
    counted = re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in _settings()["counted"])
                         + "".join(f"|{re.escape(w)}e?s" for w in units) + r")\b", re.IGNORECASE)
    found = number_mentions(text, st.operator_words, st.negative_words)
    return [(m.start, float(m.value)) for m in found if m.value is not None and (operands or not m.operand)
            and not counted.match(text, m.end)]


def result_numbers(text: str) -> list[float]:
    """The numbers `text` states that are no operand of an expression in it ("48+24 = 72": 72; "3 times 4, which is
    12": 12), number words read as digits."""
    return [v for _, v in _results(in_digits(text))]


def _question_numbers(question: str) -> set[float]:
    return {v for _, v in _results(in_digits(question), operands=True)}


def _stated_numbers(text: str, question: str) -> set[float]:
    """The numbers `text` (with number words as digits) states that are neither operands, counts of the numbers
    worked on ("the two fives", "the 2 numbers"), nor numbers the question states."""
    return {v for _, v in _results(in_digits(text))} - _question_numbers(question)


def _sentence_result(sentence: str, question: str, answer: float, *, alone: bool = False) -> bool | None:
    """Whether a sentence (in digits) with a result verb states `answer` as its result: the numbers after its last
    verb that has any ("Half of 10 is 5": 5; "He had 5, so he ends up with 11": 11) are its results, and a number
    before them (10 in "Half of 10 is 5") is the working. True / False when it states the answer / another result,
    None when it states no single result (several new numbers, or only the question's numbers restated). With
    `alone`, True only when the answer is its one result ("So he has 5 or 11." states no single answer)."""
    denied = _settings()["denied_before"]  # "10, not 11": 11 is no result
    changes = _change_positions(sentence)  # "gets 6 more": a change applied, not a result
    mentions = [(pos, v) for pos, v in _results(sentence) if not denied.search(sentence[:pos]) and pos not in changes]
    asked = _question_numbers(question)
    verbs = [v.end() for v in _settings()["number_verb"].finditer(sentence)]
    start = next((end for end in reversed(verbs) if any(pos >= end for pos, _ in mentions)), None)
    if start is None:  # no number after any verb ("11 apples is what he has."): the sentence's one new number
        fresh = {v for _, v in mentions} - asked
        return (fresh.pop() == answer) if len(fresh) == 1 else None
    first = min(pos for pos, _ in mentions if pos >= start)
    cut = _settings()["clause_break"].search(sentence, first)  # "5, half of ten": 10 is working about the result
    results = {v for pos, v in mentions if start <= pos < (cut.start() if cut else len(sentence))}
    fresh = results - asked
    if alone and results != {answer}:
        return None
    if fresh:
        return (fresh.pop() == answer) if len(fresh) == 1 else None
    if answer in results:  # "Half of 10 is 5" beside 5, the question stating 5: the answer is the result
        return True
    if len(results) == 1 and (_worked_out(sentence, start, cut, changes) or _reached(sentence, first, cut)):
        return False  # "He gets 6 more and has 5." beside 11: the outcome of working is a result, not a restatement
    working = {v for pos, v in mentions if pos < start} - asked
    # a result the question states beside working of its own ("Half of 10 is 5" beside -3) is a conclusion; with no
    # such working the sentence restates the question ("He has 5 apples and gets 5 more.")
    return False if len(results) == 1 and working else None


def _worked_out(sentence: str, start: int, cut: re.Match | None, changes: set[int]) -> bool:
    """Whether a sentence states its one result as the outcome of working, so a number the question states there is
    a result, not a restatement: a change applied before it ("gets 6 more and has 5", "gives away 6 and has 11
    left"), an expression before it ("11 minus 6 leaves 6"), or working in apposition after it with no verb of its
    own ("5 apples, 6 more than before")."""
    from .reasoning_steps import change_verb_changes

    if any(pos < start for pos in changes | set(change_verb_changes(sentence))):
        return True
    if any(pos < start for pos, _ in set(_results(sentence, operands=True)) - set(_results(sentence))):
        return True
    tail = sentence[cut.end():] if cut else ""
    return bool(re.search(r"\d", tail)) and not _settings()["number_verb"].search(tail)


def _reached(sentence: str, first: int, cut: re.Match | None) -> bool:
    """Whether a sentence states its one result as the quantity reached ("He now has 5.", "He has 11 left.") with no
    change applied after it ("He has 5 left over and gets 6 more." restates the start)."""
    from .reasoning_steps import changes, state_marked

    end = re.match(r"\$?\s*[\d.,]*\d", sentence[first:])
    if end is None or not state_marked(sentence, first, first + end.end()):
        return False
    return not any(pos > first for pos in changes(sentence))


def _change_positions(sentence: str) -> set[int]:
    """Where the numbers a change word follows begin ("gets 6 more", "6 extra apples"; not "6 more than 5")."""
    st = _answer_settings()
    change = _settings()["change"]
    return {m.start for m in number_mentions(sentence, st.operator_words, st.negative_words) if change.match(sentence, m.end)}


def number_sentence_conflict(question: str, trace: str, core: str) -> str | None:
    """The trace's last sentence stating a number when it states one result other than the number answer `core` ("He
    ends up with 11 apples. That seems right." beside 10): a result verb and one number after it (in digits or words,
    `in_digits`) that is no operand (`_sentence_result`); None otherwise."""
    sentence = in_digits(_last_sentence(trace, numbered=True))
    if not _settings()["number_verb"].search(sentence):
        return None
    answer = float(normalize_answer(core))
    if _only_denied(sentence, answer):
        return sentence
    return sentence if _sentence_result(sentence, question, answer) is False else None


def _only_denied(sentence: str, answer: float) -> bool:
    """Whether the sentence names the answer only to deny it ("The total is not 11.", "He doesn't have 11.")."""
    said = [_DENIED_NUMBER.search(sentence[:pos]) is not None for pos, v in _results(sentence, operands=True) if v == answer]
    return bool(said) and all(said)


def _sentence_answer_conflict(question: str, trace: str, answer: str) -> str | None:
    """For a text answer stating one number the question does not ("He has eleven apples."), the trace's concluding
    sentence when it states another (the answer stays text for scoring; the number is still compared)."""
    stated = _stated_numbers(answer, question)
    if len(stated) != 1:
        return None
    value = stated.pop()
    return number_sentence_conflict(question, trace, str(int(value)) if value.is_integer() else str(value))


def contradiction(question: str, trace: str, answer: str, response_tail: str = "") -> str | None:
    """Why the trace (or the response after it) states another answer than `answer`; None when they agree or
    nothing can be compared (a free-text answer, a trace that states no answer)."""
    from .reasoning_steps import step_conflict

    step = step_conflict(trace)
    if step is not None:
        return step
    core = answer_core(answer, question)
    if len(core) > _settings()["max_answer_chars"]:
        return None
    numeric = is_number(normalize_answer(core))
    named = number_sentence_conflict(question, trace, core) if numeric else (
        text_conclusion_conflict(question, trace, core) or _sentence_answer_conflict(question, trace, core))
    if named is not None:
        return f"the trace's concluding sentence names {named[:60]!r}, the answer is {core[:60]!r}"
    for where, text in (("trace", trace), ("response after the trace", response_tail)):
        text = in_digits(text) if numeric else text
        stated = conclusions(text, numeric=numeric)
        if not stated and where != "trace" and 0 < len(text.strip()) <= _settings()["max_answer_chars"]:
            stated = [text.strip()]  # a short response after the trace is itself an answer
        for one in stated:
            if not _states(one, core, question):
                return f"the {where} concludes {one[:60]!r}, the answer is {core[:60]!r}"
    return None
