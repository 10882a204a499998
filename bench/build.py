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

from generator.validate import load_catalog  # noqa: E402


def build_once(root: Path, site_dir: Path) -> tuple[float, dict[str, float]]:
    from mkdocs.commands.build import build

    from generator.site_files import load_config

    start = time.perf_counter()
    config = load_config(root / "mkdocs.yml", strict=True, site_dir=str(site_dir))
    build(config)
    total = time.perf_counter() - start
    plugin = config.plugins["catalog"]
    return total, dict(plugin.timings)  # type: ignore[attr-defined]


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

    totals, generator, renders, indexes = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            site = Path(tmp) / f"site{run}"
            total, timings = build_once(root, site)
            totals.append(total)
            generator.append(timings["load_validate"] + timings["render"] + timings["search_index"])
            renders.append(timings["render"])
            indexes.append(timings["search_index"])
        courses = sorted((p.stat().st_size, p.parent.name) for p in (site / "courses").glob("*/index.html"))
        index = b"".join(p.read_bytes() for p in sorted((site / "search").glob("*.json")))
        html_bytes = sum(p.stat().st_size for p in site.rglob("*.html"))

    med = statistics.median
    print(f"content: {len(catalog.courses)} courses, {len(catalog.cases)} cases, {len(catalog.paths)} paths")
    print(f"catalog check (load + validate), median of {args.runs}: {med(checks) * 1000:.0f} ms")
    print(
        f"generator work inside a build (validate + render + search index), median: {med(generator) * 1000:.0f} ms "
        f"(render {med(renders) * 1000:.0f} ms, search index {med(indexes) * 1000:.0f} ms)"
    )
    print(f"whole strict build, median: {med(totals):.2f} s; generator share {med(generator) / med(totals):.0%}")
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
