"""How fast the demo-shaped model learns to copy letters from its context, by optimizer, side by side in one run.

Each arm trains a fresh model on one synthetic task: BOS, 4-15 symbols drawn from a small alphabet (30 symbols, like
letters), a separator, the same symbols again; the loss is on the repeat only. Copying needs the two attention
circuits (a previous-token head and an induction head) that spelling a word from its letters, restating math
operands and binding an option's letter need. Every `--every` steps it prints the greedy accuracy of the repeat on
128 fresh rows (teacher-forced, 1.0 = every symbol copied).

Arms:
    picochat-adamw  picochat at the demo's shape, AdamW at --lr on every parameter (the demo's default)
    picochat-muon   the same with `muon_learning_rate` (Muon at --muon-lr on the blocks' matrices, AdamW at --lr on
                    the rest; `picochat_hf.training.muon`)
    picochat-scaled picochat with `init_scheme="normal"` (every weight std 0.02) and `embedding_scale=0.02` (the
                    residual stream starts at the RMS of Llama's embedding, not at 1), AdamW at --lr
    llama-adamw     transformers' LlamaForCausalLM of the same width, depth and heads, AdamW at --lr (a control)

    python bench/muon_copy.py --steps 300 --threads 1

Measured: see docs/demo_research.md (Muon section).
"""

from __future__ import annotations

import argparse

import torch


def make_model(arm: str, vocab: int, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    shape = {"vocab_size": vocab, "hidden_size": 128, "num_hidden_layers": 4, "num_attention_heads": 4,
             "num_key_value_heads": 2, "max_position_embeddings": 256}
    if arm.startswith("llama"):
        from transformers import LlamaConfig, LlamaForCausalLM

        return LlamaForCausalLM(LlamaConfig(intermediate_size=512, **shape))
    from picochat_hf import PicochatConfig, PicochatForCausalLM

    if arm == "picochat-scaled":
        shape = {**shape, "init_scheme": "normal", "embedding_scale": 0.02}
    return PicochatForCausalLM(PicochatConfig(**shape))


def make_optimizer(arm: str, model: torch.nn.Module, lr: float, muon_lr: float) -> torch.optim.Optimizer:
    if arm.endswith("muon"):
        from picochat_hf.training.muon import build_muon_adamw

        return build_muon_adamw(model, [], muon_lr=muon_lr, adamw_lr=lr, weight_decay=0.0, betas=(0.9, 0.95), eps=1e-8)
    return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0, betas=(0.9, 0.95))


def copy_batch(gen: torch.Generator, rows: int, symbols: int, length: int = 48) -> tuple[torch.Tensor, torch.Tensor]:
    """(input_ids, labels): BOS=1, symbols from ids 10.., separator 5, the repeat supervised."""
    ids = torch.zeros(rows, length, dtype=torch.long)
    labels = torch.full((rows, length), -100)
    for r in range(rows):
        k = int(torch.randint(4, 16, (1,), generator=gen))
        sym = torch.randint(10, 10 + symbols, (k,), generator=gen)
        row = torch.cat([torch.tensor([1]), sym, torch.tensor([5]), sym])
        ids[r, : len(row)] = row
        labels[r, k + 2 : 2 * k + 2] = sym
    return ids, labels


@torch.no_grad()
def copy_accuracy(model: torch.nn.Module, gen: torch.Generator, symbols: int) -> float:
    ids, labels = copy_batch(gen, 128, symbols)
    pred = model(input_ids=ids).logits[:, :-1].argmax(-1)
    target = labels[:, 1:]
    mask = target != -100
    return (pred[mask] == target[mask]).float().mean().item()


def train_arm(arm: str, args: argparse.Namespace) -> list[float]:
    model = make_model(arm, vocab=2048, seed=args.seed)
    opt = make_optimizer(arm, model, args.lr, args.muon_lr)
    peaks = [g["lr"] for g in opt.param_groups]
    data, held = torch.Generator().manual_seed(args.seed + 1), torch.Generator().manual_seed(args.seed + 2)
    curve = []
    for step in range(1, args.steps + 1):
        for group, peak in zip(opt.param_groups, peaks):
            group["lr"] = peak * min(1.0, step / 20)
        ids, labels = copy_batch(data, 32, args.symbols)
        model(input_ids=ids, labels=labels).loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        if step % args.every == 0:
            curve.append(copy_accuracy(model, held, args.symbols))
            print(f"{arm:15s} step {step:5d} copy accuracy {curve[-1]:.3f}", flush=True)
    return curve


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arms", nargs="+", default=["picochat-adamw", "picochat-muon", "picochat-scaled", "llama-adamw"])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--symbols", type=int, default=30)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--muon-lr", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    curves = {arm: train_arm(arm, args) for arm in args.arms}
    steps = list(range(args.every, args.steps + 1, args.every))
    print("\n| arm | " + " | ".join(f"step {s}" for s in steps) + " |")
    print("|---|" + "---|" * len(steps))
    for arm, curve in curves.items():
        print(f"| {arm} | " + " | ".join(f"{a:.3f}" for a in curve) + " |")


if __name__ == "__main__":
    main()
