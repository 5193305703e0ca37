"""The demo pipeline at a tiny budget: every artifact exists and the artifacts agree with each other."""

from __future__ import annotations

import json

import pytest
from huggingface_hub import ModelCard

from picochat_hf.demo import DemoConfig, run_demo, summarize_run
from picochat_hf.export.bundle import check_bundle
from picochat_hf.gates.common import pct
from picochat_hf.utils.errors import PicochatInputError


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("demo") / "run"
    cfg = DemoConfig(out_dir=str(run), vocab_size=400, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     num_key_value_heads=1, seq_len=128, base_steps=3, base_batch_size=4, sft_rows=120, eval_rows=60,
                     sft_steps=3, sft_batch_size=4, fit_max_rows=8, eval_batch_size=16,
                     # a 3-step model never ends its turn, so every reply runs to the budget: 48 tokens and two small
                     # skill-growth points keep generation (most of this fixture's time) short
                     eval_max_new_tokens=48, growth_points=2, growth_rows_per_skill=2,
                     torch_compile=False)  # compiling 3 steps took a minute; compiled SFT: test_train_sft, test_demo_recipe
    state = run_demo(cfg)
    return run, cfg, state


def _json(path):
    return json.loads(path.read_text())


def test_every_stage_wrote_its_artifacts(demo_run):
    run, _, state = demo_run
    for rel in ("run_manifest.json", "dataset_pack/dataset_pack.json", "dataset_pack/import_report.json", "tokenizer/tokenizer.json",
                "base/best_checkpoint/model.safetensors", "base/metrics.jsonl", "base/train_report.json",
                "gates/preflight.json", "sft/checkpoint/model.safetensors", "sft/train_report.json",
                "sft_fit/eval_report.json", "sft_fit_heldout/eval_report.json", "eval/eval_report.json",
                "external_eval/picochat_arc_demo/eval_report.json", "export/README.md", "export/release_manifest.json",
                "lm_eval/lm_eval_command.json", "lm_eval/lm_eval_results.json", "honesty/honesty_report.json",
                "gates/release.json", "gates/release.md", "report.md", "report.html"):
        assert (run / rel).exists(), rel
    assert state["bundle_ok"] is True
    manifest = _json(run / "run_manifest.json")
    assert manifest["tokenizer_hash"] == (run / "tokenizer/tokenizer_hash.txt").read_text().strip()
    assert manifest["num_parameters"] == _json(run / "sft/train_report.json")["num_parameters"]
    assert manifest["planned_tokens"] == _json(run / "base/train_report.json")["planned_tokens"]
    assert manifest["data"]["task_pack/eval_task_mixture_capability.jsonl"]
    assert set(state["timings"]) >= {"base", "sft", "eval", "release_gate", "report", "total"}
    # the plan records whether SFT was compiled (this run turns it off; the default's choice: test_demo_recipe)
    assert _json(run / "sft/train_report.json")["plan"]["torch_compile"] is False
    assert _json(run / "base/train_report.json")["plan"]["torch_compile"] is False



def test_every_entry_of_the_run_folder_is_the_demos_own(demo_run):
    """`demo --force` replaces a run folder only when it holds the demo's own entries (`output_folders.yaml`): one
    it writes but the list lacked would make every rerun with --force refuse its own run."""
    from fnmatch import fnmatchcase

    from picochat_hf.utils.output_folders import output_folder_spec

    run, _, _ = demo_run
    own = output_folder_spec()["whole"]["demo"]["files"]
    assert [p.name for p in run.iterdir() if not any(fnmatchcase(p.name, g) for g in own)] == []

