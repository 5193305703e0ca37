"""The rows `gate release` re-runs are drawn from a seed fresh for every gate run, recorded in the verdict: an
editor who pads a results file cannot steer the sample away from the rows they edited, consumers re-derive the
same rows from the recorded seed, and `--sample-seed` reproduces a draw (capped at warn, since a chosen seed can
be picked to miss edited rows)."""

from __future__ import annotations

import hashlib
import json

import pytest

from gate_fixtures import check_named, edit_json
from picochat_hf.cli import main as cli_main
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.run_once import new_sample_seed, results_sample, run_once_problems, sample_ids, sample_salt
from picochat_hf.gates.verify import verify_release
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.errors import PicochatInputError
from test_gates_regenerate import _results, _rewrite, _run

EVAL = "regenerated:eval/eval_report.json"


def _jsonl(rows: list[dict], pad: int = 0) -> bytes:
    return ("".join(json.dumps(r) + "\n" for r in rows) + "\n" * pad).encode()


def test_padding_a_results_file_cannot_steer_the_sample_away_from_an_edited_row():
    rows = [{"id": f"r{i}", "passed": True} for i in range(20)]
    # the attack: blank lines appended until the draw the file's own bytes decide leaves the edited row out
    pad = next(p for p in range(200) if "r7" not in sample_ids(rows, 4, hashlib.sha256(_jsonl(rows, p)).hexdigest()))
    data = _jsonl(rows, pad)
    seeds = {new_sample_seed() for _ in range(64)}
    assert len(seeds) == 64 and all(len(s) == 32 for s in seeds)
    drawn = [results_sample(data, 4, s) for s in seeds]
    assert sum("r7" in d for d in drawn) >= 3  # about one draw in five takes it; no padding moves that
    seed = next(iter(seeds))
    assert results_sample(data, 4, seed) == sample_ids(rows, 4, sample_salt(seed, hashlib.sha256(data).hexdigest()))


def test_each_gate_run_draws_a_fresh_seed_and_records_it(tmp_path, tiny_tokenizer):
    run = _run(tmp_path, tiny_tokenizer)
    a = run_release_gate(run.root, "research", write=False, regenerate_rows=2)
    b = run_release_gate(run.root, "research", write=False, regenerate_rows=2)
    assert a["sample_seed"] != b["sample_seed"] and a["sample_seed_given"] is False
    data = RunDir.results_beside(run.eval_report("eval")).read_bytes()
    for result in (a, b):
        assert check_named(result, EVAL)["rows"] == results_sample(data, 2, result["sample_seed"])
        assert not any(c["name"] == "sample_seed_chosen" for c in result["checks"])
    off = run_release_gate(run.root, "research", write=False)
    assert off["sample_seed"] is None and off["sample_seed_given"] is False


def test_an_edited_row_is_found_by_a_seed_that_draws_it_whatever_the_padding(tmp_path, tiny_tokenizer):
    run = _run(tmp_path, tiny_tokenizer)
    results = _results(run)
    next(r for r in results if r["id"] == "m1").update(reply="5", passed=True, failures=[])
    _rewrite(run, results)
    data = RunDir.results_beside(run.eval_report("eval")).read_bytes()
    seed = next(s for s in (f"{i:016x}" for i in range(500)) if results_sample(data, 1, s) == ["m1"])
    result = run_release_gate(run.root, "skill_release", write=False, regenerate_rows=1, sample_seed=seed)
    c = check_named(result, EVAL)
    assert c["rows"] == ["m1"] and c["status"] == "block" and result["status"] == "blocked"
    assert "row 'm1': the model replies " in c["why"]


