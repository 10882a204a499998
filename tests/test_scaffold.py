"""`catalog new`: a commented file with every field, which `catalog check` accepts untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import scaffold, schema
from generator.cli import main
from generator.load import load_file

from .conftest import Writer


@pytest.mark.parametrize("kind", sorted(scaffold.kinds()))
def test_new_file_has_every_field_and_passes_check(
    project: Writer, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    root = project()
    assert main(["--root", str(root), "new", kind, "--id", "brand-new", "--module", "shop"]) == 0
    path = scaffold.target_path(root, kind, "brand-new", "shop")
    text = path.read_text(encoding="utf-8")
    ctype = scaffold.kinds()[kind]
    doc, problems = load_file(path, path.name, dict, ctype.front_matter)
    assert problems == [] and doc is not None
    assert list(doc.data) == [f.name for f in ctype.fields]  # every field, in model order
    for f in ctype.fields:
        assert f"  # {f.label}" in text, f.name  # a Chinese comment on each field
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out


def test_new_refuses_to_overwrite_and_bad_ids(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    before = (root / "content/courses/shop/course-a.yml").read_bytes()
    assert main(["--root", str(root), "new", "course", "--id", "course-a", "--module", "shop"]) == 1
    assert capsys.readouterr().err == (
        "content/courses/shop/course-a.yml:1:5: 课程编号“course-a”已经有了，没有新建"
        "（换一个编号，例如 --id course-a-shop）\n"
    )
    assert (root / "content/courses/shop/course-a.yml").read_bytes() == before
    assert main(["--root", str(root), "new", "case", "--id", "Bad Id"]) == 1
    assert "编号“Bad Id”不合法" in capsys.readouterr().err
    assert main(["--root", str(root), "new", "course", "--id", "x", "--module", "nope"]) == 1
    assert "没有编号为“nope”的模块" in capsys.readouterr().err


def test_yaml_files_point_at_their_schema(project: Writer) -> None:
    root = project()
    main(["--root", str(root), "new", "course", "--id", "brand-new", "--module", "shop"])
    first = (root / "content/courses/shop/brand-new.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/course.schema.json"
    assert (root / "content/courses/shop" / "../../../schemas/course.schema.json").resolve() == (
        root / "schemas" / f"{schema.COURSE.name}.schema.json"
    )


def test_new_refuses_an_id_that_exists_in_another_module(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    assert main(["--root", str(root), "new", "course", "--id", "course-b", "--module", "tour"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/courses/shop/course-b.yml:1:5: 课程编号“course-b”已经有了")
    assert "--id course-b-tour" in err
    assert not (root / "content/courses/tour/course-b.yml").exists()


@pytest.mark.parametrize("title", ["课程C", " 课程c ", "一个故事"])
def test_new_refuses_a_title_used_anywhere(project: Writer, capsys: pytest.CaptureFixture[str], title: str) -> None:
    root = project()
    assert main(["--root", str(root), "new", "course", "--id", "fresh", "--module", "tour", "--title", title]) == 1
    err = capsys.readouterr().err
    assert f"标题“{title}”已经有了，没有新建" in err
    assert err.startswith(("content/courses/shop/course-c.yml:2:8:", "cases/story.md:3:8:"))
    assert not (root / "content/courses/tour/fresh.yml").exists()


def test_a_new_title_is_written_into_the_file(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    assert main(["--root", str(root), "new", "course", "--id", "fresh", "--module", "tour", "--title", "村口直播"]) == 0
    assert "title: 村口直播" in (root / "content/courses/tour/fresh.yml").read_text(encoding="utf-8")


def test_placeholders_warn_in_check_and_fail_strict_check_and_published_build(
    project: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = project()
    assert main(["--root", str(root), "new", "course", "--id", "fresh", "--module", "tour"]) == 0
    capsys.readouterr()
    text = (root / "content/courses/tour/fresh.yml").read_text(encoding="utf-8").splitlines()
    marked = [n for n, line in enumerate(text, 1) if schema.PLACEHOLDER in line and not line.lstrip().startswith("#")]
    assert marked  # title, summary, lessons, outcomes, description at least

    assert main(["--root", str(root), "check"]) == 0
    out, err = capsys.readouterr()
    warnings = [line for line in out.splitlines() if line.startswith("警告：")]
    # One warning per placeholder line, each naming the file and that line.
    assert sorted({int(w.split(":")[1]) for w in warnings}) == sorted(set(marked))
    assert all(w.startswith("警告：content/courses/tour/fresh.yml:") for w in warnings)
    assert "处警告" in err

    assert main(["--root", str(root), "check", "--strict"]) == 1
    out, _ = capsys.readouterr()
    assert len(out.splitlines()) == len(warnings)
    assert main(["--root", str(root), "check", "--strict", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=content/courses/tour/fresh.yml,line=")
    assert main(["--root", str(root), "check", "--format", "github"]) == 0
    assert "::warning file=content/courses/tour/fresh.yml,line=" in capsys.readouterr().out

    site = tmp_path / "out"
    assert main(["--root", str(root), "build", "--site-dir", str(site)]) == 1
    assert "这里还是“catalog new”写的占位文字" in capsys.readouterr().err
    assert not site.exists()
    assert main(["--root", str(root), "build", "--preview", "--site-dir", str(site)]) == 0
    assert (site / "courses/fresh/index.html").is_file()
