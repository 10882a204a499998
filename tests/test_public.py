"""The public site, round 2: accessible, shareable, printable, usable offline and as open data.

Built once with a public address (conftest.TEST_SITE_URL); browser checks in Debian's chromium.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from generator import offline, opendata
from generator.structured import iso_duration
from generator.validate import load_catalog

from .conftest import REPO, TEST_SITE_URL

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ATOM = "{http://www.w3.org/2005/Atom}"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def catalog() -> Any:
    loaded, _ = load_catalog(REPO)
    return loaded


def page_types(catalog: Any) -> dict[str, str]:
    """One page of each type the issue names, by type."""
    first_path = sorted(catalog.paths)[0]
    return {
        "home": "",
        "module": f"modules/{catalog.ordered_modules()[0].id}/",
        "course": f"courses/{sorted(catalog.courses)[0]}/",
        "case": f"cases/{sorted(catalog.cases)[0]}/",
        "path": f"paths/{first_path}/",
        "sessions": "sessions/",
        "instructor": f"instructors/{sorted(catalog.instructors)[0]}/",
        "finder": "finder/",
        "search": "search/?q=%E7%9B%B4%E6%92%AD",
        "about": "about/",
    }


def html_of(site: Path, url: str) -> str:
    return (site / url.split("?")[0] / "index.html").read_text(encoding="utf-8")


def graph(site: Path, url: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for text in JSONLD.findall(html_of(site, url)):
        doc = json.loads(text)
        assert doc["@context"] == "https://schema.org"
        nodes.extend(doc["@graph"])
    return nodes


def of_type(nodes: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [n for n in nodes if n["@type"] == kind]


# ------------------------------------------------------------------ 1. accessibility


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_type_passes_axe(phone: Any, site_url: str, catalog: Any) -> None:
    failures = {}
    for kind, url in page_types(catalog).items():
        phone.goto(site_url + url)
        phone.wait_for_load_state("load")
        if kind == "search":
            phone.wait_for_selector("#cc-results li")
        if kind == "finder":
            phone.click("#cc-filters > summary")  # the open filter panel too
        found = axe_violations(phone)
        if found:
            failures[kind] = found
    assert failures == {}


def test_greens_pass_contrast(phone: Any, site_url: str, catalog: Any) -> None:
    """The theme's green on white is 2.8:1; the site's shades keep the green and reach 4.5:1."""
    phone.goto(site_url + page_types(catalog)["course"])
    colours = phone.evaluate(
        """() => [getComputedStyle(document.querySelector('.md-header')).backgroundColor,
                  getComputedStyle(document.querySelector('.md-content a')).color,
                  getComputedStyle(document.querySelector('.cc-tag')).color,
                  getComputedStyle(document.querySelector('.cc-tag')).backgroundColor]"""
    )

    def luminance(rgb: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", rgb)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def ratio(a: str, b: str) -> float:
        la, lb = sorted((luminance(a), luminance(b)), reverse=True)
        return (la + 0.05) / (lb + 0.05)

    header, link, tag, tag_bg = colours
    white = "rgb(255, 255, 255)"
    g = [int(x) for x in re.findall(r"\d+", header)[:3]]
    assert g[1] > g[0] and g[1] > g[2]  # still green
    assert ratio(header, white) >= 4.5
    assert ratio(link, white) >= 4.5
    assert ratio(tag, tag_bg) >= 4.5


# ------------------------------------------------------------------ 2. the finder on a phone

CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("query", ["", "?module=homestay&level=%E5%85%A5%E9%97%A8&q=%E6%B0%91%E5%AE%BF"])
def test_finder_results_first_and_no_layout_shift(browser: Any, site_url: str, query: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    page.goto(site_url + "finder/" + query)
    page.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")
    page.wait_for_timeout(600)
    cls = page.evaluate("window.__cls")
    # Results first: the filters are closed behind one button, and a course is on the first screen.
    assert page.evaluate("document.getElementById('cc-filters').open") is False
    first = page.evaluate(
        """() => {
            const r = document.getElementById('cc-finder-results');
            const root = r.hidden ? document.getElementById('cc-finder-list') : r;
            return root.querySelector('li a').getBoundingClientRect().top;
        }"""
    )
    active = 2 if query else 0
    assert page.text_content("#cc-filters > summary") == f"筛选（已选 {active} 项）"
    context.close()
    assert cls <= 0.05
    assert first < 740


def test_filter_button_counts_choices_and_done_closes_the_panel(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "finder/")
    phone.click("#cc-filters > summary")
    phone.check('input[name="level"][value="高级"]')
    phone.check('input[name="module"][value="homestay"]')
    assert phone.text_content("#cc-filters-count") == "（已选 2 项）"
    phone.click(".cc-filters__done")
    assert phone.evaluate("document.getElementById('cc-filters').open") is False


# ------------------------------------------------------------------ 3. structured data and sharing


def test_every_course_page_has_a_valid_course(real_site: Path, catalog: Any) -> None:
    """Google's Course rich result: name, description, provider (Organization with a name);
    hasCourseInstance with courseMode and courseWorkload (ISO 8601); offers with a category."""
    duration = re.compile(r"^PT(\d+H)?(\d+M)?$")
    for course in catalog.courses.values():
        url = f"courses/{course.id}/"
        (node,) = of_type(graph(real_site, url), "Course")
        assert node["name"] == course.title and node["description"] == course.summary
        assert node["provider"]["@type"] == "Organization" and node["provider"]["name"]
        assert node["url"] == TEST_SITE_URL + url
        (instance,) = node["hasCourseInstance"]
        assert instance["@type"] == "CourseInstance"
        assert instance["courseMode"] in ("Online", "Onsite", "Blended")
        assert duration.match(instance["courseWorkload"]) and instance["courseWorkload"] != "PT"
        assert all(o["category"] in ("Free", "Partially Free", "Subscription", "Paid") for o in node["offers"])


def test_iso_durations() -> None:
    assert [iso_duration(h) for h in (6, 1.5, 0.5, 16)] == ["PT6H", "PT1H30M", "PT30M", "PT16H"]


def test_item_lists_on_module_path_and_finder(real_site: Path, catalog: Any) -> None:
    module = catalog.ordered_modules()[0]
    path = catalog.paths[sorted(catalog.paths)[0]]
    expected = {
        f"modules/{module.id}/": set(catalog.courses_by_module[module.id]),
        f"paths/{path.id}/": {s.course for s in path.steps},
        "finder/": set(catalog.courses),
    }
    for url, ids in expected.items():
        (items,) = of_type(graph(real_site, url), "ItemList")
        urls = [e["url"] for e in items["itemListElement"]]
        assert [e["position"] for e in items["itemListElement"]] == list(range(1, len(urls) + 1))
        assert {u.removeprefix(TEST_SITE_URL + "courses/").rstrip("/") for u in urls} == ids
    (steps,) = of_type(graph(real_site, f"paths/{path.id}/"), "ItemList")
    assert [e["url"] for e in steps["itemListElement"]] == [f"{TEST_SITE_URL}courses/{s.course}/" for s in path.steps]


def test_events_only_for_dated_sessions_with_their_place(real_site: Path, catalog: Any) -> None:
    events = {e["url"].rsplit("#", 1)[1]: e for e in of_type(graph(real_site, "sessions/"), "Event")}
    dated = {s.id for s in catalog.sessions.values() if s.date}
    assert set(events) == dated and dated != set(catalog.sessions)  # the undated ones get none
    for sid, event in events.items():
        session = catalog.sessions[sid]
        assert event["startDate"] == session.date
        if session.place.province:
            assert event["location"]["address"]["addressRegion"] == session.place.province
        else:
            assert "location" not in event
        assert {o["name"] for o in event["organizer"]} == set(catalog.program.organizers)


def test_organisers_and_breadcrumbs(real_site: Path, catalog: Any) -> None:
    (org,) = of_type(graph(real_site, ""), "Organization")
    assert {s["name"] for s in org["sponsor"]} == set(catalog.program.organizers)
    course = catalog.courses[sorted(catalog.courses)[0]]
    (crumbs,) = of_type(graph(real_site, f"courses/{course.id}/"), "BreadcrumbList")
    names = [e["name"] for e in crumbs["itemListElement"]]
    assert names == [catalog.program.name, catalog.modules[course.module].name, course.title]
    assert crumbs["itemListElement"][-1]["item"] == f"{TEST_SITE_URL}courses/{course.id}/"


def test_every_page_type_has_a_description_and_open_graph(real_site: Path, catalog: Any) -> None:
    seen = set()
    for kind, url in page_types(catalog).items():
        page = html_of(real_site, url)
        meta = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', page))
        assert meta.get("og:title") and meta.get("og:description"), kind
        assert meta["description"] == meta["og:description"], kind
        assert meta["og:url"].startswith(TEST_SITE_URL), kind
        seen.add(meta["description"])
    assert len(seen) == len(page_types(catalog))  # each page describes itself
    course = catalog.courses[sorted(catalog.courses)[0]]
    page = html_of(real_site, f"courses/{course.id}/")
    assert f'<meta property="og:description" content="{html.escape(course.summary)}">' in page


def test_json_ld_cannot_close_its_script(real_site: Path) -> None:
    for page in real_site.rglob("index.html"):
        for text in JSONLD.findall(page.read_text(encoding="utf-8")):
            assert "<" not in text


# ------------------------------------------------------------------ 4. open data


def test_catalog_json(real_site: Path, catalog: Any) -> None:
    data = json.loads((real_site / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == opendata.SCHEMA_VERSION
    assert {c["id"] for c in data["courses"]} == set(catalog.courses)
    course = next(c for c in data["courses"] if c["id"] == sorted(catalog.courses)[0])
    model = catalog.courses[course["id"]]
    assert (course["title"], course["hours"], course["tags"]) == (model.title, model.hours, list(model.tags))
    assert {s["id"] for s in data["sessions"]} == set(catalog.sessions)
    assert {p["id"] for p in data["paths"]} == set(catalog.paths)


def test_courses_csv_opens_in_excel(real_site: Path, catalog: Any) -> None:
    raw = (real_site / "data" / "courses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert {r["id"] for r in rows} == set(catalog.courses)
    row = next(r for r in rows if r["id"] == sorted(catalog.courses)[0])
    model = catalog.courses[row["id"]]
    assert row["title"] == model.title and float(row["hours"]) == model.hours
    assert row["module"] == catalog.modules[model.module].name


def test_sessions_ics(real_site: Path, catalog: Any) -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical((real_site / "sessions.ics").read_bytes())
    events = {str(e["uid"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    full = {s.id for s in catalog.sessions.values() if len(s.date) == 10}
    assert set(events) == full and full  # month-only and undated sessions are left out
    for sid, event in events.items():
        assert event.decoded("dtstart") == dt.date.fromisoformat(catalog.sessions[sid].date)
        assert isinstance(event.decoded("dtstart"), dt.date) and not isinstance(event.decoded("dtstart"), dt.datetime)
        assert "dtstamp" in event
    assert str(cal["version"]) == "2.0" and cal["prodid"]


def test_atom_feed(real_site: Path, catalog: Any) -> None:
    feed = ET.parse(real_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= opendata.FEED_ENTRIES
    dates = [dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated", "")) for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None
        target = link.get("href", "").removeprefix(TEST_SITE_URL).strip("/")
        kind, ident = target.split("/")
        assert ident in (catalog.courses if kind == "courses" else catalog.cases)
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title")


def test_feed_dates_come_from_git_not_the_build(catalog: Any) -> None:
    dates = opendata.added_dates(REPO)
    course = catalog.courses[sorted(catalog.courses)[0]]
    assert course.location.path in dates
    feed = ET.fromstring(opendata.atom_feed(catalog, {}))
    assert feed.findall(f"{ATOM}entry") == []  # no commit date known: nothing is dated by guess


def test_about_links_every_open_data_file(real_site: Path) -> None:
    about = html_of(real_site, "about/")
    for name in ("data/catalog.json", "data/courses.csv", "sessions.ics", "feed.xml"):
        assert f'href="../{name}"' in about
        assert (real_site / name).is_file()


# ------------------------------------------------------------------ 5. print


def longest_courses(catalog: Any, n: int = 3) -> list[str]:
    def size(c: Any) -> int:
        return len(c.description) + sum(len(x.title) + len(x.summary) for x in c.lessons) + len("".join(c.outcomes))

    return [c.id for c in sorted(catalog.courses.values(), key=size)[-n:]]


def test_a_course_prints_on_one_a4_page(browser: Any, site_url: str, catalog: Any) -> None:
    from pypdf import PdfReader

    page = browser.new_page()
    for cid in longest_courses(catalog):
        page.goto(site_url + f"courses/{cid}/")
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
        assert len(pdf.pages) == 1, cid
        text = pdf.pages[0].extract_text()
        assert "课程检索" not in text  # no navigation on paper
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-search']
            .map(s => document.querySelector(s)).filter(Boolean)
            .every(e => getComputedStyle(e).display === 'none')"""
    )
    assert hidden and page.is_visible(".cc-print-qr svg")
    page.close()


