"""``catalog diff``: what a change does to the content and to the site, for editors and reviewers.

Two snapshots of the project (a git ref, or the working tree) are loaded the same way ``check``
loads them. The report lists, per entity, what was added, changed (with each changed field's old
and new value, shortened) and removed; every generated page whose output differs, so pages that
only list or link a changed entity are named too; and the problems the change introduces.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import pages, schema
from .discover import content_files
from .load import load_file
from .problems import Problem, relative
from .validate import load_catalog

WORKTREE = ""
"""The name of the working tree as a side of the diff (no git ref)."""

_SHORT = 40  # characters of an old or new value shown in the report


class DiffError(Exception):
    """A side of the diff cannot be read (unknown ref, not a git repository); message in Chinese."""


@dataclass(frozen=True)
class Entity:
    kind: str  # content type label, e.g. 课程
    ident: str
    path: str
    title: str
    data: dict[str, Any]


@dataclass
class Snapshot:
    entities: dict[tuple[str, str], Entity]
    pages: dict[str, str] | None  # None when the content has errors and no page can be rendered
    problems: list[Problem]


@dataclass
class Change:
    kind: str
    ident: str
    path: str
    title: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


@dataclass
class Report:
    base: str
    head: str
    added: list[Change]
    changed: list[Change]
    removed: list[Change]
    pages_added: list[str]
    pages_changed: list[str]
    pages_removed: list[str]
    new_problems: list[Problem]
    pages_unknown: bool  # one side has errors, so its pages could not be compared

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.new_problems)


# ----------------------------------------------------------------------------- snapshots


def snapshot(root: Path) -> Snapshot:
    """Everything the report compares, for the project under ``root``."""
    catalog, problems = load_catalog(root)
    rendered = pages.render_site(catalog) if catalog is not None else None
    return Snapshot(_entities(root), rendered, problems)


def _entities(root: Path) -> dict[tuple[str, str], Entity]:
    out: dict[tuple[str, str], Entity] = {}
    for ctype in schema.CONTENT_TYPES.values():
        for path, _ in content_files(root, ctype):
            if not path.is_file() or path.is_symlink() or path.suffix != ctype.suffix:
                continue
            rel = relative(path, root)
            doc, _problems = load_file(path, rel, list if ctype.is_list else dict, ctype.front_matter)
            if doc is None:
                continue
            if ctype.is_list:
                for entry in doc.data:
                    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                        _add(out, ctype.label, entry["id"], rel, entry)
            elif isinstance(doc.data, dict):
                data = dict(doc.data)
                if doc.body is not None:
                    data["正文"] = doc.body
                ident = data.get("id") if isinstance(data.get("id"), str) else ctype.name
                _add(out, ctype.label, str(ident), rel, data)
    return out


def _add(out: dict[tuple[str, str], Entity], kind: str, ident: str, rel: str, data: dict[str, Any]) -> None:
    title = next((str(data[k]) for k in ("title", "name", "word") if isinstance(data.get(k), str)), "")
    out[(kind, ident)] = Entity(kind, ident, rel, title, data)


def checkout(root: Path, ref: str, dest: Path) -> Path:
    """The tree of ``ref`` in the git repository at ``root``, written under ``dest``."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", ref], capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise DiffError("找不到 git 命令：catalog diff 需要 git") from error
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"读不到 git 版本“{ref}”：{detail[-1] if detail else '未知错误'}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(dest, filter="data")
    return dest


def compare(root: Path, base: str = "HEAD", head: str = WORKTREE) -> Report:
    """The report between two sides: git refs, or ``WORKTREE`` for the files as they are now."""
    with tempfile.TemporaryDirectory(prefix="catalog-diff-") as tmp:

        def side(ref: str, name: str) -> Snapshot:
            if ref == WORKTREE:
                return snapshot(root)
            return snapshot(checkout(root, ref, Path(tmp) / name))

        before, after = side(base, "base"), side(head, "head")
    return diff(before, after, base, head or "工作区")


# ----------------------------------------------------------------------------- comparing


