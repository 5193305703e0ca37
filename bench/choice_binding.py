"""Can the demo's model bind an option to its letter at all? A probe for recipe research.

The choice skill is scored by the letter logits at the first answer token, so the model must pick the right
option *and* emit the letter in front of it in one forward pass. This probe strips the first part away:
'Which option is "w"?' over four lettered words (from the spelling word pools; test words from the eval pool),
where the answer is the letter of the option that repeats the quoted word. It starts from a finished demo
run's base checkpoint (`RUN/base/best_checkpoint`), optionally after `--warm` steps of copying repeated random
token sequences (the textbook way to grow induction heads), and trains with the letter token supervised,
AdamW and bf16 autocast, printing held-out letter accuracy (random: 25%) every 100 steps.

    python bench/choice_binding.py RUN_DIR [--steps 1500 --warm 0 --lr 3e-3 --batch 32 --threads 1]

`--task drill` makes the supervision dense and the match exact: each row lists four lettered words, then
`--queries` lines " word: L" that each supervise the letter of a listed word written in the same token form (an
associative-recall drill, no chat template). `--init fresh` trains a new picochat model of the run's config
instead of its base checkpoint, `--init llama` a transformers `LlamaForCausalLM` of the same width, depth, heads
and vocabulary: the control that tells a defect of this model from a limit of the task and budget.

    python bench/choice_binding.py RUN_DIR --task drill --queries 8 --steps 400 --init llama --lr 1e-3

`--smear` turns on nanochat's smear in a fresh picochat model (`--init fresh` only: the base checkpoint has no smear
weights), and `--smear-lr` gives its scalars their own AdamW learning rate (`model.optimizer_param_groups`; nanochat
uses 0.2), so the previous token reaches each position from the first steps:

    python bench/choice_binding.py RUN_DIR --task drill --init fresh --smear --smear-lr 0.2 --lr 1e-3 --steps 800
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

import picochat_hf  # noqa: F401  (registers the picochat Auto classes)
from picochat_hf.data.skills.spelling import word_pool

LETTERS = "ABCD"


def make_item(tok, rng: random.Random, words: list[str]) -> tuple[list[int], int]:
    """(prompt ids up to the answer, index of the right option)."""
    opts, k = rng.sample(words, 4), rng.randrange(4)
    text = f'Which option is "{opts[k]}"?\n' + "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(opts)) + "\nAnswer with the letter only."
    prompt = tok.apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True, tokenize=False)
    return tok.encode(prompt, add_special_tokens=False), k


def make_drill(tok, rng: random.Random, words: list[str], queries: int) -> tuple[list[int], list[tuple[int, int]]]:
    """(ids, [(position whose next token is a letter, option index)]): four lettered words, then `queries` lookups."""
    opts = rng.sample(words, 4)
    ids = [tok.bos_token_id] + tok.encode("".join(f"{LETTERS[i]}. {o}\n" for i, o in enumerate(opts)), add_special_tokens=False)
    targets = []
    for _ in range(queries):
        k = rng.randrange(4)
        ids += tok.encode(f" {opts[k]}:", add_special_tokens=False)
        targets.append((len(ids) - 1, k))
        ids += tok.encode(f" {LETTERS[k]}\n", add_special_tokens=False)
    return ids, targets


def pad(tok, items: list[tuple[list[int], object]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids, _ in items)
    x = torch.full((len(items), width), tok.pad_token_id)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for j, (ids, _) in enumerate(items):
        x[j, : len(ids)] = torch.tensor(ids)
        mask[j, : len(ids)] = 1
    return x, mask, torch.tensor([len(ids) - 1 for ids, _ in items])


def supervised(items: list[tuple[list[int], object]], last: torch.Tensor) -> tuple[list[int], list[int], list[int]]:
    """(rows, positions, option indices) of every supervised letter: the answer of a probe item, each drill lookup."""
    rows, pos, ks = [], [], []
    for j, (_, target) in enumerate(items):
        for p, k in (target if isinstance(target, list) else [(int(last[j]), target)]):
            rows.append(j)
            pos.append(p)
            ks.append(k)
    return rows, pos, ks


@torch.no_grad()
def accuracy(model, tok, test: list[tuple[list[int], object]], letter_ids: list[int]) -> float:
    model.eval()
    right = total = 0
    for s in range(0, len(test), 50):
        items = test[s : s + 50]
        x, mask, last = pad(tok, items)
        rows, pos, ks = supervised(items, last)
        logits = model(input_ids=x, attention_mask=mask).logits[rows, pos][:, letter_ids]
        right += sum(int(p) == k for p, k in zip(logits.argmax(-1), ks, strict=True))
        total += len(ks)
    model.train()
    return right / total


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


def load_model(ckpt: Path, init: str, smear: bool = False):
    """The base checkpoint, a fresh picochat model of its config (optionally smeared), or a Llama of the same
    shape (a control)."""
    if smear and init != "fresh":
        raise SystemExit("--smear needs --init fresh: the base checkpoint and the Llama control have no smear")
    if init == "base":
        return AutoModelForCausalLM.from_pretrained(ckpt)
    config = AutoConfig.from_pretrained(ckpt)
    torch.manual_seed(0)
    if init == "fresh":
        config.smear = smear
        return AutoModelForCausalLM.from_config(config)
    return LlamaForCausalLM(LlamaConfig(
        vocab_size=config.vocab_size, hidden_size=config.hidden_size, intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_hidden_layers, num_attention_heads=config.num_attention_heads,
        num_key_value_heads=config.num_key_value_heads, max_position_embeddings=config.max_position_embeddings,
        tie_word_embeddings=False))


def datasets(tok, args) -> tuple[list, list, list[int]]:
    """(train items, held-out items, letter token ids) of the task: probe answers start with "A", drill
    lookups continue ": " with " A"."""
    pools, rng, test_rng = word_pool(), random.Random(0), random.Random(1)
    if args.task == "drill":
        make = lambda r, words: make_drill(tok, r, words, args.queries)  # noqa: E731
        prefix = " "
    else:
        make = lambda r, words: make_item(tok, r, words)  # noqa: E731
        prefix = ""
    train = [make(rng, pools["train"]) for _ in range(20000)]
    test = [make(test_rng, pools["eval"]) for _ in range(200 if args.task == "drill" else 300)]
    letter_ids = []
    for x in LETTERS:
        enc = tok.encode(prefix + x, add_special_tokens=False)
        if len(enc) != 1:
            raise SystemExit(f"{prefix + x!r} is {len(enc)} tokens for this tokenizer; the probe needs one")
        letter_ids.append(enc[0])
    return train, test, letter_ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", type=Path, help="a finished demo run (base/best_checkpoint)")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--warm", type=int, default=0, help="copy warm-up steps before the binding task")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--task", choices=["probe", "drill"], default="probe", help="chat probe, or dense recall drill")
    ap.add_argument("--queries", type=int, default=8, help="lookups per drill row")
    ap.add_argument("--init", choices=["base", "fresh", "llama"], default="base")
    ap.add_argument("--smear", action="store_true", help="a fresh picochat model with nanochat's smear")
    ap.add_argument("--smear-lr", type=float, default=None, help="the smear scalars' own learning rate")
    args = ap.parse_args()
    if args.smear_lr is not None and not args.smear:
        ap.error("--smear-lr needs --smear")
    torch.set_num_threads(args.threads)
    ckpt = args.run_dir / "base" / "best_checkpoint"
    tok, model = AutoTokenizer.from_pretrained(ckpt), load_model(ckpt, args.init, args.smear)
    train, test, letter_ids = datasets(tok, args)
    groups = model.optimizer_param_groups(smear_lr=args.smear_lr) if args.smear else model.parameters()
    opt = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.0)
    warm_up(model, tok, opt, args.warm, args.batch)
    print(f"step 0: held-out letter accuracy {accuracy(model, tok, test, letter_ids):.3f}", flush=True)
    start = time.perf_counter()
    for i in range(1, args.steps + 1):
        items = random.Random(i).sample(train, args.batch)
        x, mask, last = pad(tok, items)
        rows, pos, ks = supervised(items, last)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(input_ids=x, attention_mask=mask).logits[rows, pos]
        loss = torch.nn.functional.cross_entropy(logits.float(), torch.tensor([letter_ids[k] for k in ks]))
        step(model, opt, loss)
        if i % 100 == 0:
            acc = accuracy(model, tok, test, letter_ids)
            smear = f", smear lambda {model.model.smear.smear_lambda.item():.3f}" if args.smear else ""
            print(f"step {i}: loss {loss.item():.3f}, held-out letter accuracy {acc:.3f}{smear} ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
