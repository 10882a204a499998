"""The catalogue to pages: ``{src_uri: markdown}``, rendered from the Jinja templates.

Every generated page is Markdown whose body is HTML from templates with autoescaping on, so any
value from a data file reaches the page as text. Page titles are HTML-escaped as well, because
MkDocs and the theme print titles into the navigation without escaping them.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import charts, model, printing, safe_html, schema, site_files, structured
from .model import LEVEL_ORDER, Catalog
from .urls import fixed_pages, item_folder, relative_url, src_of, url_of

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


@functools.cache  # asked once per content file; the answer depends only on the generator
def reserved_ids(kind: str) -> Mapping[str, str]:
    """Ids a content type may not use, each with the page it would collide with.

    An item's page is ``<folder>/<id>.md``; MkDocs publishes ``<folder>/index.md`` as the
    folder's own page, and the generator makes fixed pages in some folders (the case list
    at ``cases/index.md``, …). An id that names any of them would replace that page.
    """
    folder = item_folder(kind)
    if folder is None:
        return MappingProxyType({})
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


class Renderer:
    """Renders the catalogue's pages from the packaged templates (``generator/site/pages``)."""

    def __init__(self, catalog: Catalog, templates: Path = TEMPLATES, site_url: str = "") -> None:
        self.catalog = catalog
        # The public address (mkdocs.yml site_url): makes structured data and QR codes absolute.
        self.site_url = site_url
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["lookup"] = lambda ids, table: [table[i] for i in ids]

    def markdown(self, text: str, here: str) -> Markup:
        # Every Markdown field of every page type goes through the one sanitising renderer.
        return Markup(safe_html.render(text, relative_url(here, IMAGES_URL + "/")))

    def pages(self) -> list[Page]:
        c = self.catalog
        modules = c.ordered_modules()
        contexts: dict[str, dict[str, Any]] = {
            "home": {"modules": modules},
            "about": {"charts": charts.about_charts(c)},
            "finder": {"modules": modules, "facets": self.facets()},
            "sessions": {"sessions": self.sessions_in_order()},
        }
        pages = [
            Page(src_of(kind), title or c.program.name, template, contexts.get(kind, {}), kind=kind)
            for kind, title, template in FIXED_PAGES
        ]
        items: list[tuple[str, Any, str, str]] = [
            *(("module", m, m.name, "module.html") for m in modules),
            *(("course", x, x.title, "course.html") for x in c.courses.values()),
            *(("instructor", i, i.name, "instructor.html") for i in c.instructors.values()),
            *(("case", x, x.title, "case.html") for x in c.cases.values()),
            *(("path", p, p.title, "path.html") for p in c.paths.values()),
        ]
        for kind, item, title, template in items:
            pages.append(Page(src_of(kind, item.id), title, template, {kind: item}, item.location.path, kind))
        # Printable handouts: a module's or a path's courses, each with a QR code to its page.
        for m in modules:
            ids = structured.module_course_ids(c, m.id)
            pages.append(
                Page(
                    src_of("module-handout", m.id),
                    f"{m.name} · 课程讲义",
                    "handout.html",
                    {"parent": m, "kind": "module", "course_ids": ids},
                    kind="module-handout",
                )
            )
        for p in c.paths.values():
            ids = [s.course for s in p.steps]
            pages.append(
                Page(
                    src_of("path-handout", p.id),
                    f"{p.title} · 课程讲义",
                    "handout.html",
                    {"parent": p, "kind": "path", "course_ids": ids},
                    kind="path-handout",
                )
            )
        return sorted(pages, key=lambda p: p.src_uri)

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
            # Templates link a page as href(src(kind, id)): its path is spelled only in urls.LAYOUT.
            "src": src_of,
            "md": md,
            "related_courses": self.related_courses,
            "related_cases": self.related_cases,
            "by_level": by_level,
            "hours": format_hours,
            "place": str,
            "courses_with_tag": self.courses_with_tag,
            "finder_text": self.finder_text,
            "sources_of": sources_of,
            "subject_labels": schema.SUBJECT_LABELS,
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

    def render_all(self) -> dict[str, str]:
        return {page.src_uri: self.render(page) for page in self.pages()}

    # ----------------------------------------------------------------- derived lists

    def sessions_in_order(self) -> list[model.Session]:
        # Dated sessions by date; undated ones after them, by id: their order is unknown.
        return sorted(self.catalog.sessions.values(), key=lambda s: (not s.date, s.date, s.id))

    def related_courses(self, course: model.Course, limit: int = 4) -> list[model.Course]:
        """Courses sharing tags, same module first; excludes prerequisites and followers."""
        c = self.catalog
        linked = {course.id, *course.prerequisites, *c.followers.get(course.id, ())}
        scored = []
        for other in c.courses.values():
            if other.id in linked:
                continue
            shared = len(set(course.tags) & set(other.tags))
            score = shared * 2 + (other.module == course.module)
            if shared:
                scored.append((-score, other.id, other))
        return [o for _, _, o in sorted(scored)[:limit]]

    def facets(self) -> list[dict[str, Any]]:
        """The course finder's filters: (value, label) options in a meaningful order."""
        c = self.catalog
        used_tags = sorted(
            {t for course in c.courses.values() for t in course.tags},
            key=lambda t: (-sum(t in x.tags for x in c.courses.values()), t),
        )
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
        return f"{tags} {title_pinyin(course.title)}".lower()

    def courses_with_tag(self, tag: str) -> list[model.Course]:
        return sorted((c for c in self.catalog.courses.values() if tag in c.tags), key=lambda c: c.id)

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
    for course in sorted(courses, key=lambda c: (LEVEL_ORDER[c.level], c.id)):
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


def format_count(value: int) -> str:
    """A head count as the report writes it: 100000 is “10 万”."""
    return f"{value // 10000} 万" if value >= 10000 and value % 10000 == 0 else f"{value:,}"


def sources_of(items: Iterable[model.Program | model.Session | model.Case]) -> list[model.Source]:
    """The citations behind some fact-bearing items, each once, in order of first use."""
    out: list[model.Source] = []
    for item in items:
        out += [s for s in item.sources if s not in out]
    return out


def render_site(catalog: Catalog, site_url: str = "") -> dict[str, str]:
    """All generated pages of a catalogue, by source URI, in sorted order."""
    return Renderer(catalog, site_url=site_url).render_all()
