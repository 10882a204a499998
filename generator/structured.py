"""What a page says about itself to machines: description, Open Graph type and schema.org JSON-LD.

One function, ``describe``, serves every page type: the renderer puts its result into the page's
front matter and one theme template (``overrides/main.html``) prints it into ``<head>``. Nothing
is invented: a session without a date gets no Event, fictional instructors are not marked up as
people, and URLs are absolute only when the site's public address is known.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import model, schema
from .model import Catalog
from .urls import src_of

Link = Callable[[str], str]  # a page's src_uri (x.md, optionally #anchor) to the URL to publish

# Page kinds whose list page sits between the home page and their own page in breadcrumbs.
SECTIONS = {"path": ("学习路径", "paths"), "case": ("成功案例", "cases"), "instructor": ("讲师", "instructors")}


@dataclass(frozen=True)
class PageMeta:
    description: str
    og_type: str = "website"
    jsonld: list[dict[str, Any]] = field(default_factory=list)


def iso_duration(hours: float) -> str:
    """ISO 8601 duration of a number of hours: 6 -> PT6H, 1.5 -> PT1H30M."""
    minutes = round(hours * 60)
    h, m = divmod(minutes, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") if minutes else "PT0H"


def jsonld_text(nodes: list[dict[str, Any]]) -> str:
    """The JSON-LD script body: ``<``, ``>`` and ``&`` escaped so no data can close the script."""
    if not nodes:
        return ""
    doc = {"@context": "https://schema.org", "@graph": nodes}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def clip(text: str, limit: int = 120) -> str:
    """A one-paragraph description short enough for a search result or a chat preview."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def organization(catalog: Catalog, link: Link) -> dict[str, Any]:
    """The programme as the provider of every course; its organisers as organisations of their own."""
    p = catalog.program
    return {
        "@type": "Organization",
        "name": p.name,
        "url": link(src_of("home")),
        "description": p.tagline,
        "sponsor": [{"@type": "Organization", "name": name} for name in p.organizers],
    }


def course_node(course: model.Course, catalog: Catalog, link: Link) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": link(src_of("course", course.id)),
        "inLanguage": "zh-CN",
        "educationalLevel": schema.LEVEL_NAMES[course.level],
        "audience": [{"@type": "EducationalAudience", "educationalRole": a} for a in course.audience],
        "provider": {"@type": "Organization", "name": catalog.program.name, "url": link(src_of("home"))},
        "hasCourseInstance": [
            {
                "@type": "CourseInstance",
                "courseMode": schema.FORMAT_MODES[course.format],
                "courseWorkload": iso_duration(course.hours),
            }
        ],
        # The programme trains its leaders free of charge (program.yml: targets), so every course is free.
        "offers": [{"@type": "Offer", "category": "Free", "price": 0, "priceCurrency": "CNY"}],
        "about": [catalog.tags[t].name for t in course.tags],
    }
    if course.prerequisites:
        node["coursePrerequisites"] = [catalog.courses[p].title for p in course.prerequisites]
    return node


def item_list(name: str, course_ids: list[str], link: Link, offset: int = 0, total: int = 0) -> dict[str, Any]:
    """An ItemList of courses; on one page of a list split into pages, the courses of that page
    (``offset``: how many come before them, ``total``: the length of the whole list)."""
    return {
        "@type": "ItemList",
        "name": name,
        "numberOfItems": total or len(course_ids),
        "itemListElement": [
            {"@type": "ListItem", "position": n, "url": link(src_of("course", cid))}
            for n, cid in enumerate(course_ids, start=offset + 1)
        ],
    }


def page_item_list(name: str, context: dict[str, Any], total: int, link: Link) -> dict[str, Any]:
    """The ItemList of a list page: the courses it shows, never the whole catalogue (see paging)."""
    return item_list(name, [course.id for course in context["items"]], link, context["offset"], total)


def breadcrumbs(trail: list[tuple[str, str]], link: Link) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": link(src)}
            for n, (name, src) in enumerate(trail, start=1)
        ],
    }


