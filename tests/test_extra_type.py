"""A content type declared outside the generator: tests/extra_type/project adds notices (通知).

The project declares the type in its ``catalog_types.py`` through ``schema.register`` and brings
one template; everything else (discovery, located checks, the model, pages, the list page, the
navigation, ``catalog new``) comes from the generator's own mechanisms, with nothing in the
generator that names the type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import schema
from generator.cli import main
from generator.validate import load_catalog

from .conftest import Writer

PROJECT = Path(__file__).parent / "extra_type" / "project"


def extra_files(changes: dict[str, str | None] | None = None) -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {
        p.relative_to(PROJECT).as_posix(): p.read_bytes() for p in PROJECT.rglob("*") if p.is_file()
    }
    return {**files, **(changes or {})}


@pytest.fixture(autouse=True)
def own_types() -> Iterator[None]:
    yield
    schema.unregister_added()  # the next test's project has only the built-in types


def test_notices_are_checked_built_into_the_model_and_get_pages(
    project: Writer, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(extra_files())
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out

    catalog, problems = load_catalog(root)
    assert problems == [] and catalog is not None
    notice = catalog.items("notice")["venue-change"]
    assert (notice.title, notice.date, str(notice.location)) == (
        "四月线下课改在县电商中心上",
        "2022-04-02",
        "content/notices/venue-change.yml:1:1",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        notice.title = "改了"

    site = tmp_path_factory.mktemp("extra") / "site"
    assert main(["--root", str(root), "build", "--site-dir", str(site)]) == 0, capsys.readouterr().err
    page = (site / "notices" / "spring-enrolment" / "index.html").read_text(encoding="utf-8")
    assert "<h1>春季直播带货班开始报名</h1>" in page
    assert '<time datetime="2022-03-01">2022-03-01</time>' in page
    assert "<strong>3 月 15 日</strong>" in page  # the Markdown body, through the sanitising renderer
    assert "content/notices/spring-enrolment.yml" in page  # the data file behind the page
    listing = (site / "notices" / "index.html").read_text(encoding="utf-8")
    assert '<a class="cc-item__title" href="spring-enrolment/">春季直播带货班开始报名</a>' in listing
    assert '<a class="cc-item__title" href="venue-change/">四月线下课改在县电商中心上</a>' in listing
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="notices/"' in home and "通知" in home  # in the navigation of every page


def test_mistakes_in_a_notice_are_located_like_any_other(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    bad = "id: venue-change\ntitle: 改地点\ndate: 2022-13-02\nbody: 正文。\nplace: 县城\n"
    root = project(extra_files({"content/notices/venue-change.yml": bad, "content/notices/Draft.yml": "id: x\n"}))
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/notices/Draft.yml:1:1: 缺少必填字段“body”（正文）",
        "content/notices/Draft.yml:1:1: 缺少必填字段“date”（日期）",
        "content/notices/Draft.yml:1:1: 缺少必填字段“title”（标题）",
        "content/notices/Draft.yml:1:5: 编号“x”与文件名“Draft.yml”不一致（把文件改名为 x.yml，或改编号）",
        "content/notices/venue-change.yml:3:7: “date”（日期）的值“2022-13-02”不是有效日期"
        "（写成 2021-09-23，或只写到月份 2021-09）",
        "content/notices/venue-change.yml:5:1: 未知字段“place”（可用字段：id、title、date、body、status）",
    ]


def test_catalog_new_writes_a_notice_that_passes(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(extra_files())
    assert main(["--root", str(root), "new", "notice", "--id", "holiday"]) == 0
    text = (root / "content" / "notices" / "holiday.yml").read_text(encoding="utf-8")
    assert "title: " in text and "  # 标题（必填）：说清是什么事；最多 40 字" in text
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out


def test_types_are_a_projects_own(project: Writer) -> None:
    load_catalog(project(extra_files()))
    assert "notice" in schema.CONTENT_TYPES
    _, problems = load_catalog(project(extra_files({"catalog_types.py": None})))
    assert "notice" not in schema.CONTENT_TYPES
    # Without the declaration its folder is one the generator does not read, and says so.
    assert [p.text() for p in problems] == [
        "content/notices:1:1: 不认识的文件夹“notices”，它不会被读取"
        "（content/ 里只能有：courses、images、instructors、jieba_userdict.txt、modules、paths、program.yml、"
        "sessions、synonyms.yml、tags.yml）"
    ]


def test_a_broken_declaration_is_one_located_problem(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    broken = "from generator import schema\n\nschema.register(schema.MODULE)\n"
    root = project(extra_files({"catalog_types.py": broken}))
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("catalog_types.py:3:1: 项目的内容类型声明有错误：DeclarationError: content type 'module'")
    assert "Traceback" not in out
