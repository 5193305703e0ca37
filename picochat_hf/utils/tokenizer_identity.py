"""One digest for everything in a tokenizer folder that decides what a model is asked: the token ids
(`tokenizer.json`), the chat template (`chat_template.jinja`, `additional_chat_templates/*.jinja`, else `tokenizer_config.json`'s
`chat_template`) and the special tokens (`tokenizer_config.json`, `special_tokens_map.json`).

The same weights asked through another template or with another end-of-turn token are another model, so an eval
report, the release gate, the card, a bundle and the leaderboard all name a tokenizer by this digest. It reads the
files as transformers does and never loads a tokenizer; keys that `save_pretrained` adds on its own (`is_local`,
`local_files_only`) are left out, so an exported copy of a folder hashes as the folder.

Reports written before this digest recorded the sha256 of `tokenizer.json` alone (`legacy_tokenizer_note`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .io import sha256_file

IDENTITY_VERSION = 2  # 1 was the bytes of tokenizer.json alone
# what transformers reads from tokenizer_config.json / special_tokens_map.json as special tokens: every `*_token`,
# the token lists and whether bos/eos are added (the added-token table is tokenizer.json's, hashed with it)
SPECIAL_SUFFIXES = ("_token", "_tokens")
TEMPLATE_DIR = "additional_chat_templates"  # transformers' CHAT_TEMPLATE_DIR: named templates beside the default
RENAMED = {"additional_special_tokens": "extra_special_tokens"}  # transformers 5 loads the old name as the new one


def _read_json(path: Path) -> Any:
    """The parsed file; its raw bytes' digest where it does not parse (an unreadable file is still part of the identity)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {"unparsed_sha256": sha256_file(path)}


def chat_templates(folder: Path) -> dict[str, str]:
    """{name: template} as transformers loads them: template files win over the config's `chat_template`."""
    files = {"default": folder / "chat_template.jinja"} if (folder / "chat_template.jinja").is_file() else {}
    if (folder / TEMPLATE_DIR).is_dir():
        files |= {p.stem: p for p in sorted((folder / TEMPLATE_DIR).glob("*.jinja")) if p.is_file()}
    if files:
        return {name: p.read_text(encoding="utf-8", errors="replace") for name, p in files.items()}
    config = _read_json(folder / "tokenizer_config.json") if (folder / "tokenizer_config.json").is_file() else {}
    said = config.get("chat_template") if isinstance(config, dict) else None
    if isinstance(said, str):
        return {"default": said}
    if isinstance(said, list):
        return {str(t.get("name")): str(t.get("template")) for t in said if isinstance(t, dict)}
    return {}


def _plain(value: Any) -> Any:
    """A special token as its text: a saved AddedToken is {"content": ...} in one file and a string in another."""
    if isinstance(value, dict) and "content" in value:
        return value["content"]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def special_tokens(folder: Path) -> dict[str, Any]:
    """The special-token settings, `special_tokens_map.json` overridden by `tokenizer_config.json` as transformers does."""
    merged: dict[str, Any] = {}
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        path = folder / name
        if not path.is_file():
            continue
        obj = _read_json(path)
        if not isinstance(obj, dict):
            obj = {"unparsed_sha256": sha256_file(path)}
        merged |= {RENAMED.get(k, k): _plain(v) for k, v in obj.items() if k.endswith(SPECIAL_SUFFIXES) or k == "unparsed_sha256"}
    return merged


def tokenizer_sha256(folder: str | Path | None) -> str | None:
    """The folder's tokenizer identity (see the module docstring); None when it holds no tokenizer.json."""
    if folder is None:
        return None
    folder = Path(folder)
    if not (folder / "tokenizer.json").is_file():
        return None
    payload = {"version": IDENTITY_VERSION, "tokenizer.json": sha256_file(folder / "tokenizer.json"),
               "chat_templates": chat_templates(folder), "special_tokens": special_tokens(folder)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def legacy_tokenizer_note(recorded: str | None, folder: str | Path | None) -> str | None:
    """Why `recorded` cannot be compared with the folder's identity when it is what older code recorded: the sha256
    of the folder's tokenizer.json alone, which says nothing of the chat template or special tokens the eval used;
    None otherwise."""
    if not recorded or folder is None or not (Path(folder) / "tokenizer.json").is_file():
        return None
    if recorded != sha256_file(Path(folder) / "tokenizer.json"):
        return None
    return ("it records the sha256 of tokenizer.json alone (written by older picochat_hf), which does not cover the chat "
            "template or special tokens, so it cannot show the model was asked with the ones shipped; re-run the eval")
