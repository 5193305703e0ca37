"""Muon for the transformer blocks' matrices, AdamW for everything else, as one `torch.optim.Optimizer`.

nanochat trains its hidden matrices with Muon (the orthogonalised momentum update) and its embeddings, LM head and
scalars with AdamW; picochat's init (zero residual outputs, std-1 embeddings, a std-0.001 head) is nanochat's and was
tuned for that split. With one AdamW rate for every parameter the demo's model is slow to form the attention
circuits that copy a token from its context (a previous-token head and an induction head): on a pure letter-copy
task (30 symbols, 4-15 letters, 32 rows a step) it stays at chance for 100 steps where Muon's split learns at once
(`bench/muon_copy.py`).

`MuonAdamW` wraps torch's own `torch.optim.Muon` and `torch.optim.AdamW`: each owns its parameter groups, and the
wrapper exposes both lists as its `param_groups` (the same dict objects), so the Trainer's LR scheduler, gradient
clipping, `zero_grad` and accelerate's wrapper act on both. `state_dict()` holds both optimizers' states, so a
checkpoint resumes exactly.

Muon's rate is set with `adjust_lr_fn="match_rms_adamw"`: torch scales it so that the update's RMS matches AdamW's
at the same rate, so `muon_learning_rate` is on AdamW's scale (nanochat's matrix rate is 0.02).

torch's Newton-Schulz runs in bfloat16, so runs that differ only in float rounding of the gradient (two micro-batches
against one double batch, one process against two) agree to about one bfloat16 step of the update, not bitwise; a
resumed run restores both children's states and matches the uninterrupted run bitwise on CPU.

Refused (`check_muon_run`, config checks): peft lora (its trainable matrices are rank-r adapters, not the blocks'
matrices), FSDP, a model without decoder-block `nn.Linear` layers (GPT-2's `Conv1D`), and a resume whose checkpoint
holds the other optimizer kind's state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn
from transformers.trainer import OPTIMIZER_NAME

from ..utils.errors import PicochatInputError


def muon_parameter_split(model: nn.Module) -> tuple[list[nn.Parameter], list[nn.Parameter]]:
    """(matrices for Muon, the rest for AdamW): the 2-D weights of `nn.Linear` layers inside the decoder blocks
    go to Muon; embeddings, the LM head, norms' and smear's parameters and any 1-D tensor go to AdamW (as nanochat).

    The decoder blocks are the `nn.ModuleList` the backbone calls `layers` (picochat, Llama-family); a model
    without one has no Muon matrices, and the caller refuses it."""
    muon: list[nn.Parameter] = []
    seen: set[int] = set()
    for name, module in model.named_modules():
        if not isinstance(module, nn.Linear) or ".layers." not in f".{name}.":
            continue
        weight = module.weight
        if weight.requires_grad and weight.ndim == 2 and id(weight) not in seen:
            muon.append(weight)
            seen.add(id(weight))
    rest = [p for p in model.parameters() if p.requires_grad and id(p) not in seen]
    return muon, rest


class MuonAdamW(torch.optim.Optimizer):
    """Muon on `muon_params`, AdamW on `adamw_params`, stepped together.

    Args:
        muon_params: 2-D matrices (the blocks' linear weights).
        adamw_params: everything else that trains: parameters, or group dicts (e.g. with their own weight decay).
        muon_lr: Muon's rate, on AdamW's scale (`adjust_lr_fn="match_rms_adamw"`).
        adamw_lr: AdamW's rate.
        weight_decay: decoupled weight decay for both (the Trainer's `weight_decay`).
        betas, eps: AdamW's.
        momentum: Muon's (nesterov, torch's default 0.95).
        fused: AdamW's fused kernel (the Trainer's `optim adamw_torch_fused`, its default), as the AdamW-only run.
    """

    def __init__(self, muon_params: Iterable[nn.Parameter], adamw_params: Iterable[Any], *, muon_lr: float,
                 adamw_lr: float, weight_decay: float = 0.0, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, momentum: float = 0.95, fused: bool | None = None) -> None:
        muon_params = list(muon_params)
        adamw_params = [g for g in adamw_params if not isinstance(g, dict) or g["params"]]
        if not muon_params:
            raise ValueError("MuonAdamW: no 2-D matrix to train with Muon")
        self.muon = torch.optim.Muon(muon_params, lr=muon_lr, weight_decay=weight_decay, momentum=momentum,
                                     adjust_lr_fn="match_rms_adamw")
        self.adamw = torch.optim.AdamW(adamw_params, lr=adamw_lr, weight_decay=weight_decay, betas=betas, eps=eps,
                                      fused=fused) if adamw_params else None
        groups = [g for child in self._children() for g in child.param_groups]
        # the children's own group dicts: a scheduler or clipper that edits `param_groups` edits theirs. AdamW's
        # come first, so the Trainer's logged `learning_rate` (the first group's) is `learning_rate`'s schedule.
        # defaults["lr"] is AdamW's: transformers' polynomial (lr_decay linear) schedule reads it as the peak its
        # absolute `lr_end` is relative to, and scales every group by that ratio
        super().__init__(groups, {"lr": adamw_lr})

    def _children(self) -> list[torch.optim.Optimizer]:
        return ([self.adamw] if self.adamw is not None else []) + [self.muon]

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:  # type: ignore[override]
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for child in self._children():
            child.step()
        return loss

    def state_dict(self) -> dict[str, Any]:  # type: ignore[override]
        return {"muon": self.muon.state_dict(), "adamw": self.adamw.state_dict() if self.adamw is not None else None}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:  # type: ignore[override]
        if set(state_dict) != {"muon", "adamw"}:
            raise ValueError(f"MuonAdamW.load_state_dict: expected the keys 'muon' and 'adamw', got {sorted(state_dict)}")
        self.muon.load_state_dict(state_dict["muon"])
        if self.adamw is not None:
            self.adamw.load_state_dict(state_dict["adamw"])
        # load_state_dict replaces the children's group dicts: point ours at the new ones
        self.param_groups = [g for child in self._children() for g in child.param_groups]

    @property
    def state(self) -> dict:  # type: ignore[override]
        merged: dict = {}
        for child in self._children():
            merged.update(child.state)
        return merged

    @state.setter
    def state(self, value: dict) -> None:
        """Optimizer.__init__ assigns an empty state, which is dropped: the children own theirs. Any other state is
        the children's to load (`load_state_dict`), never set here."""
        if value:
            raise ValueError("MuonAdamW.state belongs to its Muon and AdamW children; use load_state_dict")


