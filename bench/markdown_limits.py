"""Worst-case Markdown: how long the policy check and the sanitising renderer take on hostile texts.

Usage: python bench/markdown_limits.py [--size BYTES] [--only NAME]
Each input is as large as a content file may be (load.MAX_FILE_BYTES) and shaped to cost the
most: repeated openers that Python-Markdown scans past ("[", "[a](", "<a ", backticks, emphasis,
fence-like lines), kept inside the limits of markdown_policy (paragraph length, "[" per
paragraph, "<" openers per text) where a limit applies, so the figures show the worst work a file
can cause (some of them also have other problems, e.g. tags that are not allowed, which does not
change the work). Inputs over a limit are refused before rendering; their check time is shown too.
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import markdown_policy, safe_html  # noqa: E402
from generator.load import MAX_FILE_BYTES  # noqa: E402


def paragraphs(unit: str, per_paragraph: int, filler: str = "字") -> Callable[[int], str]:
    """Paragraphs of ``per_paragraph`` units, padded with filler to the paragraph limit."""

    def make(size: int) -> str:
        body = unit * per_paragraph
        pad = max(markdown_policy.MAX_PARAGRAPH - len(body) - 1, 0)
        block = body + filler * pad + "\n\n"
        return (block * (size // len(block) + 1))[:size]

    return make


def repeated(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def tags_then_text(unit: str) -> Callable[[int], str]:
    """The allowed number of tag openers at the start, then plain text for them to scan past."""

    def make(size: int) -> str:
        head = unit * markdown_policy.MAX_TAG_OPENERS + "\n\n"
        return head + paragraphs("a", 0)(size - len(head))

    return make


INPUTS: dict[str, Callable[[int], str]] = {
    "fence-like lines (issue 8)": repeated("```\n\n~~~ x\n\n"),
    "unclosed [ per paragraph": paragraphs("[", markdown_policy.MAX_BRACKETS),
    "unclosed [a]( per paragraph": paragraphs("[a](", markdown_policy.MAX_BRACKETS),
    "unclosed <a then text": tags_then_text("<a "),
    'unclosed <a x=" then text': tags_then_text('<a x="'),
    "backtick pairs": paragraphs("`a ", 1600),
    "emphasis *_": paragraphs("*_", 2400),
    "autolink-like <http:": tags_then_text("<http:"),
    "links": paragraphs("[a](http://x) ", markdown_policy.MAX_BRACKETS),
    "list items": paragraphs("- a\n", 1200),
    "many paragraphs": repeated("字\n\n"),
    "nested quotes": paragraphs(">" * 50 + " x\n", 90),
    "entities": paragraphs("&amp;", 1000),
    "allowed raw tags": tags_then_text("<br>"),
    # Over a limit: refused by the first, linear pass, never rendered.
    "over: fence-like lines, no blank": repeated("```\n~~~ x\n"),
    "over: 190 KB of [": repeated("["),
    "over: 190 KB of <a": repeated("<a "),
    "over: one long paragraph": repeated("字"),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=MAX_FILE_BYTES - 10_000)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    print(f"{'input':32s} {'chars':>7s} {'check s':>8s} {'render s':>9s}  problems")
    for name, make in INPUTS.items():
        if args.only and args.only not in name:
            continue
        text = make(args.size)
        start = time.perf_counter()
        problems = markdown_policy.check(text, "bench.md", 1)
        checked = time.perf_counter() - start
        if name.startswith("over:"):
            rendered = "-"  # refused before rendering, and the build never renders it
        else:
            start = time.perf_counter()
            safe_html.render(text, "images/")
            rendered = f"{time.perf_counter() - start:9.2f}"
        print(f"{name:32s} {len(text):7d} {checked:8.2f} {rendered:>9s}  {len(problems)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
