"""Hostile or careless input: always one located message, never a traceback, never unbounded work.

The single-file cases live in tests/bad_inputs (140-179); these are the ones that need more than a
file laid over the tiny project: thousands of files, huge files, odd file names, the command line.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from generator import check_references, dictionary, discover, pages, schema, validate
from generator.cli import main
from generator.load import MAX_FILE_BYTES, RawDocument, read_limited
from generator.problems import Location, Problem

from .conftest import Writer, course_yaml

# --------------------------------------------------------------------------- --format github


def test_github_format_escapes_properties_and_message() -> None:
    problem = Problem(Location("cases/a,b:c%.md\n::warning::x", 3, 4), "第一行\n::error::假的\r%", "提示")
    assert problem.github() == (
        "::error file=cases/a%2Cb%3Ac%25.md%0A%3A%3Awarning%3A%3Ax,line=3,col=4::第一行%0A::error::假的%0D%25（提示）"
    )


def test_a_file_name_cannot_inject_a_workflow_command(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    (root / "cases" / "x\n::warning file=evil.md::injected.md").write_text("x", encoding="utf-8")
    assert main(["--root", str(root), "check", "--format", "github"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=cases/x%0A%3A%3Awarning file=evil.md%3A%3Ainjected.md,line=1,col=1::")


def test_text_format_keeps_one_problem_per_line(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    (root / "cases" / "two\nlines.md").write_text("x", encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith("cases/two\\nlines.md:1:1: ")


# --------------------------------------------------------------------------- long prerequisite chains


def chain(count: int, cycle: bool) -> dict[str, str | bytes | None]:
    """``count`` courses, each the prerequisite of the next; the first needs the last if ``cycle``."""
    files: dict[str, str | bytes | None] = {f"content/courses/shop/course-{x}.yml": None for x in "abcdefg"}
    files["content/paths/starter.yml"] = None
    for n in range(count):
        pre = f"[c{n - 1}]" if n else (f"[c{count - 1}]" if cycle else "[]")
        files[f"content/courses/shop/c{n}.yml"] = course_yaml(f"c{n}", f"课程{n}", prereqs=pre)
    files["cases/story.md"] = None
    return files


def test_a_chain_of_1200_courses_is_checked(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(chain(1200, cycle=False))
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out
    assert "检查通过：1200 门课程" in capsys.readouterr().out


def test_a_cycle_of_1200_courses_is_one_located_message(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(chain(1200, cycle=True))
    assert main(["--root", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert len(lines) == 1
    ring = " → ".join(["c0", *(f"c{n}" for n in range(1199, 0, -1)), "c0"])
    assert lines[0] == f"content/courses/shop/c0.yml:24:17: 先修课程形成循环：{ring}（去掉其中一个先修关系）"


def fake_courses(prerequisites: dict[str, list[str]]) -> dict[str, discover.Loaded]:
    out = {}
    for cid, pres in prerequisites.items():
        doc = RawDocument(f"content/courses/shop/{cid}.yml", {"id": cid, "level": "入门", "prerequisites": pres})
        out[cid] = discover.Loaded(schema.CONTENT_TYPES["course"], doc, ok=True)
    return out


@pytest.mark.parametrize("count", [10_000])
def test_graphs_of_10000_courses_need_no_recursion(count: int) -> None:
    """A chain, a ring and a ring with chords, checked under a recursion limit far below their depth."""
    chain_graph = {f"c{n}": [f"c{n - 1}"] if n else [] for n in range(count)}
    ring = {f"c{n}": [f"c{(n - 1) % count}"] for n in range(count)}
    chords = {f"c{n}": [f"c{(n - 1) % count}", f"c{(n + count // 2) % count}"] for n in range(count)}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)  # the test's own call stack is well under this
    try:
        results = {}
        for name, graph in (("chain", chain_graph), ("ring", ring), ("chords", chords)):
            problems: list[Problem] = []
            check_references.check_prerequisites(fake_courses(graph), problems)
            results[name] = problems
    finally:
        sys.setrecursionlimit(limit)
    assert results["chain"] == []
    assert len(results["ring"]) == 1
    assert results["ring"][0].message.startswith("先修课程形成循环：c0 → c9999 → c9998 → ")
    assert results["ring"][0].message.count("→") == count
    # One group of courses that reach each other: one message, naming a shortest cycle in it.
    assert len(results["chords"]) == 1
    assert results["chords"][0].message == "先修课程形成循环：c0 → c5000 → c0"


def test_the_shortest_cycle_is_reported_for_each_group() -> None:
    graph = {"a": ["b"], "b": ["c", "a"], "c": ["a"], "x": ["y"], "y": ["x"], "z": ["a"]}
    groups = check_references.strongly_connected(graph)
    assert sorted(sorted(g) for g in groups) == [["a", "b", "c"], ["x", "y"]]
    assert check_references.shortest_cycle(graph, "a", {"a", "b", "c"}) == ["a", "b", "a"]


# --------------------------------------------------------------------------- sizes and dictionaries


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yml"
    with path.open("wb") as handle:
        handle.truncate(1_000_000_000)  # sparse: costs no disk, would cost 1 GB of memory if read
    data, problems = read_limited(path, "content/huge.yml")
    assert data is None
    assert [p.text() for p in problems] == [
        f"content/huge.yml:1:1: 文件过大（1000000 KB，上限 {MAX_FILE_BYTES // 1000} KB），请检查是否放错了文件"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("长" * 40_000, "content/jieba_userdict.txt:1:1: 文件过大（120 KB，上限 64 KB），请检查是否放错了文件"),
        ("w" * 40_000, "content/jieba_userdict.txt:1:61: 这一行太长：40000 个字符，最多 60 个"),
        ("长" * 21, "content/jieba_userdict.txt:1:1: 词“长长长长长长长长长长…”太长：21 个字，最多 20 个"),
    ],
)
def test_a_40000_character_word_never_reaches_jieba(
    project: Writer, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    root = project({"content/jieba_userdict.txt": text + "\n"})
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().out.startswith(expected)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert not (root / "site").exists()


def test_a_gbk_dictionary_fails_check_not_the_build(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project({"content/jieba_userdict.txt": "直播带货 3000 n\n".encode("gbk")})
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().out.startswith("content/jieba_userdict.txt:1:")
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "content/jieba_userdict.txt:1:" in err and "UTF-8" in err
    assert "Traceback" not in err


def test_the_dictionary_entries_reach_jieba_as_written() -> None:
    text = textwrap.dedent("""\
        社区团购 3000 n
        团长 n
        农产品上行

        直播带货 20
    """)
    entries, problems = dictionary.parse(text)
    assert problems == []
    assert entries == [
        dictionary.Entry("社区团购", 3000, "n"),
        dictionary.Entry("团长", None, "n"),
        dictionary.Entry("农产品上行"),
        dictionary.Entry("直播带货", 20),
    ]


def test_the_build_segments_with_the_dictionary(project: Writer) -> None:
    from generator.search_index import Tokenizer

    tokenizer = Tokenizer([dictionary.Entry("核桃礼盒装", 50_000, "n")], [])
    assert "核桃礼盒装" in tokenizer.terms("核桃礼盒装的拍摄")


# --------------------------------------------------------------------------- names and folders


def test_check_from_a_subfolder_finds_the_project(
    project: Writer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project()
    monkeypatch.chdir(root / "content" / "courses" / "shop")
    assert main(["check"]) == 0
    assert "检查通过：7 门课程" in capsys.readouterr().out


def test_reserved_ids_cover_every_page_the_generator_makes_in_an_item_folder(project: Writer) -> None:
    catalog, problems = validate.load_catalog(project())
    assert catalog is not None, problems
    rendered = pages.render_site(catalog)
    items = {
        pages.src_of(kind, ident)
        for kind, table in (
            ("module", catalog.modules),
            ("course", catalog.courses),
            ("instructor", catalog.instructors),
            ("case", catalog.cases),
            ("path", catalog.paths),
        )
        for ident in table
    }
    for kind, folder in pages.item_folders().items():
        fixed = {src for src in rendered if src.startswith(f"{folder}/") and src not in items}
        stems = {src[len(folder) + 1 : -len(".md")] for src in fixed}
        assert stems <= set(pages.reserved_ids(kind)), kind
        assert "index" in pages.reserved_ids(kind)
    assert dict(pages.reserved_ids("session")) == {}  # sessions have no pages of their own


def test_a_tag_may_not_take_the_name_of_the_tags_page(project: Writer) -> None:
    # A big tag's course list is tags/<id>/: a tag called "index" would replace the tags page.
    tags = "- id: index\n  name: 索引\n  meaning: 占用保留名称。\n"
    root = project({"content/tags.yml": tags})
    catalog, problems = validate.load_catalog(root)
    assert catalog is None
    reserved = [p for p in problems if "保留名称" in p.message]
    assert [(p.location.path, p.location.line, p.location.column) for p in reserved] == [("content/tags.yml", 1, 7)]
    assert "tags/" in reserved[0].message
    assert pages.src_of("tag", "x") == "tags/x.md" and "index" in pages.reserved_ids("tag")


def test_catalog_new_refuses_a_reserved_id(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    assert main(["--root", str(root), "new", "case", "--id", "index"]) == 1
    assert capsys.readouterr().err.startswith("编号“index”是保留名称：站点的 cases/ 页面用了它")
    assert not (root / "cases" / "index.md").exists()


def test_ids_with_a_trailing_newline_are_refused() -> None:
    from generator import schema

    assert schema.is_id("walnut-gift-box")
    assert not schema.is_id("walnut-gift-box\n")
    assert not schema.is_id("a" * (schema.MAX_ID_LENGTH + 1))
