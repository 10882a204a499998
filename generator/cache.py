"""Work that survives between builds, and between rebuilds under ``catalog serve``.

Everything here is keyed by content (a hash of the inputs and of the code's version), so a
cached value is exactly what computing it again would give: builds stay byte-identical with or
without a cache. The folder is ``.cache/catalog`` in the project (ignored by git); the
environment variable ``CATALOG_CACHE`` names another folder, or ``off`` to keep nothing on disk.

Two kinds of store, one file format:

- ``Memo``: a table {hash of inputs: JSON value} in one file (search terms, title pinyin);
- ``Store``: one file per value, any picklable value, named by the hash of its inputs (the
  validated catalogue, each file as read and checked, each rendered page, the search index,
  the open data). Only what a build looks up is read; only what changed is written.

Every file is signed (HMAC-SHA256) with a key that only this user can read, kept outside the
project (``~/.cache/catalog/signing-key``). The cache folder is inside the project, where a pull
request could add files: an entry it planted (a rendered page with a script in it, a pickle
that runs code when loaded) fails the signature and is ignored as if it were missing. Without a
private place for the key, nothing is cached on disk.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import importlib.metadata
import json
import os
import pickle
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

CACHE_ENV = "CATALOG_CACHE"
KEY_ENV = "CATALOG_CACHE_KEY_DIR"  # where the signing key lives (tests point it at a folder of theirs)
# What a cached value also depends on besides the generator's own files.
LIBRARIES = ("PyYAML", "Markdown", "nh3", "Jinja2", "MarkupSafe", "jieba", "pypinyin", "segno", "icalendar", "mkdocs")


def cache_dir(root: Path) -> Path | None:
    """Where the caches of the project at ``root`` live, or ``None`` when caching on disk is off."""
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() == "off":
        return None
    return Path(value) if value else root / ".cache" / "catalog"


def user_folder(name: str) -> Path | None:
    """A folder only this user can write, outside any project (``~/.cache/catalog/<name>``)."""
    base = os.environ.get(KEY_ENV) or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "catalog" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if private(folder) and private(folder.parent) else None


def private(folder: Path) -> bool:
    """Whether ``folder`` is a real folder that only this user can write (always so on Windows)."""
    if sys.platform == "win32":  # pragma: no cover
        return True
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


_KEYS: dict[str, bytes | None] = {}


def signing_key() -> bytes | None:
    """This user's key for signing cache files, made on first use; ``None`` without a private place."""
    where = os.environ.get(KEY_ENV, "") + "|" + os.environ.get("XDG_CACHE_HOME", "")
    if where not in _KEYS:
        _KEYS[where] = _read_or_make_key()
    return _KEYS[where]


def _read_or_make_key() -> bytes | None:
    folder = user_folder("key")
    if folder is None:
        return None
    path = folder / "signing-key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            key = f.read()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or len(key) != 32:
        return None  # someone else's, or readable by others: not a secret
    return key


def write_signed(path: Path, payload: bytes) -> None:
    """Write ``payload`` with its signature, atomically; silently nothing when it cannot be written."""
    key = signing_key()
    if key is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(hmac.new(key, payload, hashlib.sha256).digest())
            out.write(payload)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # a read-only project still builds, just without a cache on disk
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def read_signed(path: Path) -> bytes | None:
    """The payload of a file written by ``write_signed`` with this user's key, else ``None``."""
    key = signing_key()
    if key is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    mac, payload = data[:32], data[32:]
    if len(mac) != 32 or not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
        return None
    return payload


@functools.cache
def code_version() -> str:
    """A hash of everything a cached value could depend on besides its inputs: the generator's
    files (code, templates, scripts), Python's version and the libraries it calls."""
    package = Path(__file__).parent
    parts: list[str | bytes] = [sys.version]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in LIBRARIES:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(name)
    return digest(*parts)


