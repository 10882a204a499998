"""Page layout in a real browser: readable at 360 px wide, nothing wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, serve

playwright = pytest.importorskip("playwright.sync_api")

PAGES = [
    "",
    "courses/online-store-setup/",
    "modules/agri-ecommerce/",
    "cases/hezhang-walnut-gu-guiju/",
    "sessions/",
    "about/",
    "paths/village-official/",
    "finder/",
]


@pytest.fixture(scope="module")
def base_url(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def phone_context(base_url: str) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        browser.close()


@pytest.fixture
def phone(phone_context) -> Iterator[object]:  # type: ignore[no-untyped-def]
    page = phone_context.new_page()
    yield page
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_360_px(phone, base_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.goto(base_url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"
    # Every element of the content fits the screen (long titles and URLs wrap).
    wide = phone.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert wide == []
    assert all(r.startswith(base_url) for r in requests), [r for r in requests if not r.startswith(base_url)]


def test_course_text_is_readable_size(phone, base_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    phone.goto(base_url + "courses/online-store-setup/")
    size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    assert size >= 14