def test_a_given_seed_reproduces_the_rows_and_caps_the_verdict_at_warn(tmp_path, tiny_tokenizer, capsys):
    run = _run(tmp_path, tiny_tokenizer)
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--regenerate-rows", "2"]) == 0
    first = json.loads(run.release.read_text())
    out = capsys.readouterr().out
    assert f"--sample-seed {first['sample_seed']} draws them again" in out
    assert "what this verdict cannot check:\n  - The training reports and the preflight" in out
    assert f"(sample seed {first['sample_seed']}); the other recorded replies were re-judged" in out
    assert verify_release(run)["state"] == "current"
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--regenerate-rows", "2",
                     "--sample-seed", first["sample_seed"], "--force"]) == 0
    again = json.loads(run.release.read_text())
    assert again["sample_seed"] == first["sample_seed"] and again["sample_seed_given"] is True
    assert check_named(again, EVAL)["rows"] == check_named(first, EVAL)["rows"]
    chosen = check_named(again, "sample_seed_chosen")
    assert chosen["status"] == "warn" and "whoever chose the seed could have picked one that misses edited rows" in chosen["why"]
    assert again["status"] != "approved" and verify_release(run)["state"] == "current"
    edit_json(run.release, lambda r: r["checks"].remove(check_named(r, "sample_seed_chosen")))
    v = verify_release(run)
    assert v["state"] == "stale" and "records no sample_seed_chosen check" in v["sentence"]


@pytest.mark.parametrize("seed", ["", "xyz12345", "ABCDEF12", "1234567", "0" * 65, " 12345678"])
def test_a_malformed_seed_is_a_usage_error_naming_the_flag(tmp_path, tiny_tokenizer, seed, capsys):
    run = _run(tmp_path, tiny_tokenizer)
    with pytest.raises(PicochatInputError, match="sample_seed"):
        run_release_gate(run.root, "research", write=False, regenerate_rows=2, sample_seed=seed)
    code = cli_main(["gate", "release", "--run-dir", str(run.root), "--regenerate-rows", "2", f"--sample-seed={seed}"])
    assert code == 2 and "sample_seed" in capsys.readouterr().err and not run.release.exists()


def test_a_seed_without_reruns_is_refused(tmp_path, tiny_tokenizer):
    run = _run(tmp_path, tiny_tokenizer)
    with pytest.raises(PicochatInputError, match="--regenerate-rows is 0"):
        run_release_gate(run.root, "research", write=False, sample_seed="0123456789abcdef")


def test_consumers_refuse_a_recorded_seed_that_does_not_draw_the_recorded_rows(tmp_path, tiny_tokenizer):
    run = _run(tmp_path, tiny_tokenizer)
    run_release_gate(run.root, "research", regenerate_rows=2)
    assert verify_release(run)["state"] == "current"
    original = run.release.read_text()
    data = RunDir.results_beside(run.eval_report("eval")).read_bytes()
    rows = check_named(json.loads(original), EVAL)["rows"]
    other = next(s for s in (f"{i:016x}" for i in range(500)) if results_sample(data, 2, s) != rows)
    edit_json(run.release, lambda r: r.update(sample_seed=other))
    v = verify_release(run)
    assert v["state"] == "stale" and f"drawn by seed {other}" in v["sentence"]
    for change, said in (({"sample_seed": None}, "its sample_seed None is not a seed the gate draws"),
                         ({"sample_seed": "not hex!"}, "is not a seed the gate draws"),
                         ({"sample_seed_given": "yes"}, "its sample_seed_given 'yes' is not true or false")):
        run.release.write_text(original)
        edit_json(run.release, lambda r, change=change: r.update(change))
        v = verify_release(run)
        assert v["state"] == "stale" and said in v["sentence"], v["sentence"]


def test_seed_settings_that_contradict_the_reruns_do_not_follow():
    base = {"regenerate_rows": 0, "rescan": False, "checks": [{"name": "replies_rerun", "status": "warn"}]}
    assert run_once_problems(base, {}, None) == []
    assert run_once_problems({**base, "sample_seed": "0123456789abcdef"}, {}, None) == [
        "it records sample_seed '0123456789abcdef' but says no rows were re-run"]
    chosen = {"name": "sample_seed_chosen", "status": "pass"}
    problems = run_once_problems({"regenerate_rows": 2, "rescan": False, "sample_seed": "0123456789abcdef", "sample_seed_given": True,
                                  "checks": [chosen]}, {}, None)
    assert "sample_seed_chosen is recorded pass, but a chosen seed can be picked to miss edited rows" in problems
    problems = run_once_problems({"regenerate_rows": 2, "rescan": False, "sample_seed": "0123456789abcdef", "sample_seed_given": False,
                                  "checks": [{**chosen, "status": "warn"}]}, {}, None)
    assert "it records sample_seed_chosen but says its sample seed was drawn fresh" in problems
