"""The recorded tokenizer identity covers what decides the prompt, not tokenizer.json alone: a chat template or
special token changed after the eval is another model to the gate, the card, the export check and the leaderboard;
a report written by older code (the sha256 of tokenizer.json alone) is never taken as matching, and says why."""

from __future__ import annotations

import copy
import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from gate_fixtures import all_pass_but_rerun, build_chain, edit_json, fake_weights
from picochat_hf import PicochatConfig
from picochat_hf.gates import run_release_gate, verify_release
from picochat_hf.gates.evidence import load_release_evidence
from picochat_hf.gates.common import load_profile
from picochat_hf.gates.release_checks import check_eval_models
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.io import sha256_file
from picochat_hf.utils.provenance import input_sha256, weights_sha256
from picochat_hf.utils.tokenizer_identity import tokenizer_sha256

TEMPLATE = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"
CONFIG = {"bos_token": "<|bos|>", "eos_token": "<|assistant_end|>", "pad_token": "<|pad|>", "extra_special_tokens": ["<|user_start|>"],
          "model_max_length": 256, "tokenizer_class": "TokenizersBackend"}


def _tokenizer_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokenizer.json").write_text('{"model": "released"}')
    (folder / "chat_template.jinja").write_text(TEMPLATE)
    (folder / "tokenizer_config.json").write_text(json.dumps(CONFIG))
    return folder


def _set_config(folder: Path, **change) -> None:
    (folder / "tokenizer_config.json").write_text(json.dumps({**json.loads((folder / "tokenizer_config.json").read_text()), **change}))


def test_identity_changes_with_the_template_and_special_tokens_and_not_with_load_options(tmp_path):
    tok = _tokenizer_files(tmp_path / "tok")
    base = tokenizer_sha256(tok)
    assert base == input_sha256(tok) and base != sha256_file(tok / "tokenizer.json")
    _set_config(tok, is_local=True, local_files_only=True, eos_token={"content": "<|assistant_end|>", "special": True})
    assert tokenizer_sha256(tok) == base  # what save_pretrained adds, and a token saved as an AddedToken
    config = json.loads((tok / "tokenizer_config.json").read_text())
    config["additional_special_tokens"] = config.pop("extra_special_tokens")  # the name older configs use
    (tok / "tokenizer_config.json").write_text(json.dumps(config))
    assert tokenizer_sha256(tok) == base
    seen = {base}
    for change in (lambda: (tok / "chat_template.jinja").write_text(TEMPLATE + "\n"),
                   lambda: _set_config(tok, eos_token="<|user_end|>"),
                   lambda: _set_config(tok, extra_special_tokens=[]),
                   lambda: _set_config(tok, add_bos_token=True),
                   lambda: (tok / "special_tokens_map.json").write_text('{"unk_token": "<|unk|>"}'),
                   lambda: ((tok / "additional_chat_templates").mkdir(), (tok / "additional_chat_templates" / "tool_use.jinja").write_text("x")),
                   lambda: (tok / "chat_template.jinja").unlink()):
        change()
        now = tokenizer_sha256(tok)
        assert now not in seen
        seen.add(now)
    # the template moved into the config is the template transformers loads: the same prompt
    shutil.rmtree(tok / "additional_chat_templates")
    (tok / "chat_template.jinja").write_text("moved")
    in_file = tokenizer_sha256(tok)
    (tok / "chat_template.jinja").unlink()
    _set_config(tok, chat_template="moved")
    assert tokenizer_sha256(tok) == in_file
    (tok / "tokenizer_config.json").write_text("{not json")
    assert tokenizer_sha256(tok) not in seen | {in_file}


def test_identity_survives_the_exports_load_and_save(tiny_tokenizer_dir, tmp_path):
    from picochat_hf.tokenizer import load_tokenizer

    load_tokenizer(tiny_tokenizer_dir).save_pretrained(str(tmp_path / "saved"))
    assert tokenizer_sha256(tmp_path / "saved") == tokenizer_sha256(tiny_tokenizer_dir)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[RunDir, dict]:
    """One chain whose checkpoint ships a tokenizer with a template, judged once; each test puts back what it edits."""
    root = tmp_path_factory.mktemp("identity")
    ckpt = _tokenizer_files(fake_weights(root / "run" / "sft" / "checkpoint"))
    run = RunDir(build_chain(root, checkpoint=ckpt))
    return run, run_release_gate(run, "skill_release")


@contextmanager
def restored(*paths: Path):
    """Put the files back as they were (or remove them) after the test edits them."""
    kept = {p: p.read_bytes() if p.is_file() else None for p in paths}
    try:
        yield
    finally:
        for p, data in kept.items():
            p.unlink(missing_ok=True)
            if data is not None:
                p.write_bytes(data)


def _eval_model(run: RunDir) -> dict:
    """The gate's eval_model check alone (the full gate re-judges every row)."""
    checks = check_eval_models(load_release_evidence(run), load_profile("skill_release")["release"], "skill_release")
    return next(c for c in checks if c["name"] == "eval_model")


def _editable(run: RunDir) -> tuple[Path, ...]:
    ckpt = run.released_checkpoint
    return (ckpt / "chat_template.jinja", ckpt / "tokenizer_config.json", run.eval_report("eval"))