def test_qr_codes_encode_the_page_url(real_site: Path, catalog: Any) -> None:
    import segno

    from generator.printing import QR_BORDER, QR_ERROR

    def path_of(svg: str) -> str:
        match = re.search(r' d="([^"]+)"', svg)
        assert match
        return match.group(1)

    for cid in sorted(catalog.courses)[:5]:
        page = html_of(real_site, f"courses/{cid}/")
        shown = re.search(r'<div class="cc-print-only cc-print-qr">(<svg.*?</svg>)', page)
        assert shown
        url = f"{TEST_SITE_URL}courses/{cid}/"
        again = segno.make(url, error=QR_ERROR, micro=False).svg_inline(scale=1, border=QR_BORDER)
        assert path_of(shown.group(1)) == path_of(again)
        assert url in page


def test_handouts_list_every_course_with_a_qr_code(real_site: Path, catalog: Any) -> None:
    for module in catalog.ordered_modules():
        page = html_of(real_site, f"handouts/modules/{module.id}/")
        assert page.count('class="cc-handout__item"') == len(catalog.courses_by_module[module.id])
        assert page.count('<svg role="img"') == len(catalog.courses_by_module[module.id])
        assert f'href="../../handouts/modules/{module.id}/"' in html_of(real_site, f"modules/{module.id}/")
    for path in catalog.paths.values():
        page = html_of(real_site, f"handouts/paths/{path.id}/")
        assert page.count('<svg role="img"') == len(path.steps)
        for step in path.steps:
            assert f"{TEST_SITE_URL}courses/{step.course}/" in page


