"""The search index: terms, weights and vocabulary (Python), ranking order (chromium, tiny project),
and the header search box on every page."""

from __future__ import annotations

import gzip
import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import search_index, search_rules, site_files
from generator.validate import load_catalog

from .conftest import CASE, REPO, Writer, course_yaml, tiny_files

# ------------------------------------------------------------------ the built index


def test_index_holds_dictionary_words_bigrams_and_pinyin(real_site: Path) -> None:
    words: set[str] = set()
    for part in (real_site / "search").glob("words-*.json"):
        words |= set(json.loads(part.read_text(encoding="utf-8")))
    for word in ("直播带货", "社区团购", "农产品上行", "预制菜", "开网店"):
        assert word in words, word
    terms: set[str] = set()
    for shard in (real_site / "search").glob("shard-*.json"):
        terms |= set(json.loads(shard.read_text(encoding="utf-8")))
    # Character pairs of titles, whether or not a dictionary knows the word.
    assert {"主播", "线上", "扫码", "满减", "品控", "话术", "排品"} <= terms
    # Question words are never indexed as dictionary words (they may occur as pairs of titles).
    assert not {"怎么办", "为什么", "请问"} & terms
    latin = set(json.loads((real_site / "search" / "latin.json").read_text(encoding="utf-8")))
    assert {"hetao", "minsu", "ms"} <= latin


def test_each_term_lives_in_the_shard_its_hash_names(real_site: Path) -> None:
    meta = json.loads((real_site / "search" / "meta.json").read_text(encoding="utf-8"))
    for n in range(meta["shards"]):
        for term in json.loads((real_site / "search" / f"shard-{n}.json").read_text(encoding="utf-8")):
            assert search_rules.fnv1a(term) % meta["shards"] == n


