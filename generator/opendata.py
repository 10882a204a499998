"""The catalogue as data to take away: JSON, CSV, an iCalendar of sessions and an Atom feed.

Every file is made from the model only; nothing is invented to fill a format:
- ``sessions.ics`` holds only sessions with a full date (YYYY-MM-DD), as all-day events: RFC 5545
  has no month-only date, and picking a day for "2021-06" would make one up.
- the Atom feed dates a course or case by the commit that added its file (a course has no date of
  its own; the build date would say every course is new on every build). Files not yet committed
  have no such date and are left out until they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from . import cache, model
from .model import Catalog
from .urls import src_of, url_of

# Bump on any change a consumer could notice (a field renamed, removed or retyped); adding a
# field keeps the version. Documented in README.md (开放数据).
SCHEMA_VERSION = 1

CSV_COLUMNS = (
    "id",
    "title",
    "module_id",
    "module",
    "level",
    "format",
    "hours",
    "audience",
    "tags",
    "instructors",
    "prerequisites",
    "summary",
    "url",
)
ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
# A stable namespace for the feed's entry ids when the site has no public address yet.
_FEED_NAMESPACE = uuid.UUID("6f1d8a52-6c0e-4d5e-9a86-0f1bd8c4a3e1")


def _absolute(site_url: str, src_uri: str) -> str:
    """The page's URL: absolute with a public address, else relative to the site root."""
    path, _, anchor = src_uri.partition("#")
    base = site_url.rstrip("/") + "/" if site_url else ""
    return base + url_of(path) + (f"#{anchor}" if anchor else "")


