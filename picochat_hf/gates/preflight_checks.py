"""Preflight checks of the plan itself: model size, launch shape, token budget, learning rate, runtime.

Each is a pure function of `PreflightInputs` returning check records; thresholds come from the profile's
`preflight:` section (merged over profiles/preflight.yaml).
"""

from __future__ import annotations

from typing import Any

from ..utils.trained_tokens import trained_tokens
from .common import check, count
from .preflight_inputs import FLASH_BACKENDS, PreflightInputs, is_flash

KNOWN_BACKENDS = ("eager", "sdpa", "flex_attention", *FLASH_BACKENDS)
PRECISIONS = {"fp32": "fp32", "float32": "fp32", "bf16": "bf16", "bfloat16": "bf16", "fp16": "fp16", "float16": "fp16"}
Check = dict[str, Any]


def check_model_size(inp: PreflightInputs) -> list[Check]:
    if not inp.params:
        return [check("model_size", "block", None, "> 0", "The parameter count is unknown (no num_parameters and no picochat model_config).")]
    out = [check("model_size", "pass", inp.params, None, f"{inp.params:,} parameters, {inp.fpt:.3g} training FLOPs per token "
                 f"({inp.sizing_source}); {'long' if inp.long else 'short'} run rules apply.")]
    seq_len, max_pos = inp.plan.get("seq_len"), (inp.plan.get("model_config") or {}).get("max_position_embeddings")
    if seq_len and max_pos and seq_len > max_pos:
        out.append(check("context_length", "block", seq_len, max_pos, f"seq_len {seq_len} exceeds the model's max_position_embeddings {max_pos}."))
    elif seq_len:
        out.append(check("context_length", "pass", seq_len, max_pos, f"seq_len {seq_len} fits the model context ({max_pos})."))
    return out


def check_launch_shape(inp: PreflightInputs) -> list[Check]:
    p = inp.plan
    if not inp.params:
        return []
    seq_len, pdb, acc, world = p.get("seq_len"), p.get("per_device_batch"), p.get("grad_accum") or 1, p.get("world_size") or 1
    if not pdb or not seq_len:
        return [check("launch_shape", "block", None, None, "per_device_batch and seq_len are needed to size a step.")]
    eff = pdb * acc * world
    expected = eff * seq_len
    tps = p.get("tokens_per_step") or expected
    if tps != expected:
        out = [check("launch_shape", "block", tps, expected,
                     f"tokens_per_step {tps} != per_device_batch {pdb} x grad_accum {acc} x world_size {world} x seq_len {seq_len} = {expected}.")]
    else:
        out = [check("launch_shape", "pass", tps, expected, f"{eff} sequences x {seq_len} tokens = {tps} tokens per step.")]
    steps, planned = p.get("max_steps"), p.get("planned_tokens")
    if not steps or steps <= 0:
        out.append(check("planned_steps", "block", steps, "> 0", "max_steps must be a positive number so the token budget is known."))
    elif planned is not None and planned != steps * tps:
        out.append(check("planned_steps", "block", planned, steps * tps, f"planned_tokens {planned} != max_steps {steps} x tokens_per_step {tps}."))
    else:
        out.append(check("planned_steps", "pass", steps, "> 0", f"{steps} steps x {tps} tokens = {steps * tps:,} planned tokens."))
    warn_below = inp.t["effective_batch"]["warn_below"]
    out.append(check("effective_batch", "warn" if eff < warn_below else "pass", eff, warn_below,
                     f"Effective batch is {eff} sequences" + (f", below {warn_below}: noisy gradients." if eff < warn_below else ".")))
    return out + _ddp(inp, world)


