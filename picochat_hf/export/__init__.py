"""Export: HF folders (picochat with auto_map, or native nanochat), model cards, manifests, bundles."""
