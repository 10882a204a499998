"""Content Markdown to HTML that is safe to publish: the one renderer every page type uses.

``render(text, images_url)`` turns a Markdown field (a case body, a course description, the
programme summary, …) into HTML and passes it through the allow-list sanitiser nh3 (the Rust
crate ammonia, which parses like a browser). The sanitiser is the security boundary: whatever
the source scan in ``markdown_policy`` misses, no script, event handler, style, frame or other
markup outside this list reaches a page.

The allow-list is the policy documented for editors in CONTRIBUTING.md:

- what Markdown itself produces from content: ``p``, ``h2``–``h6``, ``blockquote``, ``ul``,
  ``ol`` (with a numeric ``start``), ``li``, ``pre``, ``code``, ``hr``, ``em``, ``strong``,
  ``br``, ``a`` (``href``, ``title``) and ``img`` (``src``, ``alt``, ``title``). No ``h1``: the
  page's title is its only ``h1``. No tables: the renderer has no table extension.
- raw inline tags without attributes: ``br``, ``sub``, ``sup``, ``mark``, ``small``, ``kbd``.
- link addresses: ``http``, ``https``, ``mailto`` or relative, decided by the sanitiser on the
  parsed value, i.e. after entity decoding, for every link form (inline, reference, autolink).
- image addresses: only files under ``content/images/`` (published as ``images/``, the path
  percent-encoded), none hidden (a name starting with "."); anything else loses its ``src``.
"""

from __future__ import annotations

import functools
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

import markdown
import nh3
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

IMAGE_FOLDER = "content/images"
RAW_TAGS = frozenset({"br", "sub", "sup", "mark", "small", "kbd"})
MARKDOWN_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "code", "hr", "em", "strong", "a", "img"}
)
TAGS = MARKDOWN_TAGS | RAW_TAGS
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with their content (the rest of a disallowed tag's text stays, escaped).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})

# A line break inside a Chinese paragraph would show as a space in the browser; editors wrap
# long lines in YAML block scalars, so join lines where both sides are CJK text.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])")


def image_target(url: str) -> str | None:
    """The repository path of an image address, or None if it would leave ``content/images``.

    ``url`` is the address as the browser reads it (entities already decoded). Percent-escapes
    are decoded first, because a browser treats ``%2e%2e`` as ``..``.
    """
    path = unquote(url.split("#")[0].split("?")[0])
    if not path or "\\" in path or path.startswith("/") or re.search(r"[\x00-\x20\x7f]", path.strip()):
        return None
    if ":" in path.split("/")[0]:
        return None  # a scheme: another host, data:, javascript:…
    if ".." in path.split("/"):
        return None
    if is_hidden(path):
        return None  # hidden files and folders are never published (see publish.images)
    normal = posixpath.normpath(path.strip())
    if not normal.startswith(IMAGE_FOLDER + "/"):
        return None
    return normal


def is_hidden(path: str) -> bool:
    """Whether a path names a hidden file or passes a hidden folder (``.x.png``, ``.d/x.png``)."""
    return any(part.startswith(".") and part not in (".", "..") for part in path.split("/"))


@dataclass(frozen=True)
class Rendered:
    """What Markdown made of a text, before sanitising: for the source scan and the comparison."""

    html: str
    raw_fragments: tuple[str, ...] = ()  # raw HTML passed through, in stash order
    urls: tuple[tuple[str, str], ...] = ()  # (tag, address) of every a / img
    headings: tuple[int, ...] = ()  # levels of Markdown headings


class _CollectUrls(Treeprocessor):
    """Records every link and image address the renderer produced, whatever the Markdown form."""

    def __init__(self, md: markdown.Markdown, sink: list[tuple[str, str]], headings: list[int]) -> None:
        super().__init__(md)
        self.sink = sink
        self.headings = headings

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                self.sink.append(("a", element.get("href", "")))
            elif element.tag == "img":
                self.sink.append(("img", element.get("src", "")))
            elif isinstance(element.tag, str) and re.fullmatch(r"h[1-6]", element.tag):
                self.headings.append(int(element.tag[1]))


_BRACKET = re.compile(r"[\[\]]")


def _link_text(data: str, index: int) -> tuple[str, int, bool]:
    """``LinkInlineProcessor.getText`` with the same result, scanning with a regex, not per character.

    Python-Markdown walks to the matching "]" one character at a time in Python, for every "[",
    which made a paragraph of brackets take minutes; this visits only the brackets.
    """
    depth = 1
    for match in _BRACKET.finditer(data, index):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return data[index : match.start()], match.end(), True
    return data[index:], len(data), False


class _Markdown:
    """One reusable Python-Markdown instance with the project's settings, instrumented."""

    def __init__(self) -> None:
        # Content Markdown gets no attr_list, no fenced code and no raw-HTML extensions.
        self.md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        self.urls: list[tuple[str, str]] = []
        self.headings: list[int] = []
        # After "unescape" (priority 0), so backslash escapes are resolved in the addresses.
        self.md.treeprocessors.register(_CollectUrls(self.md, self.urls, self.headings), "collect-urls", -10)
        for processor in self.md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor):
                processor.getText = _link_text  # type: ignore[method-assign]

    def convert(self, text: str) -> Rendered:
        self.md.reset()
        self.urls.clear()
        self.headings.clear()
        out = self.md.convert(_CJK_BREAK.sub("", text))
        fragments = tuple(str(f) for f in self.md.htmlStash.rawHtmlBlocks)
        return Rendered(out, fragments, tuple(self.urls), tuple(self.headings))


@functools.lru_cache(maxsize=1)
def _markdown() -> _Markdown:
    return _Markdown()


@functools.lru_cache(maxsize=32768)
def markdown_only(text: str) -> Rendered:
    """Markdown's own output, unsanitised: never published, only compared and scanned.

    Kept for the process: ``catalog build`` checks every Markdown field, then renders the same
    texts into pages (Python-Markdown is most of a page's own rendering time)."""
    return _markdown().convert(text)


def _attribute_filter(images_url: str | None) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            target = image_target(value)
            if target is None:
                return None
            if images_url is None:
                return value  # check time: unchanged when it is allowed
            # Percent-encoded: a file named "a#b.png" or "a?.png" is that file, not a fragment or query.
            return images_url + quote(target[len(IMAGE_FOLDER) + 1 :], safe="/")
        if tag == "ol" and attr == "start":
            return value if value.isascii() and value.isdigit() and len(value) <= 6 else None
        return value

    return keep


@functools.lru_cache(maxsize=64)
def _cleaner(images_url: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(images_url),
        strip_comments=True,
        # Links keep exactly what Markdown wrote (no target=_blank, so no rel is needed), which
        # also lets ``catalog check`` compare the sanitised output with Markdown's own.
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
    )


def sanitise(html: str, images_url: str | None = None) -> str:
    """Only the allow-listed markup of ``html``; image addresses rewritten to ``images_url``.

    ``images_url`` is the published images folder relative to the page (ending in "/"); ``None``
    keeps allowed image addresses as written (for comparing with Markdown's output).
    """
    return _cleaner(images_url).clean(html)


def render(text: str, images_url: str | None = None) -> str:
    """A content Markdown text as sanitised HTML: the only way content Markdown reaches a page."""
    return sanitise(markdown_only(text).html, images_url)
