"""The shared search rules: one set of vectors, run against Python and, in chromium, JavaScript."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import search_rules

VECTORS = yaml.safe_load((Path(__file__).parent / "search_vectors.yml").read_text(encoding="utf-8"))
KINDS = ("normalise", "hash", "bigrams", "analyse", "keywords")


def python_side(kind: str, case: dict[str, Any]) -> Any:
    if kind == "normalise":
        return search_rules.normalise(case["in"])
    if kind == "hash":
        return search_rules.fnv1a(case["in"])
    if kind == "bigrams":
        return search_rules.bigrams(case["in"])
    if kind == "analyse":
        return [list(t) for t in search_rules.analyse(case["in"], frozenset(case["known"]))]
    return search_rules.keywords(case["in"])


JS_SIDE = """([kind, cases]) => cases.map(c => {
  const T = window.ccText;
  if (kind === 'normalise') return T.normalise(c.in);
  if (kind === 'hash') return T.hash(c.in);
  if (kind === 'bigrams') return T.bigrams(c.in);
  if (kind === 'analyse') { const known = new Set(c.known); return T.analyse(c.in, known); }
  return T.keywords(c.in);
})"""


def test_the_vectors_cover_every_rule() -> None:
    assert set(VECTORS) == set(KINDS)
    kinds = {k for case in VECTORS["analyse"] for k, _ in case["out"]}
    assert kinds == {"word", "latin", "stop", "generic"}


@pytest.mark.parametrize("kind", KINDS)
def test_python_follows_the_vectors(kind: str) -> None:
    for case in VECTORS[kind]:
        assert python_side(kind, case) == case["out"], case["in"]


@pytest.fixture(scope="module")
def rules_page(browser: Any, site_url: str) -> Any:
    page = browser.new_page()
    page.goto(site_url + "search/")  # the finder loads the rules with its first keyword only
    page.wait_for_function("window.ccText")
    yield page
    page.close()


@pytest.mark.parametrize("kind", KINDS)
def test_javascript_follows_the_same_vectors(rules_page: Any, kind: str) -> None:
    got = rules_page.evaluate(JS_SIDE, [kind, VECTORS[kind]])
    assert got == [case["out"] for case in VECTORS[kind]]


def test_the_browser_gets_the_rules_from_python(real_site: Path) -> None:
    script = (real_site / "assets" / "search-rules.js").read_text(encoding="utf-8")
    data = json.loads(script.split("window.ccRules=", 1)[1].split(";\n", 1)[0])
    assert data == json.loads(json.dumps(search_rules.rules()))


@pytest.fixture(scope="module")
def site_with_other_rules(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The built site, with 核桃 made a question word in the rules the build wrote for the browser."""
    from .browser import serve

    site = tmp_path_factory.mktemp("rules") / "site"
    shutil.copytree(real_site, site)
    rules = site / "assets" / "search-rules.js"
    head, _, code = rules.read_text(encoding="utf-8").partition(";\n")
    data = json.loads(head.removeprefix("window.ccRules="))
    data["stop"].append("核桃")
    rules.write_text(f"window.ccRules={json.dumps(data, ensure_ascii=False)};\n{code}", encoding="utf-8")
    with serve(site) as url:
        yield url


def _finder_count(page: Any, url: str) -> int:
    # The status line is filled in on the server, so wait for the finder's own signal that it has
    # applied the query (after fetching the rules and the keyword text it needs).
    page.add_init_script("document.addEventListener('cc-finder-done', () => { window.__finderDone = true })")
    page.goto(url + "finder/?q=" + "核桃")
    page.wait_for_function("window.__finderDone === true")
    return int(page.eval_on_selector_all("#cc-finder-results li[data-module]", "els => els.length"))


def test_the_scripts_follow_the_rules_data_they_are_given(
    phone: Any, site_url: str, site_with_other_rules: str
) -> None:
    # The lists live only in the data the build writes: change it and the search page, the
    # header box's engine and the finder all follow (no script keeps a copy of its own).
    walnut = _finder_count(phone, site_url)
    assert walnut > 0
    assert _finder_count(phone, site_with_other_rules) != walnut
    for url, found in ((site_url, True), (site_with_other_rules, False)):
        phone.goto(url + "search/?q=" + "核桃")
        phone.wait_for_function("document.getElementById('cc-search-status').textContent.length > 0")
        assert (phone.eval_on_selector_all("#cc-results li", "els => els.length") > 0) is found, url


def test_the_finder_applies_the_shared_rules(phone: Any, site_url: str) -> None:
    # Full-width letters (NFKC) and question words: the finder treats them as the search does.
    phone.add_init_script("document.addEventListener('cc-finder-done', () => { window.__finderDone = true })")
    phone.goto(site_url + "finder/?q=" + "ｈｅｔａｏ")
    phone.wait_for_function("window.__finderDone === true")
    links = phone.eval_on_selector_all("#cc-finder-results li a", "els => els.map(a => a.href)")
    assert any("walnut-factory-online-transition" in h for h in links)
    phone.evaluate("window.__finderDone = false")
    phone.goto(site_url + "finder/?q=" + "怎么招团长呢")
    phone.wait_for_function("window.__finderDone === true")
    shown = phone.eval_on_selector_all("#cc-finder-results li a", "els => els.length")
    assert shown > 0
