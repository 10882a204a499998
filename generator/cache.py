"""Work that survives between builds, and between rebuilds under ``catalog serve``.

Everything here is keyed by content (a hash of the inputs and of the code's version), so a
cached value is exactly what computing it again would give: builds stay byte-identical with or
without a cache. The folder is ``.cache/catalog`` in the project (ignored by git); the
environment variable ``CATALOG_CACHE`` names another folder, or ``off`` to keep nothing on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

CACHE_ENV = "CATALOG_CACHE"


def cache_dir(root: Path) -> Path | None:
    """Where the caches of the project at ``root`` live, or ``None`` when caching on disk is off."""
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() == "off":
        return None
    return Path(value) if value else root / ".cache" / "catalog"


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Memo:
    """A table {hash of inputs: JSON value} kept in memory and, when caching is on, in one file.

    ``get`` returns the stored value or computes and stores it. ``save`` writes the table; with
    ``prune`` (for tables whose every entry is looked up in each build), the entries not used
    since the last ``save`` are dropped first, so the file never outgrows the catalogue.
    """

    _open: ClassVar[dict[tuple[str, str], Memo]] = {}

    def __init__(self, path: Path | None, version: str, prune: bool = True) -> None:
        self.path = path
        self.prune = prune
        self.version = version
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.changed = False
        if path is not None and path.is_file():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                if stored.get("version") == version and isinstance(stored.get("entries"), dict):
                    self.entries = stored["entries"]
            except (OSError, ValueError):
                self.entries = {}  # a damaged cache is only a slower build

    @classmethod
    def open(cls, root: Path, name: str, version: str, prune: bool = True) -> Memo:
        """The memo ``name`` of a project; the same object for the whole process (serve keeps it)."""
        folder = cache_dir(root)
        path = folder / f"{name}.json" if folder is not None else None
        key = (str(path or root / name), name)
        memo = cls._open.get(key)
        if memo is None or memo.version != version:
            memo = cls._open[key] = Memo(path, version, prune)
        return memo

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        if key in self.entries:
            value = self.entries[key]
        else:
            value = self.entries[key] = make()
            self.changed = True
        self.used[key] = value
        return value

    def save(self) -> None:
        if self.prune:
            if len(self.used) != len(self.entries):
                self.changed = True
            self.entries = self.used
        self.used = {}
        if self.path is None or not self.changed:
            return
        self.changed = False
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": self.version, "entries": self.entries}, out, ensure_ascii=False)
            os.replace(tmp, self.path)
            tmp = None
        except OSError:
            pass  # a read-only project still builds, just without a cache on disk
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
