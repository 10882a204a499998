"""Scale and speed: the fast paths give exactly what the plain ones give."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator import load

from .conftest import MKDOCS_YML, Writer

REPO = Path(__file__).resolve().parent.parent


def _yaml_files() -> list[Path]:
    content = sorted((REPO / "content").rglob("*.yml")) + sorted((REPO / "cases").glob("*.md"))
    corpus = sorted(p for p in (REPO / "tests" / "bad_inputs").rglob("*") if p.is_file())
    return content + corpus


def _load_all(paths: list[Path]) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in paths:
        rel = path.relative_to(REPO).as_posix()
        doc, problems = load.load_file(path, rel, dict, front_matter=path.suffix == ".md")
        seen = doc and (doc.data, doc.marks, doc.key_marks, doc.block_scalars, doc.body, doc.body_line)
        out[rel] = (seen, problems)
    return out


@pytest.mark.skipif(load._FastLoader is None, reason="PyYAML without libyaml")
def test_libyaml_path_gives_the_same_documents_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _yaml_files()
    fast = _load_all(paths)
    monkeypatch.setattr(load, "_FastLoader", None)
    plain = _load_all(paths)
    assert len(fast) > 250
    assert any(problems for _, problems in plain.values())  # the corpus is in there
    for rel in plain:
        assert fast[rel] == plain[rel], rel


@pytest.mark.skipif(load._FastLoader is None, reason="PyYAML without libyaml")
def test_libyaml_path_refuses_aliases_at_the_alias() -> None:
    doc, problems = load.parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yml")
    assert doc is None
    assert [(p.location.line, p.location.column) for p in problems] == [(2, 4)]
    assert "别名" in problems[0].message


def test_catalog_build_validates_once(project: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cli, plugin
    from generator.validate import load_catalog

    root = project()
    calls: list[Path] = []

    def counting(where: Path, **options: Any) -> Any:
        calls.append(where)
        return load_catalog(where, **options)

    monkeypatch.setattr(cli, "load_catalog", counting)
    monkeypatch.setattr(plugin, "load_catalog", counting)
    assert cli.main(["--root", str(root), "build"]) == 0
    assert len(calls) == 1
    assert (root / "site" / "courses" / "course-a" / "index.html").is_file()


def test_search_index_from_cache_is_identical_and_skips_jieba(
    project: Writer, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import cache, search_index
    from generator.validate import load_catalog

    root = project()
    catalog, _ = load_catalog(root)
    assert catalog is not None
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cold = search_index.build(catalog, root)

    def fresh_process() -> None:
        cache.Memo._open.clear()
        search_index._LazyTokenizer._made.clear()

    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    fresh_process()
    assert search_index.build(catalog, root) == cold
    assert search_index._LazyTokenizer._made  # jieba was needed to fill the cache
    fresh_process()
    assert search_index.build(catalog, root) == cold
    assert not search_index._LazyTokenizer._made  # every document came from the cache

    # A damaged cache file is only a slower build.
    (folder / "search-terms.json").write_text('{"version": ', encoding="utf-8")
    fresh_process()
    assert search_index.build(catalog, root) == cold

    # A changed dictionary is a different cache: nothing stale is reused.
    (root / "content" / "jieba_userdict.txt").write_text("直播带货 3000 n\n网店开设 3000 n\n", encoding="utf-8")
    fresh_process()
    search_index.build(catalog, root)
    assert search_index._LazyTokenizer._made


# --------------------------------------------------------------------------- pagination

PAGE_SIZE = 40
GROWN = 300  # courses; with PAGE_SIZE 40 every list of the catalogue is split


@pytest.fixture(scope="module")
def grown_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of 300 courses built with a page size of 40: the 10,000-course case, scaled down."""
    from generator.cli import build_site

    from .conftest import MKDOCS_YML, course_yaml, tiny_files

    root = tmp_path_factory.mktemp("grown")
    files = {
        **tiny_files(),
        "mkdocs.yml": MKDOCS_YML.replace("  - catalog\n", f"  - catalog:\n      page_size: {PAGE_SIZE}\n"),
    }
    files["content/jieba_userdict.txt"] = "直播带货 3000 n\n"
    levels = ("入门", "进阶", "高级")
    for n in range(GROWN):
        module = "shop" if n % 3 else "tour"
        cid = f"grown-{n:03d}"
        files[f"content/courses/{module}/{cid}.yml"] = course_yaml(cid, f"第{n}号课程", module, levels[n % 3])
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    build_site(root, root / "site")
    return root / "site"


