"""Finder benchmark: time to apply a filter, for the bundled catalogue and a synthetic large one.

Usage: python bench/finder.py [--size 10000] [--runs 15]
Two figures per filter change in headless chromium: the script's own work (filtering, counts,
toggling items), and the time until the next frame is painted. Target: under 50 ms at 10,000.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, percentile, serve
from playwright.sync_api import sync_playwright
from synthetic import bundled, scaled, write_pages

# Each step clicks one option; the sequence is undone and repeated.
STEPS = [
    ("module", "agri-ecommerce"),
    ("level", "入门"),
    ("audience", "返乡创业大学生"),
    ("tag", "livestream"),
    ("hours", "0-4"),
]

MEASURE = """async ([facet, value]) => {
  const input = document.querySelector(`input[name="${facet}"][value="${value}"]`);
  let work = null;
  document.addEventListener('cc-finder-done', e => { work = e.detail.ms }, {once: true});
  const t0 = performance.now();
  input.click();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [work, performance.now() - t0];
}"""


def measure(folder: Path, label: str, runs: int) -> None:
    size = (folder / "finder" / "index.html").stat().st_size
    data = sum(p.stat().st_size for p in (folder / "finder").glob("data-*.json"))
    with serve(folder) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(url + "finder/")
        # A paginated finder loads its data when the filters are first used.
        page.focus("#cc-finder-q")
        page.wait_for_function("/^(显示全部|找到)/.test(document.getElementById('cc-finder-status').textContent)")
        work, frame, restore = [], [], []
        for _ in range(runs):
            sequence = STEPS + STEPS[::-1]  # on, then off again in reverse order
            for n, step in enumerate(sequence):
                w, f = page.evaluate(MEASURE, list(step))
                if n == len(sequence) - 1:
                    restore.append(f)  # the last filter off: every course matches again
                else:
                    work.append(w)
                    frame.append(f)
        typing = []
        for _ in range(runs):
            page.fill("#cc-finder-q", "")
            page.evaluate(
                "document.addEventListener('cc-finder-done', e => { window.__f = e.detail.ms }, {once: true})"
            )
            page.fill("#cc-finder-q", "直播")
            page.wait_for_function("window.__f !== undefined && window.__f !== null")
            typing.append(page.evaluate("window.__f"))
            page.evaluate("window.__f = null")
        browser.close()
    print(
        f"[{label}] finder page {size / 1000:.0f} KB, data {data / 1000:.0f} KB; apply a filter ({len(work)} clicks): "
        f"script median {statistics.median(work):.1f} ms, p95 {percentile(work, 0.95):.1f} ms; "
        f"to next frame median {statistics.median(frame):.1f} ms, p95 {percentile(frame, 0.95):.1f} ms; "
        f"keyword filter script median {statistics.median(typing):.1f} ms; "
        f"clearing the last filter (first page of all courses) to next frame median {statistics.median(restore):.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    catalog = bundled()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (len(catalog.courses), args.size):
            folder = write_pages(scaled(catalog, size), Path(tmp) / f"n{size}")
            measure(folder, f"{size} courses", args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
