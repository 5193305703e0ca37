"""One file named twice (or a validation file that is a training file) is refused, never read twice."""

from __future__ import annotations

import json
import shutil

import pytest

from picochat_hf.data.dataset_pack import import_dataset_pack
from picochat_hf.data.reasoning_import import import_reasoning_traces
from picochat_hf.data.sft_mixture import build_sft_mixture
from picochat_hf.utils.errors import PicochatInputError

GSM = {"question": "Natalia sold 48 clips in April and half as many in May. How many in all?",
       "answer": "In May 48/2 = <<48/2=24>>24.\nIn all 48+24 = <<48+24=72>>72.\n#### 72"}


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("same", ["path", "copy"])
def test_sft_mixture_val_file_that_is_the_train_file_is_refused(tmp_path, same):
    """`--gsm8k-file g.jsonl --gsm8k-val-file g.jsonl` made validation rows that are the training rows: a val loss
    on data the model trained on."""
    train = _jsonl(tmp_path / "g.jsonl", [GSM])
    val = train if same == "path" else shutil.copy(train, tmp_path / "g_copy.jsonl")
    with pytest.raises(PicochatInputError) as err:
        build_sft_mixture(tmp_path / "mix", source="offline", local_files={"gsm8k": train, "gsm8k_val": val},
                          simple_spelling_size=1, spelling_bee_size=1, identity_size=1)
    assert err.value.field == "gsm8k_val_file" and "gsm8k_file" in str(err.value)
    assert not (tmp_path / "mix").exists()


def test_reasoning_import_file_named_twice_is_refused(tmp_path):
    src = _jsonl(tmp_path / "t.jsonl", [{"question": "What is 2 plus 2?", "trace": "2 plus 2 is 4", "answer": "4"}])
    with pytest.raises(PicochatInputError) as err:
        import_reasoning_traces([src, tmp_path / "." / "t.jsonl"], tmp_path / "o", dedup=False)
    assert err.value.field == "input" and "twice" in str(err.value)
    assert not (tmp_path / "o").exists()


def test_data_import_file_named_twice_is_refused(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("A document long enough to be kept by the importer.\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        import_dataset_pack([src, str(src)], tmp_path / "pack")
    assert err.value.field == "input" and "twice" in str(err.value)
    assert not (tmp_path / "pack").exists()
