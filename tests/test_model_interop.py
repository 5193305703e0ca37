"""picochat through the rest of the stack: sharded and half-precision checkpoints, the text-generation pipeline,
PEFT LoRA on every linear layer, and a tied SwiGLU YaRN checkpoint served by its own files alone."""

from __future__ import annotations

import json

import pytest
import torch
from transformers import AutoModelForCausalLM, pipeline

from helpers_model import run_without_package, tiny_model

GREEDY = dict(do_sample=False, eos_token_id=None, pad_token_id=2)


@pytest.mark.parametrize("tie", [False, True])
def test_sharded_checkpoint_loads_back_to_the_same_logits(tie, tmp_path):
    model = tiny_model(seed=41, tie_word_embeddings=tie)
    model.save_pretrained(tmp_path, max_shard_size="8KB")
    index = json.loads((tmp_path / "model.safetensors.index.json").read_text())
    assert len(set(index["weight_map"].values())) > 3  # really sharded
    assert ("lm_head.weight" in index["weight_map"]) is not tie  # a tied head is stored once, as the embedding
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path).eval()
    assert (loaded.lm_head.weight is loaded.model.embed_tokens.weight) is tie
    x = torch.randint(3, 97, (2, 12), generator=torch.Generator().manual_seed(41))
    with torch.no_grad():
        assert torch.equal(loaded(x).logits, model(x).logits)


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_half_precision_checkpoint_loads_in_its_dtype_with_the_same_logits(dtype, tmp_path):
    model = tiny_model(seed=42, max_position_embeddings=4096).to(dtype)
    model.save_pretrained(tmp_path)
    assert json.loads((tmp_path / "config.json").read_text())["dtype"] == str(dtype).removeprefix("torch.")
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path).eval()
    assert loaded.dtype == dtype and loaded.model.rotary_emb.inv_freq.dtype == torch.float32
    x = torch.randint(3, 97, (1, 6), generator=torch.Generator().manual_seed(42))
    far = torch.arange(2000, 2006)[None]
    with torch.no_grad():
        assert torch.equal(loaded(x, position_ids=far).logits, model(x, position_ids=far).logits)


def test_text_generation_pipeline_batch_continues_each_prompt_as_generate_does(tiny_tokenizer):
    model = tiny_model(seed=43, vocab_size=len(tiny_tokenizer))
    texts = ["def main():", "hello there friend, how are you doing today"]  # different lengths: one row is padded
    pipe = pipeline("text-generation", model=model, tokenizer=tiny_tokenizer)
    out = pipe(texts, max_new_tokens=8, do_sample=False, return_full_text=False, batch_size=2)
    expected = []
    for text in texts:
        ids = tiny_tokenizer(text, return_tensors="pt").input_ids
        with torch.no_grad():
            expected.append(tiny_tokenizer.decode(model.generate(ids, max_new_tokens=8, do_sample=False)[0, ids.shape[1]:]))
    assert [o[0]["generated_text"] for o in out] == expected
    assert expected[0] != expected[1]


def test_lora_on_all_linear_layers_merges_to_the_same_logits():
    from peft import LoraConfig, get_peft_model

    base = tiny_model(seed=44)
    x = torch.randint(3, 97, (2, 9), generator=torch.Generator().manual_seed(44))
    with torch.no_grad():
        before = base(x).logits.clone()
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=False))
    wrapped = {name.split(".")[-1] for name, module in peft_model.named_modules() if hasattr(module, "lora_A")}
    assert wrapped == {"q_proj", "k_proj", "v_proj", "o_proj", "fc1", "fc2"}  # every block projection, not the head
    with torch.no_grad():
        adapted = peft_model(x).logits
        merged = peft_model.merge_and_unload()
        torch.testing.assert_close(merged(x).logits, adapted, atol=1e-5, rtol=1e-5)
    assert type(merged).__name__ == "PicochatForCausalLM"
    assert (adapted - before).abs().max() > 1e-3  # the adapter changes the logits: the comparison can fail


def test_tied_swiglu_yarn_half_precision_sharded_checkpoint_loads_without_the_package(tmp_path, tiny_tokenizer):
    model = tiny_model(seed=45, vocab_size=len(tiny_tokenizer), tie_word_embeddings=True, mlp_type="swiglu",
                       rope_parameters={"rope_type": "yarn", "factor": 2.0, "rope_theta": 10000.0}).to(torch.bfloat16)
    folder = tmp_path / "export"
    model.save_pretrained(folder, max_shard_size="20KB")
    tiny_tokenizer.save_pretrained(folder)
    x = torch.randint(3, len(tiny_tokenizer), (1, 12), generator=torch.Generator().manual_seed(45))
    with torch.no_grad():
        expected = model(x).logits.float().flatten().tolist()
    got = run_without_package(
        f"""
        import json, sys, torch
        from transformers import AutoModelForCausalLM
        model = AutoModelForCausalLM.from_pretrained({str(folder)!r}, trust_remote_code=True).eval()
        with torch.no_grad():
            logits = model(torch.tensor({x.tolist()})).logits.float().flatten().tolist()
        open(sys.argv[1], "w").write(json.dumps({{"logits": logits, "dtype": str(model.dtype),
                                                 "tied": model.lm_head.weight is model.model.embed_tokens.weight,
                                                 "module": type(model).__module__}}))
        """,
        tmp_path,
    )
    assert got["module"].startswith("transformers_modules.") and got["dtype"] == "torch.bfloat16" and got["tied"]
    assert got["logits"] == expected
