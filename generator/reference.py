"""Documents derived from the single model definition in ``schema``.

- ``field_reference()``: the editors' field tables (Markdown, in Chinese) for CONTRIBUTING.md.
- ``json_schemas()``: one JSON Schema per content type, for ``schemas/`` and editor completion.
- ``model_source.source()``: the model classes, ``generator/entities.py``.

``catalog schema --write`` writes all three; a test fails when a committed copy is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import model_source, schema
from .schema import ContentType, Field

REFERENCE_START = "<!-- 字段说明：以下内容由 catalog schema --write 生成，请勿手改 -->"
REFERENCE_END = "<!-- 字段说明结束 -->"

_KIND_NAMES = {
    "id": "编号",
    "text": "文字",
    "markdown": "Markdown 文字",
    "int": "整数",
    "number": "数字",
    "bool": "true / false",
    "date": "日期",
    "url": "网址",
    "enum": "选项",
    "ref": "编号（引用）",
    "object": "字段组",
    "list": "列表",
}


def _kind(f: Field) -> str:
    if f.kind == "list" and f.item is not None:
        inner = _kind(f.item)
        return f"{inner}的列表"
    if f.kind == "ref":
        return f"{schema.CONTENT_TYPES[f.ref].label}编号"
    return _KIND_NAMES[f.kind]


def _rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        need = "必填" if f.required else "选填"
        fact = "报道中的事实，只写出处里有的" if f.fact else ""
        desc = "；".join(x.rstrip("。") for x in (f.help, schema.describe_limits(f), fact) if x)
        rows.append(f"| `{prefix}{f.name}` | {f.label} | {_kind(f)} | {need} | {desc} |")
        sub = f.fields or (f.item.fields if f.item is not None else ())
        if sub:
            rows += _rows(sub, f"{prefix}{f.name}{'[].' if f.kind == 'list' else '.'}")
    return rows


def field_reference() -> str:
    parts = []
    for t in schema.CONTENT_TYPES.values():
        parts.append(f"### {t.label}（`{t.where}`）\n")
        if t.is_list:
            parts.append(f"文件是一个列表，每项是一个{t.fields[0].label}：\n")
            fields = t.fields[0].fields
        else:
            fields = t.fields
        parts.append("| 字段 | 名称 | 类型 | 必填 | 说明 |\n|---|---|---|---|---|")
        parts.append("\n".join(_rows(fields)) + "\n")
    return "\n".join(parts)


def _json_field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"title": f.label}
    if f.help:
        out["description"] = f.help
    if f.kind in ("id", "ref"):
        out.update(type="string", pattern=schema.ID_PATTERN, maxLength=schema.MAX_ID_LENGTH)
    elif f.kind == "text":
        out["type"] = ["string", "number"]
        if f.max is not None:
            out["maxLength"] = int(f.max)
    elif f.kind == "markdown":
        out["type"] = "string"
    elif f.kind == "int":
        out["type"] = "integer"
    elif f.kind == "number":
        out["type"] = "number"
    elif f.kind == "bool":
        out["type"] = "boolean"
    elif f.kind == "date":
        out.update(type="string", pattern=schema.DATE_PATTERN)
    elif f.kind == "url":
        out.update(type="string", pattern=schema.URL_PATTERN)
    elif f.kind == "enum":
        out.update(type="string", enum=list(f.enum))
    elif f.kind == "object":
        out.update(_json_object(f.fields))
    elif f.kind == "list" and f.item is not None:
        out.update(type="array", items=_json_field(f.item))
        if f.min:
            out["minItems"] = int(f.min)
        if f.max is not None:
            out["maxItems"] = int(f.max)
        if f.item.kind in ("ref", "enum", "text"):
            out["uniqueItems"] = True
    if f.kind in ("int", "number"):
        if f.min is not None:
            out["minimum"] = f.min
        if f.max is not None:
            out["maximum"] = f.max
    return out


def _json_object(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _json_field(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schemas() -> dict[str, str]:
    """File name → JSON text, one schema per content type."""
    out = {}
    for t in schema.CONTENT_TYPES.values():
        body: dict[str, Any] = (
            {"type": "array", "items": _json_field(t.fields[0])} if t.is_list else _json_object(t.fields)
        )
        doc = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{t.name}.schema.json",
            "title": t.label,
            "description": f"{t.label}文件（{t.where}）。由 generator/schema.py 生成，请勿手改。",
            **body,
        }
        out[f"{t.name}.schema.json"] = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return out


def _files_glob(t: ContentType) -> str:
    """A type's files as a glob from the project root: ``content/courses/*/*.yml``."""
    if t.single_file:
        return t.single_file
    f = t.folder_field
    folder = t.folder.replace("{" + f.name + "}", "*") if f is not None else t.folder
    return f"{folder}/*{t.suffix}"


def editor_settings(text: str) -> str:
    """``.vscode/settings.json`` with each YAML type's files wired to its JSON Schema (completion, hints)."""
    settings = json.loads(text)
    settings["yaml.schemas"] = {
        f"./schemas/{t.name}.schema.json": _files_glob(t) for t in schema.CONTENT_TYPES.values() if t.suffix == ".yml"
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def contributing_with_reference(text: str) -> str:
    """CONTRIBUTING.md with its generated field-reference block replaced."""
    head, start, rest = text.partition(REFERENCE_START)
    _, end, tail = rest.partition(REFERENCE_END)
    if not start or not end:
        raise ValueError("CONTRIBUTING.md has no field-reference markers")
    return f"{head}{REFERENCE_START}\n\n{field_reference()}\n{REFERENCE_END}{tail}"


def write_all(root: Path) -> list[Path]:
    """Write schemas/ and the CONTRIBUTING.md field reference; return the files changed."""
    changed = []
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    for name, text in json_schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    # The model classes, in a checkout of the generator only (never into an installed package).
    entities = Path(__file__).resolve().parent / "entities.py"
    if entities.parent == (root / "generator").resolve():
        text = model_source.source()
        if entities.read_text(encoding="utf-8") != text:
            entities.write_text(text, encoding="utf-8")
            changed.append(entities)
    settings = root / ".vscode" / "settings.json"
    if settings.is_file():
        text = settings.read_text(encoding="utf-8")
        if editor_settings(text) != text:
            settings.write_text(editor_settings(text), encoding="utf-8")
            changed.append(settings)
    contributing = root / "CONTRIBUTING.md"
    text = contributing.read_text(encoding="utf-8")
    new = contributing_with_reference(text)
    if new != text:
        contributing.write_text(new, encoding="utf-8")
        changed.append(contributing)
    return changed
