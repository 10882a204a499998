"""The web editor at ``/admin/``: Decap CMS, configured from the content model.

Collections, widgets, labels, hints, limits and select options all come from ``schema`` and the
loaded catalogue, so the editor offers exactly what ``catalog check`` accepts. Saving goes through
Decap's editorial workflow, which opens a pull request; nothing is published without review.

The editor's script is loaded from a pinned URL with Subresource Integrity, only by the admin
page: the README's commands need no Node, and no public page loads any of it.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

import yaml

from . import cache, schema
from .model import Catalog
from .schema import ContentType, Field

DECAP_VERSION = "3.16.3"
DECAP_URL = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
# sha384 of dist/decap-cms.js in the npm package decap-cms@3.16.3 (tests check it when npm is there).
DECAP_SRI = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"

ADMIN_DIR = "admin"

# Where the editor commits; set by the deploy workflow (GitHub sets GITHUB_REPOSITORY itself).
REPO_ENV = ("CMS_REPO", "GITHUB_REPOSITORY")
BRANCH_ENV = "CMS_BRANCH"
AUTH_URL_ENV = "CMS_AUTH_URL"  # the OAuth proxy that signs editors in with GitHub
LOCAL_BACKEND_ENV = "CMS_LOCAL_BACKEND"  # decap-server's address, for editing on this machine

_OPTION_LABELS = schema.STATUS_LABELS


def _backend() -> dict[str, Any]:
    repo = next((os.environ[name] for name in REPO_ENV if os.environ.get(name)), "OWNER/REPOSITORY")
    backend: dict[str, Any] = {
        "name": "github",
        "repo": repo,
        "branch": os.environ.get(BRANCH_ENV) or "main",
        "commit_messages": {
            "create": "新建{{collection}}：{{slug}}",
            "update": "修改{{collection}}：{{slug}}",
            "delete": "删除{{collection}}：{{slug}}",
            "uploadMedia": "上传图片：{{path}}",
            "deleteMedia": "删除图片：{{path}}",
        },
    }
    if os.environ.get(AUTH_URL_ENV):
        backend["base_url"] = os.environ[AUTH_URL_ENV]
    return backend


def config(catalog: Catalog) -> dict[str, Any]:
    """The Decap configuration: one collection per module for courses, then the other types."""
    local = os.environ.get(LOCAL_BACKEND_ENV)
    _made.clear()
    try:
        collections = _collections(catalog)
    finally:
        _made.clear()
    return {
        "backend": _backend(),
        "local_backend": {"url": local} if local else True,
        "publish_mode": "editorial_workflow",
        "locale": "zh_Hans",
        # Markdown may show images only from content/images/ (see markdown_policy).
        "media_folder": "content/images",
        "public_folder": "content/images",
        "collections": collections,
    }


def _collections(catalog: Catalog) -> list[dict[str, Any]]:
    collections = [
        _collection(
            schema.COURSE,
            catalog,
            name=f"courses-{m.id}",
            label=f"课程·{m.name}",
            folder=f"content/courses/{m.id}",
            module=m.id,
        )
        for m in catalog.ordered_modules()
    ]
    for ctype in (schema.CASE, schema.INSTRUCTOR, schema.SESSION, schema.PATH):
        collections.append(_collection(ctype, catalog, name=f"{ctype.name}s", label=ctype.label, folder=ctype.folder))
    return collections


def config_yaml(catalog: Catalog) -> str:
    return _yaml(config(catalog))


def config_file(root: Path, catalog: Catalog) -> bytes:
    """``admin/config.yml``, kept in the cache by its content: editing a course's text, which the
    config does not show, writes nothing again (the YAML of the course lists is most of the work)."""
    made = config(catalog)
    text: str = cache.stage(root, "cms", (json.dumps(made, ensure_ascii=False),), lambda: _yaml(made))
    return text.encode("utf-8")


def _yaml(made: dict[str, Any]) -> str:
    head = "# 由 catalog 根据内容模型生成，请勿手改：改 generator/schema.py 后重新生成站点。\n"
    # libyaml's emitter writes the same text as PyYAML's own, six times faster (the config lists
    # every course and instructor for the select widgets).
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return head + yaml.dump(made, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def admin_html(site_name: str) -> str:
    title = html.escape(f"内容编辑器 · {site_name}")
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<noscript>内容编辑器需要开启 JavaScript。</noscript>
<script src="{DECAP_URL}" integrity="{DECAP_SRI}" crossorigin="anonymous"></script>
</body>
</html>
"""


# ----------------------------------------------------------------------------- collections


def _collection(
    ctype: ContentType, catalog: Catalog, *, name: str, label: str, folder: str, module: str = ""
) -> dict[str, Any]:
    fields = [_field(f, catalog, module) for f in ctype.fields]
    if ctype.front_matter:
        hint = "用自己的话写，只写出处里有的事实。"
        fields.append({"name": "body", "label": "正文", "widget": "markdown", "hint": hint})
    title_field = ctype.title_field  # an instructor's is its name, not its title (头衔)
    return {
        "name": name,
        "label": label,
        "label_singular": label.split("·")[0],
        "folder": folder,
        "extension": ctype.suffix.lstrip("."),
        "format": "frontmatter" if ctype.front_matter else "yml",
        "create": True,
        "delete": False,  # removing content goes through a reviewed pull request by hand
        "identifier_field": title_field,
        "slug": "{{fields.id}}",
        "summary": "{{" + title_field + "}}（{{id}}）",
        "fields": fields,
    }


