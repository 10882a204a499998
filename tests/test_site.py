"""End to end: the bundled content built with MkDocs into a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.validate import load_catalog

from .conftest import REPO, TEST_SITE_URL
from .links import broken_links, parse


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    return real_site


def test_every_section_has_its_pages(site: Path) -> None:
    catalog, _ = load_catalog(REPO)
    assert catalog is not None
    expected = [
        "index.html",
        "about/index.html",
        "sessions/index.html",
        "cases/index.html",
        "instructors/index.html",
        "paths/index.html",
        "finder/index.html",
        "tags/index.html",
    ]
    expected += [f"modules/{m}/index.html" for m in catalog.modules]
    expected += [f"courses/{c}/index.html" for c in catalog.courses]
    expected += [f"cases/{c}/index.html" for c in catalog.cases]
    expected += [f"instructors/{i}/index.html" for i in catalog.instructors]
    expected += [f"paths/{p}/index.html" for p in catalog.paths]
    missing = [p for p in expected if not (site / p).is_file()]
    assert missing == []


def test_no_broken_internal_link_or_anchor(site: Path) -> None:
    assert broken_links(site) == []


def test_nothing_is_fetched_from_another_host(site: Path) -> None:
    offenders = []
    for path in site.rglob("*.html"):
        if path.parent.name == "admin":
            continue  # the web editor's own page: one pinned script with SRI (tests/test_cms.py)
        for tag, attr, value in parse(path).refs:
            # The site's own public address (canonical links) is not another host.
            external = value.startswith(("http://", "https://", "//")) and not value.startswith(TEST_SITE_URL)
            if external and (attr == "src" or tag == "link"):
                offenders.append(f"{path.relative_to(site)}: <{tag} {attr}={value}>")
    for path in list(site.rglob("*.css")) + list(site.rglob("*.js")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"@import\s+url\(\s*['\"]?(https?:)?//|url\(\s*['\"]?(https?:)?//", text):
            offenders.append(f"{path.relative_to(site)}: {match.group(0)}")
    assert offenders == []
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def test_course_pages_stay_small_and_the_sidebar_lists_modules_not_courses(site: Path) -> None:
    sizes = {p.parent.name: p.stat().st_size for p in (site / "courses").glob("*/index.html")}
    assert len(sizes) >= 3
    assert max(sizes.values()) < 35_000, max(sizes.items(), key=lambda kv: kv[1])
    page = (site / "courses" / "online-store-setup" / "index.html").read_text(encoding="utf-8")
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "农业企业经营管理及创新" in nav  # a module
    assert "/courses/" not in nav and "../product-photo-basics/" not in nav  # no course


def test_course_page_shows_every_field_and_its_links(site: Path) -> None:
    page = (site / "courses" / "online-store-setup" / "index.html").read_text(encoding="utf-8")
    for text in (
        "开网店的第一步",
        "适合对象",
        "返乡创业大学生",
        "入门",
        "线下面授",
        "6 学时",
        "课时安排",
        "平台怎么选",
        "学完能做到",
        "林晓棠",
        "示例人物",
        "网店开设",
    ):
        assert text in page, text
    assert 'href="../../instructors/lin-xiaotang/"' in page
    assert 'href="../../modules/agri-ecommerce/"' in page


def test_case_pages_cite_their_source_and_link_the_session(site: Path) -> None:
    page = (site / "cases" / "hezhang-probiotic-chicken" / "index.html").read_text(encoding="utf-8")
    assert "出处" in page and "观察者网" in page and "2021-09-23" in page
    assert "阿西里西酸奶鸡" in page
    assert 'href="../../sessions/#hezhang-harvest-festival"' in page
    sessions = (site / "sessions" / "index.html").read_text(encoding="utf-8")
    # Dated sessions by date; the first session's date is not in the report, so it is not guessed.
    assert sessions.index("毕节市专场培训开班") < sessions.index("首期培训会")


def test_about_page_says_what_is_illustrative(site: Path) -> None:
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "课程目录是示例" in about
    assert "讲师是示例人物" in about
    assert "中国光彩事业基金会" in about and "专家后援顾问团" in about


def test_home_page_shows_program_figures_and_modules(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "至少 10 万" in home and "160" in home
    assert home.count('class="cc-card"') == 7
    assert 'action="search/"' in home


def test_related_content_on_course_and_case_pages(site: Path) -> None:
    course = (site / "courses" / "online-store-setup" / "index.html").read_text(encoding="utf-8")
    for section in ('id="paths"', 'id="next"', 'id="related"'):
        assert section in course, section
    assert 'href="../../paths/returning-graduate/"' in course  # a learning path it belongs to
    assert 'href="../customer-service-scripts/"' in course  # a course that follows it
    pear = (site / "courses" / "pear-cold-storage-batch-sales" / "index.html").read_text(encoding="utf-8")
    assert 'id="cases"' in pear and 'href="../../cases/korla-fragrant-pear/"' in pear  # the case citing it
    case = (site / "cases" / "hezhang-walnut-gu-guiju" / "index.html").read_text(encoding="utf-8")
    assert 'id="courses"' in case and 'href="../../courses/walnut-factory-online-transition/"' in case
    assert 'href="../../sessions/#hezhang-harvest-festival"' in case
    # Another case from the same province (Guizhou) is offered.
    more = case.split('id="more"', 1)[1]
    assert 'href="../hezhang-probiotic-chicken/"' in more
