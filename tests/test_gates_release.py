"""Release gate: per-skill thresholds from YAML profiles, the sentence for each check, missing evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from picochat_hf.cli import main as cli_main
from picochat_hf.gates import run_release_gate

GOOD_SKILLS = {"identity": 0.9, "refusal": 0.85, "choice": 0.6, "math": 0.45, "spelling": 0.5, "general": 0.5}


def _entry(rate: float, n: int = 40) -> dict:
    passed = round(rate * n)
    return {"n": n, "passed": passed, "pass_rate": passed / n, "ci": [max(0.0, passed / n - 0.15), min(1.0, passed / n + 0.15)]}


def eval_report(kind: str, rate: float, by_skill: dict[str, float] | None = None, **summary) -> dict:
    skills = {k: _entry(v) for k, v in (by_skill or {}).items()}
    n = sum(e["n"] for e in skills.values()) or 100
    passed = sum(e["passed"] for e in skills.values()) or round(rate * n)
    return {
        "kind": kind, "config": {}, "model": {"path": "m", "num_parameters": 1000},
        "summary": {"n": n, "passed": passed, "pass_rate": passed / n if skills else rate, "ci": [0.0, 1.0], "ci_method": "wilson",
                    "prompt_echo_rate": summary.get("prompt_echo_rate", 0.0), "unsupported_claim_rate": summary.get("unsupported_claim_rate", 0.0),
                    "refusal_pass_rate": skills["refusal"]["pass_rate"] if "refusal" in skills else None,
                    "by_skill": skills, "by_category": {}, "by_stage": {}, "baselines": {"random": 0.25, "majority": 0.3}},
        "examples": [],
    }


def _write(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj))


def build_run(root: Path, skills: dict[str, float] | None = None, *, honesty="ready", preflight="ready", external=True, echo=0.0) -> Path:
    run = root / "run"
    _write(run / "gates" / "preflight.json", {"status": preflight, "profile": "skill_release", "checks": []})
    _write(run / "honesty" / "honesty_report.json", {"status": honesty, "summary": "test",
                                                     "inputs": {"sft_rows": 300, "corpus_stats": {"documents": 323}}, "counts": {
        "eval_prompts": 240, "eval_prompts_failing": 1 if honesty == "blocked" else 0, "near_prompt_hits": 0, "corpus_phrase_hits": 0}})
    _write(run / "sft_fit" / "eval_report.json", eval_report("sft_fit", 0.92))
    _write(run / "sft_fit_heldout" / "eval_report.json", eval_report("sft_fit_heldout", 0.61))
    _write(run / "eval" / "eval_report.json", eval_report("chat", 0.0, skills or GOOD_SKILLS, prompt_echo_rate=echo))
    if external:
        rep = eval_report("external", 0.31)
        rep["external"] = {"benchmark": "arc_easy", "n": 100, "letter_acc": 0.31, "acc": 0.3, "acc_norm": 0.3, "random_baseline": 0.25, "ci": {}}
        _write(run / "external_eval" / "arc_easy" / "eval_report.json", rep)
    return run


def _check(result, name):
    return next(c for c in result["checks"] if c["name"] == name)


def test_good_run_is_approved_and_written(tmp_path):
    run = build_run(tmp_path)
    result = run_release_gate(run, "skill_release")
    assert result["status"] == "approved", [c["why"] for c in result["checks"] if c["status"] != "pass"]
    saved = json.loads((run / "gates" / "release.json").read_text())
    assert saved["status"] == "approved"
    assert all({"name", "status", "value", "threshold", "why"} <= set(c) for c in saved["checks"])
    assert "Status: approved" in (run / "gates" / "release.md").read_text()
    assert set(saved["evidence"]) >= {"eval/eval_report.json", "honesty/honesty_report.json", "external_eval/arc_easy/eval_report.json"}


def test_failing_math_blocks_with_the_sentence_and_passes_after_threshold_change(tmp_path):
    run = build_run(tmp_path, {**GOOD_SKILLS, "math": 0.18})  # 7 of 40 = 17.5% -> "18%"
    result = run_release_gate(run, "skill_release")
    assert result["status"] == "blocked"
    math = _check(result, "skill_math")
    assert math["status"] == "block" and math["threshold"] == 0.30
    assert math["why"] == "Math failed at 17.5%; release threshold is 30%."
    assert result["blocking"] == [math["why"]]
    # a user copies the packaged profile and lowers the math threshold
    packaged = Path(__import__("picochat_hf.gates", fromlist=["x"]).__file__).parent / "profiles" / "skill_release.yaml"
    profile = yaml.safe_load(packaged.read_text())
    profile["release"]["skills"]["math"]["min"] = 0.15
    mine = tmp_path / "my_profile.yaml"
    mine.write_text(yaml.safe_dump(profile))
    assert cli_main(["gate", "release", "--run-dir", str(run), "--profile", str(mine)]) == 0
    assert json.loads((run / "gates" / "release.json").read_text())["status"] == "approved"
    # the same with a two-line override file
    (tmp_path / "override.yaml").write_text("extends: skill_release\nname: lenient_math\nrelease: {skills: {math: {min: 0.1}}}\n")
    result = run_release_gate(run, tmp_path / "override.yaml")
    assert result["status"] == "approved" and result["profile"] == "lenient_math"
    assert _check(result, "skill_identity")["threshold"] == 0.60  # inherited


def test_first_release_keeps_math_diagnostic(tmp_path):
    run = build_run(tmp_path, {**GOOD_SKILLS, "math": 0.1, "spelling": 0.1})
    result = run_release_gate(run, "first_release")
    assert result["status"] == "warn"
    assert _check(result, "skill_math")["status"] == "warn"
    assert "a warning under profile first_release" in _check(result, "skill_spelling")["why"]
    assert run_release_gate(run, "skill_release")["status"] == "blocked"


def test_missing_external_benchmark_blocks_release_profiles_only(tmp_path):
    run = build_run(tmp_path, external=False)
    result = run_release_gate(run, "first_release")
    ext = _check(result, "external_benchmark")
    assert result["status"] == "blocked" and ext["status"] == "block" and ext["value"] == 0
    assert run_release_gate(run, "research")["status"] == "warn"


def test_lm_eval_results_count_as_external(tmp_path):
    run = build_run(tmp_path, external=False)
    _write(run / "lm_eval" / "lm_eval_results.json", {"results": {"arc_easy": {"acc,none": 0.4, "acc_stderr,none": 0.05, "acc_norm,none": 0.38}},
                                                     "n-samples": {"arc_easy": {"effective": 100}}})
    result = run_release_gate(run, "skill_release")
    assert result["status"] == "approved"
    assert result["external"][0]["metric"] == "acc_norm,none" and result["external"][0]["n"] == 100


@pytest.mark.parametrize(
    "kwargs,name",
    [({"honesty": "blocked"}, "honesty"), ({"preflight": "blocked"}, "preflight"), ({"echo": 0.12}, "prompt_echo")],
)
def test_always_blocking_findings_block_even_research(tmp_path, kwargs, name):
    run = build_run(tmp_path, **kwargs)
    result = run_release_gate(run, "research")
    assert result["status"] == "blocked"
    assert _check(result, name)["status"] == "block"
    if name == "preflight":
        _write(run / "sft" / "train_report.json", {"preflight": {"status": "blocked", "override": True}})
        assert _check(run_release_gate(run, "research"), name)["why"].endswith("training went on with an explicit override.")


def test_missing_evidence_and_bad_reports(tmp_path, capsys):
    run = build_run(tmp_path)
    (run / "sft_fit_heldout" / "eval_report.json").unlink()
    result = run_release_gate(run, "skill_release")
    c = _check(result, "sft_fit_heldout")
    assert c["status"] == "block" and "sft_fit_heldout/eval_report.json is missing" in c["why"]
    (run / "eval" / "eval_report.json").write_text(json.dumps({"summary": {"n": 3, "pass_rate": "high"}}))
    assert cli_main(["gate", "release", "--run-dir", str(run)]) == 2
    assert "field 'summary.pass_rate'" in capsys.readouterr().err
    assert cli_main(["gate", "release", "--run-dir", str(run), "--profile", "nope"]) == 2


def test_honesty_scan_must_cover_sft_and_corpus(tmp_path):
    run = build_run(tmp_path)
    path = run / "honesty" / "honesty_report.json"
    report = json.loads(path.read_text())
    report["inputs"] = {"sft_rows": 0, "corpus_stats": {"documents": 323}}
    path.write_text(json.dumps(report))
    result = run_release_gate(run, "skill_release")
    c = _check(result, "honesty_coverage")
    assert result["status"] == "blocked" and c["status"] == "block"
    assert c["why"] == "The honesty scan did not include SFT rows, so leaks into them are unchecked."
    assert _check(run_release_gate(run, "research"), "honesty_coverage")["status"] == "warn"
