"""Leaderboard cells are tied to the tokenizer the run's model ships: a report that scored the run's weights with
another tokenizer (or records none, where the run ships one) is not ranked, and two runs scored with different
tokenizers on the same eval file are not ranked side by side; each says why."""

from __future__ import annotations

import json

from gate_fixtures import build_chain, edit_json, fake_weights
from picochat_hf.eval.leaderboard import build_leaderboard
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import input_sha256

from test_leaderboard import fake_run

T1, T2 = "1a" * 32, "2b" * 32


def _cells(tmp_path, name="lb"):
    return json.loads((tmp_path / f"{name}.json").read_text())["board"]["quantities"]


def _chain_with_tokenizer(tmp_path):
    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    return RunDir(build_chain(tmp_path, checkpoint=ckpt))


def test_the_runs_model_shipping_another_tokenizer_than_its_reports_read_is_not_ranked(tmp_path):
    """The run's checkpoint now ships another tokenizer.json than the one every report hashed: each report scored the
    weights through other token ids, and was ranked as the run's model with no word. Unchanged, they rank."""
    run = _chain_with_tokenizer(tmp_path)
    read = input_sha256(run.released_checkpoint)  # the tokenizer identity, not tokenizer.json alone
    assert json.loads(run.eval_report("eval").read_text())["model"]["tokenizer_sha256"] == read
    md = build_leaderboard([run.root], tmp_path / "honest.md").read_text()
    assert {"eval", "sft_fit", "external:arc_easy"} <= set(_cells(tmp_path, "honest")) and "tokenizer" not in md
    (run.released_checkpoint / "tokenizer.json").write_text('{"model": "another"}')
    shipped = input_sha256(run.released_checkpoint)
    md = build_leaderboard([run.root], tmp_path / "lb.md").read_text()
    assert not {"eval", "sft_fit", "external:arc_easy"} & set(_cells(tmp_path))
    assert (f"run's eval cannot be ranked: it scored the run's model with tokenizer {read[:12]}, but the run's model ships "
            f"tokenizer {shipped[:12]} (sft/checkpoint)") in md
    assert "run's external:arc_easy cannot be ranked: it scored the run's model with tokenizer" in md


def test_a_report_whose_recorded_tokenizer_was_edited_or_dropped_is_not_ranked(tmp_path):
    run = _chain_with_tokenizer(tmp_path)
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer_sha256=T2))
    edit_json(run.eval_report("sft_fit"), lambda r: r["model"].pop("tokenizer_sha256"))
    md = build_leaderboard([run.root], tmp_path / "lb.md").read_text()
    cells = _cells(tmp_path)
    assert "eval" not in cells and "sft_fit" not in cells and "sft_fit_heldout" in cells
    assert f"run's eval cannot be ranked: it scored the run's model with tokenizer {T2[:12]}" in md
    assert "run's sft_fit cannot be ranked: its report records no tokenizer_sha256, so it cannot be tied to the tokenizer" in md


def _tokenized(run, weights: str, tokenizer: str | None):
    model = {"path": "ckpt", "weights_sha256": weights} | ({"tokenizer": "tok", "tokenizer_sha256": tokenizer} if tokenizer else {})
    edit_json(run / "eval" / "eval_report.json", lambda r: r.update(model=model))


def test_runs_scored_with_different_tokenizers_are_not_ranked_side_by_side(tmp_path, monkeypatch):
    """Two runs of the same eval file, one through tokenizer T1 and one through T2: they were ranked together, the
    second ★ over the first, without a word."""
    monkeypatch.setattr("picochat_hf.eval.leaderboard._mark_unverified", lambda cells, why: None)  # as if re-judged
    a, b, c = fake_run(tmp_path, "run-a", 5, 10), fake_run(tmp_path, "run-b", 9, 10), fake_run(tmp_path, "run-c", 4, 10)
    _tokenized(a, "1" * 64, T1)
    _tokenized(b, "2" * 64, T2)
    _tokenized(c, "3" * 64, T1)
    md = build_leaderboard([a, b, c], tmp_path / "lb.md").read_text()
    assert set(_cells(tmp_path)["eval"]) == {"run-a", "run-c"}
    assert (f"run-b scored eval with tokenizer {T2[:12]} where the board's runs used tokenizer {T1[:12]}, so its numbers are "
            "not comparable.") in md
    _tokenized(b, "2" * 64, None)  # a report that names no tokenizer is not the board's tokenizer either
    md = build_leaderboard([a, b, c], tmp_path / "lb.md", force=True).read_text()
    assert set(_cells(tmp_path)["eval"]) == {"run-a", "run-c"}
    assert f"run-b scored eval with an unrecorded tokenizer where the board's runs used tokenizer {T1[:12]}" in md
    _tokenized(b, "2" * 64, T1)  # the neighbour: the same tokenizer, ranked together
    build_leaderboard([a, b, c], tmp_path / "lb.md", force=True)
    assert set(_cells(tmp_path)["eval"]) == {"run-a", "run-b", "run-c"}
