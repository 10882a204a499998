"""Raw documents to the linked model, collecting every problem instead of stopping at the first.

``load_catalog(root)`` is the entry point: it finds the files, loads them, checks each field
against ``schema``, checks references across files and returns the catalog (or ``None``) with
the sorted problems.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import characters, dictionary, load, markdown_policy, model, publish, schema
from .load import FieldPath, RawDocument, load_file, type_name
from .pages import reserved_ids
from .problems import Location, Problem, relative
from .schema import ContentType, Field

# Always ``fullmatch``: with ``match``, the patterns' ``$`` would accept a trailing newline.
_DATE = re.compile(schema.DATE_PATTERN)
_URL = re.compile(schema.URL_PATTERN)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def cjk_count(text: str) -> int:
    """Chinese characters in a text, the unit editors count description lengths in."""
    return len(_CJK.findall(text))


def did_you_mean(value: str, candidates: list[str] | tuple[str, ...]) -> str:
    match = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f"你是不是想写“{match[0]}”？" if match else ""


def _field_name(path: tuple[str | int, ...], field: Field) -> str:
    parts: list[str] = []
    for part in path:
        parts.append(f"第 {part + 1} 项" if isinstance(part, int) else f"“{part}”")
    label = f"（{field.label}）" if field.label else ""
    return "的".join(parts) + label


# --------------------------------------------------------------------------- field checks


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
                if f.required and not (f.kind == "list" and f.min == 0):
                    where = (*path, f.name) if f.name in data else path
                    verb = "没有填写" if f.name in data else "缺少必填字段"
                    name = _field_name((*path, f.name), f) if path else f"“{f.name}”（{f.label}）"
                    msg = f"{name}没有填写" if verb == "没有填写" else f"{verb}{name}"
                    self.add(where, msg)
                continue
            self.value(f, value, (*path, f.name))

    def value(self, f: Field, value: Any, path: FieldPath) -> None:
        name = _field_name(path, f)
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


# --------------------------------------------------------------------------- discovery


@dataclass
class Loaded:
    type: ContentType
    doc: RawDocument
    ok: bool  # no problems inside this file
    identity_ok: bool = True  # its id is valid and matches the file name


# Ids of files that exist but could not be read or have a bad id, by type: references to them
# are not reported again (one error per mistake).
Broken = dict[str, set[str]]


def content_files(root: Path, ctype: ContentType) -> Iterator[tuple[Path, str]]:
    """Yield (path, folder module) for each file of a type; folder module only for courses."""
    if ctype.single_file:
        yield root / ctype.single_file, ""
        return
    if ctype.name == "course":
        base = root / "content/courses"
        folders = [p for p in base.iterdir() if p.is_dir() and not p.is_symlink()] if base.is_dir() else []
        for folder in sorted(folders):
            for path in sorted(folder.iterdir()):
                yield path, folder.name
        for path in sorted(base.iterdir()) if base.is_dir() else []:
            if path.is_file():
                yield path, ""
        return
    folder = root / ctype.folder
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            yield path, ""


# Files a folder of content may hold that are not content: notes for editors, system files.
IGNORED_NAMES = frozenset({"README.md", ".gitkeep", ".DS_Store"})


def _content_folder_entries() -> dict[str, str]:
    """What content/ may hold at its top level, derived from the content types: name → what it is."""
    known = {markdown_policy.IMAGE_FOLDER.split("/")[-1]: "图片", dictionary.USERDICT.split("/")[-1]: "搜索词典"}
    for ctype in schema.CONTENT_TYPES.values():
        where = ctype.single_file or ctype.folder
        parts = where.split("/")
        if parts[0] == "content" and len(parts) > 1:
            known[parts[1]] = ctype.label
    return known


def _check_content_folder(root: Path, problems: list[Problem]) -> None:
    """Files and folders in content/ that nothing reads: misnamed, so silently missing otherwise."""
    folder = root / "content"
    if not folder.is_dir():
        return
    known = _content_folder_entries()
    for path in sorted(folder.iterdir()):
        if path.name in known or path.name in IGNORED_NAMES:
            continue
        hint = did_you_mean(path.name, sorted(known)) or "content/ 里只能有：" + "、".join(sorted(known))
        message = f"不认识的{'文件夹' if path.is_dir() else '文件'}“{path.name}”，它不会被读取"
        problems.append(Problem(Location(relative(path, root)), message, hint))


def _load_all(root: Path, problems: list[Problem], broken: Broken) -> list[Loaded]:
    loaded: list[Loaded] = []
    images = _images_state(root) if load.keeping_parsed() else None
    seen = set()
    for ctype in schema.CONTENT_TYPES.values():
        for path, folder_module in content_files(root, ctype):
            rel = relative(path, root)
            if path.name in IGNORED_NAMES:
                continue
            if path.name.startswith("."):
                message = f"以“.”开头的文件“{path.name}”不会被读取"
                hint = f"文件名应为“<编号>{ctype.suffix}”；不要的文件请删除"
                problems.append(Problem(Location(rel), message, hint))
                continue
            if path.is_symlink():
                # Reported once by publish.symlinks, and never read: a link may point anywhere.
                # A whole-type file (tags.yml) behind a link: references to its ids are not reported.
                broken.setdefault(ctype.name, set()).add("*" if ctype.single_file else path.stem)
                continue
            if ctype.single_file and not path.exists():
                if ctype.optional_file:
                    continue
                problems.append(Problem(Location(rel), f"缺少文件 {rel}（{ctype.label}）"))
                continue
            if not path.is_file():
                problems.append(Problem(Location(rel), "这里只能放普通文件（不能是文件夹或链接）"))
                continue
            if path.suffix != ctype.suffix:
                hint = f"扩展名请用 {ctype.suffix}"
                problems.append(Problem(Location(rel), f"不认识的文件类型“{path.name}”", hint))
                continue
            if ctype.name == "course" and not folder_module:
                hint = "放到 content/courses/<模块编号>/ 里"
                problems.append(Problem(Location(rel), "课程文件必须放在模块文件夹里", hint))
                continue
            doc, file_problems = load_file(path, rel, list if ctype.is_list else dict, ctype.front_matter)
            problems.extend(file_problems)
            if doc is None:
                broken.setdefault(ctype.name, set()).add(path.stem)
                continue
            key = (id(doc), images)
            seen.add(key)
            if key in _checked and _checked[key][0] is doc:
                _, own, identity_ok, bad_ids = _checked[key]  # the same document as the last load
            else:
                own, identity_ok, bad_ids = _check_file(ctype, doc, path, root)
                if load.keeping_parsed():
                    _checked[key] = (doc, own, identity_ok, bad_ids)
            problems.extend(own)
            if bad_ids:
                # Reported with the file; references to them are not reported again.
                broken.setdefault(ctype.name, set()).update(bad_ids)
            if not identity_ok:
                broken.setdefault(ctype.name, set()).add(path.stem)
            loaded.append(Loaded(ctype, doc, ok=not own, identity_ok=identity_ok))
    for key in set(_checked) - seen:
        del _checked[key]
    return loaded


# While ``load.keep_parsed`` is on (``catalog serve``), loading returns the same document object
# for an unchanged file; its own checks are then not run again. Keyed by the document and the
# state of content/images (Markdown may point at images).
_checked: dict[tuple[int, Any], tuple[RawDocument, list[Problem], bool, frozenset[str]]] = {}


def _check_file(
    ctype: ContentType, doc: RawDocument, path: Path, root: Path
) -> tuple[list[Problem], bool, frozenset[str]]:
    """The problems of one file on its own, whether its id is valid and matches its name, and the
    invalid ids of a list file's entries."""
    problems: list[Problem] = []
    bad_ids: set[str] = set()
    checker = _Checker(doc, problems)
    if ctype.is_list:
        for index, entry in enumerate(doc.data):
            checker.value(ctype.fields[0], entry, (index,))
            ident = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ident, str) and not schema.is_id(ident):
                bad_ids.update({ident, ident.strip()})
            elif isinstance(ident, str) and ident in reserved_ids(ctype.name):
                # A big tag's course list is a page of its own (tags/<id>/): the same reserved names.
                page = reserved_ids(ctype.name)[ident]
                message = f"编号“{ident}”是保留名称：站点的 {page} 页面已经用了它，这个{ctype.label}的页面会把它替换掉"
                problems.append(Problem(doc.loc(index, "id"), message, "请换一个编号"))
                bad_ids.add(ident)
    identity_ok = True
    if not ctype.is_list:
        checker.fields(ctype.fields, doc.data, ())
        identity_ok = _check_identity(ctype, doc, path, problems)
        if ctype.front_matter:
            problems.extend(markdown_policy.check(doc.body or "", doc.path, doc.body_line, root))
        for field_path in _markdown_paths(ctype.fields, doc.data, ()):
            problems.extend(_markdown_field(doc, field_path, root))
    return problems, identity_ok, frozenset(bad_ids)


