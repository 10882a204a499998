"""The course finder in a real browser: facets, counts, keywords, URL state, back button, no-JS list."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from generator.validate import load_catalog

from .conftest import REPO


@pytest.fixture(scope="module")
def catalog() -> Any:
    loaded, _ = load_catalog(REPO)
    return loaded


def visible_courses(page: Any) -> list[str]:
    """Courses on screen: the matches while filtering, else the full list (pressing "more" as needed)."""
    while page.is_visible("#cc-finder-results .cc-finder__more"):
        page.click("#cc-finder-results .cc-finder__more")
    return page.evaluate(
        """() => {
            const results = document.getElementById('cc-finder-results');
            const root = results.hidden ? document.getElementById('cc-finder-list') : results;
            return [...root.querySelectorAll('li[data-module] a')].map(a => a.href.split('/').slice(-2)[0]);
        }"""
    )


def count_of(page: Any, facet: str, value: str) -> int:
    text = page.text_content(f'[data-count-for="{facet}={value}"]')
    return int(text.strip("（）"))


def open_filters(page: Any) -> None:
    """On a phone the filters sit behind one button (a closed <details>) below the keyword box."""
    if not page.evaluate("document.getElementById('cc-filters').open"):
        page.click("#cc-filters > summary")


def choose(page: Any, facet: str, value: str) -> None:
    open_filters(page)
    page.check(f'input[name="{facet}"][value="{value}"]')
    page.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")


def test_without_javascript_the_full_list_is_there(browser: Any, site_url: str, catalog: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "finder/")
    assert sorted(visible_courses(page)) == sorted(catalog.courses)
    assert page.is_hidden("#cc-finder")  # filters need JavaScript, so they stay out of the way
    groups = page.eval_on_selector_all("#cc-finder-list h2", "els => els.map(e => e.id)")
    assert groups == [m.id for m in catalog.ordered_modules()]
    context.close()


def test_facets_narrow_and_counts_predict_the_result(phone: Any, site_url: str, catalog: Any) -> None:
    phone.goto(site_url + "finder/")
    assert len(visible_courses(phone)) == len(catalog.courses)
    levels = Counter(c.level for c in catalog.courses.values())
    assert count_of(phone, "level", "高级") == levels["高级"]

    homestay_advanced = sorted(c.id for c in catalog.courses.values() if c.module == "homestay" and c.level == "高级")
    predicted = count_of(phone, "module", "homestay")
    choose(phone, "module", "homestay")
    assert len(visible_courses(phone)) == predicted
    assert count_of(phone, "level", "高级") == len(homestay_advanced)
    choose(phone, "level", "高级")
    assert sorted(visible_courses(phone)) == homestay_advanced
    assert phone.text_content("#cc-finder-status") == f"找到 {len(homestay_advanced)} 门课程"
    # Options within one facet widen the choice (or), facets narrow it (and).
    choose(phone, "level", "入门")
    both = sorted(c.id for c in catalog.courses.values() if c.module == "homestay" and c.level in ("高级", "入门"))
    assert sorted(visible_courses(phone)) == both


def test_audience_hours_and_tag_facets(phone: Any, site_url: str, catalog: Any) -> None:
    phone.goto(site_url + "finder/?audience=驻村第一书记&hours=0-4&tag=livestream")
    phone.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")
    expected = sorted(
        c.id
        for c in catalog.courses.values()
        if "驻村第一书记" in c.audience and c.hours <= 4 and "livestream" in c.tags
    )
    assert expected and sorted(visible_courses(phone)) == expected


def test_keyword_box_and_url_state_and_back_button(phone: Any, site_url: str, catalog: Any) -> None:
    phone.goto(site_url + "finder/")
    choose(phone, "module", "community-commerce")
    assert "module=community-commerce" in phone.url
    phone.fill("#cc-finder-q", "团长")
    phone.wait_for_function("location.search.includes('q=')")
    with_keyword = sorted(
        c.id
        for c in catalog.courses.values()
        if c.module == "community-commerce"
        and ("团长" in c.title or "团长" in c.summary or any("团长" in catalog.tags[t].name for t in c.tags))
    )
    assert sorted(visible_courses(phone)) == with_keyword

    choose(phone, "level", "高级")
    narrowed = visible_courses(phone)
    assert len(narrowed) < len(with_keyword)
    phone.go_back()
    phone.wait_for_function("!location.search.includes('level=')")
    assert sorted(visible_courses(phone)) == with_keyword
    assert not phone.is_checked('input[name="level"][value="高级"]')

    # A shared link restores the same choices.
    phone.goto(site_url + "finder/?module=community-commerce&level=高级&q=团长")
    phone.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")
    assert sorted(visible_courses(phone)) == sorted(narrowed)
    assert phone.is_checked('input[name="module"][value="community-commerce"]')


def test_pinyin_in_the_keyword_box(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "finder/?q=hetao")
    phone.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")
    assert "walnut-factory-online-transition" in visible_courses(phone)


def test_keyword_text_comes_when_the_box_is_first_used(phone: Any, site_url: str, catalog: Any) -> None:
    """Tag names and title pinyin are one file fetched on first use of the keyword box, not page weight."""
    fetched: list[str] = []
    phone.on("request", lambda r: fetched.append(r.url))
    phone.goto(site_url + "finder/")
    phone.wait_for_load_state("load")
    assert phone.locator("li[data-text]").count() == 0
    assert not any(u.endswith("finder/text.json") or u.endswith("/search-rules.js") for u in fetched)
    # A tag's name: some of its courses have it in neither title nor summary.
    tag = catalog.tags["livestream"].name
    only_by_tag = sorted(
        c.id
        for c in catalog.courses.values()
        if "livestream" in c.tags
        or tag in c.title
        or tag in c.summary
        or any(tag in catalog.tags[t].name for t in c.tags)
    )
    assert any(tag not in c.title and tag not in c.summary for c in catalog.courses.values() if c.id in only_by_tag)
    phone.fill("#cc-finder-q", tag)
    phone.wait_for_function("document.getElementById('cc-finder-status').textContent.startsWith('找到')")
    assert sum(u.endswith("finder/text.json") for u in fetched) == 1
    assert sum(u.endswith("/search-rules.js") for u in fetched) == 1  # the shared rules, with the first keyword
    assert sorted(visible_courses(phone)) == only_by_tag
    phone.fill("#cc-finder-q", "hetao")
    phone.wait_for_function("location.search.includes('q=hetao')")
    phone.wait_for_timeout(300)
    assert "walnut-factory-online-transition" in visible_courses(phone)
    assert sum(u.endswith("finder/text.json") for u in fetched) == 1  # fetched once


def test_controls_are_labelled_and_the_count_is_announced(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "finder/")
    assert phone.get_attribute("#cc-finder-status", "aria-live") == "polite"
    unlabeled = phone.evaluate(
        """() => [...document.querySelectorAll('#cc-finder input')]
            .filter(i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label')).length"""
    )
    assert unlabeled == 0
    label = phone.get_attribute('input[name="level"][value="入门"]', "aria-label")
    assert label.startswith("入门，") and label.endswith("门课程")
    # Keyboard only: open the filters, then tick the first module option with the space bar.
    phone.focus("#cc-filters > summary")
    phone.keyboard.press("Enter")
    phone.focus('input[name="module"][value="agri-ecommerce"]')
    phone.keyboard.press("Space")
    phone.wait_for_function("location.search.includes('module=agri-ecommerce')")
    assert phone.text_content("#cc-finder-status").startswith("找到 ")


def test_long_results_come_in_pages(phone: Any, site_url: str, catalog: Any) -> None:
    phone.goto(site_url + "finder/?level=入门")
    phone.wait_for_function("document.getElementById('cc-finder-status').textContent.length > 0")
    total = sum(c.level == "入门" for c in catalog.courses.values())
    assert total > 60
    assert phone.eval_on_selector_all("#cc-finder-results li", "els => els.length") == 60
    assert (
        phone.text_content("#cc-finder-results .cc-finder__more") == f"再显示 {min(60, total - 60)} 门（共 {total} 门）"
    )
    assert len(visible_courses(phone)) == total
