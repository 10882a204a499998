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
import math
import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import cache, charts, model, printing, safe_html, schema, site_files, structured
from .model import Catalog
from .urls import fixed_pages, item_folders, relative_url, src_of, url_of

__all__ = ["Page", "Renderer", "relative_url", "render_site", "reserved_ids", "src_of", "url_of"]

TEMPLATES = site_files.PAGES
IMAGES_URL = "images"  # content/images/x.jpg is published as images/x.jpg


@dataclass(frozen=True)
class Page:
    src_uri: str
    title: str  # plain text; escaped when written
    template: str
    context: dict[str, Any]
    source: str = ""  # the data file behind the page, shown to editors
    # Everything the page shows besides the catalogue-wide data (program, modules, tags) and the
    # templates: a page whose deps equal those of its last rendering is not rendered again (serve).
    # None: always rendered.
    deps: Any = None
    kind: str = ""  # the page's kind in urls.LAYOUT ("course", "finder", …)


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


# Lists longer than this are split into numbered pages of this many items (the bundled
# catalogue's longest list, the finder's 219 courses, stays one page). A tag with more courses
# than TAG_INLINE shows its first TAG_SHOWN on the tags page and links to its own list pages.
PAGE_SIZE = 240
TAG_INLINE = 30
TAG_SHOWN = 20
FINDER_CHUNK = 500  # courses per data file of the finder's script (paginated finder only)
FINDER_TEXT = "finder/text.json"  # keyword text of the one-page finder, in list order


