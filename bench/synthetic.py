"""A synthetic catalogue of any size, made from the bundled one, and static pages to measure it.

The N courses cycle through the real ones; each copy is renamed with a county name, so titles
stay distinct and the vocabulary grows as a larger real catalogue's would.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pages, search_index, site_files  # noqa: E402
from generator.build_model import link  # noqa: E402
from generator.model import Catalog  # noqa: E402
from generator.validate import load_catalog  # noqa: E402

COUNTIES = (
    "赫章 三都 淇县 景宁 寻乌 晴隆 库尔勒 威宁 织金 纳雍 大方 黔西 金沙 从江 榕江 雷山 丹寨 荔波 平塘 罗甸 "
    "望谟 册亨 安龙 兴仁 普安 盘州 水城 六枝 关岭 紫云 镇宁 务川 道真 正安 沿河 印江 石阡 思南 德江 松桃 "
    "凤冈 湄潭 余庆 习水 赤水 桐梓 绥阳 仁怀 播州 汇川"
).split()


def bundled() -> Catalog:
    catalog, problems = load_catalog(ROOT)
    if catalog is None:
        raise SystemExit(f"bundled content has {len(problems)} problems")
    return catalog


def scaled(catalog: Catalog, size: int) -> Catalog:
    """A catalogue with ``size`` courses (prerequisites dropped: they would point across copies)."""
    if size <= len(catalog.courses):
        return catalog
    originals = sorted(catalog.courses.values(), key=lambda c: c.id)
    courses = {}
    for n in range(size):
        course = originals[n % len(originals)]
        copy = n // len(originals)
        if copy == 0:
            courses[course.id] = dataclasses.replace(course, prerequisites=())
            continue
        county = COUNTIES[copy % len(COUNTIES)] + ("" if copy < len(COUNTIES) else str(copy // len(COUNTIES)))
        cid = f"{course.id}-{copy}"
        courses[cid] = dataclasses.replace(course, id=cid, title=f"{county}：{course.title}", prerequisites=())
    bare = dataclasses.replace(catalog, courses=courses, cases={}, paths={})
    return link(bare)


SHELL = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>
<link rel="stylesheet" href="{assets}catalog.css"></head>
<body><main class="md-typeset">{body}</main></body></html>
"""


def write_pages(catalog: Catalog, out: Path) -> Path:
    """The finder and search pages of ``catalog`` in a plain shell, with the search index."""
    if out.exists():
        shutil.rmtree(out)
    renderer = pages.Renderer(catalog)
    wanted = {"finder.md", "search.md"}
    for page in (p for p in renderer.pages() if p.src_uri in wanted):
        body = renderer.render(page).split("---\n\n", 1)[1]
        target = out / pages.url_of(page.src_uri) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SHELL.format(title=page.title, assets="../assets/", body=body), encoding="utf-8")
    for name, data in renderer.finder_data().items():  # a paginated finder's data files
        (out / name).write_bytes(data)
    shutil.copytree(site_files.STATIC / "assets", out / "assets")
    for name, data in search_index.build(catalog, ROOT).items():
        (out / name).write_bytes(data)
    return out
