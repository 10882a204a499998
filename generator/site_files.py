"""The files the generator ships inside its package (``generator/site/``), found by path.

They are package data, so an installed (not editable) ``catalog`` builds a content folder whose
mkdocs.yml names no path into the package: the page templates, the static assets MkDocs copies
(its ``docs_dir``), the theme overrides (a theme folder the plugin adds) and the service worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SITE = Path(__file__).resolve().parent / "site"
PAGES = SITE / "pages"  # Jinja templates of the generated pages
STATIC = SITE / "static"  # copied as they are: MkDocs' docs_dir
OVERRIDES = SITE / "overrides"  # templates over the Material theme's
SERVICE_WORKER = SITE / "sw.js"  # template of the service worker written after the build


def load_config(config_file: Path, **options: Any) -> Any:
    """MkDocs' configuration of a content project, with the packaged static assets as docs_dir.

    A content project has no documents of its own (every page is generated), so its mkdocs.yml
    needs no docs_dir; MkDocs checks that folder before any plugin runs, hence it is given here.
    """
    from mkdocs.config import load_config as mkdocs_load_config

    return mkdocs_load_config(str(config_file), docs_dir=str(STATIC), **options)
