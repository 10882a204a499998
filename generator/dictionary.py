"""The search dictionary ``content/jieba_userdict.txt``: read and checked here, then given to jieba.

One word a line, optionally followed by its frequency and a part-of-speech tag, separated by
spaces (jieba's own format)::

    社区团购 3000 n

``catalog check`` reports every mistake with its line and column, so a build never meets a file
jieba cannot read. The limits keep jieba's work bounded: jieba stores every prefix of every word,
so a word of n characters costs about n² / 2 characters of memory (one 40,000-character word took
1.7 GB). The longest real entry is 6 characters; a term a trainee types is rarely over 10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .load import decode, read_limited
from .problems import Location, Problem

USERDICT = "content/jieba_userdict.txt"
MAX_FILE_BYTES = 64_000  # about 4,000 entries; the real file has 80
MAX_WORD_CHARS = 20
MAX_LINE_CHARS = 60
MAX_FREQUENCY = 10_000_000  # jieba's own dictionary tops out near 900,000

_TAG = re.compile(r"[a-z]{1,8}")
_FORMAT = "每行一个词，可在后面加词频和词性，用空格隔开，如“社区团购 3000 n”"


@dataclass(frozen=True)
class Entry:
    word: str
    frequency: int | None = None
    tag: str | None = None


def read(root: Path) -> tuple[list[Entry], list[Problem]]:
    """The dictionary's entries, or the located problems that stop it from being used."""
    path = root / USERDICT
    if not path.exists():
        return [], []
    if not path.is_file():
        return [], [Problem(Location(USERDICT), "这里只能放普通文件（不能是文件夹）")]
    data, problems = read_limited(path, USERDICT, MAX_FILE_BYTES)
    if data is None:
        return [], problems
    text, problems = decode(data, USERDICT)
    if text is None:
        return [], problems
    return parse(text)


def parse(text: str, rel: str = USERDICT) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            message = f"这一行太长：{len(line)} 个字符，最多 {MAX_LINE_CHARS} 个"
            problems.append(Problem(Location(rel, number, MAX_LINE_CHARS + 1), message, _FORMAT))
            continue
        fields = [(m.start() + 1, m.group()) for m in re.finditer(r"\S+", line)]
        if not fields:
            continue
        (column, word), rest = fields[0], fields[1:]
        problem = _check(word, column, rest)
        if problem is not None:
            at, message = problem
            problems.append(Problem(Location(rel, number, at), message, _FORMAT))
            continue
        frequency = int(rest[0][1]) if rest and _number(rest[0][1]) else None
        tag = rest[-1][1] if rest and not _number(rest[-1][1]) else None
        entries.append(Entry(word, frequency, tag))
    return entries, problems


def _check(word: str, column: int, rest: list[tuple[int, str]]) -> tuple[int, str] | None:
    """(column, message) of the first mistake on a line, or ``None``."""
    if len(word) > MAX_WORD_CHARS:
        return column, f"词“{word[:10]}…”太长：{len(word)} 个字，最多 {MAX_WORD_CHARS} 个"
    if len(rest) > 2:
        return rest[2][0], "多了一项：一行最多三项（词、词频、词性）；词本身不能含空格"
    if rest and _number(rest[0][1]):
        at, value = rest[0]
        if len(value) > 9 or not 1 <= int(value) <= MAX_FREQUENCY:
            return at, f"词频“{value}”超出范围：应在 1 到 {MAX_FREQUENCY} 之间"
        rest = rest[1:]
    if rest:
        at, value = rest[0]
        if len(rest) > 1 or not _TAG.fullmatch(value):
            what = "词频应为整数，" if value[:1].isdigit() or len(rest) > 1 else ""
            return at, f"“{value[:10]}”不是有效的词频或词性：{what}词性是 1 至 8 个小写英文字母，如 n"
    return None


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit()
