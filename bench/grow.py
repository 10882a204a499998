"""A project folder with N course files on disk, grown from the bundled ones.

Unlike ``synthetic.py`` (which grows the catalogue in memory), this writes real files, so a
benchmark measures the whole path: reading and parsing YAML, validating, MkDocs and the theme.
Copy k of a course gets the id ``<id>-k``, a county name before its title, and prerequisites
pointing at copy k of the originals, so every copy is a valid course of its own.

Usage: python bench/grow.py N DEST
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COUNTIES = (
    "赫章 三都 淇县 景宁 寻乌 晴隆 库尔勒 威宁 织金 纳雍 大方 黔西 金沙 从江 榕江 雷山 丹寨 荔波 平塘 罗甸 "
    "望谟 册亨 安龙 兴仁 普安 盘州 水城 六枝 关岭 紫云 镇宁 务川 道真 正安 沿河 印江 石阡 思南 德江 松桃 "
    "凤冈 湄潭 余庆 习水 赤水 桐梓 绥阳 仁怀 播州 汇川"
).split()

_ID = re.compile(r"^id: (\S+)$", re.MULTILINE)
_TITLE = re.compile(r"^title: (.+)$", re.MULTILINE)
_PREREQS = re.compile(r"^prerequisites: \[(.*)\]$", re.MULTILINE)


def county(copy: int) -> str:
    return COUNTIES[copy % len(COUNTIES)] + ("" if copy < len(COUNTIES) else str(copy // len(COUNTIES)))


def copy_course(text: str, copy: int, made: set[str] | None = None) -> str:
    """Copy ``copy`` (1, 2, …) of a course file's text; prerequisites outside ``made`` are dropped."""
    text = _ID.sub(lambda m: f"id: {m.group(1)}-{copy}", text, count=1)
    text = _TITLE.sub(lambda m: f"title: {county(copy)}：{m.group(1).strip(chr(34))}", text, count=1)

    def prereqs(m: re.Match[str]) -> str:
        ids = [p.strip() for p in m.group(1).split(",") if p.strip()]
        kept = [f"{p}-{copy}" for p in ids if made is None or f"{p}-{copy}" in made]
        return "prerequisites: [" + ", ".join(kept) + "]"

    return _PREREQS.sub(prereqs, text, count=1)


def grow(size: int, dest: Path, source: Path = ROOT) -> Path:
    """Write a project with ``size`` courses (at least the bundled ones) into ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("content", "cases"):
        shutil.copytree(source / name, dest / name)
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    originals = sorted((source / "content" / "courses").glob("*/*.yml"))
    plan = [(originals[n % len(originals)], n // len(originals)) for n in range(len(originals), size)]
    made = {f"{path.stem}-{copy}" for path, copy in plan}
    texts = {path: path.read_text(encoding="utf-8") for path in originals}
    for path, copy in plan:
        text = copy_course(texts[path], copy, made)
        (dest / "content" / "courses" / path.parent.name / f"{path.stem}-{copy}.yml").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    grow(int(sys.argv[1]), Path(sys.argv[2]))