# ------------------------------------------------------------------ 6. offline


def eventually(page: Any, promise_js: str, seconds: float = 20) -> None:
    """Poll an expression that yields a promise (wait_for_function takes a pending promise as truthy)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(f"Promise.resolve({promise_js}).then(Boolean, () => false)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {promise_js}")


def test_pages_seen_the_finder_and_search_work_offline(browser: Any, site_url: str, catalog: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    course = sorted(catalog.courses)[0]
    page.goto(site_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20000)
    # Install finished: the precache and its record of hashes are stored.
    eventually(page, "caches.keys().then(k => k.length > 0 && caches.match('sw-revisions.json')).then(Boolean)")
    page.goto(site_url + f"courses/{course}/")
    page.wait_for_load_state("load")
    context.set_offline(True)
    page.reload()
    assert page.text_content("h1") == catalog.courses[course].title
    # The finder, never visited, with choices in its URL.
    page.goto(site_url + "finder/?level=%E9%AB%98%E7%BA%A7")
    page.wait_for_function("document.getElementById('cc-finder-status').textContent.startsWith('找到')")
    advanced = sum(c.level == "高级" for c in catalog.courses.values())
    assert page.text_content("#cc-finder-status") == f"找到 {advanced} 门课程"
    # Search, never visited: its index came with the first visit.
    page.goto(site_url + "search/?q=%E5%9B%A2%E9%95%BF")
    page.wait_for_selector("#cc-results li", timeout=10000)
    # Nothing from another origin is in the cache.
    origins = page.evaluate(
        """async () => { const out = new Set();
            for (const name of await caches.keys()) {
              for (const r of await (await caches.open(name)).keys()) out.add(new URL(r.url).origin);
            } return [...out]; }"""
    )
    assert origins == [site_url.rstrip("/")]
    context.close()


def _cache_version(site: Path) -> str:
    match = re.search(r'var VERSION = "([0-9a-f]{16})";', (site / "sw.js").read_text(encoding="utf-8"))
    assert match is not None
    return match.group(1)


def test_the_cache_version_follows_every_file_of_the_build(real_site: Path, tmp_path: Path) -> None:
    sw = (real_site / "sw.js").read_text(encoding="utf-8")
    precache = json.loads(re.search(r"var PRECACHE = (\{.*?\});", sw).group(1))  # type: ignore[union-attr]
    assert {"./", "finder/", "search/", "assets/finder.js", "search/meta.json"} <= set(precache)
    assert all(not re.match(r"^[a-z]+:", u) for u in precache)  # same origin only
    # The same files give the same version; any file changed gives a new one, hence a new cache.
    site = tmp_path / "site"
    shutil.copytree(real_site, site)
    offline.write_service_worker(site)
    assert _cache_version(site) == _cache_version(real_site)
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    offline.write_service_worker(site)
    assert _cache_version(site) != _cache_version(real_site)


def test_a_new_build_replaces_the_cache(browser: Any, real_site: Path, tmp_path: Path) -> None:
    import shutil

    from .browser import serve

    site = tmp_path / "site"
    shutil.copytree(real_site, site)
    names = "caches.keys().then(k => k.filter(n => n.startsWith('cc-catalog-')))"
    with serve(site) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        installed = f"{names}.then(k => k.length === 1 && caches.open(k[0]).then(c => c.match('sw-revisions.json')))"
        eventually(page, f"navigator.serviceWorker.controller && {installed}.then(Boolean)")
        (first,) = page.evaluate(names)
        # The next build: one stylesheet changed, everything else the same.
        css = site / "assets" / "public.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* next build */\n", encoding="utf-8")
        version = offline.build_hash(site)
        offline.write_service_worker(site)
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        eventually(page, f"{names}.then(k => k.length === 1 && k[0] !== {first!r})")
        (second,) = page.evaluate(names)
        assert second == f"cc-catalog-{version}" != first
        stored = page.evaluate(f"caches.open({second!r}).then(c => c.match('assets/public.css')).then(r => r.text())")
        assert stored.endswith("/* next build */\n")  # the changed file was fetched anew
        reused = page.evaluate(f"caches.open({second!r}).then(c => c.match('search/meta.json')).then(r => !!r)")
        assert reused  # an unchanged one is there too (copied from the old cache)
        context.close()


# ------------------------------------------------------------------ 7. charts


def test_about_charts_have_tables_and_label_the_target(real_site: Path, catalog: Any) -> None:
    about = html_of(real_site, "about/")
    figures = re.findall(r'<figure class="cc-chart" id="chart-([a-z-]+)">(.*?)</figure>', about, re.S)
    assert [f[0] for f in figures] == [
        "courses-by-module",
        "hours-by-level",
        "audiences",
        "sessions-by-province",
        "county-target",
    ]
    for _, body in figures:
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and 'aria-hidden="true"' in body
        assert "<table" in body and "<caption>" in body
    by_module = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+) 门</td>', figures[0][1]))
    assert by_module == {m.name: str(len(catalog.courses_by_module[m.id])) for m in catalog.ordered_modules()}
    target = figures[4][1]
    assert f"{catalog.program.targets.counties} 个（目标）" in target and "不是已经完成的数字" in target
