"""Bounded work: how the checks grow with hostile input, printed as figures (nothing asserts a time).

Usage: python bench/robustness.py [--quick]

Each row doubles an input and prints the time and the time per unit: a flat last column means
linear work. Covered: prerequisite graphs (chains, rings, rings with chords), a content file up to
the size limit (plain, and full of forbidden characters) and the search dictionary up to its limit.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import check_references, dictionary, discover, schema  # noqa: E402
from generator.load import MAX_FILE_BYTES, RawDocument, decode, parse_yaml  # noqa: E402


def timed(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def row(label: str, size: int, unit: str, seconds: float) -> None:
    per = seconds / size * 1e6
    print(f"  {label:<34} {size:>9,} {unit:<10} {seconds * 1000:>9.1f} ms   {per:>8.2f} µs/{unit}")


def courses(graph: dict[str, list[str]]) -> dict[str, discover.Loaded]:
    ctype = schema.CONTENT_TYPES["course"]
    out = {}
    for cid, pres in graph.items():
        doc = RawDocument(f"c/{cid}.yml", {"id": cid, "level": "入门", "prerequisites": pres})
        out[cid] = discover.Loaded(ctype, doc, True)
    return out


def bench_graphs(sizes: list[int]) -> None:
    print("prerequisite graphs (cycle search, level checks), no recursion:")
    shapes: dict[str, Callable[[int], dict[str, list[str]]]] = {
        "chain": lambda n: {f"c{i}": [f"c{i - 1}"] if i else [] for i in range(n)},
        "ring": lambda n: {f"c{i}": [f"c{(i - 1) % n}"] for i in range(n)},
        "ring with chords (5 prerequisites)": lambda n: {
            f"c{i}": [f"c{(i - k * 7 - 1) % n}" for k in range(5)] for i in range(n)
        },
    }
    for name, make in shapes.items():
        for n in sizes:
            loaded = courses(make(n))
            row(name, n, "course", timed(lambda loaded=loaded: check_references.check_prerequisites(loaded, [])))


def bench_file(kb_sizes: list[int]) -> None:
    print(f"one content file up to the {MAX_FILE_BYTES // 1000} KB limit (decode + YAML):")
    for kb in kb_sizes:
        lines = max(1, kb * 1000 // 40)
        text = "summary: |\n" + "".join(f"  第{i}行，文字内容用来填充这个文件。\n" for i in range(lines))
        data = text.encode("utf-8")[: kb * 1000]
        data = data[: data.rfind(b"\n") + 1]

        def work(data: bytes = data) -> None:
            decoded, _ = decode(data, "x.yml")
            if decoded is not None:
                parse_yaml(decoded, "x.yml")

        row("plain text, YAML block", len(data), "byte", timed(work))
    for kb in kb_sizes:
        data = ("\u200b" * (kb * 1000 // 3)).encode("utf-8")
        row("zero-width characters only", len(data), "byte", timed(lambda data=data: decode(data, "x.yml")))


def bench_dictionary(kb_sizes: list[int]) -> None:
    from generator.search_index import Tokenizer

    print(f"search dictionary up to its {dictionary.MAX_FILE_BYTES // 1000} KB limit (check, then jieba):")
    for kb in kb_sizes:
        words = [f"词{i:06d}条" for i in range(kb * 1000 // 20)]
        text = "".join(f"{w} 100 n\n" for w in words)
        entries, problems = dictionary.parse(text)
        assert not problems
        row("check", len(text.encode()), "byte", timed(lambda text=text: dictionary.parse(text)))
        row("load into jieba", len(entries), "word", timed(lambda e=entries: Tokenizer(e, [])))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    graph_sizes = [2_500, 5_000, 10_000] if args.quick else [5_000, 10_000, 20_000, 40_000]
    bench_graphs(graph_sizes)
    bench_file([50, 100, 200])
    bench_dictionary([16, 32, 64])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
