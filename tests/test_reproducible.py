"""Reproducible builds: the same sources give the same bytes, whatever process builds them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import BUILD_EPOCH, REPO, TEST_SITE_URL


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    # Two `catalog build` processes, with different hash seeds so that an order taken from a set
    # or a dict of strings shows, one without the build cache and one with a cache of its own
    # (cold); run side by side to keep the test short.
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "SITE_URL": TEST_SITE_URL}
    sites = [tmp_path / "first", tmp_path / "second"]
    caches = ["off", str(tmp_path / "cache")]
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "--root", str(REPO), "build", "--site-dir", str(site)],
            env={**env, "PYTHONHASHSEED": str(seed), "CATALOG_CACHE": cache},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed, (site, cache) in enumerate(zip(sites, caches, strict=True), 1)
    ]
    for build in builds:
        out, err = build.communicate(timeout=600)
        assert build.returncode == 0, out + err
    first, second = _tree(sites[0]), _tree(sites[1])
    assert len(first) > 300
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # SOURCE_DATE_EPOCH is honoured: the compressed sitemap carries the fixed date, not now.
    header = first["sitemap.xml.gz"][:8]
    assert int.from_bytes(header[4:8], "little") == int(BUILD_EPOCH)
