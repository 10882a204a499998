"""Who spends a build's CPU time: the generator, or MkDocs and the theme. A sampling profiler.

Usage: python bench/share.py [ROOT] [--cold]   (default: the bundled project, caches as they are)

Every millisecond of CPU time (``ITIMER_PROF``) the main thread's stack is read from the inside
out; the first frame that belongs to an owner decides whose the sample is:

- ``mkdocs``: MkDocs and Material code, and the theme's templates (Material's and this project's
  overrides, which MkDocs renders around every page), with jinja2, markdown etc. under them;
- ``generator``: everything else in ``generator/`` (loading, checks, page templates, search
  index, open data, the CMS config, the service worker, the site-folder swap), with the libraries
  it calls (PyYAML, jieba, nh3, Python-Markdown for content fields);
- ``other``: frames of neither (the interpreter starting up, this script).

Each sample weighs the CPU time since the previous one, so a long call into C that delays the
signal still counts in full. The CPU time of child processes (the search index, built on the
second core while MkDocs renders the pages; git) is added to the generator's. Hand-placed
timers around the plugin's hooks miss the work done between them (the CMS config, the service
worker, the site swap); a stack sample does not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = str(ROOT / "generator") + os.sep
THEME_OVERRIDES = str(ROOT / "generator" / "site" / "overrides") + os.sep
MKDOCS_PARTS = (f"{os.sep}mkdocs{os.sep}", f"{os.sep}material{os.sep}")


def owner(frame: FrameType | None) -> str:
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(THEME_OVERRIDES) or any(part in name for part in MKDOCS_PARTS):
            return "mkdocs"
        if name.startswith(GENERATOR):
            return "generator"
        frame = frame.f_back
    return "other"


class Sampler:
    """CPU seconds by owner while active (main thread only: a build runs there)."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.seconds: Counter[str] = Counter()
        self._last = 0.0

    def _sample(self, signum: int, frame: FrameType | None) -> None:
        now = time.process_time()
        self.seconds[owner(frame)] += now - self._last
        self._last = now

    def __enter__(self) -> Sampler:
        self._last = time.process_time()
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
        self.seconds["other"] += time.process_time() - self._last  # since the last sample

    def share(self) -> float:
        total = sum(self.seconds.values())
        return self.seconds["generator"] / total if total else 0.0

    def report(self) -> dict[str, Any]:
        return {
            "generator_cpu": self.seconds["generator"],
            "mkdocs_cpu": self.seconds["mkdocs"],
            "other_cpu": self.seconds["other"],
            "share": self.share(),
        }


def measured_build(root: Path, site: Path) -> dict[str, Any]:
    """``catalog build`` of ``root`` into ``site`` in this process: wall, CPU and the owners' shares."""
    from generator.cli import build_site

    wall, cpu = time.perf_counter(), time.process_time()
    children = _children_cpu()
    with Sampler() as sampler:
        build_site(root, site)
    # Work done in child processes (the search index on the second core, git for the feed's
    # dates) is the generator's: none of MkDocs' runs outside this process.
    child = _children_cpu() - children
    sampler.seconds["generator"] += child
    report = sampler.report()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu + child, **report}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default=str(ROOT))
    parser.add_argument("--cold", action="store_true", help="no cache on disk (as a fresh CI runner)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.cold:
        os.environ["CATALOG_CACHE"] = "off"
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        r = measured_build(Path(args.root).resolve(), Path(tmp) / "site")
    if args.json:
        print(json.dumps(r))
    else:
        print(
            f"build {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU: generator {r['generator_cpu']:.2f} s "
            f"= {r['share']:.0%}, MkDocs and the theme {r['mkdocs_cpu']:.2f} s, other {r['other_cpu']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
