"""lm-eval task folder shipped with picochat_hf (YAML tasks + the format readers they load)."""