def _base(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "label": f.label}
    if f.help:
        out["hint"] = f.help
    if not f.required:
        out["required"] = False
    return out


def _field(f: Field, catalog: Catalog, module: str = "") -> dict[str, Any]:
    out = _base(f)
    if f.kind == "ref" and f.ref == "module" and module:
        # A course's module is its folder: fixed per collection, not a choice.
        return {**out, "widget": "hidden", "default": module}
    if f.kind == "id":
        return {**out, "widget": "string", "pattern": [schema.ID_PATTERN, "只能用小写英文字母、数字和连字符"]}
    if f.kind == "text":
        widget = "text" if f.max and f.max > 80 else "string"
        if f.max:
            out["pattern"] = [f"^[\\s\\S]{{0,{int(f.max)}}}$", f"最多 {int(f.max)} 个字"]
        return {**out, "widget": widget}
    if f.kind == "markdown":
        return {**out, "widget": "markdown", "buttons": ["bold", "italic", "link", "bulleted-list", "numbered-list"]}
    if f.kind in ("int", "number"):
        out.update(widget="number", value_type="int" if f.kind == "int" else "float")
        if f.kind == "number":
            out["step"] = 0.5
        if f.min is not None:
            out["min"] = f.min if f.kind == "number" else int(f.min)
        if f.max is not None:
            out["max"] = f.max if f.kind == "number" else int(f.max)
        return out
    if f.kind == "bool":
        return {**out, "widget": "boolean", "default": True}
    if f.kind == "date":
        return {**out, "widget": "string", "pattern": [schema.DATE_PATTERN, "写成 2021-09-23 或 2021-09"]}
    if f.kind == "url":
        return {**out, "widget": "string", "pattern": [schema.URL_PATTERN, "以 http:// 或 https:// 开头"]}
    if f.kind in ("enum", "ref"):
        select = {**out, "widget": "select", "options": _options(f, catalog)}
        if f.name == "status":
            select["default"] = schema.PUBLISHED
        return select
    if f.kind == "object":
        return {**out, "widget": "object", "fields": [_field(sub, catalog) for sub in f.fields]}
    if f.kind == "list":
        assert f.item is not None
        limits = {k: int(v) for k, v in (("min", f.min), ("max", f.max)) if v}
        if f.item.kind in ("enum", "ref"):
            return {**out, "widget": "select", "multiple": True, "options": _options(f.item, catalog), **limits}
        if f.item.kind == "object":
            fields = [_field(sub, catalog) for sub in f.item.fields]
            return {**out, "widget": "list", "fields": fields, **limits}
        return {**out, "widget": "list", "field": _field(f.item, catalog), **limits}
    raise ValueError(f"no widget for field kind {f.kind!r}")


# The option lists made for one config, by what they list: a list used by several fields is the
# same object, which the YAML writer emits once (an anchor) and refers to elsewhere (aliases). The
# course list is used by every module's prerequisites, the paths and the cases: written once, the
# file is a seventh of the size (Decap's parser allows up to 100 references to one list).
_made: dict[tuple[str, ...], list[dict[str, str]]] = {}


def _options(f: Field, catalog: Catalog) -> list[dict[str, str]]:
    """Select options: the enumeration, or every entity the reference may name (label shows its name)."""
    key = ("enum", *f.enum) if f.kind == "enum" else ("ref", str(f.ref))
    if key not in _made:
        _made[key] = _make_options(f, catalog)
    return _made[key]


def _make_options(f: Field, catalog: Catalog) -> list[dict[str, str]]:
    if f.kind == "enum":
        return [{"label": _OPTION_LABELS.get(v, v), "value": v} for v in f.enum]
    if f.ref == "course":
        courses = sorted(catalog.courses.values(), key=lambda c: (c.module, c.id))
        return [{"label": f"{c.title}（{c.id}）", "value": c.id} for c in courses]
    if f.ref == "instructor":
        return [{"label": f"{i.name}（{i.id}）", "value": i.id} for i in sorted(catalog.instructors.values(), key=_id)]
    if f.ref == "tag":
        return [{"label": f"{t.name}（{t.id}）", "value": t.id} for t in sorted(catalog.tags.values(), key=_id)]
    if f.ref == "session":
        return [{"label": f"{s.title}（{s.id}）", "value": s.id} for s in sorted(catalog.sessions.values(), key=_id)]
    if f.ref == "module":
        return [{"label": m.name, "value": m.id} for m in catalog.ordered_modules()]
    raise ValueError(f"no options for reference to {f.ref!r}")


def _id(entity: Any) -> str:
    return str(entity.id)
