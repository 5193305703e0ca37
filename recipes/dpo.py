"""DPO recipe: TRL's DPOTrainer on prompt|user, chosen, rejected rows; reports reward accuracy and margin.

    accelerate launch --config_file accelerate_configs/cpu.yaml recipes/dpo.py --config recipes/configs/dpo_demo.yaml

`picochat train dpo` maps its flags onto the same `PicochatDPOConfig`.
"""

from picochat_hf.training import PicochatDPOConfig, parse_config, run_dpo


def main() -> None:
    config = parse_config(PicochatDPOConfig)
    run_dpo(config)


if __name__ == "__main__":
    main()
