"""Best-fit packing: masks exact, rows well-formed, packed loss == token-weighted separate loss."""

from __future__ import annotations

import pytest
import torch
from train_fixtures import chat_rows, gpt2_model, llama_model, picochat_model, tokenizer

from picochat_hf.training.packing import IGNORE_INDEX, OverlongStats, PackingCollator, apply_overlong_policy, best_fit_rows
from picochat_hf.training.tokenize import tokenize_conversations


@pytest.fixture(scope="module")
def tokset():
    return tokenize_conversations(chat_rows(), tokenizer(), seq_len=128)


def test_best_fit_takes_largest_that_fits_and_places_everything_once():
    items = [(5, "a"), (3, "b"), (7, "c"), (2, "d"), (4, "e"), (6, "f")]
    rows = list(best_fit_rows(items, seq_len=10, buffer_size=10))
    # row 1: largest 7 (c), room 3 -> largest fitting is 3 (b); row 2: 6 (f) + 4 (e); row 3: 5 (a) + 2 (d)
    assert rows == [["c", "b"], ["f", "e"], ["a", "d"]]
    placed = sorted(x for r in rows for x in r)
    assert placed == sorted(x for _, x in items)


def test_best_fit_rejects_items_longer_than_a_row():
    with pytest.raises(ValueError, match="longer than a row"):
        list(best_fit_rows([(11, "x")], seq_len=10))


def test_collator_masks_are_exact(tokset):
    tok = tokenizer()
    examples = [tokset.dataset[i] for i in range(8)]
    collator = PackingCollator(tok.pad_token_id, seq_len=128)
    batch = collator(examples)
    assert "attention_mask" not in batch  # packed rows must rely on position_ids (hf_stack §2.5)
    ids, labels, pos = batch["input_ids"], batch["labels"], batch["position_ids"]
    assert ids.shape == labels.shape == pos.shape and ids.shape[1] == 128
    starts = (pos == 0).nonzero().tolist()
    seen = []
    for r in range(ids.shape[0]):
        row_starts = [c for rr, c in starts if rr == r]
        real = int((ids[r] != tok.pad_token_id).sum())
        doc_starts = [c for c in row_starts if c < real]
        bounds = [*doc_starts, real]
        for s, e in zip(bounds, bounds[1:]):
            assert ids[r, s] == tok.bos_token_id  # every conversation starts at its own BOS
            assert pos[r, s:e].tolist() == list(range(e - s))
            seen.append(ids[r, s:e].tolist())
            # labels equal the tokens exactly where the template marks assistant tokens, else -100
            ex = next(x for x in examples if x["input_ids"] == ids[r, s:e].tolist())
            expected = [IGNORE_INDEX, *ex["labels"][1:]]
            assert labels[r, s:e].tolist() == expected
        assert (labels[r, real:] == IGNORE_INDEX).all()  # padding unsupervised
    assert sorted(seen) == sorted(x["input_ids"] for x in examples)  # whole conversations, each once


def test_supervised_tokens_are_assistant_text_and_end_marker():
    tok = tokenizer()
    row = {"id": "x", "category": "c", "messages": [
        {"role": "user", "content": "Hi there"}, {"role": "assistant", "content": "Hello."},
        {"role": "user", "content": "Again"}, {"role": "assistant", "content": "Yes."}]}
    ts = tokenize_conversations([row], tok, seq_len=128)
    ex = ts.dataset[0]
    supervised = tok.decode([t for t, lab in zip(ex["input_ids"], ex["labels"]) if lab != IGNORE_INDEX])
    assert supervised == "Hello.<|assistant_end|>Yes.<|assistant_end|>"


def test_overlong_policy_is_counted():
    stats = OverlongStats(policy="truncate", seq_len=4)
    assert apply_overlong_policy([1, 2, 3, 4, 5, 6], [-100, 2, 3, 4, 5, 6], 4, "truncate", stats) == ([1, 2, 3, 4], [-100, 2, 3, 4])
    assert stats.truncated == 1 and stats.tokens_cropped == 2
    # truncation that leaves no supervised token drops the example, counted separately
    assert apply_overlong_policy([1, 2, 3, 4, 5], [-100, -100, -100, -100, 5], 4, "truncate", stats) is None
    assert stats.dropped_no_supervised == 1
    drop = OverlongStats(policy="drop", seq_len=4)
    assert apply_overlong_policy([1, 2, 3, 4, 5], [-100, 2, 3, 4, 5], 4, "drop", drop) is None
    assert drop.dropped_too_long == 1 and drop.tokens_dropped == 5 and drop.kept == 0


def test_tokenize_conversations_reports_truncation():
    ts = tokenize_conversations(chat_rows(), tokenizer(), seq_len=50, overlong="drop")
    assert ts.stats.dropped_too_long > 0
    assert max(ts.lengths) <= 50
    assert ts.stats.kept == len(ts.lengths)
    assert ts.stats.kept + ts.stats.dropped_too_long + ts.stats.dropped_no_supervised == ts.stats.seen


def _separate_loss(model, examples):
    total, count = 0.0, 0
    for ex in examples:
        ids = torch.tensor([ex["input_ids"]])
        labels = torch.tensor([ex["labels"]])
        labels[0, 0] = IGNORE_INDEX
        n = int((labels[0, 1:] != IGNORE_INDEX).sum())
        with torch.no_grad():
            total += model(input_ids=ids, labels=labels, use_cache=False).loss.item() * n
        count += n
    return total / count


@pytest.mark.parametrize("build", [picochat_model, llama_model, gpt2_model], ids=["picochat", "llama", "gpt2"])
def test_packed_loss_equals_token_weighted_separate_loss(tokset, build):
    model = build().eval()
    examples = [tokset.dataset[i] for i in range(10)]
    batch = PackingCollator(tokenizer().pad_token_id, seq_len=128)(examples)
    assert batch["input_ids"].shape[0] < len(examples)  # really packed
    # use_cache=False as in training (TRL sets it): a live cache also disables packed-sequence detection
    inputs = {k: batch[k] for k in ("input_ids", "labels", "position_ids")}
    with torch.no_grad():
        packed = model(**inputs, use_cache=False).loss.item()
    assert packed == pytest.approx(_separate_loss(model, examples), rel=1e-5)
    # the padding baseline gives the same number
    padded = PackingCollator(tokenizer().pad_token_id, seq_len=128, packing="none")(examples)
    with torch.no_grad():
        base = model(**{k: padded[k] for k in ("input_ids", "labels", "attention_mask")}, use_cache=False).loss.item()
    assert base == pytest.approx(packed, rel=1e-5)


def test_all_ones_attention_mask_would_leak_across_conversations(tokset):
    """Guards the design choice: with an attention_mask the packed loss no longer matches."""
    model = llama_model().eval()
    examples = [tokset.dataset[i] for i in range(10)]
    batch = PackingCollator(tokenizer().pad_token_id, seq_len=128)(examples)
    inputs = {k: batch[k] for k in ("input_ids", "labels", "position_ids")}
    with torch.no_grad():
        leaky = model(**inputs, attention_mask=torch.ones_like(batch["input_ids"]), use_cache=False).loss.item()
    assert leaky != pytest.approx(_separate_loss(model, examples), rel=1e-5)


def test_template_without_generation_markers_is_an_error_not_a_silent_empty_loss():
    import copy

    from picochat_hf.utils.errors import PicochatInputError

    tok = copy.deepcopy(tokenizer())
    tok.chat_template = "{{ bos_token }}{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    with pytest.raises(PicochatInputError, match="generation"):
        tokenize_conversations(chat_rows()[:3], tok, seq_len=128)
