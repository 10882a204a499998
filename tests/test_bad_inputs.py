"""The corpus of broken inputs in tests/bad_inputs: each gives exit 1 and located messages, never a traceback.

Each case folder holds ``files/`` (laid over the valid tiny project) and ``expected.txt``, the
exact output of ``catalog check``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import MAX_FILE_BYTES

from .conftest import Writer, course_yaml

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def overlay(case: Path) -> dict[str, str | bytes | None]:
    files = case / "files"
    return {p.relative_to(files).as_posix(): p.read_bytes() for p in files.rglob("*") if p.is_file()}


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input_gives_a_located_error(project: Writer, capsys: pytest.CaptureFixture[str], case: Path) -> None:
    root = project(overlay(case))
    code = main(["--root", str(root), "check"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert lines == (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in lines)


def test_a_file_far_over_a_sane_size(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    big = course_yaml("course-a", "课程A") + "# " + "填充" * MAX_FILE_BYTES + "\n"
    root = project({"content/courses/shop/course-a.yml": big})
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("content/courses/shop/course-a.yml:1:1: 文件过大（")


def test_a_symlink_that_leaves_the_repository(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    outside = root.parent / "outside.yml"
    outside.write_text(course_yaml("course-z", "课程Z"), encoding="utf-8")
    os.symlink(outside, root / "content/courses/shop/course-z.yml")
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().out.strip() == (
        "content/courses/shop/course-z.yml:1:1: 这里是符号链接，不是真正的文件：网站只发布仓库里的普通文件和文件夹"
        "（把链接换成真正的文件，或删除它）"
    )