def _images_state(root: Path) -> tuple[tuple[str, int], ...]:
    folder = root / "content" / "images"
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*")))


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


# --------------------------------------------------------------------------- cross-file checks


def _index(loaded: list[Loaded], problems: list[Problem]) -> dict[str, dict[str, Loaded]]:
    """Every id of every type, including files with other problems (so refs to them resolve)."""
    ids: dict[str, dict[str, Loaded]] = {name: {} for name in schema.CONTENT_TYPES}
    for item in loaded:
        entries: list[tuple[Any, tuple[str | int, ...]]]
        if item.type.is_list:
            entries = [(e.get("id"), (i, "id")) for i, e in enumerate(item.doc.data) if isinstance(e, dict)]
        else:
            entries = [(item.doc.data.get("id"), ("id",))]
        if not item.identity_ok:
            continue
        for ident, path in entries:
            if not isinstance(ident, str):
                continue
            first = ids[item.type.name].get(ident)
            if first is not None:
                where = first.doc.path
                message = f"{item.type.label}编号“{ident}”重复：{where} 已经用过"
                problems.append(Problem(item.doc.loc(*path), message, "每个编号只能用一次"))
                continue
            ids[item.type.name][ident] = item
    return ids


def _walk_refs(f: Field, value: Any, path: FieldPath) -> Iterator[tuple[Field, str, FieldPath]]:
    if f.kind == "ref" and isinstance(value, str):
        yield f, value, path
    elif f.kind == "object" and isinstance(value, dict):
        for sub in f.fields:
            yield from _walk_refs(sub, value.get(sub.name), (*path, sub.name))
    elif f.kind == "list" and isinstance(value, list) and f.item is not None:
        for index, item in enumerate(value):
            yield from _walk_refs(f.item, item, (*path, index))


