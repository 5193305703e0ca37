"""bench/scorer_speed.py: the identity harness of the rule engine (mutations, dump, bad input)."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "scorer_speed.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("scorer_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(rid: str, question: str, answer: str, skill: str = "math") -> dict:
    return {"id": rid, "skill": skill, "answer_style": "direct", "normalized_answer": answer, "reference_answer": answer,
            "messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}


def _pack(tmp_path: Path) -> Path:
    rows = [_row("a", "What is 12 + 30?", "42"), _row("b", "What is 3 + 4?", "7"), _row("c", "What is 5 + 2?", "7")]
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "eval_rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_changed_number_changes_only_the_last_number(bench):
    assert bench.changed_number("12 apples and 41 pears.") == "12 apples and 42 pears."
    assert bench.changed_number("9") == "10"
    assert bench.changed_number("no digits here") is None


def test_other_row_gives_another_reference_of_the_same_skill(bench):
    rows = [("f", _row("a", "q1", "42")), ("f", _row("b", "q2", "7")), ("f", _row("c", "q3", "7")),
            ("f", _row("d", "q4", "dog", skill="spelling"))]
    # "b" skips "c" (the same reference) and wraps to "a"; "d" is the only row of its skill
    assert bench.other_references(rows) == ["7", "42", "42", None]


def test_right_answer_passes_and_every_wrong_one_fails(bench, tmp_path):
    rows = bench.read_pack_rows(_pack(tmp_path), 0)
    cases = bench.cases_of(rows)
    assert [kind for name, kind, row, _, _ in cases if row["id"] == "a"] == [
        "reference", "other_row", "appended_wrong", "number_changed", "empty", "refusal"]
    results, cpu, wall = bench.score_all(cases)
    verdicts = {(row["id"], kind): r["passed"] for (_, kind, row, _, _), r in zip(cases, results)}
    assert verdicts[("a", "reference")] is True
    assert verdicts[("a", "other_row")] is False  # "7", a right answer to another question
    assert verdicts[("a", "number_changed")] is False  # "43"
    assert verdicts[("a", "empty")] is False and verdicts[("a", "refusal")] is False
    assert cpu >= 0 and wall >= 0


def test_dump_is_byte_identical_across_runs(bench, tmp_path):
    folder = _pack(tmp_path)
    assert bench.main(["--packs", str(folder), "--reps", "1", "--dump", str(tmp_path / "one.jsonl")]) == 0
    assert bench.main(["--packs", str(folder), "--reps", "1", "--dump", str(tmp_path / "two.jsonl")]) == 0
    one = (tmp_path / "one.jsonl").read_bytes()
    assert one == (tmp_path / "two.jsonl").read_bytes()
    records = [json.loads(line) for line in one.decode().splitlines()]
    assert len(records) == 18  # 3 rows x 6 replies: every reference holds a number and has another row's answer
    first = records[0]
    assert list(first) == sorted(first) and first["kind"] == "reference" and first["result"]["passed"] is True


def test_malformed_pack_line_exits_2_naming_file_and_line(bench, tmp_path, capsys):
    folder = _pack(tmp_path)
    with (folder / "eval_rows.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    assert bench.main(["--packs", str(folder), "--reps", "1", "--dump", str(tmp_path / "d.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "eval_rows.jsonl:4: malformed JSON" in err and "\n" not in err
    assert not (tmp_path / "d.jsonl").exists()
