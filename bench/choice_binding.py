"""Can the demo's model bind an option to its letter at all? A probe for recipe research.

The choice skill is scored by the letter logits at the first answer token, so the model must pick the right
option *and* emit the letter in front of it in one forward pass. This probe strips the first part away:
'Which option is "w"?' over four lettered words (from the spelling word pools; test words from the eval pool),
where the answer is the letter of the option that repeats the quoted word. It starts from a finished demo
run's base checkpoint (`RUN/base/best_checkpoint`), optionally after `--warm` steps of copying repeated random
token sequences (the textbook way to grow induction heads), and trains with the letter token supervised,
AdamW and bf16 autocast, printing held-out letter accuracy (random: 25%) every 100 steps.

    python bench/choice_binding.py RUN_DIR [--steps 1500 --warm 0 --lr 3e-3 --batch 32 --threads 1]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

import picochat_hf  # noqa: F401  (registers the picochat Auto classes)
from picochat_hf.data.skills.spelling import word_pool

LETTERS = "ABCD"


def make_item(tok, rng: random.Random, words: list[str]) -> tuple[list[int], int]:
    """(prompt ids up to the answer, index of the right option)."""
    opts, k = rng.sample(words, 4), rng.randrange(4)
    text = f'Which option is "{opts[k]}"?\n' + "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(opts)) + "\nAnswer with the letter only."
    prompt = tok.apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True, tokenize=False)
    return tok.encode(prompt, add_special_tokens=False), k


def pad(tok, items: list[tuple[list[int], int]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids, _ in items)
    x = torch.full((len(items), width), tok.pad_token_id)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for j, (ids, _) in enumerate(items):
        x[j, : len(ids)] = torch.tensor(ids)
        mask[j, : len(ids)] = 1
    return x, mask, torch.tensor([len(ids) - 1 for ids, _ in items])


@torch.no_grad()
def accuracy(model, tok, test: list[tuple[list[int], int]], letter_ids: list[int]) -> float:
    model.eval()
    right = 0
    for s in range(0, len(test), 50):
        items = test[s : s + 50]
        x, mask, last = pad(tok, items)
        logits = model(input_ids=x, attention_mask=mask).logits[torch.arange(len(items)), last][:, letter_ids]
        right += sum(int(p) == k for p, (_, k) in zip(logits.argmax(-1), items, strict=True))
    model.train()
    return right / len(test)


def step(model, opt, loss: torch.Tensor) -> None:
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad()


def warm_up(model, tok, opt, steps: int, batch: int) -> None:
    """Copy repeated random token sequences: loss on the second copy only."""
    for i in range(1, steps + 1):
        half = torch.randint(300, len(tok) - 20, (batch, 48), generator=torch.Generator().manual_seed(i))
        x = torch.cat([torch.full((batch, 1), tok.bos_token_id), half, half], dim=1)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(input_ids=x).logits
        loss = torch.nn.functional.cross_entropy(logits[:, 49:-1].float().reshape(-1, logits.shape[-1]), x[:, 50:].reshape(-1))
        step(model, opt, loss)
        if i % 100 == 0:
            print(f"warm-up {i}: copy loss {loss.item():.3f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", type=Path, help="a finished demo run (base/best_checkpoint)")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--warm", type=int, default=0, help="copy warm-up steps before the binding task")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    ckpt = args.run_dir / "base" / "best_checkpoint"
    tok, model = AutoTokenizer.from_pretrained(ckpt), AutoModelForCausalLM.from_pretrained(ckpt)
    pools, rng, test_rng = word_pool(), random.Random(0), random.Random(1)
    train = [make_item(tok, rng, pools["train"]) for _ in range(20000)]
    test = [make_item(tok, test_rng, pools["eval"]) for _ in range(300)]
    letter_ids = [tok.encode(x, add_special_tokens=False)[0] for x in LETTERS]
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    warm_up(model, tok, opt, args.warm, args.batch)
    print(f"step 0: held-out letter accuracy {accuracy(model, tok, test, letter_ids):.3f}", flush=True)
    start = time.perf_counter()
    for i in range(1, args.steps + 1):
        items = random.Random(i).sample(train, args.batch)
        x, mask, last = pad(tok, items)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(input_ids=x, attention_mask=mask).logits[torch.arange(len(items)), last]
        target = torch.tensor([letter_ids[k] for _, k in items])
        loss = torch.nn.functional.cross_entropy(logits.float(), target)
        step(model, opt, loss)
        if i % 100 == 0:
            acc = accuracy(model, tok, test, letter_ids)
            print(f"step {i}: loss {loss.item():.3f}, held-out letter accuracy {acc:.3f} ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
