"""Publish only what belongs: no symbolic links under the content folders, only checked images."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from generator.cli import build_site, main
from generator.publish import MAX_IMAGE_BYTES, image_type, images, symlinks

from .conftest import CASE, Writer

LINK_MESSAGE = "这里是符号链接，不是真正的{}：网站只发布仓库里的普通文件和文件夹（把链接换成真正的文件，或删除它）"


def png(width: int = 2, height: int = 2) -> bytes:
    """A real, minimal PNG image (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def check_output(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.strip()


def outside_folder(root: Path) -> Path:
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (outside / "photo.png").write_bytes(png())
    return outside


def test_images_folder_linked_to_a_folder_outside_is_refused_and_nothing_is_built(
    project: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project()
    os.symlink(outside_folder(root), root / "content/images")
    assert check_output(root, capsys) == (1, "content/images:1:1: " + LINK_MESSAGE.format("文件夹"))
    with pytest.raises((Exception, SystemExit)):
        build_site(root, root / "site")
    assert not (root / "site").exists()
    assert not any(p.name == "passwd" for p in root.rglob("*") if not p.is_symlink())


@pytest.mark.parametrize(
    ("link", "kind"),
    [
        ("cases/story-2.md", "文件"),
        ("content/images/photo.png", "文件"),
        ("content/images/holiday", "文件夹"),
        ("content/courses/linked", "文件夹"),
        ("content/modules/extra.yml", "文件"),
        ("content/images/deep/passwd", "文件"),
        ("cases", "文件夹"),
        ("content/program.yml", "文件"),
        ("content/tags.yml", "文件夹"),
    ],
)
def test_every_symbolic_link_under_the_content_folders_is_one_located_error(
    project: Writer, capsys: pytest.CaptureFixture[str], link: str, kind: str
) -> None:
    root = project({"content/images/ok.png": png()})
    outside = outside_folder(root)
    path = root / link
    if link == "cases":
        os.rename(root / "cases", outside / "cases")
        target = outside / "cases"
    elif kind == "文件夹":
        target = outside
    else:
        target = outside / ("photo.png" if link.endswith(".png") else "passwd")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a link in place of a file the project has
    os.symlink(target, path)
    code, out = check_output(root, capsys)
    assert code == 1
    assert out == f"{link}:1:1: " + LINK_MESSAGE.format(kind)


def test_only_checked_images_are_published_under_images(project: Writer, tmp_path: Path) -> None:
    body = "正文。\n\n![核桃](content/images/walnut.png)\n\n![礼盒](content/images/2021/box.png)\n"
    root = project(
        {
            "cases/story.md": CASE.replace("正文第一段。\n", body),
            "content/images/walnut.png": png(),
            "content/images/2021/box.png": png(3, 3),
            "content/images/.gitkeep": "",
        }
    )
    site = root / "site"
    build_site(root, site)
    published = sorted(p.relative_to(site / "images").as_posix() for p in (site / "images").rglob("*") if p.is_file())
    assert published == ["2021/box.png", "walnut.png"]
    assert (site / "images/walnut.png").read_bytes() == png()
    page = (site / "cases/story/index.html").read_text(encoding="utf-8")
    assert '<img alt="核桃" src="../../images/walnut.png">' in page
    assert '<img alt="礼盒" src="../../images/2021/box.png">' in page


def test_an_image_over_the_size_limit_is_refused(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project({"content/images/huge.png": png() + b"\0" * MAX_IMAGE_BYTES})
    assert check_output(root, capsys) == (
        1,
        "content/images/huge.png:1:1: 图片太大（2.0 MB，上限 2 MB）（把图片缩小到 1600 像素宽再保存，通常只有几百 KB）",
    )


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0", "png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
        (b"RIFF\x10\0\0\0WEBPVP8 ", "webp"),
        (b"GIF89a\x01\0", "gif"),
        (b"GIF87a\x01\0", "gif"),
        (b"RIFF\x10\0\0\0WAVEfmt ", None),
        (b"<svg xmlns=", None),
        (b"<!DOCTYPE html>", None),
        (b"", None),
    ],
)
def test_image_type_is_decided_by_content(head: bytes, kind: str | None) -> None:
    assert image_type(head) == kind


def test_images_and_symlinks_have_nothing_to_say_about_a_clean_project(project: Writer) -> None:
    root = project({"content/images/a.png": png()})
    assert symlinks(root) == []
    assert images(root) == ([root / "content/images/a.png"], [])
