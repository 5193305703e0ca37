"""The scoring fingerprint covers every data table the scorer reads, not only scoring.yaml.

Before, a report's `scoring_config_sha256` hashed scoring.yaml (and a user's file) but none of the tables the clause
judges load beside it (decline_forms.yaml, decline_reasons.yaml, identity_negated.yaml, asked_topics.yaml): editing
one changed verdicts and left the hash as it was. Reports now record each table's hash (`scoring_tables`) and one
over all of them (`scoring_tables_sha256`); the gate holds them to this picochat's tables (`scoring:*`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
from pathlib import Path

import pytest

import picochat_hf.eval as eval_pkg
from gate_fixtures import build_chain, check_named, edit_json
from picochat_hf.eval import scoring_tables
from picochat_hf.eval.scoring_tables import CONFIG_NAME, scorer_modules, table_files, table_names, tables_fingerprint, tables_sha256
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir

EVAL = "scoring:eval/eval_report.json"
KNOWN = {"decline_forms.yaml", "decline_reasons.yaml", "identity_negated.yaml", "asked_topics.yaml"}


def _loader_paths() -> set[Path]:
    """Every YAML path a module of the eval package holds at module level (where its loader reads a table from)."""
    found = set()
    for info in pkgutil.iter_modules(eval_pkg.__path__):
        module = importlib.import_module(f"picochat_hf.eval.{info.name}")
        found |= {v.resolve() for v in vars(module).values() if isinstance(v, Path) and v.suffix in (".yaml", ".yml")}
    return found


def test_every_table_a_loader_reads_is_in_the_fingerprint():
    """The fingerprint's list is derived from the folder the loaders read from; every loader's path is in it."""
    covered = {p.resolve() for p in table_files()}
    loaded = _loader_paths()
    assert {p.name for p in loaded} >= KNOWN  # the loaders were found (not a vacuous pass)
    assert {p for p in loaded if p.name != CONFIG_NAME} <= covered
    assert set(tables_fingerprint()) == {p.name for p in table_files()} >= KNOWN


@pytest.fixture
def tables(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped tables that the fingerprint reads instead."""
    folder = tmp_path / "tables"
    folder.mkdir()
    for p in Path(eval_pkg.__file__).parent.glob("*.yaml"):
        shutil.copy(p, folder / p.name)
    monkeypatch.setattr(scoring_tables, "TABLES_DIR", folder)
    return folder


def test_editing_any_table_changes_the_hash_and_comments_or_unread_files_do_not(tables):
    before = tables_sha256(tables_fingerprint())
    for name in sorted(KNOWN):
        path = tables / name
        text = path.read_text()
        path.write_text("# a comment and a blank line change nothing\n\n" + text)
        assert tables_sha256(tables_fingerprint()) == before, name
        path.write_text(text + "\nzz_added_entry: [one more phrase]\n")
        assert tables_sha256(tables_fingerprint()) != before, name
        path.write_text(text)
    assert tables_sha256(tables_fingerprint()) == before
    (tables / "new_lexicon.yaml").write_text("words: [a, b]\n")  # a YAML file no scorer module reads is no table
    assert "new_lexicon.yaml" not in tables_fingerprint() and tables_sha256(tables_fingerprint()) == before


def test_a_report_judged_under_other_tables_blocks_and_one_under_the_same_tables_passes(tmp_path, tables):
    """Before: decline_forms.yaml edited (or the report's tables another picochat's) left scoring:* passing."""
    run = RunDir(build_chain(tmp_path / "run"))
    assert check_named(run_release_gate(run, "skill_release", write=False), EVAL)["status"] == "pass"  # the copy is the same tables
    forms = tables / "decline_forms.yaml"
    forms.write_text(forms.read_text() + "\nzz_added_entry: [one more phrase]\n")
    (tables / "new_lexicon.yaml").write_text("words: [a, b]\n")
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, EVAL)
    assert result["status"] == "blocked" and c["status"] == "block"
    assert c["why"].startswith("eval/eval_report.json was judged with scorer tables ")
    assert "(decline_forms.yaml edited): its verdicts were scored by other rules; re-run the eval." in c["why"]


