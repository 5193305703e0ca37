"""`picochat eval external`: ARC / MMLU files scored two ways, with the random baseline beside each score.

- `letter_acc`: letter logits at the answer position after the chat template (nanochat's categorical
  eval; see `choice.py`). The prompt is `question`, the lettered options and
  "Answer with the single best option letter.".
- `acc` / `acc_norm` / `acc_bytes`: answer-text log-likelihood after `Question: ...\\nAnswer:`, exactly as
  lm-eval's `multiple_choice` tasks compute them (the shipped `picochat_arc_local` YAML uses this prompt,
  so the two tools agree on the same rows).

The random baseline is the mean of 1/n_choices over the rows; the majority baseline is always answering
the most frequent gold letter.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_text, ensure_can_write, sha256_file
from .choice import answer_text_predictions, loglikelihoods, score_letters
from .lm_eval_tasks.picochat_formats import FORMATS, ChoiceFormatError, read_choice_file
from .model_io import encode_prompt, load_model
from .report import select_examples, write_report
from .rows_eval import summarize
from .stats import wilson_ci

LETTER_INSTRUCTION = "Answer with the single best option letter."
DEMO_ARC_FILE = "picochat_arc_demo.jsonl"


def read_benchmark(path: str | Path, fmt: str = "auto") -> list[dict]:
    """Canonical records (see `picochat_formats`), with bad input raised as PicochatInputError."""
    try:
        return read_choice_file(path, fmt)
    except ChoiceFormatError as exc:
        raise PicochatInputError(exc.reason, path=exc.path, line=exc.line, field=exc.field) from None


def letter_prompt(rec: dict) -> str:
    options = "\n".join(f"{letter}. {text}" for letter, text in zip(_letters(rec), rec["choices"], strict=True))
    return f"{rec['question']}\n\n{options}\n\n{LETTER_INSTRUCTION}"


def answer_context(rec: dict) -> str:
    return f"Question: {rec['question']}\nAnswer:"


def _letters(rec: dict) -> list[str]:
    # Numeric ARC labels (1-5) are shown as letters so every row is answered with A, B, C, ...
    return [chr(ord("A") + k) for k in range(len(rec["choices"]))]


def write_demo_arc_file(path: str | Path, *, force: bool = False) -> Path:
    """Copy the shipped 30-question ARC-format file (labels A-D, Python and general knowledge) to `path`."""
    path = Path(path)
    ensure_can_write(path, force=force)
    text = resources.files("picochat_hf.eval.lm_eval_tasks").joinpath(DEMO_ARC_FILE).read_text(encoding="utf-8")
    return atomic_write_text(path, text)  # a temp file renamed into place: never a half-copied file


def _result_rows(records: list[dict], letters: list[dict], lls_flat: list[float]) -> list[dict]:
    """One result per record: the letter-logit verdict and the answer-text log-likelihood scores."""
    results, k = [], 0
    for rec, let in zip(records, letters, strict=True):
        n = len(rec["choices"])
        lls = lls_flat[k : k + n]
        k += n
        preds = answer_text_predictions(lls, rec["choices"])
        gold_letter = _letters(rec)[rec["gold"]]
        ok = let["pred"] == gold_letter
        results.append(
            {
                "id": rec["id"],
                "skill": "choice",
                "category": f"external_{rec['subject']}",
                "stage": "external",
                "answer_style": "letter",
                "prompt": letter_prompt(rec),
                "reply": let["pred"],
                "expected": {"correct_choice": gold_letter, "answer_text": rec["choices"][rec["gold"]]},
                "passed": ok,
                "failures": [] if ok else [f"choice: chose {let['pred']} not {gold_letter}"],
                "echo": False,
                "refusal": False,
                "expects_refusal": False,
                "unsupported_claim": False,
                "choice": {"pred": let["pred"], "gold": gold_letter, "n_choices": n, "letter_logits": let["letter_logits"]},
                "answer_text": {
                    "loglikelihoods": lls,
                    "acc": float(preds["pred"] == rec["gold"]),
                    "acc_norm": float(preds["pred_norm"] == rec["gold"]),
                    "acc_bytes": float(preds["pred_bytes"] == rec["gold"]),
                },
            }
        )
    return results


def _external_summary(results: list[dict], summary: dict, name: str, fmt: str) -> dict:
    """The report's `external` section: each metric's rate, hits and Wilson interval beside the baselines."""
    n = len(results)
    hits = {
        "letter_acc": sum(r["passed"] for r in results),
        "acc": int(sum(r["answer_text"]["acc"] for r in results)),
        "acc_norm": int(sum(r["answer_text"]["acc_norm"] for r in results)),
        "acc_bytes": int(sum(r["answer_text"]["acc_bytes"] for r in results)),
    }
    return {
        "benchmark": name,
        "format": fmt,
        "n": n,
        **{metric: count / n for metric, count in hits.items()},
        "correct": hits,
        "random_baseline": summary["baselines"]["random"],
        "majority_baseline": summary["baselines"]["majority"],
        "ci": {metric: wilson_ci(count, n) for metric, count in hits.items()},
        "ci_method": "wilson",
        "letter_prompt": "{question}\\n\\n{A. option ...}\\n\\n" + LETTER_INSTRUCTION,
        "answer_text_prompt": "Question: {question}\\nAnswer: {option}",
    }


def run_external_eval(
    input_path: str | Path,
    checkpoint: str | Path,
    out_dir: str | Path,
    *,
    fmt: str = "auto",
    benchmark_name: str | None = None,
    tokenizer: str | Path | None = None,
    batch_size: int = 16,
    device: str = "cpu",
    precision: str = "fp32",
    max_rows: int | None = None,
    trust_remote_code: bool = False,
    force: bool = False,
    progress: bool = True,
) -> dict:
    """Score a local ARC/MMLU file with letter logits and answer-text log-likelihood; write the report."""
    if fmt not in FORMATS:
        raise PicochatInputError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}", field="format")
    ensure_can_write(out_dir, force=force)
    records = read_benchmark(input_path, fmt)
    if max_rows is not None:
        records = records[:max_rows]
    name = benchmark_name or Path(input_path).stem
    loaded = load_model(checkpoint, tokenizer=tokenizer, device=device, precision=precision, trust_remote_code=trust_remote_code)

    prompts = [encode_prompt(loaded.tokenizer, [{"role": "user", "content": letter_prompt(r)}]) for r in records]
    from .rows_eval import check_context

    check_context(loaded, prompts, records)
    letters = score_letters(loaded, prompts, [_letters(r) for r in records], batch_size=batch_size, progress=progress)
    requests = [(answer_context(r), " " + c) for r in records for c in r["choices"]]
    lls_flat = loglikelihoods(loaded, requests, batch_size=batch_size, progress=progress)

    results = _result_rows(records, letters, lls_flat)
    summary = summarize(results)
    external = _external_summary(results, summary, name, fmt)
    report = {
        "kind": "external",
        "config": {
            "input": str(input_path),
            "input_sha256": sha256_file(input_path),
            "format": fmt,
            "benchmark": name,
            "max_rows": max_rows,
            "batch_size": batch_size,
        },
        "model": loaded.describe(),
        "summary": summary,
        "external": external,
        "examples": select_examples(results),
    }
    write_report(out_dir, report, results, force=force)
    return report
