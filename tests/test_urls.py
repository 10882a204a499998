"""Page URLs come from one function: ``urls.src_of``.

The unit tests pin the layout readers see. The build test moves every page (another layout) and
follows every link of the built site: a template, the navigation or the theme override that
spelled a page's path instead of asking ``src_of`` would now point where no page is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pages, urls
from generator.cli import build_site

from .conftest import BUILD_EPOCH, MKDOCS_YML, tiny_files
from .links import broken_links


@pytest.mark.parametrize(
    ("kind", "ident", "src", "url"),
    [
        ("home", "", "index.md", ""),
        ("about", "", "about.md", "about/"),
        ("finder", "", "finder.md", "finder/"),
        ("search", "", "search.md", "search/"),
        ("tags", "", "tags.md", "tags/"),
        ("sessions", "", "sessions.md", "sessions/"),
        ("cases", "", "cases/index.md", "cases/"),
        ("instructors", "", "instructors/index.md", "instructors/"),
        ("paths", "", "paths/index.md", "paths/"),
        ("module", "shop", "modules/shop.md", "modules/shop/"),
        ("course", "walnut", "courses/walnut.md", "courses/walnut/"),
        ("instructor", "wang", "instructors/wang.md", "instructors/wang/"),
        ("case", "story", "cases/story.md", "cases/story/"),
        ("path", "starter", "paths/starter.md", "paths/starter/"),
        ("tag", "livestream", "tags/livestream.md", "tags/livestream/"),
        ("module-handout", "shop", "handouts/modules/shop.md", "handouts/modules/shop/"),
        ("path-handout", "starter", "handouts/paths/starter.md", "handouts/paths/starter/"),
    ],
)
def test_each_page_kind_has_its_address(kind: str, ident: str, src: str, url: str) -> None:
    assert urls.src_of(kind, ident) == src
    assert urls.page_url(kind, ident) == url == urls.url_of(src)


def test_every_kind_of_the_layout_is_pinned_above() -> None:
    assert len(urls.layout()) == 17


def test_a_list_split_into_pages_numbers_them_under_the_page() -> None:
    assert urls.src_of("module", "shop", 1) == "modules/shop.md"
    assert urls.src_of("module", "shop", 3) == "modules/shop/3.md"
    assert urls.page_url("finder") == "finder/" and urls.url_of(urls.src_of("finder", number=2)) == "finder/2/"


def test_a_kind_that_needs_an_id_refuses_none_and_the_other_way_round() -> None:
    with pytest.raises(ValueError, match="needs id"):
        urls.src_of("course")
    with pytest.raises(ValueError, match="takes no id"):
        urls.src_of("finder", "x")
    with pytest.raises(KeyError):
        urls.src_of("courses", "x")


@pytest.mark.parametrize(
    ("here", "to", "link"),
    [
        ("courses/a.md", "courses/b.md", "../b/"),
        ("courses/a.md", "modules/shop.md", "../../modules/shop/"),
        ("courses/a.md", "tags.md#livestream", "../../tags/#livestream"),
        ("courses/a.md", "index.md", "../../"),
        ("index.md", "cases/index.md", "cases/"),
        ("cases/index.md", "cases/story.md", "story/"),
        ("search.md", "search.md", "./"),
        ("courses/a.md", "assets/finder.js", "../../assets/finder.js"),
        ("courses/a.md", "images/", "../../images/"),
    ],
)
def test_relative_links_between_pages(here: str, to: str, link: str) -> None:
    assert urls.relative_url(here, to) == link


def test_item_folders_follow_the_layout() -> None:
    assert urls.item_folder("course") == "courses"
    assert urls.item_folder("finder") is None and urls.item_folder("session") is None


# Every page somewhere else: new folder names, new file names (the home page stays the site root).
MOVED = {
    "home": "index.md",
    "about": "guanyu.md",
    "finder": "jiansuo.md",
    "search": "sousuo.md",
    "tags": "biaoqian.md",
    "sessions": "changci.md",
    "cases": "anli/index.md",
    "instructors": "jiangshi/index.md",
    "paths": "lujing/index.md",
    "module": "mokuai/{id}.md",
    "course": "kecheng/{id}.md",
    "instructor": "jiangshi/{id}.md",
    "case": "anli/{id}.md",
    "path": "lujing/{id}.md",
    "tag": "biaoqian/{id}.md",
    "module-handout": "jiangyi/mokuai/{id}.md",
    "path-handout": "jiangyi/lujing/{id}.md",
}


@pytest.fixture
def moved_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert set(MOVED) == set(urls.layout())
    # The pages of the declared types move with their declaration; every other page with LAYOUT.
    types = set(urls.declared())
    monkeypatch.setattr(urls, "declared", lambda: {k: v for k, v in MOVED.items() if k in types})
    monkeypatch.setattr(urls, "LAYOUT", {k: v for k, v in MOVED.items() if k not in types})
    pages._reserved_in.cache_clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    monkeypatch.delenv("SITE_URL", raising=False)
    # Lists of more than 3 courses split into numbered pages, so the pages' own links are followed too.
    paged = MKDOCS_YML.replace("  - catalog\n", "  - catalog:\n      page_size: 3\n")
    assert paged != MKDOCS_YML
    for rel, text in {
        **tiny_files(),
        "mkdocs.yml": paged,
        "content/jieba_userdict.txt": "直播带货 3000 n\n",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    try:
        build_site(tmp_path, tmp_path / "site")
    finally:
        pages._reserved_in.cache_clear()
    return tmp_path / "site"


def test_with_every_page_moved_every_link_still_leads_to_a_page(moved_site: Path) -> None:
    assert broken_links(moved_site) == []
    # The pages really moved: nothing was left at the usual addresses.
    # (search/ and finder/ hold data files, not pages: the index and the paged finder's course data.)
    for gone in ("courses", "modules", "finder/index.html", "handouts", "about", "search/index.html", "tags"):
        assert not (moved_site / gone).exists(), gone
    for there in ("kecheng/course-a", "mokuai/shop", "mokuai/shop/2", "jiansuo/3", "sousuo", "jiangyi/lujing/starter"):
        assert (moved_site / there / "index.html").is_file(), there
    # The theme's header (search link) and the navigation follow too.
    course = (moved_site / "kecheng" / "course-a" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../sousuo/"' in course and 'href="../../jiansuo/"' in course
    # The service worker precaches the moved finder and search pages.
    worker = (moved_site / "sw.js").read_text(encoding="utf-8")
    assert '"jiansuo/"' in worker and '"sousuo/"' in worker
