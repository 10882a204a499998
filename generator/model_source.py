"""The model classes, derived from the declaration in ``schema``.

One frozen class per content type and per named object field (``Place``, ``Source``, …), and
the catalogue's content, one attribute per type. The built-in types' classes are written out as
source (``entities.py``, by ``catalog schema --write``), so mypy checks every attribute the pages
read; a test fails when that file is stale. Types a project adds with ``schema.register`` get
the same classes built at run time by ``runtime_classes`` (nothing can type-check them anyway).

Why generated source and not classes made at import time: typed access. ``course.titel`` is a
mypy error with a module of real classes; with classes made by ``make_dataclass`` it is ``Any``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import entity_methods, schema
from .schema import ContentType, DeclarationError, Field

_PYTHON = {
    "id": "str",
    "text": "str",
    "markdown": "str",
    "date": "str",
    "url": "str",
    "enum": "str",
    "ref": "str",
    "int": "int",
    "number": "float",
    "bool": "bool",
}
# The value of an optional field left out, by annotation: the same the pages test for.
EMPTY: dict[str, Any] = {"str": "", "int": 0, "float": 0, "bool": False}


@dataclass(frozen=True)
class Attribute:
    name: str
    annotation: str
    optional: bool  # absent from the file (or from one declaration of a shared class): empty
    declared_default: float | None = None  # the field's own default, instead of the empty value

    def default(self) -> Any:
        """The empty value of an optional attribute (``dataclasses.MISSING`` when required)."""
        if not self.optional:
            return dataclasses.MISSING
        if self.declared_default is not None:
            return self.declared_default
        if self.annotation.startswith("tuple["):
            return ()
        return EMPTY.get(self.annotation, dataclasses.MISSING)


@dataclass
class Shape:
    """One model class: its name, attributes in declaration order and behaviour."""

    name: str
    doc: str
    attributes: list[Attribute]
    methods: str = ""


def annotation(f: Field) -> str:
    """The Python type of a field's value in the model."""
    if f.kind == "list":
        assert f.item is not None, f.name
        return f"tuple[{annotation(f.item)}, ...]"
    if f.kind == "object":
        if not f.model:
            raise DeclarationError(f"object field {f.name!r} needs a model class name")
        return f.model
    return _PYTHON[f.kind]


def _merge(shapes: dict[str, Shape], new: Shape) -> None:
    """Add a class; two object fields naming one class share it, with the union of attributes."""
    old = shapes.get(new.name)
    if old is None:
        shapes[new.name] = new
        return
    names = {a.name for a in new.attributes}
    merged = {a.name: a if a.name in names else dataclasses.replace(a, optional=True) for a in old.attributes}
    for a in new.attributes:
        before = merged.get(a.name)
        if before is not None and before.annotation != a.annotation:
            raise DeclarationError(f"{new.name}.{a.name} is declared as {before.annotation} and {a.annotation}")
        optional = a.optional or before is None or before.optional
        merged[a.name] = dataclasses.replace(a, optional=optional)
    for a in merged.values():
        if a.optional and a.default() is dataclasses.MISSING:
            raise DeclarationError(f"{new.name}.{a.name}: an object that may be missing needs all its fields")
    old.attributes = list(merged.values())
    old.methods = old.methods or new.methods


def _attributes(fields: Iterable[Field]) -> list[Attribute]:
    out = []
    for f in fields:
        out.append(Attribute(f.name, annotation(f), optional=not f.required, declared_default=f.default))
    return out


def _nested(fields: Iterable[Field], shapes: dict[str, Shape]) -> None:
    for f in fields:
        inner = f.item if f.kind == "list" and f.item is not None else f
        if inner.kind == "object":
            _nested(inner.fields, shapes)
            _merge(shapes, Shape(annotation(inner), f"{inner.label}。", _attributes(inner.fields), inner.methods))


def shapes(types: Iterable[ContentType]) -> list[Shape]:
    """Every model class the types need, object fields first, then one per type."""
    found: dict[str, Shape] = {}
    for t in types:
        if t.is_list:
            entry = t.entry
            if entry.kind != "object":
                continue  # entries are plain values (``synonyms.yml``: lists of words)
            _nested(entry.fields, found)
            attributes = _attributes(entry.fields)
            if t.has_ids:  # entries known by id are located, to point at them; plain entries are not
                attributes.append(Attribute("location", "Location", False))
            name = entry.model or t.model
            _merge(found, Shape(name, f"{t.label}：{t.single_file} 的一项。", attributes, t.methods or entry.methods))
            continue
        _nested(t.fields, found)
        attributes = _attributes(t.fields)
        if t.front_matter:
            attributes.append(Attribute("body", "str", False))  # the Markdown after the front matter
        attributes.append(Attribute("location", "Location", False))
        _merge(found, Shape(t.model, f"{t.label}：{t.where}。", attributes, t.methods))
    return list(found.values())


def collection_annotation(t: ContentType) -> str:
    """How the catalogue holds a type's items: one object, a table by id or a tuple of entries."""
    if t.is_list:
        return f"dict[str, {t.model}]" if t.has_ids else f"tuple[{annotation(t.entry)}, ...]"
    return t.model if t.single_file else f"dict[str, {t.model}]"


def source(types: Iterable[ContentType] = schema.BUILTIN_TYPES) -> str:
    """The text of ``entities.py``."""
    types = tuple(types)
    found = shapes(types)
    methods = sorted({s.methods for s in found if s.methods})
    lines = [
        '"""The model classes, generated from the declaration in ``schema.py``: do not edit.',
        "",
        "Run ``catalog schema --write`` after changing ``schema.py``; a test fails while this file is stale.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "",
    ]
    if methods:
        lines.append(f"from .entity_methods import {', '.join(methods)}")
    lines += ["from .problems import Location", ""]
    for shape in found:
        base = f"({shape.methods})" if shape.methods else ""
        lines += ["", "@dataclass(frozen=True, kw_only=True)", f"class {shape.name}{base}:"]
        lines += [f'    """{shape.doc}"""', ""]
        lines += [f"    {a.name}: {a.annotation}{_default_text(a)}" for a in shape.attributes]
        lines.append("")
    lines += [
        "",
        "@dataclass(frozen=True, kw_only=True)",
        "class CatalogContent:",
        '    """Every item of every content type, by type: the attributes are the types\' collections."""',
        "",
    ]
    for t in types:
        default = " = ()" if t.is_list and not t.has_ids and t.optional_file else ""
        lines.append(f"    {t.collection}: {collection_annotation(t)}{default}")
    return "\n".join(lines) + "\n"


def _default_text(a: Attribute) -> str:
    value = a.default()
    if value is dataclasses.MISSING:
        return ""
    return f" = {json.dumps(value)}" if isinstance(value, str) else f" = {value!r}"


@functools.cache
def runtime_classes(types: tuple[ContentType, ...]) -> dict[str, type]:
    """Model classes for types added with ``schema.register``, made like the generated ones.

    A class the built-in model already has (``Source``, ``Place``) is that class, so an added
    type's citations and places work wherever the built-in ones do.
    """
    from . import entities

    out: dict[str, type] = {}
    for shape in shapes(types):
        existing = getattr(entities, shape.name, None)
        if isinstance(existing, type):
            out[shape.name] = existing
            continue
        specs = [(a.name, a.annotation, dataclasses.field(default=a.default())) for a in shape.attributes]
        bases = (getattr(entity_methods, shape.methods),) if shape.methods else ()
        out[shape.name] = dataclasses.make_dataclass(shape.name, specs, bases=bases, frozen=True, kw_only=True)
    return out
