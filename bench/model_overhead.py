"""Model overhead: picochat vs transformers' built-in NanoChatForCausalLM, and KV-cache decoding speed.

Prints, measured side by side in one run (interleaved repetitions, median of each):
  1. forward+backward tokens/s of PicochatForCausalLM over NanoChatForCausalLM at the same configuration
     (target >= 0.95);
  2. greedy decoding with the KV cache over without it, at 256 new tokens (target >= 5x);
  3. compiled decoding, `torch.compile(model.forward, fullgraph=True)` with a static cache, over eager decoding with
     the (dynamic) KV cache, same tokens; the one-off compile time is printed apart and not in the rate.

    python bench/model_overhead.py [--hidden 256 --layers 4 --heads 2 --seq 256 --batch 8 --reps 5] [--threads 1] [--no-compile]

The machine load (`os.getloadavg()`) is printed before and after: on a shared machine the absolute rates move with
it, the side-by-side ratios much less.
"""

from __future__ import annotations

import argparse
import copy
import os
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
def decode(model: torch.nn.Module, prompt: torch.Tensor, new_tokens: int, use_cache: bool = True,
           cache_implementation: str | None = None) -> tuple[float, torch.Tensor]:
    t0 = time.perf_counter()
    out = model.generate(prompt, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False,
                         use_cache=use_cache, cache_implementation=cache_implementation, eos_token_id=None, pad_token_id=0)
    assert out.shape[1] == prompt.shape[1] + new_tokens
    return time.perf_counter() - t0, out


def decode_seconds(model: torch.nn.Module, prompt: torch.Tensor, new_tokens: int, use_cache: bool) -> float:
    return decode(model, prompt, new_tokens, use_cache)[0]


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def parse_args() -> argparse.Namespace:
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
    ap.add_argument("--no-compile", action="store_true", help="skip the compiled-decoding measurement")
    ap.add_argument("--threads", type=int, default=None,
                    help="torch threads (default: torch's); 1 keeps a shared machine's other load from stalling "
                         "multi-threaded kernels, which swings the side-by-side ratios")
    return ap.parse_args()


def build_models(args: argparse.Namespace) -> tuple[PicochatForCausalLM, NanoChatForCausalLM]:
    """A picochat model and a NanoChatForCausalLM with the same configuration and weights, in train mode."""
    # residual_init_std: o_proj/fc2 small and random instead of nanochat's zeros (which make every block the identity
    # at init), so the decoded tokens depend on attention and the compiled-vs-eager token check means something;
    # the speed does not depend on the values
    cfg = PicochatConfig(vocab_size=args.vocab, hidden_size=args.hidden, num_hidden_layers=args.layers,
                         num_attention_heads=args.heads, max_position_embeddings=max(args.seq, args.new_tokens + args.prompt_len),
                         residual_init_std=0.02)
    pico = PicochatForCausalLM(cfg).train()
    native = NanoChatForCausalLM(nanochat_config_from(cfg)).train()
    native.load_state_dict(pico.state_dict(), strict=False)
    return pico, native


def bench_fwd_bwd(pico: PicochatForCausalLM, native: NanoChatForCausalLM, args: argparse.Namespace) -> None:
    """Measurement 1: forward+backward tokens/s, picochat over nanochat."""
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


def bench_kv_cache(pico: PicochatForCausalLM, prompt: torch.Tensor, args: argparse.Namespace) -> None:
    """Measurement 2: greedy decoding with the KV cache over without it."""
    decode_seconds(pico, prompt, 8, True)
    cached, uncached = [], []
    for _ in range(args.decode_reps):
        cached.append(decode_seconds(pico, prompt, args.new_tokens, True))
        uncached.append(decode_seconds(pico, prompt, args.new_tokens, False))
    c, u = statistics.median(cached), statistics.median(uncached)
    print(f"greedy decode {args.new_tokens} tokens after a {args.prompt_len}-token prompt  cache {c:.2f}s ({args.new_tokens / c:,.0f} tok/s)  "
          f"no cache {u:.2f}s ({args.new_tokens / u:,.0f} tok/s)  speedup {u / c:.2f}x  (target >= 5x)")


def bench_compiled(pico: PicochatForCausalLM, prompt: torch.Tensor, args: argparse.Namespace) -> None:
    """Measurement 3: compiled decoding with a static cache over eager cached decoding (compiles `pico.forward`)."""
    eager_model = copy.deepcopy(pico)  # the same weights, forward left uncompiled
    _, eager_tokens = decode(eager_model, prompt, args.new_tokens)
    pico.forward = torch.compile(pico.forward, fullgraph=True)
    t0 = time.perf_counter()
    # the first call compiles (prefill and decode graphs); a second warms the static-cache path end to end
    decode(pico, prompt, args.new_tokens, cache_implementation="static")
    _, compiled_tokens = decode(pico, prompt, args.new_tokens, cache_implementation="static")
    compile_s = time.perf_counter() - t0
    eager_s, compiled_s = [], []
    for _ in range(args.decode_reps):  # interleaved: eager still runs the uncompiled forward
        eager_s.append(decode(eager_model, prompt, args.new_tokens)[0])
        compiled_s.append(decode(pico, prompt, args.new_tokens, cache_implementation="static")[0])
    e, k = statistics.median(eager_s), statistics.median(compiled_s)
    same = compiled_tokens.tolist() == eager_tokens.tolist()
    print(f"compiled decode {args.new_tokens} tokens (torch.compile fullgraph, static cache)  {k:.2f}s "
          f"({args.new_tokens / k:,.0f} tok/s)  eager cached {e:.2f}s ({args.new_tokens / e:,.0f} tok/s)  "
          f"speedup {e / k:.2f}x  same tokens: {same}  (compile + warm-up {compile_s:.0f}s, not counted)")


def main() -> None:
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"before: {load()}")
    torch.manual_seed(0)
    pico, native = build_models(args)
    bench_fwd_bwd(pico, native, args)

    pico.eval()
    prompt = torch.randint(0, args.vocab, (1, args.prompt_len))
    bench_kv_cache(pico, prompt, args)
    if not args.no_compile:
        bench_compiled(pico, prompt, args)
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
