"""The commands and flags of the seed documents: each does what the document says or is refused in one line."""

from __future__ import annotations

import pytest

from picochat_hf.cli import main as cli_main


def _run(argv: list[str]) -> int:
    try:
        return cli_main(argv)
    except SystemExit as exc:  # argparse usage errors exit through SystemExit
        return int(exc.code)


@pytest.mark.parametrize("value", ["1", "8"])
def test_eval_external_max_new_tokens_is_refused_with_its_reason(tmp_path, capsys, value):
    """The benchmark protocol's `eval external ... --max-new-tokens 1` was refused as an unrecognised argument,
    which reads like a typo; external evaluation compares letter logits and generates nothing, so the flag could
    only be ignored. It is refused naming the field and why."""
    (tmp_path / "arc.jsonl").write_text("{}\n", encoding="utf-8")
    rc = _run(["eval", "external", "--input", str(tmp_path / "arc.jsonl"), "--format", "arc", "--benchmark-name", "arc_easy",
                   "--checkpoint", str(tmp_path / "ckpt"), "--out-dir", str(tmp_path / "out"), "--max-new-tokens", value])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "max-new-tokens" in err[0] and "letter logits" in err[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("yaml_text,line,field,means", [
    ("max_steps: 3\ngrad_clip: 1.0\n", 2, "grad_clip", "max_grad_norm"),
    ("steps: 180\n", 1, "steps", "max_steps"),
    ("max_steps: 3\nlr-warmup-steps: 20\n", 2, "lr-warmup-steps", "warmup_steps"),
    ("max_steps: 3\nbatch_size: 8\n", 2, "batch_size", "per_device_train_batch_size"),
    ("max_steps: 3\npacking: bos_bestfit\n", 2, "packing", "packing_mode"),
    ("max_steps: 3\ndevice: cpu\n", 2, "device", "device_kind"),
])
def test_a_recipe_yaml_in_the_flags_spelling_is_refused_naming_the_field(tmp_path, yaml_text, line, field, means):
    """The recipe's flags written as YAML keys (`grad_clip: 1.0`) were refused as unknown fields, and
    `packing: bos_bestfit` as a malformed boolean, without saying which field the setting is; the error now
    names it (one name per setting: the flag is the CLI's spelling of the field)."""
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), "--device_kind", "cpu"])
    assert (err.value.line, err.value.field) == (line, field) and f"`{means}`" in str(err.value)


def test_export_hf_tokenizer_flag_checks_the_shipped_tokenizer(tmp_path, capsys, tiny_tokenizer, tiny_tokenizer_dir):
    """The benchmark protocol's `export hf --checkpoint C --tokenizer T ...` was refused as an unrecognised
    argument. The export ships the checkpoint's own tokenizer, so `--tokenizer` now checks that T is that
    tokenizer: the same one exports, another one (evidence about a different tokenizer) is refused."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from picochat_hf.tokenizer import save_tokenizer, train_tokenizer
    from picochat_hf.data.default_corpus import default_texts

    cfg = LlamaConfig(vocab_size=len(tiny_tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128)
    torch.manual_seed(0)
    ckpt = tmp_path / "ckpt"
    LlamaForCausalLM(cfg).save_pretrained(ckpt)
    tiny_tokenizer.save_pretrained(ckpt)
    other = save_tokenizer(train_tokenizer(default_texts(max_documents=20), vocab_size=300, model_max_length=256), tmp_path / "other")
    base = ["export", "hf", "--checkpoint", str(ckpt), "--model-name", "m", "--license", "mit", "--no-verify"]
    capsys.readouterr()  # the setup's progress bars
    assert _run([*base, "--tokenizer", str(other), "--out-dir", str(tmp_path / "bad")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "field 'tokenizer'" in err[0] and "ships" in err[0]
    assert not (tmp_path / "bad").exists()
    assert _run([*base, "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(tmp_path / "ok")]) == 0
    assert (tmp_path / "ok" / "tokenizer.json").exists()


def test_a_plain_text_row_for_sft_is_refused_pointing_at_pretraining():
    """TRL's language-modeling format (`{"text": ...}`) given to SFT was refused listing the chat formats only;
    the refusal now says where such documents go."""
    from picochat_hf.data.row_formats import normalize_row
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        normalize_row({"text": "Once upon a time."}, path="t.jsonl", line=4)
    assert (err.value.line, err.value.field) == (4, "messages") and "train base --documents" in str(err.value)
