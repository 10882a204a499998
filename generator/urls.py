"""Where every page lives: the one place a page's path is spelled.

A page is named by its kind and, for a content item, the item's id: ``src_of("course", "walnut")``
is ``courses/walnut.md``, MkDocs' source path of the page; ``url_of`` turns it into the directory
URL MkDocs publishes (``courses/walnut/``) and ``relative_url`` into a link from another page.
Templates, the navigation, the search index, structured data, open data, the feed and the
service worker all ask here, so changing ``LAYOUT`` moves a page everywhere at once (a test
builds a site with another layout and follows every link).
"""

from __future__ import annotations

import posixpath

ID = "{id}"

# Page kind → source path; ``{id}`` stands for a content item's id.
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
    "module": "modules/{id}.md",
    "course": "courses/{id}.md",
    "instructor": "instructors/{id}.md",
    "case": "cases/{id}.md",
    "path": "paths/{id}.md",
    "tag": "tags/{id}.md",  # a big tag's own course list (the tags page lists every tag)
    "module-handout": "handouts/modules/{id}.md",
    "path-handout": "handouts/paths/{id}.md",
}


def src_of(kind: str, ident: str = "", number: int = 1) -> str:
    """The source path of a page: ``kind`` is a key of ``LAYOUT`` (a content type such as "course",
    or a page name such as "finder"), ``ident`` the item's id for a content type. ``number`` is the
    page of a list split into several: page 1 is the page itself, page n is ``<page>/n``."""
    pattern = LAYOUT[kind]
    if (ID in pattern) != bool(ident):
        raise ValueError(f"page kind {kind!r} {'needs' if ID in pattern else 'takes no'} id (got {ident!r})")
    base = pattern.replace(ID, ident)
    return base if number == 1 else f"{base[: -len('.md')]}/{number}.md"


def item_folder(kind: str) -> str | None:
    """The folder holding one page per item of a content type (``courses`` for "course"), if any."""
    pattern = LAYOUT.get(kind, "")
    return posixpath.dirname(pattern) if pattern.endswith("/" + ID + ".md") else None


def fixed_pages() -> dict[str, str]:
    """The pages made whatever the content, by kind: source path."""
    return {kind: pattern for kind, pattern in LAYOUT.items() if ID not in pattern}


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