def session_event(session: model.Session, catalog: Catalog, link: Link) -> dict[str, Any] | None:
    """An Event for a session with a date (as precise as the source gives it), else nothing."""
    if not session.date:
        return None
    event: dict[str, Any] = {
        "@type": "Event",
        "name": session.title,
        "description": session.theme,
        "startDate": session.date,
        "url": link(src_of("sessions") + f"#{session.id}"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "organizer": [{"@type": "Organization", "name": name} for name in catalog.program.organizers],
    }
    if str(session.place):
        address = {"@type": "PostalAddress", "addressCountry": "CN"}
        if session.place.province:
            address["addressRegion"] = session.place.province
        locality = session.place.county or session.place.city
        if locality:
            address["addressLocality"] = locality
        event["location"] = {"@type": "Place", "name": str(session.place), "address": address}
    return event


def module_course_ids(catalog: Catalog, module_id: str) -> list[str]:
    ids = catalog.courses_by_module.get(module_id, ())
    return sorted(ids, key=lambda c: (schema.LEVEL_RANK[catalog.courses[c].level], c))


def describe(kind: str, src_uri: str, title: str, context: dict[str, Any], catalog: Catalog, link: Link) -> PageMeta:
    """Description, Open Graph type and JSON-LD of one page (``kind`` as in urls.LAYOUT), from the
    same context its template gets."""
    c = catalog
    home = (c.program.name, src_of("home"))
    trail = [home, (title, src_uri)]
    if kind in SECTIONS:
        name, section = SECTIONS[kind]
        trail.insert(1, (name, src_of(section)))
    nodes: list[dict[str, Any]] = []
    og_type = "website"
    if kind == "course":
        course: model.Course = context["course"]
        module = c.modules[course.module]
        trail = [home, (module.name, src_of("module", module.id)), (title, src_uri)]
        nodes.append(course_node(course, c, link))
        description = course.summary
    elif kind == "module":
        module = context["module"]
        nodes.append(page_item_list(module.name, context, len(c.courses_by_module.get(module.id, ())), link))
        description = module.summary
    elif kind == "path":
        path: model.LearningPath = context["path"]
        nodes.append(item_list(path.title, [s.course for s in path.steps], link))
        description = f"{path.summary}（适合{path.audience}，共 {len(path.steps)} 门课程）"
    elif kind == "case":
        case: model.Case = context["case"]
        og_type = "article"
        description = case.summary
        nodes.append(
            {
                "@type": "Article",
                "headline": case.title,
                "description": case.summary,
                "inLanguage": "zh-CN",
                "isBasedOn": {
                    "@type": "NewsArticle",
                    "headline": case.source.title,
                    "datePublished": case.source.date,
                    "publisher": {"@type": "Organization", "name": case.source.publication},
                    "url": case.source.url,
                },
            }
        )
    elif kind == "instructor":
        # Instructors are example personas: no Person markup, which would present them as real.
        i: model.Instructor = context["instructor"]
        persona = "（示例人物）" if i.persona else ""
        description = f"{i.name}{persona}：{i.title}，擅长{'、'.join(i.fields)}。"
    elif kind in ("module-handout", "path-handout"):
        parent = context["parent"]
        name = getattr(parent, "name", "") or getattr(parent, "title", "")
        description = f"{name}的可打印课程讲义：{len(context['course_ids'])} 门课程，每门附二维码，扫码打开课程页面。"
    elif kind == "finder":
        nodes.append(page_item_list("全部课程", context, len(c.courses), link))
        description = f"按教学模块、适合对象、难度、授课形式、学时和标签筛选全部 {len(c.courses)} 门课程。"
    elif kind == "sessions":
        events = [session_event(s, c, link) for s in context["sessions"]]
        nodes.extend(e for e in events if e is not None)
        description = "报道中记录的线下培训场次：时间、地点、主题和成果，附出处。"
    elif kind in ("home", "about"):
        nodes.append(organization(c, link))
        description = c.program.tagline if kind == "home" else clip(c.program.summary)
        if kind == "home":
            nodes.append(
                {"@type": "WebSite", "name": c.program.name, "url": link(src_of("home")), "inLanguage": "zh-CN"}
            )
    else:
        description = STATIC_DESCRIPTIONS.get(kind, "") or f"{title} · {c.program.name}"
    if kind != "home":
        nodes.append(breadcrumbs(trail, link))
    return PageMeta(clip(description), og_type, nodes)


STATIC_DESCRIPTIONS = {
    "search": "搜索课程目录和成功案例：支持中文词语、口语问题和拼音。",
    "tags": "课程目录的标签词表，每个标签列出带这个标签的全部课程。",
    "cases": "培训计划报道中记录的学员、企业和合作社故事，每个案例注明出处。",
    "instructors": "课程目录中的讲师（示例人物）和他们主讲的课程。",
    "paths": "按学员身份排好的学习路径，每条从入门课程到能独立操作。",
}
