"""Golden pages: the article area of one generated page per page type, normalised and stored.

The tiny project is built once; each page type's article is pretty-printed (one tag or text run
a line, attributes sorted, whitespace collapsed, escaping made uniform) and compared with
tests/golden/<type>.html. A change shows as a unified diff. When it is intended, rewrite the
files with ``pytest tests/test_golden.py --update-golden`` (or UPDATE_GOLDEN=1) and review the
diff of tests/golden/ like any other change before committing it.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import BUILD_EPOCH, MKDOCS_YML, REPO, tiny_files

GOLDEN = REPO / "tests" / "golden"

# Page type → the tiny project's page of that type (built path, relative to the site).
PAGES = {
    "home": "index.html",
    "about": "about/index.html",
    "finder": "finder/index.html",
    "search": "search/index.html",
    "tags": "tags/index.html",
    "sessions": "sessions/index.html",
    "module": "modules/shop/index.html",
    "course": "courses/course-b/index.html",
    "instructor-list": "instructors/index.html",
    "instructor": "instructors/teacher/index.html",
    "case-list": "cases/index.html",
    "case": "cases/story/index.html",
    "path-list": "paths/index.html",
    "path": "paths/starter/index.html",
    "handout-module": "handouts/modules/shop/index.html",
    "handout-path": "handouts/paths/starter/index.html",
}
# Pages of long lists, from the same project with lists split every 3 courses and tags with more
# than 3 courses on pages of their own: page 2 of a module, a tag's own list, the tags page then.
PAGED = {
    "module-page-2": "modules/shop/2/index.html",
    "finder-page-2": "finder/2/index.html",
    "tag": "tags/livestream/index.html",
    "tags-with-big-tags": "tags/index.html",
}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Pretty(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        shown = "".join(f' {k}="{html.escape(v)}"' if v is not None else f" {k}" for k, v in sorted(attrs))
        return f"<{tag}{shown}>"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.lines.append("  " * self.depth + self._tag(tag, attrs))
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.lines.append("  " * self.depth + self._tag(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth = max(self.depth - 1, 0)
        self.lines.append("  " * self.depth + f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.lines.append("  " * self.depth + html.escape(text, quote=False))


def article(page: str) -> str:
    """The page's article area, pretty-printed."""
    start = page.index('<article class="md-content__inner')
    end = page.index("</article>", start) + len("</article>")
    pretty = _Pretty()
    pretty.feed(page[start:end])
    pretty.close()
    return "\n".join(pretty.lines) + "\n"


def _build_tiny(root: Path, patch: pytest.MonkeyPatch, mkdocs_yml: str = MKDOCS_YML) -> Path:
    from generator.cli import build_site

    files = {**tiny_files(), "mkdocs.yml": mkdocs_yml, "content/jieba_userdict.txt": "直播带货 3000 n\n"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    patch.delenv("SITE_URL", raising=False)  # relative links only: the golden pages hold no host
    build_site(root, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        yield _build_tiny(tmp_path_factory.mktemp("golden"), patch)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from generator import paging

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "TAG_INLINE", 3)
        patch.setattr(paging, "TAG_SHOWN", 2)
        paged = MKDOCS_YML.replace("  - catalog\n", "  - catalog:\n      page_size: 3\n")
        assert paged != MKDOCS_YML
        yield _build_tiny(tmp_path_factory.mktemp("golden-paged"), patch, paged)


@pytest.mark.parametrize("kind", PAGES)
def test_page_matches_its_golden_file(tiny_site: Path, kind: str, update_golden: bool) -> None:
    _compare(tiny_site / PAGES[kind], kind, update_golden)


@pytest.mark.parametrize("kind", PAGED)
def test_page_of_a_long_list_matches_its_golden_file(paged_site: Path, kind: str, update_golden: bool) -> None:
    _compare(paged_site / PAGED[kind], kind, update_golden)


def _compare(page: Path, kind: str, update_golden: bool) -> None:
    actual = article(page.read_text(encoding="utf-8"))
    golden = GOLDEN / f"{kind}.html"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.is_file(), f"no {golden.relative_to(REPO)}: run pytest {__file__} --update-golden"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), str(golden.relative_to(REPO)), "built", lineterm=""
        )
        pytest.fail(
            f"the {kind} page differs from its golden file (if intended: --update-golden, then review):\n"
            + "\n".join(diff),
            pytrace=False,
        )


def test_every_golden_file_belongs_to_a_page_type() -> None:
    stored = {p.stem for p in GOLDEN.glob("*.html")}
    assert stored == set(PAGES) | set(PAGED), "remove golden files of page types that are gone"


def test_the_normalised_article_keeps_text_escaped_and_structure_visible() -> None:
    page = '<main><article class="md-content__inner md-typeset"><p  class="b a">1 &lt; 2\n  <br>x</p></article></main>'
    assert article(page).splitlines() == [
        '<article class="md-content__inner md-typeset">',
        '  <p class="b a">',
        "    1 &lt; 2",
        "    <br>",
        "    x",
        "  </p>",
        "</article>",
    ]