def check_muon_run(model: nn.Module, resume: str | Path | None, muon_lr: float | None) -> None:
    """Refuse, before any output is written, a run the hybrid cannot train: `muon_learning_rate` on a model with
    no decoder-block `nn.Linear` (GPT-2's blocks are `h` with `Conv1D`), or a resume from a checkpoint whose
    optimizer state is the other kind (AdamW's resumed with Muon on, or the reverse)."""
    if muon_lr is not None and not muon_parameter_split(model)[0]:
        raise PicochatInputError(f"{type(model).__name__} has no decoder-block nn.Linear layers ('.layers.') for Muon "
                                 "(GPT-2's blocks use Conv1D); unset muon_learning_rate", field="muon_learning_rate")
    state = Path(resume) / OPTIMIZER_NAME if resume else None
    if state is None or not state.is_file():
        return
    saved = set(torch.load(state, map_location="cpu", weights_only=True, mmap=True))
    hybrid = saved == {"muon", "adamw"}
    if hybrid != (muon_lr is not None):
        was = "Muon + AdamW (muon_learning_rate set)" if hybrid else "AdamW alone (muon_learning_rate unset)"
        raise PicochatInputError(f"this checkpoint's optimizer state is {was}; resume with muon_learning_rate "
                                 f"{'set' if hybrid else 'unset'} as it was", path=state.parent, field="muon_learning_rate")


def build_muon_adamw(model: nn.Module, decay_names: Iterable[str], *, muon_lr: float, adamw_lr: float,
                     weight_decay: float, betas: tuple[float, float], eps: float, fused: bool | None = None) -> MuonAdamW:
    """The hybrid optimizer for `model` with the Trainer's AdamW settings for the non-matrix parameters; those
    named in `decay_names` (the Trainer's `get_decay_parameter_names`) decay, the rest do not, as in the Trainer."""
    muon, rest = muon_parameter_split(model)
    if not muon:
        raise ValueError(f"muon_learning_rate: {type(model).__name__} has no decoder-block linear layers ('.layers.') "
                         "for Muon; leave muon_learning_rate unset")
    decay, rest_ids = set(decay_names), {id(p) for p in rest}
    named = [(n, p) for n, p in model.named_parameters() if id(p) in rest_ids]
    groups = [{"params": [p for n, p in named if n in decay], "weight_decay": weight_decay},
              {"params": [p for n, p in named if n not in decay], "weight_decay": 0.0}]
    return MuonAdamW(muon, groups, muon_lr=muon_lr, adamw_lr=adamw_lr, weight_decay=weight_decay, betas=betas, eps=eps,
                     fused=fused)
