"""What Markdown from content may contain, and located errors for what it may not.

Policy (documented for editors in CONTRIBUTING.md):
- Raw HTML: only a few harmless inline tags, without attributes: ``<br>``, ``<sub>``, ``<sup>``,
  ``<mark>``, ``<small>``, ``<kbd>``. Everything else (``<script>``, ``<iframe>``, ``<style>``,
  ``<img>``, ``<a>``, comments, any attribute such as ``onclick=``) is rejected: the content model
  already has fields for what editors need, and a catalogue has no use for live markup.
- Links: ``http``, ``https`` and ``mailto`` addresses, or paths inside the site. ``javascript:``,
  ``data:``, ``vbscript:`` and every other scheme are rejected, also when disguised with entities.
- Images: only files under ``content/images/``, which must exist; no images from other hosts
  (the site must not fetch anything from elsewhere) and no path that leaves that folder.

Code spans and fenced code blocks are text, not HTML, so they may show tags as examples.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from .problems import Location, Problem

ALLOWED_TAGS = {"br", "sub", "sup", "mark", "small", "kbd"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
IMAGE_FOLDER = "content/images"

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)((?:\s[^<>]*)?)/?>", re.DOTALL)
_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _blank(match: re.Match[str]) -> str:
    # Keep newlines so offsets still give the right line numbers.
    return re.sub(r"[^\n]", " ", match.group(0))


def _location(text: str, offset: int, rel: str, first_line: int) -> Location:
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(rel, first_line + line, column)


def _scheme(url: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme, and decode entities.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def check(text: str, rel: str, first_line: int, root: Path | None = None) -> list[Problem]:
    """Problems in one Markdown text that starts at ``first_line`` of the file ``rel``."""
    problems: list[Problem] = []
    scan = _FENCE.sub(_blank, text)
    scan = _CODE_SPAN.sub(_blank, scan)

    def add(offset: int, message: str, hint: str = "") -> None:
        problems.append(Problem(_location(text, offset, rel, first_line), message, hint))

    for match in _COMMENT.finditer(scan):
        add(match.start(), "不允许使用 HTML 注释“<!-- -->”", "直接删除，或写成普通文字")
    scan = _COMMENT.sub(_blank, scan)
    reported: set[str] = set()
    for match in _TAG.finditer(scan):
        name, attrs = match.group(1).lower(), match.group(2).strip()
        closing = match.group(0).startswith("</")
        if closing and name in reported | ALLOWED_TAGS:
            continue  # one error per mistake: the opening tag was already reported
        if name not in ALLOWED_TAGS:
            reported.add(name)
            allowed = "、".join(f"<{t}>" for t in sorted(ALLOWED_TAGS))
            add(match.start(), f"不允许使用 HTML 标签 <{name}>", f"正文只能用 Markdown；允许的标签只有 {allowed}")
        elif attrs:
            add(match.start(), f"HTML 标签 <{name}> 不能带属性（{attrs[:30]}）", "去掉属性，如 onclick=、style=")
    for match in _AUTOLINK.finditer(scan):
        _check_url(match.group(1), False, match.start(), add, root)
    for match in _REF_DEF.finditer(scan):
        _check_url(match.group(1), False, match.start(1), add, root)
    for match in _LINK.finditer(scan):
        _check_url(match.group(2), bool(match.group(1)), match.start(2), add, root)
    return problems


Report = Callable[[int, str, str], None]


def _check_url(url: str, image: bool, offset: int, add: Report, root: Path | None) -> None:
    scheme = _scheme(url)
    if image:
        if scheme or url.startswith("//"):
            add(offset, "图片不能引用其他网站的地址", f"把图片放进 {IMAGE_FOLDER}/，再写相对路径")
            return
        target = image_target(url)
        if target is None:
            add(offset, f"图片路径“{url}”不在 {IMAGE_FOLDER}/ 里", f"写成 {IMAGE_FOLDER}/文件名.jpg 这样的路径")
        elif root is not None and not (root / target).is_file():
            add(offset, f"图片文件“{target}”不存在", "检查文件名和大小写")
        return
    if scheme and scheme not in ALLOWED_SCHEMES:
        add(offset, f"不允许的链接类型“{scheme}:”", "链接只能以 http://、https:// 或 mailto: 开头")


def image_target(url: str) -> str | None:
    """The repository path of an image reference, or None if it would leave ``content/images``."""
    path = html.unescape(url).split("#")[0].split("?")[0]
    if "\\" in path or path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    if not normal.startswith(IMAGE_FOLDER + "/") or ".." in normal.split("/"):
        return None
    return normal
