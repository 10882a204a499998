"""Search in a real browser: the queries trainees type find the page they want in the top five."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def search_page(browser: Any, site_url: str) -> Any:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "search/")
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


def test_the_query_file_covers_every_kind_of_query() -> None:
    kinds = {q["kind"] for q in QUERIES}
    assert len(QUERIES) >= 30
    assert kinds == {"word", "phrase", "question", "pinyin", "title"}


@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_expected_page_in_top_five(search_page: Any, case: dict[str, str]) -> None:
    results = search(search_page, case["query"])
    assert case["expect"] in results[:5], results[:5]


def test_question_words_and_stray_characters_do_not_match(search_page: Any) -> None:
    parsed = search_page.evaluate("q => window.ccSearch.parse(q)", "开民宿需要办什么证")
    assert parsed["groups"] == [["民宿"]]
    assert parsed["singles"] == ["开", "办", "证"]  # only lift titles that contain them
    assert search(search_page, "怎么样") == []
    assert "没有找到" in search_page.inner_text("#cc-search-status")


def test_course_pages_outrank_other_pages_for_course_queries(search_page: Any) -> None:
    results = search(search_page, "预制菜")
    kinds = search_page.eval_on_selector_all("#cc-results li", "els => els.map(e => e.className)")
    assert all("cc-result--course" in k for k in kinds[:4]), (results, kinds)


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
