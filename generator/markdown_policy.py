"""What Markdown from content may contain, and located errors for what it may not.

Policy (documented for editors in CONTRIBUTING.md; enforced on the output by ``safe_html``):
- Raw HTML: only a few harmless inline tags, without attributes: ``<br>``, ``<sub>``, ``<sup>``,
  ``<mark>``, ``<small>``, ``<kbd>``. Everything else (``<script>``, ``<iframe>``, ``<style>``,
  ``<img>``, ``<a>``, comments, any attribute such as ``onclick=``) is rejected: the content model
  already has fields for what editors need, and a catalogue has no use for live markup.
- Links: ``http``, ``https`` and ``mailto`` addresses, or paths inside the site. ``javascript:``,
  ``data:``, ``vbscript:`` and every other scheme are rejected, also when disguised with entities.
- Images: only files under ``content/images/``, which must exist; no images from other hosts
  (the site must not fetch anything from elsewhere) and no path that leaves that folder.
- Headings from ``##`` down: the page title is the page's only first-level heading.

Code spans and code blocks are text, not HTML, so they may show tags as examples.

How: the scan does not guess from the source what the renderer will do. It renders the text
with the same Markdown instance as the build and looks at what the renderer itself passed
through as raw HTML and at every link and image address it produced (inline, reference-style,
in quotes or lists alike), then finds each in the source for the editor's file:line:column.
As a backstop, the Markdown output is sanitised exactly as the build does and compared with
itself: any difference the scan did not explain is reported too, so nothing is silently
dropped from a page and nothing the scan misses can pass ``catalog check``.
All work here is linear in the text's size: no regular expression over the whole text.

Longer than most modules: besides the policy it locates each kind of mistake in the source for
one message per mistake (raw HTML, each link form, images, limits), and the backstop that
sanitises and compares; splitting those apart would scatter one policy over several files.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from markdown.util import AMP_SUBSTITUTE

from . import characters, safe_html
from .problems import Location, Problem
from .safe_html import IMAGE_FOLDER, RAW_TAGS, image_target

ALLOWED_TAGS = RAW_TAGS
ALLOWED_SCHEMES = safe_html.URL_SCHEMES
__all__ = ["ALLOWED_SCHEMES", "ALLOWED_TAGS", "IMAGE_FOLDER", "check", "image_target"]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")

Report = Callable[[int, str, str], None]

# Python-Markdown does work proportional to (openers) x (length of the paragraph or text) for
# some constructs: every "[" scans to its "]" (or the paragraph's end) in a Python loop, every
# "<" starting a tag is matched by a regular expression to the next ">" (or the text's end).
# These limits, checked first by one linear pass, keep a 200 KB file to a few seconds
# (bench/markdown_limits.py measures the worst inputs); real content stays far below them.
MAX_PARAGRAPH = 5_000
"""Characters in one paragraph (lines between blank lines)."""
MAX_BRACKETS = 60
"""Opening brackets "[" in one paragraph: a link or image takes one or two."""
MAX_TAG_OPENERS = 100
"""Places in one text where "<" is followed by a letter, "/", "!" or "?" (a tag, or what looks like one)."""


def _location(text: str, offset: int, rel: str, first_line: int) -> Location:
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(rel, first_line + line, column)


def _scheme(url: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme, and decode entities.
    cleaned = _CONTROL.sub("", html.unescape(url.replace(AMP_SUBSTITUTE, "&")))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


class _Finder:
    """Finds the n-th occurrence of each string in the source, so repeated forms are told apart."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: dict[str, int] = {}

    def find(self, needle: str) -> int:
        if not needle:
            return -1
        start = self.seen.get(needle, 0)
        at = self.text.find(needle, start)
        if at < 0 and start:
            at = self.text.find(needle)  # the renderer saw it more often than the source has it
        if at >= 0:
            self.seen[needle] = at + 1
        return at


class _Tokens(HTMLParser):
    """The tags, comments and declarations of one raw HTML fragment, with their offsets."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.line_starts = [0]
        for index, char in enumerate(fragment):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.found: list[tuple[int, str, str, str]] = []  # (offset, kind, name, raw text)
        self.feed(fragment)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[min(line, len(self.line_starts)) - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        self.found.append((self._offset(), "start", tag, raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.found.append((self._offset(), "end", tag, f"</{tag}>"))

    def handle_comment(self, data: str) -> None:
        self.found.append((self._offset(), "comment", "", data))

    def handle_decl(self, decl: str) -> None:
        self.found.append((self._offset(), "decl", "", decl))

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_pi(self, data: str) -> None:
        self.handle_decl(data)


def _attributes(raw: str, name: str) -> str:
    """What follows a start tag's name: its attributes, however they are separated."""
    inner = raw[1:-1] if raw.endswith(">") else raw[1:]
    rest = inner[len(name) :] if inner.lower().startswith(name) else inner
    return rest.strip().rstrip("/").strip().lstrip("/").strip()


