"""The model card repeats an eval report's rates only where its per-row results give them: with no gate run (the card
then says the gate did not run, but printed the rates as measured and put them in `model-index`), an edited rate was
published as the model's."""

from __future__ import annotations

from gate_fixtures import build_chain, edit_json, fake_weights
from picochat_hf import PicochatConfig
from picochat_hf.export.model_card import build_model_card
from picochat_hf.export.run_evidence import collect_run_evidence
from picochat_hf.run_dir import RunDir


def _card(run: RunDir) -> tuple[str, list[dict]]:
    card = build_model_card(model_name="m", license="mit", config=PicochatConfig(hidden_size=32, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=2), num_parameters=1000, evidence=collect_run_evidence(run))
    data = card.data.to_dict()
    return card.content, [m | {"dataset": r["dataset"]["type"]} for i in data.get("model-index") or [] for r in i["results"] for m in r["metrics"]]


def test_an_edited_rate_without_a_gate_does_not_reach_the_card(tmp_path):
    run = RunDir(build_chain(tmp_path))
    text, metrics = _card(run)
    assert "Release gate: not run" in text and "does not hold" not in text
    assert any(m["name"] == "math pass rate" and m["value"] == 0.5 for m in metrics)
    assert any(m["type"] == "letter_acc" and m["value"] == 0.31 for m in metrics)
    edit_json(run.eval_report("eval"), lambda r: r["summary"]["by_skill"]["math"].update(pass_rate=1.0, passed=r["summary"]["by_skill"]["math"]["n"]))
    edit_json(run.external_dir("arc_easy") / "eval_report.json", lambda r: r["external"].update(letter_acc=0.91))
    text, metrics = _card(run)
    line = next(ln for ln in text.splitlines() if ln.startswith("| Visible chat eval |"))
    assert line.startswith("| Visible chat eval | 480 | does not hold | – | `eval/eval_report.json` (")
    assert "its numbers do not follow from its rows (summary.by_skill.math.passed: reported 80, the rows give 40)" in line
    assert "external.letter_acc: reported 0.91, the rows give 0.31" in text
    assert not any(m["dataset"] in ("picochat_hf/eval", "arc_easy") for m in metrics)
    assert "| &nbsp;&nbsp;math |" not in text and "91.0%" not in text
    # the fits' numbers still follow from their rows and stay
    assert any(m["dataset"] == "picochat_hf/sft_fit" and m["value"] == 0.92 for m in metrics)


def test_a_report_without_its_rows_is_not_on_the_card_as_measured(tmp_path):
    run = RunDir(build_chain(tmp_path))
    RunDir.results_beside(run.eval_report("sft_fit_heldout")).unlink()
    text, metrics = _card(run)
    assert "sft_fit_heldout/results.jsonl, so its numbers cannot be re-derived from its rows" in text
    assert not any(m["dataset"] == "picochat_hf/sft_fit_heldout" for m in metrics)
    assert any(m["dataset"] == "picochat_hf/sft_fit" for m in metrics)


def test_reports_about_other_weights_are_not_on_the_exported_models_card(tmp_path):
    """With no gate to tie them to the export, a chat eval of other weights (and a benchmark scored from a replies
    file) were printed as this model's rates; the export now hands the card the exported weights' hash."""
    from picochat_hf.utils.provenance import weights_sha256

    run = RunDir(build_chain(tmp_path))
    mine = weights_sha256(run.released_checkpoint)
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(weights_sha256="9" * 64))
    edit_json(run.external_dir("arc_easy") / "eval_report.json", lambda r: r.update(kind="replies"))
    evidence = collect_run_evidence(run) | {"exported_weights": mine}
    card = build_model_card(model_name="m", license="mit", config=PicochatConfig(hidden_size=32, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=2), num_parameters=1000, evidence=evidence)
    line = next(ln for ln in card.content.splitlines() if ln.startswith("| Visible chat eval |"))
    assert "does not hold" in line and f"it scored weights 999999999999, not these weights {mine[:12]}" in line
    assert "it scored a replies file" in card.content
    types = {r["dataset"]["type"] for i in card.data.to_dict()["model-index"] for r in i["results"]}
    assert "picochat_hf/eval" not in types and "arc_easy" not in types and "picochat_hf/sft_fit" in types


def test_a_verdict_flipped_with_its_summary_rebuilt_does_not_reach_the_card(tmp_path):
    """A failing math row's `passed` flipped to true and the summary rebuilt from the edited rows (`summarize`), so every
    number follows from the rows: the card printed the raised rate as measured. It now re-judges the verdicts."""
    import json

    from picochat_hf.eval.rows_eval import summarize

    run = RunDir(build_chain(tmp_path))
    results = RunDir.results_beside(run.eval_report("eval"))
    rows = [json.loads(x) for x in results.read_text().splitlines()]
    wrong = next(r for r in rows if r["skill"] == "math" and not r["passed"])
    wrong.update(passed=True, failures=[])
    results.write_text("".join(json.dumps(r) + "\n" for r in rows))
    edit_json(run.eval_report("eval"), lambda r: r.update(summary=summarize(rows)))
    text, metrics = _card(run)
    line = next(ln for ln in text.splitlines() if ln.startswith("| Visible chat eval |"))
    assert "does not hold" in line and f"row '{wrong['id']}' is recorded as passing, but its reply fails" in line
    assert not any(m["dataset"] == "picochat_hf/eval" for m in metrics)
    assert any(m["dataset"] == "picochat_hf/sft_fit" and m["value"] == 0.92 for m in metrics)  # the untouched fit stays


def test_reports_that_read_another_tokenizer_than_the_export_ships_are_not_on_its_card(tmp_path):
    """The export ships one tokenizer; a chat eval that read the same weights through another (its recorded
    tokenizer_sha256) was printed as this model's rate. The export hands the card the shipped tokenizer's hash too."""
    from picochat_hf.utils.provenance import input_sha256, weights_sha256

    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    run = RunDir(build_chain(tmp_path, checkpoint=ckpt))
    shipped = input_sha256(ckpt)  # the tokenizer identity, not tokenizer.json alone
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer_sha256="9" * 64))
    evidence = collect_run_evidence(run) | {"exported_weights": weights_sha256(ckpt), "exported_tokenizer": shipped}
    card = build_model_card(model_name="m", license="mit", config=PicochatConfig(hidden_size=32, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=2), num_parameters=1000, evidence=evidence)
    line = next(ln for ln in card.content.splitlines() if ln.startswith("| Visible chat eval |"))
    assert "does not hold" in line and f"it read these weights through tokenizer 999999999999, not the shipped {shipped[:12]}" in line
    datasets = {r["dataset"]["type"] for i in card.data.to_dict().get("model-index") or [] for r in i["results"]}
    assert "picochat_hf/eval" not in datasets and "picochat_hf/sft_fit" in datasets and "arc_easy" in datasets