def _course_links(html: str) -> list[str]:
    return re.findall(r'<a class="cc-item__title" href="[./]*courses/([^/"]+)/"', html)


def test_no_page_grows_with_the_catalogue(grown_site: Path) -> None:
    sizes = {p.relative_to(grown_site).as_posix(): p.stat().st_size for p in grown_site.rglob("*.html")}
    course_pages = [s for uri, s in sizes.items() if uri.startswith("courses/")]
    # A list page of 40 courses weighs about as much as four course pages, wherever the 300 are listed.
    assert max(sizes.values()) < 5 * max(course_pages), sorted(sizes.items(), key=lambda x: -x[1])[:3]
    assert max(sizes.values()) < 120_000


def test_structured_data_lists_the_courses_of_its_page_only(grown_site: Path) -> None:
    # Each numbered page's ItemList holds the courses it shows, numbered on from the pages before;
    # listing the whole catalogue there made the finder's first page 880 KB at 10,000 courses.
    from .test_public import graph, of_type

    for folder, total in (("finder", GROWN + 7), ("modules/shop", 200 + 7)):
        count = -(-total // PAGE_SIZE)
        urls, positions = [], []
        for number in range(1, count + 1):
            url = folder + ("/" if number == 1 else f"/{number}/")
            (items,) = of_type(graph(grown_site, url), "ItemList")
            assert items["numberOfItems"] == total
            elements = items["itemListElement"]
            shown = _course_links((grown_site / url / "index.html").read_text(encoding="utf-8"))
            assert [e["url"].rstrip("/").rsplit("/", 1)[1] for e in elements] == shown
            urls += shown
            positions += [e["position"] for e in elements]
        assert positions == list(range(1, total + 1)) and len(set(urls)) == total


def test_the_finder_without_javascript_is_split_into_numbered_pages(grown_site: Path) -> None:
    total = GROWN + 7
    count = -(-total // PAGE_SIZE)
    seen: list[str] = []
    for number in range(1, count + 1):
        page = grown_site / "finder" / ("" if number == 1 else f"{number}/") / "index.html"
        html = page.read_text(encoding="utf-8")
        seen += _course_links(html.split('id="cc-finder-results"')[1])
        nav = re.findall(r'<nav class="cc-pages" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
        assert nav and all(label == "课程列表分页" for label, _ in nav)
        current = re.findall(r'<a href="([^"]+)" aria-current="page">(\d+)</a>', nav[0][1])
        assert [n for _, n in current] == [str(number)]
        assert f"第 {number} 页，共 {count} 页" in nav[0][1]
    assert not (grown_site / "finder" / str(count + 1)).exists()
    assert len(seen) == total and len(set(seen)) == total  # every course once, in pages of 40

    # The script's data: the same courses, in fixed-size files it fetches when the filters are used.
    rows = [row for path in sorted(grown_site.glob("finder/data-*.json")) for row in json.loads(path.read_bytes())]
    assert sorted(r[0].split("/")[1] for r in rows) == sorted(seen)
    assert 'data-chunks="1"' in (grown_site / "finder" / "index.html").read_text(encoding="utf-8")


def test_module_instructor_and_tag_lists_are_paged(grown_site: Path) -> None:
    shop = _course_links((grown_site / "modules" / "shop" / "index.html").read_text(encoding="utf-8"))
    assert len(shop) == PAGE_SIZE
    pages = [*sorted(grown_site.glob("modules/shop/*/index.html")), grown_site / "modules/shop/index.html"]
    listed = [c for p in pages for c in _course_links(p.read_text(encoding="utf-8"))]
    assert len(listed) == len(set(listed)) == 200 + 7  # two thirds of the grown ones and the tiny seven
    teacher = [grown_site / "instructors/teacher/index.html", *grown_site.glob("instructors/teacher/*/index.html")]
    assert len({c for p in teacher for c in _course_links(p.read_text(encoding="utf-8"))}) == GROWN + 7
    # Printable handouts too, each course once with its QR code's page, in pages of the list size.
    handout = [grown_site / "handouts/modules/shop/index.html", *grown_site.glob("handouts/modules/shop/*/index.html")]
    printed = [re.findall(r'class="cc-handout__item"', p.read_text(encoding="utf-8")) for p in handout]
    assert len(handout) == -(-(200 + 7) // PAGE_SIZE) and max(len(p) for p in printed) == PAGE_SIZE
    assert sum(len(p) for p in printed) == 200 + 7
    tags = (grown_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "查看带“网店开设”标签的全部 307 门课程" in tags
    tag_pages = [grown_site / "tags/store-setup/index.html", *grown_site.glob("tags/store-setup/*/index.html")]
    assert len(tag_pages) == -(-(GROWN + 7) // PAGE_SIZE)


def test_the_bundled_catalogue_is_not_paged(real_site: Path) -> None:
    finder = (real_site / "finder" / "index.html").read_text(encoding="utf-8")
    assert "cc-pages" not in finder and "data-chunks" not in finder
    # One data file only: the keyword text the script fetches on first use of the keyword box.
    assert [p.name for p in real_site.glob("finder/*.json")] == ["text.json"]
    assert not (real_site / "finder" / "2").exists()
    assert not (real_site / "tags" / "finance").exists()


def test_the_paged_finder_filters_every_course_from_its_data(grown_site: Path, phone: Any) -> None:
    from .browser import serve

    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    with serve(grown_site) as url:
        phone.goto(url + "finder/3/")
        assert not [r for r in requests if r.endswith(".json")]  # no data until the filters are used
        phone.fill("#cc-finder-q", "第123号")
        phone.wait_for_function("document.getElementById('cc-finder-status').textContent.startsWith('找到')")
        links = phone.eval_on_selector_all("#cc-finder-results li a", "els => els.map(a => a.href)")
        assert links == [url + "courses/grown-123/"]
        assert phone.text_content("#cc-finder-status") == "找到 1 门课程"
        assert [r for r in requests if r.endswith(".json")] == [url + "finder/data-0.json"]

        phone.fill("#cc-finder-q", "")
        phone.click("#cc-filters > summary")  # on a phone the filters open from their button
        phone.check('input[name="module"][value="tour"]')
        phone.wait_for_function("location.search.includes('module=tour')")
        assert phone.text_content("#cc-finder-status") == "找到 100 门课程"
        assert phone.text_content('[data-count-for="module=shop"]') == "（207）"
        assert phone.is_hidden("#cc-finder-list")  # the numbered pages give way to the matches


# --------------------------------------------------------------------------- serve

SERVE_URL = "http://127.0.0.1:8000/"


class Preview:
    """``catalog serve``'s builds, run in-process: one plugin instance, dirty rebuilds."""

    def __init__(self, root: Path, site: Path) -> None:
        self.root, self.site = root, site
        self.plugin: Any = None

    def build(self) -> None:
        from mkdocs.commands.build import build

        from generator.site_files import load_config

        config = load_config(self.root / "mkdocs.yml", site_dir=str(self.site), strict=False)
        if self.plugin is None:
            config.plugins.on_startup(command="serve", dirty=True)
            self.plugin = config.plugins["catalog"]
        assert config.plugins["catalog"] is self.plugin  # MkDocs keeps the instance between rebuilds
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL, dirty=True)

    def close(self) -> None:
        self.plugin.on_shutdown()


def _html(site: Path) -> dict[str, str]:
    """The site's pages, less what differs by design under serve: the problems script and the
    canonical links of a site served at a URL (blank lines ignored)."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"<script>\n\(function \(\) \{\n  fetch.*?</script>\n", "", text, flags=re.S)
        text = re.sub(r'<link rel="canonical" href="http://127.0.0.1:8000/[^"]*">', "", text)
        out[path.relative_to(site).as_posix()] = "\n".join(line for line in text.splitlines() if line.strip())
    return out


def test_a_save_rebuilds_only_what_depends_on_it_and_matches_a_full_build(
    project: Writer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from generator.cli import build_site

    # The public address serve gives the site (structured data, QR codes), for the full build too.
    root = project({"mkdocs.yml": MKDOCS_YML + f"site_url: {SERVE_URL}\n"})
    site = tmp_path_factory.mktemp("preview") / "site"
    preview = Preview(root, site)
    try:
        preview.build()
        before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
        course = root / "content/courses/shop/course-c.yml"
        course.write_text(course.read_text(encoding="utf-8").replace("一句话简介。", "改过的简介。"), encoding="utf-8")
        preview.build()
        changed = sorted(p.relative_to(site).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)
        # Rewritten: the course's own page and the pages listing it (they show its summary);
        # every page that does not mention it is left alone (MkDocs writes its 404 page each time).
        assert "courses/course-c/index.html" in changed
        for path in before:
            if "course-c" not in path.read_text(encoding="utf-8") and path.name != "404.html":
                assert path.relative_to(site).as_posix() not in changed
        assert preview.plugin.render_cache.reused > 0
        assert "改过的简介。" in (site / "courses/course-c/index.html").read_text(encoding="utf-8")

        preview.close()  # serve and build never share a process (MkDocs keeps the plugin instance)
        full = tmp_path_factory.mktemp("full") / "site"
        build_site(root, full)
        served, built = _html(site), _html(full)
        assert served.keys() == built.keys()
        for uri in built:
            assert served[uri] == built[uri], uri
    finally:
        preview.close()


def test_a_broken_save_keeps_the_preview_and_reports_where(
    project: Writer, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], phone: Any
) -> None:
    from .browser import serve

    root = project()
    site = tmp_path_factory.mktemp("preview") / "site"
    preview = Preview(root, site)
    try:
        preview.build()
        good = _html(site)
        assert json.loads((site / "_catalog/problems.json").read_text(encoding="utf-8")) == []
        course = root / "content/courses/shop/course-c.yml"
        text = course.read_text(encoding="utf-8")
        course.write_text(text.replace("level: 入门", "level: 很难"), encoding="utf-8")
        preview.build()  # no exception: the server goes on
        err = capsys.readouterr().err
        assert "content/courses/shop/course-c.yml:6:8" in err and "预览保持上次成功的版本" in err
        assert _html(site) == good
        problems = json.loads((site / "_catalog/problems.json").read_text(encoding="utf-8"))
        assert problems and problems[0].startswith("content/courses/shop/course-c.yml:6:8")
        with serve(site) as url:  # the browser shows them on top of the page, which is still there
            phone.goto(url + "courses/course-a/")
            phone.wait_for_selector("#cc-preview-problems")
            banner = phone.text_content("#cc-preview-problems")
            assert "content/courses/shop/course-c.yml:6:8" in banner and "上次成功" in banner
            assert phone.get_attribute("#cc-preview-problems", "role") == "alert"
            assert phone.text_content("h1") == "课程A"

        course.write_text(text, encoding="utf-8")  # fixed: the banner goes away
        preview.build()
        assert json.loads((site / "_catalog/problems.json").read_text(encoding="utf-8")) == []
    finally:
        preview.close()
