"""Content to the linked model, collecting every problem instead of stopping at the first.

``load_catalog(root)`` runs the stages, each in its own module, named for what it does:

1. ``discover``: find the files of every declared type and read them (YAML with line marks);
2. ``check_fields``: each file's values against its declaration in ``schema``;
3. ``check_references``: references, unique ids and the rules that need other files;
4. ``build_model``: the checked files to frozen model objects, linked both ways.

Drafts and placeholders (what may be previewed but not published) are decided here.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from . import cache, check_references, dictionary, extensions, load, model, publish, schema
from .build_model import build_catalog
from .check_fields import check_document, field_name
from .check_references import walk_refs
from .discover import Broken, Loaded, check_content_folder, find_documents, read_document
from .load import FieldPath, RawDocument
from .problems import Location, Problem


def _load_all(root: Path, problems: list[Problem], broken: Broken, inputs: dict[str, str]) -> list[Loaded]:
    """Stages 1 and 2: every file found, read and checked on its own.

    A file's document and its own problems depend only on its bytes, its place and the images
    (Markdown may point at one): outside ``catalog serve`` they come from the cache when those
    are unchanged (``inputs``: a hash of each file under the content folders).
    """
    loaded: list[Loaded] = []
    images = _images_state(root) if load.keeping_parsed() else None
    seen = set()
    reader = None
    if not load.keeping_parsed():
        reader = _FileCache(root, inputs)
    for found in find_documents(root, problems, broken, reader):
        ctype, doc = found.type, found.doc
        key = (id(doc), images)
        seen.add(key)
        if found.checked is not None:
            own, identity_ok, bad_ids = found.checked
        elif key in _checked and _checked[key][0] is doc:
            _, own, identity_ok, bad_ids = _checked[key]  # the same document as the last load
        else:
            own, identity_ok, bad_ids = check_document(ctype, doc, found.path, root)
            if load.keeping_parsed():
                _checked[key] = (doc, own, identity_ok, bad_ids)
        problems.extend(own)
        if bad_ids:
            # Reported with the file; references to them are not reported again.
            broken.setdefault(ctype.name, set()).update(bad_ids)
        if not identity_ok:
            broken.setdefault(ctype.name, set()).add(found.path.stem)
        loaded.append(Loaded(ctype, doc, ok=not own, identity_ok=identity_ok))
    for key in set(_checked) - seen:
        del _checked[key]
    if reader is not None:
        reader.store.prune(keep=2 * max(len(inputs), 100))
    return loaded


class _FileCache:
    """Reads a content file and checks its own fields, or takes both from the cache."""

    def __init__(self, root: Path, inputs: dict[str, str]) -> None:
        self.root, self.inputs = root, inputs
        self.store = cache.Store(root, "files")
        images = sorted((rel, h) for rel, h in inputs.items() if rel.startswith(_IMAGES_PREFIX))
        self.images = repr(images)

    def __call__(self, ctype: schema.ContentType, path: Path, rel: str) -> tuple[Any, list[Problem], Any]:
        own = self.inputs.get(rel)
        if own is None:  # not seen by the walk (it changed meanwhile): read it, keep nothing
            return _read_and_check(ctype, path, rel, self.root)
        key = self.store.key(ctype.name, rel, own, self.images)
        value: tuple[Any, list[Problem], Any] = self.store.get(
            key, lambda: _read_and_check(ctype, path, rel, self.root)
        )
        return value


def _read_and_check(ctype: schema.ContentType, path: Path, rel: str, root: Path) -> tuple[Any, list[Problem], Any]:
    doc, problems = read_document(ctype, path, rel)
    return doc, problems, check_document(ctype, doc, path, root) if doc is not None else None


_IMAGES_PREFIX = "content/images/"


def input_hashes(root: Path) -> dict[str, str]:
    """Every entry under the content folders and the project's type declarations: a hash of each
    file's bytes, the target of each link, ``dir`` for each folder. What a catalogue is made of."""
    out: dict[str, str] = {}

    def file_hash(path: Path) -> str:
        try:
            with path.open("rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as error:
            return f"error {error.errno}"

    types_file = root / extensions.TYPES_FILE
    if types_file.is_file():
        out[extensions.TYPES_FILE] = file_hash(types_file)
    for name in publish.CONTENT_FOLDERS:
        top = root / name
        if top.is_symlink():
            out[name] = "link " + os.readlink(top)
            continue
        for folder, dirs, files in os.walk(top):  # does not follow links to folders
            base = Path(folder)
            rel_base = base.relative_to(root).as_posix()
            out[rel_base] = "dir"
            for entry in dirs + files:
                path = base / entry
                rel = f"{rel_base}/{entry}"
                try:
                    mode = path.lstat().st_mode
                except OSError as error:
                    out[rel] = f"error {error.errno}"
                    continue
                if stat.S_ISLNK(mode):
                    out[rel] = "link " + os.readlink(path)
                elif stat.S_ISREG(mode):
                    out[rel] = file_hash(path)
                elif not stat.S_ISDIR(mode):
                    out[rel] = f"special {mode:o}"  # a pipe or a device: never opened (it could block)
            dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
    return out


# While ``load.keep_parsed`` is on (``catalog serve``), loading returns the same document object
# for an unchanged file; its own checks are then not run again. Keyed by the document and the
# state of content/images (Markdown may point at images).
_checked: dict[tuple[int, Any], tuple[RawDocument, list[Problem], bool, frozenset[str]]] = {}


def _images_state(root: Path) -> tuple[tuple[str, int], ...]:
    folder = root / "content" / "images"
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*")))


def load_catalog(root: Path, published: bool = False) -> tuple[model.Catalog | None, list[Problem]]:
    """Load and validate the whole content tree under ``root``; the catalog only if no problems.

    ``published`` is the public build: drafts are left out, and what only warns in a preview
    (placeholders, published content that links a draft) is a problem.
    """
    type_problems = extensions.use_project_types(root)  # first: the project's own types
    inputs = input_hashes(root)
    # The whole result, by a hash of every input: a build where no file changed checks nothing.
    # Under ``catalog serve`` it is only read: a save there is kept by serve's own caches.
    store = cache.Store(root, "catalog")
    key = store.key(repr(sorted(inputs.items())), "published" if published else "preview")
    result: tuple[model.Catalog | None, list[Problem]] = store.get(
        key, lambda: _load_catalog(root, published, type_problems, inputs, key), keep=not load.keeping_parsed()
    )
    store.prune(keep=4)
    return result


def _load_catalog(
    root: Path, published: bool, type_problems: list[Problem], inputs: dict[str, str], key: str
) -> tuple[model.Catalog | None, list[Problem]]:
    problems: list[Problem] = list(type_problems)
    broken: Broken = {}
    problems.extend(publish.symlinks(root))
    problems.extend(publish.images(root)[1])
    loaded = _load_all(root, problems, broken, inputs)
    problems.extend(dictionary.read(root)[1])
    problems.extend(check_content_folder(root))
    ids = check_references.index_ids(loaded, problems)
    check_references.check_references(loaded, ids, broken, problems)
    drafts = [item for item in loaded if _is_draft(item)]
    if published:
        loaded = [item for item in loaded if not _is_draft(item)]
    warnings = _placeholders(loaded) + _links_to_drafts(loaded, drafts)
    if published:
        problems += warnings
    courses = {cid: item for cid, item in ids["course"].items() if item.ok}
    before = len(problems)
    check_references.check_prerequisites(courses, problems)
    if len(problems) == before:  # a broken prerequisite graph would only repeat itself here
        check_references.check_path_order({k: v for k, v in ids["path"].items() if v.ok}, courses, problems)
    check_references.check_unique_titles(courses, problems)
    check_references.check_folders(ids, problems)
    if problems:
        return None, sorted(set(problems))
    state: dict[str, Any] = {"inputs": key}
    if not published:
        state["draft_files"] = frozenset(item.doc.path for item in drafts)
        state["warnings"] = tuple(sorted(set(warnings)))
    return build_catalog(loaded, **state), []


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
            for ref_field, value, path in walk_refs(f, item.doc.data.get(f.name), (f.name,)):
                if (ref_field.ref, value) in draft_ids:
                    label = schema.CONTENT_TYPES[ref_field.ref].label
                    message = f"{field_name(path, ref_field)}引用的{label}“{value}”还是草稿，正式发布时不会生成"
                    found.append(
                        Problem(item.doc.loc(*path), message, "先发布它（去掉 status: draft），或去掉这个引用")
                    )
    return found