def diff(before: Snapshot, after: Snapshot, base: str, head: str) -> Report:
    added, changed, removed = [], [], []
    for key in sorted(set(before.entities) | set(after.entities)):
        old, new = before.entities.get(key), after.entities.get(key)
        if old is None and new is not None:
            added.append(Change(new.kind, new.ident, new.path, new.title))
        elif new is None and old is not None:
            removed.append(Change(old.kind, old.ident, old.path, old.title))
        elif old is not None and new is not None and (old.data != new.data or old.path != new.path):
            fields = [
                (name, _short(old.data.get(name)), _short(new.data.get(name)))
                for name in _ordered_keys(old.data, new.data)
                if old.data.get(name) != new.data.get(name)
            ]
            if old.path != new.path:
                fields.insert(0, ("文件", old.path, new.path))
            changed.append(Change(new.kind, new.ident, new.path, new.title, fields))
    old_pages, new_pages = before.pages or {}, after.pages or {}
    known = before.pages is not None and after.pages is not None
    seen = {(p.location.path, p.message) for p in before.problems}
    return Report(
        base=base,
        head=head,
        added=added,
        changed=changed,
        removed=removed,
        pages_added=sorted(_url(p) for p in set(new_pages) - set(old_pages)) if known else [],
        pages_changed=sorted(_url(p) for p in set(old_pages) & set(new_pages) if old_pages[p] != new_pages[p]),
        pages_removed=sorted(_url(p) for p in set(old_pages) - set(new_pages)) if known else [],
        new_problems=[p for p in after.problems if (p.location.path, p.message) not in seen],
        pages_unknown=not known,
    )


def _ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = list(old)
    keys += [k for k in new if k not in old]
    return keys


def _short(value: Any) -> str:
    if value is None:
        return "（无）"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def _url(src_uri: str) -> str:
    return "/" + pages.url_of(src_uri)


# ----------------------------------------------------------------------------- output


def as_text(report: Report, markdown: bool = False) -> str:
    """The report in Chinese, as plain text or as Markdown for a pull-request comment."""
    lines: list[str] = []
    head = "# " if markdown else ""
    sub = "## " if markdown else ""
    item = "- " if markdown else "  "
    code = (lambda s: f"`{s}`") if markdown else (lambda s: s)
    lines.append(f"{head}内容变化：{report.base} → {report.head}")
    if report.empty:
        lines.append("")
        lines.append("内容没有变化，也没有新问题。")
    for title, group in (("新增", report.added), ("修改", report.changed), ("删除", report.removed)):
        if not group:
            continue
        lines += ["", f"{sub}{title}（{len(group)}）"]
        for ch in group:
            name = f"“{ch.title}”" if ch.title else ""
            lines.append(f"{item}{ch.kind} {code(ch.ident)}{name}（{code(ch.path)}）")
            for fname, old, new in ch.fields:
                lines.append(f"{'  ' + item if markdown else '    '}{fname}：{_quote(old)} → {_quote(new)}")
    page_groups = (("新增", report.pages_added), ("内容有变化", report.pages_changed), ("删除", report.pages_removed))
    total = sum(len(g) for _, g in page_groups)
    if total or report.pages_unknown:
        lines += ["", f"{sub}受影响的页面（{total}）"]
        if report.pages_unknown:
            lines.append(f"{item}有一边的内容有错误，无法生成页面，受影响的页面列不全。")
        for verb, urls in page_groups:
            lines += [f"{item}{verb} {code(url)}" for url in urls]
    if report.new_problems:
        lines += ["", f"{sub}新问题（{len(report.new_problems)}）"]
        for problem in report.new_problems:
            lines.append(f"{item}{code(str(problem.location))} {problem.message}" + _hint(problem))
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return text if text == "（无）" else f"“{text}”"


def _hint(problem: Problem) -> str:
    return f"（{problem.hint}）" if problem.hint else ""


def as_json(report: Report) -> str:
    def changes(group: list[Change]) -> list[dict[str, Any]]:
        return [
            {
                "kind": c.kind,
                "id": c.ident,
                "path": c.path,
                "title": c.title,
                "fields": [{"field": f, "old": o, "new": n} for f, o, n in c.fields],
            }
            for c in group
        ]

    data = {
        "base": report.base,
        "head": report.head,
        "added": changes(report.added),
        "changed": changes(report.changed),
        "removed": changes(report.removed),
        "pages": {
            "added": report.pages_added,
            "changed": report.pages_changed,
            "removed": report.pages_removed,
            "complete": not report.pages_unknown,
        },
        "new_problems": [
            {
                "path": p.location.path,
                "line": p.location.line,
                "column": p.location.column,
                "message": p.message,
                "hint": p.hint,
            }
            for p in report.new_problems
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