def catalog_json(catalog: Catalog, site_url: str = "") -> str:
    """``data/catalog.json``: every public field of the model, ids linking the records."""
    c = catalog
    p = c.program

    def source(s: model.Source) -> dict[str, str]:
        return {"publication": s.publication, "title": s.title, "date": s.date, "url": s.url, "note": s.note}

    def place(pl: model.Place) -> dict[str, str]:
        return {"province": pl.province, "city": pl.city, "county": pl.county}

    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "site_url": site_url,
        "program": {
            "name": p.name,
            "tagline": p.tagline,
            "summary": p.summary,
            "organizers": list(p.organizers),
            "launched": p.launched,
            "targets": {
                "trainees": p.targets.trainees,
                "years": p.targets.years,
                "counties": p.targets.counties,
                "counties_note": p.targets.counties_note,
            },
            "sources": [source(s) for s in p.sources],
        },
        "modules": [
            {
                "id": m.id,
                "name": m.name,
                "summary": m.summary,
                "order": m.order,
                "url": _absolute(site_url, src_of("module", m.id)),
            }
            for m in c.ordered_modules()
        ],
        "tags": [
            {"id": t.id, "name": t.name, "meaning": t.meaning} for t in sorted(c.tags.values(), key=lambda t: t.id)
        ],
        "courses": [
            {
                "id": k.id,
                "title": k.title,
                "module": k.module,
                "summary": k.summary,
                "audience": list(k.audience),
                "level": k.level,
                "format": k.format,
                "hours": k.hours,
                "lessons": [{"title": x.title, "summary": x.summary} for x in k.lessons],
                "outcomes": list(k.outcomes),
                "instructors": list(k.instructors),
                "tags": list(k.tags),
                "prerequisites": list(k.prerequisites),
                "description": k.description,
                "url": _absolute(site_url, src_of("course", k.id)),
            }
            for k in sorted(c.courses.values(), key=lambda k: k.id)
        ],
        "paths": [
            {
                "id": lp.id,
                "title": lp.title,
                "audience": lp.audience,
                "summary": lp.summary,
                "steps": [{"course": s.course, "why": s.why} for s in lp.steps],
                "url": _absolute(site_url, src_of("path", lp.id)),
            }
            for lp in sorted(c.paths.values(), key=lambda lp: lp.id)
        ],
        "instructors": [
            {
                "id": i.id,
                "name": i.name,
                "persona": i.persona,
                "title": i.title,
                "affiliation": i.affiliation,
                "fields": list(i.fields),
            }
            for i in sorted(c.instructors.values(), key=lambda i: i.id)
        ],
        "sessions": [
            {
                "id": s.id,
                "title": s.title,
                "date": s.date,
                "date_note": s.date_note,
                "place": place(s.place),
                "theme": s.theme,
                "results": list(s.results),
                "sources": [source(x) for x in s.sources],
            }
            for s in sorted(c.sessions.values(), key=lambda s: s.id)
        ],
        "cases": [
            {
                "id": k.id,
                "title": k.title,
                "subject": k.subject,
                "subject_kind": k.subject_kind,
                "summary": k.summary,
                "place": place(k.place),
                "products": list(k.products),
                "courses": list(k.courses),
                "session": k.session,
                "source": source(k.source),
                "url": _absolute(site_url, src_of("case", k.id)),
            }
            for k in sorted(c.cases.values(), key=lambda k: k.id)
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def courses_csv(catalog: Catalog, site_url: str = "") -> bytes:
    """``data/courses.csv``: one course a row, UTF-8 with a byte-order mark so Excel reads it as UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for k in sorted(catalog.courses.values(), key=lambda k: k.id):
        writer.writerow(
            [
                k.id,
                k.title,
                k.module,
                catalog.modules[k.module].name,
                k.level,
                k.format,
                f"{k.hours:g}",
                "、".join(k.audience),
                "、".join(catalog.tags[t].name for t in k.tags),
                "、".join(catalog.instructors[i].name for i in k.instructors),
                " ".join(k.prerequisites),
                k.summary,
                _absolute(site_url, src_of("course", k.id)),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def full_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def build_time() -> dt.datetime:
    """The build's time, or SOURCE_DATE_EPOCH's for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def sessions_ics(catalog: Catalog, site_url: str = "") -> bytes:
    """``sessions.ics`` (RFC 5545): the sessions with a full date, as all-day events."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", f"-//{catalog.program.name}//课程目录//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{catalog.program.name} · 培训场次")
    stamp = build_time()
    host = site_url.split("//", 1)[-1].split("/", 1)[0] if site_url else "catalog.invalid"
    for s in sorted(catalog.sessions.values(), key=lambda s: (s.date, s.id)):
        day = full_date(s.date)
        if day is None:
            continue
        event = Event()
        event.add("uid", f"{s.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", s.title)
        event.add(
            "description",
            "\n".join([f"主题：{s.theme}", *s.results, *(f"出处：{x.publication}《{x.title}》" for x in s.sources)]),
        )
        if str(s.place):
            event.add("location", str(s.place))
        event.add("url", _absolute(site_url, f"sessions.md#{s.id}"))
        cal.add_component(event)
    return bytes(cal.to_ical())


def added_dates(root: Path, folders: tuple[str, ...] = ("content/courses", "cases")) -> dict[str, dt.datetime]:
    """When each file under ``folders`` was first committed, by path relative to ``root``; {} without git."""
    try:
        out = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--diff-filter=A",
                "--relative",
                "--format=%x00%aI",
                "--name-only",
                "--",
                *folders,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.datetime] = {}
    for chunk in out.split("\x00"):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        when = dt.datetime.fromisoformat(lines[0]).astimezone(dt.timezone.utc)
        for path in lines[1:]:
            dates[path] = when  # log runs newest first: the last one seen is the first addition
    return dates


def atom_feed(catalog: Catalog, dates: dict[str, dt.datetime], site_url: str = "") -> bytes:
    """``feed.xml``: the newest courses and cases, dated by the commit that added them."""
    items: list[tuple[dt.datetime, str, str, str, str]] = []
    for k in catalog.courses.values():
        when = dates.get(k.location.path)
        if when:
            module = catalog.modules[k.module].name
            items.append(
                (when, src_of("course", k.id), f"新课程：{k.title}", f"{module} · {k.level} · {k.summary}", "课程")
            )
    for case in catalog.cases.values():
        when = dates.get(case.location.path)
        if when:
            items.append((when, src_of("case", case.id), f"新案例：{case.title}", case.summary, "案例"))
    items.sort(key=lambda x: (x[0], x[1]), reverse=True)
    items = items[:FEED_ENTRIES]

    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text:
            el.text = text
        return el

    def stamp(when: dt.datetime) -> str:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def entry_id(src: str) -> str:
        return _absolute(site_url, src) if site_url else f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, src)}"

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    sub(feed, "title", f"{catalog.program.name} · 新课程与新案例")
    sub(feed, "subtitle", "课程目录中新增的课程和成功案例，按加入目录的时间排列。")
    sub(feed, "id", entry_id("feed.xml"))
    sub(feed, "updated", stamp(items[0][0] if items else build_time()))
    sub(feed, "author").append(_named("name", catalog.program.name))
    sub(feed, "link", href=_absolute(site_url, src_of("home")) or "./", rel="alternate", type="text/html")
    if site_url:
        sub(feed, "link", href=site_url.rstrip("/") + "/feed.xml", rel="self", type="application/atom+xml")
    for when, src, title, summary, kind in items:
        entry = sub(feed, "entry")
        sub(entry, "title", title)
        sub(entry, "id", entry_id(src))
        sub(entry, "link", href=_absolute(site_url, src), rel="alternate", type="text/html")
        sub(entry, "published", stamp(when))
        sub(entry, "updated", stamp(when))
        sub(entry, "category", term=kind)
        sub(entry, "summary", summary)
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def _named(tag: str, text: str) -> ET.Element:
    el = ET.Element(f"{{{ATOM}}}{tag}")
    el.text = text
    return el


def build(catalog: Catalog, root: Path, site_url: str = "") -> dict[str, bytes]:
    """Every open-data file, by its path in the site (cached by its inputs: see cache.stage)."""
    dates = added_dates(root)

    def make() -> dict[str, bytes]:
        return {
            "data/catalog.json": catalog_json(catalog, site_url).encode("utf-8"),
            "data/courses.csv": courses_csv(catalog, site_url),
            "sessions.ics": sessions_ics(catalog, site_url),
            "feed.xml": atom_feed(catalog, dates, site_url),
        }

    made = build_time().isoformat()  # the calendar's stamp: the build's date
    inputs = (catalog.inputs, site_url or "-", made, repr(sorted(dates.items())))
    files: dict[str, bytes] = cache.stage(root, "opendata", inputs, make)
    return files