def test_each_word_lives_in_the_file_its_first_character_names(real_site: Path) -> None:
    meta = json.loads((real_site / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["wordShards"] >= 8
    longest = 0
    for n in range(meta["wordShards"]):
        for word in json.loads((real_site / "search" / f"words-{n}.json").read_text(encoding="utf-8")):
            assert search_rules.fnv1a(word[0]) % meta["wordShards"] == n
            longest = max(longest, len(word))
    assert meta["wordMax"] == longest


def test_search_files_are_small(real_site: Path) -> None:
    files = {p.name: p.read_bytes() for p in (real_site / "search").glob("*.json")}
    assert max(len(gzip.compress(b)) for b in files.values()) < 30_000
    assert len([n for n in files if n.startswith("shard-")]) >= 8


# ------------------------------------------------------------------ weights (unit)


def test_an_index_updated_by_the_documents_that_changed_equals_a_whole_build(
    project: Writer, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import cache

    key = tmp_path_factory.mktemp("key")
    key.chmod(0o700)
    monkeypatch.setenv(cache.KEY_ENV, str(key))
    folder = tmp_path_factory.mktemp("cache")
    whole_builds: list[str] = []
    full = search_index._full
    monkeypatch.setattr(search_index, "_full", lambda *a: whole_builds.append("") or full(*a))

    def updated_and_whole(root: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
        catalog, problems = load_catalog(root)
        assert catalog is not None, problems
        monkeypatch.setenv(cache.CACHE_ENV, str(folder))
        updated = search_index.build(catalog, root)
        monkeypatch.setenv(cache.CACHE_ENV, "off")
        return updated, search_index.build(catalog, root)

    updated_and_whole(project())  # the first index, kept
    b = course_yaml("course-b", "课程B", prereqs="[course-a]")
    edits: list[dict[str, str | bytes | None]] = [
        {"content/courses/shop/course-b.yml": b.replace("title: 课程B", "title: 村播间的第一场直播")},
        {"content/courses/shop/course-b.yml": b.replace("一句话简介。", "用手机拍出好卖的核桃主图。")},
        {"content/courses/shop/course-b.yml": b.replace("  - 能做甲。\n", "  - 能算清快递运费。\n")},
        {  # two documents at once, and words no other document has
            "content/instructors/teacher.yml": tiny_files()["content/instructors/teacher.yml"].replace(
                "bio: 示例人物。", "bio: 示例人物，做过十年脐橙冷链。"
            ),
            "cases/story.md": CASE.replace("正文第一段。", "正文写到猕猴桃分拣线。"),
        },
        {},  # everything back as it was
    ]
    for edit in edits:
        whole_builds.clear()
        updated, whole = updated_and_whole(project(edit))
        assert whole_builds == [""], "the cached build updated the index (only the check built it whole)"
        assert updated.keys() == whole.keys()
        assert [name for name in whole if updated[name] != whole[name]] == []

    # A build stopped between writing the files and writing the terms leaves the terms of the
    # build before: they are never used with the newer files.
    def terms_entry() -> Path:
        (path,) = [
            p
            for p in (folder / "search-index").rglob("*")
            if p.is_file()
            and isinstance(pickle.loads(cache.read_signed(p) or b"N."), tuple)
            and isinstance(pickle.loads(cache.read_signed(p) or b"N.")[1], list)
        ]
        return path

    older = terms_entry().read_bytes()
    updated_and_whole(project(edits[0]))
    terms_entry().write_bytes(older)
    updated, whole = updated_and_whole(project(edits[1]))
    assert updated == whole


def test_weights_are_ordered_by_field_kind_and_level() -> None:
    w = search_index.FIELD_WEIGHTS
    assert w["title"] > w["pinyin"] > w["tags"] > w["summary"] > w["lessons"] > w["details"] > w["body"] > 0
    b = search_index.TYPE_BOOST
    assert b["course"] > b["case"] > b["path"] >= b["module"] > b["instructor"] > b["page"]
    lv = search_index.LEVEL_BOOST
    assert lv["入门"] > lv["进阶"] > lv["高级"]
    assert search_index.TITLE_START > 1


HONEY = "蜂蜜"


def tiny(project: Writer) -> Path:
    """The tiny project with words placed in different fields, kinds and levels."""

    def course(cid: str, title: str, level: str = "入门", body: str = "", summary: str = "一句话简介。") -> str:
        text = course_yaml(cid, title, level=level, prereqs="[]").replace(
            "summary: 一句话简介。", f"summary: {summary}"
        )
        return text.replace(f"课程编号{cid}。", f"课程编号{cid}。{body}")

    return project(
        {
            # A title match (last in the index) against a body match (first).
            "content/courses/shop/course-a.yml": course("course-a", "课程A", body=HONEY * 3 + "。"),
            "content/courses/shop/course-g.yml": course("course-g", "山野" + HONEY),
            # The same title at two levels; the advanced course comes first in the index.
            "content/courses/shop/course-b.yml": course("course-b", "蜂箱管理甲", level="高级"),
            "content/courses/shop/course-f.yml": course("course-f", "蜂箱管理乙", level="入门"),
            # A course summary against an instructor's fields and bio.
            "content/courses/shop/course-c.yml": course("course-c", "课程C", summary="讲养蜂的一句话简介。"),
            "content/instructors/teacher.yml": (
                "id: teacher\nname: 王老师\npersona: true\ntitle: 讲师\naffiliation: 示例机构\n"
                "fields: [网店, 养蜂]\nbio: 示例人物，养蜂二十年。\n"
            ),
            "content/synonyms.yml": (
                "- {words: [土蜂蜜], finds: [蜂蜜]}\n- {words: [蜂箱], finds: [蜂蜜], weight: 0.3}\n"
            ),
        }
    )


def test_vocabulary_is_posted_one_way_and_weighs_less(project: Writer) -> None:
    root = tiny(project)
    catalog, problems = load_catalog(root)
    assert catalog is not None, problems
    docs, weights = search_index.weights(catalog, root)
    index = {d.url.rstrip("/").split("/")[-1]: n for n, d in enumerate(docs)}
    g = index["course-g"]
    # Searching 土蜂蜜 finds the honey course, at 0.6 of the weight 蜂蜜 has there.
    assert weights["土蜂蜜"][g] == pytest.approx(weights[HONEY][g] * 0.6)
    # One way: a course that says 蜂箱 is not posted under 蜂蜜.
    assert index["course-b"] not in weights[HONEY]
    # A line's own weight: 蜂箱 finds honey courses at 0.3, below the courses that say 蜂箱.
    assert weights["蜂箱"][g] < weights["蜂箱"][index["course-b"]]


def test_field_weights_reach_the_postings(project: Writer) -> None:
    root = tiny(project)
    catalog, _ = load_catalog(root)
    assert catalog is not None
    docs, weights = search_index.weights(catalog, root)
    index = {d.url.rstrip("/").split("/")[-1]: n for n, d in enumerate(docs)}
    assert weights[HONEY][index["course-g"]] > weights[HONEY][index["course-a"]]
    assert weights["蜂箱"][index["course-f"]] > weights["蜂箱"][index["course-b"]]
    assert weights["养蜂"][index["course-c"]] > weights["养蜂"][index["teacher"]]


# ------------------------------------------------------------------ ranking order (chromium)


HARNESS = """<!doctype html><meta charset="utf-8"><script src="assets/search-rules.js"></script>
<script src="assets/search.js"></script>"""


@pytest.fixture
def tiny_search(project: Writer, browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from .browser import serve

    root = tiny(project)
    catalog, _ = load_catalog(root)
    assert catalog is not None
    out = tmp_path_factory.mktemp("tiny-search")
    shutil.copytree(site_files.STATIC / "assets", out / "assets")
    for name, data in search_index.build(catalog, root).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    (out / "index.html").write_text(HARNESS, encoding="utf-8")
    with serve(out) as url:
        page = browser.new_page()
        page.goto(url)
        slugs = "r => r.items.map(i => i.url.split('/').filter(Boolean).pop())"
        yield lambda q: page.evaluate(f"q => ccSearchEngine('search/').search(q, 20).then({slugs})", q)
        page.close()


def before(results: list[str], a: str, b: str) -> bool:
    return a in results and (b not in results or results.index(a) < results.index(b))


def test_title_match_beats_body_match(tiny_search: Any) -> None:
    assert before(tiny_search(HONEY), "course-g", "course-a")


def test_entry_course_beats_advanced_for_a_bare_topic_word(tiny_search: Any) -> None:
    assert before(tiny_search("蜂箱"), "course-f", "course-b")


def test_course_beats_a_generic_page(tiny_search: Any) -> None:
    assert before(tiny_search("养蜂"), "course-c", "teacher")


def test_one_way_vocabulary_in_the_browser(tiny_search: Any) -> None:
    assert tiny_search("土蜂蜜")[:2] == ["course-g", "course-a"]
    assert "course-b" not in tiny_search(HONEY)


# ------------------------------------------------------------------ the header box


PAGES = ["", "courses/online-store-setup/", "modules/agri-ecommerce/", "finder/", "about/", "cases/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_box_and_loads_no_search_data_before_focus(
    phone: Any, site_url: str, real_site: Path, path: str
) -> None:
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.goto(site_url + path)
    phone.wait_for_load_state("networkidle")
    assert phone.is_visible("#cc-box-q")
    assert [
        r for r in requests if "/search/" in r or "search.js" in r or ("search-rules" in r and path != "finder/")
    ] == []
    phone.focus("#cc-box-q")
    phone.wait_for_function("window.ccSearchEngine")
    phone.wait_for_load_state("networkidle")
    assert any(r.endswith("/search/meta.json") for r in requests)
    # Typing fetches the dictionary words of the query's characters only, not all of them.
    phone.fill("#cc-box-q", "直播")
    phone.wait_for_selector("#cc-box-list [role=option]")
    shards = json.loads((real_site / "search" / "meta.json").read_text(encoding="utf-8"))["wordShards"]
    fetched = {r.rsplit("/", 1)[1] for r in requests if "/search/words-" in r}
    assert fetched == {f"words-{search_rules.fnv1a(c) % shards}.json" for c in "直播"}


def test_box_suggests_as_you_type_with_keyboard(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "courses/online-store-setup/")
    box = "#cc-box-q"
    phone.focus(box)
    phone.evaluate("document.addEventListener('cc-box-done', e => { window.__box = e.detail })")
    phone.type(box, "排品", delay=20)
    phone.wait_for_function("window.__box && window.__box.query === '排品'")
    assert phone.get_attribute(box, "role") == "combobox"
    assert phone.get_attribute(box, "aria-expanded") == "true"
    options = phone.eval_on_selector_all("#cc-box-list [role=option]", "els => els.map(e => e.textContent)")
    assert "直播排品与话术" in options[0] and "进阶" in options[0]  # title, module and level
    # Everything fits a 360 px screen.
    right = phone.evaluate("document.getElementById('cc-box-list').getBoundingClientRect().right")
    assert right <= 360 and phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.keyboard.press("ArrowDown")
    assert phone.get_attribute(box, "aria-activedescendant") == "cc-box-opt-0"
    assert phone.get_attribute("#cc-box-opt-0", "aria-selected") == "true"
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowUp")
    assert phone.get_attribute(box, "aria-activedescendant") == "cc-box-opt-0"
    phone.keyboard.press("Escape")
    assert phone.get_attribute(box, "aria-expanded") == "false" and phone.is_hidden("#cc-box-list")
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/courses/livestream-lineup-and-script/")


def test_enter_without_a_choice_opens_the_results_page(phone: Any, site_url: str) -> None:
    phone.goto(site_url + "about/")
    phone.fill("#cc-box-q", "卖不出去")
    phone.press("#cc-box-q", "Enter")
    phone.wait_for_url("**/search/?q=*")
    phone.wait_for_selector("#cc-results li")
    assert phone.input_value("#cc-q") == "卖不出去"


# ------------------------------------------------------------------ the vocabulary file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {words: [投流]}\n", "缺少必填字段"),
        ("- {words: [投流], finds: 付费推广}\n", "应为列表"),
        ("- {words: [投流], finds: [付费推广], weight: 2}\n", "超出范围"),
        ("- [土特产, 农产品]\n", "应为字段映射"),
    ],
)
def test_a_wrong_vocabulary_line_gets_one_located_message(project: Writer, text: str, message: str) -> None:
    root = project({"content/synonyms.yml": "# 词表\n" + text})
    catalog, problems = load_catalog(root)
    assert catalog is None and len(problems) == 1, problems
    assert problems[0].location.path == "content/synonyms.yml" and problems[0].location.line == 2
    assert message in problems[0].message


def test_the_bundled_vocabulary_is_well_formed() -> None:
    catalog, problems = load_catalog(REPO)
    assert catalog is not None, problems
    for entry in catalog.synonyms:
        assert all(len(search_rules.normalise(w)) >= 2 for w in (*entry.words, *entry.finds)), entry
        # Trainee words are words: no question word or generic word makes a line (a longer word
        # is posted under its own name, so the browser knows it and keeps it whole).
        assert all(search_rules.specific(w, {w}) for w in entry.words), entry


def test_the_index_built_on_another_core_is_the_index(project: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in `catalog build`: no other thread
    monkeypatch.setattr(search_index, "CHILD_BELOW_MB", 10**6)  # this test process is large
    root = project()
    catalog, _ = load_catalog(root)
    assert catalog is not None
    job = search_index.Background(catalog, root)
    assert job.process is not None
    assert job.result() == search_index.build(catalog, root)

    # A build too large to copy, or told to use one process, makes it here.
    for setting in ({"CHILD_BELOW_MB": 1}, {}):
        with monkeypatch.context() as m:
            for name, value in setting.items():
                m.setattr(search_index, name, value)
            if not setting:
                m.setenv("CATALOG_JOBS", "1")
            job = search_index.Background(catalog, root)
            assert job.process is None
            assert job.result() == search_index.build(catalog, root)

    # A child that dies without an answer: the index is built here instead.
    monkeypatch.setattr(search_index, "_build_in_child", lambda *args: os._exit(3))
    job = search_index.Background(catalog, root)
    assert job.result() == search_index.build(catalog, root)
    assert job.process is None
