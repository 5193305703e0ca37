"""Inputs a careless user passes that reached a traceback, an internal error or a wrong artifact (a hostile sweep).

A config.json of another model_type over picochat weights loaded as a randomly initialised model and was evaluated
and exported; an empty training config or a `null` count in one was an internal error; a bundle manifest or run
record of the wrong JSON type was an AttributeError; an output that is a folder was named by its temp path; a
device that is no device was an internal error; an empty replies file was scanned as "no contamination". Each CLI
case is one line, exit 2, nothing written (the workspace is test_bad_inputs'); the honest near-misses still pass.
"""

from __future__ import annotations

import gzip
import io
import json
import lzma
import shutil
import subprocess
import sys
import tarfile

import pytest
import test_bad_inputs
import torch
from test_bad_inputs import EVAL, MODEL, NEW, ROWS, run_case, snapshot

from picochat_hf.utils.errors import PicochatInputError

workspace = test_bad_inputs.workspace
_quiet = test_bad_inputs._quiet
S = "{w}/sweep"

# a plan.json key set to a number TrainingArguments (or the trainer's config) refuses or no run could have: (key, value, line)
BAD_PLAN_NUMBERS = {"steps-neg": ("max_steps", -5, 3), "steps-0": ("max_steps", 0, 3), "batch-0": ("per_device_batch", 0, 3),
                    "seq-len-neg": ("seq_len", -64, 3), "grad-accum-0": ("grad_accum", 0, 3), "lr-neg": ("learning_rate", -0.001, 3),
                    "lr-0": ("learning_rate", 0, 3), "epochs-0": ("num_train_epochs", 0, 3), "world-0": ("world_size", 0, 3),
                    "params-neg": ("num_parameters", -1, 3), "seed-neg": ("seed", -1, 3)}
# an lm-eval task YAML under --include-path: (text, the key refused, its line)
_TASK = "task: mine\ndataset_path: json\noutput_type: multiple_choice\n"
BAD_TASK_YAMLS = {"unknown-key": (_TASK + "metrics_list:\n  - metric: acc\n", "metrics_list", 4),
                  "path-number": ("task: mine\ndataset_path: 5\n", "dataset_path", 2),
                  "metric-list-string": (_TASK + "metric_list: acc\n", "metric_list", 4),
                  "group-tasks-mapping": ("group: mine\ntask:\n  a: 1\n", "task", 2),
                  "task-name-list": ("task: [a, b]\ndataset_path: json\n", "task", 1),
                  "fewshot-text": (_TASK + "num_fewshot: five\n", "num_fewshot", 4)}
