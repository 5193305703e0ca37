"""Views of a settings dataclass (the lexicons one judge reads), built once per config until a setting is assigned."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

__all__ = ["CachedViews", "field_names"]


@functools.lru_cache(maxsize=8)
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names in order, read once."""
    return tuple(f.name for f in dataclasses.fields(cls))


class CachedViews:
    """Mixin of a settings dataclass whose views (`view(cls)`: `cls` built from the settings of its field names) the
    judges ask for several times per reply. A view is kept until any attribute is assigned again; it holds the settings'
    own objects (lists are not copied), so a list changed in place shows in it as it did when views were built per call."""

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__.pop("_views", None)
        object.__setattr__(self, name, value)

    def view(self, cls: type) -> Any:
        views = self.__dict__.setdefault("_views", {})
        if cls not in views:
            views[cls] = cls(**{n: getattr(self, n) for n in field_names(cls)})
        return views[cls]
