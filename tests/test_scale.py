"""Scale and speed: the fast paths give exactly what the plain ones give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import load

from .conftest import Writer

REPO = Path(__file__).resolve().parent.parent


def _yaml_files() -> list[Path]:
    content = sorted((REPO / "content").rglob("*.yml")) + sorted((REPO / "cases").glob("*.md"))
    corpus = sorted(p for p in (REPO / "tests" / "bad_inputs").rglob("*") if p.is_file())
    return content + corpus


def _load_all(paths: list[Path]) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in paths:
        rel = path.relative_to(REPO).as_posix()
        doc, problems = load.load_file(path, rel, dict, front_matter=path.suffix == ".md")
        seen = doc and (doc.data, doc.marks, doc.key_marks, doc.block_scalars, doc.body, doc.body_line)
        out[rel] = (seen, problems)
    return out


@pytest.mark.skipif(load._FastLoader is None, reason="PyYAML without libyaml")
def test_libyaml_path_gives_the_same_documents_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _yaml_files()
    fast = _load_all(paths)
    monkeypatch.setattr(load, "_FastLoader", None)
    plain = _load_all(paths)
    assert len(fast) > 250
    assert any(problems for _, problems in plain.values())  # the corpus is in there
    for rel in plain:
        assert fast[rel] == plain[rel], rel


@pytest.mark.skipif(load._FastLoader is None, reason="PyYAML without libyaml")
def test_libyaml_path_refuses_aliases_at_the_alias() -> None:
    doc, problems = load.parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yml")
    assert doc is None
    assert [(p.location.line, p.location.column) for p in problems] == [(2, 4)]
    assert "别名" in problems[0].message


def test_catalog_build_validates_once(project: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cli, plugin
    from generator.validate import load_catalog

    root = project()
    calls: list[Path] = []

    def counting(where: Path) -> Any:
        calls.append(where)
        return load_catalog(where)

    monkeypatch.setattr(cli, "load_catalog", counting)
    monkeypatch.setattr(plugin, "load_catalog", counting)
    assert cli.main(["--root", str(root), "build"]) == 0
    assert len(calls) == 1
    assert (root / "site" / "courses" / "course-a" / "index.html").is_file()


def test_search_index_from_cache_is_identical_and_skips_jieba(
    project: Writer, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import cache, search_index
    from generator.validate import load_catalog

    root = project()
    catalog, _ = load_catalog(root)
    assert catalog is not None
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cold = search_index.build(catalog, root)

    def fresh_process() -> None:
        cache.Memo._open.clear()
        search_index._LazyTokenizer._made.clear()

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
    fresh_process()
    assert search_index.build(catalog, root) == cold
    assert search_index._LazyTokenizer._made  # jieba was needed to fill the cache
    fresh_process()
    assert search_index.build(catalog, root) == cold
    assert not search_index._LazyTokenizer._made  # every document came from the cache

    # A changed dictionary is a different cache: nothing stale is reused.
    (root / "content" / "jieba_userdict.txt").write_text("直播带货 3000 n\n网店开设 3000 n\n", encoding="utf-8")
    fresh_process()
    search_index.build(catalog, root)
    assert search_index._LazyTokenizer._made
