"""Stage 2, check fields: one file's values against its type's declaration in ``schema``.

Every rule comes from the declaration (kind, required, enumeration, limits), so a field declared
once is checked everywhere it is used; each mistake is one located problem in Chinese. Checks
that need other files (references, duplicates) are the next stage, ``check_references``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import characters, markdown_policy, schema
from .load import FieldPath, RawDocument, type_name
from .pages import reserved_ids
from .problems import Location, Problem
from .schema import ContentType, Field

_DATE = re.compile(schema.DATE_PATTERN)
_URL = re.compile(schema.URL_PATTERN)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def cjk_count(text: str) -> int:
    """Chinese characters in a text, the unit editors count description lengths in."""
    return len(_CJK.findall(text))


def did_you_mean(value: str, candidates: list[str] | tuple[str, ...]) -> str:
    match = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f"你是不是想写“{match[0]}”？" if match else ""


def field_name(path: tuple[str | int, ...], field: Field) -> str:
    parts: list[str] = []
    for part in path:
        parts.append(f"第 {part + 1} 项" if isinstance(part, int) else f"“{part}”")
    label = f"（{field.label}）" if field.label else ""
    return "的".join(parts) + label


@dataclass
class _Checker:
    doc: RawDocument
    problems: list[Problem]

    def add(self, path: tuple[str | int, ...], message: str, hint: str = "", at_key: bool = False) -> None:
        loc = self.doc.key_loc(*path) if at_key else self.doc.loc(*path)
        self.problems.append(Problem(loc, message, hint))

    def fields(self, fields: tuple[Field, ...], data: dict[str, Any], path: FieldPath) -> None:
        known = [f.name for f in fields]
        for key in data:
            if key not in known:
                hint = did_you_mean(key, known) or "可用字段：" + "、".join(known)
                self.add((*path, key), f"未知字段“{key}”", hint, at_key=True)
        for f in fields:
            value = data.get(f.name)
            if value is None or value == "" or value == []:
                if f.required:
                    where = (*path, f.name) if f.name in data else path
                    verb = "没有填写" if f.name in data else "缺少必填字段"
                    name = field_name((*path, f.name), f) if path else f"“{f.name}”（{f.label}）"
                    msg = f"{name}没有填写" if verb == "没有填写" else f"{verb}{name}"
                    self.add(where, msg)
                continue
            self.value(f, value, (*path, f.name))

    def value(self, f: Field, value: Any, path: FieldPath) -> None:
        name = field_name(path, f)
        expected = {
            "id": "编号",
            "text": "文字",
            "markdown": "文字（Markdown）",
            "int": "整数",
            "number": "数字",
            "bool": "是/否（true 或 false）",
            "date": "日期",
            "url": "网址",
            "enum": "文字",
            "ref": "编号",
            "object": "字段映射",
            "list": "列表",
        }[f.kind]
        wrong = f"{name}应为{expected}，但写的是{type_name(value)}"
        kind = f.kind
        if isinstance(value, str) and (at := characters.first_forbidden(value)) is not None:
            # Written as an escape ("\u202e") in quotes: the file itself was clean.
            char = characters.describe(value[at])
            return self.add(path, f"{name}的第 {at + 1} 个字符是不允许的字符 {char}", "请删除这个字符")
        if kind in ("id", "ref", "enum", "date", "url", "markdown") and not isinstance(value, str):
            return self.add(path, wrong)
        if kind == "text":
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return self.add(path, wrong, "如果值本身是文字，请加上引号")
            if f.max and len(str(value)) > f.max:
                return self.add(path, f"{name}太长：{len(str(value))} 字，最多 {f.max:.0f} 字")
        elif kind == "id" or kind == "ref":
            if not schema.is_id(value):
                hint = "只能用小写英文字母、数字和连字符，如 walnut-gift-box；不能有大写、空格、中文、斜杠或“..”"
                return self.add(path, f"{name}的值“{value}”不是合法的编号", hint)
        elif kind == "markdown":
            count = cjk_count(value)
            if f.min is not None and count < f.min:
                self.add(path, f"{name}太短：{count} 个汉字，至少 {f.min:.0f} 个")
            if f.max is not None and count > f.max:
                self.add(path, f"{name}太长：{count} 个汉字，最多 {f.max:.0f} 个")
        elif kind in ("int", "number"):
            ok = isinstance(value, int) if kind == "int" else isinstance(value, (int, float))
            if isinstance(value, bool) or not ok:
                return self.add(path, wrong)
            if not math.isfinite(value):
                return self.add(path, f"{name}必须是有限的数字")
            if (f.min is not None and value < f.min) or (f.max is not None and value > f.max):
                return self.add(path, f"{name}的值 {value} 超出范围：应在 {f.min:g} 到 {f.max:g} 之间")
        elif kind == "bool":
            if not isinstance(value, bool):
                return self.add(path, wrong)
        elif kind == "date":
            if not _DATE.fullmatch(value) or not _real_date(value):
                hint = "写成 2021-09-23，或只写到月份 2021-09"
                return self.add(path, f"{name}的值“{value}”不是有效日期", hint)
        elif kind == "url":
            if not _URL.fullmatch(value):
                return self.add(path, f"{name}的值“{value}”不是有效网址", "网址要以 http:// 或 https:// 开头")
        elif kind == "enum":
            if value not in f.enum:
                hint = (did_you_mean(value, f.enum) + "可选：" + "、".join(f.enum)).strip()
                return self.add(path, f"{name}的值“{value}”不在可选范围内", hint)
        elif kind == "object":
            if not isinstance(value, dict):
                return self.add(path, wrong)
            self.fields(f.fields, value, path)
        elif kind == "list":
            if not isinstance(value, list):
                return self.add(path, wrong, "列表写成 [a, b]，或每行一项“- a”")
            assert f.item is not None
            if f.min is not None and len(value) < f.min:
                self.add(path, f"{name}至少需要 {f.min:.0f} 项，现在只有 {len(value)} 项")
            if f.max is not None and len(value) > f.max:
                self.add(path, f"{name}最多 {f.max:.0f} 项，现在有 {len(value)} 项")
            seen: set[Any] = set()
            for index, item in enumerate(value):
                if item is None:
                    self.add((*path, index), f"{name}的第 {index + 1} 项是空的")
                    continue
                self.value(f.item, item, (*path, index))
                if isinstance(item, str):
                    if item in seen:
                        self.add((*path, index), f"{name}里的“{item}”重复了")
                    seen.add(item)
        return None


def _real_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _markdown_paths(fields: tuple[Field, ...], data: Any, path: FieldPath) -> Iterator[FieldPath]:
    """Every Markdown text of a document, also inside objects and lists (all are rendered)."""
    if not isinstance(data, dict):
        return
    for fld in fields:
        value = data.get(fld.name)
        if fld.kind == "markdown" and isinstance(value, str):
            yield (*path, fld.name)
        elif fld.kind == "object":
            yield from _markdown_paths(fld.fields, value, (*path, fld.name))
        elif fld.kind == "list" and fld.item is not None and isinstance(value, list):
            for index, item in enumerate(value):
                if fld.item.kind == "markdown" and isinstance(item, str):
                    yield (*path, fld.name, index)
                elif fld.item.kind == "object":
                    yield from _markdown_paths(fld.item.fields, item, (*path, fld.name, index))


def _markdown_field(doc: RawDocument, path: FieldPath, root: Path) -> list[Problem]:
    text: Any = doc.data
    for key in path:
        text = text[key]
    problems = markdown_policy.check(text, doc.path, doc.text_line(*path), root)
    if problems and path not in doc.block_scalars and "\n" not in text:
        # A one-line value: columns in the text become columns in the file (after "key: " and a quote).
        start = doc.loc(*path)
        try:
            line = (root / doc.path).read_bytes().decode("utf-8-sig", "replace").splitlines()[start.line - 1]
        except (OSError, IndexError):
            return problems
        shift = start.column - 1 + (line[start.column - 1 : start.column] in ("'", '"'))
        problems = [
            Problem(Location(p.location.path, p.location.line, p.location.column + shift), p.message, p.hint)
            for p in problems
        ]
    return problems


def _check_identity(ctype: ContentType, doc: RawDocument, path: Path, problems: list[Problem]) -> bool:
    """Whether the file's id is valid and matches its name (an invalid id is reported already)."""
    if ctype.field("id") is None:
        return True
    ident = doc.data.get("id")
    if not isinstance(ident, str) or not schema.is_id(ident):
        return False
    reserved = reserved_ids(ctype.name)
    if ident in reserved:
        page = reserved[ident]
        message = f"编号“{ident}”是保留名称：站点的 {page} 页面已经用了它，这个{ctype.label}的页面会把它替换掉"
        problems.append(Problem(doc.loc("id"), message, "请换一个编号，并把文件改成同样的名字"))
        return False
    if ident != path.stem:
        message = f"编号“{ident}”与文件名“{path.name}”不一致"
        problems.append(Problem(doc.loc("id"), message, f"把文件改名为 {ident}{ctype.suffix}，或改编号"))
        return False
    return True


