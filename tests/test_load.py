"""Loading: YAML and text problems become located messages; tolerated quirks load cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_file


def load(tmp_path: Path, data: bytes | str, front_matter: bool = False, expect: type = dict):  # type: ignore[no-untyped-def]
    path = tmp_path / ("x.md" if front_matter else "x.yml")
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return load_file(path, path.name, expect, front_matter)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("a: 1\nb: [1, 2\n", "x.yml:3:1: YAML 语法错误：文件意外结束：引号或括号没有闭合"),
        ("a: 1\n\tb: 2\n", "x.yml:2:1: YAML 语法错误：这里有 Tab 字符：YAML 只能用空格缩进，请把 Tab 换成两个空格"),
        ("a: 1\na: 2\n", "x.yml:2:1: 字段“a”重复出现（第一次在第 1 行），请删除其中一个"),
        (
            "a: !!python/object/apply:os.system [echo hi]\n",
            "x.yml:1:4: 不允许的 YAML 标签“!!python/object/apply:os.system”：内容文件只能包含文字、数字、列表和字段",
        ),
        ("a: &x [1]\nb: *x\n", "x.yml:2:4: YAML 语法错误：不支持 YAML 别名（*名称）：请把内容直接写出来"),
        ("", "x.yml:1:1: 文件是空的（或只有注释），没有任何数据"),
        ("# 只有注释\n# 没有数据\n", "x.yml:1:1: 文件是空的（或只有注释），没有任何数据"),
        ("- a\n- b\n", "x.yml:1:1: 文件顶层应该是字段映射（每行“字段: 值”），但这里是列表"),
        (b"title: \xff\xfe\n", "x.yml:1:8: 文件不是有效的 UTF-8 编码，请用 UTF-8 保存（记事本：另存为，编码选 UTF-8）"),
        ("a: 1\n---\nb: 2\n", "x.yml:2:1: YAML 语法错误：一个文件只能有一份数据，请删除多余的“---”"),
        (
            "title: 标题: 副标题\n",
            "x.yml:1:10: YAML 语法错误：这里不能出现冒号“:”：值里含有英文冒号时，请给整个值加上引号",
        ),
    ],
)
def test_bad_yaml_is_located(tmp_path: Path, data: str | bytes, expected: str) -> None:
    doc, problems = load(tmp_path, data)
    assert doc is None
    assert [p.text() for p in problems] == [expected]


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc, problems = load(tmp_path, "\n".join(lines) + "\n")
    assert doc is None
    assert problems[0].location.line == 2
    assert "别名" in problems[0].message


def test_huge_file_is_refused(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "a: " + "x" * 300_000 + "\n")
    assert doc is None
    assert problems[0].message.startswith("文件过大")


def test_bom_and_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, b"\xef\xbb\xbfid: a\r\ntitle: \xe6\xa0\x87\xe9\xa2\x98\r\nlist:\r\n  - x\r\n")
    assert problems == []
    assert doc is not None
    assert doc.data == {"id": "a", "title": "标题", "list": ["x"]}
    assert doc.loc("list", 0).line == 4


def test_front_matter_lines_count_from_the_file_start(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "---\nid: a\ntitle: [\n---\n正文\n", front_matter=True)
    assert doc is None
    assert problems[0].location.line == 4  # the error is reported in file lines, not front-matter lines
    doc, problems = load(tmp_path, "---\nid: a\ntitle: t\n---\n\n正文\n", front_matter=True)
    assert doc is not None and problems == []
    assert doc.loc("title").line == 3
    assert doc.body_line == 5 and doc.body is not None and doc.body.strip() == "正文"


def test_dates_stay_text(tmp_path: Path) -> None:
    doc, _ = load(tmp_path, "a: 2021-09-23\nb: 2021-09\n")
    assert doc is not None
    assert doc.data == {"a": "2021-09-23", "b": "2021-09"}


def test_times_stay_text(tmp_path: Path) -> None:
    # YAML 1.1 reads 9:30 as the base-60 number 570; an editor writing a time means the text.
    doc, problems = load(tmp_path, "a: 9:30\nb: 1:2:3\nc: 6\n")
    assert problems == [] and doc is not None
    assert doc.data == {"a": "9:30", "b": "1:2:3", "c": 6}


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 4000, "-" + "9" * 19, "0b" + "1" * 80])
def test_a_huge_integer_is_one_located_error(tmp_path: Path, number: str) -> None:
    # Python refuses str() of an int over 4,300 digits: this was a traceback in check.
    doc, problems = load(tmp_path, f"a: 1\nb: {number}\n")
    assert doc is None
    assert [(p.location.line, p.location.column, p.message) for p in problems] == [(2, 4, "数字太大：最多 18 位")]


def test_the_largest_integer_allowed(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "a: 999999999999999999\n")
    assert problems == [] and doc is not None and doc.data == {"a": 999999999999999999}
