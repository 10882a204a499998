"""`catalog diff`: a fixture repository with real commits, compared as a reviewer would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import Writer, course_yaml

GIT_ENV = {
    "GIT_AUTHOR_NAME": "编辑",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "编辑",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin",
}


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=GIT_ENV, check=True)
    return result.stdout


@pytest.fixture
def repo(project: Writer) -> Path:
    """The tiny project as a git repository with one commit, tagged ``base``."""
    root = project()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "初始内容")
    git(root, "tag", "base")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def run_diff(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), "diff", *args])
    return code, capsys.readouterr().out


def test_no_change_says_so(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(capsys, repo)
    assert code == 0
    assert out.splitlines() == ["内容变化：HEAD → 工作区", "", "内容没有变化，也没有新问题。"]


def test_added_changed_and_removed_entities_between_two_commits(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = repo / "content/courses/shop"
    (shop / "course-h.yml").write_text(course_yaml("course-h", "直播间搭建"), encoding="utf-8")
    text = (shop / "course-c.yml").read_text(encoding="utf-8")
    (shop / "course-c.yml").write_text(text.replace("title: 课程C", "title: 课程C：新标题"), encoding="utf-8")
    (repo / "cases/story.md").unlink()
    commit(repo, "加一门课，改一个标题，删一个案例")

    code, out = run_diff(capsys, repo, "base", "HEAD")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "内容变化：base → HEAD"
    assert "  课程 course-h“直播间搭建”（content/courses/shop/course-h.yml）" in lines
    changed = lines.index("  课程 course-c“课程C：新标题”（content/courses/shop/course-c.yml）")
    assert lines[changed + 1] == "    title：“课程C” → “课程C：新标题”"
    assert "  成功案例 story“一个故事”（cases/story.md）" in lines
    added, modified, removed = (lines.index(f"{h}（1）") for h in ("新增", "修改", "删除"))
    assert added < modified < removed


def test_pages_that_only_list_or_link_the_entity_are_affected(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "content/courses/shop/course-c.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 课程C", "title: 课程丙"), encoding="utf-8")
    code, out = run_diff(capsys, repo, "--format", "json")
    assert code == 0
    report = json.loads(out)
    changed = set(report["pages"]["changed"])
    # The course's own page, its module, its instructor, the finder and tags pages, the path that
    # lists it, the case that links it, and the courses that name it as prerequisite or follower.
    for url in ("/courses/course-c/", "/modules/shop/", "/instructors/teacher/", "/finder/", "/tags/"):
        assert url in changed
    assert "/paths/starter/" in changed
    assert "/courses/course-b/" in changed and "/courses/course-d/" in changed
    # A page with no link to course C is not listed.
    assert "/modules/tour/" not in changed
    assert report["changed"][0]["fields"] == [{"field": "title", "old": "课程C", "new": "课程丙"}]


def test_long_values_are_shortened(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "content/courses/shop/course-a.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("课程编号course-a。", "课程编号course-a。另加一句很长的说明。"), encoding="utf-8")
    _, out = run_diff(capsys, repo, "--format", "json")
    (change,) = json.loads(out)["changed"]
    (fld,) = change["fields"]
    assert fld["field"] == "description"
    assert len(fld["old"]) == 40 and fld["old"].endswith("…")


def test_new_problems_are_listed_with_their_location_and_exit_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "content/courses/shop/course-b.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("hours: 6", "hours: 六"), encoding="utf-8")
    code, out = run_diff(capsys, repo, "--format", "markdown")
    assert code == 1
    assert out.startswith("# 内容变化：HEAD → 工作区\n")
    assert "## 新问题（1）" in out
    assert "- `content/courses/shop/course-b.yml:8:8` “hours”（学时）应为数字，但写的是文字“六”" in out
    assert "无法生成页面，受影响的页面列不全" in out


def test_problems_already_on_the_base_are_not_new(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "content/courses/shop/course-b.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("hours: 6", "hours: 六"), encoding="utf-8")
    commit(repo, "坏了")
    path.write_text(path.read_text(encoding="utf-8").replace("summary: 一句话简介。", "summary: 改过。"))
    code, out = run_diff(capsys, repo)
    assert code == 0
    assert "新问题" not in out
    assert "summary：“一句话简介。” → “改过。”" in out


def test_unknown_ref_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(repo), "diff", "no-such-branch"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("读不到 git 版本“no-such-branch”")
    assert "Traceback" not in err
