"""The MkDocs plugin: wires the pure core into a build. Nothing else lives here."""

from __future__ import annotations

import html
import posixpath
import time
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import pages, search_index
from .model import Catalog
from .problems import Problem, format_problems, summary
from .validate import load_catalog


class CatalogConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # The project root holding content/ and cases/; defaults to the folder of mkdocs.yml.
    root = c.Optional(c.Type(str))
    # Lists longer than this (finder, module, instructor and tag pages) are split into numbered pages.
    page_size = c.Type(int, default=pages.PAGE_SIZE)


class CatalogPlugin(BasePlugin[CatalogConfig]):
    """Loads and validates the content, then adds one generated page per thing."""

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        # A catalogue already loaded and validated for this root (by `catalog build`), used once.
        self.preloaded: tuple[Path, Catalog] | None = None
        self.root = Path.cwd()
        # Seconds spent in the generator's own work, read by bench/build.py.
        self.timings: dict[str, float] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        start = time.perf_counter()
        catalog: Catalog | None
        problems: list[Problem] = []
        if self.preloaded is not None and self.preloaded[0] == self.root:
            catalog = self.preloaded[1]
        else:
            catalog, problems = load_catalog(self.root)
        self.preloaded = None
        self.timings["load_validate"] = time.perf_counter() - start
        if catalog is None:
            raise PluginError(f"内容有错误，站点没有生成。{summary(problems)}\n{format_problems(problems)}")
        self.catalog = catalog
        config.nav = _navigation(catalog)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.catalog is None:
            return None
        start = time.perf_counter()
        renderer = pages.Renderer(self.catalog, root=self.root, page_size=self.config.page_size)
        rendered = renderer.render_all()
        finder_data = renderer.finder_data()
        self.timings["render"] = time.perf_counter() - start
        start = time.perf_counter()
        index = search_index.build(self.catalog, self.root)
        self.timings["search_index"] = time.perf_counter() - start
        for uri, data in sorted({**index, **finder_data}.items()):
            files.append(File.generated(config, uri, content=data))
        titles = _nav_titles(config.nav)
        for src_uri in sorted(rendered):
            if files.get_file_from_path(src_uri) is not None:
                files.remove(files.get_file_from_path(src_uri))  # type: ignore[arg-type]
            # MkDocs reads the front matter (title, hidden toc); the body is HTML already and
            # skips the Markdown pass, which was most of MkDocs' own time per page.
            front, body = pages.split_front_matter(rendered[src_uri])
            file = File.generated(config, src_uri, content=front)
            files.append(file)
            _HtmlPage(titles.get(src_uri), file, config, body)
        images = self.root / "content" / "images"
        if images.is_dir():
            for path in sorted(images.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    uri = f"{pages.IMAGES_URL}/{path.relative_to(images).as_posix()}"
                    files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # The theme's sidebars (navigation and table of contents) cost more than a page's own
        # content; a page outside the navigation with no table of contents gets the same sidebars
        # as its siblings (links are relative to the folder), so they are rendered once per folder.
        sidebars: dict[tuple[str, str], Any] = {}

        def catalog_sidebars(page: Any, render: Any) -> Any:
            if page is None or page.active or page.toc or page.parent is not None:
                return render()
            key = (posixpath.dirname(page.url.rstrip("/")), repr(page.meta.get("hide")))
            if key not in sidebars:
                sidebars[key] = render()
            return sidebars[key]

        env.globals["catalog_sidebars"] = catalog_sidebars
        return env

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            # A save under content/ or cases/ rebuilds and reloads the browser.
            for folder in ("content", "cases"):
                if (self.root / folder).is_dir():
                    server.watch(str(self.root / folder))
        return server


class _HtmlPage(Page):
    """A generated page: its body is HTML from the templates, so MkDocs' Markdown pass is skipped.

    Nothing is lost: the body is raw HTML, which Markdown passes through, and MkDocs checks no
    link inside raw HTML. ``pages.relative_url`` builds every link from a page's source path.
    """

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, body: str) -> None:
        super().__init__(title, file, config)
        self.body = body

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.body
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def _nav_titles(nav: Any) -> dict[str, str]:
    """The titles the navigation gives pages (MkDocs uses them over the page's own title)."""
    out: dict[str, str] = {}
    for item in nav or []:
        for title, value in item.items():
            if isinstance(value, str):
                out[value] = title
            else:
                out.update(_nav_titles(value))
    return out


def _navigation(catalog: Catalog) -> list[Any]:
    # Sections and modules only: a full course list in every page's sidebar would make the
    # output grow with the square of the catalogue. Titles are escaped: the theme prints them raw.
    esc = html.escape
    return [
        {"首页": "index.md"},
        {"课程模块": [{esc(m.name): f"modules/{m.id}.md"} for m in catalog.ordered_modules()]},
        {"课程检索": "finder.md"},
        {"搜索": "search.md"},
        {"学习路径": "paths/index.md"},
        {"成功案例": "cases/index.md"},
        {"培训场次": "sessions.md"},
        {"讲师": "instructors/index.md"},
        {"课程标签": "tags.md"},
        {"关于": "about.md"},
    ]
