"""The embedded default corpus: English text that ships with every Python install.

The demo and the tests need a corpus that needs no download. We take the documentation strings of the
standard library (modules, classes and functions) and the language reference that `help()` shows,
in a fixed order.
The text is real English prose about programming; its exact content depends on the Python version, so
the corpus is identified by its sha256 in the dataset pack, never assumed.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import warnings
from collections.abc import Iterator

# Well documented, import-safe stdlib modules (no side effects on import, no GUI, no network).
DEFAULT_MODULES = (
    "abc argparse array ast asyncio base64 bisect bz2 calendar cmath codecs collections colorsys configparser "
    "contextlib copy csv dataclasses datetime decimal difflib dis email enum filecmp fnmatch fractions ftplib "
    "functools getopt gettext glob graphlib gzip hashlib heapq hmac html http imaplib inspect io ipaddress itertools "
    "json keyword linecache locale logging lzma mailbox math mimetypes numbers operator optparse os pathlib pickle "
    "pkgutil platform plistlib poplib pprint queue quopri random re reprlib sched secrets selectors shelve shlex "
    "shutil signal smtplib socket sqlite3 ssl stat statistics string struct subprocess symtable tarfile tempfile "
    "textwrap threading timeit token tokenize trace traceback types typing unicodedata unittest urllib uuid warnings "
    "wave weakref xml zipfile zlib zoneinfo"
).split()

_WS = re.compile(r"[ \t]+")


def _clean(doc: str) -> str:
    doc = inspect.cleandoc(doc)
    lines = [_WS.sub(" ", ln).rstrip() for ln in doc.splitlines()]
    return "\n".join(lines).strip()


def _module_text(name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _module_text_unwarned(name)


def _module_text_unwarned(name: str) -> str:
    try:
        mod = importlib.import_module(name)
    except Exception:  # a platform without the module: skip it
        return ""
    parts: list[str] = []
    if mod.__doc__:
        parts.append(_clean(mod.__doc__))
    for attr in sorted(vars(mod)):
        if attr.startswith("_"):
            continue
        obj = getattr(mod, attr, None)
        if getattr(obj, "__module__", None) != mod.__name__:
            continue
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        doc = inspect.getdoc(obj)
        if doc and len(doc) >= 40:
            parts.append(_clean(doc))
        if inspect.isclass(obj):
            for mname, meth in sorted(vars(obj).items()):
                if mname.startswith("_") or not inspect.isfunction(meth):
                    continue
                mdoc = inspect.getdoc(meth)
                if mdoc and len(mdoc) >= 40:
                    parts.append(_clean(mdoc))
    return "\n\n".join(parts)


def iter_default_documents(max_documents: int | None = None, min_chars: int = 200) -> Iterator[dict]:
    """Yield `{"id", "text", "source"}` documents: one per stdlib module and per language-reference topic
    (`pydoc_data.topics`), split at ~4k characters.

    Long modules are cut at paragraph boundaries into several documents so a document is a natural
    pretraining unit; ids are stable (`stdlib/<module>/<k>`, `reference/<topic>/<k>`).
    """
    emitted = 0
    sources = [(f"stdlib/{name}", _module_text(name)) for name in DEFAULT_MODULES]
    sources += [(f"reference/{key}", text) for key, text in _pydoc_topics()]
    for name, text in sources:
        if len(text) < min_chars:
            continue
        chunk: list[str] = []
        size = 0
        k = 0
        for para in text.split("\n\n"):
            chunk.append(para)
            size += len(para) + 2
            if size >= 4000:
                yield {"id": f"{name}/{k}", "text": "\n\n".join(chunk), "source": f"python{sys.version_info.major}.{sys.version_info.minor}-stdlib"}
                emitted += 1
                k += 1
                chunk, size = [], 0
                if max_documents is not None and emitted >= max_documents:
                    return
        if size >= min_chars:
            yield {"id": f"{name}/{k}", "text": "\n\n".join(chunk), "source": f"python{sys.version_info.major}.{sys.version_info.minor}-stdlib"}
            emitted += 1
            if max_documents is not None and emitted >= max_documents:
                return


def _pydoc_topics() -> Iterator[tuple[str, str]]:
    """The language reference sections that `help()` shows (shipped as `pydoc_data.topics`)."""
    try:
        from pydoc_data.topics import topics
    except ImportError:  # pragma: no cover - stripped Python builds
        return
    for key in sorted(topics):
        yield key, _clean(topics[key])


def default_texts(max_documents: int | None = None) -> Iterator[str]:
    for doc in iter_default_documents(max_documents=max_documents):
        yield doc["text"]
