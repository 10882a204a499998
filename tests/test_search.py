"""Search in a real browser: every title word findable, trainee words, nothing for what the
catalogue lacks, ranking rules, the header box on every page. Expectations come from the catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import search_rules
from generator.validate import load_catalog

from .conftest import REPO

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
NAMED_WORDS = ["主播", "线上", "扫码", "满减", "品控", "话术", "排品"]
GENERIC_ONLY = ["入门", "技巧", "怎么", "方法", "如何", "学习", "课程", "教程", "入门技巧", "怎么学习", "如何入门教程"]
OUT_OF_SCOPE = ["汽车美容", "考研英语", "炒股技巧", "钢琴入门", "学驾照"]


@pytest.fixture(scope="module")
def catalog() -> Any:
    loaded, _ = load_catalog(REPO)
    return loaded


@pytest.fixture(scope="module")
def search_page(browser: Any, site_url: str) -> Any:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "search/")
    page.wait_for_function("window.ccSearch")
    yield page
    context.close()


def search(page: Any, query: str) -> list[str]:
    """Type a query as a trainee would and return the result slugs, best first."""
    page.evaluate(
        "window.__done = null; document.addEventListener('cc-search-done', e => { window.__done = e.detail })"
    )
    page.fill("#cc-q", "")
    page.type("#cc-q", query, delay=5)
    page.wait_for_function(f"window.__done && window.__done.query === {json.dumps(query)}", timeout=10_000)
    hrefs = page.eval_on_selector_all("#cc-results a.cc-result__title", "els => els.map(e => e.href)")
    return [h.rstrip("/").split("/")[-1] for h in hrefs]


ENGINE = """async ([queries, limit]) => {
  const out = {};
  for (const q of queries) {
    const r = await window.ccSearch.search(q, limit);
    out[q] = r.items.map(i => i.url.replace(/\\/$/, '').split('/').pop());
  }
  return out;
}"""


def results(page: Any, queries: list[str], limit: int = 20) -> dict[str, list[str]]:
    """The engine's first ``limit`` results (slugs) for many queries, without typing."""
    return dict(page.evaluate(ENGINE, [queries, limit]))


# ------------------------------------------------------------------ the trainee queries


def test_the_query_file_covers_every_kind_of_query() -> None:
    kinds = {q["kind"] for q in QUERIES}
    assert len(QUERIES) >= 30
    assert kinds == {"word", "phrase", "question", "pinyin", "title", "jargon"}


@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_expected_page_in_top_five(search_page: Any, case: dict[str, str]) -> None:
    found = search(search_page, case["query"])
    assert case["expect"] in found[:5], found[:5]


# ------------------------------------------------------------------ every word findable


def title_substrings(catalog: Any) -> dict[str, set[str]]:
    """Every 2-4 character substring of every course title that has a word of its own under the
    shared rules (not only question words, generic words, particles or punctuation), with the
    courses whose titles hold all its words."""
    titles = {c.id: search_rules.normalise(c.title) for c in catalog.courses.values()}
    cases: dict[str, set[str]] = {}
    for title in titles.values():
        for size in (2, 3, 4):
            for i in range(len(title) - size + 1):
                query = title[i : i + size]
                if query in cases or not search_rules.specific(query):
                    continue
                words = search_rules.keywords(query)
                cases[query] = {cid for cid, t in titles.items() if all(w in t for w in words)}
    return cases


def test_every_part_of_every_title_finds_its_course(search_page: Any, catalog: Any) -> None:
    cases = title_substrings(catalog)
    assert len(cases) > 5000
    found = {}
    queries = sorted(cases)
    for start in range(0, len(queries), 500):
        found.update(results(search_page, queries[start : start + 500], limit=1000))
    holders = {q: {c.id for c in catalog.courses.values() if q in search_rules.normalise(c.title)} for q in cases}
    missing = [(q, sorted(ids - set(found[q]))) for q, ids in holders.items() if ids - set(found[q])]
    assert missing == []
    # Words found in five titles or fewer put those courses in the top five.
    rare = {q: ids for q, ids in cases.items() if len(ids) <= 5}
    not_top = [(q, sorted(ids - set(found[q][:5]))) for q, ids in rare.items() if ids - set(found[q][:5])]
    assert not_top == []


@pytest.mark.parametrize("word", NAMED_WORDS)
def test_words_outside_the_dictionary_are_found(search_page: Any, catalog: Any, word: str) -> None:
    holders = {c.id for c in catalog.courses.values() if word in c.title}
    assert holders, f"no title has {word} any more: pick another word"
    found = search(search_page, word)
    if len(holders) <= 5:
        assert holders <= set(found[:5]), (found[:5], holders)
    else:
        assert holders & set(found[:5])


# ------------------------------------------------------------------ nothing fits


@pytest.mark.parametrize("query", GENERIC_ONLY)
def test_generic_words_alone_find_nothing(search_page: Any, query: str) -> None:
    assert search(search_page, query) == []


