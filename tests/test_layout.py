"""Page layout in a real browser: readable at 360 px wide, nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

PAGES = [
    "",
    "courses/online-store-setup/",
    "modules/agri-ecommerce/",
    "cases/hezhang-walnut-gu-guiju/",
    "sessions/",
    "about/",
    "paths/village-official/",
    "finder/",
    "search/?q=直播带货",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_360_px(phone: Any, site_url: str, path: str) -> None:
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.goto(site_url + path)
    phone.wait_for_load_state("networkidle")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"
    # Every element of the content fits the screen (long titles and URLs wrap).
    wide = phone.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert wide == []
    assert [r for r in requests if not r.startswith(site_url)] == []


def test_course_text_is_readable_size(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "courses/online-store-setup/")
    size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    assert size >= 14


def test_pages_load_no_search_index(phone: Any, site_url: str) -> None:
    # The search index is fetched only on the search page, never with every page view.
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.goto(site_url + "courses/online-store-setup/")
    phone.wait_for_load_state("networkidle")
    assert [r for r in requests if "/search/" in r] == []
