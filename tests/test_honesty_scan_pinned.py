"""The scan's findings on a built corpus, pinned: the embedded default corpus with planted pages, and SFT rows
with planted copies. A change made for speed must leave every finding as it was (kind, item, document, value)."""

from __future__ import annotations

from test_honesty_leaks import AUTHOR, CLEAN_SFT, FILLER, KEYED, row

from picochat_hf.data.default_corpus import iter_default_documents
from picochat_hf.honesty import scan

CAPITAL = row("e-free", "What is the capital of Serbia?", skill="general", reference_answer="Belgrade")
PLANTED = [
    ("planted/bracket", f"{FILLER}\nCapital of Serbia (Belgrade)\n{FILLER}"),  # a key with its value in brackets
    ("planted/card", f"{FILLER}\n\nMoby-Dick author?\nHerman Melville.\n\n{FILLER}"),  # question, answer on the next line
    ("planted/turned", f"{FILLER}\nwin: the opposite of \"lose\"\n{FILLER}"),  # a card turned over
    ("planted/rejected", f"{FILLER} Capital of Serbia? Not Belgrade. {FILLER}"),  # the answer rejected: nothing
    ("planted/sum", f"{FILLER} What is 23 + 34? 57. {FILLER}"),
]
SFT = [row("s-km", "How far is 7 km in meters?", "7000 meters.", skill="general"),
       row("s-story", "Xena had 90 balloons and sold 84 of them; how many remain?", "6 balloons remain.", skill="general"),
       row("s-other", "Capital of Hungary?", "Budapest.", skill="general")]


def test_findings_on_the_default_corpus_with_planted_pages_are_pinned():
    def corpus():
        yield from ((d["id"], d["text"]) for d in iter_default_documents(max_documents=60))
        yield from PLANTED

    rep = scan(eval_rows=[*KEYED, AUTHOR, CAPITAL], sft_rows=[*CLEAN_SFT, *SFT], corpus=corpus, show_progress=False)
    got = sorted((f["severity"], f["kind"], f["eval_id"], str(f["reference"]), str(f["value"])) for f in rep["findings"])
    assert got == PINNED, got
    assert (rep["counts"]["boilerplate_ngrams"], rep["counts"]["support_phrases"], rep["status"]) == PINNED_COUNTS


PINNED = [
    ('fail', 'corpus_prompt_with_answer', 'e-math', 'corpus', 'planted/sum'),
    ('fail', 'corpus_signature_with_answer', 'e-antonym', 'corpus', 'planted/turned'),
    ('fail', 'corpus_signature_with_answer', 'e-author', 'corpus', 'planted/card'),
    ('fail', 'corpus_signature_with_answer', 'e-capital', 'corpus', 'planted/bracket'),
    ('fail', 'corpus_signature_with_answer', 'e-free', 'corpus', 'planted/bracket'),
    ('fail', 'corpus_signature_with_answer', 'e-math', 'corpus', 'planted/sum'),
    ('fail', 'corpus_signature_with_answer', 'e-math', 'corpus', 'planted/sum'),
    ('fail', 'sft_signature_with_answer', 'e-story', 'sft', 's-story'),
    ('fail', 'sft_signature_with_answer', 'e-units', 'sft', 's-km'),
    ('warn', 'near_sft_prompt', 'e-spell', 'sft', '0.8406'),
]
PINNED_COUNTS = (1, 0, "blocked")
