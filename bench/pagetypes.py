"""Shared by bench/budget.py and bench/lighthouse.py: a build of the bundled site served with gzip,
as a static host would, and one URL of each page type."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.validate import load_catalog  # noqa: E402

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".ics", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it (as any production host does)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if (
            path.suffix not in COMPRESSIBLE
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served_build(out: Path) -> Iterator[str]:
    """Build the bundled content with its public address set to the local server, then serve it."""
    from generator.cli import build_site

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    os.environ["SITE_URL"] = url
    build_site(ROOT, out)
    handler = functools.partial(GzipHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def page_types() -> dict[str, str]:
    catalog, _ = load_catalog(ROOT)
    assert catalog is not None
    return {
        "home": "",
        "module": f"modules/{catalog.ordered_modules()[0].id}/",
        "course": f"courses/{sorted(catalog.courses)[0]}/",
        "case": f"cases/{sorted(catalog.cases)[0]}/",
        "path": f"paths/{sorted(catalog.paths)[0]}/",
        "sessions": "sessions/",
        "instructor": f"instructors/{sorted(catalog.instructors)[0]}/",
        "finder": "finder/",
        "finder?q": "finder/?module=homestay&level=%E5%85%A5%E9%97%A8",
        "search": "search/?q=%E7%9B%B4%E6%92%AD",
        "about": "about/",
    }
