"""The MkDocs plugin: wires the pure core into a build. Nothing else lives here."""

from __future__ import annotations

import html
import json
import os
import posixpath
import shutil
import sys
import tempfile
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

from . import cms, load, offline, opendata, pages, preview, publish, schema, search_index, site_files, sitedir
from .model import Catalog
from .problems import Problem, format_problems, summary
from .safe_html import IMAGE_FOLDER
from .urls import page_url, src_of
from .validate import load_catalog

PREVIEW_ENV = "CATALOG_PREVIEW"
"""Set to 1 for a preview build (drafts shown and marked, placeholders allowed); serve is one."""


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
        # Seconds spent in the generator's own work (wall clock and CPU), read by bench/.
        self.timings: dict[str, float] = {}
        self.cpu_timings: dict[str, float] = {}
        # Under `catalog serve` the instance lives across rebuilds (it has on_startup), and keeps:
        self.serving = False
        self.render_cache: pages.RenderCache | None = None  # pages and what they were made from
        self.preview: preview.Preview | None = None  # generated files on disk, for MkDocs' dirty rebuilds
        self.problems: list[Problem] = []  # of the last save, shown while the last good preview stays
        self.nav: list[Any] = []
        self.bytecode = preview.MemoryBytecodeCache()
        self.index_job: search_index.Background | None = None  # a build's search index, in the making

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` / `catalog serve` is a preview (drafts shown and marked); a build is
        # published unless asked otherwise.
        self.serving = command == "serve"
        if self.serving:
            load.keep_parsed(True)
            self.render_cache = pages.RenderCache()
            self.preview = preview.Preview(Path(tempfile.mkdtemp(prefix="catalog-preview-")))

    def on_shutdown(self) -> None:
        # MkDocs keeps this instance for later builds in the same process: leave nothing of serve.
        self._stop_index()
        if self.preview is not None:
            self.preview.wait()
            shutil.rmtree(self.preview.folder, ignore_errors=True)
        self.serving, self.preview, self.render_cache, self.catalog, self.problems = False, None, None, None, []
        load.keep_parsed(False)

    def _timed(self, name: str, wall: float, cpu: float) -> None:
        self.timings[name] = time.perf_counter() - wall
        self.cpu_timings[name] = time.process_time() - cpu

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        # `mkdocs build` empties site_dir right after this hook: refuse folders that are not sites.
        refused = sitedir.message(self.root, Path(config.site_dir))
        if refused is not None:
            raise PluginError(refused)
        _add_theme_overrides(config)
        start, cpu = time.perf_counter(), time.process_time()
        catalog: Catalog | None
        problems: list[Problem] = []
        if self.preloaded is not None and self.preloaded[0] == self.root:
            catalog = self.preloaded[1]  # loaded by `catalog build` for the same mode (drafts or not)
        else:
            preview = self.serving or os.environ.get(PREVIEW_ENV) == "1"
            catalog, problems = load_catalog(self.root, published=not preview)
        self.preloaded = None
        self._timed("load_validate", start, cpu)
        self.problems = problems
        if catalog is None:
            message = f"内容有错误，站点没有生成。{summary(problems)}\n{format_problems(problems)}"
            if not (self.serving and self.catalog is not None):
                raise PluginError(message)
            # A broken save under serve: the terminal and the browser show the located problems,
            # and the preview stays as it was (the rebuild below finds nothing changed).
            print(
                f"内容有错误，预览保持上次成功的版本。{summary(problems)}\n{format_problems(problems)}", file=sys.stderr
            )
            config.nav = self.nav
            return config
        self.catalog = catalog
        config.nav = self.nav = _navigation(catalog)
        if not self.serving:
            # The search index, on the other core while the pages are made (see on_post_build).
            self._stop_index()
            self.index_job = search_index.Background(catalog, self.root)
        return config

    def _stop_index(self) -> None:
        if self.index_job is not None:
            self.index_job.close()
            self.index_job = None

    def _take_index(self, catalog: Catalog) -> dict[str, bytes]:
        """A build's search index: from its child process (waiting for it), else made here."""
        start, cpu = time.perf_counter(), time.process_time()
        job, self.index_job = self.index_job, None
        index = job.result() if job is not None else search_index.build(catalog, self.root)
        self._timed("search_index", start, cpu)
        return index

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_index()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.catalog is None:
            return None
        start, cpu = time.perf_counter(), time.process_time()
        renderer = pages.Renderer(
            self.catalog, root=self.root, page_size=self.config.page_size, site_url=config.site_url or ""
        )
        rendered = renderer.render_all(self.render_cache)
        finder_data = renderer.finder_data()
        self._timed("render", start, cpu)
        preview = self.preview
        index: dict[str, bytes] = {}  # a build's: made in a child process meanwhile (see on_config)
        if preview is not None and preview.index is not None:
            # Serve: the page first, the search index right after it (see on_post_build).
            preview.wait()
            index = preview.index
        elif preview is not None:
            index = preview.index = search_index.build(self.catalog, self.root)
        start, cpu = time.perf_counter(), time.process_time()
        data_files = opendata.build(self.catalog, self.root, config.site_url or "")
        self._timed("opendata", start, cpu)
        # The web editor: its own page and config, outside the theme; no public page links its script.
        data_files[f"{cms.ADMIN_DIR}/index.html"] = cms.admin_html(config.site_name).encode("utf-8")
        data_files[f"{cms.ADMIN_DIR}/config.yml"] = cms.config_file(self.root, self.catalog)
        if preview is None and (self.index_job is None or self.index_job.ready()):
            # Made by now (as on most builds after the first): MkDocs writes it with the rest.
            # Else MkDocs renders the pages meanwhile, and on_post_build writes it.
            index = self._take_index(self.catalog)
        if preview is not None:
            preview.begin(config, self.nav)
        for uri, data in sorted({**index, **finder_data, **data_files}.items()):
            files.append(preview.file(config, uri, data) if preview else File.generated(config, uri, content=data))
        titles = _nav_titles(config.nav)
        for src_uri in sorted(rendered):
            if files.get_file_from_path(src_uri) is not None:
                files.remove(files.get_file_from_path(src_uri))  # type: ignore[arg-type]
            # MkDocs reads the front matter (title, hidden toc); the body is HTML already and
            # skips the Markdown pass, which was most of MkDocs' own time per page.
            front, body = pages.split_front_matter(rendered[src_uri])
            if preview is not None:
                # The whole page on disk, rewritten only when it changed: MkDocs' dirty rebuild
                # then builds just the pages whose source is newer than their HTML.
                file = preview.file(config, src_uri, rendered[src_uri].encode("utf-8"))
            else:
                file = File.generated(config, src_uri, content=front)
            files.append(file)
            _HtmlPage(titles.get(src_uri), file, config, body)
        if preview is not None:
            preview.end(config)
        # Only the images that passed the checks (real files, type by content, size): see publish.
        images = self.root / IMAGE_FOLDER
        for path in publish.images(self.root)[0]:
            uri = f"{pages.IMAGES_URL}/{path.relative_to(images).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if not self.config.enabled:
            return None
        # The theme overrides link pages as the page templates do: no page path spelled in them.
        env.globals["page_url"] = page_url
        if self.serving:
            env.bytecode_cache = self.bytecode  # the theme's templates compile once per serve
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

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if not self.serving:
            return None
        # Under serve every page asks for the problems of the last save and shows them on top.
        script = _PROBLEMS_SCRIPT.replace("PROBLEMS", json.dumps(pages.relative_url(page.file.src_uri, _PROBLEMS_FILE)))
        return output.replace("</body>", script + "</body>", 1)

    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        site = Path(config.site_dir)
        if self.preview is not None:
            if self.catalog is not None and not self.problems:
                # The search index follows in the background; the service worker, which hashes
                # the whole site, is written once the index is in place.
                self.preview.update_index(self.catalog, self.root, site, then=offline.write_service_worker)
        elif self.catalog is not None:
            if self.index_job is not None:
                for uri, data in self._take_index(self.catalog).items():
                    (site / uri).parent.mkdir(parents=True, exist_ok=True)
                    (site / uri).write_bytes(data)
            # Before the marker: its cache version is a hash of everything the build wrote.
            offline.write_service_worker(site)
        sitedir.write_marker(site)  # marks it as a site a later build may replace
        if self.serving:
            lines = format_problems(self.problems).splitlines() if self.problems else []
            target = Path(config.site_dir) / _PROBLEMS_FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            # A save under content/ or cases/, or of a page template, rebuilds and reloads the browser.
            for folder in ("content", "cases"):
                if (self.root / folder).is_dir():
                    server.watch(str(self.root / folder))
            server.watch(str(site_files.PAGES))
        return server


_PROBLEMS_FILE = "_catalog/problems.json"
_PROBLEMS_SCRIPT = """<script>
(function () {
  fetch(new URL(PROBLEMS, location.href), { cache: "no-store" }).then(function (r) {
    return r.json();
  }).then(function (lines) {
    if (!lines.length) return;
    var box = document.createElement("div");
    box.id = "cc-preview-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:sticky;top:0;z-index:10;padding:.8em 1em;background:#b71c1c;color:#fff;" +
      "white-space:pre-wrap;font-size:.75rem;line-height:1.5";
    box.textContent = "内容有错误，下面仍是上次成功生成的预览。请按提示修改后保存：\\n" + lines.join("\\n");
    document.body.insertBefore(box, document.body.firstChild);
  }).catch(function () {});
})();
</script>
"""


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


def _add_theme_overrides(config: MkDocsConfig) -> None:
    # The packaged overrides sit just above the theme's own folders, below a project's custom_dir
    # (theme.dirs lists the custom_dir first, then the theme's), so a project can still override.
    dirs: list[str] = config.theme.dirs
    overrides = str(site_files.OVERRIDES)
    if overrides not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, overrides)


def _navigation(catalog: Catalog) -> list[Any]:
    # Sections and modules only: a full course list in every page's sidebar would make the
    # output grow with the square of the catalogue. Titles are escaped: the theme prints them raw.
    esc = html.escape
    return [
        {"首页": src_of("home")},
        {"课程模块": [{esc(m.name): src_of("module", m.id)} for m in catalog.ordered_modules()]},
        {"课程检索": src_of("finder")},
        {"搜索": src_of("search")},
        {"学习路径": src_of("paths")},
        {"成功案例": src_of("cases")},
        {"培训场次": src_of("sessions")},
        {"讲师": src_of("instructors")},
        {"课程标签": src_of("tags")},
        *({esc(t.label): src_of(f"{t.name}-list")} for t in schema.CONTENT_TYPES.values() if t.list_page),
        {"关于": src_of("about")},
    ]
