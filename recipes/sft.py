"""Supervised fine-tuning recipe: TRL's SFTTrainer with BOS best-fit packing and category_sqrt sampling.

    # CPU
    accelerate launch --config_file accelerate_configs/cpu.yaml recipes/sft.py --config recipes/configs/sft_demo.yaml
    # one GPU, bf16
    accelerate launch --config_file accelerate_configs/single_gpu.yaml recipes/sft.py \
        --config recipes/configs/sft_demo.yaml --device_kind cuda --precision bf16
    # DDP / FSDP2 (set num_processes in the accelerate config)
    accelerate launch --config_file accelerate_configs/multi_gpu.yaml recipes/sft.py --config recipes/configs/sft_demo.yaml
    # two CPU processes (gloo), a smoke test of the distributed path
    torchrun --nproc_per_node 2 recipes/sft.py --config recipes/configs/sft_demo.yaml --device_kind cpu

Every field of `PicochatSFTConfig` (TRL's SFTConfig plus picochat's) can be set in the YAML or as
`--field value`; `picochat train sft` maps its flags onto the same config and calls the same `run_sft`.
"""

from picochat_hf.training import PicochatSFTConfig, run_sft
from picochat_hf.training.recipe import run_recipe


def main() -> None:
    run_recipe(PicochatSFTConfig, run_sft)  # bad input or a blocked preflight: one line, exit code 2 (--help: under accelerate)


if __name__ == "__main__":
    main()
