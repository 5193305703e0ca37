"""Data: dataset packs, task packs, SFT mixtures, reasoning-trace imports, token shards."""
