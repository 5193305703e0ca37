"""Exported folders load without picochat_hf (trust_remote_code) and as native nanochat."""

from __future__ import annotations

import json

import torch
from transformers import NanoChatForCausalLM

from picochat_hf.export.native import native_incompatibilities, nanochat_config_from
from picochat_hf.cli import main

from helpers_model import run_without_package, tiny_config, tiny_model

_run_isolated = run_without_package  # the name tests/test_export_hf.py imports


def test_export_loads_with_trust_remote_code_without_package(tmp_path, tiny_tokenizer):
    model = tiny_model(seed=11, vocab_size=len(tiny_tokenizer))
    folder = tmp_path / "export"
    model.save_pretrained(folder)
    tiny_tokenizer.save_pretrained(folder)
    config = json.loads((folder / "config.json").read_text())
    assert config["auto_map"]["AutoModelForCausalLM"] == "modeling_picochat.PicochatForCausalLM"
    assert (folder / "modeling_picochat.py").exists() and (folder / "configuration_picochat.py").exists()
    prompt = tiny_tokenizer("def main():", return_tensors="pt").input_ids
    with torch.no_grad():
        expected = model.generate(prompt, max_new_tokens=10, do_sample=False, eos_token_id=None, pad_token_id=0)[0].tolist()
    got = run_without_package(
        f"""
        import json, sys, torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        try:
            AutoModelForCausalLM.from_pretrained({str(folder)!r})
            refused = False
        except ValueError as exc:
            refused = "trust_remote_code" in str(exc)
        model = AutoModelForCausalLM.from_pretrained({str(folder)!r}, trust_remote_code=True).eval()
        tok = AutoTokenizer.from_pretrained({str(folder)!r})
        ids = tok("def main():", return_tensors="pt").input_ids
        out = model.generate(ids, max_new_tokens=10, do_sample=False, eos_token_id=None, pad_token_id=0)
        from transformers import AutoModel
        backbone = type(AutoModel.from_pretrained({str(folder)!r}, trust_remote_code=True)).__name__
        open(sys.argv[1], "w").write(json.dumps({{"tokens": out[0].tolist(), "module": type(model).__module__, "refused": refused,
                                                 "backbone": backbone}}))
        """,
        tmp_path,
    )
    assert got["refused"] is True
    assert got["module"].startswith("transformers_modules.")
    assert got["tokens"] == expected
    assert got["backbone"] == "PicochatModel"


def test_logits_match_transformers_nanochat():
    model = tiny_model(seed=12, num_key_value_heads=2)
    assert native_incompatibilities(model.config) == []
    native = NanoChatForCausalLM(nanochat_config_from(model.config)).eval()
    native.load_state_dict(model.state_dict(), strict=False)
    x = torch.randint(3, 97, (2, 24), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        diff = (native(x).logits - model(x).logits).abs().max().item()
    assert diff < 1e-4


def test_swiglu_is_not_native():
    reasons = native_incompatibilities(tiny_config(mlp_type="swiglu"))
    assert reasons and "relu^2" in reasons[0]


def test_export_native_folder_loads_without_package(tmp_path, tiny_tokenizer):
    model = tiny_model(seed=13, vocab_size=len(tiny_tokenizer))
    ckpt = tmp_path / "ckpt"
    model.save_pretrained(ckpt)
    tiny_tokenizer.save_pretrained(ckpt)
    out = tmp_path / "native"
    assert main(["export", "native", "--checkpoint", str(ckpt), "--out-dir", str(out)]) == 0
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["model_type"] == "nanochat" and "auto_map" not in cfg
    assert not (out / "modeling_picochat.py").exists()
    assert json.loads((out / "native_export.json").read_text())["max_abs_logit_diff"] < 1e-4
    x = torch.randint(3, len(tiny_tokenizer), (1, 16), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = model(x).logits
    got = run_without_package(
        f"""
        import json, sys, torch
        from transformers import AutoModelForCausalLM
        model = AutoModelForCausalLM.from_pretrained({str(out)!r}).eval()
        x = torch.tensor({x.tolist()})
        with torch.no_grad():
            logits = model(x).logits
        open(sys.argv[1], "w").write(json.dumps({{"cls": type(model).__name__, "logits": logits.flatten().tolist()}}))
        """,
        tmp_path,
    )
    assert got["cls"] == "NanoChatForCausalLM"
    assert (torch.tensor(got["logits"]) - expected.flatten()).abs().max().item() < 1e-4
    # a second export to the same folder needs --force
    assert main(["export", "native", "--checkpoint", str(ckpt), "--out-dir", str(out)]) == 2
