"""Problems found in content: one located, Chinese message per mistake."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .characters import FORBIDDEN_OR_BREAK


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file: path relative to the project root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the content, with where it is and, where it helps, how to fix it."""

    location: Location
    message: str
    hint: str = ""

    def text(self) -> str:
        # One line per problem, whatever a file name or a quoted value holds: see ``visible``.
        hint = f"（{self.hint}）" if self.hint else ""
        return visible(f"{self.location}: {self.message}{hint}")

    def github(self, command: str = "error") -> str:
        """A GitHub workflow command (``::error file=…::message``), escaped by GitHub's rules.

        The message escapes %, CR and LF; properties also ``:`` and ``,``. So no file name or text
        from content can end the command early or start another one on a new line.
        """
        loc = self.location
        hint = f"（{self.hint}）" if self.hint else ""
        body = _escape_data(f"{self.message}{hint}")
        return f"::{command} file={_escape_property(loc.path)},line={loc.line},col={loc.column}::{body}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def visible(text: str) -> str:
    """Control and invisible characters written as escapes (``\\n``, ``\\u202e``), so a value quoted
    in a message can neither break the line nor reorder what the editor sees."""
    return FORBIDDEN_OR_BREAK.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def format_problems(problems: Iterable[Problem], style: str = "text", warning: bool = False) -> str:
    """One line per problem; ``warning`` marks them as warnings (they do not stop a preview)."""
    ordered = sorted(problems)
    if style == "github":
        lines = [p.github("warning" if warning else "error") for p in ordered]
    else:
        lines = [("警告：" if warning else "") + p.text() for p in ordered]
    return "\n".join(lines)


def summary(problems: list[Problem]) -> str:
    files = {p.location.path for p in problems}
    return f"发现 {len(problems)} 处错误，涉及 {len(files)} 个文件。"


def relative(path: Path, root: Path) -> str:
    """Show a path relative to the project root, with forward slashes, as editors see it."""
    # Not resolve(): a symlink must be named where it is, not where it points.
    try:
        return Path(os.path.abspath(path)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
