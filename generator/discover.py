"""Stage 1, discover: find every content file of every declared type and read it.

Where a type's files live comes from its declaration (``folder``, ``single_file``, ``suffix``);
a folder named ``{field}`` holds one subfolder per value of that reference field (courses by
module). Files that are misnamed, misplaced or unreadable become located problems here; the
files read are handed on as located documents (``RawDocument``) to ``check_fields``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import dictionary, markdown_policy, schema
from .check_fields import did_you_mean
from .load import RawDocument, load_file
from .problems import Location, Problem, relative
from .schema import ContentType


@dataclass
class Loaded:
    """A file read without syntax errors, and whether its own fields passed ``check_fields``."""

    type: ContentType
    doc: RawDocument
    ok: bool  # no problems inside this file
    identity_ok: bool = True  # its id is valid and matches the file name


@dataclass(frozen=True)
class Found:
    """A content file read into a located document, not yet checked."""

    type: ContentType
    doc: RawDocument
    path: Path
    checked: Any = None  # the file's own check (check_fields.check_document) when already known


# Reads one content file: (document or None, its problems, its own check if the reader made it).
Reader = Callable[[ContentType, Path, str], tuple[RawDocument | None, list[Problem], Any]]


def read_document(ctype: ContentType, path: Path, rel: str) -> tuple[RawDocument | None, list[Problem]]:
    """A content file of a type as a located document (YAML, or Markdown with front matter)."""
    return load_file(path, rel, list if ctype.is_list else dict, ctype.front_matter)


# Ids of files that exist but could not be read or have a bad id, by type: references to them
# are not reported again (one error per mistake). "*": the type's whole file is unreadable.
Broken = dict[str, set[str]]

# Files a folder of content may hold that are not content: notes for editors, system files.
IGNORED_NAMES = frozenset({"README.md", ".gitkeep", ".DS_Store"})


def content_files(root: Path, ctype: ContentType) -> Iterator[tuple[Path, str]]:
    """Yield (path, folder) for each file of a type; the folder only for per-folder types (courses)."""
    if ctype.single_file:
        yield root / ctype.single_file, ""
        return
    if ctype.folder_field is not None:
        base = root / ctype.folder.partition("/{")[0]
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


def _content_folder_entries() -> dict[str, str]:
    """What content/ may hold at its top level, derived from the content types: name → what it is."""
    known = {markdown_policy.IMAGE_FOLDER.split("/")[-1]: "图片", dictionary.USERDICT.split("/")[-1]: "搜索词典"}
    for ctype in schema.CONTENT_TYPES.values():
        where = ctype.single_file or ctype.folder
        parts = where.split("/")
        if parts[0] == "content" and len(parts) > 1:
            known[parts[1]] = ctype.label
    return known


def check_content_folder(root: Path) -> list[Problem]:
    """Files and folders in content/ that nothing reads: misnamed, so silently missing otherwise."""
    problems: list[Problem] = []
    folder = root / "content"
    if not folder.is_dir():
        return problems
    known = _content_folder_entries()
    for path in sorted(folder.iterdir()):
        if path.name in known or path.name in IGNORED_NAMES:
            continue
        hint = did_you_mean(path.name, sorted(known)) or "content/ 里只能有：" + "、".join(sorted(known))
        message = f"不认识的{'文件夹' if path.is_dir() else '文件'}“{path.name}”，它不会被读取"
        problems.append(Problem(Location(relative(path, root)), message, hint))
    return problems


def _misplaced(ctype: ContentType, path: Path, folder: str, rel: str) -> Problem | None:
    """Why a file of a type's folder is not read as one of its items (None: it is)."""
    if path.name.startswith("."):
        hint = f"文件名应为“<编号>{ctype.suffix}”；不要的文件请删除"
        return Problem(Location(rel), f"以“.”开头的文件“{path.name}”不会被读取", hint)
    if ctype.single_file and not path.exists():
        return Problem(Location(rel), f"缺少文件 {rel}（{ctype.label}）")
    if not path.is_file():
        return Problem(Location(rel), "这里只能放普通文件（不能是文件夹或链接）")
    if path.suffix != ctype.suffix:
        return Problem(Location(rel), f"不认识的文件类型“{path.name}”", f"扩展名请用 {ctype.suffix}")
    folder_field = ctype.folder_field
    if folder_field is not None and not folder:
        target = schema.CONTENT_TYPES[folder_field.ref].noun
        where = ctype.where.rpartition("/")[0]
        return Problem(Location(rel), f"{ctype.label}文件必须放在{target}文件夹里", f"放到 {where}/ 里")
    return None


def find_documents(root: Path, problems: list[Problem], broken: Broken, read: Reader | None = None) -> list[Found]:
    """Every content file read into a located document, in the order of the declaration
    (``read``: how a file is read, by default ``read_document``)."""
    found: list[Found] = []
    for ctype in schema.CONTENT_TYPES.values():
        for path, folder in content_files(root, ctype):
            rel = relative(path, root)
            if path.name in IGNORED_NAMES:
                continue
            if path.is_symlink() and not path.name.startswith("."):
                # Reported once by publish.symlinks, and never read: a link may point anywhere.
                # A whole-type file (tags.yml) behind a link: references to its ids are not reported.
                broken.setdefault(ctype.name, set()).add("*" if ctype.single_file else path.stem)
                continue
            if ctype.single_file and ctype.optional_file and not path.exists():
                continue
            problem = _misplaced(ctype, path, folder, rel)
            if problem is not None:
                problems.append(problem)
                continue
            checked = None
            if read is None:
                doc, file_problems = read_document(ctype, path, rel)
            else:
                doc, file_problems, checked = read(ctype, path, rel)
            problems.extend(file_problems)
            if doc is None:
                broken.setdefault(ctype.name, set()).add(path.stem)
                continue
            found.append(Found(ctype, doc, path, checked))
    return found