def _check_references(
    loaded: list[Loaded], ids: dict[str, dict[str, Loaded]], broken: Broken, problems: list[Problem]
) -> None:
    for item in loaded:
        if item.type.is_list:
            continue
        for f in item.type.fields:
            for ref_field, value, path in _walk_refs(f, item.doc.data.get(f.name), (f.name,)):
                target = schema.CONTENT_TYPES[ref_field.ref]
                unreadable = broken.get(ref_field.ref, set())
                if value not in ids[ref_field.ref] and value not in unreadable and "*" not in unreadable:
                    hint = did_you_mean(value, sorted(ids[ref_field.ref]))
                    name = _field_name(path, ref_field)
                    message = f"{name}引用了不存在的{target.label}“{value}”"
                    problems.append(Problem(item.doc.loc(*path), message, hint))


def _check_module_folders(courses: dict[str, Loaded], modules: dict[str, Loaded], problems: list[Problem]) -> None:
    # Only for known modules: a misspelt module is already reported as an unknown reference.
    for item in courses.values():
        module = item.doc.data.get("module")
        folder = item.doc.path.split("/")[-2]
        if module in modules and module != folder:
            message = f"所属模块“{module}”与所在文件夹“{folder}”不一致"
            problems.append(Problem(item.doc.loc("module"), message, "把文件移到对应模块的文件夹，或改 module"))


