"""Budget: what a first visit of each page type transfers (gzip), and to which hosts.

Usage: python bench/budget.py
A fresh chromium context per page (no cache), the bundled site served with gzip. Counts every
response the page receives until load plus two idle seconds; the service worker's background
precache (for offline use) is reported apart, with the cache's total size. Budget: ≤ 80 KB gzip
per first visit and zero requests to other hosts.
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS
from pagetypes import page_types, served_build
from playwright.sync_api import sync_playwright

BUDGET_KB = 80


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, served_build(Path(tmp) / "site") as url:
        site = Path(tmp) / "site"
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for kind, path in page_types().items():
                context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
                page = context.new_page()
                seen: list[tuple[str, int, int]] = []

                def on_response(response, seen=seen):  # type: ignore[no-untyped-def]
                    try:
                        body = response.body()
                    except Exception:
                        body = b""
                    seen.append((response.url, len(body), len(gzip.compress(body, 6))))

                page.on("response", on_response)
                page.goto(url + path, wait_until="load")
                page.wait_for_timeout(2000)
                context.close()
                other = [u for u, _, _ in seen if not u.startswith(url) and not u.startswith("data:")]
                raw = sum(r for _, r, _ in seen)
                gz = sum(g for _, _, g in seen)
                rows.append((kind, len(seen), raw, gz, len(other)))
            browser.close()
        print(f"{'page':<12}{'requests':>9}{'raw KB':>9}{'gzip KB':>9}{'other hosts':>12}")
        for kind, n, raw, gz, other in rows:
            flag = "" if gz / 1000 <= BUDGET_KB and other == 0 else "  OVER BUDGET"
            print(f"{kind:<12}{n:>9}{raw / 1000:>9.1f}{gz / 1000:>9.1f}{other:>12}{flag}")
        sw = (site / "sw.js").read_text(encoding="utf-8")
        match = re.search(r"var PRECACHE = (\{.*?\});", sw)
        assert match
        files = [site / (u + "index.html" if u.endswith("/") else u) for u in json.loads(match.group(1))]
        raw = sum(f.stat().st_size for f in files)
        gz = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
        print(
            f"service worker precache (downloaded in the background after the first load, for offline use): "
            f"{len(files)} files, {raw / 1000:.0f} KB raw, {gz / 1000:.0f} KB gzip transferred; "
            f"plus each page seen (about 10-25 KB gzip each)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
