"""SFT step speed of the LM-head loss paths and precisions on CPU, measured side by side in one run.

The default demo's model, tokenizer and task rows (built here in a temp folder from the embedded corpus) go
through `run_sft`, the code path of `picochat train sft` and `recipes/sft.py`, for `--steps` optimizer steps
with each setting, in alternating rounds so machine noise hits all settings alike:

- `lm_head_loss`: `fused` (TRL's chunked LM-head loss, `SFTTrainer`'s default) or `dense` (the model's own
  logits and transformers' loss: the CPU default);
- `precision`: `fp32` or `bf16` (autocast, fp32 weights).

Each run reports real tokens/s from its train report (wall time of the training loop); the medians over rounds
and the ratios to fused/fp32 are printed, with the training losses (equal across loss paths by construction).

    python bench/lm_head_loss.py [--steps 30 --rounds 2 --threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

import torch

SETTINGS = [("fused", "fp32"), ("dense", "fp32"), ("fused", "bf16"), ("dense", "bf16")]


def prepare(root: Path) -> dict[str, str]:
    """Dataset pack, tokenizer, base model and task rows of the default demo recipe, under `root`."""
    from picochat_hf.data.dataset_pack import import_dataset_pack, iter_pack_texts
    from picochat_hf.data.default_corpus import iter_default_documents
    from picochat_hf.data.task_pack import build_task_pack
    from picochat_hf.demo import MODEL_PRESET, DemoConfig
    from picochat_hf.modeling import PicochatForCausalLM, preset_config
    from picochat_hf.tokenizer import save_tokenizer, train_tokenizer

    cfg = DemoConfig()
    pack = import_dataset_pack(None, root / "pack", documents=iter_default_documents())
    tok = train_tokenizer(iter_pack_texts(pack), vocab_size=cfg.vocab_size, model_max_length=cfg.seq_len,
                          digit_group=cfg.digit_group, letter_group=cfg.letter_group)
    save_tokenizer(tok, root / "tok")
    model = PicochatForCausalLM(preset_config(MODEL_PRESET, len(tok), **cfg.model_fields()))
    model.save_pretrained(root / "base")
    tok.save_pretrained(root / "base")
    paths = build_task_pack(root / "tasks", profile=cfg.task_profile, sft_rows=4000, eval_rows=64, source="offline",
                            answer_style=cfg.answer_style, seed=0, promote=False, train_profile=cfg.sft_profile or None)
    return {"rows": str(paths["sft"]), "base": str(root / "base"), "tok": str(root / "tok"), "seq_len": cfg.seq_len,
            "batch": cfg.sft_batch_size}


def run_once(paths: dict, out: Path, loss: str, precision: str, steps: int) -> tuple[float, float]:
    from picochat_hf.training.config import PicochatSFTConfig
    from picochat_hf.training.sft import run_sft

    run_sft(PicochatSFTConfig(output_dir=str(out), input=paths["rows"], checkpoint=paths["base"], tokenizer=paths["tok"],
                              max_length=paths["seq_len"], per_device_train_batch_size=paths["batch"], max_steps=steps,
                              learning_rate=2e-3, warmup_steps=1, seed=0, device_kind="cpu", precision=precision,
                              lm_head_loss=loss, eval_strategy="no", disable_tqdm=True, preflight_profile="research",
                              allow_blocked_preflight=True))
    report = json.loads((out / "train_report.json").read_text())
    return report["real_tokens_seen"] / report["wall_time_s"], report["final_train_loss"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"threads {args.threads}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rates: dict[tuple[str, str], list[float]] = {s: [] for s in SETTINGS}
    losses: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = prepare(root)
        for r in range(args.rounds):
            for loss, precision in SETTINGS:
                rate, final = run_once(paths, root / f"run_{r}_{loss}_{precision}", loss, precision, args.steps)
                rates[(loss, precision)].append(rate)
                losses[(loss, precision)] = final
    base = statistics.median(rates[("fused", "fp32")])
    print(f"{'lm_head_loss':<13} {'precision':<9} {'real tokens/s':>14} {'x fused/fp32':>13} {'final loss':>11}")
    for key in SETTINGS:
        med = statistics.median(rates[key])
        print(f"{key[0]:<13} {key[1]:<9} {med:>14,.0f} {med / base:>13.2f} {losses[key]:>11.4f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
