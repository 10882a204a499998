"""Fixtures: a complete, valid tiny project written inline into a temporary folder."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

# 150+ Chinese characters, as the schema requires of a course description.
DESCRIPTION = (
    "本课面向刚开始做电商的合作社，讲清楚从挑选产品、拍摄图片、撰写标题到发出第一单的全过程。"
    "讲师以山区核桃为例，带学员逐项完成店铺设置，并用一次模拟订单检查包装和物流是否可靠。"
    "课后每位学员带走一份可以直接照着做的清单，回到村里当天就能开始准备自己的网店。"
    "课程还会讨论售后问题怎样处理，以及怎样请老顾客写下真实而具体的评价。"
)

PROGRAM = """\
name: 测试计划
tagline: 一句话
summary: 简介。
organizers: [主办方甲]
launched: 2021-06
targets:
  trainees: 100
  years: 3
  counties: 10
platforms:
  - name: 平台甲
advisory_team:
  summary: 顾问团。
  roles: [角色甲]
sources:
  - publication: 某报
    title: 某文
    date: 2021-09-23
    url: https://example.org/a
"""

TAGS = """\
- id: store-setup
  name: 网店开设
  meaning: 开店。
- id: livestream
  name: 直播带货
  meaning: 直播。
"""


def course_yaml(cid: str, title: str, module: str = "shop", level: str = "入门", prereqs: str = "[]") -> str:
    lessons = "".join(f"  - title: 第{n}节\n    summary: 内容{n}。\n" for n in range(1, 5))
    description = textwrap.indent(DESCRIPTION + f"课程编号{cid}。", "  ")
    return (
        f"id: {cid}\ntitle: {title}\nmodule: {module}\nsummary: 一句话简介。\n"
        f"audience: [合作社负责人]\nlevel: {level}\nformat: 线下面授\nhours: 6\n"
        f"lessons:\n{lessons}outcomes:\n  - 能做甲。\n  - 能做乙。\n  - 能做丙。\n"
        f"instructors: [teacher]\ntags: [store-setup, livestream]\nprerequisites: {prereqs}\n"
        f"description: |\n{description}\n"
    )


CASE = """\
---
id: story
title: 一个故事
subject: 某合作社
subject_kind: 合作社
role: 合作社
summary: 摘要。
place:
  province: 贵州省
  county: 某县
products: [核桃]
courses: [course-a]
session: first
source:
  publication: 某报
  title: 某文
  date: 2021-09-23
  url: https://example.org/a
---

正文第一段。
"""


def tiny_files() -> dict[str, str]:
    files = {
        "content/program.yml": PROGRAM,
        "content/tags.yml": TAGS,
        "content/modules/shop.yml": "id: shop\nname: 网店\nsummary: 开网店。\norder: 1\n",
        "content/modules/tour.yml": "id: tour\nname: 乡村旅游\nsummary: 旅游。\norder: 2\n",
        "content/instructors/teacher.yml": (
            "id: teacher\nname: 王老师\npersona: true\ntitle: 讲师\naffiliation: 示例机构\n"
            "fields: [网店]\nbio: 示例人物。\n"
        ),
        "content/sessions/first.yml": (
            "id: first\ntitle: 首期\ndate: 2021-06\ntheme: 启动\n"
            "sources:\n  - publication: 某报\n    title: 某文\n    date: 2021-09-23\n"
            "    url: https://example.org/a\n"
        ),
        "cases/story.md": CASE,
    }
    letters = "abcdefg"
    for n, letter in enumerate(letters):
        prereq = f"[course-{letters[n - 1]}]" if n else "[]"
        files[f"content/courses/shop/course-{letter}.yml"] = course_yaml(
            f"course-{letter}", f"课程{letter.upper()}", prereqs=prereq
        )
    steps = "".join(f"  - course: course-{x}\n    why: 理由{x}。\n" for x in letters[:6])
    files["content/paths/starter.yml"] = (
        f"id: starter\ntitle: 入门路径\naudience: 合作社负责人\nsummary: 简介。\nsteps:\n{steps}"
    )
    return files


MKDOCS_YML = """\
site_name: 测试
theme:
  name: material
  language: zh
  font: false
plugins:
  - catalog
"""


Writer = Callable[..., Path]

# Builds in tests are reproducible: a fixed build date (2021-09-23, the source article's day).
BUILD_EPOCH = "1632355200"
# A public address, as the deploy sets it: structured data, feeds and QR codes use absolute URLs.
TEST_SITE_URL = "https://example.org/catalog/"


def build_real_site(out: Path) -> Path:
    """Build the bundled content strictly into ``out`` with the fixed build date."""
    from generator.cli import build_site

    settings = {"SOURCE_DATE_EPOCH": BUILD_EPOCH, "SITE_URL": TEST_SITE_URL}
    previous = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        build_site(REPO, out)
    finally:
        for key, value in previous.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content, built once per test session."""
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


@pytest.fixture
def project(tmp_path: Path) -> Writer:
    """Write the tiny project, with ``changes`` ({path: text or None to delete}) applied."""

    def write(changes: dict[str, str | bytes | None] | None = None) -> Path:
        files: dict[str, str | bytes | None] = {**tiny_files(), **(changes or {})}
        files.setdefault("mkdocs.yml", MKDOCS_YML)
        files.setdefault("content/jieba_userdict.txt", "直播带货 3000 n\n")
        for rel, text in files.items():
            path = tmp_path / rel
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return tmp_path

    return write


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """The bundled site served on loopback."""
    from .browser import serve

    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, driven by Playwright."""
    from .browser import CHROMIUM, CHROMIUM_ARGS

    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh page in a 360 px wide phone-sized window."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff before committing)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are rewritten: ``pytest --update-golden`` or UPDATE_GOLDEN=1."""
    return bool(request.config.getoption("--update-golden")) or os.environ.get("UPDATE_GOLDEN") == "1"
