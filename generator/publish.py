"""What of the content folders may be published: no symbolic links anywhere, and only real images.

- ``symlinks(root)``: every symbolic link under ``content/`` and ``cases/`` (files and folders,
  ``content/images`` itself, and ``content`` or ``cases`` themselves), each a located problem.
  A link can point anywhere on the machine that builds the site (``/etc``, a home folder), and
  the site must hold only what the repository holds.
- ``images(root)``: the files of ``content/images/`` that may be published, and a problem for
  every other file there. An image is PNG, JPEG, WebP or GIF, decided by its first bytes, with a
  matching extension and at most ``MAX_IMAGE_BYTES``. SVG is not accepted at all: it is a
  document that can carry script, and the catalogue has no use for drawings that a PNG cannot
  show. Any other file (``.html``, ``.svg``, ``.txt``, …) is an error, because the site would
  serve it from its own origin. Hidden files (``.gitkeep``) are neither published nor reported.
"""

from __future__ import annotations

import os
from pathlib import Path

from .problems import Location, Problem, relative
from .safe_html import IMAGE_FOLDER

CONTENT_FOLDERS = ("content", "cases")

MAX_IMAGE_BYTES = 2_000_000
"""Readers are on phones over slow rural networks: a photo resized for the web (1600 pixels wide)
is 200-500 KB, so 2 MB leaves room for any honest image and stops an unresized camera file."""

IMAGE_TYPES = {"png": "PNG", "jpeg": "JPEG", "webp": "WebP", "gif": "GIF"}
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp", ".gif": "gif"}


def image_type(head: bytes) -> str | None:
    """The image type a file's first bytes announce (``png``, ``jpeg``, ``webp``, ``gif``), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def symlinks(root: Path) -> list[Problem]:
    """A located problem for every symbolic link under the content folders; links are not followed."""
    problems: list[Problem] = []

    def report(path: Path) -> None:
        kind = "文件夹" if path.is_dir() else "文件"
        message = f"这里是符号链接，不是真正的{kind}：网站只发布仓库里的普通文件和文件夹"
        problems.append(Problem(Location(relative(path, root)), message, "把链接换成真正的文件，或删除它"))

    for name in CONTENT_FOLDERS:
        top = root / name
        if top.is_symlink():
            report(top)
            continue
        for folder, dirs, files in os.walk(top):  # os.walk does not follow links to folders
            for entry in sorted(dirs + files):
                path = Path(folder) / entry
                if path.is_symlink():
                    report(path)
            dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
    return sorted(problems)


def images(root: Path) -> tuple[list[Path], list[Problem]]:
    """The images that may be published (real files, checked by content), and problems for the rest."""
    folder = root / IMAGE_FOLDER
    ok: list[Path] = []
    problems: list[Problem] = []
    if (root / "content").is_symlink() or folder.is_symlink() or not folder.is_dir():
        return ok, problems  # a link is reported by symlinks(); nothing under it is published
    allowed = "、".join(IMAGE_TYPES.values())
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(parent) / d).is_symlink())
        for name in sorted(files):
            path = Path(parent) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            rel = relative(path, root)
            problem = _image_problem(path, rel, allowed)
            if problem is None:
                ok.append(path)
            else:
                problems.append(problem)
    return sorted(ok), problems


def _image_problem(path: Path, rel: str, allowed: str) -> Problem | None:
    expected = EXTENSIONS.get(path.suffix.lower())
    if expected is None:
        message = f"{IMAGE_FOLDER}/ 里只能放 {allowed} 图片，不能放“{path.name}”这样的文件"
        hint = "SVG 也不行：它能带脚本。请转换成 PNG" if path.suffix.lower() == ".svg" else "删除它，或换成图片"
        return Problem(Location(rel), message, hint)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        return Problem(Location(rel), f"无法读取文件：{error.strerror}")
    if size > MAX_IMAGE_BYTES:
        message = f"图片太大（{size / 1_000_000:.1f} MB，上限 {MAX_IMAGE_BYTES / 1_000_000:.0f} MB）"
        return Problem(Location(rel), message, "把图片缩小到 1600 像素宽再保存，通常只有几百 KB")
    found = image_type(head)
    if found is None:
        message = f"文件内容不是 {allowed} 图片"
        return Problem(Location(rel), message, "用看图软件另存为 PNG 或 JPEG")
    if found != expected:
        message = f"文件内容是 {IMAGE_TYPES[found]} 图片，但扩展名是“{path.suffix}”"
        suffix = ".jpg" if found == "jpeg" else f".{found}"
        return Problem(Location(rel), message, f"把扩展名改成 {suffix}")
    return None