def _ddp(inp: PreflightInputs, world: int) -> list[Check]:
    env_world, device = inp.env.get("WORLD_SIZE"), inp.plan.get("device") or "cpu"
    if env_world is not None and env_world.isdigit() and int(env_world) != world:
        return [check("ddp_launch_shape", "block", world, int(env_world), f"The plan says world_size {world} but the launcher set WORLD_SIZE={env_world}.")]
    if world > 1 and device == "cuda":
        gpus = inp.env.get("cuda_count") or 0
        if gpus and world > gpus and inp.env.get("LOCAL_WORLD_SIZE") is None:
            return [check("ddp_launch_shape", "warn", world, gpus, f"world_size {world} exceeds the {gpus} local GPUs; this only works multi-node.")]
        return [check("ddp_launch_shape", "pass", world, gpus or None, f"DDP over {world} ranks.")]
    if world > 1:
        return [check("ddp_launch_shape", "warn", world, 1, f"world_size {world} on {device}: DDP on CPU (gloo) is slow; use it only to test launch.")]
    return [check("ddp_launch_shape", "pass", world, 1, "Single process.")]


def _base_budget(inp: PreflightInputs) -> tuple[int | None, int | None, str]:
    """(tokens, parameters, what) the budget is judged on: the plan for a base run; for SFT, the tokens the base
    run actually trained on (its train report), or its plan when it does not record them."""
    if inp.stage == "base":  # the tokens the run will train on, as its train report counts them (`plan_tokens`)
        trained = inp.plan.get("planned_trained_tokens")
        if trained is None:
            return inp.planned, inp.params, "planned"
        # never above the planned slots: a plan file raising the count cannot raise the budget past what is read
        return (min(trained, inp.planned) if inp.planned is not None else trained), inp.params, "planned trained"
    rep = inp.base_report or {}
    params = rep.get("num_parameters") or inp.params
    trained, _ = trained_tokens(rep)
    if trained is not None:
        return trained, params, "the base run's trained"
    return rep.get("planned_tokens"), params, "the base run's planned"


def check_budget(inp: PreflightInputs) -> list[Check]:
    t = inp.t
    target_ratio = t["compute_optimal"]["target_tokens_per_param"]
    tokens, params, what = _base_budget(inp)
    if not params:
        return []
    target = params * target_ratio
    out = []
    if inp.stage == "base" and tokens:
        ratio, co = tokens / target, t["compute_optimal"]
        if inp.long and ratio > co["block_above_long"]:
            st, why = "block", f"planned/target tokens {ratio:.2f} is above {co['block_above_long']} on a long run: far past compute-optimal."
        elif ratio < co["warn_below"] or ratio > co["warn_above"]:
            st, why = "warn", f"planned/target tokens {count(ratio)} is outside [{co['warn_below']}, {co['warn_above']}] (target {target:,.0f} = {target_ratio} x params)."
        else:
            st, why = "pass", f"planned/target tokens {ratio:.2f} (target {target:,.0f} = {target_ratio} x params)."
        out.append(check("compute_optimal_horizon", st, round(ratio, 4), [co["warn_below"], co["warn_above"]], why))
    rtb = t["release_token_budget"]
    if not rtb.get("enforce"):
        return out
    need = rtb["min_planned_to_target"]
    if target_ratio < rtb["min_tokens_per_param"]:
        out.append(check("release_token_budget", "block", target_ratio, rtb["min_tokens_per_param"],
                         f"The target is {target_ratio} tokens per parameter; a release needs at least {rtb['min_tokens_per_param']}."))
    elif not tokens:
        out.append(check("release_token_budget", "block", None, need,
                         "No base-run token budget found (base/train_report.json in the run directory); a release must show it."))
    else:
        ratio = tokens / target
        text = f"{what.capitalize()} tokens are {count(ratio)} of the {target_ratio}-tokens-per-parameter target"
        if ratio < need:
            out.append(check("release_token_budget", "block", round(ratio, 6), need,
                             f"Release token budget failed: {what} tokens are {count(ratio)} of the {target_ratio}-tokens-per-parameter target; "
                             f"a release needs {need:.2f}."))
        else:
            out.append(check("release_token_budget", "pass", round(ratio, 6), need, f"{text} (needs {need:.2f})."))
    return out


