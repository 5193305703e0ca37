"""Text normalisation shared by every contamination check.

Invisible format characters dropped (soft hyphen, zero-width spaces and joiners, BOM), JSON/C escapes read
("\\u00d7" is "×", a literal "\\n" is a line break), NFKC, minus sign and en dash as "-", middle dots as "×",
thousands separators dropped ("1,200" is "1200"), casefold, look-alike letters of other scripts read as the
Latin letter (`confusables.yaml`: a Cyrillic "а" is "a"), then keep maximal runs of Unicode letters and digits
as words (punctuation, underscores and whitespace separate words), plus each arithmetic symbol as a word of
its own and a comma or semicolon between two numbers, in digits or words ("5, 7" is ["5", ",", "7"], not the spaced
digits of 57; "Five, seven." is ["five", ",", "seven"], not 57 in digit words), so "9 + 0" and "9 - 0" stay different questions. A possessive "'s" goes and any other apostrophe
between letters joins them: "France's" becomes ["france"] and "Don't!" ["dont"], so a contraction never yields a
one-letter word ("s", "t") that reads as a spelling item's answer; "Ｆｒａｎｃｅ" becomes ["france"]. The same function runs on both sides of every comparison, so the choice only has to be consistent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from ..utils.yaml_text import load_yaml_text

NORMALIZATION = ("format characters dropped, \\uXXXX and \\n escapes read, NFKC, minus/en dash as -, middle dot as ×, "
                 "'s dropped and other apostrophes between letters joined, "
                 "thousands separators dropped, casefold, look-alike letters as Latin (confusables.yaml), "
                 "words = maximal runs of Unicode letters/digits ([^\\W_]+), single arithmetic symbols (+-*/=×÷^%<>) and a , or ; "
                 "between two numbers")

# a comma or semicolon right after a number and before another ("5, 7", "4; 600") is a word of its own: it separates
# two numbers ("5, 7 and 9 are odd" lists 5 and 7; "5 7" spaces the digits of 57), where "1,200" is one number
_WORD = re.compile(r"[^\W_]+|[-+*/=×÷^%<>]|[,;](?:(?<=\d[,;])|(?<=\d[ \t][,;]))(?=[ \t]?\d)")
_DIGITS = re.compile(r"\d")
# a comma or semicolon between two number words ("five, seven", "fifty; seven") separates two numbers as it does between
# digits: "Five, seven." lists 5 and 7, it does not spell 57 ("five seven") or 57 ("fifty seven")
_NUMBER_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|\d+)")
_LISTED_NUMBER_WORDS = re.compile(r"(?<![^\W_])" + _NUMBER_WORD + r"[ \t]*[,;][ \t]*" + _NUMBER_WORD + r"(?![^\W_])")
_SEPARATOR = re.compile(r"[,;]")
_SYMBOLS = frozenset("-+*/=×÷^%<>")


_THOUSANDS = re.compile(r"(?<=\d)[,，'’_\u00a0\u2009\u202f](?=\d{3}(?!\d))")  # before NFKC turns the spaces into " "
# characters of Unicode category Cf that are invisible inside a word ("nec\u00adessary", "lan\u200btern")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# escapes as JSON strings and code write them: "\u00d7" is "×", a literal "\n" or "\t" separates words
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([nrt\"'])")
_ESCAPED = {"n": "\n", "r": " ", "t": "\t", '"': '"', "'": "'"}
# "France's" is "france" (a possessive or "is" clitic goes), "don't" is "dont" (after NFKC: "＇" is "'")
_INNER_APOSTROPHE = re.compile(r"['’ʼ](?<=[^\W\d_].)(?:s(?![^\W_])|(?=[^\W\d_]))")  # the apostrophe first: a fast scan
_MINUS = str.maketrans({"−": "-", "–": "-", "·": "×", "⋅": "×", "∙": "×"})


def _load_confusables() -> dict[int, str]:
    table = load_yaml_text(resources.files(__package__).joinpath("confusables.yaml").read_text(encoding="utf-8"))
    return {ord(k): str(v) for k, v in table.items()}


_CONFUSABLES = _load_confusables()
_HAS_CONFUSABLE = re.compile("[" + re.escape("".join(map(chr, _CONFUSABLES))) + "]")


def _load_wide_punctuation() -> dict[int, str]:
    table = load_yaml_text(resources.files(__package__).joinpath("wide_punctuation.yaml").read_text(encoding="utf-8"))
    return {ord(k): str(v) for k, v in table.items()}


_WIDE_PUNCTUATION = _load_wide_punctuation()


def ascii_marks(text: str) -> str:
    """`text` with the sentence marks of other scripts and widths as ASCII ones ("？" is "?", "。" is ".";
    `wide_punctuation.yaml`), so a reader finding questions by their marks reads them too."""
    return text if text.isascii() else text.translate(_WIDE_PUNCTUATION)


def _unescape(m: re.Match) -> str:
    return chr(int(m.group(1), 16)) if m.group(1) else _ESCAPED[m.group(2)]


def decode_escapes(text: str) -> str:
    """`text` with the escapes a JSON string or code writes read: "\\u00d7" is "×", a literal "\\n" a line break."""
    return _ESCAPE.sub(_unescape, text) if "\\" in text else text


# a word spelled out letter by letter, one separator throughout ("B-e-l-g-r-a-d-e", "B e l g r a d e", "B.e.l.g.r.a.d.e",
# "B - E - L ..."): three letters at least, so "e.g." and "a.m." stay as written
_SPELLED = re.compile(r"(?<![^\W_])[^\W\d_](?P<sep>[ \t]?[-.·‐–_][ \t]?|[ \t])[^\W\d_](?:(?P=sep)[^\W\d_])+(?![^\W_])")
_SPELLED_SEP = re.compile(r"[\s\-.·‐–_]+")


# a word broken over a line end with a hyphen ("Bel-\ngrade"), as typesetting breaks it
_BROKEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_])")


def joined_spellings(text: str) -> str:
    """`text` with every word spelled out letter by letter written whole: "Capital of Serbia? B-e-l-g-r-a-d-e" answers
    "Belgrade" as "Capital of Serbia? Belgrade" does (a reply spelling its answer out still gives it), and every word
    broken over a line end with a hyphen joined ("Bel-\ngrade" is "Belgrade")."""
    if "-" in text and "\n" in text:
        text = _BROKEN.sub("", text)
    return _SPELLED.sub(lambda m: _SPELLED_SEP.sub("", m.group(0)), text)


def words(text: str) -> list[str]:
    """Normalised word tokens of `text`: thousands separators dropped ("1,200" is "1200"), the minus sign and
    en dash read as "-" ("90 − 84" is "90 - 84"), invisible characters dropped and look-alike letters read as
    Latin ("Pаris" with a Cyrillic "а" is "paris"). A new list each call (callers may change it); the tokens of a
    text are kept for the next call with the same text (the corpus readers read one line or key many times)."""
    return list(_words(text))


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_tokens(text))


def _tokens(text: str) -> list[str]:
    text = decode_escapes(text)
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", _THOUSANDS.sub("", text)).translate(_MINUS).casefold()
    if "'" in text or "’" in text or "ʼ" in text:
        text = _INNER_APOSTROPHE.sub("", text)
    if not text.isascii() and _HAS_CONFUSABLE.search(text):
        text = text.translate(_CONFUSABLES)
    if ("," in text or ";" in text) and _LISTED_NUMBER_WORDS.search(text):
        return _listed_number_words(text)
    return _WORD.findall(text)


def _listed_number_words(text: str) -> list[str]:
    """`_WORD`'s words with the comma or semicolon between two numbers kept as a word of its own where a number word
    stands on either side ("five, seven" is ["five", ",", "seven"]); `_WORD` keeps it only between two digits."""
    out: list[str] = []
    last_end = 0
    for m in _WORD.finditer(text):
        gap = _SEPARATOR.search(text, last_end, m.start())
        if out and gap and out[-1] not in ",;" and _LISTED_NUMBER_WORDS.fullmatch(f"{out[-1]}{gap.group(0)}{m.group(0)}"):
            if not text[last_end : m.start()].strip(" \t,;") and text[last_end : m.start()].count(gap.group(0)) == 1:
                out.append(gap.group(0))
        out.append(m.group(0))
        last_end = m.end()
    return out


def normalized(text: str) -> str:
    """Normalised text: the words joined by single spaces (used for exact equality)."""
    return " ".join(words(text))


def number_tokens(tokens: list[str]) -> tuple[str, ...]:
    """Numbers and arithmetic symbols, in order: two prompts asking about different sums differ here."""
    return tuple(t for t in tokens if _DIGITS.search(t) or t in _SYMBOLS)
