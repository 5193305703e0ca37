"""`gate_fixtures.build_chain` copies one build of each chain per process to each caller's root: the copy must be
byte for byte what a build at that root writes (every recorded path the caller's, every "now" date this moment's),
another chain (other arguments, another checkpoint) must never be served from a template, and a copy must never be
shared with, or changed by, another caller's."""

from __future__ import annotations

import re

import gate_fixtures
from gate_fixtures import GOOD_SKILLS, TRAIN_DATE, _build_chain, build_chain, fake_weights, read_json_file

_NOW = re.compile(rb'"created_at": "(?!2000-)[^"]+"')


def _files(run) -> dict[str, bytes]:
    return {f.relative_to(run).as_posix(): _NOW.sub(b'"created_at": "NOW"', f.read_bytes()) for f in sorted(run.rglob("*")) if f.is_file()}


def test_a_copied_chain_is_what_a_build_at_its_root_writes(tmp_path):
    built = _build_chain(tmp_path / "built", {**GOOD_SKILLS, "math": 0.35}, n=40, profile="research", echo_every=7)
    build_chain(tmp_path / "first", {**GOOD_SKILLS, "math": 0.35}, n=40, profile="research", echo_every=7)  # the template
    copied = build_chain(tmp_path / "copied", {**GOOD_SKILLS, "math": 0.35}, n=40, profile="research", echo_every=7)
    want = {k: v.replace(str(tmp_path / "built").encode(), str(tmp_path / "copied").encode()) for k, v in _files(built).items()}
    got = _files(copied)
    assert sorted(got) == sorted(want) and len(got) >= 15
    assert [k for k in got if got[k] != want[k]] == []
    assert str(tmp_path / "copied").encode() in got["sft/train_report.json"]
    assert not any(str(tmp_path / "first").encode() in v for v in got.values())
    ext = read_json_file(copied / "external_eval" / "arc_easy" / "eval_report.json")
    assert ext["provenance"]["created_at"] >= read_json_file(built / "external_eval" / "arc_easy" / "eval_report.json")["provenance"]["created_at"]
    assert read_json_file(copied / "sft" / "train_report.json")["provenance"]["created_at"] == TRAIN_DATE


def test_a_chain_with_its_own_checkpoint_is_copied_with_the_callers_weights(tmp_path):
    """A checkpoint inside the root is part of the chain: other weights there are another chain, never a copy."""
    for name, seed in (("a", 0), ("b", 0), ("c", 3)):
        ckpt = fake_weights(tmp_path / name / "run" / "sft" / "checkpoint", seed=seed)
        (ckpt / "tokenizer.json").write_text('{"model": "released"}')
        build_chain(tmp_path / name, checkpoint=ckpt)
    built = _build_chain(tmp_path / "built", checkpoint=fake_weights(tmp_path / "built" / "run" / "sft" / "checkpoint", seed=3))
    c = tmp_path / "c" / "run"
    sft = read_json_file(c / "sft" / "train_report.json")
    assert sft["outputs"] == read_json_file(built / "sft" / "train_report.json")["outputs"]
    assert sft["outputs"] != read_json_file(tmp_path / "b" / "run" / "sft" / "train_report.json")["outputs"]
    assert (c / "sft" / "checkpoint" / "tokenizer.json").read_text() == '{"model": "released"}'


def test_copies_are_independent_of_each_other_and_of_the_template(tmp_path):
    first = build_chain(tmp_path / "one")
    (first / "eval" / "eval_report.json").write_text("{}")
    (first / "honesty" / "honesty_report.json").unlink()
    second = build_chain(tmp_path / "two")
    assert read_json_file(second / "eval" / "eval_report.json")["summary"]["n"] == 480
    assert (second / "honesty" / "honesty_report.json").is_file()
    assert all(not str(t).startswith(str(tmp_path)) for t in gate_fixtures._TEMPLATES.values())


def test_a_relative_root_or_a_checkpoint_elsewhere_is_built_not_copied(tmp_path, monkeypatch):
    other = fake_weights(tmp_path / "elsewhere", seed=5)
    run = build_chain(tmp_path / "x", checkpoint=other)
    assert read_json_file(run / "external_eval" / "arc_easy" / "eval_report.json")["model"]["path"] == str(other)
    monkeypatch.chdir(tmp_path)
    before = dict(gate_fixtures._TEMPLATES)
    rel = build_chain(gate_fixtures.Path("rel"))
    assert gate_fixtures._TEMPLATES == before and not rel.is_absolute()
    assert read_json_file(rel / "sft" / "train_report.json")["inputs"]["sft_input"] == "rel/run/task_pack/sft.jsonl"