def test_gate_numbers_equal_eval_reports(demo_run):
    run, _, _ = demo_run
    release = _json(run / "gates/release.json")
    checks = {c["name"]: c for c in release["checks"]}
    by_skill = _json(run / "eval/eval_report.json")["summary"]["by_skill"]
    skill_checks = [n for n in checks if n.startswith("skill_")]
    assert skill_checks, "the skill_release profile gates every skill"
    for name in skill_checks:
        skill = name.removeprefix("skill_")
        if "rate_threshold" in checks[name]:  # too few rows to judge: the check states the row count and min_n
            assert checks[name]["value"] == by_skill[skill]["n"] < checks[name]["threshold"]
            continue
        assert checks[name]["value"] == pytest.approx(by_skill[skill]["pass_rate"], abs=1e-4)
        # the one-sentence reason states the same number
        assert f"failed at {pct(by_skill[skill]['pass_rate'])}" in checks[name]["why"] or checks[name]["status"] == "pass"
    assert checks["sft_fit"]["value"] == pytest.approx(_json(run / "sft_fit/eval_report.json")["summary"]["pass_rate"], abs=1e-4)
    heldout = _json(run / "sft_fit_heldout/eval_report.json")
    assert heldout["config"]["heldout_check"]["status"] == "held_out"  # SFT never saw the held-out rows
    assert _json(run / "sft/train_report.json")["data"]["heldout"]["n_heldout"] > 0
    sft_metrics = [json.loads(line) for line in (run / "sft/metrics.jsonl").read_text().splitlines() if line.strip()]
    assert any("eval_loss" in m for m in sft_metrics), "validation loss on the held-out SFT rows"
    assert checks["sft_fit_heldout"]["value"] == pytest.approx(_json(run / "sft_fit_heldout/eval_report.json")["summary"]["pass_rate"], abs=1e-4)
    assert release["status"] in ("approved", "warn", "blocked")
    # the chain holds: every eval is of the released weights, the scan covered the scored and trained files,
    # and the preflight ran under a profile the release profile accepts
    for name in ("eval_model", "sft_fit_model", "sft_fit_heldout_model", "honesty_eval_file", "honesty_sft_file", "honesty_corpus",
                 "preflight_profile", "preflight_plan", "base_run", "sft_run", "sft_checkpoint_origin", "eval_rows_origin", "sft_fit_origin",
                 "sft_fit_heldout_origin", "honesty_corpus_origin", "honesty_findings", "released_parameters", "evidence_dates",
                 "preflight_record"):
        assert checks[name]["status"] == "pass", (name, checks[name]["why"])
    rows_checks = [c for c in checks.values() if c["name"].startswith("rows:")]
    assert len(rows_checks) >= 4 and all(c["status"] == "pass" for c in rows_checks), rows_checks
    verdict_checks = [c for c in checks.values() if c["name"].startswith("verdicts:")]
    assert len(verdict_checks) == 4 and all(c["status"] == "pass" for c in verdict_checks), verdict_checks  # 3 rule-scored + the external
    assert all(c["status"] == "pass" for c in checks.values() if c["name"].startswith("external_model:")), release["checks"]
    # the demo's gate re-ran the released model on recorded replies of each rule-scored report and of the external
    # benchmark, and the scan
    regenerated = [c for c in checks.values() if c["name"].startswith("regenerated:")]
    assert len(regenerated) == 4 and all(c["status"] == "pass" and c["value"] > 0 for c in regenerated), regenerated
    assert checks["honesty_rescanned"]["status"] == "pass", checks["honesty_rescanned"]["why"]
    assert release["exceptions"] and checks["token_budget"]["status"] == "warn"
    if any(c["status"] == "block" for c in release["checks"]):
        assert release["status"] == "blocked"


def test_card_model_index_matches_gate_inputs(demo_run):
    run, _, _ = demo_run
    card = ModelCard.load(run / "export" / "README.md")
    results = card.data.eval_results
    assert results, "model card carries model-index eval results"
    by_skill = _json(run / "eval/eval_report.json")["summary"]["by_skill"]
    external = _json(run / "external_eval/picochat_arc_demo/eval_report.json")["external"]
    per_skill = {r.dataset_config: r.metric_value for r in results if r.dataset_config in by_skill}
    assert set(per_skill) == set(by_skill), "every evaluated skill is in the card's model-index"
    for skill, value in per_skill.items():
        assert value == pytest.approx(by_skill[skill]["pass_rate"], abs=1e-4)
    ext = [r for r in results if r.dataset_name and "picochat_arc_demo" in r.dataset_name]
    assert ext, "the external benchmark is in the model-index"
    for r in ext:
        assert r.metric_type in external
        assert r.metric_value == pytest.approx(external[r.metric_type], abs=1e-4)
    manifest = _json(run / "export/release_manifest.json")
    assert manifest["gate"]["status"] == _json(run / "gates/release.json")["status"]
    if manifest["gate"]["status"] == "blocked":
        assert "blocked" in card.content.lower()


def test_bundle_verifies_and_report_sources_numbers(demo_run):
    run, cfg, state = demo_run
    assert check_bundle(state["bundle"])["ok"] is True
    md = (run / "report.md").read_text()
    assert "`eval/eval_report.json`" in md and "`gates/release.json`" in md
    html = (run / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 2  # self-contained
    summary = summarize_run(run)
    assert f"Release gate ({cfg.gate_profile})" in summary and "matches its evidence" in summary


def test_rerun_without_force_refuses(demo_run):
    run, cfg, _ = demo_run
    with pytest.raises(PicochatInputError, match="--force"):
        run_demo(cfg)
