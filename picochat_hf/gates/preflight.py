"""The preflight gate: is this training plan worth running, before any compute is spent?

`run_preflight(plan, run_dir, profile)` checks the plan the recipes build (model size, launch shape,
token budget, learning rate, attention backend / device / precision, tokenizer, document boundaries)
and the data it names (dataset pack, SFT rows, eval rows, eval contamination). Each check passes, warns or
blocks with its value, threshold and one sentence; thresholds come from `profiles/preflight.yaml` and the
profile's overrides. Status: `blocked` if any check blocks, `warn` if any warns, else `ready`. With a
`run_dir` the result goes to `gates/preflight.json` and `gates/preflight.md`.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from ..data.schema import SKILLS, answer_text, prompt_text, read_rows
from ..eval.scoring import rule_problem
from ..honesty.normalize import normalized
from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text, read_json
from ..utils.provenance import provenance
from .common import check, load_profile, pct, render_gate_md, roll_up, summary_line

FLASH_BACKENDS = ("flash_attention_2", "flash_attention_3", "flash", "fa3", "kernels", "efficient", "cudnn")
KNOWN_BACKENDS = ("eager", "sdpa", "flex_attention", *FLASH_BACKENDS)
PRECISIONS = {"fp32": "fp32", "float32": "fp32", "bf16": "bf16", "bfloat16": "bf16", "fp16": "fp16", "float16": "fp16"}


def _sizing(plan: dict[str, Any]) -> tuple[int | None, float | None, str]:
    """(parameters, FLOPs per token) from the plan, else computed from model_config with the picochat helpers."""
    n, fpt = plan.get("num_parameters"), plan.get("flops_per_token")
    if n and fpt:
        return int(n), float(fpt), "plan"
    cfg = plan.get("model_config") or {}
    if cfg.get("model_type", "picochat") == "picochat" and cfg:
        from ..modeling.configuration_picochat import PicochatConfig
        from ..training.plan import model_numbers  # the one sizing function the trainers' plans use too

        config = PicochatConfig(**{k: v for k, v in cfg.items() if k not in ("model_type", "architectures", "auto_map")})
        params, flops = model_numbers(config, plan.get("seq_len"))
        return int(n or params), float(fpt or flops), "picochat_hf.training.plan.model_numbers"
    return (int(n) if n else None), (float(fpt) if fpt else None), "plan"


class _Preflight:
    def __init__(self, plan: dict[str, Any], run_dir: Path | None, prof: dict[str, Any]):
        self.plan, self.run_dir, self.prof = plan, run_dir, prof
        self.t = prof["preflight"]
        self.release = bool(prof.get("release_profile"))
        self.checks: list[dict[str, Any]] = []
        self.stage = plan.get("stage") or "sft"
        if self.stage not in ("sft", "base"):
            raise PicochatInputError("stage must be 'sft' or 'base'", field="stage")
        self.params, self.fpt, self.sizing_source = _sizing(plan)
        lr = self.t["long_run"]
        steps = plan.get("max_steps") or 0
        self.long = bool((self.params or 0) >= lr["min_parameters"] or steps >= lr["min_steps"])

    def add(self, name, status, value, threshold, why):
        self.checks.append(check(name, status, value, threshold, why))

    def long_block(self) -> str:
        return "block" if self.long else "warn"

    # ---- model, launch shape, budget ------------------------------------------------------------------
    def model_and_shape(self) -> None:
        p = self.plan
        if not self.params:
            self.add("model_size", "block", None, "> 0", "The parameter count is unknown (no num_parameters and no picochat model_config).")
            return
        self.add("model_size", "pass", self.params, None,
                 f"{self.params:,} parameters, {self.fpt:.3g} training FLOPs per token ({self.sizing_source}); "
                 f"{'long' if self.long else 'short'} run rules apply.")
        seq_len = p.get("seq_len")
        max_pos = (p.get("model_config") or {}).get("max_position_embeddings")
        if seq_len and max_pos and seq_len > max_pos:
            self.add("context_length", "block", seq_len, max_pos, f"seq_len {seq_len} exceeds the model's max_position_embeddings {max_pos}.")
        elif seq_len:
            self.add("context_length", "pass", seq_len, max_pos, f"seq_len {seq_len} fits the model context ({max_pos}).")
        pdb, acc, world = p.get("per_device_batch"), p.get("grad_accum") or 1, p.get("world_size") or 1
        if not pdb or not seq_len:
            self.add("launch_shape", "block", None, None, "per_device_batch and seq_len are needed to size a step.")
            return
        eff = pdb * acc * world
        expected = eff * seq_len
        tps = p.get("tokens_per_step") or expected
        if tps != expected:
            self.add("launch_shape", "block", tps, expected,
                     f"tokens_per_step {tps} != per_device_batch {pdb} x grad_accum {acc} x world_size {world} x seq_len {seq_len} = {expected}.")
        else:
            self.add("launch_shape", "pass", tps, expected, f"{eff} sequences x {seq_len} tokens = {tps} tokens per step.")
        steps = p.get("max_steps")
        planned = p.get("planned_tokens")
        if not steps or steps <= 0:
            self.add("planned_steps", "block", steps, "> 0", "max_steps must be a positive number so the token budget is known.")
        elif planned is not None and planned != steps * tps:
            self.add("planned_steps", "block", planned, steps * tps, f"planned_tokens {planned} != max_steps {steps} x tokens_per_step {tps}.")
        else:
            self.add("planned_steps", "pass", steps, "> 0", f"{steps} steps x {tps} tokens = {steps * tps:,} planned tokens.")
        self.planned = planned if planned is not None else (steps * tps if steps else None)
        warn_below = self.t["effective_batch"]["warn_below"]
        self.add("effective_batch", "warn" if eff < warn_below else "pass", eff, warn_below,
                 f"Effective batch is {eff} sequences" + (f", below {warn_below}: noisy gradients." if eff < warn_below else "."))
        env_world = os.environ.get("WORLD_SIZE")
        device = p.get("device") or "cpu"
        if env_world is not None and env_world.isdigit() and int(env_world) != world:
            self.add("ddp_launch_shape", "block", world, int(env_world), f"The plan says world_size {world} but the launcher set WORLD_SIZE={env_world}.")
        elif world > 1 and device == "cuda":
            import torch

            count = torch.cuda.device_count()
            if count and world > count and "LOCAL_WORLD_SIZE" not in os.environ:
                self.add("ddp_launch_shape", "warn", world, count, f"world_size {world} exceeds the {count} local GPUs; this only works multi-node.")
            else:
                self.add("ddp_launch_shape", "pass", world, count or None, f"DDP over {world} ranks.")
        elif world > 1:
            self.add("ddp_launch_shape", "warn", world, 1, f"world_size {world} on {device}: DDP on CPU (gloo) is slow; use it only to test launch.")
        else:
            self.add("ddp_launch_shape", "pass", world, 1, "Single process.")

    def budget(self) -> None:
        t = self.t
        target_ratio = t["compute_optimal"]["target_tokens_per_param"]
        if self.stage == "base":
            planned, params = self.planned, self.params
        else:
            planned, params = self._base_evidence()
        if not params:
            return
        target = params * target_ratio
        if self.stage == "base" and planned:
            ratio = planned / target
            co = t["compute_optimal"]
            if self.long and ratio > co["block_above_long"]:
                st, why = "block", f"planned/target tokens {ratio:.2f} is above {co['block_above_long']} on a long run: far past compute-optimal."
            elif ratio < co["warn_below"] or ratio > co["warn_above"]:
                st, why = "warn", f"planned/target tokens {ratio:.2f} is outside [{co['warn_below']}, {co['warn_above']}] (target {target:,.0f} = {target_ratio} x params)."
            else:
                st, why = "pass", f"planned/target tokens {ratio:.2f} (target {target:,.0f} = {target_ratio} x params)."
            self.add("compute_optimal_horizon", st, round(ratio, 4), [co["warn_below"], co["warn_above"]], why)
        rtb = t["release_token_budget"]
        if not rtb.get("enforce"):
            return
        need = rtb["min_planned_to_target"]
        if target_ratio < rtb["min_tokens_per_param"]:
            self.add("release_token_budget", "block", target_ratio, rtb["min_tokens_per_param"],
                     f"The target is {target_ratio} tokens per parameter; a release needs at least {rtb['min_tokens_per_param']}.")
        elif not planned:
            self.add("release_token_budget", "block", None, need,
                     "No base-run token budget found (base/train_report.json in the run directory); a release must show it.")
        else:
            ratio = planned / target
            what = "planned" if self.stage == "base" else "the base run's planned"
            if ratio < need:
                self.add("release_token_budget", "block", round(ratio, 4), need,
                         f"Release token budget failed: {what} tokens are {ratio:.2f} of the {target_ratio}-tokens-per-parameter target; a release needs {need:.2f}.")
            else:
                self.add("release_token_budget", "pass", round(ratio, 4), need,
                         f"{what.capitalize()} tokens are {ratio:.2f} of the {target_ratio}-tokens-per-parameter target (needs {need:.2f}).")

    def _base_evidence(self) -> tuple[int | None, int | None]:
        if self.run_dir is None:
            return None, self.params
        path = self.run_dir / "base" / "train_report.json"
        if not path.exists():
            return None, self.params
        rep = read_json(path)
        return rep.get("planned_tokens"), rep.get("num_parameters") or self.params

    def learning_rate(self) -> None:
        lr, base_lr = self.plan.get("learning_rate"), self.plan.get("base_learning_rate")
        t = self.t["learning_rate"]
        if lr is None or lr <= 0:
            self.add("learning_rate", "block", lr, "> 0", f"learning_rate must be positive, got {lr}.")
        elif self.stage == "base":
            hi = t["base_warn_above"]
            self.add("learning_rate", "warn" if lr > hi else "pass", lr, hi,
                     f"Base learning rate {lr:g}" + (f" is above {hi:g}; watch for loss spikes." if lr > hi else f" (warn above {hi:g})."))
        elif base_lr is not None and lr > base_lr:
            self.add("learning_rate", "warn", lr, base_lr, f"SFT learning rate {lr:g} is above the base run's {base_lr:g}.")
        else:
            hi = t["sft_warn_above"]
            self.add("learning_rate", "warn" if lr > hi else "pass", lr, hi,
                     f"SFT learning rate {lr:g}" + (f" is above {hi:g}." if lr > hi else f" (warn above {hi:g})."))

    def runtime(self) -> None:
        import torch

        p = self.plan
        device = (p.get("device") or "cpu").split(":")[0]
        precision = PRECISIONS.get(str(p.get("precision") or "fp32").lower())
        attn = p.get("attn_implementation") or "sdpa"
        available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
        if device not in available:
            self.add("device", "block", device, "cpu|cuda|mps", f"Unknown device {device!r}.")
        elif not available[device]:
            self.add("device", "block", device, "available", f"The plan asks for {device} but none is available here.")
        else:
            self.add("device", "pass", device, "available", f"{device} is available.")
        if precision is None:
            self.add("precision", "block", p.get("precision"), "fp32|bf16|fp16", f"Unknown precision {p.get('precision')!r}.")
        elif precision == "fp16" and device != "cuda":
            self.add("precision", "block", precision, "cuda", "fp16 mixed precision needs a CUDA device.")
        elif precision == "bf16" and device == "cuda" and torch.cuda.is_available() and not torch.cuda.is_bf16_supported():
            self.add("precision", "block", precision, "bf16-capable GPU", "This GPU does not support bf16.")
        else:
            self.add("precision", "pass", precision, None, f"{precision} on {device}.")
        name = str(attn)
        flash = name in FLASH_BACKENDS or name.startswith("kernels") or "flash" in name
        if name not in KNOWN_BACKENDS and not flash:
            self.add("attention_backend_runtime", "block", name, "|".join(KNOWN_BACKENDS[:3]), f"Unknown attention backend {name!r}.")
        elif flash and device != "cuda":
            self.add("attention_backend_runtime", "block", name, "cuda", f"{name} needs a CUDA device; the plan runs on {device}. Use sdpa or eager.")
        elif flash and precision == "fp32":
            self.add("attention_backend_runtime", "block", name, "bf16|fp16", f"{name} does not run in fp32; use bf16 or sdpa.")
        else:
            self.add("attention_backend_runtime", "pass", name, None, f"{name} attention runs on {device} in {precision}.")
        packing = str(p.get("packing") or "none").lower()
        rows = p.get("per_device_batch") or 1
        if flash and packing not in ("none", "false", "no") and rows > 1:
            # transformers infers flash-attention segments from position_ids only for a batch of one row,
            # so with more rows conversations packed into a row would attend to each other
            self.add("packed_flash_attention", "block", rows, 1,
                     f"{name} with packed rows needs per-device batch 1 (got {rows}): with more rows, documents in a row "
                     "attend to each other. Use sdpa, or batch 1 with gradient accumulation.")

    # ---- tokenizer and document boundaries ----------------------------------------------------------
    def tokenizer(self) -> None:
        self.tok = None
        path = self.plan.get("tokenizer")
        packing = self.plan.get("packing")
        packed = bool(packing) and str(packing).lower() not in ("none", "false", "no")
        if path is None:
            self.add("tokenizer", self.long_block(), None, "a tokenizer", "No tokenizer given, so vocabulary and BOS boundaries cannot be checked.")
            return
        from ..tokenizer import load_tokenizer

        try:
            self.tok = tok = load_tokenizer(path)
        except (OSError, ValueError) as exc:
            if isinstance(exc, PicochatInputError):
                raise  # a folder that is not a tokenizer
            raise PicochatInputError(f"cannot load tokenizer ({exc.__class__.__name__}: {exc})", path=path, field="tokenizer") from None
        t = self.t["tokenizer"]
        vocab = len(tok)
        if self.long and vocab < t["vocab_block_below_long"]:
            self.add("tokenizer_vocab", "block", vocab, t["vocab_block_below_long"], f"Vocabulary of {vocab} is below {t['vocab_block_below_long']} on a long run.")
        elif vocab < t["vocab_warn_below"]:
            self.add("tokenizer_vocab", "warn", vocab, t["vocab_warn_below"], f"Vocabulary of {vocab} is below {t['vocab_warn_below']}: long sequences per text.")
        else:
            self.add("tokenizer_vocab", "pass", vocab, t["vocab_warn_below"], f"Vocabulary of {vocab} tokens.")
        model_vocab = (self.plan.get("model_config") or {}).get("vocab_size")
        if model_vocab is not None and model_vocab < vocab:
            self.add("tokenizer_model_vocab", "block", vocab, model_vocab, f"The tokenizer has {vocab} tokens but the model embeds only {model_vocab}.")
        ids = tok("boundary check")["input_ids"]
        starts_bos = tok.bos_token_id is not None and bool(ids) and ids[0] == tok.bos_token_id
        if packed or self.stage == "base":
            where = "packed rows" if packed else "document streams"
            if starts_bos:
                self.add("document_boundaries", "pass", True, "BOS at every start",
                         f"The tokenizer puts {tok.bos_token} at the start of every text, so {where} keep document boundaries.")
            else:
                self.add("document_boundaries", self.long_block(), False, "BOS at every start",
                         f"The tokenizer does not add a BOS token; {where} would run documents together.")

    def corpus(self) -> None:
        pack_path = self.plan.get("dataset_pack")
        self.corpus_tokens = None
        if pack_path is None:
            if self.stage == "base":
                self.add("dataset_pack", self.long_block(), None, "a dataset pack", "No dataset pack: corpus size, duplicates and boundaries are unmeasured.")
            return
        from ..data.dataset_pack import load_dataset_pack

        pack_json = Path(pack_path)
        if pack_json.is_dir():
            pack_json = pack_json / "dataset_pack.json"
        pack = load_dataset_pack(pack_json)
        report_path = pack_json.parent / (pack.get("import_report") or {}).get("json", "import_report.json")
        report = read_json(report_path) if report_path.exists() else {}
        t = self.t["corpus"]
        counts = pack.get("counts") or {}
        docs, chars = counts.get("documents", 0), counts.get("characters", 0)
        self.corpus_tokens = counts.get("estimated_tokens") or (chars / self.t["chars_per_token"])
        if not docs:
            self.add("corpus_documents", "block", docs, "> 0", "The dataset pack holds no documents.")
            return
        low = t["warn_documents_below_long"]
        self.add("corpus_documents", "warn" if self.long and docs < low else "pass", docs, low, f"{docs:,} documents, {chars:,} characters.")
        if self.long and chars < t["warn_chars_below_long"]:
            self.add("corpus_size", "warn", chars, t["warn_chars_below_long"], f"{chars:,} characters is small for a long run (< {t['warn_chars_below_long']:,}).")
        dup = report.get("duplicates") or {}
        for key, name, warn_at, block_at in (
            ("exact_duplicate_rate", "duplicate_documents", t["duplicate_warn"], t["duplicate_block_long"]),
            ("near_duplicate_rate", "near_duplicate_documents", t["near_duplicate_warn"], t["near_duplicate_block_long"]),
            ("duplicate_line_rate", "duplicate_lines", t["duplicate_line_warn"], t["duplicate_line_block_long"]),
        ):
            rate = dup.get(key)
            if rate is None:
                self.add(name, "warn", None, warn_at, f"The import report has no {key}; duplicates are unmeasured.")
                continue
            st = "block" if self.long and rate > block_at else ("warn" if rate > warn_at else "pass")
            self.add(name, st, round(rate, 4), block_at if st == "block" else warn_at, f"{name.replace('_', ' ').capitalize()}: {pct(rate)} (warn above {pct(warn_at)}, block long runs above {pct(block_at)}).")
        shards = pack.get("shards") or []
        if all(isinstance(s, dict) and "documents" in s for s in shards):
            self.add("shard_boundaries", "pass", len(shards), "whole documents", f"{len(shards)} shards store whole documents (no document is split across shards).")
        else:
            self.add("shard_boundaries", self.long_block(), None, "whole documents", "The pack's shards do not record their documents; boundaries are unverifiable.")
        if self.stage == "base" and self.planned and self.corpus_tokens:
            epochs = self.planned / self.corpus_tokens
            st = "block" if self.long and epochs > t["epochs_block_long"] else ("warn" if epochs > t["epochs_warn"] else "pass")
            self.add("base_exposure", st, round(epochs, 3), t["epochs_warn"], f"The plan reads the corpus {epochs:.2f} times (estimated {self.corpus_tokens:,.0f} tokens).")

    # ---- rows -----------------------------------------------------------------------------------------
    def _coverage(self, name: str, rows: list[dict], what: str) -> None:
        required = list(self.t.get("required_skills") or [])
        present = Counter(r["skill"] for r in rows)
        missing = [s for s in required if not present.get(s)]
        unknown = [s for s in required if s not in SKILLS]
        if unknown:
            raise PicochatInputError(f"unknown skills {unknown}; expected some of {', '.join(SKILLS)}", path=self.prof["source"], field="preflight.required_skills")
        if missing:
            self.add(name, "block", sorted(present), required, f"{what} rows lack the skills {', '.join(missing)} that profile {self.prof['name']} requires.")
        else:
            self.add(name, "pass", dict(sorted(present.items())), required, f"{what} rows cover {', '.join(f'{k} {v}' for k, v in sorted(present.items()))}.")

    def sft(self) -> None:
        path = self.plan.get("sft_input")
        self.sft_rows = None
        if path is None:
            if self.stage == "sft":
                self.add("sft_rows", "block", None, "a JSONL of rows", "No SFT input given.")
            return
        rows = self.sft_rows = read_rows(path)
        t = self.t["sft"]
        n = len(rows)
        st = "block" if self.long and n < t["rows_block_below_long"] else ("warn" if n < t["rows_warn_below"] else "pass")
        self.add("sft_rows", st, n, t["rows_warn_below"], f"{n} SFT rows (warn below {t['rows_warn_below']}, block long runs below {t['rows_block_below_long']}).")
        prompts = Counter(normalized(prompt_text(r)) for r in rows)
        dup = sum(c - 1 for c in prompts.values()) / n
        st = "block" if self.long and dup > t["duplicate_prompt_block_long"] else ("warn" if dup > t["duplicate_prompt_warn"] else "pass")
        self.add("sft_duplicate_prompts", st, round(dup, 4), t["duplicate_prompt_warn"], f"{pct(dup)} of SFT prompts repeat an earlier prompt.")
        self._coverage("sft_skill_coverage", rows, "SFT")
        cats = {r["category"] for r in rows}
        if self.long and len(cats) < t["min_categories_long"]:
            self.add("sft_category_balance", "warn", len(cats), t["min_categories_long"], f"Only {len(cats)} SFT categories on a long run.")
        else:
            self.add("sft_category_balance", "pass", len(cats), t["min_categories_long"], f"{len(cats)} SFT categories.")
        if self.plan.get("sampling") in ("category_sqrt", "category_balanced") and len(cats) < 2:
            self.add("sampling", "warn", len(cats), 2, f"{self.plan.get('sampling')} sampling with a single category is plain uniform sampling.")
        words = [len(answer_text(r).split()) for r in rows]
        avg = sum(words) / n
        low = t["answer_words_warn_below_long"]
        self.add("sft_answer_length", "warn" if self.long and avg < low else "pass", round(avg, 2), low, f"Assistant answers average {avg:.1f} words.")
        if self.stage == "sft" and self.planned:
            if self.tok is not None:
                texts = [prompt_text(r) + "\n" + answer_text(r) for r in rows]
                total = sum(len(ids) for ids in self.tok(texts)["input_ids"])
                how = "tokenized"
            else:
                total = sum(len(prompt_text(r)) + len(answer_text(r)) for r in rows) / self.t["chars_per_token"]
                how = f"characters / {self.t['chars_per_token']}"
            epochs = self.planned / max(total, 1)
            st = "block" if self.long and epochs > t["exposure_block_long"] else ("warn" if epochs > t["exposure_warn"] else "pass")
            self.add("sft_exposure", st, round(epochs, 3), t["exposure_warn"], f"The plan reads the SFT set {epochs:.1f} times ({total:,.0f} tokens, {how}).")

    def eval(self) -> None:
        path = self.plan.get("eval_input")
        self.eval_rows = None
        if path is None and self.stage == "base":
            return
        if path is None:
            self.add("eval_rows", "block" if self.release else "warn", None, "a JSONL of eval rows", "No eval rows given: skills and contamination cannot be checked.")
            return
        rows = self.eval_rows = read_rows(path)
        t = self.t["eval"]
        n = len(rows)
        st = "block" if self.long and n < t["rows_block_below_long"] else ("warn" if n < t["rows_warn_below"] else "pass")
        self.add("eval_rows", st, n, t["rows_warn_below"], f"{n} eval rows (warn below {t['rows_warn_below']}, block long runs below {t['rows_block_below_long']}).")
        problems = [(r["id"], why) for r in rows if (why := rule_problem(r)) is not None]  # the rule engine's own reading
        ruled = n - len(problems)
        if ruled < n:
            self.add("eval_rules", self.long_block(), ruled, n, f"Only {ruled} of {n} eval rows carry rules the scoring engine enforces "
                     f"(first: {problems[0][0]}, {problems[0][1]}); the rest cannot be scored.")
        else:
            self.add("eval_rules", "pass", ruled, n, f"All {n} eval rows carry rules the scoring engine enforces.")
        self._coverage("eval_skill_coverage", rows, "Eval")
        if self.long:
            unanswerable = sum(1 for r in rows if r.get("answerable") is False)
            splits = {r["split"] for r in rows}
            lo_u, lo_s = t["unanswerable_warn_below_long"], t["splits_warn_below_long"]
            self.add("unanswerable_eval", "warn" if unanswerable < lo_u else "pass", unanswerable, lo_u, f"{unanswerable} unanswerable eval rows test abstention.")
            self.add("eval_splits", "warn" if len(splits) < lo_s else "pass", len(splits), lo_s, f"{len(splits)} eval split labels.")

    def contamination(self) -> None:
        if self.eval_rows is None:
            return
        existing = self.run_dir / "honesty" / "honesty_report.json" if self.run_dir is not None else None
        if existing is not None and existing.exists():
            report = read_json(existing)
            source = "honesty/honesty_report.json"
        else:
            from ..honesty.scan import scan
            from ..honesty.sources import iter_corpus

            pack = self.plan.get("dataset_pack")
            corpus = (lambda: iter_corpus([Path(pack) / "dataset_pack.json" if Path(pack).is_dir() else Path(pack)])) if pack and self.t["contamination"]["scan_corpus"] else None
            report = scan(eval_rows=self.eval_rows, sft_rows=self.sft_rows or [], corpus=corpus, show_progress=False)
            source = "scan (SFT" + (" + corpus" if corpus else "") + ")"
        status = report.get("status")
        sev = {"ready": "pass", "caution": "warn", "blocked": "block"}.get(status, "block")
        self.add("eval_contamination", sev, status, "ready", f"Contamination {source}: {report.get('summary', status)}")
        self.honesty_summary = {"status": status, "counts": report.get("counts"), "source": source}


def run_preflight(plan: dict[str, Any], run_dir: Path | None, profile: str | Path = "research") -> dict[str, Any]:
    """Check a training plan; write `run_dir/gates/preflight.json` + `.md` when `run_dir` is given."""
    if not isinstance(plan, dict):
        raise PicochatInputError("the preflight plan must be a mapping")
    prof = load_profile(profile)
    run_dir = Path(run_dir) if run_dir is not None else None
    pf = _Preflight(plan, run_dir, prof)
    pf.planned = None
    pf.honesty_summary = None
    pf.model_and_shape()
    pf.budget()
    pf.learning_rate()
    pf.runtime()
    pf.tokenizer()
    pf.corpus()
    pf.sft()
    pf.eval()
    pf.contamination()
    status = roll_up(pf.checks, "ready")
    result = {
        "status": status,
        "profile": prof["name"],
        "profile_source": prof["source"],
        "summary": summary_line(pf.checks, status),
        "long_run": pf.long,
        "checks": pf.checks,
        "numbers": {
            "num_parameters": pf.params,
            "flops_per_token": pf.fpt,
            "planned_tokens": pf.planned,
            "target_tokens": pf.params * prof["preflight"]["compute_optimal"]["target_tokens_per_param"] if pf.params else None,
            "training_flops": pf.fpt * pf.planned if pf.fpt and pf.planned else None,
        },
        "honesty": pf.honesty_summary,
        "thresholds": prof["preflight"],
        "plan": plan,
        "provenance": provenance(),
    }
    if run_dir is not None:
        atomic_write_json(run_dir / "gates" / "preflight.json", result)
        atomic_write_text(run_dir / "gates" / "preflight.md", render_gate_md(result, "Preflight gate"))
    return result
