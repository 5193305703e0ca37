"""Containers users bring: folders of JSON lines / parquet shards (with `train`/`test` file names), compressed
JSON, a byte-order mark, CRLF, trailing blank lines, a JSON array with a trailing comma. Each reads as its exact
rows, or is refused naming the shard, its line and the field."""

from __future__ import annotations

import gzip
import json

import pytest
from train_fixtures import stub_preflight, tokenizer

from picochat_hf.cli import main as cli_main
from picochat_hf.data.datasets_source import iter_dataset_rows, load_records
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError

ROWS = [{"prompt": f"What is {a} plus {a}?", "completion": f"{2 * a}."} for a in range(1, 7)]


def _turns(a: int) -> list[dict]:
    return [{"role": "user", "content": f"What is {a} plus {a}?"}, {"role": "assistant", "content": f"{2 * a}."}]


def _jsonl(records: list[dict], end: str = "\n") -> str:
    return "".join(json.dumps(r) + end for r in records)


@pytest.fixture(autouse=True)
def ready_gate(monkeypatch):
    stub_preflight(monkeypatch, "ready")


def _shards(folder, kind: str = "jsonl"):
    folder.mkdir()
    for i, part in enumerate((ROWS[:3], ROWS[3:])):
        if kind == "jsonl":
            (folder / f"part-{i}.jsonl").write_text(_jsonl(part), encoding="utf-8")
        else:
            from datasets import Dataset

            Dataset.from_list(part).to_parquet(str(folder / f"train-0000{i}-of-00002.parquet"))
    return folder


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_a_folder_of_shards_reads_every_row_in_order(tmp_path, kind):
    folder = _shards(tmp_path / "shards", kind)
    rows = list(iter_dataset_rows(str(folder)))
    assert [r["messages"] for r in rows] == [_turns(a) for a in range(1, 7)]


def test_a_bad_row_in_a_shard_names_the_shard_and_its_line(tmp_path):
    """Errors named the folder and a row number counted across shards (`shards[train]:5`)."""
    folder = _shards(tmp_path / "shards")
    (folder / "part-1.jsonl").write_text("\n" + _jsonl([ROWS[3], {"prompt": "What is 5 plus 5?", "completion": ""}]))
    with pytest.raises(PicochatInputError) as err:
        list(iter_dataset_rows(str(folder)))
    assert (err.value.path, err.value.line, err.value.field) == (str(folder / "part-1.jsonl"), 3, "completion")


def test_malformed_json_in_a_shard_names_the_shard_and_its_line(tmp_path):
    """`datasets` reported `could not load dataset (DatasetGenerationError ...)`, naming neither file nor line."""
    folder = _shards(tmp_path / "shards")
    (folder / "part-1.jsonl").write_text(_jsonl(ROWS[3:5]) + '{"prompt": "What is 6 plus 6?",\n')
    with pytest.raises(PicochatInputError) as err:
        list(load_records(str(folder)))
    assert (err.value.path, err.value.line) == (str(folder / "part-1.jsonl"), 3) and "malformed JSON" in str(err.value)


def test_a_json_array_shard_with_a_trailing_comma_names_the_line(tmp_path):
    folder = tmp_path / "arrays"
    folder.mkdir()
    (folder / "train.json").write_text('[\n  {"prompt": "What is 1 plus 1?", "completion": "2."},\n]\n')
    with pytest.raises(PicochatInputError) as err:
        list(load_records(str(folder)))
    assert err.value.path == str(folder / "train.json") and err.value.line == 2 and "trailing ','" in str(err.value)
    (folder / "train.json").write_text('[\n  {"prompt": "What is 1 plus 1?", "completion": "2."}\n]\n')
    assert [r["messages"] for r in iter_dataset_rows(str(folder))] == [_turns(1)]


