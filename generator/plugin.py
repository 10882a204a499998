"""The MkDocs plugin: wires the pure core into a build. Nothing else lives here."""

from __future__ import annotations

import html
import os
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

from . import cms, offline, opendata, pages, publish, search_index, site_files, sitedir
from .model import Catalog
from .problems import format_problems, summary
from .safe_html import IMAGE_FOLDER
from .urls import page_url, src_of
from .validate import load_catalog

PREVIEW_ENV = "CATALOG_PREVIEW"
"""Set to 1 for a preview build (drafts shown and marked, placeholders allowed); serve is one."""


class CatalogConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # The project root holding content/ and cases/; defaults to the folder of mkdocs.yml.
    root = c.Optional(c.Type(str))


class CatalogPlugin(BasePlugin[CatalogConfig]):
    """Loads and validates the content, then adds one generated page per thing."""

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.serving = False
        self.root = Path.cwd()
        # Seconds spent in the generator's own work, read by bench/build.py.
        self.timings: dict[str, float] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` / `catalog serve` is a preview; a build is published unless asked otherwise.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        # `mkdocs build` empties site_dir right after this hook: refuse folders that are not sites.
        refused = sitedir.message(self.root, Path(config.site_dir))
        if refused is not None:
            raise PluginError(refused)
        start = time.perf_counter()
        preview = self.serving or os.environ.get(PREVIEW_ENV) == "1"
        catalog, problems = load_catalog(self.root, published=not preview)
        self.timings["load_validate"] = time.perf_counter() - start
        if catalog is None:
            raise PluginError(f"内容有错误，站点没有生成。{summary(problems)}\n{format_problems(problems)}")
        self.catalog = catalog
        config.nav = _navigation(catalog)
        _add_theme_overrides(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.catalog is None:
            return None
        start = time.perf_counter()
        rendered = pages.render_site(self.catalog, config.site_url or "")
        self.timings["render"] = time.perf_counter() - start
        start = time.perf_counter()
        index = search_index.build(self.catalog, self.root)
        self.timings["search_index"] = time.perf_counter() - start
        data = opendata.build(self.catalog, self.root, config.site_url or "")
        for uri in sorted({**index, **data}):
            files.append(File.generated(config, uri, content={**index, **data}[uri]))
        for src_uri in sorted(rendered):
            if files.get_file_from_path(src_uri) is not None:
                files.remove(files.get_file_from_path(src_uri))  # type: ignore[arg-type]
            files.append(File.generated(config, src_uri, content=rendered[src_uri]))
        # The web editor: its own page and config, outside the theme; no public page links its script.
        files.append(File.generated(config, f"{cms.ADMIN_DIR}/index.html", content=cms.admin_html(config.site_name)))
        files.append(File.generated(config, f"{cms.ADMIN_DIR}/config.yml", content=cms.config_yaml(self.catalog)))
        # Only the images that passed the checks (real files, type by content, size): see publish.
        images = self.root / IMAGE_FOLDER
        for path in publish.images(self.root)[0]:
            uri = f"{pages.IMAGES_URL}/{path.relative_to(images).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if not self.config.enabled:
            return None
        # The theme overrides link pages as the page templates do: no page path spelled in them.
        env.globals["page_url"] = page_url
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if self.catalog is not None:
            # Before the marker: its cache version is a hash of everything the build wrote.
            offline.write_service_worker(Path(config.site_dir))
        sitedir.write_marker(Path(config.site_dir))  # marks it as a site a later build may replace

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            # A save under content/ or cases/ rebuilds and reloads the browser.
            for folder in ("content", "cases"):
                if (self.root / folder).is_dir():
                    server.watch(str(self.root / folder))
        return server


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
        {"关于": src_of("about")},
    ]
