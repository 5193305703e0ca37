"""Readers that would pick one of two values, and outputs that would land inside their own input.

A record naming a key (or a table naming a column) twice is read as the last value by Python and as the first by
other readers, so the scan, the trainer and a person reading the file could each see a different text: every reader
refuses it, naming the file, line and key. A bundle written inside the run it bundles would contain or change
itself. Each CLI case is one line, exit 2, nothing written (the workspace is test_bad_inputs').
"""

from __future__ import annotations

import json

import pytest
import test_bad_inputs
from test_bad_inputs import NEW, ROWS, run_case, snapshot

from picochat_hf.data.readers import iter_data_records, iter_file_documents
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import read_json, read_yaml_mapping

DUP = "{w}/dup"
CASES: list[tuple[str, list[str], str]] = [
    ("tokenizer-corpus-duplicate-text", ["tokenizer", "train", "--input", f"{DUP}/corpus.jsonl", "--vocab-size", "300",
                                         "--out-dir", NEW], "corpus.jsonl:2, field 'text'"),
    ("shards-corpus-duplicate-text", ["data", "shards", "--input", f"{DUP}/corpus.jsonl", "--tokenizer", "{w}/tok",
                                      "--out-dir", NEW], "corpus.jsonl:2, field 'text'"),
    ("scan-corpus-duplicate-text", ["honesty", "scan", "--eval", "{w}/eval.jsonl", "--corpus", f"{DUP}/corpus.jsonl",
                                    "--out-dir", NEW], "corpus.jsonl:2, field 'text'"),
    ("shards-csv-duplicate-column", ["data", "shards", "--input", f"{DUP}/corpus.csv", "--tokenizer", "{w}/tok",
                                     "--out-dir", NEW], "corpus.csv:1, field 'text'"),
    ("sft-yaml-duplicate-key", ["train", "sft", "--input", ROWS, "--config", f"{DUP}/train.yaml", "--out-dir", NEW],
     "train.yaml:2, field 'max_steps'"),
    ("preflight-plan-duplicate-key", ["gate", "preflight", "--plan", f"{DUP}/plan.json", "--no-write"], "plan.json:1, field 'max_steps'"),
    ("shards-num-proc-huge", ["data", "shards", "--input", "{w}/inputs/corpus.txt", "--tokenizer", "{w}/tok", "--num-proc",
                              str(10**9), "--out-dir", NEW], "--num_proc: must be at most"),
    ("shards-num-proc-million", ["data", "shards", "--input", ROWS, "--tokenizer", "{w}/tok", "--num-proc", str(10**6),
                                 "--out-dir", NEW], "the CPUs this process may use"),
    ("preflight-replaces-record", ["gate", "preflight", "--plan", "{w}/plan.json", "--run-dir", f"{DUP}/trained"],
     "preflight.json: already exists; pass --force"),
    ("import-out-holds-glob-input", ["data", "import", "--input", f"{DUP}/globbed/*.txt", "--out-dir", f"{DUP}/globbed", "--force"],
     "holds the input --input"),
    ("reasoning-out-holds-glob-input", ["data", "reasoning-import", "--input", f"{DUP}/globbed/tr*.jsonl", "--out-dir",
                                        f"{DUP}/globbed", "--force"], "holds the input --input"),
    ("leaderboard-out-over-run-evidence", ["leaderboard", "{w}/run", f"{DUP}/lbrun", "--out", f"{DUP}/lbrun/eval/eval_report.md", "--force"],
     "inside the input --runs"),
    ("leaderboard-out-inside-a-run", ["leaderboard", "{w}/run", f"{DUP}/lbrun", "--out", f"{DUP}/lbrun/lb.md"], "inside the input --runs"),
    ("bundle-out-inside-run", ["bundle", "--run-dir", "{w}/run", "--out", "{w}/run/bundle.tar.gz"], "inside the input --run-dir"),
    ("bundle-out-deep-inside-run", ["bundle", "--run-dir", "{w}/run", "--out", "{w}/run/gates/../eval/b.tar.gz", "--force"],
     "inside the input --run-dir"),
]

workspace = test_bad_inputs.workspace


def _dup_files(folder) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "corpus.jsonl").write_text('{"text": "A harmless first document about rivers."}\n'
                                         '{"text": "what the scan reads", "text": "what the trainer reads"}\n', encoding="utf-8")
    (folder / "corpus.csv").write_text("id,text,text\n1,what the scan reads,what the trainer reads\n", encoding="utf-8")
    (folder / "train.yaml").write_text("max_steps: 2\nmax_steps: 2000000\n", encoding="utf-8")
    (folder / "plan.json").write_text('{"stage": "sft", "max_steps": 2, "max_steps": 2000000}\n', encoding="utf-8")
    (folder / "lbrun" / "eval").mkdir(parents=True, exist_ok=True)
    (folder / "lbrun" / "eval" / "eval_report.json").write_text('{"kind": "chat"}\n', encoding="utf-8")
    (folder / "globbed").mkdir(exist_ok=True)
    (folder / "globbed" / "corpus.txt").write_text("A corpus paragraph long enough to be kept as a document.\n" * 20)
    (folder / "globbed" / "traces.jsonl").write_text(json.dumps({"question": "q?", "trace": "think", "answer": "1"}) + "\n")
    (folder / "trained" / "gates").mkdir(parents=True, exist_ok=True)
    (folder / "trained" / "gates" / "preflight.json").write_text('{"status": "ready", "plan": {"stage": "sft"}}\n')