CASES: list[tuple[str, list[str], str]] = [
    # ---- a config.json of another model_type over the weights: transformers would fill the model with random tensors
    ("fit-config-of-another-model", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", f"{S}/m_llama", "--max-rows", "1",
                                     "--max-new-tokens", "2", "--no-progress", "--out-dir", NEW], "describes another model than the weights"),
    ("chat-config-of-another-model", ["eval", "chat", "--input", EVAL, "--checkpoint", f"{S}/m_llama", "--max-new-tokens", "2",
                                      "--no-progress", "--out-dir", NEW], "m_llama/config.json"),
    ("export-config-of-another-model", ["export", "hf", "--checkpoint", f"{S}/m_llama", "--model-name", "x", "--out-dir", NEW],
     "describes another model than the weights"),
    # ---- training configs: an empty file, a null where a number belongs, a config.json that is no object
    ("sft-yaml-empty", ["train", "sft", "--config", f"{S}/empty.yaml", "--input", ROWS, "--out-dir", NEW], "empty.yaml, field 'config'"),
    ("preflight-yaml-empty", ["gate", "preflight", "--config", f"{S}/empty.yaml", "--no-write"], "empty.yaml, field 'config'"),
    ("sft-yaml-null-count", ["train", "sft", "--config", f"{S}/null_steps.yaml", "--input", ROWS, "--out-dir", NEW],
     "null_steps.yaml:1, field 'max_steps'"),
    ("sft-base-lr-neg", ["train", "sft", "--input", ROWS, "--base-learning-rate", "-1", "--out-dir", NEW], "field 'base_learning_rate'"),
    ("sft-base-lr-nan", ["train", "sft", "--input", ROWS, "--base-learning-rate", "nan", "--out-dir", NEW], "field 'base_learning_rate'"),
    ("preflight-yaml-null-count", ["gate", "preflight", "--config", f"{S}/null_steps.yaml", "--no-write"], "null_steps.yaml:1, field 'max_steps'"),
    ("sft-checkpoint-config-list", ["train", "sft", "--input", ROWS, "--checkpoint", f"{S}/m_cfglist", "--device", "cpu", "--out-dir", NEW],
     "m_cfglist/config.json"),
    # ---- a tokenizer.json that parses but is no tokenizer
    ("shards-tokenizer-json-empty-object", ["data", "shards", "--input", ROWS, "--tokenizer", f"{S}/tok_obj", "--out-dir", NEW],
     "tok_obj/tokenizer.json, field 'tokenizer': not a tokenizer"),
    ("chat-tokenizer-model-list", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--tokenizer", f"{S}/tok_model_list",
                                   "--out-dir", NEW], "tok_model_list/tokenizer.json, field 'tokenizer': not a tokenizer"),
    # ---- JSON of the wrong shape in a bundle or a run folder
    ("bundle-check-manifest-list", ["bundle", "--check", f"{S}/manifest_list.tar.gz", "--no-archive-hash"], "field 'bundle_manifest'"),
    ("bundle-check-files-not-list", ["bundle", "--check", f"{S}/manifest_files.tar.gz", "--no-archive-hash"], "field 'files'"),
    ("bundle-check-entry-no-sha", ["bundle", "--check", f"{S}/manifest_entry.tar.gz", "--no-archive-hash"], "field 'files[0].sha256'"),
    ("bundle-check-empty-sidecar", ["bundle", "--check", f"{S}/sidecar/b.tar.gz"], "b.tar.gz.sha256"),
    ("bundle-run-manifest-list", ["bundle", "--run-dir", f"{S}/run_manifest_list", "--out", NEW + ".tar.gz"], "run_manifest.json"),
    ("export-run-preflight-list", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--run-dir", f"{S}/r_pre", "--no-verify",
                                   "--out-dir", NEW], "r_pre/gates/preflight.json: expected a JSON object"),
    ("export-run-honesty-list", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--run-dir", f"{S}/r_hon", "--no-verify",
                                 "--out-dir", NEW], "r_hon/honesty/honesty_report.json: expected a JSON object"),
    ("export-run-train-report-list", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--run-dir", f"{S}/r_sft",
                                      "--no-verify", "--out-dir", NEW], "r_sft/sft/train_report.json: expected a JSON object"),
    ("leaderboard-lm-eval-list", ["leaderboard", f"{S}/r_lm", "--out", NEW + ".md"], "r_lm/lm_eval/lm_eval_results.json: expected a JSON object"),
    # ---- a file output that is a folder: named as given, not by the temp file beside it
    ("leaderboard-out-is-dir", ["leaderboard", "{w}/run", "--out", "{w}/adir", "--force"], "{w}/adir: is a directory"),
    ("bundle-out-is-dir", ["bundle", "--run-dir", "{w}/run", "--out", "{w}/adir", "--force"], "{w}/adir, field 'out': is a directory"),
    ("leaderboard-out-json", ["leaderboard", "{w}/run", "--out", f"{S}/board.json"], "board.json, field 'out'"),
    ("bundle-sidecar-exists", ["bundle", "--run-dir", "{w}/run", "--out", f"{S}/side2/b.tar.gz"], "b.tar.gz.sha256: already exists"),
    # ---- an output below a file: the file is named as what is in the way, not as "already exists"
    ("demo-arc-under-a-file", ["eval", "write-demo-arc", "--out", "{w}/afile.txt/arc.jsonl"], "afile.txt: is a file where a folder"),
    ("score-under-a-file", ["eval", "score", "--input", EVAL, "--replies", "{w}/replies.jsonl", "--out-dir", "{w}/afile.txt/a/b"],
     "afile.txt: is a file where a folder"),
    ("leaderboard-under-a-file", ["leaderboard", "{w}/run", "--out", "{w}/afile.txt/lb.md"], "afile.txt: is a file where a folder"),
    # ---- a device that is no device, or one this machine lacks
    ("chat-device-bogus", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--device", "bogus", "--out-dir", NEW], "field 'device'"),
    ("external-device-bogus", ["eval", "external", "--input", "{w}/arc.jsonl", "--checkpoint", MODEL, "--device", "gpu0", "--out-dir", NEW],
     "field 'device'"),
    # ---- a plan's numbers no run could have (a config's are refused by the trainer's own config checks)
    *[(f"preflight-plan-{name}", ["gate", "preflight", "--plan", f"{S}/plan_{name}.json", "--no-write"], f"plan_{name}.json:{line}, field '{key}'")
      for name, (key, _value, line) in sorted(BAD_PLAN_NUMBERS.items())],
    # ---- an --include-path task YAML lm-eval would fail on mid-run (or misread): refused before the run, dry run too
    *[(f"lm-include-{name}", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_demo", "--include-path", f"{S}/inc_{name}",
                              "--dry-run", "--out-dir", NEW], f"inc_{name}/t.yaml:{line}, field '{key}'")
      for name, (_text, key, line) in sorted(BAD_TASK_YAMLS.items())],
    # ---- a compressed settings file (rows and documents are read compressed; a plan or config is read whole, plain)
    ("preflight-plan-gzip", ["gate", "preflight", "--plan", f"{S}/plan.json.gz", "--no-write"],
     "plan.json.gz: gzip-compressed; decompress it (gunzip -c plan.json.gz > plan.json)"),
    ("preflight-config-gzip", ["gate", "preflight", "--config", f"{S}/sft.yaml.gz", "--no-write"], "sft.yaml.gz: gzip-compressed"),
    ("sft-config-gzip-named-plain", ["train", "sft", "--config", f"{S}/gzipped.yaml", "--input", ROWS, "--out-dir", NEW],
     "gzipped.yaml: gzip-compressed; decompress it and pass"),
    ("tokenizer-corrupt-gz", ["tokenizer", "train", "--input", "{w}/corrupt.jsonl.gz", "--vocab-size", "300", "--out-dir", NEW],
     "corrupt.jsonl.gz: corrupt or truncated compressed file"),
    ("sft-config-xz", ["train", "sft", "--config", f"{S}/sft.yaml.xz", "--input", ROWS, "--out-dir", NEW], "sft.yaml.xz: xz-compressed"),
    # ---- a folder that is no run folder: no verdict or report is written into it
    ("release-empty-folder", ["gate", "release", "--run-dir", f"{S}/no_run"], "no_run, field 'run_dir': holds no run record"),
    ("release-model-folder", ["gate", "release", "--run-dir", MODEL], "model, field 'run_dir': is a model folder"),
    ("report-empty-folder", ["report", "--run-dir", f"{S}/no_run"], "no_run, field 'run_dir': holds no run record"),
    ("report-model-folder", ["report", "--run-dir", MODEL], "model, field 'run_dir': is a model folder"),
    ("report-runs-parent", ["report", "--run-dir", S], "it holds run folders"),
    # ---- an empty replies file gives the scan nothing to compare: not "no contamination"
    ("scan-generated-empty", ["honesty", "scan", "--eval", EVAL, "--generated", f"{S}/empty.jsonl", "--out-dir", NEW], "empty.jsonl"),
]
if not torch.cuda.is_available():
    CASES.append(("fit-device-cuda-absent", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--device", "cuda", "--out-dir", NEW],
                  "field 'device'"))


