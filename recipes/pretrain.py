"""Base pretraining recipe: token shards streamed across ranks (or a small dataset pack in memory), BOS-led
best-fit rows, validation loss and bits per byte.

    # streamed from `picochat data shards` output; the same global batch for any number of processes
    accelerate launch --config_file accelerate_configs/multi_gpu.yaml recipes/pretrain.py --config recipes/configs/pretrain_shards.yaml \
        --shards runs/x/tokens --preset d20 --device_kind cuda --precision bf16 --max_length 2048
    torchrun --nproc_per_node 2 recipes/pretrain.py --config recipes/configs/pretrain_shards.yaml --device_kind cpu
    # a small dataset pack, tokenised in memory
    accelerate launch --config_file accelerate_configs/cpu.yaml recipes/pretrain.py --config recipes/configs/pretrain_demo.yaml
    accelerate launch --config_file accelerate_configs/single_gpu.yaml recipes/pretrain.py \
        --config recipes/configs/pretrain_demo.yaml --preset d4 --device_kind cuda --precision bf16 --max_length 1024

Writes output_dir/checkpoint (last), output_dir/best_checkpoint (lowest validation loss), metrics.jsonl and
train_report.json. `picochat train base` maps its flags onto the same `PicochatPretrainConfig`.
"""

from picochat_hf.training import PicochatPretrainConfig, run_pretrain
from picochat_hf.training.recipe import run_recipe


def main() -> None:
    run_recipe(PicochatPretrainConfig, run_pretrain)  # bad input or a blocked preflight: one line, exit code 2 (--help: under accelerate)


if __name__ == "__main__":
    main()
