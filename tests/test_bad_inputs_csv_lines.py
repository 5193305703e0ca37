"""CSV rows are numbered by the line they start on, whatever blank lines and multi-line cells come before them: an
error (and a defaulted id, "<source>:<line>") names the line a person finds the row on."""

from __future__ import annotations

import pytest

from picochat_hf.data.readers import iter_data_records
from picochat_hf.data.row_formats import iter_rows
from picochat_hf.utils.errors import PicochatInputError


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_and_multiline_cells_keep_row_numbers(tmp_path, newline):
    lines = ["prompt,completion", "hi,there", "", '"two', 'lines",ok', "", "", "x,y", "  ,z"]
    path = tmp_path / "rows.csv"
    path.write_bytes(("\ufeff" + newline.join(lines) + newline).encode("utf-8"))
    got = [(line, r["prompt"]) for line, r in iter_data_records(path)]
    assert got == [(2, "hi"), (4, "two" + newline + "lines"), (8, "x"), (9, "  ")]


def test_an_error_after_blank_lines_names_the_rows_own_line(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("prompt,completion\nhi,there\n\n\nx,\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    assert (err.value.line, err.value.field) == (5, "completion")


def test_blank_lines_before_the_header(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("\n\nprompt,completion\nhi,there\n", encoding="utf-8")
    assert [line for line, _ in iter_data_records(path)] == [4]
    (tmp_path / "dup.csv").write_text("\nprompt,prompt\nhi,there\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        list(iter_data_records(tmp_path / "dup.csv"))
    assert (err.value.line, err.value.field) == (2, "prompt")


def test_a_row_with_more_cells_than_the_header_names_its_line(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("prompt,completion\n\nhi,there,extra\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        list(iter_data_records(path))
    assert err.value.line == 3 and "more field" in str(err.value)
