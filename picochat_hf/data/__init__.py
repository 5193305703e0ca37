"""Data: dataset packs, task packs, SFT mixtures, reasoning-trace imports, token shards.

Entry points (import them from their modules; this package imports nothing heavy on its own):

- `dataset_pack.import_dataset_pack`, `dataset_pack.iter_pack_documents`, `dataset_pack.load_dataset_pack`
- `task_pack.build_task_pack` (profiles in `task_profiles.yaml`), `eval.scoring.rule_failures` (the rule semantics)
- `sft_mixture.build_sft_mixture`
- `reasoning_import.import_reasoning_traces`
- `shards.write_token_shards`, `shards.write_document_shards`, `shards.load_shard_manifest`, `shards.read_shard`,
  `shards.iter_shard_pairs`, `shards.read_choice_eval` (`parallel_tokenize.tokenize_stream` tokenises in processes)
- `schema` (the row contract), `row_formats` (TRL conversational, prompt/completion and preference rows,
  ShareGPT and Alpaca rows to picochat rows, with recorded defaults), `datasets_source` (rows and documents from `dataset_name`, save_to_disk
  folders and TRL `datasets:` mixtures) and `default_corpus.iter_default_documents` (the embedded corpus)
"""
