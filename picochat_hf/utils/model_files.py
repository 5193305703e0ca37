"""Checks of a model or tokenizer folder before `from_pretrained` touches it.

A folder a user names is checked up front so that a broken one is one line naming the folder, the file
and what is wrong, not a traceback from deep inside transformers: `config.json` must be a JSON object;
weights must be safetensors (a pickle `pytorch_model.bin` is refused: loading it could run code) with a
readable header; a tokenizer folder's JSON files must parse.
"""

from __future__ import annotations

from pathlib import Path

from .errors import PicochatInputError
from .io import parse_json_text

WEIGHT_NAMES = ("model.safetensors", "model.safetensors.index.json", "adapter_model.safetensors")
PICKLE_NAMES = ("pytorch_model.bin", "pytorch_model.bin.index.json", "adapter_model.bin", "tf_model.h5", "flax_model.msgpack")


def _json_object(path: Path, field: str) -> dict:
    """The JSON object in `path`, read as strictly as transformers reads it and more: UTF-8 without a byte-order mark
    (its config and tokenizer readers, and peft's, refuse one), and no key named twice in one object (Python keeps
    the last value, other readers the first: a config that says two vocabulary sizes describes no one model)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PicochatInputError(f"not UTF-8 text ({exc.reason})", path=path, line=raw[:exc.start].count(b"\n") + 1,
                                 field=field) from None
    if text.startswith("\ufeff"):
        raise PicochatInputError("starts with a UTF-8 byte-order mark, which transformers' JSON readers refuse; save it "
                                 "without one", path=path, line=1, field=field)
    data = parse_json_text(text, path, field)
    if not isinstance(data, dict):
        raise PicochatInputError(f"expected a JSON object, got {type(data).__name__}", path=path, field=field)
    return data


def check_model_folder(folder: str | Path, field: str = "checkpoint") -> Path:
    """A local model (or LoRA adapter) folder with a parseable config and readable safetensors weights."""
    folder = check_model_config(folder, field)
    check_model_weights(folder, field)
    return folder


def check_weights_match_config(folder: Path, field: str = "checkpoint") -> None:
    """For a picochat folder: every tensor the config's model has is in the weights with its shape, and the weights
    hold no other. `from_pretrained` fills a missing tensor with fresh random values and drops an unexpected one with
    only a log warning, so a config edited to another depth, width or `smear` loaded as a model nobody trained.
    Built on the meta device (no memory) and read from the safetensors headers (no tensor data)."""
    import torch

    config_path = folder / "config.json"
    data = _json_object(config_path, field)
    if data.get("model_type") != "picochat":
        return
    from ..modeling import PicochatConfig, PicochatForCausalLM

    config = PicochatConfig.from_dict(data)
    with torch.device("meta"):
        model = PicochatForCausalLM(config)
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    if config.tie_word_embeddings:  # saved once, under the embedding's name
        for name in getattr(model, "_tied_weights_keys", None) or {}:
            expected.pop(name, None)
    found = _weight_shapes(folder)
    problem = next((f"tensor {n} is missing from the weights" for n in expected if n not in found), None)
    problem = problem or next((f"the weights hold {n}, which is not in the config's model" for n in found
                               if n not in expected), None)
    problem = problem or next((f"tensor {n} has shape {list(found[n])} in the weights, the config's model needs "
                               f"{list(shape)}" for n, shape in expected.items() if found[n] != shape), None)
    if problem:
        raise PicochatInputError(f"config.json describes another model than the weights: {problem}", path=config_path,
                                 field=field)


def _weight_shapes(folder: Path) -> dict[str, tuple[int, ...]]:
    from safetensors import safe_open

    index = folder / "model.safetensors.index.json"
    files = sorted(set(_json_object(index, "checkpoint").get("weight_map", {}).values())) if index.is_file() else []
    shapes: dict[str, tuple[int, ...]] = {}
    for name in files or ["model.safetensors"]:
        with safe_open(str(folder / name), framework="pt") as fh:
            for key in fh.keys():
                shapes[key] = tuple(fh.get_slice(key).get_shape())
    return shapes


def check_model_config(folder: str | Path, field: str = "checkpoint") -> Path:
    """A local folder whose config.json (or adapter_config.json) is a JSON object."""
    folder = Path(folder)
    if not folder.exists():
        raise PicochatInputError("model folder not found", path=folder, field=field)
    if not folder.is_dir():
        raise PicochatInputError("is not a folder (expected a save_pretrained model folder)", path=folder, field=field)
    adapter = (folder / "adapter_config.json").is_file()
    config = folder / ("adapter_config.json" if adapter else "config.json")
    if not config.is_file():
        raise PicochatInputError("not a model folder (config.json missing)", path=folder, field=field)
    data = _json_object(config, field)
    if not adapter:
        _check_config_values(config, data, field)
    return folder


def _check_config_values(path: Path, data: dict, field: str) -> None:
    """Build the config class `model_type` names from `data`, so that a wrong value (a string where a size belongs,
    a negative head count) or a missing or unknown model type is one line about config.json, not a traceback from
    `from_pretrained`. A model type transformers does not know is left to the remote-code rules (`auto_map`)."""
    from transformers import CONFIG_MAPPING

    model_type = data.get("model_type")
    if not isinstance(model_type, str) or not model_type:
        raise PicochatInputError(f"model_type must be a non-empty string (the model class to load); got {model_type!r}",
                                 path=path, field="model_type")
    if model_type not in CONFIG_MAPPING:
        if "auto_map" in data:
            return
        raise PicochatInputError(f"unknown model_type {model_type!r} (not a transformers model type, and no auto_map)",
                                 path=path, field="model_type")
    try:
        CONFIG_MAPPING[model_type].from_dict(data)
    except (ValueError, TypeError) as exc:
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise PicochatInputError(f"not a valid {model_type} config ({detail})", path=path, field=field) from None


def check_model_weights(folder: Path, field: str = "checkpoint") -> None:
    """Safetensors weights with readable headers (pickle weights refused), and for picochat the tensors its config
    describes (`check_weights_match_config`)."""
    weights = [folder / n for n in WEIGHT_NAMES if (folder / n).is_file()] + sorted(folder.glob("model-*-of-*.safetensors"))
    if not weights:
        pickles = [n for n in PICKLE_NAMES if (folder / n).exists()]
        if pickles:
            raise PicochatInputError(f"{pickles[0]} is refused: weights must be safetensors (a pickle can run code when loaded); "
                                     "convert it with save_pretrained(safe_serialization=True)", path=folder, field=field)
        raise PicochatInputError("no model.safetensors weights in the folder", path=folder, field=field)
    for path in weights:
        if path.suffix == ".json":
            index = _json_object(path, field)
            for shard in sorted(set((index.get("weight_map") or {}).values())):
                _check_safetensors(folder / shard, field)
        else:
            _check_safetensors(path, field)
    if (folder / "config.json").is_file() and not (folder / "adapter_config.json").is_file():
        check_weights_match_config(folder, field)


def _check_safetensors(path: Path, field: str) -> None:
    from safetensors import safe_open

    if not path.is_file():
        raise PicochatInputError("weights file missing", path=path, field=field)
    try:
        with safe_open(str(path), framework="pt") as fh:  # checks the header covers the file: catches truncation
            fh.keys()
    except Exception as exc:  # safetensors raises its own SafetensorError for a bad header
        raise PicochatInputError(f"unreadable safetensors file ({str(exc).splitlines()[0][:200]})", path=path, field=field) from None


def tokenizer_folder_of(path: str | Path) -> str | Path:
    """The folder a `--tokenizer` path names: a `tokenizer.json` inside a `save_pretrained` folder (one holding
    `tokenizer_config.json` too, so the chat template and special tokens come with it) names that folder, as the
    recipes write it (`--tokenizer runs/x/tokenizer.json`); any other path is returned unchanged."""
    given = Path(path)
    if given.name == "tokenizer.json" and given.is_file() and (given.parent / "tokenizer_config.json").is_file():
        return given.parent if isinstance(path, Path) else str(given.parent)
    return path


def check_tokenizer_folder(folder: str | Path, field: str = "tokenizer") -> Path:
    """A tokenizer folder whose JSON files parse (transformers' own error would not name the file); a `tokenizer.json`
    inside one names it (`tokenizer_folder_of`), and the folder is returned."""
    folder = Path(tokenizer_folder_of(folder))
    if not folder.exists():
        raise PicochatInputError("tokenizer folder not found", path=folder, field=field)
    if not folder.is_dir():
        raise PicochatInputError("is a file, not a tokenizer folder: pass the save_pretrained folder (tokenizer.json "
                                 "beside tokenizer_config.json, which holds the chat template)", path=folder, field=field)
    names = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
    if not any((folder / n).is_file() for n in names):
        raise PicochatInputError("no tokenizer files (tokenizer.json / tokenizer_config.json)", path=folder, field=field)
    for name in names:
        if (folder / name).is_file():
            _json_object(folder / name, field)
    if (folder / "tokenizer.json").is_file():
        _check_tokenizer_json(folder / "tokenizer.json", field)
    return folder


def _check_tokenizer_json(path: Path, field: str) -> None:
    """A tokenizer.json the tokenizers library can build (JSON of another shape, `{}` or a `model` that is a list, is
    otherwise a KeyError or a Rust deserialisation error from inside transformers)."""
    from tokenizers import Tokenizer

    try:
        Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception for a file it cannot deserialise
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise PicochatInputError(f"not a tokenizer the tokenizers library can read ({detail})", path=path, field=field) from None
