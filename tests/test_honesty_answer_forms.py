"""An item's answer given in another form than its text: spelled out letter by letter ("B-e-l-g-r-a-d-e", "B e l g
r a d e"), beside another name of it ("Belgrade, or Beograd", "Belgrade/Beograd"), or chosen by its position among
alternatives the question offers ("Belgrade or Budapest?" -> "The first one."). Each leak has its near misses beside
it: another answer in the same form, the answer rejected, a hedge between two answers, the other position."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, failing, row

LEAKS = [
    ("Capital of Serbia?", "B-e-l-g-r-a-d-e"),
    ("Capital of Serbia?", "B e l g r a d e."),
    ("Capital of Serbia?", "B.e.l.g.r.a.d.e"),
    ("CAPITAL OF SERBIA?", "B - E - L - G - R - A - D - E !"),
    ("Capital of Serbia?", "It is spelled b-e-l-g-r-a-d-e."),
    ("Capital of Serbia?", "Belgrade, or Beograd"),
    ("Capital of Serbia?", "Belgrade/Beograd"),
    ("Capital of Serbia?", "Beograd or Belgrade."),
    ("Capital of Serbia — Belgrade or Budapest?", "The first one."),
    ("Capital of Serbia: Budapest or Belgrade?", "The second."),
    ("Is the capital of Serbia Budapest or Belgrade?", "The latter."),
    ("Capital of Serbia: Belgrade, Budapest or Baghdad?", "I'd say the first one."),
]
CLEAN = [
    ("Capital of Serbia?", "B-u-d-a-p-e-s-t"),  # another answer spelled out
    ("Capital of Serbia?", "Not B-e-l-g-r-a-d-e."),  # the answer spelled out and rejected
    ("Capital of Serbia?", "B-e-l-g-r-a-d"),  # another word
    ("Capital of Serbia?", "Belgrade or Budapest."),  # a hedge between two answers
    ("Capital of Serbia?", "Belgrade/Budapest"),
    ("Capital of Serbia?", "Belgrade/Beograd or Budapest"),
    ("Capital of Serbia — Belgrade or Budapest?", "The second one."),  # the other position
    ("Capital of Serbia — Belgrade or Budapest?", "Not the first one."),
    ("Capital of Hungary — Belgrade or Budapest?", "The first one."),  # another question
    ("Capital of Serbia — Budapest or Baghdad?", "The first one."),
]


@pytest.mark.parametrize(("prompt", "reply"), LEAKS)
def test_the_answer_spelled_out_beside_an_alias_or_chosen_by_position_is_a_leak(prompt, reply):
    assert corpus_leaks(f"{prompt} {reply}") == SERBIAN
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad == SERBIAN, rep["findings"]


@pytest.fixture(scope="module")
def clean_scans():
    """One corpus scan and one SFT scan of every near miss, each in a document or row of its own."""
    _, corpus = failing(ITEMS, corpus=[f"{FILLER}\n{p} {r}\n{FILLER}" for p, r in CLEAN])
    _, sft = failing(ITEMS, sft=[row(f"r{k}", p, r, skill="general") for k, (p, r) in enumerate(CLEAN)])
    return corpus, sft


@pytest.mark.parametrize("k", range(len(CLEAN)), ids=[f"{p} {r}" for p, r in CLEAN])
def test_another_answer_in_the_same_form_a_hedge_or_the_other_position_is_not_a_leak(clean_scans, k):
    corpus, sft = clean_scans
    assert not [f for f in corpus["findings"] if f["severity"] == "fail" and str(f["value"]) == f"d{k}"], corpus["findings"]
    assert not [f for f in sft["findings"] if f["severity"] == "fail" and str(f["reference"]) == f"r{k}"], sft["findings"]


@pytest.mark.parametrize(("yaml_text", "field"), [
    ("choice_positions:\n  fifth: [fifth]\n", "choice_positions.fifth"),  # a place the reader does not know
    ("choice_positions:\n  first: first\n", "choice_positions.first"),  # not a list
    ("choice_positions: [first]\n", "choice_positions"),
    ("choice_alias_similarity: 1.5\n", "choice_alias_similarity"),
])
def test_a_bad_position_or_alias_setting_names_its_field(tmp_path, yaml_text, field):
    from picochat_hf.honesty import load_scan_config
    from picochat_hf.utils.errors import PicochatInputError

    (tmp_path / "bad.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        load_scan_config(tmp_path / "bad.yaml")
    assert field in str(err.value) and "bad.yaml" in str(err.value)