def test_out_of_scope_queries_say_so_and_help(search_page: Any, catalog: Any) -> None:
    for query in OUT_OF_SCOPE:
        texts = [
            " ".join([c.title, c.summary, c.description, *c.outcomes, *(x.title + x.summary for x in c.lessons)])
            for c in catalog.courses.values()
        ]
        words = [t for k, t in search_rules.analyse(query) if k == "word"]
        assert not any(w in t for w in words for t in texts), f"{query} is in the catalogue now"
        assert search(search_page, query) == [], query
    page = search_page
    page.evaluate(
        "window.__close = null; document.addEventListener('cc-search-close', e => { window.__close = e.detail })"
    )
    search(page, "汽车修理")
    page.wait_for_function("window.__close")
    assert "没有找到" in page.inner_text("#cc-search-status")
    assert page.is_visible("#cc-search-empty")
    # Close titles: sharing characters with the query.
    close = page.eval_on_selector_all("#cc-close-titles a.cc-result__title", "els => els.map(e => e.textContent)")
    assert close and all(set(t) & set("汽车修理") for t in close), close
    # The finder, with the query's specific words prefilled (修理 is a generic word), and the tips.
    href = page.get_attribute("#cc-finder-link", "href")
    assert "finder/" in href and href.endswith("q=%E6%B1%BD%E8%BD%A6")
    assert page.is_visible("#tips") and "拼音" in page.inner_text(".cc-search-tips")


def test_a_prefilled_finder_link_shows_the_words(search_page: Any, site_url: str) -> None:
    search(search_page, "怎么做民俗展演")
    search_page.goto(site_url + "finder/?q=" + "民俗展演")
    search_page.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")
    assert search_page.input_value("#cc-finder-q") == "民俗展演"
    assert search_page.eval_on_selector_all("#cc-finder-results li", "els => els.length") >= 1
    search_page.goto(search_page.url.split("finder/")[0] + "search/")
    search_page.wait_for_function("window.ccSearch")


# ------------------------------------------------------------------ trainee vocabulary


def test_vocabulary_words_find_courses_of_their_meaning(search_page: Any, catalog: Any) -> None:
    """For each vocabulary line whose catalogue words are in some course title, each trainee word
    puts a course that says one of those words (or the trainee word itself) in the top five."""
    checked = 0
    failures = []
    texts = {c.id: search_rules.normalise(c.title + c.summary) for c in catalog.courses.values()}
    for entry in catalog.synonyms:
        finds = [search_rules.normalise(f) for f in entry.finds]
        if not any(f in search_rules.normalise(c.title) for c in catalog.courses.values() for f in finds):
            continue
        queries = [search_rules.normalise(w) for w in entry.words]
        found = results(search_page, queries, limit=5)
        for q in queries:
            checked += 1
            if not any(any(f in texts.get(slug, "") for f in [*finds, q]) for slug in found[q]):
                failures.append((q, found[q]))
    assert checked > 100
    assert failures == []


def test_named_jargon_is_in_the_vocabulary(catalog: Any) -> None:
    words = {w for e in catalog.synonyms for w in e.words}
    for word in ("投流", "达人带货", "视频号", "起号", "客单价", "卖不出去", "没人买"):
        assert word in words, word
    assert len(catalog.synonyms) >= 100


def module_of(catalog: Any, slugs: list[str]) -> list[str]:
    return [catalog.courses[s].module for s in slugs if s in catalog.courses]


def test_broad_words_do_not_pull_unrelated_modules(search_page: Any, catalog: Any) -> None:
    found = results(search_page, ["电商", "网店", "社区团购", "开网店"], limit=10)
    # 电商 and 网店 are not about opening restaurants; 社区团购 is not restaurant vouchers.
    for q in ("电商", "网店", "开网店"):
        assert "new-catering" not in module_of(catalog, found[q]), (q, found[q])
    assert set(module_of(catalog, found["社区团购"])) == {"community-commerce"}, found["社区团购"]


# ------------------------------------------------------------------ URL, home page


def test_question_words_and_stray_characters_do_not_match(search_page: Any) -> None:
    parsed = search_page.evaluate("q => window.ccSearch.parse(q)", "开民宿需要办什么证")
    assert parsed["words"] == ["开民宿"]
    assert parsed["singles"] == ["办", "证"]  # only lift titles that contain them
    assert search(search_page, "怎么样") == []


def test_course_pages_outrank_other_pages_for_course_queries(search_page: Any) -> None:
    search(search_page, "预制菜")
    kinds = search_page.eval_on_selector_all("#cc-results li", "els => els.map(e => e.className)")
    assert all("cc-result--course" in k for k in kinds[:4]), kinds


def test_query_lives_in_the_url(search_page: Any, site_url: str) -> None:
    search(search_page, "核桃")
    assert "q=%E6%A0%B8%E6%A1%83" in search_page.url
    search_page.goto(site_url + "search/?q=%E5%9B%A2%E9%95%BF")
    search_page.wait_for_selector("#cc-results li")
    assert search_page.input_value("#cc-q") == "团长"


def test_home_search_box_leads_to_results(phone: Any, site_url: str) -> None:
    phone.goto(site_url)
    phone.fill("#cc-home-q", "怎么开网店")
    phone.press("#cc-home-q", "Enter")
    phone.wait_for_selector("#cc-results li")
    assert "online-store-setup" in phone.eval_on_selector("#cc-results a", "a => a.href")
