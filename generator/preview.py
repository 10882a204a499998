"""What ``catalog serve`` keeps between rebuilds: generated files written only when they changed,
the search index rebuilt in the background, compiled templates in memory.

Apart from the plugin so that it stays wiring only; nothing here is used by a one-off build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from . import pages, search_index
from .model import Catalog


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory; Jinja checks each against its source before use."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class Preview:
    """Generated files written to a folder under ``catalog serve``, each only when it changed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: dict[str, bytes] = {}
        self.seen: set[str] = set()
        self.nav: list[Any] | None = None
        self.index: dict[str, bytes] | None = None  # the search files, as last built
        self.indexing: threading.Thread | None = None

    def update_index(
        self, catalog: Catalog, root: Path, site_dir: Path, then: Callable[[Path], Any] | None = None
    ) -> None:
        """Build the search index after the pages, in the background, and put the files that
        changed straight into the served site (the next rebuild waits for it to finish); then
        call ``then`` with the site folder."""

        def run() -> None:
            index = search_index.build(catalog, root)
            old = self.index or {}
            for uri, data in index.items():
                if old.get(uri) != data:
                    self.file_data(uri, data)
                    (site_dir / uri).parent.mkdir(parents=True, exist_ok=True)
                    (site_dir / uri).write_bytes(data)
            for uri in set(old) - set(index):
                (site_dir / uri).unlink(missing_ok=True)
            self.index = index
            if then is not None:
                then(site_dir)

        self.wait()
        self.indexing = threading.Thread(target=run, name="catalog-search-index", daemon=True)
        self.indexing.start()

    def wait(self) -> None:
        if self.indexing is not None:
            self.indexing.join()
            self.indexing = None

    def begin(self, config: MkDocsConfig, nav: list[Any]) -> None:
        if nav != self.nav:
            self.written.clear()  # every page shows the navigation: rewrite them all
            self.nav = nav
        self.seen = set()

    def file(self, config: MkDocsConfig, uri: str, data: bytes) -> File:
        self.file_data(uri, data)
        self.seen.add(uri)
        return File.generated(config, uri, abs_src_path=str(self.folder / uri))

    def file_data(self, uri: str, data: bytes) -> None:
        if self.written.get(uri) != data:
            path = self.folder / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.written[uri] = data

    def end(self, config: MkDocsConfig) -> None:
        """Files of pages that no longer exist leave the preview too."""
        for uri in set(self.written) - self.seen:
            del self.written[uri]
            (self.folder / uri).unlink(missing_ok=True)
            built = pages.url_of(uri) + "index.html" if uri.endswith(".md") else uri
            (Path(config.site_dir) / built).unlink(missing_ok=True)