def check(text: str, rel: str, first_line: int, root: Path | None = None) -> list[Problem]:
    """Problems in one Markdown text that starts at ``first_line`` of the file ``rel``."""
    problems: list[Problem] = []

    def add(offset: int, message: str, hint: str = "") -> None:
        problems.append(Problem(_location(text, offset, rel, first_line), message, hint))

    if _over_budget(text, add):
        return problems  # not rendered at all: the renderer's work would not be bounded
    rendered = safe_html.markdown_only(text)
    finder = _Finder(text)
    _check_raw_html(rendered.raw_fragments, finder, add)
    _check_headings(text, rendered.headings, add)
    _check_entities(text, rendered.html, add)
    for tag, url in rendered.urls:
        plain = url.replace(AMP_SUBSTITUTE, "&")
        at = finder.find(plain)
        _check_url(plain, tag == "img", max(at, 0), add, root)
    if not problems:
        _compare(rendered.html, text, finder, add)
    return problems


def _over_budget(text: str, add: Report) -> bool:
    """Whether the text exceeds a limit that bounds the renderer's work (one linear pass)."""
    openers = 0
    start = brackets = offset = 0  # the current paragraph's start and its "[" so far
    reported: set[tuple[int, str]] = set()

    def once(kind: str, at: int, message: str, hint: str) -> None:
        if (start, kind) not in reported:
            reported.add((start, kind))
            add(at, message, hint)

    for line in text.split("\n"):
        if not line.strip():
            start, brackets = offset + len(line) + 1, 0
        else:
            brackets += line.count("[")
            if brackets > MAX_BRACKETS:
                once(
                    "[", start, f"这一段的方括号“[”太多：超过 {MAX_BRACKETS} 个", "把链接分到几段里写，段与段之间空一行"
                )
            if offset + len(line) - start > MAX_PARAGRAPH:
                once("len", start, f"这一段太长：超过 {MAX_PARAGRAPH} 个字符", "分成几段，段与段之间空一行")
            at = line.find("<")
            while at >= 0 and openers <= MAX_TAG_OPENERS:
                after = line[at + 1 : at + 2]
                if after and ((after.isascii() and after.isalpha()) or after in "/!?"):
                    openers += 1
                    if openers > MAX_TAG_OPENERS:
                        message = f"尖括号“<”开头的标记太多：超过 {MAX_TAG_OPENERS} 个"
                        once("<", offset + at, message, "正文只能用 Markdown")
                at = line.find("<", at + 1)
        offset += len(line) + 1
    return bool(reported)


def _check_raw_html(fragments: Sequence[str], finder: _Finder, add: Report) -> None:
    reported: set[str] = set()
    opened: dict[str, list[int]] = {}  # offsets of allowed tags opened, by name
    closed: dict[str, int] = {}
    allowed = "、".join(f"<{t}>" for t in sorted(ALLOWED_TAGS))
    for fragment in fragments:
        if fragment.startswith("&"):
            continue  # an entity such as &amp; or &copy;: text, not markup
        base = finder.find(fragment.strip())
        if base < 0:
            first = fragment.strip().split("\n", 1)[0]
            base = max(finder.find(first), 0)
        lead = len(fragment) - len(fragment.lstrip())
        try:
            tokens = _Tokens(fragment).found
        except Exception:  # html.parser gives up on some malformed markup: still one located error
            add(base, "这里有无法识别的 HTML 标记", f"正文只能用 Markdown；允许的标签只有 {allowed}")
            continue
        for offset, kind, name, raw in tokens:
            at = base + max(offset - lead, 0)
            if kind == "comment":
                add(at, "不允许使用 HTML 注释“<!-- -->”", "直接删除，或写成普通文字")
            elif kind == "decl":
                add(at, "不允许使用“<!…>”或“<?…>”这样的 HTML 标记", "直接删除，或写成普通文字")
            elif kind == "end":
                if name not in reported | ALLOWED_TAGS:
                    reported.add(name)
                    add(at, f"不允许使用 HTML 标签 <{name}>", f"正文只能用 Markdown；允许的标签只有 {allowed}")
            elif name not in ALLOWED_TAGS:
                reported.add(name)
                add(at, f"不允许使用 HTML 标签 <{name}>", f"正文只能用 Markdown；允许的标签只有 {allowed}")
            elif attributes := _attributes(raw, name):
                add(at, f"HTML 标签 <{name}> 不能带属性（{attributes[:30]}）", "去掉属性，如 onclick=、style=")
            elif name != "br":
                opened.setdefault(name, []).append(at)
            if kind == "end" and name in ALLOWED_TAGS:
                closed[name] = closed.get(name, 0) + 1
    for name, starts in sorted(opened.items()):
        if len(starts) > closed.get(name, 0):
            at = starts[closed.get(name, 0)]
            add(at, f"HTML 标签 <{name}> 没有成对：缺少 </{name}>", f"写成 <{name}>文字</{name}>，且在同一段里")


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")