@pytest.fixture(scope="module")
def readers_workspace(workspace):
    _dup_files(workspace / "dup")
    return workspace


@pytest.mark.parametrize("case_id,argv,expect", CASES, ids=[c[0] for c in CASES])
def test_ambiguous_input_is_one_line_exit_2_and_leaves_nothing(case_id, argv, expect, readers_workspace, capsys):
    before = snapshot(readers_workspace)
    rc, lines = run_case(argv, readers_workspace, capsys)
    assert rc == 2, f"exit {rc}: {lines}"
    assert len(lines) == 1 and "Traceback" not in lines[0] and "error" in lines[0], lines
    assert expect in lines[0], lines[0]
    assert snapshot(readers_workspace) == before


def test_every_document_layout_refuses_a_repeated_text_key(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    _dup_files(tmp_path)
    (tmp_path / "columns.json").write_text('{"id": ["a", "b"],\n "text": ["x", "y"],\n "text": ["p", "q"]}\n', encoding="utf-8")
    (tmp_path / "array.json").write_text('[{"text": "x"},\n {"text": "x", "text": "y"}]\n', encoding="utf-8")
    table = pa.Table.from_arrays([pa.array(["x"]), pa.array(["y"])], names=["text", "text"])
    pq.write_table(table, tmp_path / "corpus.parquet")
    expected = {"corpus.jsonl": 2, "corpus.csv": 1, "columns.json": 3, "array.json": 2, "corpus.parquet": None}
    for name, line in expected.items():
        with pytest.raises(PicochatInputError) as err:
            list(iter_file_documents(tmp_path / name))
        assert err.value.field == "text" and err.value.line == line and name in str(err.value), (name, str(err.value))
    with pytest.raises(PicochatInputError, match="field 'text'"):
        list(iter_data_records(tmp_path / "corpus.parquet"))


def test_one_key_in_different_objects_is_not_a_repeat(tmp_path):
    """Honest neighbours: the same key in a nested object, in another record, or in another YAML mapping is fine."""
    (tmp_path / "c.jsonl").write_text('{"text": "outer", "meta": {"text": "inner"}}\n{"text": "second"}\n', encoding="utf-8")
    assert [d["text"] for d in iter_file_documents(tmp_path / "c.jsonl")] == ["outer", "second"]
    (tmp_path / "c.csv").write_text("id,text,,\n1,one,,\n2,two,,\n", encoding="utf-8")  # unnamed trailing columns
    assert [d["text"] for d in iter_file_documents(tmp_path / "c.csv")] == ["one", "two"]
    (tmp_path / "ok.yaml").write_text("a:\n  n: 1\nb:\n  n: 2\n", encoding="utf-8")
    assert read_yaml_mapping(tmp_path / "ok.yaml") == {"a": {"n": 1}, "b": {"n": 2}}
    (tmp_path / "ok.json").write_text(json.dumps({"a": {"n": 1}, "b": {"n": 2}}), encoding="utf-8")
    assert read_json(tmp_path / "ok.json") == {"a": {"n": 1}, "b": {"n": 2}}


def test_a_repeated_key_nested_in_yaml_or_a_manifest_is_refused(tmp_path):
    (tmp_path / "nested.yaml").write_text("model_config:\n  hidden_size: 64\n  hidden_size: 4096\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"nested.yaml:3, field 'hidden_size'"):
        read_yaml_mapping(tmp_path / "nested.yaml")
    (tmp_path / "shards.json").write_text('{"shards": [{"split": "val", "split": "train"}]}', encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"shards.json:1, field 'split'"):
        read_json(tmp_path / "shards.json")


def test_a_bundle_beside_the_run_folder_is_not_inside_it(tmp_path):
    """Honest neighbours: a bundle next to the run, or in a folder whose name starts with the run's, is accepted."""
    from picochat_hf.cli import _check_outputs_apart, build_parser

    (tmp_path / "run").mkdir()
    for out in ("run.tar.gz", "run-bundle/b.tar.gz", "runs/run.tar.gz"):
        args = build_parser().parse_args(["bundle", "--run-dir", str(tmp_path / "run"), "--out", str(tmp_path / out)])
        _check_outputs_apart(args)
    (tmp_path / "link").symlink_to(tmp_path / "run")
    args = build_parser().parse_args(["bundle", "--run-dir", str(tmp_path / "run"), "--out", str(tmp_path / "link" / "b.tar.gz")])
    with pytest.raises(PicochatInputError, match="inside the input --run-dir"):
        _check_outputs_apart(args)


def test_a_refused_training_run_names_no_file_it_removed(readers_workspace, capsys):
    """A blocked preflight into a new folder leaves nothing behind, so its one line carries the reasons and names no
    gates/preflight.json that is gone by the time the user reads it."""
    from pathlib import Path

    argv = ["train", "sft", "--input", ROWS, "--checkpoint", "{w}/model", "--device", "cpu", "--seq-len", "64",
            "--preflight-profile", "skill_release", "--out-dir", NEW]  # blocked: no base-run token budget, skills missing
    before = snapshot(readers_workspace)
    rc, lines = run_case(argv, readers_workspace, capsys)
    assert rc == 2 and len(lines) == 1 and "preflight gate blocked" in lines[0], lines
    assert snapshot(readers_workspace) == before
    named = [Path(p.rstrip(",:;()")) for p in lines[0].split() if str(readers_workspace) in p]
    assert all(p.exists() for p in named), lines[0]
    assert "preflight.json" not in lines[0] and "release_token_budget" in lines[0], lines[0]


def test_a_refused_run_into_an_existing_run_folder_names_the_report_it_kept(readers_workspace, tmp_path, capsys):
    """The neighbour: when the run folder was there before, the blocked preflight's report stays and the line names it."""
    from pathlib import Path

    (tmp_path / "run").mkdir()
    argv = ["train", "sft", "--input", ROWS, "--checkpoint", "{w}/model", "--device", "cpu", "--seq-len", "64",
            "--preflight-profile", "skill_release", "--out-dir", str(tmp_path / "run" / "sft")]
    rc, lines = run_case(argv, readers_workspace, capsys)
    assert rc == 2 and len(lines) == 1 and "release_token_budget" in lines[0], lines
    report = tmp_path / "run" / "gates" / "preflight.json"
    assert str(report) in lines[0] and json.loads(report.read_text())["status"] == "blocked"
    assert not (tmp_path / "run" / "sft").exists() and Path(str(report)).exists()


def test_the_worker_count_is_parsed_before_any_process_starts():
    """The honest neighbour: every count up to the usable CPUs parses; one more is refused at parse time, before the
    pool (which starts every worker at once) exists."""
    import argparse

    from picochat_hf.utils.checks import process_count, usable_cpus

    assert [process_count(str(n)) for n in range(1, usable_cpus() + 1)] == list(range(1, usable_cpus() + 1))
    for bad in (str(usable_cpus() + 1), "0", "-1", "nan", "2.5"):
        with pytest.raises(argparse.ArgumentTypeError):
            process_count(bad)


def test_gate_preflight_replaces_a_run_record_only_with_force(tmp_path, capsys):
    """The neighbours: into a run folder with no preflight yet it writes; with --force it replaces the old record."""
    from picochat_hf.cli import main as cli_main

    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"stage": "sft"}), encoding="utf-8")
    run = tmp_path / "run"
    assert cli_main(["gate", "preflight", "--plan", str(plan), "--run-dir", str(run)]) in (0, 1)
    first = (run / "gates" / "preflight.json").read_bytes()
    assert cli_main(["gate", "preflight", "--plan", str(plan), "--run-dir", str(run)]) == 2
    assert (run / "gates" / "preflight.json").read_bytes() == first
    assert cli_main(["gate", "preflight", "--plan", str(plan), "--run-dir", str(run), "--force"]) in (0, 1)
    capsys.readouterr()


