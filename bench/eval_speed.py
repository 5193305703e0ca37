"""Chat-eval generation speed: batched greedy decoding with the KV cache vs one row at a time without it.

Same model, same rows, same token budget, measured side by side in one run: each batch of rows goes
through all three paths in rotating order before the next batch, and repetitions report the median. Prints rows/s for
  1. batched + KV cache + left padding (what `picochat eval chat` / `eval sft-fit` do),
  2. one row at a time with the KV cache (to separate the two effects),
  3. one row at a time without the KV cache (the naive reference),
the speedup of 1 over 3 (target >= 5x), and whether all three produced identical replies.

    python bench/eval_speed.py [--preset d4 --rows 24 --max-new-tokens 32 --batch-size 8 --reps 1 --device cpu]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from picochat_hf import PicochatForCausalLM
from picochat_hf.data.default_corpus import default_texts
from picochat_hf.eval.generation import generate_replies
from picochat_hf.eval.model_io import LoadedModel, encode_prompt
from picochat_hf.modeling.flops import preset_config
from picochat_hf.tokenizer import train_tokenizer


def prompts_from_corpus(tok, n: int) -> list[list[int]]:
    """Questions of varied length built from sentences of the embedded corpus."""
    sentences = [s.strip() for text in default_texts(max_documents=60) for s in text.split(".") if 20 < len(s.strip()) < 300]
    out = []
    for i in range(n):
        s = sentences[(i * 7) % len(sentences)]
        out.append(encode_prompt(tok, [{"role": "user", "content": f"Explain this in one sentence: {s}."}]))
    return out


def timed(loaded: LoadedModel, prompts, **kw) -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    replies = generate_replies(loaded, prompts, progress=False, **kw)
    return time.perf_counter() - t0, [r.text for r in replies]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="d4", help="model preset from picochat_hf.modeling.flops.PRESETS")
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--max-new-tokens", type=int, default=32)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()

    tok = train_tokenizer(default_texts(max_documents=60), vocab_size=args.vocab, model_max_length=1024)
    torch.manual_seed(0)
    cfg = preset_config(args.preset, vocab_size=len(tok))
    cfg.bos_token_id, cfg.eos_token_id, cfg.pad_token_id = tok.bos_token_id, tok.eos_token_id, tok.pad_token_id
    model = PicochatForCausalLM(cfg).eval()
    with torch.no_grad():  # residual branches start at zero; give them weights so replies are not constant
        gen = torch.Generator().manual_seed(0)
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.05)
    model.to(args.device)
    loaded = LoadedModel(model, tok, f"random {args.preset}", "trained on the embedded corpus", args.device, "fp32")
    prompts = prompts_from_corpus(tok, args.rows)
    lengths = sorted(len(p) for p in prompts)
    print(f"model: preset {args.preset}, {model.num_parameters():,} parameters, vocab {len(tok)}; rows {args.rows} "
          f"(prompt tokens {lengths[0]}-{lengths[-1]}), max_new_tokens {args.max_new_tokens}, device {args.device}, threads {torch.get_num_threads()}")  # fmt: skip

    settings = {"batched+cache": {"batch_size": args.batch_size, "use_cache": True},
                "single+cache": {"batch_size": 1, "use_cache": True},
                "single, no cache": {"batch_size": 1, "use_cache": False}}  # fmt: skip
    for kw in settings.values():  # warm-up
        generate_replies(loaded, prompts[:2], max_new_tokens=4, progress=False, **kw)
    load_before = os.getloadavg()[0]
    runs: dict[str, list[float]] = {name: [] for name in settings}
    outputs: dict[str, list[str]] = {name: [] for name in settings}
    names = list(settings)
    chunks = [prompts[i : i + args.batch_size] for i in range(0, len(prompts), args.batch_size)]
    for rep in range(args.reps):
        totals = dict.fromkeys(names, 0.0)
        # Interleave at the chunk level (one batch worth of rows through every path, in rotating order) so
        # that load from other processes drifts over all three paths alike.
        for k, chunk in enumerate(chunks):
            for j in range(len(names)):
                name = names[(j + k + rep) % len(names)]
                seconds, texts = timed(loaded, chunk, max_new_tokens=args.max_new_tokens, **settings[name])
                totals[name] += seconds
                if rep == 0:
                    outputs[name] += texts
        for name in names:
            runs[name].append(totals[name])
    med = {name: statistics.median(v) for name, v in runs.items()}
    print(f"machine load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")
    for name, s in med.items():
        print(f"{name:>17}: {s:7.2f} s  {args.rows / s:6.2f} rows/s")
    print(f"speedup batched+cache over single, no cache: {med['single, no cache'] / med['batched+cache']:.1f}x (target >= 5x); "
          f"over single+cache: {med['single+cache'] / med['batched+cache']:.1f}x")  # fmt: skip
    same = sum(a == b == c for a, b, c in zip(*outputs.values(), strict=True))
    print(f"identical replies across the three paths: {same}/{args.rows}")


if __name__ == "__main__":
    main()