def test_a_report_without_the_tables_hash_blocks_a_release_and_warns_under_research(tmp_path):
    """Old results (written before the tables were hashed, or with the hash removed) get a clear verdict."""
    run = RunDir(build_chain(tmp_path / "run"))
    edit_json(run.eval_report("eval"), lambda r: [r["config"].pop(k) for k in ("scoring_tables", "scoring_tables_sha256")])
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        c = check_named(run_release_gate(run, profile, write=False), EVAL)
        assert c["status"] == status
        assert c["why"].startswith("eval/eval_report.json records no config.scoring_tables_sha256 (written before picochat hashed "
                                   "the scorer's tables asked_topics.yaml, ")
        assert c["why"].endswith(f"so whether the tables that judged it are this picochat's is unverified; profile {profile} "
                                 "needs it: re-run the eval.")


def _yaml_named(module: str) -> set[str]:
    """The YAML file names a module's source holds in quotes (its loader's table, read in a function or at module level)."""
    text = (Path(eval_pkg.__file__).parent / f"{module}.py").read_text()
    return {m for m in re.findall(r"[\"']([A-Za-z0-9_]+\.ya?ml)[\"']", text)}


def test_the_fingerprint_is_what_the_scorer_reads_and_nothing_else():
    """Before: every eval/*.yaml was fingerprinted, lm_task_keys.yaml (the lm-eval task keys, which no scorer module
    reads) among them, so editing it made every older report read as judged by other rules."""
    scorer = set(scorer_modules())
    assert {"rows_eval", "scoring", "decline_forms", "asked_topics", "letter_positions", "worded_groups"} <= scorer
    assert not {"lm_task_yaml", "lm_harness", "sft_fit", "scoring_tables"} & scorer
    read = set().union(*(_yaml_named(m) for m in scorer)) - {CONFIG_NAME}
    assert set(table_names()) == read >= KNOWN | {"letter_places.yaml", "worded_groups.yaml"}
    assert "lm_task_keys.yaml" in _yaml_named("lm_task_yaml") and "lm_task_keys.yaml" not in table_names()
    # every YAML file of the folder is either a scorer table, the config, or named only by modules the scorer never imports
    for path in Path(eval_pkg.__file__).parent.glob("*.yaml"):
        if path.name not in table_names() and path.name != CONFIG_NAME:
            assert not any(path.name in _yaml_named(m) for m in scorer), path.name


def test_editing_lm_task_keys_changes_no_fingerprint(tables):
    before = tables_fingerprint()
    keys = tables / "lm_task_keys.yaml"
    keys.write_text(keys.read_text() + "\nzz_added_key: [one]\n")
    assert tables_fingerprint() == before


def _old_record(table_hashes: dict) -> dict:
    """The tables fields an older picochat recorded: every YAML file of the folder, lm_task_keys.yaml included."""
    fingerprint = {**table_hashes, "lm_task_keys.yaml": "ab" * 32}
    return {"scoring_tables": fingerprint, "scoring_tables_sha256": tables_sha256(fingerprint)}


def test_an_older_report_that_also_hashed_lm_task_keys_is_judged_with_a_sentence(tmp_path):
    """Old results stay judged: the tables the scorer reads are held to this picochat's, the extra file named."""
    run = RunDir(build_chain(tmp_path / "run"))
    edit_json(run.eval_report("eval"), lambda r: r["config"].update(_old_record(tables_fingerprint())))
    c = check_named(run_release_gate(run, "skill_release", write=False), EVAL)
    assert c["status"] == "pass"
    assert c["why"].endswith("; its record also hashes lm_task_keys.yaml, which the scorer does not read (not counted: the tables it "
                             "reads are this picochat's).")
    # the wrong answer in the same style: the same old record over an edited scorer table still blocks
    edited = {**tables_fingerprint(), "decline_forms.yaml": "cd" * 32}
    edit_json(run.eval_report("eval"), lambda r: r["config"].update(_old_record(edited)))
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, EVAL)
    assert result["status"] == "blocked" and c["status"] == "block"
    assert c["why"].startswith("eval/eval_report.json was judged with scorer tables ") and "decline_forms.yaml edited" in c["why"]
    # a record whose per-table hashes do not give its overall hash is not whole: no part of it is trusted
    edit_json(run.eval_report("eval"), lambda r: r["config"].update(scoring_tables={**tables_fingerprint(), "lm_task_keys.yaml": "ef" * 32}))
    c = check_named(run_release_gate(run, "skill_release", write=False), EVAL)
    assert c["status"] == "block" and "(the recorded per-table hashes do not give the recorded overall hash)" in c["why"]
