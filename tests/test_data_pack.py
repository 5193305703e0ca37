"""Dataset packs: streaming import, duplicate measurement, shards, round trip, bad input."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.dataset_pack import import_dataset_pack, iter_pack_documents, load_dataset_pack
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import sha256_file


def _random_doc(rng: random.Random, n_words: int = 120) -> str:
    vocab = [f"w{i}" for i in range(5000)]
    return " ".join(rng.choice(vocab) for _ in range(n_words))


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path):
    rng = random.Random(0)
    docs = [_random_doc(rng) for _ in range(40)]
    near = docs[5].split()
    near[60] = "CHANGED"  # one word of 120 changed: Jaccard of 5-gram shingles ~0.92
    rows = [{"id": f"d{i}", "text": t} for i, t in enumerate(docs)]
    rows.append({"id": "dup", "text": docs[3].upper()})  # exact duplicate after normalisation
    rows.append({"id": "near", "text": " ".join(near)})
    rows.append({"id": "short", "text": "too short"})
    rows.append({"id": "empty", "text": "   \n"})
    return _write_jsonl(tmp_path / "corpus.jsonl", rows), docs


def test_import_counts_duplicates_and_drops(tmp_path, corpus):
    path, docs = corpus
    pack_json = import_dataset_pack([path], tmp_path / "pack", progress=False)
    report = json.loads((pack_json.parent / "import_report.json").read_text())
    c, d = report["counts"], report["duplicates"]
    assert c["documents_read"] == 44
    assert c["documents"] == 42
    assert c["dropped_short"] == 1 and c["dropped_empty"] == 1
    assert d["exact_duplicate_documents"] == 1
    # the exact duplicate and the planted near duplicate; random documents never collide
    assert d["near_duplicate_documents"] == 2
    assert c["characters"] == sum(len(t) for t in docs) + len(docs[3]) + len(" ".join(docs[5].split()[:60] + ["CHANGED"] + docs[5].split()[61:]))
    assert c["estimated_tokens"] == round(c["characters"] / 4.0)
    assert sum(report["length_histogram_chars"].values()) == 42
    md = (pack_json.parent / "import_report.md").read_text()
    assert "MinHash" in md and "HyperLogLog" in md


def test_duplicate_lines_and_dedup_exact(tmp_path):
    lines = [f"line number {i} of the corpus" for i in range(100)]
    rows = [{"text": "\n".join(lines[i * 10 : i * 10 + 10])} for i in range(10)]
    rows += [{"text": "\n".join(lines[:10])}]  # 10 repeated lines, also an exact duplicate document
    path = _write_jsonl(tmp_path / "c.jsonl", rows)
    pack_json = import_dataset_pack([path], tmp_path / "pack", progress=False)
    d = json.loads((pack_json.parent / "import_report.json").read_text())["duplicates"]
    assert d["lines"] == 110
    assert d["distinct_lines_estimate"] == 100  # HyperLogLog++ is exact at this size (linear counting)
    assert d["duplicate_line_rate"] == pytest.approx(10 / 110)
    pack_json = import_dataset_pack([path], tmp_path / "pack2", dedup_exact=True, progress=False)
    report = json.loads((pack_json.parent / "import_report.json").read_text())
    assert report["counts"]["dropped_exact_duplicates"] == 1 and report["counts"]["documents"] == 10


def test_round_trip_across_formats_and_shards(tmp_path):
    rng = random.Random(1)
    texts = [_random_doc(rng, rng.randint(20, 200)) for _ in range(30)]
    jsonl = _write_jsonl(tmp_path / "a.jsonl", [{"text": t} for t in texts[:10]])
    pq.write_table(pa.table({"text": texts[10:20], "id": [f"p{i}" for i in range(10)]}), tmp_path / "b.parquet")
    for i, t in enumerate(texts[20:]):
        (tmp_path / f"c{i}.txt").write_text(t + "\n", encoding="utf-8")
    inputs = [jsonl, tmp_path / "b.parquet"] + [tmp_path / f"c{i}.txt" for i in range(10)]
    pack_json = import_dataset_pack(inputs, tmp_path / "pack", shard_chars=3000, progress=False)
    pack = load_dataset_pack(pack_json)
    assert len(pack["shards"]) > 3
    for shard in pack["shards"]:
        assert shard["sha256"] == sha256_file(pack_json.parent / shard["path"])
        assert pq.ParquetFile(pack_json.parent / shard["path"]).metadata.num_rows == shard["documents"]
    back = list(iter_pack_documents(pack_json, verify=True))
    assert [d["text"] for d in back] == texts  # whole documents, in order, none split across shards
    assert back[10]["id"] == "p0" and back[0]["source"].endswith("a.jsonl")
    assert sum(s["documents"] for s in pack["shards"]) == pack["counts"]["documents"] == 30


def test_long_text_file_cut_at_paragraphs(tmp_path):
    paras = [f"Paragraph {i}. " + "word " * 50 for i in range(20)]
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    pack_json = import_dataset_pack([path], tmp_path / "pack", max_document_chars=1000, progress=False)
    docs = list(iter_pack_documents(pack_json))
    assert len(docs) > 1
    joined = "\n\n".join(d["text"] for d in docs)
    assert joined == "\n\n".join(paras)  # nothing lost or reordered, cuts only between paragraphs
    assert all(d["text"].startswith("Paragraph") for d in docs)


def test_hub_path_streams_through_datasets(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    rows = [{"text": f"document {i} " + "lorem ipsum " * 10} for i in range(25)]
    path = _write_jsonl(tmp_path / "hub.jsonl", rows)
    pack_json = import_dataset_pack(None, tmp_path / "pack", dataset_name="json", hf_data_files=str(path), max_rows=7,
                                    progress=False)
    docs = list(iter_pack_documents(pack_json))
    assert [d["text"] for d in docs] == [r["text"] for r in rows[:7]]
    assert load_dataset_pack(pack_json)["inputs"][0]["hf_dataset"] == "json"


def test_default_corpus_import(tmp_path):
    from picochat_hf.data.default_corpus import iter_default_documents

    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=iter_default_documents(max_documents=20), progress=False)
    assert load_dataset_pack(pack_json)["counts"]["documents"] == 20


@pytest.mark.parametrize(
    "name,content,expect",
    [
        ("bad.jsonl", '{"text": "fine document here"}\n{"text": oops}\n', "bad.jsonl:2: malformed JSON"),
        ("missing.jsonl", '{"text": "fine document here"}\n{"body": "x"}\n', "missing.jsonl:2, field 'text': missing"),
        ("typed.jsonl", '{"text": 17}\n', "typed.jsonl:1, field 'text': expected a string, got int"),
        ("empty.jsonl", "", "empty.jsonl: empty file"),
        ("blank.jsonl", "\n\n", "blank.jsonl: no documents"),
        ("data.xlsx", "text\nhello\n", "data.xlsx: unknown input format"),
        ("notutf8.txt", b"\xff\xfe\x00bad", "notutf8.txt: not UTF-8"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, capsys, name, content, expect):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "pack"
    rc = cli_main(["data", "import", "--input", str(path), "--out-dir", str(out)])
    err_lines = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    errors = [ln for ln in err_lines if ln.startswith("picochat: error:")]  # other lines are the progress bar
    assert len(errors) == 1 and errors[0] == err_lines[-1] and expect in errors[0]
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pack")]  # no half-written temp dir left


def test_parquet_wrong_column_and_force(tmp_path):
    pq.write_table(pa.table({"body": ["x" * 50]}), tmp_path / "a.parquet")
    with pytest.raises(PicochatInputError, match="field 'text'"):
        import_dataset_pack([tmp_path / "a.parquet"], tmp_path / "pack", progress=False)
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "b.parquet")
    with pytest.raises(PicochatInputError, match="expected a string column"):
        import_dataset_pack([tmp_path / "b.parquet"], tmp_path / "pack", progress=False)
    good = _write_jsonl(tmp_path / "g.jsonl", [{"text": "a perfectly fine document"}])
    import_dataset_pack([good], tmp_path / "pack", progress=False)
    with pytest.raises(PicochatInputError, match="--force"):
        import_dataset_pack([good], tmp_path / "pack", progress=False)
    good2 = _write_jsonl(tmp_path / "g2.jsonl", [{"text": "another perfectly fine document"}])
    import_dataset_pack([good2], tmp_path / "pack", force=True, progress=False)
    assert [d["text"] for d in iter_pack_documents(tmp_path / "pack")] == ["another perfectly fine document"]


def test_pack_hash_names_the_corpus_so_promoting_a_task_pack_keeps_it(tmp_path):
    """The base run hashes the pack before the task pack is promoted into its manifest, the contamination scan
    after: both must name the same corpus (the release gate's honesty_corpus_origin compares them), while a
    pack with other documents must hash differently."""
    from picochat_hf.data.default_corpus import iter_default_documents
    from picochat_hf.data.task_pack import build_task_pack
    from picochat_hf.utils.io import sha256_file
    from picochat_hf.utils.provenance import input_sha256

    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=iter_default_documents(max_documents=12), progress=False)
    before, manifest_before = input_sha256(pack_json), sha256_file(pack_json)
    assert input_sha256(pack_json.parent) == before
    build_task_pack(tmp_path / "tasks", dataset_pack=pack_json, profile="capability", sft_rows=64, eval_rows=32,
                    source="offline", seed=0, promote=True)
    assert sha256_file(pack_json) != manifest_before  # the manifest now points at the task pack
    assert input_sha256(pack_json) == before
    other = import_dataset_pack(None, tmp_path / "other", documents=iter_default_documents(max_documents=11), progress=False)
    assert input_sha256(other) != before


def test_a_shard_replaced_after_the_pack_was_written_is_refused_by_every_reader(tmp_path, capsys):
    """A scan or training run records the pack's manifest; a shard swapped afterwards would make that record describe
    text nobody read. Every reader now checks the shard's sha256 first."""
    from picochat_hf.data.dataset_pack import pack_shard_paths

    docs = [{"id": f"d{i}", "text": f"An ordinary document number {i} about rivers and hills."} for i in range(5)]
    pack_json = import_dataset_pack(None, tmp_path / "pack", documents=iter(docs), progress=False)
    assert len(list(iter_pack_documents(pack_json))) == 5
    shard = pack_shard_paths(pack_json)[0]
    table = pa.table({"id": ["x"], "text": ["What is the capital of Serbia? Belgrade."], "source": ["swapped"]})
    pq.write_table(table, shard)
    with pytest.raises(PicochatInputError, match="sha256 does not match the pack manifest"):
        list(iter_pack_documents(pack_json))
    eval_rows = tmp_path / "eval.jsonl"
    eval_rows.write_text(json.dumps({"id": "e", "category": "c", "skill": "general", "split": "eval", "source": "t",
                                     "messages": [{"role": "user", "content": "What is the capital of Serbia?"}],
                                     "must_include": ["Belgrade"]}) + "\n")
    rc = cli_main(["honesty", "scan", "--eval", str(eval_rows), "--dataset-pack", str(pack_json), "--out-dir", str(tmp_path / "scan")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "sha256 does not match" in err[-1] and not (tmp_path / "scan").exists()
