"""Read content files: bytes to text, YAML to plain data that remembers where each value was.

Nothing here knows the content model; it only turns a file into ``RawDocument`` or ``Problem``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.constructor
import yaml.nodes
import yaml.reader
import yaml.resolver

from . import characters
from .problems import Location, Problem

MAX_FILE_BYTES = 200_000
"""Per content file, checked before reading it whole or parsing it. The largest real file is under
8 KB and a long case about 5 KB: 200 KB is 25 times that, room for any real text, while it keeps
the worst case of every later step (YAML, Markdown, the checks) to a fraction of a second."""

FieldPath = tuple[str | int, ...]

MAX_INT_DIGITS = 18
"""Digits of the largest integer a file may hold: no count, hour or order of this catalogue comes
near it, and a huge one would not even print (Python refuses to convert more than 4,300 digits)."""
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class RawDocument:
    """A file's data as plain Python values, with the line and column of every key and item."""

    path: str
    data: Any
    marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)  # where each value starts
    key_marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)  # where each key is
    block_scalars: set[FieldPath] = field(default_factory=set)  # values written as "|" or ">"
    body: str | None = None
    body_line: int = 1

    def loc(self, *keys: str | int) -> Location:
        """The location of a field, or of its nearest parent that exists in the file."""
        path: FieldPath = tuple(keys)
        while path not in self.marks and path:
            path = path[:-1]
        line, column = self.marks.get(path, (1, 1))
        return Location(self.path, line, column)

    def key_loc(self, *keys: str | int) -> Location:
        """The location of a field's name (for unknown or duplicated fields)."""
        mark = self.key_marks.get(tuple(keys))
        return Location(self.path, *mark) if mark else self.loc(*keys)

    def text_line(self, *keys: str | int) -> int:
        """The line where a text value's first character is (after "|" for block scalars)."""
        line = self.loc(*keys).line
        return line + 1 if tuple(keys) in self.block_scalars else line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so an alias bomb can never be expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "alias-not-allowed", event.start_mark)
        return super().compose_node(parent, index)


class _RefuseAliases(yaml.composer.Composer):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            raise yaml.composer.ComposerError(None, None, "alias-not-allowed", event.start_mark)
        return super().compose_node(parent, index)