def _check_unique_titles(courses: dict[str, Loaded], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for item in sorted(courses.values(), key=lambda i: i.doc.path):
        title = item.doc.data.get("title")
        if not isinstance(title, str):
            continue
        # Titles that look the same are the same: full-width letters, spaces.
        key = "".join(unicodedata.normalize("NFKC", title).casefold().split())
        if key in seen:
            message = f"课程名称“{title}”重复：{seen[key]} 已经用过"
            problems.append(Problem(item.doc.loc("title"), message, "每门课程的名称要能区分开"))
        else:
            seen[key] = item.doc.path


def _check_path_order(paths: dict[str, Loaded], courses: dict[str, Loaded], problems: list[Problem]) -> None:
    """A course's prerequisite that is on the same learning path must come before it."""
    for item in paths.values():
        steps = item.doc.data.get("steps")
        if not isinstance(steps, list):
            continue
        order = [s.get("course") if isinstance(s, dict) else None for s in steps]
        position: dict[str, int] = {}  # first position of each course: linear, however long the path
        for index, cid in enumerate(order):
            if isinstance(cid, str):
                position.setdefault(cid, index)
        for index, cid in enumerate(order):
            if not isinstance(cid, str):
                continue
            if position[cid] < index:
                message = f"学习路径里“{cid}”出现了两次"
                problems.append(Problem(item.doc.loc("steps", index, "course"), message, "删掉重复的一步"))
                continue
            if cid not in courses:
                continue
            for pre in courses[cid].doc.data.get("prerequisites") or []:
                if isinstance(pre, str) and position.get(pre, -1) > index:
                    message = f"学习路径里“{cid}”排在它的先修课程“{pre}”前面"
                    problems.append(Problem(item.doc.loc("steps", index, "course"), message, "把先修课程挪到前面"))


def _check_prerequisites(courses: dict[str, Loaded], problems: list[Problem]) -> None:
    def prereqs(cid: str) -> list[str]:
        value = courses[cid].doc.data.get("prerequisites") or []
        return [p for p in value if isinstance(p, str) and p in courses] if isinstance(value, list) else []

    graph = {cid: prereqs(cid) for cid in sorted(courses)}
    for cid, pres in graph.items():
        doc = courses[cid].doc
        level = model.LEVEL_ORDER.get(doc.data.get("level", ""), 0)
        for pre in pres:
            index = doc.data["prerequisites"].index(pre)
            if pre == cid:
                problems.append(Problem(doc.loc("prerequisites", index), "课程不能把自己列为先修课程"))
                continue
            pre_level = courses[pre].doc.data.get("level", "")
            if model.LEVEL_ORDER.get(pre_level, 0) > level:
                message = f"先修课程“{pre}”是{pre_level}课程，比本课（{doc.data.get('level')}）难"
                hint = "先修课程只能是同级或更低难度的课程"
                problems.append(Problem(doc.loc("prerequisites", index), message, hint))

    # Cycles: one message per group of courses that lead to each other (a strongly connected
    # component), naming a shortest cycle through its smallest id. No recursion, linear time.
    for component in strongly_connected(graph):
        start = min(component)
        ring = shortest_cycle(graph, start, component)
        index = courses[start].doc.data["prerequisites"].index(ring[1])
        message = "先修课程形成循环：" + " → ".join(ring)
        problems.append(Problem(courses[start].doc.loc("prerequisites", index), message, "去掉其中一个先修关系"))


def strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm with an explicit stack: the groups of two or more nodes that reach each other.

    Self-loops are ignored (reported on their own). ``graph`` maps a node to the nodes it points to;
    every node pointed to is a key. Time and memory are linear in nodes plus edges, at any depth.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, 0)]
        while work:
            node, at = work[-1]
            edges = graph[node]
            if at < len(edges):
                work[-1] = (node, at + 1)
                nxt = edges[at]
                if nxt == node:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def shortest_cycle(graph: dict[str, list[str]], start: str, within: set[str]) -> list[str]:
    """A shortest cycle from ``start`` back to it inside ``within`` (breadth-first), as a closed ring."""
    parent: dict[str, str] = {}
    queue = [start]
    for node in queue:  # the list grows while it is read: a breadth-first queue
        for nxt in graph[node]:
            if nxt == start and node != start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if nxt in within and nxt != start and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    raise ValueError(f"no cycle through {start}")


# --------------------------------------------------------------------------- model building


def _place(d: dict[str, Any] | None) -> model.Place:
    d = d or {}
    return model.Place(str(d.get("province", "")), str(d.get("city", "")), str(d.get("county", "")))


def _source(d: dict[str, Any]) -> model.Source:
    return model.Source(str(d["publication"]), str(d["title"]), d["date"], d["url"], str(d.get("note") or ""))