def test_a_chat_template_or_special_token_changed_after_the_eval_blocks_the_release(released):
    """The evals asked the weights through one template; the release ships another: it was approved as the same model."""
    run, verdict = released
    ckpt = run.released_checkpoint
    assert json.loads(run.eval_report("eval").read_text())["model"]["tokenizer_sha256"] == tokenizer_sha256(ckpt)
    assert all_pass_but_rerun(verdict) and _eval_model(run)["status"] == "pass"
    with restored(*_editable(run)):
        (ckpt / "chat_template.jinja").write_text(TEMPLATE.replace("<|", "[").replace("|>", "]"))
        stale = verify_release(run)
        assert stale["state"] == "stale" and "the released tokenizer" in stale["sentence"] and "chat template" in stale["sentence"]
        c = _eval_model(run)
        assert c["status"] == "block" and f"ships tokenizer {tokenizer_sha256(ckpt)[:12]}" in c["why"]
    with restored(*_editable(run)):
        _set_config(ckpt, eos_token="<|user_end|>")
        assert _eval_model(run)["status"] == "block" and verify_release(run)["state"] == "stale"
    with restored(*_editable(run)):
        (ckpt / "chat_template.jinja").unlink()  # no template: the model is asked in plain text
        assert _eval_model(run)["status"] == "block"
    assert _eval_model(run)["status"] == "pass"


def test_a_report_hashing_tokenizer_json_alone_is_not_taken_as_matching(released, tmp_path):
    """A report written before the identity covered the template records sha256(tokenizer.json): it cannot show which
    template the eval used, so gate, leaderboard and verdict check say so (the card: below) rather than call it the shipped tokenizer."""
    from picochat_hf.eval.leaderboard import build_leaderboard

    run, _ = released
    ckpt = run.released_checkpoint
    with restored(*_editable(run)):
        edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer_sha256=sha256_file(ckpt / "tokenizer.json")))
        c = _eval_model(run)
        assert c["status"] == "block" and "tokenizer.json alone (written by older picochat_hf)" in c["why"]
        md = build_leaderboard([run.root], tmp_path / "lb.md").read_text()
        assert "run's eval cannot be ranked" in md and "tokenizer.json alone" in md
    with restored(*_editable(run), run.release):
        edit_json(run.release, lambda r: r["checkpoint"].update(tokenizer_sha256=sha256_file(ckpt / "tokenizer.json")))
        stale = verify_release(run)
        assert stale["state"] == "stale" and "names by tokenizer.json alone" in stale["sentence"]


@pytest.fixture(scope="module")
def evidence(released) -> dict:
    """What the export hands the card, read once from the untouched run (re-deriving it re-reads every row)."""
    from picochat_hf.export.run_evidence import collect_run_evidence

    return collect_run_evidence(released[0])


def _card_line(evidence: dict, ckpt: Path, label: str = "Visible chat eval", **model_change) -> str:
    """The card row of `label` when the export ships `ckpt`'s tokenizer as it is now, the eval report's model block changed."""
    from picochat_hf.export.model_card import build_model_card

    evidence = copy.deepcopy(evidence)
    model = evidence["evals"]["eval"]["model"]
    model.update(model_change)
    for key in [k for k, v in model_change.items() if v is None]:
        model.pop(key)
    evidence |= {"exported_weights": weights_sha256(ckpt), "exported_tokenizer": input_sha256(ckpt), "exported_tokenizer_dir": str(ckpt)}
    card = build_model_card(model_name="m", license="mit", config=PicochatConfig(hidden_size=32, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=2), num_parameters=1000, evidence=evidence)
    return next(ln for ln in card.content.splitlines() if ln.startswith(f"| {label} |"))


def test_the_card_flags_a_report_that_records_no_tokenizer_where_the_export_ships_one(released, evidence):
    run, _ = released
    ckpt = run.released_checkpoint
    assert "does not hold" not in _card_line(evidence, ckpt)
    line = _card_line(evidence, ckpt, tokenizer_sha256=None)
    assert "does not hold" in line and "records no tokenizer hash" in line
    line = _card_line(evidence, ckpt, tokenizer_sha256=sha256_file(ckpt / "tokenizer.json"))
    assert "does not hold" in line and "tokenizer.json alone" in line
    with restored(*_editable(run)):
        (ckpt / "chat_template.jinja").write_text("another template")
        assert "does not hold" in _card_line(evidence, ckpt) and "does not hold" in _card_line(evidence, ckpt, "SFT fit")


def test_the_export_refuses_a_checkpoint_whose_template_changed_after_the_gate(released):
    from picochat_hf.export.hf_export import _not_the_judged_model
    from picochat_hf.export.hub import _not_the_judged_weights

    run, verdict = released
    ckpt = run.released_checkpoint
    assert _not_the_judged_model(ckpt, run.root, verdict) is None and _not_the_judged_weights(ckpt, verdict) is None
    with restored(*_editable(run)):
        (ckpt / "chat_template.jinja").write_text("another template")
        assert "judged tokenizer" in _not_the_judged_model(ckpt, run.root, verdict)
        assert "not the tokenizer the release gate judged" in _not_the_judged_weights(ckpt, verdict)
    older = {**verdict, "checkpoint": {**verdict["checkpoint"], "tokenizer_sha256": sha256_file(ckpt / "tokenizer.json")}}
    assert "the sha256 of tokenizer.json alone (older picochat_hf)" in _not_the_judged_model(ckpt, run.root, older)
