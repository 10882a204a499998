"""Values from data files reach every page as text, never as markup."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import build_site

from .browser import serve
from .conftest import course_yaml, tiny_files

TITLE = "<script>alert(1)</script>"
MODULE = "<img src=x onerror=alert(2)>"
LESSON = "**粗体** [链接](javascript:alert(3))"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    files = tiny_files()
    course = course_yaml("course-a", "placeholder").replace("title: placeholder", f"title: '{TITLE}'")
    files["content/courses/shop/course-a.yml"] = course.replace("title: 第1节", f"title: '{LESSON}'")
    files["content/modules/shop.yml"] = f"id: shop\nname: '{MODULE}'\nsummary: 开网店。\norder: 1\n"
    from .conftest import MKDOCS_YML

    files["mkdocs.yml"] = MKDOCS_YML
    files["content/jieba_userdict.txt"] = "直播带货 3000 n\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    build_site(root, root / "site")
    return root / "site"


PAGES_SHOWING_TITLE = [
    "courses/course-a/index.html",
    "modules/shop/index.html",
    "finder/index.html",
    "courses/course-b/index.html",
    "instructors/teacher/index.html",
    "paths/starter/index.html",
    "cases/story/index.html",
    "tags/index.html",
]


@pytest.mark.parametrize("page", PAGES_SHOWING_TITLE)
def test_course_title_is_text_in_every_page_that_shows_it(hostile_site: Path, page: str) -> None:
    html = (hostile_site / page).read_text(encoding="utf-8")
    assert TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_module_name_is_text_in_the_navigation_of_every_page(hostile_site: Path) -> None:
    # Every theme page; the web editor's admin page is not one (it has no navigation).
    pages = [p for p in hostile_site.rglob("*.html") if p.name != "404.html" and p.parent.name != "admin"]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert MODULE not in html, page
        nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
        assert "&lt;img src=x onerror=alert(2)&gt;" in nav, page


def test_markdown_in_data_fields_stays_literal(hostile_site: Path) -> None:
    html = (hostile_site / "courses/course-a/index.html").read_text(encoding="utf-8")
    assert "**粗体** [链接](javascript:alert(3))" in html
    assert 'href="javascript' not in html


def test_search_data_holds_the_title_as_data(hostile_site: Path) -> None:
    # The index is JSON read by search.js, which writes every value with textContent.
    docs = [d for f in (hostile_site / "search").glob("docs-*.json") for d in json.loads(f.read_text(encoding="utf-8"))]
    assert TITLE in [d[2] for d in docs]
    # That the script writes it as text is shown in chromium below: the title reads as written
    # and no element made from it exists in the results.


@pytest.fixture(scope="module")
def browser_page(hostile_site: Path, browser: Any) -> Iterator[tuple[object, str]]:
    # The session's one chromium: a second Playwright in the same process cannot start.
    with serve(hostile_site) as url:
        page = browser.new_page()
        yield page, url
        page.close()


def test_in_a_browser_the_title_shows_as_written_and_nothing_runs(browser_page) -> None:  # type: ignore[no-untyped-def]
    page, url = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + "courses/course-a/")
    assert page.inner_text("article h1") == TITLE
    assert page.title().startswith(TITLE)
    assert MODULE in (page.locator("nav.md-nav--primary").first.text_content() or "")
    assert page.evaluate("document.querySelectorAll('article script, img[src=\"x\"]').length") == 0
    page.goto(url + "search/?q=alert")
    page.wait_for_selector("#cc-results li")
    assert page.inner_text("#cc-results a.cc-result__title") == TITLE
    assert page.evaluate("document.querySelectorAll('#cc-results script, #cc-results img').length") == 0
    assert dialogs == []
