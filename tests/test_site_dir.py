"""No command destroys data, and replacing the site survives what happens to real machines.

``catalog build --site-dir`` (and ``mkdocs build`` with the plugin) refuses folders that are not
sites; builds replace the site under a lock, clean up after signals, survive read-only sites and
what killed builds left behind, and give the new site the usual permissions.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import sitedir
from generator.cli import main

from .conftest import Writer, course_yaml

NOBODY = 65534


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(parent: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((f".{name}-build-", f".{name}-old-")))


def catalog(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", "--root", str(root), *args]


# --------------------------------------------------------------------------- refused folders


@pytest.mark.parametrize(
    ("site", "reason"),
    [
        (".", "这是项目根目录，构建会替换整个文件夹"),
        ("..", "它包含整个项目，构建会替换整个文件夹"),
        ("content", "它在项目的源文件夹 content/ 里"),
        ("cases", "它在项目的源文件夹 cases/ 里"),
        ("content/courses/new", "它在项目的源文件夹 content/ 里"),
        ("generator/site", "它在项目的源文件夹 generator/ 里"),
        (".git", "它在项目的源文件夹 .git/ 里"),
        ("other-project", "里面有项目文件 .git，它不是站点文件夹"),
        ("tools", "里面有项目文件 generator，它不是站点文件夹"),
        ("notes", "这个文件夹不是空的，也不是以前构建生成的站点（没有 .catalog-build 标记）"),
        ("notes.txt", "这里已有一个同名的文件"),
    ],
)
def test_build_refuses_folders_that_are_not_sites(
    project: Writer, capsys: pytest.CaptureFixture[str], site: str, reason: str
) -> None:
    root = project(
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "other-project/.git/HEAD": "ref: refs/heads/main\n",
            "tools/generator/__init__.py": "",
            "notes/plan.txt": "明年的培训计划草稿\n",
            "notes.txt": "备忘\n",
        }
    )
    before = snapshot(root)
    assert main(["--root", str(root), "build", "--site-dir", str(root / site)]) == 2
    out, err = capsys.readouterr()
    assert f"不能输出到这里：{reason}" in err
    assert err.rstrip().endswith("什么也没有删除。")
    assert "Traceback" not in out + err
    assert snapshot(root) == before
    assert not (root / "site").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".") and p.name != ".git"] == []


def test_the_message_names_the_folder_as_the_editor_wrote_it(
    project: Writer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project()
    monkeypatch.chdir(root)
    assert main(["build", "--site-dir", "content"]) == 2
    assert capsys.readouterr().err.startswith("站点目录 content: 不能输出到这里：")


@pytest.mark.parametrize("state", ["missing", "empty", "previous build"])
def test_build_accepts_a_new_an_empty_or_a_previously_built_folder(
    project: Writer, capsys: pytest.CaptureFixture[str], state: str
) -> None:
    root = project()
    out = root.parent / f"{root.name}-out"
    if state == "empty":
        out.mkdir()
    if state == "previous build":
        assert main(["--root", str(root), "build", "--site-dir", str(out)]) == 0
        project({"content/courses/shop/course-a.yml": course_yaml("course-a", "改过名字的课程A")})
    assert main(["--root", str(root), "build", "--site-dir", str(out)]) == 0, capsys.readouterr().err
    assert (out / sitedir.MARKER).is_file()
    page = (out / "courses" / "course-a" / "index.html").read_text(encoding="utf-8")
    assert ("改过名字的课程A" in page) == (state == "previous build")
    assert leftovers(out.parent, out.name) == []


def test_mkdocs_build_with_the_plugin_refuses_too(project: Writer, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, PluginError

    from generator.site_files import load_config

    root = project()
    before = snapshot(root / "content")
    config = load_config(root / "mkdocs.yml", site_dir=str(root / "content"))
    with pytest.raises((PluginError, Abort)):
        build(config)
    assert "站点目录 content: 不能输出到这里：它在项目的源文件夹 content/ 里" in caplog.text
    assert snapshot(root / "content") == before


def test_mkdocs_build_with_the_plugin_marks_its_site(project: Writer) -> None:
    from mkdocs.commands.build import build

    from generator.site_files import load_config

    root = project()
    for _ in range(2):  # the second build accepts the first one's folder
        build(load_config(root / "mkdocs.yml", site_dir=str(root / "site")))
    assert (root / "site" / sitedir.MARKER).is_file()
    assert (root / "site" / "index.html").is_file()


# --------------------------------------------------------------------------- replacing the site


def test_builds_survive_what_killed_builds_left_behind(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    killed_build = root / ".site-build-0badc0de"  # killed before MkDocs wrote anything
    killed_build.mkdir()
    killed_swap = root / ".site-old-0badf00d"  # a retired site, marked, killed before removal
    (killed_swap / "courses").mkdir(parents=True)
    (killed_swap / sitedir.MARKER).write_text("x", encoding="utf-8")
    (killed_swap / "courses" / "index.html").write_text("旧", encoding="utf-8")
    legacy = root / "site.old"  # left by an older version: not marked, so not ours to delete
    legacy.mkdir()
    (legacy / "index.html").write_text("旧版本留下的", encoding="utf-8")
    stranger = root / ".site-build-notours"  # a name like ours, but someone's folder with data
    stranger.mkdir()
    (stranger / "keep.txt").write_text("别删", encoding="utf-8")

    for _ in range(2):
        assert main(["--root", str(root), "build"]) == 0, capsys.readouterr().err
    assert leftovers(root) == [".site-build-notours"]
    assert (stranger / "keep.txt").read_text(encoding="utf-8") == "别删"
    assert (legacy / "index.html").read_text(encoding="utf-8") == "旧版本留下的"
    assert (root / "site" / "index.html").is_file()


def test_new_site_has_the_usual_permissions(project: Writer) -> None:
    root = project()
    previous = os.umask(0o022)
    try:
        assert main(["--root", str(root), "build"]) == 0
    finally:
        os.umask(previous)
    site = root / "site"
    modes = {p.relative_to(site).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")]}
    dirs = {name for name in modes if (site / name).is_dir()}
    assert {modes[d] for d in dirs} == {0o755}
    assert {mode for name, mode in modes.items() if name not in dirs} == {0o644}


@pytest.fixture
def shared_project(project: Writer) -> Iterator[Path]:
    """The tiny project in a folder an unprivileged user owns (when the tests run as root)."""
    source = project()
    folder = Path(tempfile.mkdtemp(prefix="catalog-ro-"))
    os.chmod(folder, 0o755)
    root = folder / "project"
    shutil.copytree(source, root)
    if os.geteuid() == 0:
        for path in [folder, root, *root.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    try:
        yield root
    finally:
        sitedir.remove_tree(folder)


def run_unprivileged(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run as an ordinary user: root ignores permission bits, so read-only means nothing to it."""
    if os.geteuid() != 0:
        return subprocess.run(args, capture_output=True, text=True, timeout=300)
    setpriv = shutil.which("setpriv")  # util-linux: a process with another uid and no capabilities
    if setpriv is None:
        pytest.skip("running as root without setpriv: read-only folders cannot be tested")
    drop = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = subprocess.run([*drop, sys.executable, "-c", "import generator, mkdocs"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip("an unprivileged user cannot read this checkout, so read-only folders cannot be tested")
    return subprocess.run([*drop, *args], capture_output=True, text=True, timeout=300)


def make_read_only(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)


def test_a_read_only_site_is_replaced_and_leaves_nothing(shared_project: Path) -> None:
    root = shared_project
    first = run_unprivileged(catalog(root, "build"))
    assert first.returncode == 0, first.stderr
    make_read_only(root / "site")
    (root / "content/courses/shop/course-a.yml").write_text(course_yaml("course-a", "新名字课程A"), encoding="utf-8")
    for _ in range(2):  # and the build after it is not troubled either
        result = run_unprivileged(catalog(root, "build"))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert leftovers(root) == []
    assert "新名字课程A" in (root / "site/courses/course-a/index.html").read_text(encoding="utf-8")


def test_a_site_that_cannot_be_replaced_fails_cleanly_and_stays(shared_project: Path) -> None:
    root = shared_project
    out = root / "public"
    first = run_unprivileged(catalog(root, "build", "--site-dir", str(out / "site")))
    assert first.returncode == 0, first.stderr
    before = snapshot(out / "site")
    os.chmod(out, 0o555)  # the folder holding the site is read-only: no rename is possible
    result = run_unprivileged(catalog(root, "build", "--site-dir", str(out / "site")))
    assert result.returncode == 1
    assert result.stderr.startswith("构建失败，原有的 site/ 保持不变：")
    assert "Traceback" not in result.stderr
    assert snapshot(out / "site") == before
    assert leftovers(out) == []


def test_concurrent_builds_into_one_site_all_succeed(project: Writer) -> None:
    root = project()
    builds = [subprocess.Popen(catalog(root, "build"), stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [b.communicate(timeout=300)[1] for b in builds]
    assert [b.returncode for b in builds] == [0, 0, 0], errors
    assert not any("Traceback" in e for e in errors)
    assert (root / "site" / sitedir.MARKER).is_file()
    assert (root / "site" / "courses" / "course-g" / "index.html").is_file()
    assert leftovers(root) == []


def test_a_second_build_waits_for_the_lock(project: Writer) -> None:
    root = project()
    site = (root / "site").resolve()
    with sitedir.publishing(site) as staging:  # this test is the first build, holding the lock
        (staging / "index.html").write_text("第一次构建", encoding="utf-8")
        second = subprocess.Popen(catalog(root, "build"), stderr=subprocess.PIPE, text=True)
        assert second.stderr is not None
        line = second.stderr.readline()  # blocks until the second build reaches the lock
        assert line == "另一个构建正在写入 site/，等它完成后再继续……\n"
        time.sleep(0.5)
        assert second.poll() is None  # still waiting
    rest = second.stderr.read()
    assert second.wait(timeout=300) == 0, rest
    assert "第一次构建" not in (site / "index.html").read_text(encoding="utf-8")  # the later build won
    assert leftovers(root) == []


SIGNALS = [(signal.SIGTERM, 143, "已终止"), (signal.SIGINT, 130, "已中断")]


@pytest.mark.parametrize(("signum", "code", "message"), SIGNALS)
def test_a_signal_mid_build_cleans_up_without_a_traceback(
    project: Writer, signum: int, code: int, message: str
) -> None:
    root = project()
    assert main(["--root", str(root), "build"]) == 0
    before = snapshot(root / "site")
    project({"content/courses/shop/course-a.yml": course_yaml("course-a", "不该出现的课程A")})
    build = subprocess.Popen(catalog(root, "build"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not leftovers(root) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert build.poll() is None, "the build ended before it could be interrupted"
    build.send_signal(signum)
    _, err = build.communicate(timeout=120)
    assert build.returncode == code, err
    assert err == f"{message}，原有的站点保持不变，临时文件已清理。\n"
    assert leftovers(root) == []
    assert snapshot(root / "site") == before
