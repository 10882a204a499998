"""Pages of lists that grow with the catalogue: modules, courses, instructors, the finder and tags.

Lists longer than ``PAGE_SIZE`` are split into numbered pages (``Pager``), and the finder's script
loads its data in files of ``FINDER_CHUNK`` courses, so no page grows with the catalogue. Kept
apart from ``pages`` (which renders any page) as the one place that decides how lists are cut.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any

from . import listings, model
from .listings import by_level, format_hours
from .model import Catalog
from .urls import src_of, url_of


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


# Lists longer than this are split into numbered pages of this many items (the bundled
# catalogue's longest list, the finder's 219 courses, stays one page). A tag with more courses
# than TAG_INLINE shows its first TAG_SHOWN on the tags page and links to its own list pages.
PAGE_SIZE = 240
TAG_INLINE = 30
TAG_SHOWN = 20
# A printable handout has a QR code per course (about 2.3 KB each with the public address), so
# its pages are shorter: 60 courses make about 175 KB; the bundled longest module (58) is one page.
HANDOUT_PAGE_SIZE = 60
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


class ListPages:
    """The list pages of a ``Renderer``: what it needs from the renderer is declared here."""

    catalog: Catalog
    page_size: int
    lists: listings.Listings

    def module_pages(self) -> list[Page]:
        c = self.catalog
        pages = []
        for m in c.ordered_modules():
            levels = by_level([c.courses[k] for k in c.courses_by_module.get(m.id, ())])
            flat = [course for _, group in levels for course in group]
            cases = [c.cases[k] for k in c.cases_by_module.get(m.id, ())]
            pages += self.paged(
                "module", m.id, m.name, "module.html", {"module": m}, flat, m.location.path, "本模块课程", (cases,)
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
            self.lists.related_courses(course),
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
        size: int = 0,
    ) -> list[Page]:
        """A list page, split into numbered pages when the list is longer than the page size.

        Each page gets ``items`` (its part of the list), ``pager`` (None when not split) and
        ``first`` (whether it is page 1, which alone carries the introduction). ``deps``: what the
        template shows besides its context (see ``Page.deps``). ``size``: a page size below the
        configured one (handouts)."""
        size = min(size or self.page_size, self.page_size)
        parts = split(items, size)
        out = []
        for number, part in enumerate(parts, 1):
            pager = Pager(kind, ident, number, len(parts), label or title) if len(parts) > 1 else None
            page_title = title if number == 1 else f"{title}（第 {number} 页）"
            extra = {"items": part, "pager": pager, "first": number == 1, "offset": (number - 1) * size}
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
        context = {"modules": modules, "facets": self.lists.facets(), "chunks": chunks}
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
            texts = [self.lists.finder_text(course) for course in courses]
            files[FINDER_TEXT] = json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            self.lists.save()
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
                        self.lists.finder_text(course),
                        meta,
                        course.summary,
                    ]
                )
            data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            files[f"finder/data-{number}.json"] = data
        self.lists.save()
        return files

    def tag_pages(self) -> list[Page]:
        """The tags page (every tag, always one page) and, for big tags, each tag's own list."""
        pages = [Page(src_of("tags"), "课程标签", "tags.html", {}, kind="tags")]
        for tag in sorted(self.catalog.tags.values(), key=lambda t: t.id):
            courses = self.lists.courses_with_tag(tag.id)
            if len(courses) > TAG_INLINE:
                title = f"标签：{tag.name}"
                pages += self.paged(
                    "tag", tag.id, title, "tag.html", {"tag": tag}, courses, label=title, deps=(len(courses),)
                )
        return pages