def _tar(path, members: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buf.getvalue())


def _sweep_files(w) -> None:
    s = w / "sweep"
    s.mkdir(exist_ok=True)
    (s / "empty.yaml").write_text("# nothing set yet\n", encoding="utf-8")
    (s / "null_steps.yaml").write_text("max_steps: null\n", encoding="utf-8")
    (s / "empty.jsonl").write_text("", encoding="utf-8")
    (s / "no_run").mkdir(exist_ok=True)
    (s / "plan.json.gz").write_bytes(gzip.compress(json.dumps({"stage": "sft", "max_steps": 2}).encode()))
    (s / "sft.yaml.gz").write_bytes(gzip.compress(b"max_steps: 2\n"))
    (s / "gzipped.yaml").write_bytes(gzip.compress(b"max_steps: 2\n"))
    (s / "sft.yaml.xz").write_bytes(lzma.compress(b"max_steps: 2\n"))
    for name, (text, _key, _line) in BAD_TASK_YAMLS.items():
        (s / f"inc_{name}").mkdir(exist_ok=True)
        (s / f"inc_{name}" / "t.yaml").write_text(text, encoding="utf-8")
    for name, (key, value, _line) in BAD_PLAN_NUMBERS.items():
        (s / f"plan_{name}.json").write_text(json.dumps({"stage": "sft", key: value}, indent=0), encoding="utf-8")
    for name in ("m_llama", "m_cfglist"):
        shutil.copytree(w / "model", s / name, dirs_exist_ok=True)
    good = json.loads((w / "model" / "config.json").read_text(encoding="utf-8"))
    llama = {k: v for k, v in good.items() if k != "auto_map"} | {"model_type": "llama", "architectures": ["LlamaForCausalLM"]}
    (s / "m_llama" / "config.json").write_text(json.dumps(llama), encoding="utf-8")
    (s / "m_cfglist" / "config.json").write_text("[1, 2]", encoding="utf-8")
    _tar(s / "manifest_list.tar.gz", {"run/bundle_manifest.json": b"[1, 2]"})
    _tar(s / "manifest_files.tar.gz", {"run/bundle_manifest.json": b'{"files": {"a": 1}}'})
    _tar(s / "manifest_entry.tar.gz", {"run/bundle_manifest.json": b'{"files": [{"path": "a.json"}]}', "run/a.json": b"{}"})
    (s / "sidecar").mkdir(exist_ok=True)
    _tar(s / "sidecar" / "b.tar.gz", {"run/bundle_manifest.json": b'{"files": []}'})
    (s / "sidecar" / "b.tar.gz.sha256").write_text("", encoding="utf-8")
    for name in ("tok_obj", "tok_model_list"):
        shutil.copytree(w / "tok", s / name, dirs_exist_ok=True)
    (s / "tok_obj" / "tokenizer.json").write_text("{}", encoding="utf-8")
    spec = json.loads((w / "tok" / "tokenizer.json").read_text(encoding="utf-8"))
    (s / "tok_model_list" / "tokenizer.json").write_text(json.dumps({**spec, "model": [1]}), encoding="utf-8")
    (s / "side2").mkdir(exist_ok=True)
    (s / "side2" / "b.tar.gz.sha256").write_text("a checksum someone keeps\n", encoding="utf-8")
    (s / "run_manifest_list" / "eval").mkdir(parents=True, exist_ok=True)
    (s / "run_manifest_list" / "run_manifest.json").write_text("[1]", encoding="utf-8")
    shutil.copy(w / "run" / "report.md", s / "run_manifest_list" / "report.md")