def _check_entities(text: str, markdown_html: str, add: Report) -> None:
    """Characters refused in every file (bidi overrides, zero-width, controls) written as entities.

    The file itself holds none (checked when it is read), so a forbidden character in the decoded
    output came from a character reference such as ``&#x202E;`` or ``&zwj;``: the same trick as
    ``"\u202e"`` in a quoted YAML value, refused in the same words.
    """
    decoded = html.unescape(markdown_html)
    at = characters.first_forbidden(decoded)
    if at is None:
        return
    char = decoded[at]
    offset = 0
    for match in _ENTITY.finditer(text):  # where it was written; the entity decodes to that character
        if char in html.unescape(match.group()):
            offset = match.start()
            break
    add(offset, f"这里用字符实体写了不允许的字符 {characters.describe(char)}", "请删除它")


def _check_headings(text: str, levels: Sequence[int], add: Report) -> None:
    if 1 not in levels:
        return
    offset = 0
    previous = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) <= 3:
            if stripped.startswith("#") and not stripped.startswith("##"):
                break
            if stripped.startswith("=") and not stripped.rstrip().strip("="):
                offset = previous  # a setext heading: the text is on the line above
                break
        previous = offset
        offset += len(line) + 1
    else:
        offset = 0
    add(offset, "正文里不能用一级标题“# ”", "页面标题已经是一级标题；正文的标题请从“## ”开始")


def _check_url(url: str, image: bool, offset: int, add: Report, root: Path | None) -> None:
    scheme = _scheme(url)
    if image:
        decoded = html.unescape(url)
        if scheme or _CONTROL.sub("", decoded).startswith("//"):
            add(offset, "图片不能引用其他网站的地址", f"把图片放进 {IMAGE_FOLDER}/，再写相对路径")
            return
        target = image_target(decoded)
        if target is None and safe_html.is_hidden(unquote(decoded.split("#")[0].split("?")[0])):
            hidden = f"图片路径“{url}”指向以“.”开头的隐藏文件或文件夹：它们不会发布"
            add(offset, hidden, "去掉文件名或文件夹名开头的“.”")
        elif target is None:
            add(offset, f"图片路径“{url}”不在 {IMAGE_FOLDER}/ 里", f"写成 {IMAGE_FOLDER}/文件名.jpg 这样的路径")
        elif root is not None and not (root / target).is_file():
            add(offset, f"图片文件“{target}”不存在", "检查文件名和大小写")
        return
    if scheme and scheme not in ALLOWED_SCHEMES:
        add(offset, f"不允许的链接类型“{scheme}:”", "链接只能以 http://、https:// 或 mailto: 开头")


# --------------------------------------------------------------------------- the backstop

Event = tuple[str, str, tuple[tuple[str, str], ...]]


class _Events(HTMLParser):
    """An HTML text as comparable events: tags with sorted, decoded attributes; merged text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self.raw: list[str] = []  # what each event was in the source, for the message
        self.feed(source)
        self.close()

    def _add(self, kind: str, name: str, attrs: tuple[tuple[str, str], ...], raw: str) -> None:
        if kind == "text" and self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + name, ())
            self.raw[-1] += raw
            return
        self.events.append((kind, name, attrs))
        self.raw.append(raw)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = tuple(sorted((k, v or "") for k, v in attrs))
        self._add("start", tag, pairs, self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag, (), f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._add("text", data, (), data)

    def handle_comment(self, data: str) -> None:
        self._add("comment", data, (), f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._add("decl", decl, (), f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_pi(self, data: str) -> None:
        self._add("decl", data, (), f"<?{data}>")


def changed_by_sanitiser(markdown_html: str) -> str | None:
    """The first piece of Markdown's output that sanitising would drop or change, or None."""
    try:
        before = _Events(markdown_html)
    except Exception:  # html.parser gave up: the sanitiser (which never gives up) decides
        return markdown_html if safe_html.sanitise(markdown_html) != markdown_html else None
    after = _Events(safe_html.sanitise(markdown_html))
    for index, event in enumerate(before.events):
        if index >= len(after.events) or after.events[index] != event:
            return before.raw[index]
    if len(after.events) > len(before.events):
        return after.raw[len(before.events)]
    return None


def _compare(markdown_html: str, text: str, finder: _Finder, add: Report) -> None:
    piece = changed_by_sanitiser(markdown_html)
    if piece is None:
        return
    shown = " ".join(piece.split())
    at = finder.find(piece.strip())
    if at < 0 and piece.startswith("<"):
        name = re.match(r"</?([A-Za-z][^\s/>]*)", piece)
        at = finder.find(piece[: name.end()] if name else piece[:2])
    add(
        max(at, 0),
        f"这里的内容会被网站的安全过滤删除或改变：“{shown[:40]}”",
        "正文只能用 Markdown；HTML 标签只能用 <br>、<kbd>、<mark>、<small>、<sub>、<sup>，要成对且不带属性",
    )
