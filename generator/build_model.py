"""Stage 4, build the model: checked documents to frozen model objects, then the reverse links.

Nothing here names a content type or a field: each value is converted by its field's kind in
``schema`` into the class ``model_source`` derives from the same declaration. Only documents
that passed every check get here, so the conversion cannot fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import entities, model, model_source, schema
from .discover import Loaded
from .schema import ContentType, Field


def _classes() -> dict[str, type]:
    """The model classes of every declared type: generated ones, and those of added types."""
    added = schema.added_types()
    generated = {name: cls for name, cls in vars(entities).items() if isinstance(cls, type)}
    return {**model_source.runtime_classes(added), **generated}


def _empty(f: Field, classes: dict[str, type]) -> Any:
    """The value of an optional field left out (or written empty)."""
    if f.kind == "list":
        return ()
    if f.kind == "object":
        return classes[f.model](**{sub.name: _empty(sub, classes) for sub in f.fields})
    if f.default is not None:
        return f.default
    return model_source.EMPTY[model_source.annotation(f)]


def value(f: Field, raw: Any, classes: dict[str, type]) -> Any:
    """A checked value of a field as the model holds it."""
    if raw is None or raw == "" or raw == []:
        return _empty(f, classes)
    if f.kind == "text":
        return str(raw)  # a text field may be written as a number: "2021" without quotes
    if f.kind == "list":
        assert f.item is not None
        return tuple(value(f.item, item, classes) for item in raw)
    if f.kind == "object":
        return classes[f.model](**{sub.name: value(sub, raw.get(sub.name), classes) for sub in f.fields})
    return raw


def build(ctype: ContentType, item: Loaded, classes: dict[str, type]) -> Any:
    """One file's model object (for a list file, see ``build_entries``)."""
    data = item.doc.data
    values = {f.name: value(f, data.get(f.name), classes) for f in ctype.fields}
    if ctype.front_matter:
        values["body"] = item.doc.body or ""
    return classes[ctype.model](**values, location=item.doc.loc())


def build_entries(ctype: ContentType, item: Loaded, classes: dict[str, type]) -> Any:
    """A list file's entries: a table by id (tags), or a tuple of plain values (synonyms)."""
    entry = ctype.entry
    if not ctype.has_ids:
        return tuple(value(entry, raw, classes) for raw in item.doc.data)
    table = {}
    for index, raw in enumerate(item.doc.data):
        values = {sub.name: value(sub, raw.get(sub.name), classes) for sub in entry.fields}
        obj = classes[ctype.model](**values, location=item.doc.loc(index))
        table[obj.id] = obj
    return table


def build_catalog(loaded: Iterable[Loaded], **state: Any) -> model.Catalog:
    """The catalogue of the checked files, every type in its collection, linked both ways.

    ``state`` holds what is not content (drafts and warnings of a preview build).
    """
    classes = _classes()
    collections: dict[str, Any] = {}
    for t in schema.CONTENT_TYPES.values():
        if not t.single_file:
            collections[t.name] = {}
    for item in loaded:
        t = item.type
        if t.is_list:
            collections[t.name] = build_entries(t, item, classes)
        elif t.single_file:
            collections[t.name] = build(t, item, classes)
        else:
            obj = build(t, item, classes)
            collections[t.name][obj.id] = obj
    builtin = {t.collection: collections.pop(t.name) for t in schema.BUILTIN_TYPES if t.name in collections}
    return link(model.Catalog(**builtin, added=collections, **state))


def link(catalog: model.Catalog) -> model.Catalog:
    """Fill the reverse links: module → courses, instructor → courses, course → cases, …"""

    def group(pairs: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
        out: dict[str, dict[str, None]] = {}  # dicts as ordered sets: linear however many share a key
        for key, member in pairs:
            out.setdefault(key, {})[member] = None
        return {k: tuple(v) for k, v in sorted(out.items())}

    courses = sorted(catalog.courses.values(), key=lambda c: (schema.LEVEL_RANK[c.level], c.id))
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