def _figure(d: dict[str, Any]) -> model.Figure:
    return model.Figure(str(d["value"]), str(d["label"]), d.get("as_of", "") or "")


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def _build(item: Loaded) -> Any:
    d = item.doc.data
    loc = item.doc.loc()
    name = item.type.name
    if name == "program":
        t = d["targets"]
        return model.Program(
            name=str(d["name"]),
            tagline=str(d["tagline"]),
            summary=d["summary"],
            organizers=_strs(d["organizers"]),
            launched=d["launched"],
            targets=model.Targets(t["trainees"], t["years"], t["counties"], t.get("counties_note", "")),
            figures=tuple(_figure(f) for f in d.get("figures") or ()),
            platforms=tuple(
                model.Platform(str(p["name"]), p.get("note", ""), p.get("url", "")) for p in d["platforms"]
            ),
            advisory_team=model.AdvisoryTeam(d["advisory_team"]["summary"], _strs(d["advisory_team"]["roles"])),
            sources=tuple(_source(s) for s in d["sources"]),
            location=loc,
        )
    if name == "module":
        return model.Module(d["id"], str(d["name"]), str(d["summary"]), d["order"], d.get("description", "") or "", loc)
    if name == "course":
        return model.Course(
            id=d["id"],
            title=str(d["title"]),
            module=d["module"],
            summary=str(d["summary"]),
            audience=_strs(d["audience"]),
            level=d["level"],
            format=d["format"],
            hours=d["hours"],
            lessons=tuple(model.Lesson(str(x["title"]), str(x.get("summary", "") or "")) for x in d["lessons"]),
            outcomes=_strs(d["outcomes"]),
            instructors=_strs(d["instructors"]),
            tags=_strs(d["tags"]),
            prerequisites=_strs(d.get("prerequisites")),
            recordings=tuple(model.Recording(str(r["platform"]), r["url"]) for r in d.get("recordings") or ()),
            description=d["description"],
            location=loc,
        )
    if name == "instructor":
        return model.Instructor(
            d["id"],
            str(d["name"]),
            d["persona"],
            str(d["title"]),
            str(d["affiliation"]),
            _strs(d["fields"]),
            d["bio"],
            loc,
        )
    if name == "session":
        return model.Session(
            d["id"],
            str(d["title"]),
            d.get("date", "") or "",
            str(d.get("date_note", "") or ""),
            _place(d.get("place")),
            str(d.get("theme", "") or ""),
            _strs(d.get("results")),
            _strs(d.get("alongside")),
            tuple(_source(s) for s in d["sources"]),
            loc,
        )
    if name == "case":
        return model.Case(
            id=d["id"],
            title=str(d["title"]),
            subject=str(d["subject"]),
            subject_kind=d["subject_kind"],
            role=str(d["role"]),
            summary=str(d["summary"]),
            place=_place(d["place"]),
            products=_strs(d["products"]),
            modules=_strs(d.get("modules")),
            courses=_strs(d.get("courses")),
            session=d.get("session", "") or "",
            channels=_strs(d.get("channels")),
            figures=tuple(_figure(f) for f in d.get("figures") or ()),
            source=_source(d["source"]),
            body=item.doc.body or "",
            location=loc,
        )
    if name == "path":
        steps = tuple(model.PathStep(s["course"], str(s["why"])) for s in d["steps"])
        return model.LearningPath(d["id"], str(d["title"]), d["audience"], str(d["summary"]), steps, loc)
    raise AssertionError(name)


