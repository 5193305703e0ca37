"""picochat on a CUDA device: the attention paths agree, bf16 stays close to fp32, and training throughput with MFU.

Run on a machine with a GPU (the checks need no network and no data):

    python bench/cuda_checks.py                        # checks, then throughput of the d12 preset
    python bench/cuda_checks.py --presets d12 d20 --steps 20 --json OUT.json

1. Checks (a small picochat, fp32 unless named; each prints its measured difference and the bound it must meet):
   - CUDA fp32 logits equal the CPU model's, for eager, sdpa and flex attention;
   - rows packed by `position_ids` (no attention mask) give the token-weighted loss of the rows run apart, per
     attention implementation, on CUDA (the packing collator's contract; hf_stack.md section 2.5);
   - greedy `generate` with the dynamic cache equals generation without a cache; a static cache under
     `torch.compile` equals the dynamic one;
   - `torch.compile(model)` logits equal eager logits;
   - bf16: weights cast to bf16 and fp32 weights under bf16 autocast keep the fp32 model's next-token choice on most
     positions and its loss within a few percent (a sanity bound, not an equality).
2. Throughput: forward+backward+AdamW steps of a nanochat-sized preset under bf16 autocast, packed rows of
   `--seq-len` tokens, per attention implementation, eager and `torch.compile`d. MFU = tokens/s x training FLOPs per
   token (`picochat_hf.modeling.flops.flops_per_token`: 6 x matmul parameters + causal-window attention, as nanochat
   counts it) / peak bf16 FLOP/s. Two peaks are printed: the vendor's dense bf16 figure for the named GPU and an
   8192^3 bf16 matmul measured in the same run.

Exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import torch

from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.modeling.flops import flops_per_token, num_parameters, preset_config

VENDOR_BF16_DENSE = {"H100": 989e12, "H200": 989e12, "A100": 312e12, "L4": 121e12, "A10": 125e12}
IMPLS = ("eager", "sdpa", "flex_attention")
DEVICE = "cuda"  # `--device cpu` runs the same code on CPU (a dry run of the script; flex then refused on masks)


def small_model(impl: str, device: str, seed: int = 0) -> PicochatForCausalLM:
    """A small picochat whose every block and head carries signal (logits of order 1), so differences show."""
    torch.manual_seed(seed)
    cfg = PicochatConfig(vocab_size=512, hidden_size=128, num_hidden_layers=3, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=512, attn_implementation=impl)
    model = PicochatForCausalLM(cfg)
    with torch.no_grad():  # nanochat's init zeroes the output projections and the head: give every matrix a real signal
        for name, p in model.named_parameters():
            if p.dim() == 2 and "embed" not in name:
                p.normal_(0.0, p.shape[1] ** -0.5)
    return model.to(device).eval()


class Checks:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, name: str, value: float, bound: float, higher_is_better: bool = False) -> None:
        ok = value >= bound if higher_is_better else value <= bound
        self.rows.append({"check": name, "value": value, "bound": bound, "ok": ok})
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {value:.3g} ({'>=' if higher_is_better else '<='} {bound:g})", flush=True)

    def run(self, name: str, check: Any, *args: Any) -> None:
        """Run one check function; an exception is a failed check named by its one-line error, and the others still run."""
        try:
            check(self, *args)
        except Exception as exc:  # noqa: BLE001 - a failing path is a result to report, not a reason to stop
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            self.rows.append({"check": name, "value": None, "bound": None, "ok": False, "error": f"{type(exc).__name__}: {first}"})
            print(f"FAIL {name}: {type(exc).__name__}: {first}", flush=True)

    @property
    def failed(self) -> int:
        return sum(not r["ok"] for r in self.rows)


def impls() -> tuple[str, ...]:
    return IMPLS if DEVICE == "cuda" else IMPLS[:2]  # torch's CPU flex kernel cannot compile packed masks


def check_logits(c: Checks, ids: torch.Tensor, impl: str) -> None:
    with torch.no_grad():
        ref = small_model("eager", "cpu")(ids, use_cache=False).logits
        got = small_model(impl, DEVICE)(ids.to(DEVICE), use_cache=False).logits.float().cpu()
    c.add(f"{impl} fp32 {DEVICE} logits vs eager CPU, max abs diff", (got - ref).abs().max().item(), 1e-4)


def packed_vs_separate(model: PicochatForCausalLM, docs: list[torch.Tensor]) -> tuple[float, float]:
    ids = torch.cat(docs).unsqueeze(0).to(DEVICE)
    pos = torch.cat([torch.arange(len(d)) for d in docs]).unsqueeze(0).to(DEVICE)
    labels = ids.clone()
    starts = torch.cumsum(torch.tensor([0] + [len(d) for d in docs[:-1]]), 0)
    labels[0, starts] = -100  # a document's first token is no target of the one before it
    with torch.no_grad():
        packed = model(ids, position_ids=pos, labels=labels, use_cache=False).loss.item()
        total, count = 0.0, 0
        for d in docs:
            x = d.unsqueeze(0).to(DEVICE)
            total += model(x, labels=x, use_cache=False).loss.item() * (len(d) - 1)
            count += len(d) - 1
    return packed, total / count


def check_packing(c: Checks, impl: str) -> None:
    g = torch.Generator().manual_seed(1)
    docs = [torch.randint(3, 512, (n,), generator=g) for n in (37, 64, 5, 90)]
    packed, separate = packed_vs_separate(small_model(impl, DEVICE), docs)
    c.add(f"{impl} packed loss vs separate rows, relative diff", abs(packed - separate) / separate, 1e-5)


def check_generation(c: Checks, prompt: torch.Tensor) -> None:
    model = small_model("sdpa", DEVICE)
    kw = dict(max_new_tokens=48, min_new_tokens=48, do_sample=False, eos_token_id=None, pad_token_id=0)
    with torch.no_grad():
        cached = model.generate(prompt.to(DEVICE), use_cache=True, **kw)
        plain = model.generate(prompt.to(DEVICE), use_cache=False, **kw)
        c.add("generate: dynamic cache vs no cache, tokens differing", float((cached != plain).sum()), 0)
        model.forward = torch.compile(model.forward, fullgraph=True)
        static = model.generate(prompt.to(DEVICE), cache_implementation="static", **kw)
    c.add("generate: compiled static cache vs dynamic cache, tokens differing", float((static != cached).sum()), 0)


def check_compile(c: Checks, ids: torch.Tensor) -> None:
    model = small_model("sdpa", DEVICE)
    with torch.no_grad():
        eager = model(ids.to(DEVICE), use_cache=False).logits
        compiled = torch.compile(model)(ids.to(DEVICE), use_cache=False).logits
    c.add("torch.compile vs eager logits (sdpa, fp32), max abs diff", (compiled - eager).abs().max().item(), 1e-4)


def check_bf16(c: Checks, ids: torch.Tensor) -> None:
    x = ids.to(DEVICE)
    model = small_model("sdpa", DEVICE)
    with torch.no_grad():
        ref = model(x, labels=x, use_cache=False)
        with torch.autocast(DEVICE, dtype=torch.bfloat16):
            auto = model(x, labels=x, use_cache=False)
        cast = small_model("sdpa", DEVICE).to(torch.bfloat16)(x, labels=x, use_cache=False)
    top = ref.logits.argmax(-1)
    for name, out in (("bf16 autocast", auto), ("bf16 weights", cast)):
        c.add(f"{name}: next-token argmax agreement with fp32", (out.logits.argmax(-1) == top).float().mean().item(), 0.95,
              higher_is_better=True)
        c.add(f"{name}: loss relative diff to fp32", abs(out.loss.item() - ref.loss.item()) / ref.loss.item(), 0.02)


def check_flex_bf16(c: Checks, ids: torch.Tensor) -> None:
    """flex attention in bf16 (the dtype it is trained in) against sdpa in bf16, same weights, packed rows included."""
    x = ids.to(DEVICE)
    pos = torch.cat([torch.arange(40), torch.arange(x.shape[1] - 40)]).expand(x.shape[0], -1).to(DEVICE)
    with torch.no_grad():
        ref = small_model("sdpa", DEVICE).to(torch.bfloat16)(x, position_ids=pos, use_cache=False).logits.float()
        got = small_model("flex_attention", DEVICE).to(torch.bfloat16)(x, position_ids=pos, use_cache=False).logits.float()
    c.add("flex_attention vs sdpa, bf16 weights, packed rows: next-token argmax agreement",
          (got.argmax(-1) == ref.argmax(-1)).float().mean().item(), 0.98, higher_is_better=True)


def run_checks() -> Checks:
    c = Checks()
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(3, 512, (2, 96), generator=g)
    for impl in impls():
        c.run(f"{impl} logits", check_logits, ids, impl)
        c.run(f"{impl} packing", check_packing, impl)
    c.run("generation", check_generation, ids[:, :16])
    c.run("compile", check_compile, ids)
    c.run("bf16", check_bf16, ids)
    if DEVICE == "cuda":
        c.run("flex_attention bf16", check_flex_bf16, ids)
    return c


def matmul_peak(n: int = 8192, reps: int = 10) -> float:
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        a @ b
    end.record()
    torch.cuda.synchronize()
    return 2 * n**3 * reps / (start.elapsed_time(end) / 1e3)


def sync() -> None:
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def packed_batch(rows: int, seq_len: int, vocab: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """`rows` rows of `seq_len` tokens, each row several documents (position_ids restart at each), on CUDA."""
    ids = torch.randint(3, vocab, (rows, seq_len), generator=gen)
    pos = torch.empty_like(ids)
    for r in range(rows):
        cuts = sorted(torch.randint(1, seq_len, (3,), generator=gen).tolist())
        pos[r] = torch.cat([torch.arange(b - a) for a, b in zip([0, *cuts], [*cuts, seq_len])])
    return ids.to(DEVICE), pos.to(DEVICE)


def train_rate(cfg: PicochatConfig, impl: str, compiled: bool, a: argparse.Namespace) -> dict[str, Any]:
    torch.manual_seed(0)
    model = PicochatForCausalLM(PicochatConfig(**{**cfg.to_dict(), "attn_implementation": impl})).to(DEVICE).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=DEVICE == "cuda")
    fwd = torch.compile(model) if compiled else model
    gen = torch.Generator().manual_seed(0)
    batches = [packed_batch(a.rows, a.seq_len, cfg.vocab_size, gen) for _ in range(4)]

    def step(i: int) -> float:
        ids, pos = batches[i % len(batches)]
        with torch.autocast(DEVICE, dtype=torch.bfloat16):
            loss = fwd(ids, position_ids=pos, labels=ids, use_cache=False).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss

    t0 = time.perf_counter()
    for i in range(a.warmup):
        step(i)
    sync()
    warm_s = time.perf_counter() - t0
    if DEVICE == "cuda":
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    for i in range(a.steps):
        loss = step(i)
    sync()
    sec = (time.perf_counter() - t0) / a.steps
    tokens = a.rows * a.seq_len
    return {"impl": impl, "compiled": compiled, "tokens_per_step": tokens, "step_ms": sec * 1e3, "tokens_per_s": tokens / sec,
            "warmup_s": warm_s, "peak_mem_gib": torch.cuda.max_memory_allocated() / 2**30 if DEVICE == "cuda" else float("nan"), "last_loss": loss.item()}


def run_throughput(a: argparse.Namespace, peaks: dict[str, float]) -> list[dict[str, Any]]:
    out = []
    for preset in a.presets:
        cfg = preset_config(preset, vocab_size=a.vocab, max_position_embeddings=a.seq_len)
        fpt = flops_per_token(cfg, a.seq_len)
        print(f"\n{preset}: {num_parameters(cfg) / 1e6:.1f}M parameters, {fpt / 1e9:.3f} GFLOP/token at seq {a.seq_len}, "
              f"{a.rows} rows x {a.seq_len} tokens a step", flush=True)
        for impl in a.impls:
            for compiled in (False, True):
                try:
                    r = train_rate(cfg, impl, compiled, a)
                except Exception as exc:  # noqa: BLE001 - report the path that fails, time the others
                    print(f"  {impl:15s} {'compiled' if compiled else 'eager   '} FAILED: {type(exc).__name__}: "
                          f"{(str(exc).strip().splitlines() or [''])[0][:200]}", flush=True)
                    continue
                r.update(preset=preset, params=num_parameters(cfg), flops_per_token=fpt,
                         **{f"mfu_{k}": r["tokens_per_s"] * fpt / v for k, v in peaks.items()})
                print(f"  {impl:15s} {'compiled' if compiled else 'eager   '} {r['tokens_per_s']:>10,.0f} tok/s  "
                      f"{r['step_ms']:7.1f} ms/step  " + "  ".join(f"MFU({k}) {r[f'mfu_{k}']:.1%}" for k in peaks)
                      + f"  peak {r['peak_mem_gib']:.1f} GiB  warm-up {r['warmup_s']:.0f} s", flush=True)
                out.append(r)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--presets", nargs="*", default=["d12"], help="size presets to time (none: checks only)")
    ap.add_argument("--impls", nargs="+", default=["sdpa", "flex_attention"], choices=IMPLS)
    ap.add_argument("--vocab", type=int, default=32768)
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--rows", type=int, default=16, help="packed rows per step")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--json", help="write the checks and rates here")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"], help="cpu: a dry run of this script")
    a = ap.parse_args()
    global DEVICE
    DEVICE = a.device
    if DEVICE == "cuda" and not torch.cuda.is_available():
        raise SystemExit("bench/cuda_checks.py needs a CUDA device (or --device cpu for a dry run)")
    name = torch.cuda.get_device_name() if DEVICE == "cuda" else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 checks are fp32
    print(f"{name}, torch {torch.__version__}, CUDA {torch.version.cuda}", flush=True)
    checks = run_checks()
    torch.backends.cuda.matmul.allow_tf32 = True
    peaks = {"measured": matmul_peak()} if DEVICE == "cuda" else {"assumed_1tflops": 1e12}
    peaks.update({"vendor": v for k, v in VENDOR_BF16_DENSE.items() if k in name})
    print("bf16 peaks: " + ", ".join(f"{k} {v / 1e12:.0f} TFLOP/s" for k, v in peaks.items()), flush=True)
    rates = run_throughput(a, peaks) if a.presets else []
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump({"device": name, "torch": torch.__version__, "checks": checks.rows, "peaks": peaks, "rates": rates}, fh, indent=1)
    print(f"\n{len(checks.rows) - checks.failed} of {len(checks.rows)} checks passed")
    raise SystemExit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
