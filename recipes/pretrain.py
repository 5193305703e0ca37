"""Base pretraining recipe: documents from a dataset pack, BOS-led best-fit rows, validation loss and bits per byte.

    accelerate launch --config_file accelerate_configs/cpu.yaml recipes/pretrain.py --config recipes/configs/pretrain_demo.yaml
    accelerate launch --config_file accelerate_configs/single_gpu.yaml recipes/pretrain.py \
        --config recipes/configs/pretrain_demo.yaml --preset d4 --device_kind cuda --precision bf16 --max_length 1024

Writes output_dir/checkpoint (last), output_dir/best_checkpoint (lowest validation loss), metrics.jsonl and
train_report.json. `picochat train base` maps its flags onto the same `PicochatPretrainConfig`.
"""

from picochat_hf.training import PicochatPretrainConfig, parse_config, run_pretrain


def main() -> None:
    config = parse_config(PicochatPretrainConfig)
    run_pretrain(config)


if __name__ == "__main__":
    main()
