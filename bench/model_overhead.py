"""Model overhead: picochat vs transformers' built-in NanoChatForCausalLM, and KV-cache decoding speed.

Prints, measured side by side in one run (interleaved repetitions, median of each):
  1. forward+backward tokens/s of PicochatForCausalLM over NanoChatForCausalLM at the same configuration
     (target >= 0.95);
  2. greedy decoding with the KV cache over without it, at 256 new tokens (target >= 5x).

    python bench/model_overhead.py [--hidden 256 --layers 4 --heads 2 --seq 256 --batch 8 --reps 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from transformers import NanoChatForCausalLM

from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.export.native import nanochat_config_from


def fwd_bwd_tokens_per_s(model: torch.nn.Module, x: torch.Tensor) -> float:
    model.zero_grad(set_to_none=True)
    t0 = time.perf_counter()
    model(x, labels=x, use_cache=False).loss.backward()
    return x.numel() / (time.perf_counter() - t0)


@torch.no_grad()
def decode_seconds(model: torch.nn.Module, prompt: torch.Tensor, new_tokens: int, use_cache: bool) -> float:
    t0 = time.perf_counter()
    out = model.generate(prompt, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False,
                         use_cache=use_cache, eos_token_id=None, pad_token_id=0)
    assert out.shape[1] == prompt.shape[1] + new_tokens
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--new-tokens", type=int, default=256)
    ap.add_argument("--decode-reps", type=int, default=2)
    ap.add_argument("--prompt-len", type=int, default=16)
    args = ap.parse_args()
    torch.manual_seed(0)
    cfg = PicochatConfig(vocab_size=args.vocab, hidden_size=args.hidden, num_hidden_layers=args.layers,
                         num_attention_heads=args.heads, max_position_embeddings=max(args.seq, args.new_tokens + args.prompt_len))
    pico = PicochatForCausalLM(cfg).train()
    native = NanoChatForCausalLM(nanochat_config_from(cfg)).train()
    native.load_state_dict(pico.state_dict(), strict=False)
    x = torch.randint(0, args.vocab, (args.batch, args.seq))
    fwd_bwd_tokens_per_s(pico, x), fwd_bwd_tokens_per_s(native, x)  # warm-up
    pico_tps, native_tps = [], []
    for _ in range(args.reps):  # interleaved so drift hits both equally
        pico_tps.append(fwd_bwd_tokens_per_s(pico, x))
        native_tps.append(fwd_bwd_tokens_per_s(native, x))
    p, n = statistics.median(pico_tps), statistics.median(native_tps)
    print(f"config: hidden={args.hidden} layers={args.layers} heads={args.heads} vocab={args.vocab} "
          f"params={pico.num_parameters():,} batch={args.batch}x{args.seq} threads={torch.get_num_threads()}")
    print(f"fwd+bwd tokens/s  picochat {p:,.0f}  nanochat {n:,.0f}  ratio {p / n:.3f}  (target >= 0.95)")

    pico.eval()
    prompt = torch.randint(0, args.vocab, (1, args.prompt_len))
    decode_seconds(pico, prompt, 8, True)
    cached, uncached = [], []
    for _ in range(args.decode_reps):
        cached.append(decode_seconds(pico, prompt, args.new_tokens, True))
        uncached.append(decode_seconds(pico, prompt, args.new_tokens, False))
    c, u = statistics.median(cached), statistics.median(uncached)
    print(f"greedy decode {args.new_tokens} tokens after a {args.prompt_len}-token prompt  cache {c:.2f}s ({args.new_tokens / c:,.0f} tok/s)  "
          f"no cache {u:.2f}s ({args.new_tokens / u:,.0f} tok/s)  speedup {u / c:.2f}x  (target >= 5x)")


if __name__ == "__main__":
    main()