def check_document(
    ctype: ContentType, doc: RawDocument, path: Path, root: Path
) -> tuple[list[Problem], bool, frozenset[str]]:
    """The problems of one file on its own, whether its id is valid and matches its name, and the
    ids of a list file's entries that are reported here (references to them are not reported)."""
    problems: list[Problem] = []
    checker = _Checker(doc, problems)
    if ctype.is_list:
        bad_ids: set[str] = set()
        for index, entry in enumerate(doc.data):
            checker.value(ctype.entry, entry, (index,))
            ident = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ident, str) and not schema.is_id(ident):
                bad_ids.update({ident, ident.strip()})
            elif isinstance(ident, str) and ident in reserved_ids(ctype.name):
                # A big tag's course list is a page of its own (tags/<id>/): the same reserved names.
                page = reserved_ids(ctype.name)[ident]
                message = f"编号“{ident}”是保留名称：站点的 {page} 页面已经用了它，这个{ctype.label}的页面会把它替换掉"
                problems.append(Problem(doc.loc(index, "id"), message, "请换一个编号"))
                bad_ids.add(ident)
        return problems, True, frozenset(bad_ids)
    checker.fields(ctype.fields, doc.data, ())
    identity_ok = _check_identity(ctype, doc, path, problems)
    if ctype.front_matter:
        problems.extend(markdown_policy.check(doc.body or "", doc.path, doc.body_line, root))
    for field_path in _markdown_paths(ctype.fields, doc.data, ()):
        problems.extend(_markdown_field(doc, field_path, root))
    return problems, identity_ok, frozenset()
