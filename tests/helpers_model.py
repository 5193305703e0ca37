"""Helpers for model tests: tiny configs and randomised weights.

picochat initialises residual outputs to zero (blocks start as the identity), which would make many
equivalence tests pass trivially; `randomize` gives every parameter non-trivial values.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import torch

from picochat_hf import PicochatConfig, PicochatForCausalLM


def tiny_config(**overrides) -> PicochatConfig:
    fields = dict(vocab_size=97, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  max_position_embeddings=64, bos_token_id=0, eos_token_id=1, pad_token_id=2)
    fields.update(overrides)
    return PicochatConfig(**fields)


@torch.no_grad()
def randomize(model: torch.nn.Module, seed: int = 0, std: float = 0.2) -> torch.nn.Module:
    gen = torch.Generator().manual_seed(seed)
    for p in model.parameters():
        p.copy_(torch.randn(p.shape, generator=gen) * std)
    return model


def tiny_model(seed: int = 0, attn: str = "sdpa", **overrides) -> PicochatForCausalLM:
    torch.manual_seed(seed)
    cfg = tiny_config(**overrides)
    cfg._attn_implementation = attn
    return randomize(PicochatForCausalLM(cfg), seed=seed).eval()


# Run python with picochat_hf made unimportable, so only the files in the folder can serve the model.
BLOCK = "import sys; sys.modules['picochat_hf'] = None\n"


def run_without_package(code: str, tmp_path: Path) -> dict:
    """Run `code` in a fresh offline python where picochat_hf cannot be imported; it writes JSON to sys.argv[1]."""
    script = tmp_path / "probe.py"
    script.write_text(BLOCK + textwrap.dedent(code))
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HF_HOME": str(tmp_path / "hf_home")}
    result = tmp_path / "result.json"
    res = subprocess.run(
        [sys.executable, str(script), str(result)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(result.read_text())


def save_released_checkpoint(folder: Path, tok, seed: int = 3) -> Path:
    """A small randomized picochat sized to `tok`, saved with the tokenizer as a run's released checkpoint."""
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=128, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         pad_token_id=tok.pad_token_id)
    torch.manual_seed(seed)
    randomize(PicochatForCausalLM(cfg), seed=seed, std=0.1).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder
