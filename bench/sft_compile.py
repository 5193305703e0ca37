"""SFT with and without `torch.compile` on CPU, measured side by side in one run.

The default demo's model, tokenizer and task rows (built in a temp folder from the embedded corpus, as in
`bench/lm_head_loss.py`) go through `run_sft` for `--steps` optimizer steps, eager and compiled
(`torch_compile=True`, TrainingArguments' flag, inductor backend), with the demo's `lm_head_loss: dense` and
bf16 autocast, in alternating order. For each run it prints the training loop's wall time (compiling
included), the first step's seconds (where compiling happens), the median real tokens/s of the steps after
the first ten (the steady rate), and the final training loss. The inductor cache starts empty (a temp
folder), so the first compiled run pays what a user's first demo pays; later rounds reuse that cache.

    python bench/sft_compile.py [--steps 200 --rounds 1 --threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

import torch


def run_once(paths: dict, out: Path, compiled: bool, steps: int) -> dict[str, float]:
    from picochat_hf.training.callbacks import read_metrics
    from picochat_hf.training.config import PicochatSFTConfig
    from picochat_hf.training.sft import run_sft

    run_sft(PicochatSFTConfig(output_dir=str(out), input=paths["rows"], checkpoint=paths["base"], tokenizer=paths["tok"],
                              max_length=paths["seq_len"], per_device_train_batch_size=paths["batch"], max_steps=steps,
                              learning_rate=2e-3, warmup_steps=1, seed=0, device_kind="cpu", precision="bf16",
                              lm_head_loss="dense", torch_compile=compiled, eval_strategy="no", disable_tqdm=True,
                              preflight_profile="research", allow_blocked_preflight=True))
    report = json.loads((out / "train_report.json").read_text())
    steps_logged = [m for m in read_metrics(out / "metrics.jsonl") if "real_tokens_per_s" in m]
    first = steps_logged[0]["real_tokens"] / steps_logged[0]["real_tokens_per_s"]
    return {"wall": report["wall_time_s"], "first_step_s": first, "loss": report["final_train_loss"],
            "steady": statistics.median(m["real_tokens_per_s"] for m in steps_logged[10:])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"threads {args.threads}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    from lm_head_loss import prepare  # the same demo-shaped inputs as bench/lm_head_loss.py

    results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(root / "inductor_cache")
        paths = prepare(root)
        for r in range(args.rounds):
            for compiled in (False, True) if r % 2 == 0 else (True, False):
                results[compiled].append(run_once(paths, root / f"run_{r}_{compiled}", compiled, args.steps))
    print(f"{'mode':<9} {'round':>5} {'loop wall s':>11} {'first step s':>12} {'steady tokens/s':>16} {'final loss':>11}")
    for compiled in (False, True):
        for r, res in enumerate(results[compiled]):
            print(f"{'compiled' if compiled else 'eager':<9} {r:>5} {res['wall']:>11.1f} {res['first_step_s']:>12.1f} "
                  f"{res['steady']:>16,.0f} {res['loss']:>11.4f}")
    ratio = statistics.median(x["steady"] for x in results[True]) / statistics.median(x["steady"] for x in results[False])
    wall = statistics.median(x["wall"] for x in results[True]) / statistics.median(x["wall"] for x in results[False])
    print(f"compiled / eager: steady tokens/s x{ratio:.2f}; loop wall x{wall:.2f} at {args.steps} steps")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
