"""Drafts: previewed and marked, listed by check, never published."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main

from .conftest import Writer, course_yaml

DRAFT_COURSE = {
    "content/courses/tour/draft-course.yml": course_yaml("draft-course", "草稿课", "tour") + "status: draft\n"
}


def test_check_lists_drafts_and_passes(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(DRAFT_COURSE)
    assert main(["--root", str(root), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["草稿 1 个（预览里能看到，正式发布时不生成）：", "  content/courses/tour/draft-course.yml"]
    assert main(["--root", str(root), "check", "--strict"]) == 0


def test_published_build_leaves_drafts_out_and_preview_marks_them(
    project: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = project(DRAFT_COURSE)
    published, preview = tmp_path / "published", tmp_path / "preview"
    assert main(["--root", str(root), "build", "--site-dir", str(published)]) == 0
    assert not (published / "courses/draft-course").exists()
    assert "草稿课" not in (published / "modules/tour/index.html").read_text(encoding="utf-8")
    assert "草稿课" not in (published / "finder/index.html").read_text(encoding="utf-8")

    assert main(["--root", str(root), "build", "--preview", "--site-dir", str(preview)]) == 0
    page = (preview / "courses/draft-course/index.html").read_text(encoding="utf-8")
    assert 'class="cc-draft"' in page and "content/courses/tour/draft-course.yml" in page
    assert "草稿课" in (preview / "modules/tour/index.html").read_text(encoding="utf-8")
    # Only the draft's own page carries the mark.
    assert 'class="cc-draft"' not in (preview / "courses/course-a/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "changes, where",
    [
        # A published course that needs a draft first.
        (
            {"content/courses/shop/course-a.yml": course_yaml("course-a", "课程A", prereqs="[draft-course]")},
            "content/courses/shop/course-a.yml:24:17:",
        ),
        # A draft module with published courses in it.
        (
            {
                "content/modules/tour.yml": "id: tour\nname: 乡村旅游\nsummary: 旅游。\norder: 2\nstatus: draft\n",
                "content/courses/tour/draft-course.yml": course_yaml("draft-course", "草稿课", "tour"),
            },
            "content/courses/tour/draft-course.yml:3:",
        ),
    ],
)
def test_published_content_may_not_depend_on_a_draft(
    project: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path, changes: dict[str, str], where: str
) -> None:
    root = project({**DRAFT_COURSE, **changes})
    assert main(["--root", str(root), "check"]) == 0
    warning = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("警告："))
    assert warning.startswith("警告：" + where)
    assert "还是草稿，正式发布时不会生成" in warning
    assert main(["--root", str(root), "check", "--strict"]) == 1
    assert capsys.readouterr().out.startswith(where)
    assert main(["--root", str(root), "build", "--site-dir", str(tmp_path / "out")]) == 1
    assert main(["--root", str(root), "build", "--preview", "--site-dir", str(tmp_path / "out")]) == 0