def test_train_and_test_files_are_the_splits_and_a_missing_split_is_named(tmp_path):
    folder = tmp_path / "splits"
    folder.mkdir()
    (folder / "train.jsonl").write_text(_jsonl(ROWS[:4]))
    (folder / "test.jsonl").write_text(_jsonl(ROWS[4:]))
    assert [r["messages"] for r in iter_dataset_rows(str(folder), split="test")] == [_turns(5), _turns(6)]
    assert [r["messages"] for r in iter_dataset_rows(str(folder))] == [_turns(a) for a in range(1, 5)]
    with pytest.raises(PicochatInputError) as err:
        list(load_records(str(folder), split="validation", split_field="dataset_test_split"))
    assert (err.value.path, err.value.field) == (str(folder), "dataset_test_split")
    assert "no split 'validation' (splits: train, test)" in str(err.value)


def test_a_folder_of_two_kinds_of_file_is_refused_not_half_read(tmp_path):
    """`datasets` reads only the more common kind (two .jsonl beside one .parquet: the parquet rows vanished)."""
    from datasets import Dataset

    folder = _shards(tmp_path / "mixed")
    Dataset.from_list(ROWS[:1]).to_parquet(str(folder / "extra.parquet"))
    with pytest.raises(PicochatInputError) as err:
        list(load_records(str(folder)))
    assert err.value.path == str(folder) and "json and parquet" in str(err.value)


@pytest.mark.parametrize("content,line", [
    ('[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c", "completion": "d"},\n]\n', 3),
    ('[\n  {"prompt": "a", "completion": "b"},\n\n\n]', 2),
    ('[{"prompt": "a", "completion": "b"},]', 1),
    ('\ufeff[\r\n  {"prompt": "a", "completion": "b"},\r\n]\r\n', 2),
])
def test_a_trailing_comma_in_a_json_array_file_names_the_commas_line(tmp_path, content, line):
    (tmp_path / "rows.json").write_text(content, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        read_rows(tmp_path / "rows.json")
    assert (err.value.path, err.value.line) == (str(tmp_path / "rows.json"), line) and "trailing ','" in str(err.value)


@pytest.mark.parametrize("name,data,lines", [
    ("rows.jsonl.gz", gzip.compress(_jsonl(ROWS[:2]).encode(), mtime=0), [1, 2]),
    ("rows.json.gz", gzip.compress(json.dumps(ROWS[:2]).encode(), mtime=0), [1, 1]),
    ("bom.jsonl", ("\ufeff" + _jsonl(ROWS[:2])).encode(), [1, 2]),
    ("crlf.jsonl", _jsonl(ROWS[:2], "\r\n").encode(), [1, 2]),
    ("bom_crlf.json", ("\ufeff" + json.dumps(ROWS[:2], indent=1)).replace("\n", "\r\n").encode(), [2, 6]),
    ("blank.jsonl", (_jsonl(ROWS[:2]) + "\n\n").encode(), [1, 2]),
    ("bom.csv", "\ufeffprompt,completion\r\nWhat is 1 plus 1?,2.\r\nWhat is 2 plus 2?,4.\r\n".encode(), [2, 3]),
], ids=lambda value: value if isinstance(value, str) else "")  # file names only: ids must match in every xdist worker
def test_compressed_bom_crlf_and_blank_line_files_read_as_their_rows(tmp_path, name, data, lines):
    (tmp_path / name).write_bytes(data)
    rows = read_rows(tmp_path / name)
    assert [r["messages"] for r in rows] == [_turns(1), _turns(2)]
    assert [int(r["id"].split(":")[1].split("#")[0]) for r in rows] == lines


def test_data_shards_from_a_folder_trains_the_answers_and_refuses_a_bad_shard_line(tmp_path, capsys):
    tok = tokenizer()
    tok.save_pretrained(tmp_path / "tok")
    folder = _shards(tmp_path / "shards")
    out = tmp_path / "s"
    assert cli_main(["data", "shards", "--dataset_name", str(folder), "--tokenizer", str(tmp_path / "tok"),
                     "--out-dir", str(out)]) == 0
    manifest = json.loads((out / "shards.json").read_text())
    assert manifest["row_formats"]["formats"] == {"prompt_completion": 6}
    from picochat_hf.data.shards import iter_shard_pairs

    tokens, mask = next(iter_shard_pairs(out / "shards.json"))
    trained = tok.decode([int(t) for t, m in zip(tokens, mask, strict=True) if m])
    assert trained == "".join(f"{2 * a}.<|assistant_end|>" for a in range(1, 7))
    (folder / "part-1.jsonl").write_text(_jsonl([ROWS[3], {"prompt": "What is 5 plus 5?"}]))
    bad = tmp_path / "bad"
    capsys.readouterr()
    assert cli_main(["data", "shards", "--dataset_name", str(folder), "--tokenizer", str(tmp_path / "tok"),
                     "--out-dir", str(bad)]) == 2
    errors = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]  # tqdm's progress lines aside
    assert len(errors) == 1 and f"{folder / 'part-1.jsonl'}:2, field 'messages'" in errors[0] and not bad.exists()


