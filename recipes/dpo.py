"""DPO recipe: TRL's DPOTrainer on prompt|user, chosen, rejected rows; reports reward accuracy and margin.

    accelerate launch --config_file accelerate_configs/cpu.yaml recipes/dpo.py --config recipes/configs/dpo_demo.yaml

`picochat train dpo` maps its flags onto the same `PicochatDPOConfig`.
"""

from picochat_hf.training import PicochatDPOConfig, run_dpo
from picochat_hf.training.recipe import run_recipe


def main() -> None:
    run_recipe(PicochatDPOConfig, run_dpo)  # bad input or a blocked preflight: one line, exit code 2 (--help: under accelerate)


if __name__ == "__main__":
    main()
