"""The service worker: a cache named after a hash of the build, precaching the finder and search.

Written after the build (it needs the finished site to hash), from the packaged ``generator/site/sw.js``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import site_files
from .urls import page_url

TEMPLATE = site_files.SERVICE_WORKER
SW_NAME = "sw.js"

# What a first visit stores for later, besides the pages seen: the home page, the finder and the
# search page (PRECACHE_PAGES) with everything they load (globs, relative to the site root).
PRECACHE_PAGES = ("home", "finder", "search")
PRECACHE_PATTERNS = (
    "finder/text.json",  # the finder's keyword text (paging.FINDER_TEXT)
    "search/*.json",
    "assets/*.css",
    "assets/*.js",
    # The theme's stylesheet; not its palette stylesheet (no palette is set) nor its script
    # (assets/theme.js replaces it on every page).
    "assets/stylesheets/main.*.min.css",
    "assets/favicon.svg",
)


def build_hash(site: Path) -> str:
    """A hash of every file in the built site (names and contents), the service worker excepted."""
    files = []
    # os.walk with plain strings: Path.rglob took half of the time at 18,000 files.
    for folder, _, names in os.walk(site):
        rel_folder = os.path.relpath(folder, site).replace(os.sep, "/")
        for name in names:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            if rel != SW_NAME and not rel.endswith(".map"):
                files.append((rel, os.path.join(folder, name)))
    digest = hashlib.sha256()
    for rel, path in sorted(files, key=lambda f: f[0].split("/")):  # as paths sort
        with open(path, "rb") as f:
            digest.update(rel.encode("utf-8") + b"\0")
            digest.update(hashlib.file_digest(f, "sha256").digest())
    return digest.hexdigest()[:16]


def precache_files(site: Path) -> list[str]:
    """The files precached at install, relative to the site root, sorted."""
    patterns = (*(page_url(kind) + "index.html" for kind in PRECACHE_PAGES), *PRECACHE_PATTERNS)
    found = {p.relative_to(site).as_posix() for pattern in patterns for p in site.glob(pattern) if p.is_file()}
    return sorted(found)


def to_url(rel: str) -> str:
    # Directory URLs, as pages are linked: finder/index.html is fetched as finder/.
    if rel == "index.html":
        return "./"
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def service_worker(site: Path, template: Path = TEMPLATE) -> str:
    # Each precached URL with a hash of its content: a new build copies unchanged files from the
    # previous cache instead of downloading them again.
    revisions = {to_url(f): hashlib.sha256((site / f).read_bytes()).hexdigest()[:12] for f in precache_files(site)}
    text = template.read_text(encoding="utf-8")
    precache = json.dumps(revisions, sort_keys=True, separators=(",", ":"))
    return text.replace("__VERSION__", build_hash(site)).replace("__PRECACHE__", precache)


def write_service_worker(site: Path) -> Path:
    path = site / SW_NAME
    path.write_text(service_worker(site), encoding="utf-8")
    return path