def _mixture(entries: list[dict]):
    from types import SimpleNamespace

    return SimpleNamespace(input=None, eval_input=None, dataset_name=None, dataset_config=None, dataset_streaming=False,
                           dataset_train_split="train", dataset_test_split=None, datasets=entries)


def test_a_mixture_entry_with_a_split_mapping_reads_the_named_split(tmp_path):
    from picochat_hf.data.datasets_source import config_rows

    (tmp_path / "a.jsonl").write_text(_jsonl(ROWS[:4]))
    (tmp_path / "b.jsonl").write_text(_jsonl(ROWS[4:]))
    files = {"train": str(tmp_path / "a.jsonl"), "test": str(tmp_path / "b.jsonl")}
    _, rows = config_rows(_mixture([{"path": "json", "data_files": files, "split": "test"}]))
    assert [r["messages"] for r in rows] == [_turns(5), _turns(6)]
    _, rows = config_rows(_mixture([{"path": str(tmp_path), "data_files": {"train": "a.jsonl", "test": "b.jsonl"}}]))
    assert [r["messages"] for r in rows] == [_turns(a) for a in range(1, 5)]


@pytest.mark.parametrize("layout", ["mapping", "list", "csv", "blank_lines"])
def test_a_bad_row_in_a_mixture_entry_names_its_file_and_line(tmp_path, layout):
    """Errors named `json[train]:2` (a mapping or list of files) or took the entry's row for the file's line (a CSV's
    header, blank lines)."""
    from picochat_hf.data.datasets_source import config_rows

    (tmp_path / "a.jsonl").write_text(_jsonl(ROWS[:2]))
    bad = {"prompt": "What is 3 plus 3?", "completion": ""}
    if layout == "csv":
        (tmp_path / "bad.csv").write_text("prompt,completion\nWhat is 1 plus 1?,Two.\nWhat is 3 plus 3?,\n")
        entry, want = {"path": "csv", "data_files": str(tmp_path / "bad.csv")}, ("bad.csv", 3)
    else:
        text = _jsonl([ROWS[0]]) + ("\n\n" if layout == "blank_lines" else "") + _jsonl([bad])
        (tmp_path / "bad.jsonl").write_text(text)
        files = {"mapping": {"train": str(tmp_path / "bad.jsonl")}, "blank_lines": str(tmp_path / "bad.jsonl"),
                 "list": [str(tmp_path / "a.jsonl"), str(tmp_path / "bad.jsonl")]}[layout]
        entry, want = {"path": "json", "data_files": files}, ("bad.jsonl", 4 if layout == "blank_lines" else 2)
    with pytest.raises(PicochatInputError) as err:
        config_rows(_mixture([entry]))
    assert (err.value.path, err.value.line) == (str(tmp_path / want[0]), want[1]), str(err.value)
    assert err.value.field == "completion"