def test_the_repeated_key_check_visits_each_yaml_node_once(tmp_path):
    """Aliases share nodes: nine levels of ten aliases are 10**9 paths but a few dozen nodes, and the check must
    not walk every path (a config file would stall the command)."""
    import time

    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 9)]
    (tmp_path / "aliases.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    assert len(read_yaml_mapping(tmp_path / "aliases.yaml")) == 9
    assert time.perf_counter() - start < 10
    (tmp_path / "alias_dup.yaml").write_text("base: &b {n: 1}\nother: *b\nlast: {n: 1, n: 2}\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"alias_dup.yaml:3, field 'n'"):
        read_yaml_mapping(tmp_path / "alias_dup.yaml")


def test_a_glob_that_matches_nothing_in_the_output_is_still_accepted(tmp_path):
    """The neighbour: a pattern whose files lie elsewhere does not collide with the output."""
    from picochat_hf.cli import _check_outputs_apart, build_parser

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("text\n")
    args = build_parser().parse_args(["data", "import", "--input", str(tmp_path / "corpus" / "*.txt"), "--out-dir",
                                      str(tmp_path / "corpus_pack")])
    _check_outputs_apart(args)
    args = build_parser().parse_args(["data", "import", "--input", str(tmp_path / "*" / "a.txt"), "--out-dir",
                                      str(tmp_path / "corpus"), "--force"])
    with pytest.raises(PicochatInputError, match="holds the input --input"):
        _check_outputs_apart(args)


@pytest.mark.parametrize("text,field", [("prompt,completion\nhi,\n", "completion"), ("prompt,completion\n,hello\n", "prompt"),
                                        ("instruction,output\nSay hi.,\n", "output")])
def test_a_csv_row_with_an_empty_chat_cell_names_that_column(tmp_path, text, field):
    """An empty cell is a missing value; the row was refused as having no chat columns at all, naming none."""
    from picochat_hf.data.row_formats import iter_rows

    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    assert (err.value.line, err.value.field) == (2, field) and "empty" in str(err.value)
