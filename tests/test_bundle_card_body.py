"""A bundled model card's body states numbers and a verdict too: its Evaluation table (row count, pass rate, interval
per eval and per skill) and the status and profile its gate line and Release section name. `bundle --check` holds
each to the bundled eval report and gates/release.json; the card as export writes it passes."""

from __future__ import annotations

import json

import pytest

from gate_fixtures import build_chain
from picochat_hf import PicochatConfig
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.export.model_card import build_model_card
from picochat_hf.export.run_evidence import collect_run_evidence
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir


@pytest.fixture
def run(tmp_path):
    run = RunDir(build_chain(tmp_path))
    (run.root / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    run_release_gate(run.root, "skill_release")
    card = build_model_card(model_name="m", license="mit", config=PicochatConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                            num_key_value_heads=2), num_parameters=1000, evidence=collect_run_evidence(run))
    run.model_card.parent.mkdir(parents=True, exist_ok=True)
    run.model_card.write_text(card.content)
    return run


def _edit_card(run: RunDir, old: str, new: str) -> None:
    text = run.model_card.read_text()
    assert old in text, old
    run.model_card.write_text(text.replace(old, new, 1))


def _line(run: RunDir, start: str) -> str:
    return next(ln for ln in run.model_card.read_text().splitlines() if ln.startswith(start))


def test_the_card_export_writes_passes(run, tmp_path):
    res = check_bundle(make_bundle(run.root, tmp_path / "ok.tar.gz"))
    assert res["ok"], res["problems"]


def test_an_edited_pass_rate_in_the_evaluation_table_fails(run, tmp_path):
    line = _line(run, "| Visible chat eval |")
    cells = line.split(" | ")
    _edit_card(run, line, line.replace(f" | {cells[2]} | ", " | 99.0% | ", 1))
    res = check_bundle(make_bundle(run.root, tmp_path / "rate.tar.gz"))
    assert not res["ok"]
    assert f"export/README.md states Visible chat eval pass rate 99.0%, but eval/eval_report.json gives {cells[2]}" in res["problems"], \
        res["problems"]


def test_an_edited_skill_row_count_fails(run, tmp_path):
    line = _line(run, "| &nbsp;&nbsp;math |")
    _edit_card(run, line, line.replace("| 80 |", "| 800 |", 1))
    res = check_bundle(make_bundle(run.root, tmp_path / "n.tar.gz"))
    assert "export/README.md states eval skill math n 800, but eval/eval_report.json gives 80" in res["problems"], res["problems"]


def test_a_card_naming_another_profile_fails(run, tmp_path):
    _edit_card(run, "under profile `skill_release`", "under profile `first_release`")
    res = check_bundle(make_bundle(run.root, tmp_path / "p.tar.gz"))
    assert any(p.startswith("export/README.md's Release section says warn under profile first_release, but gates/release.json "
                            "says warn under profile skill_release") for p in res["problems"]), res["problems"]
