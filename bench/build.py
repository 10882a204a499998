"""Build benchmark: how long `catalog check`, the generator's share of a build and the whole build take.

Usage: python bench/build.py [--runs N] [--root PATH]
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.validate import load_catalog  # noqa: E402


def build_once(root: Path, site_dir: Path) -> dict[str, float]:
    from share import measured_build

    return measured_build(root, site_dir)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", default=str(ROOT))
    args = parser.parse_args()
    root = Path(args.root).resolve()

    checks = []
    for _ in range(args.runs):
        start = time.perf_counter()
        catalog, problems = load_catalog(root)
        checks.append(time.perf_counter() - start)
    if catalog is None:
        print(f"content has {len(problems)} problems; run `catalog check`")
        return 1

    totals, cpus, shares = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            site = Path(tmp) / f"site{run}"
            measured = build_once(root, site)
            totals.append(measured["wall"])
            cpus.append(measured["cpu"])
            shares.append(measured["share"])
        courses = sorted((p.stat().st_size, p.parent.name) for p in (site / "courses").glob("*/index.html"))
        index = b"".join(p.read_bytes() for p in sorted((site / "search").glob("*.json")))
        html_bytes = sum(p.stat().st_size for p in site.rglob("*.html"))

    med = statistics.median
    print(f"content: {len(catalog.courses)} courses, {len(catalog.cases)} cases, {len(catalog.paths)} paths")
    print(f"catalog check (load + validate), median of {args.runs}: {med(checks) * 1000:.0f} ms")
    print(
        f"whole strict build (caches as they are; CATALOG_CACHE=off for none), median of {args.runs}: "
        f"{med(totals):.2f} s wall, {med(cpus):.2f} s CPU; the generator's share of the CPU time "
        f"{med(shares):.0%} (bench/share.py)"
    )
    print(
        f"course page HTML: median {courses[len(courses) // 2][0] / 1000:.1f} KB, "
        f"largest {courses[-1][0] / 1000:.1f} KB ({courses[-1][1]})"
    )
    print(
        f"all HTML: {html_bytes / 1e6:.1f} MB; search index: {len(index) / 1000:.0f} KB raw, "
        f"{len(gzip.compress(index)) / 1000:.0f} KB gzip"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
