"""`catalog new`: a commented file with every field, which `catalog check` accepts untouched."""

from __future__ import annotations

import pytest

from generator import scaffold, schema
from generator.cli import main
from generator.load import load_file

from .conftest import Writer


@pytest.mark.parametrize("kind", sorted(scaffold.KINDS))
def test_new_file_has_every_field_and_passes_check(
    project: Writer, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    root = project()
    assert main(["--root", str(root), "new", kind, "--id", "brand-new", "--module", "shop"]) == 0
    path = scaffold.target_path(root, kind, "brand-new", "shop")
    text = path.read_text(encoding="utf-8")
    ctype = scaffold.KINDS[kind]
    doc, problems = load_file(path, path.name, dict, ctype.front_matter)
    assert problems == [] and doc is not None
    assert list(doc.data) == [f.name for f in ctype.fields]  # every field, in model order
    for f in ctype.fields:
        assert f"  # {f.label}" in text, f.name  # a Chinese comment on each field
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out


def test_new_refuses_to_overwrite_and_bad_ids(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    assert main(["--root", str(root), "new", "course", "--id", "course-a", "--module", "shop"]) == 1
    assert "content/courses/shop/course-a.yml 已经存在，没有覆盖" in capsys.readouterr().err
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
