"""Copy-teaching rows (`sft_profile: capability_train_copy`) against the default SFT mixture, from one base model.

Reads a (partial) demo run folder holding dataset_pack/, tokenizer/ and base/ (copied out of a run of the default
recipe at the seed you compare), then, into --out: the task pack with --sft-profile (the eval rows are the same for
every SFT profile), SFT with the demo's settings and --sft-steps from that base checkpoint, and the held-out chat eval
(eval/results.jsonl, for `bench/scratchpad_steps.py`). Both arms share the base model, so only the SFT rows differ:

    python bench/copy_teaching.py RUN --out OUT_DEFAULT --sft-profile capability_train --sft-steps 300
    python bench/copy_teaching.py RUN --out OUT_COPY --sft-profile capability_train_copy --sft-steps 300
    python bench/scratchpad_steps.py OUT_COPY/eval/results.jsonl

Measured (seed 0, 120 base + 300 eager SFT steps, one thread each on a shared 2-core machine; docs/demo_research.md):
default identity 31.8%, refusal 45.0%, choice 26.1%, math 0.0%, spelling 0.0% (0 / 81 words spelled exactly);
copy teaching 45.0%, 52.5%, 28.3%, 0.0%, 0.0% (0 / 81), and 0 of 90 of its own copy rows right, the pure
"Repeat: <word>" included: at 300 steps the model copies nothing from its prompt.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="run folder with dataset_pack/, tokenizer/, base/")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sft-profile", default="capability_train_copy")
    ap.add_argument("--sft-steps", type=int, default=900)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from picochat_hf.demo import DemoConfig, stage_chat_eval, stage_sft, stage_task_pack
    from picochat_hf.run_dir import RunDir

    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("dataset_pack", "tokenizer", "base"):
        shutil.copytree(args.run / name, args.out / name, dirs_exist_ok=True)
    run = RunDir(args.out)
    cfg = DemoConfig(seed=args.seed, sft_profile=args.sft_profile, sft_steps=args.sft_steps, growth_points=0,
                     torch_compile=False, out_dir=str(args.out))
    cfg.validate()
    state = {"dataset_pack": str(run.dataset_pack_dir), "base_checkpoint": str(run.best_checkpoint("base")),
             "tokenizer": str(run.tokenizer_dir)}
    stage_task_pack(cfg, args.out, state)
    stage_sft(cfg, args.out, state)
    stage_chat_eval(cfg, args.out, state)
    summary = json.loads(run.eval_report("eval").read_text())["summary"]
    print(json.dumps({s: round(v["pass_rate"], 3) for s, v in summary["by_skill"].items()}))


if __name__ == "__main__":
    main()
