"""The web editor at /admin/: configured from the model, isolated from the public pages, and able
to create a course that `catalog check` accepts unchanged (Decap CMS against its local backend)."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cms, schema
from generator.cli import main

from .browser import serve
from .conftest import REPO, Writer

CMS_NODE = REPO / "tests" / "cms"
DECAP_SERVER = CMS_NODE / "node_modules" / "decap-server" / "dist" / "index.js"
DECAP_SCRIPT = CMS_NODE / "package" / "dist" / "decap-cms.js"


def build(root: Path, out: Path, **env: str) -> dict[str, Any]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert main(["--root", str(root), "build", "--site-dir", str(out)]) == 0
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return dict(yaml.safe_load((out / "admin/config.yml").read_text(encoding="utf-8")))


def fields_of(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


def test_collections_and_widgets_follow_the_model(project: Writer, tmp_path: Path) -> None:
    config = build(project(), tmp_path / "site", CMS_REPO="example/catalog")
    assert config["backend"]["repo"] == "example/catalog"
    assert config["publish_mode"] == "editorial_workflow"
    names = [c["name"] for c in config["collections"]]
    # Courses per module (in module order), then cases, instructors, sessions, paths.
    assert names == ["courses-shop", "courses-tour", "cases", "instructors", "sessions", "paths"]
    shop = config["collections"][0]
    assert shop["folder"] == "content/courses/shop" and shop["slug"] == "{{fields.id}}"
    course = fields_of(shop)
    assert list(course) == [f.name for f in schema.COURSE.fields]  # every field, in model order
    assert course["module"] == {**course["module"], "widget": "hidden", "default": "shop"}
    assert [o["value"] for o in course["level"]["options"]] == list(schema.LEVELS)
    assert [o["value"] for o in course["format"]["options"]] == list(schema.FORMATS)
    audience = schema.COURSE.field("audience")
    assert audience is not None
    assert course["audience"]["multiple"] is True and course["audience"]["max"] == audience.max
    assert [o["value"] for o in course["tags"]["options"]] == ["livestream", "store-setup"]
    assert {"label": "王老师（teacher）", "value": "teacher"} in course["instructors"]["options"]
    assert course["lessons"]["widget"] == "list" and [f["name"] for f in course["lessons"]["fields"]] == [
        "title",
        "summary",
    ]
    assert course["outcomes"]["widget"] == "list" and course["outcomes"]["min"] == 3
    assert course["prerequisites"]["required"] is False
    # Labels and help texts are the model's Chinese ones.
    for f in schema.COURSE.fields:
        assert course[f.name]["label"] == f.label
        assert course[f.name].get("hint", "") == f.help
    case = config["collections"][2]
    assert case["format"] == "frontmatter" and fields_of(case)["body"]["widget"] == "markdown"


def test_public_pages_load_nothing_of_the_editor(real_site: Path) -> None:
    admin = (real_site / "admin/index.html").read_text(encoding="utf-8")
    assert f'src="{cms.DECAP_URL}" integrity="{cms.DECAP_SRI}" crossorigin="anonymous"' in admin
    for page in real_site.rglob("*.html"):
        if page.parent.name != cms.ADMIN_DIR:
            text = page.read_text(encoding="utf-8")
            assert "decap" not in text.lower() and "unpkg" not in text, page


def node_ready() -> None:
    if shutil.which("node") is None:
        pytest.skip("没有 Node：网页编辑器的浏览器测试需要它（其余测试照常运行）")
    if not (DECAP_SERVER.exists() and DECAP_SCRIPT.exists()):
        pytest.fail("tests/cms 里缺少 decap-server 或 decap-cms：请用 make test 运行，它会安装")


def test_the_pinned_script_is_the_published_package() -> None:
    node_ready()
    digest = base64.b64encode(hashlib.sha384(DECAP_SCRIPT.read_bytes()).digest()).decode()
    assert cms.DECAP_SRI == f"sha384-{digest}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


GIT = {"GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "编辑"}
GIT["GIT_COMMITTER_EMAIL"] = "e@example.org"


@pytest.fixture
def local_backend(project: Writer) -> Iterator[tuple[Path, int]]:
    """The tiny project as a git repository, with decap-server editing it on a loopback port."""
    node_ready()
    root = project()
    env = {**os.environ, **GIT}
    subprocess.run("git init -q -b main && git add -A && git commit -q -m 初始内容", shell=True, cwd=root, env=env)
    port = free_port()
    server_env = {**env, "PORT": str(port), "MODE": "git", "GIT_REPO_DIRECTORY": str(root), "BIND_HOST": "127.0.0.1"}
    server = subprocess.Popen(
        ["node", str(DECAP_SERVER)], env=server_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 30
    while "listening" not in server.stdout.readline():
        assert time.monotonic() < deadline and server.poll() is None, "decap-server did not start"
    try:
        yield root, port
    finally:
        server.terminate()
        server.wait(timeout=10)


COURSE_FILE = "content/courses/shop/village-live-room.yml"
DESCRIPTION = (
    "本课面向想在村口开直播卖鸡蛋的驻村第一书记和合作社负责人，从直播角怎么布置讲起。讲师带大家用一部手机、一盏补光灯和一张桌子，"
    "在合作社的库房里搭出能看清蛋壳颜色的直播角；再一起写好两小时的直播脚本，安排好谁讲产品、谁回答评论、谁记录订单。"
    "课上每组完成一场二十分钟的模拟直播，由讲师和同学按脚本逐项点评，课后带走一份可以照着做的开播清单和发货核对表。"
)


def fill_course(page: Any) -> None:
    """Create a course the way an editor does: typing, picking from lists, adding list items."""

    def field(label: str) -> Any:
        return page.get_by_label(label, exact=True)

    def choose(label: str, *options: str) -> None:
        for option in options:
            field(label).click()
            page.get_by_text(option, exact=True).last.click()

    field("编号").fill("village-live-room")
    field("课程名称").fill("村口直播间：用一部手机卖本村鸡蛋")
    field("一句话简介").fill("从布置直播角到第一场两小时直播，一步步做完。")
    choose("适合对象", "驻村第一书记", "合作社负责人")
    choose("难度", "入门")
    choose("授课形式", "线下面授")
    field("学时").fill("6")
    for n in range(4):
        page.get_by_role("button", name="新增课时安排").click()
        field("标题").nth(n).fill(f"第{n + 1}步：直播前的准备")
        field("简介 (可选)").nth(n).fill(f"完成直播角的第{n + 1}项布置。")
    for n in range(3):
        page.get_by_role("button", name="新增学习成果").click()
        field("成果").nth(n).fill(f"能独立完成开播清单的第{n + 1}部分。")
    choose("讲师", "王老师（teacher）")
    choose("标签", "网店开设（store-setup）", "直播带货（livestream）")
    page.locator("[data-slate-editor]").last.click()
    page.keyboard.insert_text(DESCRIPTION)


def test_create_a_course_through_the_editor(
    local_backend: tuple[Path, int], browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, port = local_backend
    site = tmp_path / "site"
    build(root, site, CMS_LOCAL_BACKEND=f"http://127.0.0.1:{port}/api/v1")
    with serve(site) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        # The admin page's pinned script, served from the npm package with the same bytes (its SRI
        # is checked by the browser); the test has no network.
        page.route(
            cms.DECAP_URL,
            lambda route: route.fulfill(
                path=str(DECAP_SCRIPT), content_type="text/javascript", headers={"Access-Control-Allow-Origin": "*"}
            ),
        )
        page.goto(url + "admin/")
        page.get_by_role("button", name="登录").click()
        page.goto(url + "admin/#/collections/courses-shop/new")
        fill_course(page)
        page.get_by_role("button", name="保存").click()
        # The editorial workflow saves onto its own branch (the pull request's), file and commit.
        shown = f"cms/courses-shop/village-live-room:{COURSE_FILE}"
        deadline = time.monotonic() + 30
        while True:
            saved = subprocess.run(["git", "show", shown], cwd=root, capture_output=True)
            if saved.returncode == 0:
                break
            assert time.monotonic() < deadline, "saving wrote no file on the editor's branch"
            time.sleep(0.3)
        page.close()
    # The file as a reviewer checks it out, in the project as it is.
    (root / COURSE_FILE).write_bytes(saved.stdout)
    data = yaml.safe_load(saved.stdout.decode("utf-8"))
    assert data["title"] == "村口直播间：用一部手机卖本村鸡蛋" and data["module"] == "shop"
    assert data["audience"] == ["驻村第一书记", "合作社负责人"] and data["tags"] == ["store-setup", "livestream"]
    assert len(data["lessons"]) == 4 and data["description"] == DESCRIPTION
    capsys.readouterr()
    assert main(["--root", str(root), "check", "--strict"]) == 0
    assert "检查通过：8 门课程" in capsys.readouterr().out
