"""Lighthouse 12 (mobile) on one page of each type of a local build served with gzip.

Usage: npm ci --prefix bench && python bench/lighthouse.py [page type ...]   (or: make lighthouse)
Runs Debian's chromium (CHROME_PATH, default /usr/bin/chromium) headless and prints the
performance, accessibility and SEO scores and the CLS per page. Targets: performance >= 0.95,
accessibility 1.0, SEO 1.0. Slow (about 20 s a page), so CI does not run it; axe runs in the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pagetypes import page_types, served_build

BENCH = Path(__file__).resolve().parent
CLI = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "seo")


def run(url: str, out: Path) -> dict[str, object]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        [
            "node",
            str(CLI),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking",
        ],
        check=True,
        env=env,
    )
    report: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return report


def main() -> int:
    if not CLI.exists():
        raise SystemExit("lighthouse is missing: run `npm ci --prefix bench` first")
    failed = []
    with tempfile.TemporaryDirectory() as tmp, served_build(Path(tmp) / "site") as base:
        print(f"{'page':<12}{'perf':>6}{'a11y':>6}{'seo':>6}{'CLS':>8}  failing audits")
        chosen = sys.argv[1:]
        for kind, path in page_types().items():
            if chosen and kind not in chosen:
                continue
            report = run(base + path, Path(tmp) / "report.json")
            cats = report["categories"]  # type: ignore[index]
            audits = report["audits"]  # type: ignore[index]
            scores = {c: cats[c]["score"] for c in CATEGORIES}  # type: ignore[index]
            cls = audits["cumulative-layout-shift"]["numericValue"]  # type: ignore[index]
            bad = sorted(
                a["id"]
                for c in ("accessibility", "seo")
                for ref in cats[c]["auditRefs"]  # type: ignore[index]
                if ref["weight"] > 0 and (a := audits[ref["id"]])["score"] is not None and a["score"] < 1  # type: ignore[index]
            )
            print(
                f"{kind:<12}{scores['performance']:>6.2f}{scores['accessibility']:>6.2f}{scores['seo']:>6.2f}"
                f"{cls:>8.3f}  {' '.join(bad)}",
                flush=True,
            )
            if scores["performance"] < 0.95 or scores["accessibility"] < 1 or scores["seo"] < 1:
                failed.append(kind)
    print("all targets met" if not failed else f"below target: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
