"""Validation: every mistake an editor can make gives one located Chinese message."""

from __future__ import annotations

import pytest

from generator.validate import load_catalog

from .conftest import Writer, course_yaml

A = "content/courses/shop/course-a.yml"
B = "content/courses/shop/course-b.yml"


def problems_of(project: Writer, changes: dict[str, str | bytes | None]) -> list[str]:
    catalog, problems = load_catalog(project(changes))
    assert catalog is None
    return [p.text() for p in problems]


def test_tiny_project_is_valid(project: Writer) -> None:
    catalog, problems = load_catalog(project())
    assert problems == []
    assert catalog is not None
    assert sorted(catalog.courses) == [f"course-{x}" for x in "abcdefg"]
    # Reverse links are resolved both ways.
    assert catalog.courses_by_module["shop"][0] == "course-a"
    assert catalog.cases_by_course["course-a"] == ("story",)
    assert catalog.followers["course-a"] == ("course-b",)
    assert catalog.courses_by_instructor["teacher"][:2] == ("course-a", "course-b")
    assert catalog.paths_by_course["course-a"] == ("starter",)
    assert catalog.cases_by_session["first"] == ("story",)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


BASE = course_yaml("course-a", "课程A")

CASES = [
    pytest.param(
        {A: BASE.replace("hours: 6", "hours: 六")},
        f"{A}:8:8: “hours”（学时）应为数字，但写的是文字“六”",
        id="wrong-type",
    ),
    pytest.param(
        {A: BASE.replace("hours: 6\n", "")},
        f"{A}:1:1: 缺少必填字段“hours”（学时）",
        id="missing-field",
    ),
    pytest.param(
        {A: BASE.replace("hours: 6", "hours: -3")},
        f"{A}:8:8: “hours”（学时）的值 -3 超出范围：应在 0.5 到 40 之间",
        id="negative-hours",
    ),
    pytest.param(
        {A: BASE.replace("level: 入门", "level: 初级")},
        f"{A}:6:8: “level”（难度）的值“初级”不在可选范围内（可选：入门、进阶、高级）",
        id="enum",
    ),
    pytest.param(
        {A: BASE.replace("module: shop", "module: shopp")},
        f"{A}:3:9: “module”（所属模块）引用了不存在的教学模块“shopp”（你是不是想写“shop”？）",
        id="unknown-module",
    ),
    pytest.param(
        {B: course_yaml("course-b", "课程B", prereqs="[course-x]")},
        f"{B}:24:17: “prerequisites”的第 1 项（先修课程）引用了不存在的课程“course-x”（你是不是想写“course-g”？）",
        id="unknown-prerequisite",
    ),
    pytest.param(
        {A: BASE.replace("tags: [store-setup, livestream]", "tags: [store-setup, livestrem]")},
        f"{A}:23:21: “tags”的第 2 项（标签）引用了不存在的标签“livestrem”（你是不是想写“livestream”？）",
        id="unknown-tag",
    ),
    pytest.param(
        {"content/courses/shop/course-z.yml": course_yaml("course-q", "课程Z")},
        "content/courses/shop/course-z.yml:1:5: 编号“course-q”与文件名“course-z.yml”不一致"
        "（把文件改名为 course-q.yml，或改编号）",
        id="id-not-file-name",
    ),
    pytest.param(
        {A: BASE.replace("hours: 6", "hours: 6\nhour: 5")},
        f"{A}:9:1: 未知字段“hour”（你是不是想写“hours”？）",
        id="unknown-field",
    ),
    pytest.param(
        {A: BASE.replace("title: 课程A", "title: 课程B")},
        f"{B}:2:8: 课程名称“课程B”重复：{A} 已经用过（每门课程的名称要能区分开）",
        id="duplicate-title",
    ),
    pytest.param(
        {A: course_yaml("course-a", "课程A", prereqs="[course-a]")},
        f"{A}:24:17: 课程不能把自己列为先修课程",
        id="self-prerequisite",
    ),
    pytest.param(
        {"content/courses/shop/course-e.yml": course_yaml("course-e", "课程E", prereqs="[course-d, course-g]")},
        "content/courses/shop/course-e.yml:24:27: 先修课程形成循环：course-e → course-g → course-f → course-e"
        "（去掉其中一个先修关系）",
        id="cycle",
    ),
    pytest.param(
        {
            B: course_yaml("course-b", "课程B", level="入门", prereqs="[course-a]"),
            A: course_yaml("course-a", "课程A", level="高级"),
        },
        f"{B}:24:17: 先修课程“course-a”是高级课程，比本课（入门）难（先修课程只能是同级或更低难度的课程）",
        id="harder-prerequisite",
    ),
    pytest.param(
        {
            "content/paths/starter.yml": "id: starter\ntitle: 路径\naudience: 合作社负责人\nsummary: 简介。\nsteps:\n"
            "  - course: course-b\n    why: 先学乙。\n  - course: course-a\n    why: 再学甲。\n"
            + "".join(f"  - course: course-{x}\n    why: 理由。\n" for x in "cdef")
        },
        "content/paths/starter.yml:6:13: 学习路径里“course-b”排在它的先修课程“course-a”前面（把先修课程挪到前面）",
        id="path-order",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_each_mistake_gives_one_located_message(project: Writer, changes: dict, expected: str) -> None:
    problems = problems_of(project, changes)
    assert expected in problems, problems
    assert len(problems) == 1, problems


def test_duplicate_id_across_files(project: Writer) -> None:
    problems = problems_of(
        project,
        {
            "content/courses/shop/course-a.yml": None,
            "content/courses/shop/dup.yml": course_yaml("dup", "重复一"),
            "content/courses/other/dup.yml": course_yaml("dup", "重复二", module="other"),
        },
    )
    assert any("课程编号“dup”重复" in p for p in problems), problems


def test_all_errors_in_one_run_sorted_by_file_and_line(project: Writer) -> None:
    problems = problems_of(
        project,
        {
            A: BASE.replace("hours: 6", "hours: 六").replace("level: 入门", "level: 初级"),
            "content/modules/tour.yml": "id: tour\nname: 乡村旅游\nsummary: 旅游。\norder: first\n",
        },
    )
    assert [p.split(": ")[0] for p in problems] == [f"{A}:6:8", f"{A}:8:8", "content/modules/tour.yml:4:8"]


def test_description_length_counts_chinese_characters(project: Writer) -> None:
    short = BASE.split("description: |")[0] + "description: 太短了。\n"
    problems = problems_of(project, {A: short})
    assert problems == [f"{A}:25:14: “description”（课程介绍）太短：3 个汉字，至少 150 个"]
