"""Search benchmark: answer quality, bytes before the first result, and keystroke-to-results time.

Usage: python bench/search.py [--size 10000] [--cold 25]
For the bundled catalogue (200 courses) and a synthetic one, in headless chromium. The queries:
tests/search_queries.yml, title fragments, trainee vocabulary from content/synonyms.yml, questions,
pinyin and ten out-of-scope queries (160 in all). Prints figures only. The synthetic catalogue has
no cases, so a query answered by a case (土鸡) misses there.

Two times per query: from the end of the typing pause (search.js PAUSE, reported on its own line)
to the results on screen, and from the last keystroke (the pause included). The page starts
fetching and ranking at each keystroke and redraws after the pause, so the two overlap.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import tempfile
from pathlib import Path
from typing import Any

import yaml
from browser import CHROMIUM, CHROMIUM_ARGS, percentile, serve
from playwright.sync_api import sync_playwright
from synthetic import ROOT, bundled, scaled, write_pages

from generator import listings, search_rules

QUESTIONS = [
    *("民宿淡季怎么办", "合作社怎么记账", "预制菜怎么发货", "团购售后怎么处理", "外卖包装怎么选"),
    *("怎么办采摘节", "分时段预约怎么做", "怎么做直播复盘", "商品标题怎么写", "怎么招团长"),
    *("礼盒怎么做", "一道菜的成本怎么算", "补贴怎么申报", "农业保险怎么理赔", "手机怎么拍民宿"),
]
PINYIN = ["zhibo", "tuangou", "caizhai", "yanxue", "waimai", "minsu", "kefu", "lihe", "pinpai", "fupan"]
OUT_OF_SCOPE = [
    *("汽车美容", "考研英语", "炒股技巧", "钢琴入门", "学驾照"),
    *("减肥方法", "编程教程", "美甲", "相亲", "租房"),
]


def queries(catalog: Any) -> list[tuple[str, str, set[str]]]:
    """(query, kind, acceptable slugs in the top five); out-of-scope queries accept nothing."""
    out: list[tuple[str, str, set[str]]] = []
    for q in yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8")):
        out.append((q["query"], q["kind"], {q["expect"]}))
    courses = sorted(catalog.courses.values(), key=lambda c: c.id)
    for course in courses[::7]:  # a three-character fragment from the middle of a title
        title = search_rules.normalise(course.title)
        mid = len(title) // 2
        fragment = next(
            (
                title[i : i + 3]
                for i in range(mid, -1, -1)
                if search_rules.keywords(title[i : i + 3]) == [title[i : i + 3]]
            ),
            "",
        )
        if fragment:
            out.append((fragment, "fragment", {c.id for c in courses if fragment in search_rules.normalise(c.title)}))
    texts = {c.id: search_rules.normalise(c.title + c.summary) for c in courses}
    for entry in catalog.synonyms:
        finds = [search_rules.normalise(f) for f in entry.finds]
        word = search_rules.normalise(entry.words[0])
        ok = {cid for cid, t in texts.items() if any(f in t for f in [*finds, word])}
        if ok and len(out) < 125:
            out.append((word, "vocabulary", ok))
    for question in QUESTIONS:  # answered by the courses whose titles hold all its words
        words = search_rules.keywords(question)
        ok = {c.id for c in courses if all(w in search_rules.normalise(c.title) for w in words)}
        out.append((question, "question", ok))
    for typed in PINYIN:  # answered by the courses whose title pinyin holds it
        ok = {c.id for c in courses if typed in listings.title_pinyin(c.title)}
        out.append((typed, "pinyin", ok))
    out += [(q, "out-of-scope", set()) for q in OUT_OF_SCOPE]
    return out


SEARCH = """async ([q, n]) => {
  const r = await window.ccSearch.search(q, n);
  return [r.total, r.items.map(i => i.url.split('/').filter(Boolean).pop())];
}"""


def originals(slugs: list[str], ids: set[str]) -> list[str]:
    """Result slugs as the bundled courses they copy, each once: a synthetic catalogue repeats
    every course ~50 times under county names, and five copies of one course are one answer."""
    out: list[str] = []
    for slug in slugs:
        base = re.sub(r"-\d+$", "", slug)
        slug = base if base in ids and slug not in ids else slug
        if slug not in out:
            out.append(slug)
    return out


def measure(folder: Path, label: str, cases: list[tuple[str, str, set[str]]], cold: int, ids: set[str]) -> None:
    index = {p.name: p.read_bytes() for p in (folder / "search").glob("*.json")}
    raw = sum(len(b) for b in index.values())
    packed = sum(len(gzip.compress(b)) for b in index.values())
    print(f"[{label}] whole index: {len(index)} files, {raw / 1000:.0f} KB raw, {packed / 1000:.0f} KB gzip")
    with serve(folder) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first_bytes: list[int] = []
        times: list[float] = []
        since: list[float] = []
        pause = 0
        for query, _, _ in cases[:cold]:
            # A fresh page per query: nothing cached, as for a trainee arriving from a link.
            page = browser.new_context().new_page()
            got: dict[str, bytes] = {}

            def keep(r: Any, got: dict[str, bytes] = got) -> None:
                if ("/search/" in r.url and r.url.endswith(".json")) or "/assets/search" in r.url:
                    got[r.url] = r.body()

            page.on("response", keep)
            # The trainee reads the page a moment before typing: its own files are loaded.
            page.goto(url + "search/", wait_until="networkidle")
            page.evaluate("document.addEventListener('cc-search-done', e => { window.__done = e.detail })")
            page.type("#cc-q", query, delay=20)
            page.wait_for_function("window.__done", timeout=60_000)
            times.append(page.evaluate("window.__done.ms"))
            since.append(page.evaluate("window.__done.sinceKeystroke"))
            pause = page.evaluate("window.ccSearch.pause")
            first_bytes.append(sum(len(gzip.compress(b)) for b in got.values()))
            page.context.close()
        page = browser.new_context().new_page()
        page.goto(url + "search/")
        page.wait_for_function("window.ccSearch")
        warm, hits, zero, shown_oos, missed = [], 0, 0, [], []
        ok_ids = ids
        for query, kind, ok in cases:
            page.evaluate("window.__done = null")
            page.evaluate("document.addEventListener('cc-search-done', e => { window.__done = e.detail })")
            page.fill("#cc-q", query)
            page.wait_for_function("window.__done", timeout=60_000)
            warm.append(page.evaluate("window.__done.ms"))
            total, top = page.evaluate(SEARCH, [query, 400])
            zero += total == 0
            if kind == "out-of-scope":
                if total:
                    shown_oos.append(query)
                else:
                    hits += 1
            elif ok & set(originals(top, ok_ids)[:5]):
                hits += 1
            else:
                missed.append(query)
        browser.close()
    scoped = len(cases) - len(OUT_OF_SCOPE)
    print(f"[{label}] {len(cases)} queries ({scoped} with an answer, {len(OUT_OF_SCOPE)} out of scope)")
    print(
        f"[{label}] success@5 (answer in the top five distinct courses; nothing for out-of-scope): {hits}/{len(cases)}"
    )
    print(f"[{label}] missed: {' '.join(missed) or 'none'}")
    print(f"[{label}] zero-result queries: {zero}; out-of-scope queries that showed anything: {shown_oos or 'none'}")
    print(
        f"[{label}] search data and scripts downloaded before the first result (cold, {len(first_bytes)} queries): "
        f"median {statistics.median(first_bytes) / 1000:.0f} KB gzip, max {max(first_bytes) / 1000:.0f} KB gzip"
    )
    print(f"[{label}] typing pause before a search runs: {pause} ms (fixed)")
    print(
        f"[{label}] end of the pause to results on screen, cold: median {statistics.median(times):.0f} ms, "
        f"p95 {percentile(times, 0.95):.0f} ms"
    )
    print(
        f"[{label}] last keystroke to results on screen (pause included), cold: "
        f"median {statistics.median(since):.0f} ms, p95 {percentile(since, 0.95):.0f} ms"
    )
    print(
        f"[{label}] end of the pause to results on screen, warm ({len(warm)} queries): "
        f"median {statistics.median(warm):.0f} ms, p95 {percentile(warm, 0.95):.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--cold", type=int, default=25)
    args = parser.parse_args()
    catalog = bundled()
    cases = queries(catalog)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted({len(catalog.courses), args.size}):
            folder = write_pages(scaled(catalog, size), Path(tmp) / f"n{size}")
            measure(folder, f"{size} courses", cases, args.cold, set(catalog.courses) | set(catalog.cases))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
