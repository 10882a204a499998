"""Characters no content file may hold: control characters and invisible formatting characters.

Control characters make YAML's reader fail (with a traceback, before any line number is known).
Bidirectional overrides and isolates make text display in another order than it is stored, and
zero-width characters make two titles look alike while they differ (or differ while they look
alike): both hide what a reviewer reads. Each is refused with its position and its name.
"""

from __future__ import annotations

import re

# Names shown to editors, by code point.
_NAMES = {
    0x0085: "下一行（NEL）控制字符",
    0x061C: "阿拉伯字母标记（方向控制字符）",
    0x200B: "零宽空格",
    0x200C: "零宽不连字",
    0x200D: "零宽连字",
    0x200E: "从左到右标记（方向控制字符）",
    0x200F: "从右到左标记（方向控制字符）",
    0x2028: "行分隔符",
    0x2029: "段分隔符",
    0x202A: "从左到右嵌入（方向控制字符）",
    0x202B: "从右到左嵌入（方向控制字符）",
    0x202C: "方向格式结束（方向控制字符）",
    0x202D: "从左到右覆盖（方向控制字符）",
    0x202E: "从右到左覆盖（方向控制字符）",
    0x2060: "零宽不换行（字连接符）",
    0x2061: "不可见的函数符号",
    0x2062: "不可见的乘号",
    0x2063: "不可见的分隔符",
    0x2064: "不可见的加号",
    0x2066: "从左到右隔离（方向控制字符）",
    0x2067: "从右到左隔离（方向控制字符）",
    0x2068: "首字符方向隔离（方向控制字符）",
    0x2069: "方向隔离结束（方向控制字符）",
    0xFEFF: "零宽不换行空格（BOM）",
    0xFFFE: "非字符 U+FFFE",
    0xFFFF: "非字符 U+FFFF",
}

# Tab and line feed are the only control characters a file needs (CR is folded into LF on reading).
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)

# The same, plus line breaks and tabs: what must not appear inside a one-line message.
FORBIDDEN_OR_BREAK = re.compile(f"{FORBIDDEN.pattern}|[\t\n]")


def describe(char: str) -> str:
    """``U+202E（从右到左覆盖（方向控制字符））``: the code point and what it is."""
    point = ord(char)
    if point in _NAMES:
        name = _NAMES[point]
    elif 0xD800 <= point <= 0xDFFF:
        name = "代理码位（不是字符）"
    else:
        name = "控制字符"
    return f"U+{point:04X}（{name}）"


def first_forbidden(text: str) -> int | None:
    """The index of the first forbidden character in ``text``, or ``None``."""
    match = FORBIDDEN.search(text)
    return match.start() if match else None


def positions(text: str, limit: int = 10) -> list[tuple[int, int, str]]:
    """(line, column, character) of the first forbidden character on each line, at most ``limit`` lines.

    Lines and columns are 1-based and count characters, as YAML's marks do. One pass over the text.
    """
    found: list[tuple[int, int, str]] = []
    line, line_start, pos, last_line = 1, 0, 0, 0
    for match in FORBIDDEN.finditer(text):
        start = match.start()
        breaks = text.count("\n", pos, start)  # only the stretch since the last match: linear
        if breaks:
            line += breaks
            line_start = text.rfind("\n", pos, start) + 1
        pos = start
        if line == last_line:
            continue
        found.append((line, start - line_start + 1, match.group()))
        last_line = line
        if len(found) == limit:
            break
    return found
