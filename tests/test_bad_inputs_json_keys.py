"""JSON a user hands the model and training code is read as strictly as the manifests: an object naming a key twice
is refused with its file, line and key (Python keeps the last value, other readers the first), and a file that is no
JSON object, or no JSON at all, is one line naming the file instead of a traceback."""

from __future__ import annotations

import json

import pytest

from picochat_hf.training.stream import STREAM_FILE, check_stream_resume
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.model_files import check_model_config, check_model_folder, check_tokenizer_folder

from helpers_model import tiny_config, tiny_model

IDENTITY = {"train_shards_sha256": "ab" * 32, "seed": 0, "max_length": 64, "packing_buffer": 100, "rows_per_step": 4}


def _stream_file(folder, text: str):
    (folder / STREAM_FILE).write_text(text, encoding="utf-8")
    return folder / STREAM_FILE


def test_a_stream_record_that_names_a_key_twice_is_refused_even_when_its_last_value_matches(tmp_path):
    body = json.dumps(IDENTITY, indent=1)
    text = body.replace('"seed": 0,', '"seed": 9,\n "seed": 0,')  # the first value says another seed
    _stream_file(tmp_path, text)
    with pytest.raises(PicochatInputError, match="appears twice") as err:
        check_stream_resume(tmp_path, IDENTITY)
    assert err.value.field == "seed" and err.value.line == 4 and err.value.path.endswith(STREAM_FILE)


def test_a_stream_record_that_names_a_nested_key_twice_is_refused(tmp_path):
    _stream_file(tmp_path, json.dumps({**IDENTITY, "extra": {"a": 1}})[:-2] + ', "a": 2}}')
    with pytest.raises(PicochatInputError, match="appears twice") as err:
        check_stream_resume(tmp_path, IDENTITY)
    assert err.value.field == "a"


def test_the_same_stream_record_without_the_repeat_resumes(tmp_path):
    _stream_file(tmp_path, json.dumps(IDENTITY, indent=1))
    check_stream_resume(tmp_path, IDENTITY)
    _stream_file(tmp_path, "\ufeff" + json.dumps(IDENTITY, indent=1).replace("\n", "\r\n"))  # BOM and CRLF
    check_stream_resume(tmp_path, IDENTITY)


@pytest.mark.parametrize(("text", "reason"), [("[1, 2]", "JSON object"), ('{"seed": 0,', "malformed JSON"),
                                              ("", "malformed JSON"), ("\xff", "malformed JSON")])
def test_a_stream_record_that_is_no_json_object_is_one_line_naming_the_file(tmp_path, text, reason):
    _stream_file(tmp_path, text)
    with pytest.raises(PicochatInputError, match=reason) as err:
        check_stream_resume(tmp_path, IDENTITY)
    assert err.value.path.endswith(STREAM_FILE)


@pytest.mark.parametrize("value", ["NaN", "Infinity", '"0"', "0.0", "true", "null"])
def test_a_stream_record_with_a_value_of_another_type_is_another_stream(tmp_path, value):
    _stream_file(tmp_path, json.dumps(IDENTITY).replace('"seed": 0', f'"seed": {value}'))
    with pytest.raises(PicochatInputError) as err:
        check_stream_resume(tmp_path, IDENTITY)
    assert err.value.field == "seed"


@pytest.fixture
def model_dir(tmp_path):
    tiny_model(seed=1).save_pretrained(tmp_path / "model")
    return tmp_path / "model"


def _repeat(path, key: str, first: object) -> None:
    """Put `"key": first` right before the key's own line in a pretty-printed JSON file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(f'"{key}"'))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at, f"{indent}{json.dumps(key)}: {json.dumps(first)},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("key", "first"), [("vocab_size", 50000), ("smear", True), ("model_type", "llama"),
                                            ("rope_theta", 1.0)])
def test_a_config_json_that_names_a_key_twice_is_refused_with_its_line(model_dir, key, first):
    config = model_dir / "config.json"
    _repeat(config, key, first)
    line = next(i for i, text in enumerate(config.read_text().splitlines(), 1) if text.strip().startswith(f'"{key}"'))
    for check in (check_model_config, check_model_folder):
        with pytest.raises(PicochatInputError, match="appears twice") as err:
            check(model_dir)
        assert (err.value.field, err.value.line, err.value.path) == (key, line + 1, str(config))


def test_a_config_json_with_a_bom_or_crlf_is_read_as_transformers_reads_it(model_dir):
    config = model_dir / "config.json"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\n", "\r\n"), encoding="utf-8", newline="")
    check_model_folder(model_dir)
    config.write_text("\ufeff" + text, encoding="utf-8")  # transformers' config reader fails on a BOM
    with pytest.raises(PicochatInputError) as err:
        check_model_config(model_dir)
    assert err.value.path == str(config)


def test_the_weight_index_and_adapter_config_are_read_strictly_too(model_dir):
    index = model_dir / "model.safetensors.index.json"
    index.write_text('{"metadata": {},\n "weight_map": {"lm_head.weight": "model.safetensors",\n'
                     ' "lm_head.weight": "other.safetensors"}}', encoding="utf-8")
    with pytest.raises(PicochatInputError, match="appears twice") as err:
        check_model_folder(model_dir)
    assert (err.value.field, err.value.line) == ("lm_head.weight", 3)
    index.unlink()
    (model_dir / "adapter_config.json").write_text('{"r": 8,\n"r": 16}', encoding="utf-8")
    with pytest.raises(PicochatInputError, match="appears twice") as err:
        check_model_config(model_dir)
    assert (err.value.field, err.value.line) == ("r", 2)


def test_a_tokenizer_config_that_names_a_key_twice_is_refused(tmp_path):
    (tmp_path / "tokenizer_config.json").write_text('{"eos_token": "<|end|>",\n "eos_token": "<|bos|>"}', encoding="utf-8")
    with pytest.raises(PicochatInputError, match="appears twice") as err:
        check_tokenizer_folder(tmp_path)
    assert (err.value.field, err.value.line) == ("eos_token", 2)


def test_a_model_config_string_that_names_a_key_twice_is_refused():
    from picochat_hf.training.config import PicochatPretrainConfig

    with pytest.raises(PicochatInputError, match="appears twice") as err:
        PicochatPretrainConfig(output_dir="out", model_config='{"hidden_size": 64, "hidden_size": 128}')
    assert err.value.field == "model_config.hidden_size"


def test_a_config_of_every_field_round_trips_through_the_strict_reader(model_dir):
    data = json.loads((model_dir / "config.json").read_text())
    assert data["vocab_size"] == tiny_config().vocab_size
    check_model_folder(model_dir)


def test_a_task_pack_report_that_records_a_hash_twice_vouches_for_neither_file(tmp_path):
    from picochat_hf.data import task_pack as tp
    from picochat_hf.data.schema import iter_jsonl

    paths = tp.build_task_pack(tmp_path / "tp", sft_rows=32, eval_rows=16, seed=1)
    assert sum(1 for _ in iter_jsonl(paths["eval"])) == 16  # the honest pack reads
    report = paths["report_json"]
    data = json.loads(report.read_text())
    forged = json.dumps({"sha256": {"eval": "0" * 64}}, indent=1)[1:-2]  # the same key, another hash, first
    text = "{" + forged + ",\n" + json.dumps(data, indent=1)[1:]
    report.write_text(text, encoding="utf-8")
    second = [i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith('"sha256"')][1]
    with pytest.raises(PicochatInputError, match="unreadable task-pack report.*appears twice") as err:
        list(iter_jsonl(paths["eval"]))
    assert err.value.field == "sha256" and err.value.line == second  # the repeated key's own line