def link(catalog: model.Catalog) -> model.Catalog:
    """Fill the reverse links: module → courses, instructor → courses, course → cases, …"""

    def group(pairs: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
        out: dict[str, dict[str, None]] = {}  # dicts as ordered sets: linear however many share a key
        for key, value in pairs:
            out.setdefault(key, {})[value] = None
        return {k: tuple(v) for k, v in sorted(out.items())}

    courses = sorted(catalog.courses.values(), key=lambda c: (model.LEVEL_ORDER[c.level], c.id))
    cases = sorted(catalog.cases.values(), key=lambda c: c.id)
    case_modules = [(m, c.id) for c in cases for m in c.modules]
    case_modules += [(catalog.courses[k].module, c.id) for c in cases for k in c.courses]
    values = dict(
        courses_by_module=group([(c.module, c.id) for c in courses]),
        courses_by_instructor=group([(i, c.id) for c in courses for i in c.instructors]),
        cases_by_course=group([(k, c.id) for c in cases for k in c.courses]),
        cases_by_session=group([(c.session, c.id) for c in cases if c.session]),
        cases_by_module=group(case_modules),
        paths_by_course=group(
            [(s.course, p.id) for p in sorted(catalog.paths.values(), key=lambda p: p.id) for s in p.steps]
        ),
        followers=group([(pre, c.id) for c in courses for pre in c.prerequisites]),
    )
    return model.Catalog(**{**catalog.__dict__, **values})


def load_catalog(root: Path, published: bool = False) -> tuple[model.Catalog | None, list[Problem]]:
    """Load and validate the whole content tree under ``root``; the catalog only if no problems.

    ``published`` is the public build: drafts are left out, and what only warns in a preview
    (placeholders, published content that links a draft) is a problem.
    """
    problems: list[Problem] = []
    broken: Broken = {}
    problems.extend(publish.symlinks(root))
    problems.extend(publish.images(root)[1])
    loaded = _load_all(root, problems, broken)
    problems.extend(dictionary.read(root)[1])
    _check_content_folder(root, problems)
    ids = _index(loaded, problems)
    _check_references(loaded, ids, broken, problems)
    drafts = [item for item in loaded if _is_draft(item)]
    if published:
        loaded = [item for item in loaded if not _is_draft(item)]
    warnings = _placeholders(loaded) + _links_to_drafts(loaded, drafts)
    if published:
        problems += warnings
    courses = {cid: item for cid, item in ids["course"].items() if item.ok}
    before = len(problems)
    _check_prerequisites(courses, problems)
    if len(problems) == before:  # a broken prerequisite graph would only repeat itself here
        _check_path_order({k: v for k, v in ids["path"].items() if v.ok}, courses, problems)
    _check_unique_titles(courses, problems)
    _check_module_folders(courses, ids["module"], problems)
    if problems:
        return None, sorted(set(problems))
    built: dict[str, dict[str, Any]] = {name: {} for name in schema.CONTENT_TYPES}
    program: model.Program | None = None
    synonyms: tuple[model.Synonym, ...] = ()
    for item in loaded:
        if item.type.name == "program":
            program = _build(item)
        elif item.type.name == "synonyms":
            synonyms = tuple(
                model.Synonym(
                    tuple(str(w) for w in entry["words"]),
                    tuple(str(w) for w in entry["finds"]),
                    float(entry.get("weight", model.Synonym.weight)),
                )
                for entry in item.doc.data
            )
        elif item.type.is_list:
            for index, entry in enumerate(item.doc.data):
                tag = model.Tag(entry["id"], str(entry["name"]), str(entry["meaning"]), item.doc.loc(index))
                built["tag"][tag.id] = tag
        else:
            obj = _build(item)
            built[item.type.name][obj.id] = obj
    assert program is not None
    catalog = model.Catalog(
        program=program,
        tags=built["tag"],
        modules=built["module"],
        courses=built["course"],
        instructors=built["instructor"],
        sessions=built["session"],
        cases=built["case"],
        paths=built["path"],
        synonyms=synonyms,
        draft_files=frozenset(item.doc.path for item in drafts) if not published else frozenset(),
        warnings=tuple(sorted(set(warnings))) if not published else (),
    )
    return link(catalog), []


# --------------------------------------------------------------------------- not ready to publish


def _is_draft(item: Loaded) -> bool:
    return not item.type.is_list and item.doc.data.get("status") == schema.DRAFT


_PLACEHOLDER_HINT = "换成真正的内容；正式发布时不允许"


def _placeholders(loaded: list[Loaded]) -> list[Problem]:
    """One warning per value that still holds a placeholder written by ``catalog new``."""
    found: list[Problem] = []

    def walk(value: Any, path: FieldPath, doc: RawDocument) -> None:
        if isinstance(value, str) and schema.PLACEHOLDER in value:
            at = doc.loc(*path)
            if path in doc.block_scalars:  # point at the text, not at the "|" line
                at = Location(at.path, doc.text_line(*path), 3)
            found.append(Problem(at, "这里还是“catalog new”写的占位文字", _PLACEHOLDER_HINT))
        elif isinstance(value, dict):
            for key, sub in value.items():
                walk(sub, (*path, str(key)), doc)
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                walk(sub, (*path, index), doc)

    for item in loaded:
        walk(item.doc.data, (), item.doc)
        if item.doc.body and schema.PLACEHOLDER in item.doc.body:
            location = Location(item.doc.path, item.doc.body_line)
            found.append(Problem(location, "正文还是“catalog new”写的占位文字", _PLACEHOLDER_HINT))
    return found


def _links_to_drafts(loaded: list[Loaded], drafts: list[Loaded]) -> list[Problem]:
    """Published content must not depend on a draft, which the published site leaves out."""
    draft_ids = {(item.type.name, item.doc.data.get("id")) for item in drafts}
    found: list[Problem] = []
    for item in loaded:
        if item.type.is_list or _is_draft(item):
            continue
        for f in item.type.fields:
            for ref_field, value, path in _walk_refs(f, item.doc.data.get(f.name), (f.name,)):
                if (ref_field.ref, value) in draft_ids:
                    label = schema.CONTENT_TYPES[ref_field.ref].label
                    message = f"{_field_name(path, ref_field)}引用的{label}“{value}”还是草稿，正式发布时不会生成"
                    found.append(
                        Problem(item.doc.loc(*path), message, "先发布它（去掉 status: draft），或去掉这个引用")
                    )
    return found