RECORDS = {"r_pre": "gates/preflight.json", "r_hon": "honesty/honesty_report.json", "r_sft": "sft/train_report.json",
           "r_lm": "lm_eval/lm_eval_results.json"}


def _runs_with_a_list_record(s) -> None:
    """A run folder per record, each with a valid eval report and that one record a JSON list."""
    report = {"kind": "chat", "summary": {"n": 1, "passed": 1, "pass_rate": 1.0, "ci": [0.2, 1.0]}}
    for name, rel in RECORDS.items():
        (s / name / "eval").mkdir(parents=True, exist_ok=True)
        (s / name / "eval" / "eval_report.json").write_text(json.dumps(report), encoding="utf-8")
        (s / name / rel).parent.mkdir(parents=True, exist_ok=True)
        (s / name / rel).write_text("[1, 2]\n", encoding="utf-8")


@pytest.fixture(scope="module")
def sweep_workspace(workspace):
    _sweep_files(workspace)
    _runs_with_a_list_record(workspace / "sweep")
    return workspace


@pytest.mark.parametrize("case_id,argv,expect", CASES, ids=[c[0] for c in CASES])
def test_swept_input_is_one_line_exit_2_and_leaves_nothing(case_id, argv, expect, sweep_workspace, capsys):
    before = snapshot(sweep_workspace)
    rc, lines = run_case(argv, sweep_workspace, capsys)
    assert rc == 2, f"exit {rc}: {lines}"
    assert len(lines) == 1 and "Traceback" not in lines[0] and "error" in lines[0], lines
    assert expect.replace("{w}", str(sweep_workspace)) in lines[0], lines[0]
    assert ".tmp" not in lines[0] and ".partial" not in lines[0], lines[0]
    assert snapshot(sweep_workspace) == before


