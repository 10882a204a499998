"""The model classes follow from the declaration: shapes, defaults, shared classes, refusals."""

from __future__ import annotations

import dataclasses

import pytest

from generator import entities, model_source, schema
from generator.schema import ContentType, DeclarationError, Field
from generator.validate import load_catalog

from .conftest import Writer


def test_object_fields_naming_one_class_share_it_with_the_union_of_their_fields() -> None:
    # The programme's figures have an "as of" date, a case's do not: one class, the date optional.
    fields = {f.name: f for f in dataclasses.fields(entities.Figure)}
    assert list(fields) == ["value", "label", "as_of"]
    assert fields["as_of"].default == "" and fields["value"].default is dataclasses.MISSING


def test_optional_fields_default_to_their_declared_or_empty_value() -> None:
    assert entities.Synonym(words=("抖音",), finds=("短视频",)).weight == 0.6  # declared in schema
    assert entities.Place() == entities.Place(province="", city="", county="")
    assert str(entities.Place(province="贵州省", county="赫章县")) == "贵州省赫章县"


def test_values_become_what_the_declaration_says(project: Writer) -> None:
    # A text written as a number is text; an optional object left out is empty; a list is a tuple.
    session = (
        "id: first\ntitle: 2021\nsources:\n  - {publication: 某报, title: 某文, date: 2021-09, url: https://a.b/c}\n"
    )
    catalog, problems = load_catalog(project({"content/sessions/first.yml": session}))
    assert problems == [] and catalog is not None
    first = catalog.sessions["first"]
    assert first.title == "2021" and first.place == entities.Place() and first.results == ()
    assert isinstance(first.sources, tuple) and first.sources[0].note == ""


def test_added_types_reuse_the_built_in_classes_of_shared_shapes() -> None:
    source_field = schema.CASE.field("source")
    assert source_field is not None
    cited = ContentType(
        "bulletin",
        "简报",
        "content/bulletins",
        ".yml",
        fields=(
            schema.id_field(),
            Field("title", "text", "标题", ""),
            source_field,
        ),
        model="Bulletin",
        collection="bulletins",
    )
    classes = model_source.runtime_classes((cited,))
    assert classes["Source"] is entities.Source
    bulletin = classes["Bulletin"](
        id="a", title="t", source=entities.Source(publication="p", title="t", date="2021", url="u"), location=None
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        bulletin.title = "x"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": "course"}, "declared already"),
        ({"model": "Course"}, "of its own"),
        ({"collection": ""}, "of its own"),
        ({"item_pages": False}, "needs item_pages"),
        ({"templates": ""}, "needs item_pages"),
    ],
)
def test_register_refuses_a_type_that_cannot_work(change: dict[str, object], error: str) -> None:
    fields = (schema.id_field(), Field("title", "text", "标题", ""))
    declared: dict[str, object] = {
        "name": "memo",
        "label": "备忘",
        "folder": "content/memos",
        "suffix": ".yml",
        "fields": fields,
        "model": "Memo",
        "collection": "memos",
        "item_pages": True,
        "templates": "templates",
    }
    with pytest.raises(DeclarationError, match=error):
        schema.register(ContentType(**{**declared, **change}))  # type: ignore[arg-type]
    assert "memo" not in schema.CONTENT_TYPES