def check_learning_rate(inp: PreflightInputs) -> list[Check]:
    lr, base_lr, t = inp.plan.get("learning_rate"), inp.plan.get("base_learning_rate"), inp.t["learning_rate"]
    if lr is None or lr <= 0:
        return [check("learning_rate", "block", lr, "> 0", f"learning_rate must be positive, got {lr}.")]
    if inp.stage == "base":
        hi = t["base_warn_above"]
        return [check("learning_rate", "warn" if lr > hi else "pass", lr, hi,
                      f"Base learning rate {lr:g}" + (f" is above {hi:g}; watch for loss spikes." if lr > hi else f" (warn above {hi:g})."))]
    if base_lr is not None and lr > base_lr:
        return [check("learning_rate", "warn", lr, base_lr, f"SFT learning rate {lr:g} is above the base run's {base_lr:g}.")]
    hi = t["sft_warn_above"]
    return [check("learning_rate", "warn" if lr > hi else "pass", lr, hi,
                  f"SFT learning rate {lr:g}" + (f" is above {hi:g}." if lr > hi else f" (warn above {hi:g})."))]


def check_device_precision(inp: PreflightInputs) -> list[Check]:
    p, env = inp.plan, inp.env
    device = (p.get("device") or "cpu").split(":")[0]
    precision = PRECISIONS.get(str(p.get("precision") or "fp32").lower())
    available = {"cpu": True, "cuda": env["cuda"], "mps": env["mps"]}
    if device not in available:
        out = [check("device", "block", device, "cpu|cuda|mps", f"Unknown device {device!r}.")]
    elif not available[device]:
        out = [check("device", "block", device, "available", f"The plan asks for {device} but none is available here.")]
    else:
        out = [check("device", "pass", device, "available", f"{device} is available.")]
    if precision is None:
        out.append(check("precision", "block", p.get("precision"), "fp32|bf16|fp16", f"Unknown precision {p.get('precision')!r}."))
    elif precision == "fp16" and device != "cuda":
        out.append(check("precision", "block", precision, "cuda", "fp16 mixed precision needs a CUDA device."))
    elif precision == "bf16" and device == "cuda" and env["cuda"] and not env["bf16_supported"]:
        out.append(check("precision", "block", precision, "bf16-capable GPU", "This GPU does not support bf16."))
    else:
        out.append(check("precision", "pass", precision, None, f"{precision} on {device}."))
    return out


def check_attention(inp: PreflightInputs) -> list[Check]:
    p = inp.plan
    device = (p.get("device") or "cpu").split(":")[0]
    precision = PRECISIONS.get(str(p.get("precision") or "fp32").lower())
    name = str(p.get("attn_implementation") or "sdpa")
    flash = is_flash(name)
    if name not in KNOWN_BACKENDS and not flash:
        out = [check("attention_backend_runtime", "block", name, "|".join(KNOWN_BACKENDS[:3]), f"Unknown attention backend {name!r}.")]
    elif flash and device != "cuda":
        out = [check("attention_backend_runtime", "block", name, "cuda", f"{name} needs a CUDA device; the plan runs on {device}. Use sdpa or eager.")]
    elif flash and precision == "fp32":
        out = [check("attention_backend_runtime", "block", name, "bf16|fp16", f"{name} does not run in fp32; use bf16 or sdpa.")]
    else:
        out = [check("attention_backend_runtime", "pass", name, None, f"{name} attention runs on {device} in {precision}.")]
    packing, rows = str(p.get("packing") or "none").lower(), p.get("per_device_batch") or 1
    if flash and packing not in ("none", "false", "no") and rows > 1:
        # transformers infers flash-attention segments from position_ids only for a batch of one row,
        # so with more rows conversations packed into a row would attend to each other
        out.append(check("packed_flash_attention", "block", rows, 1,
                         f"{name} with packed rows needs per-device batch 1 (got {rows}): with more rows, documents in a row "
                         "attend to each other. Use sdpa, or batch 1 with gradient accumulation."))
    return out


PLAN_CHECKS = (check_model_size, check_launch_shape, check_budget, check_learning_rate, check_device_precision, check_attention)
