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


# ------------------------------------------------ the theme's behaviour, from assets/theme.js
# Material's 35 KB (gzip) script is not loaded; the little the pages use of it is assets/theme.js.


def test_no_page_loads_the_theme_bundle(phone: Any, site_url: str) -> None:
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.goto(site_url + "modules/agri-ecommerce/")
    phone.wait_for_load_state("networkidle")
    assert not [r for r in requests if "/javascripts/bundle." in r]
    assert any(r.endswith("/assets/theme.js") for r in requests)
    assert phone.evaluate("document.documentElement.className") == "js"


def drawer_is_open(page: Any) -> bool:
    return bool(
        page.evaluate("document.querySelector('.md-sidebar--primary').getBoundingClientRect().right > 10")
        and page.evaluate("document.getElementById('__drawer').checked")
    )


def test_drawer_opens_and_escape_closes_it(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "modules/agri-ecommerce/")
    assert not drawer_is_open(phone)
    phone.click("label.md-header__button[for=__drawer]")
    phone.wait_for_timeout(400)  # the drawer slides in
    assert drawer_is_open(phone)
    # The navigation in the drawer is on screen and the page behind it does not scroll.
    link = phone.locator(".md-sidebar--primary a.md-nav__link").first
    assert link.is_visible()
    assert phone.evaluate("document.body.hasAttribute('data-md-scrolllock')")
    phone.keyboard.press("Escape")
    phone.wait_for_timeout(400)
    assert not drawer_is_open(phone)
    assert not phone.evaluate("document.body.hasAttribute('data-md-scrolllock')")


def test_back_to_top_button_and_title_in_the_header(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "finder/")
    top = phone.locator("[data-md-component=top]")
    hidden = "document.querySelector('[data-md-component=top]').hidden"  # the theme fades it out
    assert phone.evaluate(hidden)
    phone.mouse.wheel(0, 3000)
    phone.wait_for_timeout(300)
    assert phone.evaluate(hidden)  # scrolling down: hidden
    # The page's heading is out of view: the header shows the page title instead of the site's.
    assert "md-header__title--active" in (phone.get_attribute("[data-md-component=header-title]", "class") or "")
    phone.mouse.wheel(0, -300)
    phone.wait_for_timeout(300)
    assert not phone.evaluate(hidden)  # scrolling up, away from the top: shown
    assert phone.evaluate("getComputedStyle(document.querySelector('.md-top')).opacity") == "1"
    top.click()
    phone.wait_for_function("window.scrollY === 0")
    assert "md-header__title--active" not in (phone.get_attribute("[data-md-component=header-title]", "class") or "")


def test_wide_screen_sidebar_fits_the_window_and_scrolls(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 600})
    page = context.new_page()
    page.goto(site_url + "finder/")
    box = page.evaluate(
        """() => { const s = document.querySelector('.md-sidebar--primary');
            const w = s.querySelector('.md-sidebar__scrollwrap');
            const r = s.getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, visible: getComputedStyle(s).display !== 'none',
                    wrap: w.clientHeight, content: w.scrollHeight, overflow: getComputedStyle(w).overflowY}; }"""
    )
    assert box["visible"] and box["wrap"] > 200
    assert box["bottom"] <= 600 + 1  # not taller than the window: the end of the navigation is reachable
    assert box["overflow"] == "auto"
    context.close()
