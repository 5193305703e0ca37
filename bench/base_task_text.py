"""`DemoConfig.base_task_text`, measured from a run's stages: SFT from the run's base checkpoint, the held-out chat
eval, and a probe of the base model itself.

Reads a (partial) demo run folder holding dataset_pack/, task_pack/, tokenizer/ and base/ (a full run, or those
folders copied out of one), then, into --out: SFT with the demo's settings and `--sft-steps`, the chat eval on the
run's eval rows (eval/results.jsonl, for `bench/scratchpad_steps.py`), and `base_probe.json`: greedy completions of
"<word>:" by the base model for the eval rows' spelling words (never trained on) and for words its task text
spelled (when the run has base_task_text.jsonl), counting the words whose letters come out exactly as "w, o, r, d.".
A base trained without task text never saw the format, so its probe is the floor; compare runs at the same seed:

    python bench/base_task_text.py RUN_WITH --out OUT_WITH --sft-steps 300
    python bench/base_task_text.py RUN_WITHOUT --out OUT_WITHOUT --sft-steps 300

Measured (seeds 0 and 1, the default recipe with torch_compile off, one thread each on a shared 2-core machine, 120 base
steps, SFT cut to 300 steps to fit the machine's load; held-out eval, 400 rows):

| recipe | identity | refusal | choice | math | spelling | words spelled exactly | base probe (eval / task-text words) | SFT val loss |
|---|---|---|---|---|---|---|---|---|
| default | 31.8% | 45.0% | 26.1% | 0.0% | 0.0% | 0 / 81 | 0 / 60 (format never seen) | 0.618 |
| `base_task_text: 0.5` (first version: columns of held-out facts kept) | 42.6% | 75.0% | 30.4% | 0.0% | 0.0% | 0 / 81 | 0 / 60, 0 / 60 | 0.587 |
| `base_task_text: 0.5` (committed version: no held-out fact in any column) | 58.1% | 45.0% | 32.6% | 0.0% | 0.0% | 0 / 81 | 0 / 30, 0 / 30 | 0.577 |
| default, seed 1 | 23.3% | 57.5% | 21.7% | 1.0% | 0.0% | 0 / 81 | 0 / 20 | 0.634 |
| `base_task_text: 0.5` (committed version), seed 1 | 58.1% | 52.5% | 21.7% | 0.0% | 0.0% | 0 / 81 | 0 / 20, 0 / 20 | 0.583 |

Half the base tokens were task text (534k train tokens against 266k). The base model learned the line formats, not
the letters: it answers "<word>:" with "a, e, e, e, ..." or "the first letter is a, ..." for training and held-out
words alike. At 300 SFT steps neither arm restates a single math operand pair or spells a word.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch


def probe_base(checkpoint: Path, tokenizer_dir: Path, words: list[str], max_new_tokens: int = 40) -> dict:
    """Share of `words` the base model spells exactly after "<word>:" (greedy), with a few examples."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    model = AutoModelForCausalLM.from_pretrained(checkpoint, trust_remote_code=True).eval()
    exact, examples = 0, []
    for word in words:
        ids = [tok.bos_token_id] + tok(f"{word}:", add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            out = model.generate(torch.tensor([ids]), max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id)
        text = tok.decode(out[0, len(ids):], skip_special_tokens=True).split("\n")[0]
        ok = text.strip().startswith(", ".join(word) + ".")
        exact += ok
        if len(examples) < 8:
            examples.append({"word": word, "completion": text, "exact": ok})
    return {"n": len(words), "exact": exact, "rate": exact / max(1, len(words)), "examples": examples}


def _probe_words(run: Path, eval_rows: Path, n: int) -> dict[str, list[str]]:
    rows = [json.loads(line) for line in eval_rows.read_text(encoding="utf-8").splitlines() if line.strip()]
    held = sorted({r["problem"]["word"] for r in rows if r.get("skill") == "spelling"})[:n]
    out = {"eval_words": held}
    text_file = run / "base_task_text.jsonl"
    if text_file.exists():
        seen: list[str] = []
        for line in text_file.read_text(encoding="utf-8").splitlines():
            for text_line in json.loads(line)["text"].splitlines():
                head, _, rest = text_line.partition(": ")
                if head.isalpha() and rest[:1] == head[:1] and len(seen) < n:
                    seen.append(head)
        out["task_text_words"] = seen
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="run folder with dataset_pack/, task_pack/, tokenizer/, base/")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sft-steps", type=int, default=900)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--probe-words", type=int, default=60)
    args = ap.parse_args()
    from picochat_hf.demo import DemoConfig, stage_chat_eval, stage_sft
    from picochat_hf.run_dir import RunDir

    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("dataset_pack", "task_pack", "tokenizer", "base", "base_task_text.jsonl"):
        src = args.run / name
        if src.is_dir():
            shutil.copytree(src, args.out / name, dirs_exist_ok=True)
        elif src.exists():
            shutil.copy(src, args.out / name)
    run = RunDir(args.out)
    pack = next(run.task_pack_dir.glob("chat_task_mixture_*.jsonl"))
    eval_rows = next(run.task_pack_dir.glob("eval_task_mixture_*.jsonl"))
    words = _probe_words(args.out, eval_rows, args.probe_words)
    probe = {k: probe_base(run.best_checkpoint("base"), run.tokenizer_dir, v) for k, v in words.items()}
    (args.out / "base_probe.json").write_text(json.dumps(probe, indent=2))
    print(json.dumps({k: {"n": v["n"], "exact": v["exact"]} for k, v in probe.items()}))
    cfg = DemoConfig(seed=args.seed, sft_steps=args.sft_steps, growth_points=0, torch_compile=False, out_dir=str(args.out))
    state = {"sft_rows": str(pack), "eval_rows": str(eval_rows), "base_checkpoint": str(run.best_checkpoint("base")),
             "tokenizer": str(run.tokenizer_dir), "dataset_pack": str(run.dataset_pack)}
    stage_sft(cfg, args.out, state)
    stage_chat_eval(cfg, args.out, state)
    summary = json.loads(run.eval_report("eval").read_text())["summary"]
    print(json.dumps({s: round(v["pass_rate"], 3) for s, v in summary["by_skill"].items()}))


if __name__ == "__main__":
    main()