def test_a_save_to_disk_folder_with_text_parts_and_tool_calls_reads_as_its_turns(tmp_path):
    """Arrow stores text-part content as a list of structs and gives every message the keys of the others (null)."""
    import datasets

    def parts(text: str) -> list[dict]:
        return [{"type": "text", "text": text}]

    rows = [{"messages": [{"role": "system", "content": parts("Be brief.")}, {"role": "user", "content": parts("Sky?")},
                          {"role": "assistant", "content": parts("Blue.")}]},
            {"messages": [{"role": "user", "content": parts("Grass?")}, {"role": "assistant", "content": parts("Green.")}]}]
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows),
                          "test": datasets.Dataset.from_list(rows[1:])}).save_to_disk(str(tmp_path / "dd"))
    grass = [{"role": "user", "content": "Grass?"}, {"role": "assistant", "content": "Green."}]
    assert [r["messages"] for r in iter_dataset_rows(str(tmp_path / "dd"))] == [
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Sky?"},
         {"role": "assistant", "content": "Blue."}], grass]
    assert [r["messages"] for r in iter_dataset_rows(str(tmp_path / "dd"), split="test")] == [grass]
    none = {"tool_calls": None, "tool_call_id": None}
    call = {"type": "function", "id": "c1", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}
    tools = [{"messages": [{"role": "user", "content": "Weather?", **none},
                           {"role": "assistant", "content": "", "tool_calls": [call], "tool_call_id": None},
                           {"role": "tool", "content": "sunny", "tool_calls": None, "tool_call_id": "c1"},
                           {"role": "assistant", "content": "Sunny.", **none}]}]
    datasets.Dataset.from_list(tools).save_to_disk(str(tmp_path / "tools"))
    assert [r["messages"] for r in iter_dataset_rows(str(tmp_path / "tools"))] == [[
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": [{"type": "python", "text": '{"name": "weather", "arguments": {"city": "Paris"}}'},
                                          {"type": "python_output", "text": "sunny"}, {"type": "text", "text": "Sunny."}]}]]


def test_data_import_from_a_folder_of_shards_names_the_shard_line_and_writes_nothing(tmp_path, capsys):
    """`data import --dataset_name FOLDER` streamed the folder through `datasets`, whose CastError (a shard with other
    columns) escaped as an internal error."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "part-0.jsonl").write_text(json.dumps({"text": "The sky is blue today and always will be."}) + "\n")
    (docs / "part-1.jsonl").write_text(json.dumps({"text": "Grass is green in the spring and summer."}) + "\n"
                                       + json.dumps({"body": "no text here"}) + "\n")
    assert cli_main(["data", "import", "--dataset_name", str(docs), "--out-dir", str(tmp_path / "pack")]) == 2
    errors = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]
    assert len(errors) == 1 and f"{docs / 'part-1.jsonl'}:2, field 'text'" in errors[0] and "internal" not in errors[0]
    assert not (tmp_path / "pack").exists()
    (docs / "part-1.jsonl").write_text(json.dumps({"text": "Grass is green in the spring and summer."}) + "\n")
    assert cli_main(["data", "import", "--dataset_name", str(docs), "--out-dir", str(tmp_path / "pack")]) == 0
    from picochat_hf.data.dataset_pack import iter_pack_documents

    assert [d["text"] for d in iter_pack_documents(tmp_path / "pack")] == [
        "The sky is blue today and always will be.", "Grass is green in the spring and summer."]


def test_a_streamed_dataset_that_fails_mid_read_is_one_line_naming_the_row(tmp_path):
    """A folder `datasets` reads itself (a dataset card beside the shards), streamed: the shard with other columns
    failed while iterating, outside the load's error handling."""
    docs = tmp_path / "carded"
    docs.mkdir()
    (docs / "README.md").write_text("# rows\n")
    (docs / "part-0.jsonl").write_text(_jsonl(ROWS[:2]))
    (docs / "part-1.jsonl").write_text(json.dumps({"question": "What is 3 plus 3?"}) + "\n")
    with pytest.raises(PicochatInputError) as err:
        list(load_records(str(docs), streaming=True))
    assert err.value.path == f"{docs}[train]" and err.value.line == 3 and "could not read row 3" in str(err.value)