def test_a_folder_whose_weights_fill_its_model_still_loads(workspace):
    from picochat_hf.utils.model_load import incomplete_load, load_complete

    model = load_complete(workspace / "model")
    assert type(model).__name__ == "PicochatForCausalLM"
    assert incomplete_load({"missing_keys": [], "unexpected_keys": [], "mismatched_keys": [], "error_msgs": []}) is None
    assert "lack 1 tensor" in incomplete_load({"missing_keys": ["model.norm.weight"]})
    assert "another shape" in incomplete_load({"mismatched_keys": [("lm_head.weight", (2, 3), (3, 2))]})


def test_an_optional_setting_may_still_be_null(tmp_path):
    from picochat_hf.training.config import PicochatSFTConfig, parse_config

    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_length: 64\neval_steps: null\n", encoding="utf-8")
    config = parse_config(PicochatSFTConfig, ["--config", str(cfg)])
    assert config.max_length == 64 and config.eval_steps is None
    cfg.write_text("max_steps: null\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="max_steps"):
        parse_config(PicochatSFTConfig, ["--config", str(cfg)])


@pytest.mark.parametrize("plan", [{"max_steps": -1, "num_train_epochs": 2}, {"max_steps": -1}, {"max_steps": 1},
                                  {"per_device_batch": 1, "grad_accum": 1, "seq_len": 1, "world_size": 1, "learning_rate": 1e-8},
                                  {"num_train_epochs": 0.5, "seed": 0, "planned_trained_tokens": 0}],
                         ids=["by-epochs", "by-default-epochs", "one-step", "smallest-sizes", "half-epoch"])
def test_a_plan_with_numbers_a_run_may_have_is_judged_not_refused(plan, sweep_workspace, tmp_path, capsys):
    """max_steps -1 is transformers' "train by epochs"; the smallest batch, accumulation, length and rate are runs too."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"stage": "sft", **plan}), encoding="utf-8")
    rc, lines = run_case(["gate", "preflight", "--plan", str(path), "--no-write"], sweep_workspace, capsys)
    assert rc in (0, 1) and not any("error" in line for line in lines), lines


GOOD_TASK_YAMLS = {
    "task": _TASK + "metric_list:\n  - metric: acc\nnum_fewshot: 0\ndoc_to_choice: \"{{choices}}\"\nmetadata:\n  version: 1.0\n",
    "group-of-tasks": "group: mine\ntask:\n  - a\n  - task: b\n    num_fewshot: 1\naggregate_metric_list:\n  metric: acc\n",
    "group-one-task": "group: mine\ntask: a\n",
    "included-list": "task: mine\ninclude: [_base.yaml]\ndoc_to_text: !function utils.prompt\n",
    "python-task": "task: mine\nclass: !function task.Mine\nrecipe: card=cards.x\n",
    "python-task-by-include": "task: mine\ninclude: _py\nrecipe: card=cards.x\n",
    "template-only": "output_type: multiple_choice\ntest_split: test\n",
    "empty": "",
}


@pytest.mark.parametrize("name", sorted(GOOD_TASK_YAMLS))
def test_an_include_path_task_yaml_lm_eval_reads_is_accepted(name, tmp_path):
    """The keys and kinds lm-eval's TaskConfig / GroupConfig declare, `include` (a name or a list), a group's mapping
    of one aggregate metric and a Python task's own keys pass; every task YAML lm-eval ships passes too (checked when
    this was written: 13986 files, 0 refused)."""
    from picochat_hf.eval.lm_task_yaml import check_include_path

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.yaml").write_text(GOOD_TASK_YAMLS[name], encoding="utf-8")
    (tmp_path / "sub" / "_py.yaml").write_text("class: !function task.Mine\n", encoding="utf-8")
    check_include_path(tmp_path)


def test_the_shipped_lm_eval_tasks_pass_the_include_path_check():
    from picochat_hf.eval.lm_harness import shipped_tasks_dir
    from picochat_hf.eval.lm_task_yaml import check_include_path

    check_include_path(shipped_tasks_dir())


def test_the_tokenizer_trainer_reads_compressed_text_and_jsonl_like_data_import(tmp_path):
    """`tokenizer train --input` reads .txt/.jsonl compressed (.gz, .xz, ...) as the same texts as the plain files,
    streamed (a truncated one: the sweep's tokenizer-corrupt-gz)."""
    from picochat_hf.tokenizer import iter_texts_from_files

    (tmp_path / "c.txt").write_text("A paragraph.\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "first"}\n{"text": "second"}\n', encoding="utf-8")
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress((tmp_path / "c.txt").read_bytes()))
    (tmp_path / "c.jsonl.xz").write_bytes(lzma.compress(b"\xef\xbb\xbf" + (tmp_path / "c.jsonl").read_bytes()))
    for plain, packed in (("c.txt", "c.txt.gz"), ("c.jsonl", "c.jsonl.xz")):
        assert list(iter_texts_from_files([tmp_path / packed])) == list(iter_texts_from_files([tmp_path / plain]))


def test_a_plain_settings_file_is_still_read(tmp_path):
    from picochat_hf.utils.io import read_json, read_yaml_mapping

    (tmp_path / "plan.json").write_text('{"stage": "sft"}', encoding="utf-8")
    (tmp_path / "BZh.yaml").write_text("max_steps: 2\n", encoding="utf-8")  # a name that is a magic number is no content
    assert read_json(tmp_path / "plan.json") == {"stage": "sft"}
    assert read_yaml_mapping(tmp_path / "BZh.yaml") == {"max_steps": 2}


def test_a_bundle_manifest_of_the_right_shape_is_checked_not_refused(tmp_path):
    from picochat_hf.export.bundle import check_bundle

    _tar(tmp_path / "ok.tar.gz", {"run/bundle_manifest.json": b'{"files": [{"path": "a.json", "sha256": "00"}]}', "run/a.json": b"{}"})
    res = check_bundle(tmp_path / "ok.tar.gz", require_archive_hash=False)
    assert res["ok"] is False and res["altered"] == ["a.json"]


def test_a_device_string_torch_reads_is_accepted():
    from picochat_hf.utils.checks import check_device

    assert check_device("cpu") == "cpu"
    with pytest.raises(PicochatInputError, match="field 'device'"):
        check_device("bogus")


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_report_reads_a_record_that_is_no_object_as_absent_like_a_malformed_one(sweep_workspace, tmp_path, name, capsys):
    """`picochat report` is display-only and reads run records leniently (a malformed one is left out): a record that
    parses to a list is left out the same way, not an internal error."""
    run = tmp_path / name
    shutil.copytree(sweep_workspace / "sweep" / name, run)
    rc, lines = run_case(["report", "--run-dir", str(run)], sweep_workspace, capsys)
    assert rc == 0 and not any("internal error" in line for line in lines), lines
    assert (run / "report.md").is_file()


def test_an_output_in_missing_folders_is_written_and_a_bundle_replaces_its_own_sidecar_with_force(sweep_workspace, tmp_path, capsys):
    rc, lines = run_case(["eval", "write-demo-arc", "--out", str(tmp_path / "a" / "b" / "arc.jsonl")], sweep_workspace, capsys)
    assert rc == 0 and (tmp_path / "a" / "b" / "arc.jsonl").is_file(), lines
    out = tmp_path / "b.tar.gz"
    for force in ([], ["--force"]):
        rc, lines = run_case(["bundle", "--run-dir", "{w}/run", "--out", str(out), *force], sweep_workspace, capsys)
        assert rc == 0, lines
    assert (tmp_path / "b.tar.gz.sha256").read_text().endswith("  b.tar.gz\n")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_leaderboard_stops_when_another_command_holds_its_data_file(sweep_workspace, tmp_path, capsys):
    """`leaderboard --out x.md` writes x.json too, which `leaderboard --out x` writes as well: the data file is locked
    like the markdown, so the second command stops instead of pairing its data with the first one's table."""
    data = tmp_path / "board.json"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom picochat_hf.utils.io import output_lock\n"
                               "with output_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(120)\n", str(data)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        rc, lines = run_case(["leaderboard", "{w}/run", "--out", str(tmp_path / "board.md")], sweep_workspace, capsys)
        assert rc == 2 and len(lines) == 1 and "in use by another picochat command" in lines[0], lines
        assert not (tmp_path / "board.md").exists() and not data.exists()
    finally:
        holder.kill()
        holder.wait()
    rc, lines = run_case(["leaderboard", "{w}/run", "--out", str(tmp_path / "board.md")], sweep_workspace, capsys)
    assert rc == 0 and data.is_file(), lines


def test_a_byte_order_mark_is_dropped_by_the_tokenizer_trainer_and_the_benchmark_readers(tmp_path):
    """A file saved with a leading BOM (editors on Windows) is the same file without it: the tokenizer trainer refused
    such a JSONL as malformed, the ARC/MMLU readers refused a JSONL and put U+FEFF into the first CSV question."""
    from picochat_hf.eval.external import read_benchmark
    from picochat_hf.tokenizer import iter_texts_from_files

    (tmp_path / "c.jsonl").write_bytes(b"\xef\xbb\xbf" + b'{"text": "first"}\r\n{"text": "second"}\r\n')
    (tmp_path / "c.txt").write_bytes(b"\xef\xbb\xbfA paragraph.\r\n")
    assert list(iter_texts_from_files([tmp_path / "c.jsonl"])) == ["first", "second"]
    assert list(iter_texts_from_files([tmp_path / "c.txt"])) == ["A paragraph.\n"]
    arc = {"id": "q1", "question": {"stem": "Which?", "choices": [{"label": "A", "text": "a"}, {"label": "B", "text": "b"}]},
           "answerKey": "B"}
    (tmp_path / "arc.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps(arc).encode() + b"\r\n")
    assert [r["gold"] for r in read_benchmark(tmp_path / "arc.jsonl", "arc")] == [1]
    (tmp_path / "astro_test.csv").write_bytes(b"\xef\xbb\xbfWhat?,a,b,c,d,C\r\n")
    assert read_benchmark(tmp_path / "astro_test.csv", "mmlu_csv")[0]["question"] == "What?"
    (tmp_path / "bad.jsonl").write_bytes(b"\xef\xbb\xbf{not json\n")
    with pytest.raises(PicochatInputError, match="bad.jsonl:1: malformed JSON"):
        list(iter_texts_from_files([tmp_path / "bad.jsonl"]))
