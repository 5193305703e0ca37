"""Markdown tables in a prompt, an answer or a corpus document.

A choice item may be copied as a table that letters its options ("| A | B |" over "| Lima | Oslo |", or one
"| A | Lima |" row per option): `tables_as_options` writes such a table as option lines ("A. Lima") for the option
readers. A question may be asked in a table without a "?": a cell asking it with its answer in the next cell
("| Capital of Serbia | Belgrade |") or a header cell asking it over its answer ("| Capital of Serbia |" over
"| Belgrade |"): `table_pairs` gives those (question, answer) pairs to the question reader (`corpus_questions.py`), and
`csv_pairs` the same pairs of delimited lines ("Capital of Serbia,Belgrade").
The table syntax (the cell separator, the header rule, the characters around a label) is data, `tables.yaml`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from .items import LETTERS
from ..utils.yaml_text import load_yaml_text


@dataclass(frozen=True)
class TableSyntax:
    separator: str
    rule_row: re.Pattern
    label_strip: str
    html_row: re.Pattern  # one HTML table row, its cells in group 1
    html_cell: re.Pattern  # one cell: its tag in group 1, its content in group 2
    html_header: str
    html_frame: re.Pattern  # a tag framing the rows ("<table>", "</tbody>"), with its line when it stands alone on it
    csv_delimiters: tuple[str, ...] = ()


def _load_syntax() -> TableSyntax:
    data = load_yaml_text(resources.files(__package__).joinpath("tables.yaml").read_text(encoding="utf-8"))
    row, tags = re.escape(data["html_row_tag"]), "|".join(map(re.escape, data["html_cell_tags"]))
    frame = r"</?(?:" + "|".join(map(re.escape, data["html_frame_tags"])) + r")\b[^>]*>"
    return TableSyntax(str(data["cell_separator"]), re.compile(data["rule_row"]), str(data["label_strip"]),
                       re.compile(rf"<{row}\b[^>]*>(.*?)</{row}\s*>", re.IGNORECASE | re.DOTALL),
                       re.compile(rf"<({tags})\b[^>]*>(.*?)</(?:{tags})\s*>", re.IGNORECASE | re.DOTALL), str(data["html_header_tag"]).lower(),
                       re.compile(rf"^[ \t]*{frame}[ \t]*\n?|{frame}", re.IGNORECASE | re.MULTILINE),
                       tuple(str(d) for d in data.get("csv_delimiters") or ()))


SYNTAX = _load_syntax()


_TAG = re.compile(r"<[^>]*>")


def _html_row(cells_html: str) -> list[str]:
    """The markdown lines of one HTML table row: the row, and a rule line after a row of header cells."""
    found = SYNTAX.html_cell.findall(cells_html)
    texts = [" ".join(_TAG.sub(" ", c).replace(SYNTAX.separator, " ").split()) for _, c in found]
    sep = f" {SYNTAX.separator} "
    lines = [f"{SYNTAX.separator} {sep.join(texts)} {SYNTAX.separator}"]
    if all(tag.lower() == SYNTAX.html_header for tag, _ in found):
        lines.append(SYNTAX.separator + SYNTAX.separator.join(["---"] * len(found)) + SYNTAX.separator)
    return lines


def html_as_markdown(text: str) -> str:
    """`text` with every HTML table row written as a markdown row on a line of its own ("<tr><td>Lima</td><td>Oslo</td>
    </tr>" is "| Lima | Oslo |"; a row of header cells gets a rule line after it), rows next to each other one table."""
    if "<" not in text:
        return text
    out, last, run = [], 0, []

    def flush(after: str) -> None:  # the rows on lines of their own, adding no blank line (a question stays in its paragraph)
        before = "" if not out or out[-1].endswith("\n") else "\n"
        out.append(before + "\n".join(run) + ("" if after.startswith("\n") else "\n"))

    for m in SYNTAX.html_row.finditer(text):
        if not SYNTAX.html_cell.search(m.group(1)):
            continue
        if run and text[last : m.start()].strip():
            flush(text[last : m.start()])
            run = []
        if not run:
            out.append(text[last : m.start()])
        run += _html_row(m.group(1))
        last = m.end()
    if run:
        flush(text[last:])
    return SYNTAX.html_frame.sub("", "".join(out) + text[last:]) if out else text


def cells(line: str) -> list[str] | None:
    """The cells of a table row ("| Lima | Oslo |" or "Lima | Oslo"), None for a line without a cell separator."""
    row, sep = line.strip(), SYNTAX.separator
    if sep not in row:
        return None
    row = row[len(sep):] if row.startswith(sep) else row
    row = row[: -len(sep)] if row.endswith(sep) else row
    return [c.strip() for c in row.split(sep)]


def tables(text: str) -> list[tuple[list[list[str]], bool]]:
    """Every run of table rows in `text`: (its rows without the header rule, whether a header rule follows its first
    row)."""
    out: list[tuple[list[list[str]], bool]] = []
    run: list[str] = []
    for line in [*text.split("\n"), ""]:
        if cells(line) is not None:
            run.append(line)
            continue
        if run:
            rules = [SYNTAX.rule_row.match(ln) is not None for ln in run]
            out.append(([cells(ln) for ln, r in zip(run, rules) if not r], len(run) > 1 and rules[1] and not rules[0]))
        run = []
    return out


def _label_run(row: list[str]) -> str | None:
    """"ABCD" or "1234" when the cells are option labels in order from A or 1 ("A", "(B)", "c)", "4.")."""
    labels = [c.strip(SYNTAX.label_strip).upper() for c in row]
    for seq in (LETTERS, "123456789"):
        if len(labels) >= 2 and labels == list(seq[: len(labels)]):
            return seq
    return None


def _table_options(rows: list[list[str]]) -> list[str] | None:
    """Lettered option lines of a table: a header of labels over one row, the options ("| A | B |" / "| Lima | Oslo |";
    over more rows the labels name columns), or one option per row after its label ("| A | Lima |"); None for any other."""
    seq = _label_run(rows[0]) if len(rows) == 2 else None
    if seq and len(rows[1]) == len(rows[0]) and all(rows[1]):
        return [f"{LETTERS[i] if seq == LETTERS else i + 1}. {c}" for i, c in enumerate(rows[1])]
    body = [r for r in rows if len(r) >= 2]
    k = next((i for i, r in enumerate(body) if r[0].strip(SYNTAX.label_strip).upper() in ("A", "1")), None)
    if k is not None and _label_run([r[0] for r in body[k:]]) and all(" ".join(r[1:]).strip() for r in body[k:]):
        return [f"{r[0].strip(SYNTAX.label_strip).upper()}. {' '.join(c for c in r[1:] if c)}" for r in body[k:]]
    return None


def tables_as_options(text: str) -> str:
    """`text` with every markdown table that letters or numbers its options written as option lines ("A. Lima"), so
    a choice item relettered or reordered inside a table reads as one written in lines (an HTML table too)."""
    text = html_as_markdown(text)
    if SYNTAX.separator not in text:
        return text
    lines, out, k = text.split("\n"), [], 0
    while k < len(lines):
        j = k
        while j < len(lines) and cells(lines[j]) is not None:
            j += 1
        rows = [c for c in (cells(ln) for ln in lines[k:j]) if c is not None and not SYNTAX.rule_row.match(SYNTAX.separator.join(c))]
        options = _table_options(rows) if j - k >= 2 else None
        out += options if options else lines[k : max(j, k + 1)]
        k = max(j, k + 1)
    return "\n".join(out)


def _row_pairs(filled: list[str]) -> list[tuple[str, str]]:
    """Each cell with the next one, and the cells before a cell joined as a path of keys over it ("| Serbia | capital |
    Belgrade |" asks "Serbia capital")."""
    return list(zip(filled, filled[1:])) + [(" ".join(filled[:k]), filled[k]) for k in range(2, len(filled))]


def table_pairs(text: str) -> list[tuple[str, str]]:
    """(question, answer) cell pairs of every table in `text`: each cell with the next non-empty cell of its row (and
    with the cells before it, `_row_pairs`), and under a header rule each header cell with the cell below it in every row."""
    out: list[tuple[str, str]] = []
    text = html_as_markdown(text)
    if SYNTAX.separator not in text:
        return out
    for rows, headed in tables(text):
        for row in rows:
            out += _row_pairs([c for c in row if c])
        if headed:
            out += _headed_pairs(rows[0], rows[1:])
    return out


def _headed_pairs(header: list[str], rows: list[list[str]]) -> list[tuple[str, str]]:
    """Each header cell over the cell below it, and a row's first cell with the header of a later cell over that cell:
    "| country | capital |" over "| Serbia | Belgrade |" asks "Serbia capital" (the header names the relation, the row
    its entity), as "Serbia - capital: Belgrade" does."""
    out = [(h, r[j]) for r in rows for j, h in enumerate(header) if j < len(r) and h and r[j]]
    return out + [(f"{r[0]} {h}", r[j]) for r in rows if r and r[0] for j, h in enumerate(header) if 0 < j < len(r) and h and r[j]]


_SENTENCE_END = re.compile(r"[.?!](?=\s|$)")


def _csv_row(line: str) -> list[str] | None:
    """The fields of a delimited line ("Capital of Serbia,Belgrade"), None for a line of prose (a sentence end in it)."""
    if _SENTENCE_END.search(line):
        return None
    for delimiter in SYNTAX.csv_delimiters:
        if delimiter in line:
            fields = next(csv.reader([line.strip()], delimiter=delimiter, skipinitialspace=True), [])
            if len([f for f in fields if f.strip()]) >= 2:
                return [f.strip() for f in fields]
    return None


def _delimited_pairs(text: str, row_pairs: Callable[[list[str]], list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(question, answer) pairs of the delimited lines of `text`: `row_pairs` of each row's non-empty fields, and in a run
    of rows with as many fields each the first row's field over the field below it, as a header (`_headed_pairs`)."""
    if not any(d in text for d in SYNTAX.csv_delimiters):
        return []
    out: list[tuple[str, str]] = []
    run: list[list[str]] = []
    for line in [*text.split("\n"), ""]:
        row = _csv_row(line)
        if row is not None:
            out += row_pairs([f for f in row if f])
            if run and len(row) == len(run[0]):
                out += _headed_pairs(run[0], [row])
                run.append(row)
                continue
        run = [row] if row is not None else []
    return out


def csv_pairs(text: str) -> list[tuple[str, str]]:
    """(question, answer) field pairs of delimited lines, as for a table: each field with the next non-empty field of
    its row, and in a run of rows with as many fields each the first row's field over the field below it, as a header
    (`_headed_pairs`: "country,capital" over "Serbia,Belgrade" asks "Serbia capital")."""
    return _delimited_pairs(text, _row_pairs)


def _last_two(filled: list[str]) -> list[tuple[str, str]]:
    """A row's last two non-empty cells, as (key, value) (`_csv_row` gives two at least)."""
    return [(filled[-2], filled[-1])]


def row_end_pairs(text: str) -> list[tuple[str, str]]:
    """(key, value) pairs of tables and delimited lines where the value ends its row: each row's last two non-empty cells
    ("| 3 | animal | deer |" and "animal,deer" give ("animal", "deer")) and, as in `table_pairs` and `csv_pairs`, each
    header cell over the cell below it (`_headed_pairs`). A cell with more cells after it is one entry of a list ("animal,
    deer,fox" lists category words; it pairs no key with "deer"), as "animal: deer, fox" is one."""
    out: list[tuple[str, str]] = []
    md = html_as_markdown(text)
    for rows, headed in tables(md) if SYNTAX.separator in md else ():
        out += [(f[-2], f[-1]) for f in ([c for c in row if c] for row in rows) if len(f) >= 2]
        out += _headed_pairs(rows[0], rows[1:]) if headed else []
    return out + _delimited_pairs(text, _last_two)
