"""The build cache: a cached build is the build, and nothing planted in the cache reaches the site."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from pathlib import Path

import pytest

from generator import cache, check_fields, pages, validate
from generator.cli import build_site

from .conftest import BUILD_EPOCH, Writer, course_yaml


@pytest.fixture(autouse=True)
def own_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A signing key of this test's own, and a fixed build date."""
    folder = tmp_path_factory.mktemp("key")
    folder.chmod(0o700)
    monkeypatch.setenv(cache.KEY_ENV, str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    return folder


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _cold(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    with monkeypatch.context() as m:
        m.setenv(cache.CACHE_ENV, "off")
        build_site(root, site)
    return _tree(site)


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each file checked on its own (stage 2), in this process."""
    checked: list[str] = []
    original = check_fields.check_document

    def counting(ctype, doc, path, root):  # type: ignore[no-untyped-def]
        checked.append(doc.path)
        return original(ctype, doc, path, root)

    monkeypatch.setattr(validate, "check_document", counting)
    return checked


def test_a_warm_build_checks_and_renders_nothing_and_writes_the_same_site(
    project: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project()
    build_site(root, tmp_path / "first")  # fills the cache
    checked = _count_checks(monkeypatch)
    rendered: list[str] = []
    original = pages.Renderer.render

    def render(self: pages.Renderer, page: pages.Page) -> str:
        rendered.append(page.src_uri)
        return original(self, page)

    monkeypatch.setattr(pages.Renderer, "render", render)
    build_site(root, tmp_path / "warm")
    assert checked == [] and rendered == []
    assert _tree(tmp_path / "warm") == _cold(root, tmp_path / "cold", monkeypatch)


def test_after_an_edit_only_that_file_is_checked_and_the_site_equals_a_cold_build(
    project: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project()
    build_site(root, tmp_path / "first")
    course = root / "content/courses/shop/course-c.yml"
    course.write_text(course_yaml("course-c", "课程丙改名", prereqs="[course-b]"), encoding="utf-8")
    checked = _count_checks(monkeypatch)
    build_site(root, tmp_path / "warm")
    assert checked == ["content/courses/shop/course-c.yml"]
    warm = _tree(tmp_path / "warm")
    assert "课程丙改名" in warm["courses/course-c/index.html"].decode()
    assert warm == _cold(root, tmp_path / "cold", monkeypatch)


def test_a_mistake_is_reported_the_same_with_the_cache(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    root = project()
    assert main(["--root", str(root), "check"]) == 0
    bad = course_yaml("course-d", "课程D", prereqs="[course-c]").replace("hours: 6", "hours: 六")
    root.joinpath("content/courses/shop/course-d.yml").write_text(bad, encoding="utf-8")
    capsys.readouterr()
    outputs = []
    for _ in range(2):  # the second run takes every file, the broken one included, from the cache
        assert main(["--root", str(root), "check"]) == 1
        out = capsys.readouterr()
        outputs.append(out.out + out.err)
    assert "content/courses/shop/course-d.yml:8" in outputs[0]
    assert outputs[0] == outputs[1]


def _entries(root: Path, kind: str) -> list[Path]:
    return [p for p in (root / ".cache/catalog" / kind).rglob("*") if p.is_file()]


@pytest.mark.parametrize("forge", ["no signature", "another key"])
def test_a_page_planted_in_the_cache_never_reaches_the_site(
    project: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forge: str
) -> None:
    # The cache folder is inside the project, where a pull request could add files. It cannot
    # sign them: the key is outside the project. Every planted entry must be ignored.
    root = project()
    build_site(root, tmp_path / "first")
    evil = '<script>alert("planted")</script>'
    payload = pickle.dumps("---\ntitle: x\n---\n\n" + evil)
    mac = hmac.new(b"k" * 32, payload, hashlib.sha256).digest() if forge == "another key" else b"\0" * 32
    planted = _entries(root, "pages") + _entries(root, "catalog")
    assert len(planted) > 10
    for entry in planted:
        entry.write_bytes(mac + payload)
    build_site(root, tmp_path / "second")
    site = _tree(tmp_path / "second")
    assert not any(evil.encode() in data for data in site.values())
    assert site == _cold(root, tmp_path / "cold", monkeypatch)


def test_a_pickle_planted_in_the_cache_is_never_loaded(project: Writer, tmp_path: Path) -> None:
    root = project()
    build_site(root, tmp_path / "first")
    flag = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {flag}",))

    for entry in _entries(root, "catalog") + _entries(root, "files"):
        entry.write_bytes(b"\0" * 32 + pickle.dumps(Payload()))
    build_site(root, tmp_path / "second")
    assert not flag.exists()


def test_without_a_private_key_nothing_is_cached(
    project: Writer, tmp_path: Path, own_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key others can read is no secret: the build works and keeps nothing.
    (own_key / "catalog" / "key").mkdir(parents=True, mode=0o700)
    key = own_key / "catalog" / "key" / "signing-key"
    key.write_bytes(os.urandom(32))
    key.chmod(0o644)
    root = project()
    build_site(root, tmp_path / "site")
    assert cache.signing_key() is None
    assert not (root / ".cache/catalog/pages").exists()
    assert (tmp_path / "site/courses/course-a/index.html").is_file()


def test_a_store_keeps_its_most_recently_used_entries(tmp_path: Path) -> None:
    store = cache.Store(tmp_path, "things")
    keys = [store.key(str(n)) for n in range(6)]
    for n, key in enumerate(keys):
        assert store.get(key, lambda n=n: n) == n
        os.utime(store._path(key), (n, n))  # type: ignore[arg-type]
    store.prune(keep=3)
    assert store.get(keys[5], lambda: "made") == 5  # kept
    assert store.get(keys[0], lambda: "made") == "made"  # pruned, made again


def test_a_named_pipe_among_the_content_is_reported_not_opened(
    project: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Hashing the inputs for the cache must not open a pipe: that would wait for a writer forever.
    from generator.cli import main

    root = project()
    os.mkfifo(root / "content/courses/shop/pipe.yml")
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr()
    assert "content/courses/shop/pipe.yml:1:1: 这里只能放普通文件" in out.out + out.err
