"""Evaluation: rule-scored chat evals, SFT fit and held-out fit, letter-logit and answer-text multiple
choice on local ARC/MMLU files, the lm-eval bridge, Wilson intervals and baselines, and the leaderboard.

Entry points: `chat_eval.run_chat_eval`, `sft_fit.run_sft_fit`, `external.run_external_eval`,
`lm_harness.run_lm_harness`, `leaderboard.build_leaderboard`, `splits.split_train_heldout`.
"""
