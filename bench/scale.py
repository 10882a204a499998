"""Scale benchmark: a catalogue of N courses on disk, built cold and warm, edited, served.

Usage: python bench/scale.py [N ...] [--no-serve] [--keep DIR]   (default: 200 2000 10000)

For each N, in a temporary folder made by ``grow.py``:
- cold build: ``catalog build`` with the caches off (CATALOG_CACHE=off), as on a fresh CI runner;
- warm build: again with the caches filled, as after the first build on an editor's machine;
- after one edit: one course's summary changed, built again with the caches;
  each in a child process: wall time, CPU time (user + system, which stays meaningful on a busy
  machine), peak memory (of the build's processes together), and the generator's share of the
  build's CPU time, by stack sampling (``share.py``: everything in ``generator/``, against MkDocs
  and the theme);
- the largest HTML page, and the search and finder data sizes;
- deploy: how many files and bytes the build after the edit changed (what a deploy that
  uploads only changed files sends);
- serve: ``catalog serve`` running; one course file saved; seconds until the served page shows
  the change.
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from grow import grow

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
EPOCH = "1632355200"  # a fixed build date, so two builds differ only where the content does

CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from share import measured_build
print(json.dumps(measured_build(Path(sys.argv[1]), Path(sys.argv[2]))))
"""


def run_child(args: list[str], env: dict[str, str]) -> tuple[dict[str, float], float, float]:
    """Run a child; its JSON output, its CPU seconds (user + system) and its peak memory in MB:
    the most its processes held together (a build may fork one), by their proportional set
    sizes sampled every 0.1 s; the largest single resident set where /proc is missing."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, cwd=ROOT)
    peak = [0.0]
    watcher = threading.Thread(target=_watch_memory, args=(proc.pid, peak), daemon=True)
    watcher.start()
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"child failed: {args}")
    single = usage.ru_maxrss / 1024
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_utime + usage.ru_stime, max(peak[0], single)


def _watch_memory(pid: int, peak: list[float]) -> None:
    def tree(p: int) -> list[int]:
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            return [p]
        return [p, *(q for c in children for q in tree(int(c)))]

    def pss_mb(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    while Path(f"/proc/{pid}").exists():
        try:
            if Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z"):
                return  # finished, waiting to be reaped
        except (OSError, IndexError):
            return
        peak[0] = max(peak[0], sum(pss_mb(p) for p in tree(pid)))
        time.sleep(0.1)


def build(root: Path, site: Path, cached: bool) -> dict[str, float]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    if not cached:
        env["CATALOG_CACHE"] = "off"
    result, cpu, peak = run_child([str(BIN / "python"), "-c", CHILD, str(root), str(site), str(HERE)], env)
    result["process_cpu"], result["peak_mb"] = cpu, peak
    return result


def files_of(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file()
    }


def one_course(root: Path) -> Path:
    return sorted((root / "content" / "courses").glob("*/*.yml"))[0]


def edit_summary(path: Path, mark: str) -> None:
    """Replace the start of a course's summary by ``mark`` (its length stays within the limit)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^summary: (.*)$", lambda m: f"summary: {mark}{m.group(1)[len(mark) :]}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def serve_latency(root: Path, saves: int = 3) -> list[float]:
    """Seconds from writing a course file to the served page showing the change."""
    port = free_port()
    log = (root / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "catalog"), "--root", str(root), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=root,
    )
    path = one_course(root)
    url = f"http://127.0.0.1:{port}/courses/{path.stem}/"
    try:
        deadline = time.time() + 900
        while "<html" not in fetch(url):
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit(f"serve did not start; see {root / 'serve.log'}")
            time.sleep(0.5)
        time.sleep(2)  # let the watcher settle
        times = []
        for n in range(saves):
            mark = f"第{n}次保存标记"
            edit_summary(path, mark)
            saved = time.perf_counter()
            while mark not in fetch(url):
                if time.perf_counter() - saved > 300:
                    raise SystemExit(f"the change never showed; see {root / 'serve.log'}")
                time.sleep(0.05)
            times.append(time.perf_counter() - saved)
            time.sleep(1.5)
        return times
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl+C: the server shuts down and removes its folders
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def measure(size: int, folder: Path, serve: bool) -> None:
    root = grow(size, folder / f"n{size}")
    cold = build(root, folder / "cold", cached=False)
    build(root, folder / "fill", cached=True)  # fills the caches
    warm = build(root, folder / "site-a", cached=True)
    site = folder / "site-a"
    pages = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    search = sum(p.stat().st_size for p in (site / "search").glob("*"))
    finder = sum(p.stat().st_size for p in (site / "finder").rglob("*.json"))
    finder_html = sum(p.stat().st_size for p in (site / "finder").rglob("*.html"))

    before = files_of(site)
    edit_summary(one_course(root), "（已修订）")
    edited = build(root, folder / "site-b", cached=True)
    after = files_of(folder / "site-b")
    changed = [f for f in after if before.get(f) != after[f]]
    removed = [f for f in before if f not in after]
    changed_bytes = sum((folder / "site-b" / f).stat().st_size for f in changed)
    all_bytes = sum((folder / "site-b" / f).stat().st_size for f in after)

    print(f"\n== {size} courses ({len(pages)} HTML pages, {len(after)} files, {all_bytes / 1e6:.1f} MB)")
    builds = (("cold build (no cache)", cold), ("warm build (nothing changed)", warm), ("after one edit", edited))
    for label, r in builds:
        print(
            f"{label}: {r['wall']:.1f} s wall, {r['process_cpu']:.1f} s CPU, peak {r['peak_mb']:.0f} MB; "
            f"generator {r['generator_cpu']:.1f} s CPU = {r['share']:.0%} of the build, "
            f"MkDocs and the theme {r['mkdocs_cpu']:.1f} s"
        )
    print(
        f"largest HTML page: {pages[-1][0] / 1000:.0f} KB ({pages[-1][1]}); "
        f"median {pages[len(pages) // 2][0] / 1000:.0f} KB"
    )
    print(
        f"search data: {search / 1e6:.2f} MB in {len(list((site / 'search').glob('*')))} files; "
        f"finder: {finder_html / 1000:.0f} KB HTML, {finder / 1000:.0f} KB data"
    )
    print(
        f"deploy after one course edit: {len(changed)} files changed or new ({changed_bytes / 1000:.0f} KB), "
        f"{len(removed)} removed, of {len(after)} files ({all_bytes / 1e6:.1f} MB)"
    )
    print("  " + ", ".join(sorted(changed)[:12]) + (" …" if len(changed) > 12 else ""))
    if serve:
        times = serve_latency(root)
        print(f"serve: save to rebuilt page {', '.join(f'{t:.2f}' for t in times)} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 2000, 10000])
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--keep", help="folder to keep the grown projects and sites in")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    for size in args.sizes:
        if args.keep:
            folder = Path(args.keep)
            folder.mkdir(parents=True, exist_ok=True)
            measure(size, folder, not args.no_serve)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                measure(size, Path(tmp), not args.no_serve)
    print(
        f"\nload average at the end {os.getloadavg()[0]:.1f}; peak memory of this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