def _fast_loader() -> Any:
    """libyaml's scanner and parser (about ten times faster) feeding the same Python composer and
    resolver, so nodes, marks, tags and the refusal of aliases are those of ``_Loader``. Only
    documents that parse go this way: on any syntax error the file is parsed again by ``_Loader``,
    so the message, line and column an editor sees never depend on libyaml."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    class FastLoader(_RefuseAliases, CParser, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    return FastLoader


_FastLoader: Any = _fast_loader()


def _compose(text: str) -> Any:
    """The document's node tree; raises ``yaml.MarkedYAMLError`` as the pure-Python loader does."""
    if _FastLoader is not None:
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()
        except yaml.YAMLError:
            pass  # parsed again below, for the message and position of the pure-Python loader
        finally:
            fast.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_YAML_HINTS = [
    ("alias-not-allowed", "不支持 YAML 别名（*名称）：请把内容直接写出来"),
    ("'\\t'", "这里有 Tab 字符：YAML 只能用空格缩进，请把 Tab 换成两个空格"),
    ("mapping values are not allowed", "这里不能出现冒号“:”：值里含有英文冒号时，请给整个值加上引号"),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的引号没有闭合"),
    ("expected <block end>", "缩进不一致：同一层的字段要对齐"),
    ("unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("but got '<stream end>'", "文件意外结束：引号或括号没有闭合"),
    ("expected ',' or ']'", "方括号列表里缺少逗号或右括号“]”"),
    ("expected ',' or '}'", "花括号里缺少逗号或右括号“}”"),
    ("found unknown escape character", "双引号里的反斜杠“\\”需要写成“\\\\”"),
    ("expected a single document", "一个文件只能有一份数据，请删除多余的“---”"),
    ("special characters are not allowed", "文件里有不可见的控制字符，请删除"),
    ("did not find expected key", "缩进不一致，或列表项“- ”前后对不齐"),
    ("did not find expected node content", "这里缺少内容，或有多余的符号"),
    ("did not find expected '-' indicator", "列表项要以“- ”开头并对齐"),
    ("found unexpected ':'", "这里多了一个冒号“:”"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found character", "这里有 YAML 不允许出现在开头的字符（如 @、` 或 %），请给整个值加上引号"),
]


def _yaml_error_message(error: yaml.MarkedYAMLError) -> str:
    text = f"{error.context or ''} {error.problem or ''}"
    for needle, message in _YAML_HINTS:
        if needle in text:
            return f"YAML 语法错误：{message}"
    return f"YAML 语法错误：{(error.problem or error.context or '无法解析').strip()}"


def too_large(size: int, rel: str, limit: int = MAX_FILE_BYTES) -> Problem:
    shown = f"{size / 1000:.0f} KB，上限 {limit // 1000} KB"
    return Problem(Location(rel), f"文件过大（{shown}），请检查是否放错了文件")


def read_limited(path: Path, rel: str, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, never reading more than ``limit`` + 1 of them: a huge file costs nothing."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
            size = len(data) if len(data) <= limit else max(limit + 1, path.stat().st_size)
    except OSError as error:
        return None, [Problem(Location(rel), f"无法读取文件：{error.strerror}")]
    if size > limit:
        return None, [too_large(size, rel, limit)]
    return data, []


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: size limit, UTF-8 only, byte-order mark and Windows line endings tolerated,
    no control or invisible formatting characters (see ``characters``)."""
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large(len(data), rel)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        message = "文件不是有效的 UTF-8 编码，请用 UTF-8 保存（记事本：另存为，编码选 UTF-8）"
        return None, [Problem(Location(rel, line, column), message)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = [
        Problem(Location(rel, line, column), f"这里有不允许的字符 {characters.describe(char)}", _CHAR_HINT)
        for line, column, char in characters.positions(text)
    ]
    return (None, bad) if bad else (text, [])


_CHAR_HINT = "看不见的控制或排版字符，多是复制粘贴带进来的；请删除它，必要时把这一行重新输入一遍"


def parse_yaml(
    text: str, rel: str, expect: type = dict, line_offset: int = 0
) -> tuple[RawDocument | None, list[Problem]]:
    """Parse one YAML document safely, keeping the position of every key and list item."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        return None, [Problem(Location(rel, line, column), _yaml_error_message(error))]
    except yaml.reader.ReaderError as error:
        # Normally caught by ``decode`` already; kept so no character can ever raise a traceback.
        before = text[: error.position]
        line = before.count("\n") + 1 + line_offset
        column = len(before) - (before.rfind("\n") + 1) + 1
        message = f"YAML 无法读取这里的字符 {characters.describe(chr(error.character))}"
        return None, [Problem(Location(rel, line, column), message, _CHAR_HINT)]
    except yaml.YAMLError:
        return None, [Problem(Location(rel, 1 + line_offset), "YAML 语法错误：无法解析")]
    except RecursionError:
        return None, [Problem(Location(rel, 1 + line_offset), "YAML 嵌套层级过深")]
    if node is None:
        message = "文件是空的（或只有注释），没有任何数据"
        return None, [Problem(Location(rel, 1 + line_offset), message)]
    doc = RawDocument(rel, None)
    problems: list[Problem] = []
    doc.data = _convert(node, (), doc, problems, line_offset)
    if problems:
        return None, problems
    if not isinstance(doc.data, expect):
        want = "字段映射（每行“字段: 值”）" if expect is dict else "列表（每项以“- ”开头）"
        got = type_name(doc.data)
        message = f"文件顶层应该是{want}，但这里是{got}"
        return None, [Problem(Location(rel, node.start_mark.line + 1 + line_offset), message)]
    return doc, []


def _convert(node: yaml.Node, path: FieldPath, doc: RawDocument, problems: list[Problem], offset: int) -> Any:
    mark = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    doc.marks.setdefault(path, mark)
    if node.tag not in _ALLOWED_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        message = f"不允许的 YAML 标签“{tag}”：内容文件只能包含文字、数字、列表和字段"
        problems.append(Problem(Location(doc.path, *mark), message))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_mark = (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(Location(doc.path, *key_mark), "字段名必须是一段文字"))
                continue
            key = str(key_node.value)
            if key in result:
                first = doc.key_marks[(*path, key)][0]
                message = f"字段“{key}”重复出现（第一次在第 {first} 行），请删除其中一个"
                problems.append(Problem(Location(doc.path, *key_mark), message))
                continue
            doc.key_marks[(*path, key)] = key_mark
            result[key] = _convert(value_node, (*path, key), doc, problems, offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, index), doc, problems, offset) for index, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        doc.block_scalars.add(path)
    if node.tag == "tag:yaml.org,2002:timestamp":
        return str(node.value)  # dates stay text: "2021-09" and "2021-09-23" alike
    if node.tag == "tag:yaml.org,2002:str":
        return node.value  # what SafeConstructor gives for text, without building one per value
    if node.tag in (_INT, _FLOAT) and ":" in str(node.value):
        return str(node.value)  # YAML 1.1 reads 9:30 as the base-60 number 570: keep the text
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node)
    except ValueError:  # Python refuses to convert an integer of more than 4,300 digits
        value = None
    if (value is None and node.tag == _INT) or (
        isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_INT_DIGITS
    ):
        # Not even printable in a message (str() of a huge int raises): one located error instead.
        message = f"数字太大：最多 {MAX_INT_DIGITS} 位"
        problems.append(Problem(Location(doc.path, *mark), message, "如果值本身是文字，请加上引号"))
        return None
    return value


def type_name(value: Any) -> str:
    """How a wrongly typed value is described to editors."""
    if isinstance(value, bool):
        return "是/否（true/false）"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        short = value if len(value) <= 20 else value[:20] + "…"
        return f"文字“{short}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "字段映射"
    return "空值"


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


# The last load of each file, with a hash of its bytes, while ``keep_parsed`` is on (``catalog
# serve``): a rebuild parses only the files that changed. Documents are never modified once loaded.
_parsed: dict[tuple[str, type, bool], tuple[bytes, tuple[RawDocument | None, list[Problem]]]] | None = None


def keep_parsed(on: bool) -> None:
    global _parsed
    _parsed = {} if on else None


def keeping_parsed() -> bool:
    return _parsed is not None


def load_file(
    path: Path, rel: str, expect: type = dict, front_matter: bool = False
) -> tuple[RawDocument | None, list[Problem]]:
    """Load a YAML file, or a Markdown file with YAML front matter, as a located document."""
    data, problems = read_limited(path, rel)
    if data is None:
        return None, problems
    if _parsed is None:
        return _load_bytes(data, rel, expect, front_matter)
    key, digest = (rel, expect, front_matter), hashlib.sha256(data).digest()
    kept = _parsed.get(key)
    if kept is None or kept[0] != digest:
        kept = _parsed[key] = (digest, _load_bytes(data, rel, expect, front_matter))
    return kept[1]


def _load_bytes(data: bytes, rel: str, expect: type, front_matter: bool) -> tuple[RawDocument | None, list[Problem]]:
    text, problems = decode(data, rel)
    if text is None:
        return None, problems
    if not front_matter:
        return parse_yaml(text, rel, expect)
    match = _FRONT_MATTER.match(text)
    if not match:
        message = "Markdown 文件必须以“---”开头的头信息（YAML）开始，并以另一行“---”结束"
        return None, [Problem(Location(rel), message)]
    doc, problems = parse_yaml(match.group(1) or "", rel, expect, line_offset=1)
    if doc is not None:
        doc.body = text[match.end() :]
        doc.body_line = text[: match.end()].count("\n") + 1
    return doc, problems
