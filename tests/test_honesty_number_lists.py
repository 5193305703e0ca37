"""A bare arithmetic item ("Give the answer to 15 - 7." -> 8) is asked only with all its numbers: a list of negative
numbers ("[0, -1, ..., -7, -8, -9]", read as the CSV row "-7, -8") names one operand and the answer and asks
nothing. The default demo's eval rows for several seeds against the embedded corpus (the Python documentation,
whose `range()` examples hold such lists) must find no leak, or the demo's preflight blocks a clean run."""

from __future__ import annotations

import pytest
from test_honesty_leaks import FILLER, STORY, failing, row

SUB = row("e-sub", "Give the answer to 15 - 7.", normalized_answer="8", problem={"op": "-", "a": 15, "b": 7, "result": 8},
          group="math:-:15:7")
HOW = row("e-how", "How much is 11 - 5?", normalized_answer="6", problem={"op": "-", "a": 11, "b": 5, "result": 6})
RANGE = ">>> list(range(0, -10, -1))\n[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"


@pytest.mark.parametrize("doc", [
    RANGE,
    "-7, -8",
    "-5, -6",
    "7, 8, 9",
    "Offsets: -7 and -8.",
    "Step 7? 8 more to go.",
])
def test_one_operand_beside_the_answer_does_not_ask_a_bare_expression(doc):
    bad, rep = failing([SUB, HOW], corpus=[f"{FILLER}\n{doc}\n{FILLER}"])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("doc", "want"), [
    ("15 - 7, 8", {"e-sub"}),  # a CSV row asking the whole expression
    ("15 - 7: 8", {"e-sub"}),
    ("What is 15 - 7? 8.", {"e-sub"}),
    ("How much is 11 - 5? Six.", {"e-how"}),
    ("Quiz\n\nGive the answer to 15 - 7.\n8", {"e-sub"}),
    ("15 + 7: 8", set()),  # another operator: another question
    ("15 - 6: 8", set()),  # another operand
])
def test_the_whole_expression_with_its_answer_is_still_a_leak(doc, want):
    bad, rep = failing([SUB, HOW], corpus=[f"{FILLER}\n{doc}\n{FILLER}"])
    assert bad == want, rep["findings"]


def test_a_story_told_without_one_of_its_numbers_is_still_a_leak():
    doc = f"{FILLER} Xena starts the day with 90 balloons and sells most. How many balloons are unsold? 6. {FILLER}"
    bad, rep = failing([STORY], corpus=[doc])
    assert bad == {"e-story"}, rep["findings"]


def test_the_default_demo_eval_rows_do_not_leak_in_the_embedded_corpus(tmp_path):
    from picochat_hf.data.dataset_pack import import_dataset_pack
    from picochat_hf.data.default_corpus import iter_default_documents
    from picochat_hf.data.task_pack import build_task_pack
    from picochat_hf.demo import DemoConfig
    from picochat_hf.honesty.scan import scan
    from picochat_hf.honesty.sources import iter_corpus
    from picochat_hf.data.schema import iter_jsonl

    cfg = DemoConfig()
    pack = import_dataset_pack(None, tmp_path / "pack", documents=iter_default_documents())
    eval_rows = []
    for seed in range(6):  # seeds 0, 2 and 3 were blocked by the range() examples before the fix
        paths = build_task_pack(tmp_path / f"tp{seed}", dataset_pack=pack, profile=cfg.task_profile, sft_rows=32,
                                eval_rows=cfg.eval_rows, source="offline", answer_style=cfg.answer_style, seed=seed,
                                promote=False, train_profile=cfg.sft_profile or None)
        eval_rows += [{**r, "id": f"s{seed}-{r['id']}"} for _, r in iter_jsonl(paths["eval"])]
    rep = scan(eval_rows=eval_rows, sft_rows=[], corpus=lambda: iter_corpus([pack]), show_progress=False)
    leaks = [f for f in rep["findings"] if f["severity"] == "fail"]
    assert not leaks, leaks[:3]
