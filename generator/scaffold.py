"""``catalog new``: a new content file with every field present and a Chinese comment on each.

The values are placeholders that already pass ``catalog check``, so an editor can start from a
file that builds and replace one field at a time.
"""

from __future__ import annotations

import json
import posixpath
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import schema
from .model import Catalog
from .schema import ContentType, Field


def kinds() -> dict[str, ContentType]:
    """The types ``catalog new`` can write: every type of one file per item (with an id)."""
    return {t.name: t for t in schema.CONTENT_TYPES.values() if not t.single_file and t.has_ids}


def _guide(f: Field) -> str:
    """A placeholder for a Markdown text with a minimum length: itself long enough to pass."""
    return (
        f"在这里写{f.label}：这门课为谁解决什么问题，用哪些本地产品或场景做例子，课上要做哪些练习，"
        f"学员学完能带走什么成果。请写具体的事，不要写空话套话。{f.label}要有 {f.min:g} 到 {f.max:g} 个汉字，"
        "可以分成两三段。写好以后运行检查命令，按提示把不合格的地方改掉，再提交拉取请求，请审核的同事看一看。"
        f"本段文字只是占位说明（{schema.PLACEHOLDER}），提交前请全部删除并换成真正的{f.label}。"
    )


class ScaffoldError(Exception):
    """The file cannot be written (it exists, or the id or module is wrong); message in Chinese."""


def _pool(catalog: Catalog, ref: str) -> list[str]:
    """Ids a placeholder may refer to. Items an item of the type depends on (a course's
    prerequisites) come first, so a scaffolded learning path passes the order check."""
    items = catalog.items(ref)
    needs = [f.name for f in schema.CONTENT_TYPES[ref].fields if f.item is not None and f.item.ref == ref]
    done: dict[str, None] = {}

    def visit(ident: str) -> None:
        if ident in done:
            return
        for name in needs:
            for other in getattr(items[ident], name):
                visit(other)
        done[ident] = None

    for ident in sorted(items):
        visit(ident)
    return list(done)


def _placeholder(f: Field, ident: str, catalog: Catalog, n: int = 0) -> Any:
    """A value that passes validation; ``n`` numbers the items of a list of objects."""
    if f.kind == "id":
        return ident
    if f.kind == "ref":
        pool = _pool(catalog, f.ref)
        return pool[n % len(pool)] if pool else ""
    if f.kind == "text":
        text = f"【{schema.PLACEHOLDER}】{f.label}" + (f"（第 {n + 1} 项）" if n else "")
        return text[: int(f.max)] if f.max else text
    if f.kind == "markdown":
        return _guide(f) if f.min else f"【{schema.PLACEHOLDER}】请在这里写{f.label}。"
    if f.kind in ("int", "number"):
        return int(f.min) if f.min is not None and f.min >= 1 else 1 if f.kind == "int" else 2
    if f.kind == "bool":
        return True
    if f.kind == "date":
        return date.today().strftime("%Y-%m")
    if f.kind == "url":
        return f"https://example.com/{schema.PLACEHOLDER}"
    if f.kind == "enum":
        return f.enum[0]
    if f.kind == "object":
        return {sub.name: _placeholder(sub, ident, catalog, n) for sub in f.fields}
    if f.kind == "list":
        assert f.item is not None
        count = int(f.min or 0)
        if f.item.kind == "ref":
            return _pool(catalog, f.item.ref)[:count]
        if f.item.kind == "object":
            return [_placeholder(f.item, ident, catalog, n) for n in range(count)]
        if f.item.kind == "enum":
            return list(f.item.enum[:count])
        return [f"【{schema.PLACEHOLDER}】第 {n + 1} 项" for n in range(count)]
    raise AssertionError(f.kind)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    # Plain where YAML reads it back unchanged (easier for editors), quoted otherwise.
    plain = str(value)
    safe = "," not in plain and "#" not in plain and not plain.startswith(("[", "{", "-", "*", "&", "!"))
    if safe and yaml.safe_load(f"v: {plain}") == {"v": plain}:
        return plain
    return json.dumps(value, ensure_ascii=False)


def _comment(f: Field) -> str:
    need = "必填" if f.required else "选填"
    text = "；".join(x.rstrip("。") for x in (f.help, schema.describe_limits(f)) if x)
    return f"  # {f.label}（{need}）" + (f"：{text}" if text else "")


def _lines(fields: tuple[Field, ...], values: dict[str, Any], indent: str) -> list[str]:
    out = []
    for f in fields:
        value = values[f.name]
        comment = _comment(f)
        if f.kind == "markdown":
            out.append(f"{indent}{f.name}: |{comment}")
            out.append(f"{indent}  {value}")
        elif f.kind == "object":
            out.append(f"{indent}{f.name}:{comment}")
            out += _lines(f.fields, value, indent + "  ")
        elif f.kind == "list" and f.item is not None and f.item.kind == "object":
            out.append(f"{indent}{f.name}:{comment}" if value else f"{indent}{f.name}: []{comment}")
            for item in value:
                sub = _lines(f.item.fields, item, indent + "    ")
                out.append(f"{indent}  - {sub[0].lstrip()}")
                out += sub[1:]
        elif f.kind == "list":
            out.append(f"{indent}{f.name}: [{', '.join(_scalar(v) for v in value)}]{comment}")
        else:
            out.append(f"{indent}{f.name}: {_scalar(value)}{comment}")
    return out