def fingerprint(value: Any, memo: dict[int, tuple[Any, str]]) -> str:
    """A hash of a value built of model objects (frozen dataclasses), containers and scalars, the
    same in every process. Each model object is hashed once per ``memo`` (which keeps it alive, so
    its id is not reused): a page's inputs share most objects with other pages' (a course is on
    its own page, its module's, its tags', its instructor's …)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kept = memo.get(id(value))
        if kept is None:
            kept = memo[id(value)] = (value, digest(repr(value)))
        return kept[1]
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(fingerprint(v, memo) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ",".join(f"{fingerprint(k, memo)}:{fingerprint(v, memo)}" for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(fingerprint(v, memo) for v in value)) + "}"
    return repr(value)


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
        payload = read_signed(path) if path is not None else None
        if payload is not None:
            try:
                stored = json.loads(payload)
                if stored.get("version") == version and isinstance(stored.get("entries"), dict):
                    self.entries = stored["entries"]
            except ValueError:
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

    def save(self, prune: bool = True) -> None:
        """Write the table; ``prune=False``: keep the entries not used this time (a build that
        looked up only some of them)."""
        if self.prune and prune:
            if len(self.used) != len(self.entries):
                self.changed = True
            self.entries = self.used
        self.used = {}
        if self.path is None or not self.changed:
            return
        self.changed = False
        payload = json.dumps({"version": self.version, "entries": self.entries}, ensure_ascii=False)
        write_signed(self.path, payload.encode("utf-8"))


class Store:
    """Values of one kind, one signed pickle file each, named by a hash of what they are made from.

    ``get(key, make)`` returns the stored value or makes and stores it; keys come from ``key``,
    which adds the code's version. Each value read or written is marked used (its file's time);
    ``prune`` keeps the ``keep`` most recently used files of the kind and deletes the rest.
    """

    def __init__(self, root: Path, kind: str) -> None:
        folder = cache_dir(root)
        self.folder = folder / kind if folder is not None and signing_key() is not None else None
        self.hits = self.misses = 0

    @staticmethod
    def key(*parts: str | bytes) -> str:
        return digest(code_version(), *parts)

    def _path(self, key: str) -> Path | None:
        return self.folder / key[:2] / key if self.folder is not None else None

    def get(self, key: str, make: Callable[[], Any], keep: bool = True) -> Any:
        """The value stored under ``key``, else ``make()``, stored unless ``keep`` is false."""
        path = self._path(key)
        if path is not None:
            payload = read_signed(path)
            if payload is not None:
                try:
                    value = pickle.loads(payload)  # signed by this user's key: written by this code
                except Exception:  # an entry of an older pickle format: made again
                    pass
                else:
                    self.hits += 1
                    _touch(path)
                    return value
        self.misses += 1
        value = make()
        if keep:
            self.put(key, value)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (replacing what was there)."""
        path = self._path(key)
        if path is not None:
            try:
                payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # e.g. an item of a project's own type: not kept
                return
            write_signed(path, payload)

    def prune(self, keep: int) -> None:
        """Keep the ``keep`` most recently used values of this kind."""
        if self.folder is None or not self.folder.is_dir():
            return
        files = []
        for sub in self.folder.iterdir():
            if sub.is_dir() and not sub.is_symlink():
                for f in sub.iterdir():
                    try:
                        files.append((f.stat().st_mtime_ns, f))
                    except OSError:
                        continue
        if len(files) <= keep:
            return
        files.sort(reverse=True)
        for _, f in files[keep:]:
            f.unlink(missing_ok=True)


def stage(root: Path, kind: str, inputs: tuple[str | bytes, ...], make: Callable[[], Any], keep: int = 4) -> Any:
    """A whole stage's output from the cache by a hash of ``inputs``, else made and kept.

    ``inputs`` must name everything the output depends on besides the generator's code; a stage
    made from the catalogue passes ``catalog.inputs``, which is empty for a catalogue made in
    memory: then nothing is cached.
    """
    if not all(inputs):
        return make()
    store = Store(root, kind)
    value = store.get(store.key(*inputs), make)
    store.prune(keep)
    return value


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass
