"""Search benchmark: bytes a phone downloads before the first result, and keystroke-to-results time.

Usage: python bench/search.py [--size 10000]
For the bundled catalogue (200 courses) and a synthetic one, in headless chromium, over the
queries of tests/search_queries.yml. Prints figures only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
from pathlib import Path

import yaml
from browser import CHROMIUM, CHROMIUM_ARGS, percentile, serve
from playwright.sync_api import sync_playwright
from synthetic import ROOT, bundled, scaled, write_pages

QUERIES = [q["query"] for q in yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))]


def measure(folder: Path, label: str) -> None:
    index = {p.name: p.read_bytes() for p in (folder / "search").glob("*.json")}
    raw = sum(len(b) for b in index.values())
    packed = sum(len(gzip.compress(b)) for b in index.values())
    print(f"[{label}] whole index: {len(index)} files, {raw / 1000:.0f} KB raw, {packed / 1000:.0f} KB gzip")
    with serve(folder) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first_bytes: list[tuple[int, int]] = []
        times: list[float] = []
        for n, query in enumerate(QUERIES):
            # A fresh page per query: nothing cached, as for a trainee arriving from a link.
            page = browser.new_context().new_page()
            got: dict[str, bytes] = {}
            page.on(
                "response",
                lambda r, got=got: (
                    got.__setitem__(r.url, r.body()) if "/search/" in r.url and r.url.endswith(".json") else None
                ),
            )
            page.goto(url + "search/")
            page.evaluate("document.addEventListener('cc-search-done', e => { window.__done = e.detail })")
            page.type("#cc-q", query, delay=20)
            page.wait_for_function("window.__done", timeout=30_000)
            times.append(page.evaluate("window.__done.ms"))
            first_bytes.append((sum(len(b) for b in got.values()), sum(len(gzip.compress(b)) for b in got.values())))
            if n == 0:
                warm = []
                for again in QUERIES[1:]:
                    page.evaluate("window.__done = null")
                    page.fill("#cc-q", again)
                    page.wait_for_function("window.__done", timeout=30_000)
                    warm.append(page.evaluate("window.__done.ms"))
            page.context.close()
        browser.close()
    raw_b = [r for r, _ in first_bytes]
    gz_b = [g for _, g in first_bytes]
    print(
        f"[{label}] search data downloaded before the first result, per query (cold): "
        f"median {statistics.median(raw_b) / 1000:.0f} KB raw / {statistics.median(gz_b) / 1000:.0f} KB gzip, "
        f"max {max(raw_b) / 1000:.0f} KB raw / {max(gz_b) / 1000:.0f} KB gzip"
    )
    print(
        f"[{label}] last keystroke to results, cold (includes the 120 ms typing pause): "
        f"median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms"
    )
    print(
        f"[{label}] last keystroke to results, warm (same page, {len(warm)} queries): "
        f"median {statistics.median(warm):.0f} ms, p95 {percentile(warm, 0.95):.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    catalog = bundled()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (len(catalog.courses), args.size):
            folder = write_pages(scaled(catalog, size), Path(tmp) / f"n{size}")
            measure(folder, f"{size} courses")
    print(json.dumps({"queries": len(QUERIES)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
