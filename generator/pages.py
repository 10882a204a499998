"""The catalogue to pages: ``{src_uri: markdown}``, rendered from the Jinja templates.

Every generated page is Markdown whose body is HTML from templates with autoescaping on, so any
value from a data file reaches the page as text. Page titles are HTML-escaped as well, because
MkDocs and the theme print titles into the navigation without escaping them.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import cache, charts, extensions, listings, paging, printing, safe_html, schema, site_files, structured
from .listings import by_level, format_count, format_hours, sources_of
from .model import Catalog
from .paging import PAGE_SIZE, ListPages, Page
from .urls import fixed_pages, item_folders, relative_url, src_of, url_of

__all__ = ["PAGE_SIZE", "Page", "Renderer", "relative_url", "render_site", "reserved_ids", "src_of", "url_of"]

TEMPLATES = site_files.PAGES
IMAGES_URL = "images"  # content/images/x.jpg is published as images/x.jpg


# Pages made whatever the content: (kind, title or "" for the programme's name, template).
FIXED_PAGES = (
    ("home", "", "home.html"),
    ("about", "关于本站", "about.html"),
    ("finder", "课程检索", "finder.html"),
    ("tags", "课程标签", "tags.html"),
    ("sessions", "培训场次", "sessions.html"),
    ("cases", "成功案例", "cases.html"),
    ("instructors", "讲师", "instructors.html"),
    ("paths", "学习路径", "paths.html"),
    ("search", "搜索", "search.html"),
)


def list_src(ctype: schema.ContentType) -> str:
    """The page listing every item of a type declared with ``list_page``."""
    return src_of(f"{ctype.name}-list")


def reserved_ids(kind: str) -> Mapping[str, str]:
    """Ids a content type may not use, each with the page it would collide with.

    An item's page is ``<folder>/<id>.md``; MkDocs publishes ``<folder>/index.md`` as the
    folder's own page, and the generator makes fixed pages in some folders (the case list
    at ``cases/index.md``, …). An id that names any of them would replace that page.
    """
    folder = item_folders().get(kind)
    return _reserved_in(folder) if folder is not None else MappingProxyType({})


@functools.cache  # asked once per content file; the answer depends only on the generator
def _reserved_in(folder: str) -> Mapping[str, str]:
    reserved = {"index": f"{folder}/"}
    for src in fixed_pages().values():
        parent, name = posixpath.split(src)
        if parent == folder:
            reserved[posixpath.splitext(name)[0]] = url_of(src)
    static = site_files.STATIC / folder  # files MkDocs copies from the docs folder
    if static.is_dir():
        for path in static.iterdir():
            reserved[path.stem] = f"{folder}/{path.name}"
    return MappingProxyType(reserved)


@dataclass
class RenderCache:
    """Pages rendered by the last build, with what they were rendered from (``catalog serve``)."""

    stamp: tuple[Any, ...] = ()
    pages: dict[str, tuple[Any, str]] = dataclasses.field(default_factory=dict)
    rendered: int = 0
    reused: int = 0


_ENVIRONMENTS: dict[tuple[str, ...], Environment] = {}


def _environment(templates: Path) -> Environment:
    """One Jinja environment per template folders and process: templates compile once (Jinja
    reloads a template whose file changed), which matters for ``catalog serve`` rebuilds. A type's
    own template folder (``templates`` in its declaration) comes after: it adds templates, never
    replaces one."""
    folders = (str(templates), *(t.templates for t in schema.CONTENT_TYPES.values() if t.templates))
    env = _ENVIRONMENTS.get(folders)
    if env is None:
        env = _ENVIRONMENTS[folders] = Environment(
            loader=FileSystemLoader(folders),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["lookup"] = lambda ids, table: [table[i] for i in ids]
    return env


class Renderer(ListPages):
    """Renders the catalogue's pages from the packaged templates (``generator/site/pages``)."""

    def __init__(
        self,
        catalog: Catalog,
        templates: Path = TEMPLATES,
        root: Path | None = None,
        page_size: int = PAGE_SIZE,
        site_url: str = "",
    ) -> None:
        self.catalog = catalog
        self.page_size = page_size
        # The public address (mkdocs.yml site_url): makes structured data and QR codes absolute.
        self.site_url = site_url
        # Title pinyin is slow to compute and never changes for a title: kept between builds.
        pinyin = cache.Memo.open(root, "pinyin", listings.pinyin_version(), prune=False) if root is not None else None
        self.lists = listings.Listings(catalog, pinyin)
        self.env = _environment(templates)
        self.root = root

    def markdown(self, text: str, here: str) -> Markup:
        # Every Markdown field of every page type goes through the one sanitising renderer.
        return Markup(safe_html.render(text, relative_url(here, IMAGES_URL + "/")))

    def pages(self) -> list[Page]:
        c = self.catalog
        modules = c.ordered_modules()
        contexts: dict[str, dict[str, Any]] = {
            "home": {"modules": modules},
            "about": {"charts": charts.about_charts(c)},
            "sessions": {"sessions": self.lists.sessions_in_order()},
            "cases": {},
            "instructors": {},
            "paths": {},
            "search": {},
        }  # the finder and the tags pages: see finder_pages and tag_pages
        pages = [
            Page(src_of(kind), title or c.program.name, template, contexts[kind], kind=kind)
            for kind, title, template in FIXED_PAGES
            if kind in contexts
        ]
        pages += self.finder_pages()
        pages += self.tag_pages()
        # One page per item of each type declared with item_pages. Types whose pages list other
        # items (split into numbered pages, with what they show for the preview) have a maker of
        # their own; any other type gets one page from its template, ``<type>.html``.
        makers = {"module": self.module_pages, "course": self.course_pages, "instructor": self.instructor_pages}
        for t in schema.CONTENT_TYPES.values():
            if t.item_pages:
                pages += makers[t.name]() if t.name in makers else self.item_pages(t)
            if t.list_page:
                pages.append(self.list_page(t))
        # Printable handouts: a module's or a path's courses, each with a QR code to its page.
        handouts: list[tuple[str, Any, str, list[str]]] = [
            *(("module", m, m.name, structured.module_course_ids(c, m.id)) for m in modules),
            *(("path", p, p.title, [s.course for s in p.steps]) for p in c.paths.values()),
        ]
        for kind, parent, name, ids in handouts:
            context = {"parent": parent, "kind": kind, "course_ids": ids}
            courses = [c.courses[k] for k in ids]
            pages += self.paged(
                f"{kind}-handout",
                parent.id,
                f"{name} · 课程讲义",
                "handout.html",
                context,
                courses,
                label="课程讲义",
                size=paging.HANDOUT_PAGE_SIZE,
            )
        return sorted(pages, key=lambda p: p.src_uri)

    def item_pages(self, t: schema.ContentType) -> list[Page]:
        """One page per item of a type, from its template; the item is named after its type."""
        out = []
        for item in self.catalog.items(t.name).values():
            src, title = src_of(t.name, item.id), getattr(item, t.title_field)
            out.append(Page(src, title, f"{t.name}.html", {t.name: item}, item.location.path, kind=t.name))
        return out

    def list_page(self, t: schema.ContentType) -> Page:
        """A type's list page (``list_page``): every item by id, in the layout of the other lists."""
        items = sorted(self.catalog.items(t.name).items())
        listed = [(src_of(t.name, ident), getattr(item, t.title_field)) for ident, item in items]
        return Page(list_src(t), t.label, "_items.html", {"items": listed}, kind=f"{t.name}-list")

    def render(self, page: Page) -> str:
        here = page.src_uri

        def href(to: str) -> str:
            return relative_url(here, to)

        def md(text: str) -> Markup:
            return self.markdown(text, here)

        context = {
            "catalog": self.catalog,
            "program": self.catalog.program,
            "page_title": page.title,
            "source_file": page.source,
            "href": href,
            "md": md,
            "related_courses": self.lists.related_courses,
            "related_cases": self.lists.related_cases,
            "by_level": by_level,
            "hours": format_hours,
            "place": str,
            "courses_with_tag": self.lists.courses_with_tag,
            "src": src_of,
            "tag_inline": paging.TAG_INLINE,
            "tag_shown": paging.TAG_SHOWN,
            "sources_of": sources_of,
            "subject_labels": schema.SUBJECT_LABELS,
            "content_types": schema.CONTENT_TYPES,  # the declaration: limits a page states come from it
            "count": format_count,
            "qr": self.qr_from(here),
            "chart_svg": charts.svg,
            "chart_table": charts.table,
            "public_url": self.link_from(here) if self.site_url else None,
            **page.context,
        }
        body = self.env.get_template(page.template).render(context).strip()
        if page.source and page.source in self.catalog.draft_files:
            # Drafts exist only in previews; every page type says so in the same place.
            body = self.env.get_template("_draft.html").render(source_file=page.source).strip() + "\n\n" + body
        # Front matter: the escaped title (see module docstring); generated pages hide the toc.
        # The theme prints front matter unescaped, so the description is escaped here as well.
        meta = structured.describe(
            page.kind, page.src_uri, page.title, page.context, self.catalog, self.link_from(here)
        )
        fields = {
            "title": html.escape(page.title, quote=False),
            "description": html.escape(meta.description),
            "og_type": meta.og_type,
            "jsonld": structured.jsonld_text(meta.jsonld),
        }
        front = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items() if v)
        return f"---\n{front}hide:\n  - toc\n---\n\n{body}\n"

    def qr_from(self, here: str) -> Any:
        """QR codes need the public address: without one (a local build) there is nothing to encode."""
        link = self.link_from(here)

        def qr(to: str, label: str = "") -> Markup:
            return printing.qr_svg(link(to), label) if self.site_url else Markup("")

        return qr

    def link_from(self, here: str) -> structured.Link:
        """Links for machines (structured data, QR codes): absolute when the public address is known."""

        def link(to: str) -> str:
            if not self.site_url:
                return relative_url(here, to)
            path, _, anchor = to.partition("#")
            return self.site_url.rstrip("/") + "/" + url_of(path) + (f"#{anchor}" if anchor else "")

        return link

    def render_all(self, previous: RenderCache | None = None) -> dict[str, str]:
        """Every page; with ``previous`` (the last build's), pages whose inputs did not change are
        taken from it, and ``previous`` is updated for the next build."""
        stamp = self.stamp()
        if previous is not None and previous.stamp != stamp:
            previous.pages.clear()
        rendered = {}
        reused = 0
        # Between builds, a page is kept on disk by a hash of the same inputs (see cache.Store).
        store = cache.Store(self.root, "pages") if self.root is not None else None
        if store is not None and store.folder is None:
            store = None  # no cache on disk: no keys to compute
        disk_stamp = self.disk_stamp() if store is not None else ""
        memo: dict[int, tuple[Any, str]] = {}
        for page in self.pages():
            if previous is not None and page.deps is not None:
                kept = previous.pages.get(page.src_uri)
                if kept is not None and kept[0] == page.deps:
                    rendered[page.src_uri] = kept[1]
                    reused += 1
                    continue
            # A page that declares no narrower inputs depends on the whole catalogue.
            deps = page.deps if page.deps is not None else self.catalog.inputs or None
            if store is not None and deps is not None:
                page_id = repr((page.src_uri, page.title, page.template, page.kind))
                key = store.key(disk_stamp, page_id, cache.fingerprint(deps, memo))
                rendered[page.src_uri] = store.get(key, functools.partial(self.render, page))
            else:
                rendered[page.src_uri] = self.render(page)
            if previous is not None and page.deps is not None:
                previous.pages[page.src_uri] = (page.deps, rendered[page.src_uri])
        if previous is not None:
            previous.stamp = stamp
            for gone in set(previous.pages) - set(rendered):
                del previous.pages[gone]
            previous.rendered, previous.reused = len(rendered) - reused, reused
        if store is not None:
            store.prune(keep=2 * len(rendered) + 100)  # a published and a preview build's pages
        self.lists.save()
        return rendered

    def disk_stamp(self) -> str:
        """``stamp`` as text that is the same in every process: template folders by content."""
        c = self.catalog
        parts: list[str | bytes] = [
            repr((c.program, list(c.modules.items()), list(c.tags.items()), sorted(c.draft_files))),
            repr((self.page_size, self.site_url)),
        ]
        loader = self.env.loader
        for folder in loader.searchpath if isinstance(loader, FileSystemLoader) else ():
            for path in sorted(Path(folder).rglob("*.html")):
                parts += [path.as_posix(), path.read_bytes()]
        types = self.root / extensions.TYPES_FILE if self.root is not None else None
        if types is not None and types.is_file():  # a project's own types: code its pages depend on
            parts.append(types.read_bytes())
        return cache.digest(*parts)

    def stamp(self) -> tuple[Any, ...]:
        """The catalogue-wide inputs of every page: when they change, everything is rendered again."""
        c = self.catalog
        folder = Path(self.env.loader.searchpath[0])  # type: ignore[union-attr]
        templates = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.html")))
        return (
            c.program,
            list(c.modules.items()),
            list(c.tags.items()),
            c.draft_files,
            self.page_size,
            self.site_url,
            templates,
        )


def split_front_matter(page: str) -> tuple[str, str]:
    """A rendered page as (front matter block, HTML body)."""
    end = page.index("\n---\n", 4) + len("\n---\n")
    return page[:end], page[end:].strip("\n")


def render_site(catalog: Catalog, site_url: str = "", root: Path | None = None) -> dict[str, str]:
    """All generated pages of a catalogue, by source URI, in sorted order (``root``: keep caches)."""
    return Renderer(catalog, root=root, site_url=site_url).render_all()
