"""The catalog command: exit codes, messages, and builds that never destroy the last good site."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main

from .conftest import Writer, course_yaml

BROKEN = {"content/courses/shop/course-a.yml": course_yaml("course-a", "课程A").replace("hours: 6", "hours: 六")}


def test_check_passes_on_valid_content(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    assert main(["--root", str(root), "check"]) == 0
    assert "检查通过：7 门课程、1 个案例" in capsys.readouterr().out


def test_check_lists_every_problem_and_exits_1(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project({**BROKEN, "content/modules/tour.yml": "id: tour\nname: 乡村旅游\nsummary: 旅游。\norder: x\n"})
    assert main(["--root", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "content/courses/shop/course-a.yml:8:8: “hours”（学时）应为数字，但写的是文字“六”",
        "content/modules/tour.yml:4:8: “order”（排序）应为整数，但写的是文字“x”",
    ]
    assert "发现 2 处错误，涉及 2 个文件。" in err
    assert "Traceback" not in out + err


def test_check_github_format(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(BROKEN)
    assert main(["--root", str(root), "check", "--format", "github"]) == 1
    assert capsys.readouterr().out.strip() == (
        "::error file=content/courses/shop/course-a.yml,line=8,col=8::“hours”（学时）应为数字，但写的是文字“六”"
    )


def test_build_then_failed_build_keeps_the_last_good_site(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    assert main(["--root", str(root), "build"]) == 0
    site = root / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert Path("courses/course-a/index.html") in before

    project(BROKEN)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有的 site/ 保持不变" in err
    assert "course-a.yml:8:8: “hours”（学时）应为数字" in err
    assert "Traceback" not in err
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_windows_editors_files_are_accepted(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    text = course_yaml("course-a", "课程A").replace("\n", "\r\n")
    root = project({"content/courses/shop/course-a.yml": b"\xef\xbb\xbf" + text.encode("utf-8")})
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out


def test_images_from_content_are_published_with_the_page(project: Writer) -> None:
    from .conftest import CASE

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    root = project(
        {
            "content/images/walnut.png": png,
            "cases/story.md": CASE.replace("正文第一段。", "![核桃](content/images/walnut.png)"),
        }
    )
    assert main(["--root", str(root), "build"]) == 0
    page = (root / "site" / "cases" / "story" / "index.html").read_text(encoding="utf-8")
    assert '<img alt="核桃" src="../../images/walnut.png"' in page
    assert (root / "site" / "images" / "walnut.png").read_bytes() == png
