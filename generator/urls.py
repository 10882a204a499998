"""Where every page lives: the one place a page's path is spelled.

A page is named by its kind and, for a content item, the item's id: ``src_of("course", "walnut")``
is ``courses/walnut.md``, MkDocs' source path of the page; ``url_of`` turns it into the directory
URL MkDocs publishes (``courses/walnut/``) and ``relative_url`` into a link from another page.
Templates, the navigation, the search index, structured data, open data, the feed and the
service worker all ask here, so changing the layout moves a page everywhere at once (a test
builds a site with another layout and follows every link).

The pages of the declared content types come from their declaration (``schema``): one page per
item under the type's collection (``courses/<id>.md``) and, for a type declared with
``list_page``, a list of them (kind ``<type>-list``). Every other page is in ``LAYOUT``.
"""

from __future__ import annotations

import functools
import posixpath

from . import schema

ID = "{id}"

# Page kind → source path, for the pages not derived from a content type's declaration; ``{id}``
# stands for an item's id.
LAYOUT: dict[str, str] = {
    "home": "index.md",
    "about": "about.md",
    "finder": "finder.md",
    "search": "search.md",
    "tags": "tags.md",
    "sessions": "sessions.md",
    "cases": "cases/index.md",
    "instructors": "instructors/index.md",
    "paths": "paths/index.md",
    "tag": "tags/{id}.md",  # a big tag's own course list (the tags page lists every tag)
    "module-handout": "handouts/modules/{id}.md",
    "path-handout": "handouts/paths/{id}.md",
}


def declared() -> dict[str, str]:
    """The pages of the declared content types, by kind (see the module docstring)."""
    out = {}
    for t in schema.CONTENT_TYPES.values():
        if t.item_pages:
            out[t.name] = f"{t.collection}/{ID}.md"
        if t.list_page:
            out[f"{t.name}-list"] = f"{t.collection}/index.md"
    return out


def layout() -> dict[str, str]:
    """Every page kind → its source path."""
    return _layout(tuple(schema.CONTENT_TYPES), id(LAYOUT), declared)


@functools.cache  # asked for every link: once per set of declared types (and per layout, in tests)
def _layout(types: tuple[str, ...], layout_id: int, derive: object) -> dict[str, str]:
    return {**declared(), **LAYOUT}


def src_of(kind: str, ident: str = "", number: int = 1) -> str:
    """The source path of a page: ``kind`` is a key of ``LAYOUT`` (a content type such as "course",
    or a page name such as "finder"), ``ident`` the item's id for a content type. ``number`` is the
    page of a list split into several: page 1 is the page itself, page n is ``<page>/n``."""
    pattern = layout()[kind]
    if (ID in pattern) != bool(ident):
        raise ValueError(f"page kind {kind!r} {'needs' if ID in pattern else 'takes no'} id (got {ident!r})")
    base = pattern.replace(ID, ident)
    return base if number == 1 else f"{base[: -len('.md')]}/{number}.md"


def item_folders() -> dict[str, str]:
    """The folder holding one page per item, by kind (``courses`` for "course"): the declared
    content types with item pages, and tags (a big tag's course list is a page of its own)."""
    return {
        kind: posixpath.dirname(p)
        for kind, p in layout().items()
        if p.endswith("/" + ID + ".md") and not kind.endswith("-handout")
    }


def item_folder(kind: str) -> str | None:
    """The folder holding one page per item of a kind, if any."""
    return item_folders().get(kind)


def fixed_pages() -> dict[str, str]:
    """The pages made whatever the content, by kind: source path."""
    return {kind: pattern for kind, pattern in layout().items() if ID not in pattern}


def url_of(src_uri: str) -> str:
    """The directory URL MkDocs gives a page, relative to the site root."""
    if src_uri == "index.md":
        return ""
    if src_uri.endswith("/index.md"):
        return src_uri[: -len("index.md")]
    return src_uri[: -len(".md")] + "/"


def page_url(kind: str, ident: str = "") -> str:
    """A page's URL relative to the site root (``courses/walnut/``; "" for the home page)."""
    return url_of(src_of(kind, ident))


def relative_url(from_src: str, to: str) -> str:
    """A link from one page to a page (``x.md``, optionally ``#anchor``) or a file path."""
    to, _, anchor = to.partition("#")
    is_page = to.endswith(".md")
    target = url_of(to) if is_page else to
    rel = _relpath(target, url_of(from_src))
    if is_page or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for two site paths (no "..", no leading "/"), without touching the disk."""
    to = [p for p in target.split("/") if p not in ("", ".")]
    here = [p for p in start.split("/") if p not in ("", ".")]
    same = 0
    while same < min(len(to), len(here)) and to[same] == here[same]:
        same += 1
    return posixpath.join(*([".."] * (len(here) - same) + to[same:])) if len(here) > same or len(to) > same else "."
