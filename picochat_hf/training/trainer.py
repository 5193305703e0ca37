"""`PackedSFTTrainer`: TRL's `SFTTrainer` fed by the best-fit packed batch sampler.

Only the data path and the bookkeeping change; the loss is TRL's fused-LM-head loss, normalised by the
number of supervised tokens across gradient-accumulation steps (and ranks), exactly as in `SFTTrainer`.

- `get_train_dataloader` builds a `DataLoader` over planned rows (`PackedBatchSampler` + `PackingCollator`);
  accelerate shards whole batches across ranks, so rank r gets batches r, r+W, ... of one shared sequence.
- the sampler's epoch is set at the start of every epoch, also when resuming mid-epoch (accelerate's
  `skip_first_batches` wraps the batch sampler, which hides it from the Trainer's own `set_epoch` call).
- real (non-pad) tokens, slots and supervised tokens are counted per micro-batch and reduced across ranks
  at log time: `real_tokens` (cumulative, saved in checkpoints as `num_input_tokens_seen`),
  `real_tokens_per_s`, `packing_utilisation`.
- evaluation reports the token-weighted loss (sum of NLL / number of targets, not a mean of batch means) and,
  when a byte table is given, bits per byte; the best checkpoint by eval loss can be saved on the fly.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader
from transformers import Trainer
from trl import SFTTrainer

from .packing import IGNORE_INDEX, PackingCollator
from .sampling import PackedBatchSampler

STAT_KEYS = ("num_real_tokens", "num_slots", "num_supervised_tokens")


class _RowsView(torch.utils.data.Dataset):
    """Map a planned row (tuple of example indices) to its examples; tensors built once, up front."""

    def __init__(self, dataset: Any) -> None:
        self.input_ids = [torch.as_tensor(x, dtype=torch.long) for x in dataset["input_ids"]]
        self.labels = [torch.as_tensor(x, dtype=torch.long) for x in dataset["labels"]]

    def __len__(self) -> int:
        return len(self.input_ids)

    def __getitem__(self, row: Sequence[int]) -> list[dict[str, torch.Tensor]]:
        return [{"input_ids": self.input_ids[i], "labels": self.labels[i]} for i in row]


class NoRunFolderCard:
    """TRL writes a draft model card, `README.md`, into `output_dir` with every checkpoint; a run folder's README.md is
    then the user's (their notes on the run), and `--force` would replace it with the old run (`output_folders.yaml`
    lists what a run writes, and README.md is not among it). picochat's card is written by `picochat export hf`."""

    def create_model_card(self, *args: Any, **kwargs: Any) -> None:
        return None


