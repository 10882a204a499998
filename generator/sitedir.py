"""Where a build may write, and how a new site replaces the last good one without losing it.

- ``refusal(root, site)`` says why a folder must not be a site folder, or ``None``: the project
  root or a folder above it, the project's own sources or a folder inside them, a folder holding
  project files, and any existing non-empty folder that no build made. Every build carries the
  marker file ``MARKER``; that is how a previous build is told from anything else.
- ``publishing(site)`` is the one way a build reaches ``site``: it takes a lock (a second build
  into the same folder waits), removes what killed builds left behind (only marked folders),
  gives the build a fresh marked staging folder beside ``site`` and, if the build succeeds, swaps
  it in with two renames that signals cannot split. Whatever happens, the staging folder goes.

Everything here is iterative and touches only folders it made or that carry the marker.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".catalog-build"
MARKER_TEXT = "此文件夹由 catalog build 生成，每次构建会整个替换它；请不要在这里存放其他文件。\n"

# The project's own folders: a site may never be one of them or lie inside one.
SOURCE_FOLDERS = (
    "content",
    "cases",
    "generator",
    "schemas",
    "tests",
    "bench",
    ".git",
    ".github",
    ".ci",
    ".venv",
)
# A folder holding any of these is a project (this one or another), never a site. (A site has a
# cases/ folder of its own, so cases/ counts only in a folder without the marker.)
PROJECT_FILES = ("content", "generator", ".git", "mkdocs.yml", "pyproject.toml")


class SiteDirError(Exception):
    """The site folder cannot be used; nothing was changed."""


def shown(path: Path, root: Path) -> str:
    """A folder as the editor would write it: relative to the project when inside it."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
    return rel if rel != "." else "."


_ELSEWHERE = "请换一个不存在的或空的文件夹，例如默认的 site/"


def refusal(root: Path, site: Path) -> tuple[str, str] | None:
    """Why ``site`` must not be written to as a site folder, with a hint; ``None`` when it may be."""
    reason = _reason(root, site)
    if reason is None:
        return None
    if reason.startswith("这个文件夹不是空的"):
        return reason, "如果它是旧版本生成的站点，确认无用后手动删除再构建；否则" + _ELSEWHERE
    return reason, _ELSEWHERE


def _reason(root: Path, site: Path) -> str | None:
    root = root.resolve()
    site = site.resolve()
    if site == root:
        return "这是项目根目录，构建会替换整个文件夹"
    if root.is_relative_to(site):
        return "它包含整个项目，构建会替换整个文件夹"
    if site.is_relative_to(root):
        top = site.relative_to(root).parts[0]
        if top in SOURCE_FOLDERS:
            return f"它在项目的源文件夹 {top}/ 里"
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        return "这里已有一个同名的文件"
    if not site.exists():
        return None
    try:
        names = {entry.name for entry in os.scandir(site)}
    except OSError as error:
        return f"无法读取这个文件夹（{error.strerror}）"
    project_files = PROJECT_FILES if MARKER in names else (*PROJECT_FILES, "cases")
    held = [name for name in project_files if name in names]
    if held:
        return f"里面有项目文件 {held[0]}，它不是站点文件夹"
    if names and MARKER not in names:
        return f"这个文件夹不是空的，也不是以前构建生成的站点（没有 {MARKER} 标记）"
    return None


def message(root: Path, site: Path) -> str | None:
    """The editor's message when ``site`` may not be written to, or ``None``."""
    refused = refusal(root, site)
    if refused is None:
        return None
    reason, hint = refused
    where = shown(site.resolve(), root.resolve())
    return f"站点目录 {where}: 不能输出到这里：{reason}（{hint}）。什么也没有删除。"


def check(root: Path, site: Path) -> None:
    """Raise ``SiteDirError`` with the editor's message when ``site`` may not be written to."""
    text = message(root, site)
    if text is not None:
        raise SiteDirError(text)


# --------------------------------------------------------------------------- replacing the site


