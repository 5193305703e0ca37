"""DPO recipe: TRL's DPOTrainer on prompt|user, chosen, rejected rows; reports reward accuracy and margin.

    accelerate launch --config_file accelerate_configs/cpu.yaml recipes/dpo.py --config recipes/configs/dpo_demo.yaml

`picochat train dpo` maps its flags onto the same `PicochatDPOConfig`.
"""

import sys

from picochat_hf.training import PicochatDPOConfig, parse_config, run_dpo
from picochat_hf.utils.errors import PicochatInputError


def main() -> None:
    try:
        run_dpo(parse_config(PicochatDPOConfig))
    except PicochatInputError as exc:  # bad input or a blocked preflight: one line, exit code 2
        print(f"{sys.argv[0]}: error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