def target_path(root: Path, kind: str, ident: str, module: str = "") -> Path:
    ctype = kinds()[kind]
    folder = _folder(ctype, module)
    return root / folder / f"{ident}{ctype.suffix}"


def render(kind: str, ident: str, catalog: Catalog, module: str = "", title: str = "") -> str:
    ctype = kinds()[kind]
    values = {f.name: _placeholder(f, ident, catalog) for f in ctype.fields}
    if ctype.folder_field is not None:
        values[ctype.folder_field.name] = module  # the item of the folder the file goes to
    if kind == "course":  # course titles are unique across the catalogue
        values["title"] = f"【{schema.PLACEHOLDER}】新{ctype.label}（{ident}）"
    if title and "title" in values:
        values["title"] = title
    body = "\n".join(_lines(ctype.fields, values, "")) + "\n"
    if ctype.front_matter:
        return f"---\n{body}---\n\n【{schema.PLACEHOLDER}】请在这里用自己的话写正文，只写出处报道里有的事实。\n"
    folder = _folder(ctype, module or "x")
    schema_path = posixpath.relpath(f"schemas/{ctype.name}.schema.json", folder)
    return f"# yaml-language-server: $schema={schema_path}\n{body}"


def _folder(ctype: ContentType, folder: str) -> str:
    """The folder a new file goes to: a per-folder type's folder named after ``folder``."""
    f = ctype.folder_field
    return ctype.folder.replace("{" + f.name + "}", folder) if f is not None else ctype.folder


def _free_id(catalog: Catalog, kind: str, ident: str, module: str) -> str:
    taken = catalog.items(kind)
    for candidate in (f"{ident}-{module}" if module else "", *(f"{ident}-{n}" for n in range(2, 100))):
        if candidate and candidate not in taken and len(candidate) <= schema.MAX_ID_LENGTH:
            return candidate
    return ""


def _same_title(catalog: Catalog, title: str) -> Any:
    """The entity of any type whose title (or name) is ``title``, ignoring spaces and case."""
    wanted = "".join(title.split()).lower()
    for kind in kinds():
        for entity in catalog.items(kind).values():
            if "".join(str(getattr(entity, "title", getattr(entity, "name", ""))).split()).lower() == wanted:
                return entity
    return None


def _field_location(root: Path, entity: Any, name: str) -> str:
    """Where ``name:`` stands in the entity's file, as ``path:line:column`` (the file if not found)."""
    location = entity.location
    try:
        lines = (root / location.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return str(location)
    for number, line in enumerate(lines, 1):
        if line.startswith(f"{name}:"):
            return f"{location.path}:{number}:{len(name) + 3}"
    return str(location)


def write(root: Path, kind: str, ident: str, catalog: Catalog, module: str = "", title: str = "") -> Path:
    """Write the scaffold, refusing any id or title the catalogue already has (anywhere)."""
    from .pages import reserved_ids

    if not schema.is_id(ident):
        raise ScaffoldError(f"编号“{ident}”不合法：只能用小写英文字母、数字和连字符，如 walnut-gift-box")
    if ident in reserved_ids(kind):
        raise ScaffoldError(f"编号“{ident}”是保留名称：站点的 {reserved_ids(kind)[ident]} 页面用了它，请换一个")
    folder_field = kinds()[kind].folder_field
    if folder_field is not None and module not in catalog.items(folder_field.ref):
        target = schema.CONTENT_TYPES[folder_field.ref].noun
        available = "、".join(sorted(catalog.items(folder_field.ref)))
        raise ScaffoldError(f"没有编号为“{module}”的{target}；可用：{available}")
    existing = catalog.items(kind).get(ident)
    if existing is not None:
        label = kinds()[kind].label
        suggestion = _free_id(catalog, kind, ident, module)
        hint = f"换一个编号，例如 --id {suggestion}" if suggestion else "换一个编号"
        raise ScaffoldError(
            f"{_field_location(root, existing, 'id')}: {label}编号“{ident}”已经有了，没有新建（{hint}）"
        )
    same = _same_title(catalog, title) if title else None
    if same is not None:
        hint = "标题要说清学什么、给谁学，比如加上产品、对象或场景"
        where = _field_location(root, same, "title" if hasattr(same, "title") else "name")
        raise ScaffoldError(f"{where}: 标题“{title}”已经有了，没有新建（{hint}）")
    path = target_path(root, kind, ident, module)
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root)} 已经存在，没有覆盖")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(kind, ident, catalog, module, title), encoding="utf-8")
    return path