def _sibling(site: Path, kind: str) -> Path:
    """A new, unused name beside ``site`` for a staging (``build``) or retired (``old``) folder."""
    while True:
        candidate = site.with_name(f".{site.name}-{kind}-{secrets.token_hex(4)}")
        if not os.path.lexists(candidate):
            return candidate


def _make_writable(path: Path) -> None:
    """Give the owner write access to every folder under ``path`` (iteratively, no symlinks)."""
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            os.chmod(folder, stat.S_IRWXU)
            with os.scandir(folder) as entries:
                stack.extend(Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))
        except OSError:
            continue


def remove_tree(path: Path) -> None:
    """Delete a folder this tool made, even one made read-only; raises ``OSError`` if it cannot."""
    if path.is_symlink() or not path.is_dir():
        return
    try:
        shutil.rmtree(path)
    except OSError:
        # A read-only folder (chmod a-w) keeps its files: make the tree writable and try again.
        _make_writable(path)
        shutil.rmtree(path)


def _ours(path: Path) -> bool:
    """A leftover folder this tool made: marked, or empty (killed before the marker was written)."""
    if path.is_symlink() or not path.is_dir():
        return False
    try:
        with os.scandir(path) as entries:
            names = [e.name for e in entries]
    except OSError:
        return False
    return not names or MARKER in names


def leftovers(site: Path) -> list[Path]:
    """Staging and retired folders of killed builds of ``site`` (only folders this tool made)."""
    prefixes = (f".{site.name}-build-", f".{site.name}-old-")
    try:
        with os.scandir(site.parent) as entries:
            found = [Path(e.path) for e in entries if e.name.startswith(prefixes)]
    except OSError:
        return []
    return sorted(p for p in found if _ours(p))


if sys.platform == "win32":  # pragma: no cover - editors' Windows machines

    @contextmanager
    def _lock(site: Path, waiting: Callable[[], None]) -> Iterator[None]:
        import msvcrt

        with open(site.with_name(f".{site.name}.lock"), "a+b") as handle:  # closing it unlocks
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                waiting()
                while True:
                    try:
                        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                        break
                    except OSError:
                        continue
            yield

else:

    @contextmanager
    def _lock(site: Path, waiting: Callable[[], None]) -> Iterator[None]:
        """An exclusive lock on the folder that holds the site, so no lock file is left behind.

        The kernel holds it and drops it when the process ends, however it ends: a killed build
        never leaves a stale lock. Builds into other site folders of the same parent wait too.
        """
        import fcntl

        fd = os.open(site.parent, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


_DEFERRED = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, so the two renames of a swap never split."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _swap(new: Path, site: Path) -> Path | None:
    """Put ``new`` where ``site`` is; returns the retired old site (to delete) or ``None``."""
    with _signals_deferred():
        old = None
        if os.path.lexists(site):
            old = _sibling(site, "old")
            os.replace(site, old)
        try:
            os.replace(new, site)
        except OSError:
            if old is not None:
                os.replace(old, site)
            raise
    return old


def write_marker(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


@contextmanager
def publishing(site: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[Path]:
    """Yield a fresh staging folder; on normal exit it becomes ``site``, on any exit it is gone.

    ``site`` must have passed ``check``. ``waiting`` is called once if another build holds the lock.
    Folders are made with the usual permissions (0777 less the umask), like any new folder.
    """
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    with _lock(site, waiting):
        for stale in leftovers(site):
            try:
                remove_tree(stale)
            except OSError:
                pass  # never fatal: it is hidden, marked as ours, and retried by the next build
        staging = _sibling(site, "build")
        old: Path | None = None
        try:
            os.mkdir(staging)  # not mkdtemp: that gives 0700, and the folder becomes the site
            write_marker(staging)
            yield staging
            write_marker(staging)  # MkDocs keeps hidden files, but a build may have replaced it
            old = _swap(staging, site)
        finally:
            for path in (staging, old):
                if path is not None and os.path.lexists(path):
                    try:
                        remove_tree(path)
                    except OSError:
                        pass  # left hidden and marked; the next build removes it
