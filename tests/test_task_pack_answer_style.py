"""The task pack's report states the math/spelling answer style its rows use, not the one asked for: a release pack
has no math or spelling rows, so `--skill-answer-style scratchpad` (the default) changes nothing there."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.task_pack import build_task_pack


@pytest.mark.parametrize("profile,style,expected", [
    ("release", "scratchpad", None),
    ("release", "direct", None),
    ("capability", "scratchpad", "scratchpad"),
    ("capability", "direct", "direct"),
])
def test_the_reported_answer_style_is_the_rows_own(tmp_path, profile, style, expected):
    paths = build_task_pack(tmp_path / "p", profile=profile, sft_rows=60, eval_rows=20, answer_style=style, promote=False)
    report = json.loads(paths["report_json"].read_text())
    rows = [json.loads(x) for f in (paths["sft"], paths["eval"]) for x in f.read_text().splitlines()]
    used = {r["answer_style"] for r in rows if r["skill"] in ("math", "spelling")}
    assert used == ({expected} if expected else set())
    assert report["answer_style"] == expected and report["answer_style_requested"] == style
    md = paths["report_md"].read_text()
    assert (f"answer style {expected}" in md) if expected else ("no math or spelling rows" in md and style not in md.split("\n")[2])
