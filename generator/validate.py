"""Content to the linked model, collecting every problem instead of stopping at the first.

``load_catalog(root)`` runs the stages, each in its own module, named for what it does:

1. ``discover``: find the files of every declared type and read them (YAML with line marks);
2. ``check_fields``: each file's values against its declaration in ``schema``;
3. ``check_references``: references, unique ids and the rules that need other files;
4. ``build_model``: the checked files to frozen model objects, linked both ways.

Drafts and placeholders (what may be previewed but not published) are decided here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import check_references, dictionary, extensions, load, model, publish, schema
from .build_model import build_catalog
from .check_fields import check_document, field_name
from .check_references import walk_refs
from .discover import Broken, Loaded, check_content_folder, find_documents
from .load import FieldPath, RawDocument
from .problems import Location, Problem


def _load_all(root: Path, problems: list[Problem], broken: Broken) -> list[Loaded]:
    """Stages 1 and 2: every file found, read and checked on its own."""
    loaded: list[Loaded] = []
    images = _images_state(root) if load.keeping_parsed() else None
    seen = set()
    for found in find_documents(root, problems, broken):
        ctype, doc = found.type, found.doc
        key = (id(doc), images)
        seen.add(key)
        if key in _checked and _checked[key][0] is doc:
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
    return loaded


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
    problems: list[Problem] = []
    broken: Broken = {}
    problems.extend(extensions.use_project_types(root))  # first: the project's own types
    problems.extend(publish.symlinks(root))
    problems.extend(publish.images(root)[1])
    loaded = _load_all(root, problems, broken)
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
    state: dict[str, Any] = {}
    if not published:
        state = {
            "draft_files": frozenset(item.doc.path for item in drafts),
            "warnings": tuple(sorted(set(warnings))),
        }
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
