"""The MkDocs plugin: navigation, search dictionary path and live reload of content folders."""

from __future__ import annotations

from pathlib import Path

from generator import site_files
from generator.site_files import load_config

from .conftest import Writer


class _FakeServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, *args: object, **kwargs: object) -> None:
        self.watched.append(path)


def _configured(root: Path):  # type: ignore[no-untyped-def]
    config = load_config(root / "mkdocs.yml")
    config = config.plugins.on_config(config)
    return config, config.plugins["catalog"]


def test_navigation_lists_sections_and_modules_not_courses(project: Writer) -> None:
    config, _ = _configured(project())
    modules = next(item["课程模块"] for item in config.nav if "课程模块" in item)
    assert modules == [{"网店": "modules/shop.md"}, {"乡村旅游": "modules/tour.md"}]
    assert "courses/course-a.md" not in str(config.nav)


def test_serve_watches_content_and_cases(project: Writer) -> None:
    root = project()
    config, plugin = _configured(root)
    server = _FakeServer()
    plugin.on_serve(server, config, builder=None)
    assert server.watched == [str(root / "content"), str(root / "cases"), str(site_files.PAGES)]


def test_generated_pages_are_virtual_files(project: Writer) -> None:
    from mkdocs.structure.files import get_files

    root = project()
    config, plugin = _configured(root)
    files = plugin.on_files(get_files(config), config)
    page = files.get_file_from_path("courses/course-a.md")
    assert page is not None and page.src_dir is None and page.content_string.startswith("---\ntitle:")
    assert not (root / "courses").exists()  # nothing generated is written into the project