class PackedSFTTrainer(NoRunFolderCard, SFTTrainer):
    """SFTTrainer with BOS-aligned best-fit packing, category sampling and honest token accounting.

    Extra keyword arguments:
        train_categories: one category per row of the train dataset (for category sampling).
        sampling: category_sqrt | category_balanced | uniform.
        token_bytes: tensor (vocab,) of UTF-8 bytes per token id, enables `eval_bpb`.
        best_model_dir: save the model here whenever the eval loss improves.
    The `data_collator` must be a `PackingCollator`; rows are `args.max_length` long and
    `args.per_device_train_batch_size` rows make one micro-batch.
    """

    def __init__(
        self,
        *args: Any,
        train_categories: Sequence[str] | None = None,
        sampling: str = "category_sqrt",
        token_bytes: torch.Tensor | None = None,
        best_model_dir: str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(self.data_collator, PackingCollator):
            raise TypeError("PackedSFTTrainer needs a PackingCollator as data_collator")
        self.train_categories = list(train_categories) if train_categories is not None else None
        self.sampling = sampling
        self.token_bytes = token_bytes
        self.best_model_dir = Path(best_model_dir) if best_model_dir is not None else None
        self.best_eval: dict[str, float] | None = None
        self._train_batch_sampler: PackedBatchSampler | None = None
        self._tok_window = torch.zeros(3, dtype=torch.float64)  # real, slots, supervised since the last log
        self._eval_acc = torch.zeros(3, dtype=torch.float64)  # nll sum, targets, bytes
        self._last_log_time: float | None = None
        self._views: dict[int, tuple[Any, _RowsView, list[int]]] = {}

    # -- optimizer --------------------------------------------------------------------------------------
    def create_optimizer(self, model: Any = None) -> torch.optim.Optimizer:
        """The Trainer's AdamW, or with `args.muon_learning_rate` set, Muon on the blocks' matrices and AdamW on
        the rest (`MuonAdamW`), built from the same AdamW settings."""
        muon_lr = getattr(self.args, "muon_learning_rate", None)
        if muon_lr is None or self.optimizer is not None:
            return super().create_optimizer(model)
        from .muon import build_muon_adamw

        opt_model = self.model if model is None else model
        _, adamw_kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)  # fused as the AdamW-only run's
        self.optimizer = build_muon_adamw(
            opt_model, self.get_decay_parameter_names(opt_model), muon_lr=muon_lr, adamw_lr=self.args.learning_rate,
            weight_decay=self.args.weight_decay, betas=(self.args.adam_beta1, self.args.adam_beta2), eps=self.args.adam_epsilon,
            fused=adamw_kwargs.get("fused"))
        return self.optimizer

    # -- data -------------------------------------------------------------------------------------------
    def _view(self, dataset: Any) -> tuple[_RowsView, list[int]]:
        """Tensors and lengths of a dataset, built once (evaluation reuses them every time)."""
        cached = self._views.get(id(dataset))
        if cached is None or cached[0] is not dataset:
            view = _RowsView(dataset)
            cached = (dataset, view, [len(x) for x in view.input_ids])
            self._views[id(dataset)] = cached
        return cached[1], cached[2]

    def make_batch_sampler(self, dataset: Any, categories: Sequence[str] | None, *, rows: int, sampling: str) -> PackedBatchSampler:
        collator: PackingCollator = self.data_collator
        return PackedBatchSampler(
            self._view(dataset)[1],
            categories,
            seq_len=collator.seq_len,
            rows_per_batch=rows,
            packing=collator.packing,
            sampling=sampling,
            seed=self.args.data_seed if self.args.data_seed is not None else self.args.seed,
            buffer_size=collator.buffer_size,
        )

    def _packed_dataloader(self, dataset: Any, sampler: PackedBatchSampler) -> DataLoader:
        loader = DataLoader(
            self._view(dataset)[0],
            batch_sampler=sampler,
            collate_fn=self.data_collator,
            num_workers=self.args.dataloader_num_workers,
            pin_memory=self.args.dataloader_pin_memory,
        )
        return self.accelerator.prepare(loader)

    def get_train_dataloader(self) -> DataLoader:
        if self.train_dataset is None:
            raise ValueError("training requires a train_dataset")
        self._train_batch_sampler = self.make_batch_sampler(
            self.train_dataset, self.train_categories, rows=self._train_batch_size, sampling=self.sampling
        )
        return self._packed_dataloader(self.train_dataset, self._train_batch_sampler)

    def get_eval_dataloader(self, eval_dataset: Any = None) -> DataLoader:
        if isinstance(eval_dataset, str):
            eval_dataset = self.eval_dataset[eval_dataset]
        dataset = eval_dataset if eval_dataset is not None else self.eval_dataset
        if dataset is None:
            raise ValueError("evaluation requires an eval_dataset")
        sampler = self.make_batch_sampler(dataset, None, rows=self.args.per_device_eval_batch_size, sampling="sequential")
        return self._packed_dataloader(dataset, sampler)

    def _run_epoch(self, model: Any, epoch: int, *args: Any, **kwargs: Any) -> Any:
        if self._train_batch_sampler is not None:
            self._train_batch_sampler.set_epoch(epoch)
        return super()._run_epoch(model, epoch, *args, **kwargs)

    # -- loss and accounting ------------------------------------------------------------------------------
    def compute_loss(self, model: Any, inputs: dict[str, Any], return_outputs: bool = False, num_items_in_batch: Any = None) -> Any:
        stats = torch.stack([inputs.pop(k).double().cpu() for k in STAT_KEYS]) if STAT_KEYS[0] in inputs else None
        if self._uses_dense_loss():
            out = self._dense_loss(model, inputs, return_outputs=return_outputs, num_items_in_batch=num_items_in_batch)
        else:
            out = super().compute_loss(model, inputs, return_outputs=return_outputs, num_items_in_batch=num_items_in_batch)
        if self.model.training:
            if stats is not None:
                self._tok_window += stats
        else:
            loss = out[0] if return_outputs else out
            targets = inputs["labels"][..., 1:]
            valid = targets != IGNORE_INDEX
            n = valid.sum().item()
            nbytes = 0.0
            if self.token_bytes is not None:
                tb = self.token_bytes.to(targets.device)
                nbytes = tb[targets.clamp(min=0)][valid].sum().item()
            self._eval_acc += torch.tensor([loss.detach().float().item() * n, n, nbytes], dtype=torch.float64)
        return out

    def _uses_dense_loss(self) -> bool:
        """`lm_head_loss: dense` applies to the plain NLL loss only: label smoothing, DFT, a custom loss function or
        an MoE auxiliary loss keep TRL's fused path, which implements them (transformers' label smoother would not
        shift the labels of a model outside its causal-LM mapping, such as picochat)."""
        return (getattr(self.args, "lm_head_loss", "fused") == "dense" and self.label_smoother is None
                and self.compute_loss_func is None and self.args.loss_type == "nll" and not self.aux_loss_enabled)

    def _dense_loss(self, model: Any, inputs: dict[str, Any], *, return_outputs: bool, num_items_in_batch: Any) -> Any:
        """`lm_head_loss: dense`: transformers' own `Trainer.compute_loss` (the model's logits and ForCausalLMLoss, the
        same token-sum normalisation by `num_items_in_batch` as TRL's fused head), plus TRL's entropy and token-accuracy
        metrics from the supervised positions' logits."""
        loss, outputs = Trainer.compute_loss(self, model, {**inputs, "use_cache": False}, return_outputs=True,
                                             num_items_in_batch=num_items_in_batch)
        with torch.no_grad():
            targets = inputs["labels"][:, 1:]
            valid = targets != IGNORE_INDEX
            logits = outputs.logits[:, :-1][valid].float()
            logp = logits.log_softmax(-1)
            stats = torch.stack([valid.sum().double(), -(logp.exp() * logp).sum().double(),
                                 (logits.argmax(-1) == targets[valid]).sum().double()])
            n, entropy, correct = (float(x) for x in self.accelerator.gather_for_metrics(stats[None]).sum(0))
        mode = "train" if self.model.training else "eval"
        self._metrics[mode]["entropy"].append(entropy / n if n else 0.0)
        self._metrics[mode]["mean_token_accuracy"].append(correct / n if n else 0.0)
        return (loss, outputs) if return_outputs else loss

    def _reduce(self, t: torch.Tensor) -> torch.Tensor:
        if self.accelerator.num_processes == 1:
            return t
        return self.accelerator.reduce(t.to(self.accelerator.device, torch.float64), reduction="sum").cpu()

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if "loss" in logs and not any(k.startswith("eval_") for k in logs):
            window = self._reduce(self._tok_window.clone())
            self._tok_window.zero_()
            now = time.perf_counter()
            real, slots, sup = (float(x) for x in window)
            self.state.num_input_tokens_seen += int(real)
            logs["real_tokens"] = int(self.state.num_input_tokens_seen)
            logs["supervised_tokens_step"] = int(sup)
            logs["packing_utilisation"] = real / slots if slots else 0.0
            if self._last_log_time is not None and now > self._last_log_time:
                logs["real_tokens_per_s"] = real / (now - self._last_log_time)
            self._last_log_time = now
        # TRL's num_tokens counts position_ids.size(1) for packed R x T batches (hf_stack §2.2): use ours
        for mode in ("train", "eval"):
            self._metrics[mode].pop("num_tokens", None)
        super().log(logs, start_time)

    def _inner_training_loop(self, *args: Any, **kwargs: Any) -> Any:
        self._last_log_time = time.perf_counter()
        return super()._inner_training_loop(*args, **kwargs)

    # -- evaluation -----------------------------------------------------------------------------------------
    def evaluation_loop(self, dataloader: DataLoader, description: str, prediction_loss_only: bool | None = None,
                        ignore_keys: list[str] | None = None, metric_key_prefix: str = "eval") -> Any:
        self._eval_acc.zero_()
        output = super().evaluation_loop(dataloader, description, prediction_loss_only=prediction_loss_only,
                                         ignore_keys=ignore_keys, metric_key_prefix=metric_key_prefix)
        nll, n, nbytes = (float(x) for x in self._reduce(self._eval_acc.clone()))
        if n > 0:
            loss = nll / n
            output.metrics[f"{metric_key_prefix}_loss"] = loss
            output.metrics[f"{metric_key_prefix}_target_tokens"] = int(n)
            if nbytes > 0:
                output.metrics[f"{metric_key_prefix}_bpb"] = nll / (math.log(2) * nbytes)
            if self.best_model_dir is not None and (self.best_eval is None or loss < self.best_eval["loss"]):
                self.best_eval = {"loss": loss, "step": int(self.state.global_step)}
                if "eval_bpb" in output.metrics:
                    self.best_eval["bpb"] = output.metrics[f"{metric_key_prefix}_bpb"]
                self._save_best()
        return output

    def _save_best(self) -> None:
        self.save_pretrained_atomic(self.best_model_dir)

    def save_pretrained_atomic(self, target: str | Path) -> Path:
        """Write model + tokenizer to `target` via a sibling temp folder renamed at the end.

        Uses `Trainer.save_model`, so sharded (FSDP) weights are gathered. LoRA adapters are merged into
        the base weights in place (no second copy of the model in memory), so call it for peft models only
        once training is over; the result is a plain `from_pretrained` folder.
        """
        target = Path(target)
        tmp = target.with_name(f".{target.name}.partial")
        if self.args.should_save and tmp.exists():
            shutil.rmtree(tmp)
        self.accelerator.wait_for_everyone()
        model = self.accelerator.unwrap_model(self.model)
        if hasattr(model, "merge_and_unload"):  # peft
            merged = model.merge_and_unload()
            if self.args.should_save:
                merged.save_pretrained(tmp)
                self.processing_class.save_pretrained(tmp)
        else:
            self.save_model(str(tmp))
        if self.args.should_save:
            for leftover in ("training_args.bin",):
                (tmp / leftover).unlink(missing_ok=True)
            if target.exists():
                shutil.rmtree(target)
            os.replace(tmp, target)
        self.accelerator.wait_for_everyone()
        return target


def token_byte_lengths(tokenizer: Any) -> torch.Tensor:
    """UTF-8 bytes each token id stands for (special tokens count 0), for bits-per-byte.

    Byte-level BPE tokens are mapped back through the GPT-2 byte alphabet, so a token holding half of a
    multi-byte character counts its true bytes; other tokenizers fall back to decoding the single token.
    """
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    unicode_to_byte = {u: b for b, u in bytes_to_unicode().items()}
    special = set(tokenizer.all_special_ids)
    out = torch.zeros(len(tokenizer), dtype=torch.float64)
    for i, piece in enumerate(tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))):
        if i in special or piece is None:
            continue
        if all(ch in unicode_to_byte for ch in piece):
            out[i] = len(piece)
        else:
            out[i] = len(tokenizer.decode([i], clean_up_tokenization_spaces=False).encode("utf-8"))
    return out
