"""Loading a causal LM so that the weights in the folder are the model that runs.

`from_pretrained` fills a tensor the weights lack with fresh random values, drops a tensor the model has no
place for, and skips one of another shape, each with only a log line: a `config.json` of another `model_type`
(`llama` over picochat weights) loads as a randomly initialised model that no one trained, and every eval,
fit or export of it would be evidence about something else. `load_complete` asks transformers for its own
account of the load (`output_loading_info`, which already leaves out the tensors a model declares optional
and the tied ones) and refuses any missing, unexpected or mismatched tensor, naming the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import PicochatInputError

SHOWN = 3  # tensor names quoted in the error line


def _listed(names: Any) -> str:
    names = sorted(str(n) for n in names)
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def incomplete_load(info: dict[str, Any]) -> str | None:
    """Why a load with this `output_loading_info` did not put the folder's weights into every tensor, or None."""
    missing, unexpected = info.get("missing_keys") or [], info.get("unexpected_keys") or []
    mismatched = [m[0] if isinstance(m, (tuple, list)) else m for m in info.get("mismatched_keys") or []]
    if missing:
        return f"the weights lack {len(missing)} tensor(s) the config's model needs ({_listed(missing)}), which would be random"
    if mismatched:
        return f"{len(mismatched)} tensor(s) have another shape than the config's model needs ({_listed(mismatched)})"
    if unexpected:
        return f"the weights hold {len(unexpected)} tensor(s) the config's model has no place for ({_listed(unexpected)})"
    return None


def load_complete(path: str | Path, field: str = "checkpoint", **kwargs: Any) -> Any:
    """`AutoModelForCausalLM.from_pretrained(path, **kwargs)`, refused when the weights do not fill the model the
    folder's config.json describes exactly."""
    from transformers import AutoModelForCausalLM

    model, info = AutoModelForCausalLM.from_pretrained(str(path), output_loading_info=True, **kwargs)
    problem = incomplete_load(info)
    if problem:
        model_type = getattr(getattr(model, "config", None), "model_type", None)
        raise PicochatInputError(f"config.json (model_type {model_type!r}) describes another model than the weights: {problem}",
                                 path=Path(path) / "config.json", field=field)
    return model