@dataclass(frozen=True)
class Pager:
    """Where a page is in a list split into pages: for the numbered navigation."""

    kind: str
    ident: str
    number: int
    count: int
    label: str  # what is paged, for the navigation's accessible name

    def src(self, number: int) -> str:
        return src_of(self.kind, self.ident, number)

    def window(self) -> list[int | None]:
        """Page numbers to link: first, last and two either side of this one; None for a gap."""
        keep = {1, self.count, *range(self.number - 2, self.number + 3)}
        out: list[int | None] = []
        for n in range(1, self.count + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out


def split(items: list[Any], size: int) -> list[list[Any]]:
    """A list in pages of ``size``; a list that fits in one page stays whole (also when empty)."""
    if len(items) <= size:
        return [items]
    return [items[start : start + size] for start in range(0, len(items), size)]


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


class Renderer:
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
        self._pinyin = cache.Memo.open(root, "pinyin", _pinyin_version(), prune=False) if root is not None else None
        self.env = _environment(templates)
        self._groups: (
            tuple[dict[tuple[frozenset[str], str], list[str]], dict[str, list[tuple[frozenset[str], str]]]] | None
        ) = None
        self._with_tag: dict[str, list[model.Course]] | None = None

    def markdown(self, text: str, here: str) -> Markup:
        # Every Markdown field of every page type goes through the one sanitising renderer.
        return Markup(safe_html.render(text, relative_url(here, IMAGES_URL + "/")))

    def pages(self) -> list[Page]:
        c = self.catalog
        modules = c.ordered_modules()
        contexts: dict[str, dict[str, Any]] = {
            "home": {"modules": modules},
            "about": {"charts": charts.about_charts(c)},
            "sessions": {"sessions": self.sessions_in_order()},
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
            shown = (parent, [c.courses[k] for k in ids])  # see handout.html
            src = src_of(f"{kind}-handout", parent.id)
            pages.append(Page(src, f"{name} · 课程讲义", "handout.html", context, "", shown, f"{kind}-handout"))
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

    def module_pages(self) -> list[Page]:
        c = self.catalog
        pages = []
        for m in c.ordered_modules():
            levels = by_level([c.courses[k] for k in c.courses_by_module.get(m.id, ())])
            flat = [course for _, group in levels for course in group]
            cases = [c.cases[k] for k in c.cases_by_module.get(m.id, ())]
            # The ItemList (structured data) of every page lists all the module's courses.
            deps = (cases, tuple(structured.module_course_ids(c, m.id)))
            pages += self.paged(
                "module", m.id, m.name, "module.html", {"module": m}, flat, m.location.path, "本模块课程", deps
            )
        return pages

    def course_pages(self) -> list[Page]:
        pages = []
        for course in self.catalog.courses.values():
            context: dict[str, Any] = {"course": course}
            source = course.location.path
            pages.append(
                Page(
                    src_of("course", course.id),
                    course.title,
                    "course.html",
                    context,
                    source,
                    self.course_deps(course),
                    "course",
                )
            )
        return pages

    def instructor_pages(self) -> list[Page]:
        c = self.catalog
        pages = []
        for i in c.instructors.values():
            taught = [c.courses[k] for k in c.courses_by_instructor.get(i.id, ())]
            pages += self.paged(
                "instructor", i.id, i.name, "instructor.html", {"instructor": i}, taught, i.location.path, "主讲课程"
            )
        return pages

    def course_deps(self, course: model.Course) -> tuple[Any, ...]:
        """What a course page shows of other files (see course.html)."""
        c = self.catalog
        return (
            course,
            [c.instructors[i] for i in course.instructors],
            [c.courses[k] for k in course.prerequisites],
            [c.courses[k] for k in c.followers.get(course.id, ())],
            [c.paths[k] for k in c.paths_by_course.get(course.id, ())],
            [c.cases[k] for k in c.cases_by_course.get(course.id, ())],
            self.related_courses(course),
        )

    def paged(
        self,
        kind: str,
        ident: str,
        title: str,
        template: str,
        context: dict[str, Any],
        items: list[Any],
        source: str = "",
        label: str = "",
        deps: tuple[Any, ...] = (),
    ) -> list[Page]:
        """A list page, split into numbered pages when the list is longer than the page size.

        Each page gets ``items`` (its part of the list), ``pager`` (None when not split) and
        ``first`` (whether it is page 1, which alone carries the introduction). ``deps``: what the
        template shows besides its context (see ``Page.deps``)."""
        parts = split(items, self.page_size)
        out = []
        for number, part in enumerate(parts, 1):
            pager = Pager(kind, ident, number, len(parts), label or title) if len(parts) > 1 else None
            page_title = title if number == 1 else f"{title}（第 {number} 页）"
            extra = {"items": part, "pager": pager, "first": number == 1}
            page_deps = (tuple(context.values()), part, pager, deps)
            src = src_of(kind, ident, number)
            out.append(Page(src, page_title, template, {**context, **extra}, source, page_deps, kind))
        return out

    def finder_order(self) -> list[model.Course]:
        c = self.catalog
        return [c.courses[k] for m in c.ordered_modules() for k in c.courses_by_module.get(m.id, ())]

    def finder_pages(self) -> list[Page]:
        modules = self.catalog.ordered_modules()
        courses = self.finder_order()
        chunks = math.ceil(len(courses) / FINDER_CHUNK) if len(courses) > self.page_size else 0
        context = {"modules": modules, "facets": self.facets(), "chunks": chunks}
        pages = self.paged(
            "finder", "", "课程检索", "finder.html", context, courses, label="课程列表", deps=(len(courses),)
        )
        if len(pages) == 1:
            pages = [dataclasses.replace(pages[0], deps=None)]  # the whole list: always rendered
        for page in pages:
            part: list[model.Course] = page.context["items"]
            if page.context["pager"] is None:
                groups = [
                    (m, [self.catalog.courses[k] for k in self.catalog.courses_by_module.get(m.id, ())])
                    for m in modules
                ]
            else:
                groups = [(m, [x for x in part if x.module == m.id]) for m in modules]
                groups = [(m, group) for m, group in groups if group]
            page.context["groups"] = groups
        return pages

    def finder_data(self) -> dict[str, bytes]:
        """The finder's data files, which its script fetches when first needed, not with the page.

        The whole list in one page: ``finder/text.json``, each course's keyword text (tag names,
        title pinyin) in list order, fetched when the keyword box is first used (as attributes of
        every item it was a quarter of the page). A paginated finder: every course's facets and
        text, in fixed-size chunks, fetched when the filters are first used."""
        courses = self.finder_order()
        files = {}
        if len(courses) <= self.page_size:
            texts = [self.finder_text(course) for course in courses]
            files[FINDER_TEXT] = json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if self._pinyin is not None:
                self._pinyin.save()
            return files
        for number, start in enumerate(range(0, len(courses), FINDER_CHUNK)):
            rows = []
            for course in courses[start : start + FINDER_CHUNK]:
                module = self.catalog.modules[course.module]
                meta = (
                    f"{module.name} · {course.level} · {course.format} · {format_hours(course.hours)} · "
                    + "、".join(course.audience)
                )
                rows.append(
                    [
                        url_of(src_of("course", course.id)),
                        course.title,
                        course.module,
                        "|".join(course.audience),
                        course.level,
                        course.format,
                        course.hours,
                        "|".join(course.tags),
                        self.finder_text(course),
                        meta,
                        course.summary,
                    ]
                )
            data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            files[f"finder/data-{number}.json"] = data
        if self._pinyin is not None:
            self._pinyin.save()
        return files

    def tag_pages(self) -> list[Page]:
        """The tags page (every tag, always one page) and, for big tags, each tag's own list."""
        pages = [Page(src_of("tags"), "课程标签", "tags.html", {}, kind="tags")]
        for tag in sorted(self.catalog.tags.values(), key=lambda t: t.id):
            courses = self.courses_with_tag(tag.id)
            if len(courses) > TAG_INLINE:
                title = f"标签：{tag.name}"
                pages += self.paged(
                    "tag", tag.id, title, "tag.html", {"tag": tag}, courses, label=title, deps=(len(courses),)
                )
        return pages

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
            "related_courses": self.related_courses,
            "related_cases": self.related_cases,
            "by_level": by_level,
            "hours": format_hours,
            "place": str,
            "courses_with_tag": self.courses_with_tag,
            "src": src_of,
            "tag_inline": TAG_INLINE,
            "tag_shown": TAG_SHOWN,
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
        for page in self.pages():
            if previous is not None and page.deps is not None:
                kept = previous.pages.get(page.src_uri)
                if kept is not None and kept[0] == page.deps:
                    rendered[page.src_uri] = kept[1]
                    reused += 1
                    continue
            rendered[page.src_uri] = self.render(page)
            if previous is not None and page.deps is not None:
                previous.pages[page.src_uri] = (page.deps, rendered[page.src_uri])
        if previous is not None:
            previous.stamp = stamp
            for gone in set(previous.pages) - set(rendered):
                del previous.pages[gone]
            previous.rendered, previous.reused = len(rendered) - reused, reused
        if self._pinyin is not None:
            self._pinyin.save()
        return rendered

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

    # ----------------------------------------------------------------- derived lists

    def sessions_in_order(self) -> list[model.Session]:
        # Dated sessions by date; undated ones after them, by id: their order is unknown.
        return sorted(self.catalog.sessions.values(), key=lambda s: (not s.date, s.date, s.id))

    def related_courses(self, course: model.Course, limit: int = 4) -> list[model.Course]:
        """Courses sharing tags, same module first; excludes prerequisites and followers.

        Ranked by shared tags * 2 + same module, then id. Courses are grouped by (tag set,
        module), so a course is compared with the groups sharing one of its tags, not with every
        other course: the cost per page stays flat as the catalogue grows.
        """
        c = self.catalog
        groups, by_tag = self._tag_groups()
        linked = {course.id, *course.prerequisites, *c.followers.get(course.id, ())}
        tags = set(course.tags)
        levels: dict[int, list[tuple[frozenset[str], str]]] = {}
        for key in {k for t in tags for k in by_tag.get(t, ())}:
            score = 2 * len(key[0] & tags) + (key[1] == course.module)
            levels.setdefault(score, []).append(key)
        out: list[str] = []
        for score in sorted(levels, reverse=True):
            ids: list[str] = []
            for key in levels[score]:
                ids.extend([cid for cid in groups[key] if cid not in linked][: limit - len(out)])
            out.extend(sorted(ids)[: limit - len(out)])
            if len(out) >= limit:
                break
        return [c.courses[cid] for cid in out]

    def _tag_groups(
        self,
    ) -> tuple[dict[tuple[frozenset[str], str], list[str]], dict[str, list[tuple[frozenset[str], str]]]]:
        if self._groups is None:
            groups: dict[tuple[frozenset[str], str], list[str]] = {}
            for course in sorted(self.catalog.courses.values(), key=lambda x: x.id):
                groups.setdefault((frozenset(course.tags), course.module), []).append(course.id)
            by_tag: dict[str, list[tuple[frozenset[str], str]]] = {}
            for key in groups:
                for tag in key[0]:
                    by_tag.setdefault(tag, []).append(key)
            self._groups = (groups, by_tag)
        return self._groups

    def facets(self) -> list[dict[str, Any]]:
        """The course finder's filters: (value, label) options in a meaningful order."""
        c = self.catalog
        uses = Counter(t for course in c.courses.values() for t in set(course.tags))
        used_tags = sorted(uses, key=lambda t: (-uses[t], t))
        return [
            {
                "name": "module",
                "label": "教学模块",
                "open": True,
                "options": [(m.id, m.name) for m in c.ordered_modules()],
            },
            {"name": "audience", "label": "适合对象", "open": True, "options": [(a, a) for a in schema.AUDIENCES]},
            {"name": "level", "label": "难度", "open": True, "options": [(lv, lv) for lv in schema.LEVELS]},
            {"name": "format", "label": "授课形式", "open": False, "options": [(f, f) for f in schema.FORMATS]},
            {
                "name": "hours",
                "label": "学时",
                "open": False,
                "options": [(f"{lo}-{hi}", label) for lo, hi, label in HOUR_RANGES],
            },
            {"name": "tag", "label": "标签", "open": False, "options": [(t, c.tags[t].name) for t in used_tags]},
        ]

    def finder_text(self, course: model.Course) -> str:
        """What the finder's keyword box searches besides the visible text: tag names, title pinyin."""
        tags = " ".join(self.catalog.tags[t].name for t in course.tags)
        if self._pinyin is None:
            return f"{tags} {title_pinyin(course.title)}".lower()
        pinyin = self._pinyin.get(course.title, lambda: title_pinyin(course.title))
        return f"{tags} {pinyin}".lower()

    def courses_with_tag(self, tag: str) -> list[model.Course]:
        if self._with_tag is None:
            self._with_tag = {}
            for course in sorted(self.catalog.courses.values(), key=lambda c: c.id):
                for t in dict.fromkeys(course.tags):
                    self._with_tag.setdefault(t, []).append(course)
        return self._with_tag.get(tag, [])

    def related_cases(self, case: model.Case, limit: int = 3) -> list[model.Case]:
        c = self.catalog
        modules = set(case.modules) | {c.courses[k].module for k in case.courses}
        out = []
        for other in sorted(c.cases.values(), key=lambda x: x.id):
            if other.id == case.id:
                continue
            other_modules = set(other.modules) | {c.courses[k].module for k in other.courses}
            same_place = bool(case.place.province) and other.place.province == case.place.province
            if same_place or modules & other_modules:
                out.append(other)
        return out[:limit]


def by_level(courses: list[model.Course]) -> list[tuple[str, list[model.Course]]]:
    groups: dict[str, list[model.Course]] = {}
    for course in sorted(courses, key=lambda c: (schema.LEVEL_RANK[c.level], c.id)):
        groups.setdefault(course.level, []).append(course)
    return list(groups.items())


# Hour ranges of the finder: (exclusive lower bound, inclusive upper bound, label).
HOUR_RANGES = ((0, 4, "4 学时以内"), (4, 8, "4 至 8 学时"), (8, 16, "8 至 16 学时"), (16, 1000, "16 学时以上"))


def title_pinyin(title: str) -> str:
    """Full pinyin and initials of a title's Chinese characters, for typing without a Chinese IME."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(title, errors="ignore")
    return "".join(syllables) + " " + "".join(s[0] for s in syllables if s)


def format_hours(value: float) -> str:
    return f"{value:g} 学时"


def split_front_matter(page: str) -> tuple[str, str]:
    """A rendered page as (front matter block, HTML body)."""
    end = page.index("\n---\n", 4) + len("\n---\n")
    return page[:end], page[end:].strip("\n")


def format_count(value: int) -> str:
    """A head count as the report writes it: 100000 is “10 万”."""
    return f"{value // 10000} 万" if value >= 10000 and value % 10000 == 0 else f"{value:,}"


def sources_of(items: Iterable[model.Program | model.Session | model.Case]) -> list[model.Source]:
    """The citations behind some fact-bearing items, each once, in order of first use."""
    out: list[model.Source] = []
    for item in items:
        out += [s for s in item.sources if s not in out]
    return out


def render_site(catalog: Catalog, site_url: str = "", root: Path | None = None) -> dict[str, str]:
    """All generated pages of a catalogue, by source URI, in sorted order (``root``: keep caches)."""
    return Renderer(catalog, root=root, site_url=site_url).render_all()


def _pinyin_version() -> str:
    import pypinyin

    return f"{pypinyin.__version__} {title_pinyin.__code__.co_code.hex()}"
