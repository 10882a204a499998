"""Documents derived from the model definition: committed copies must not be stale."""

from __future__ import annotations

import json

from generator import reference, schema

from .conftest import REPO


def test_committed_json_schemas_are_up_to_date() -> None:
    generated = reference.json_schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    assert committed == generated, "run `catalog schema --write` and commit schemas/"


def test_contributing_field_reference_is_up_to_date() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert reference.contributing_with_reference(text) == text, "run `catalog schema --write`"


def test_every_content_type_is_wired_to_its_schema_in_vscode() -> None:
    text = (REPO / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert reference.editor_settings(text) == text, "run `catalog schema --write`"
    wired = json.loads(text)["yaml.schemas"]
    assert wired["./schemas/course.schema.json"] == "content/courses/*/*.yml"
    assert wired["./schemas/tag.schema.json"] == "content/tags.yml"


def test_course_schema_mirrors_the_model() -> None:
    course = json.loads(reference.json_schemas()["course.schema.json"])
    assert course["additionalProperties"] is False
    assert set(course["properties"]) == {f.name for f in schema.COURSE.fields}
    assert course["properties"]["level"]["enum"] == list(schema.LEVELS)
    assert course["properties"]["lessons"]["minItems"] == 4
    assert "prerequisites" not in course["required"] and "title" in course["required"]


def test_committed_model_classes_are_up_to_date() -> None:
    """generator/entities.py is generated from the declaration: the committed copy must match it."""
    from generator import model_source

    committed = (REPO / "generator" / "entities.py").read_text(encoding="utf-8")
    assert committed == model_source.source(), "run `catalog schema --write` and commit generator/entities.py"


def test_every_limit_is_in_the_json_schemas() -> None:
    """The id length limit of ``schema`` reaches every id and reference of every JSON Schema."""
    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("pattern") == schema.ID_PATTERN:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for text in reference.json_schemas().values():
        walk(json.loads(text))
    assert len(found) > 10
    assert all(node["maxLength"] == schema.MAX_ID_LENGTH for node in found)


def test_help_texts_do_not_restate_a_limit() -> None:
    """Limits are written into help by ``describe_limits``; a number in a help text could contradict them."""
    import re

    def fields(items: tuple[schema.Field, ...]) -> list[schema.Field]:
        out = []
        for f in items:
            out.append(f)
            out += fields(f.fields)
            if f.item is not None:
                out += fields((f.item,))
        return out

    for ctype in schema.CONTENT_TYPES.values():
        for f in fields(ctype.fields):
            for limit in (f.min, f.max):
                if limit is not None:
                    assert not re.search(rf"(?<![\d.]){limit:g}(?![\d.])", f.help), (ctype.name, f.name, f.help)


def test_the_limits_contributing_states_are_the_ones_enforced() -> None:
    """Prose for editors repeats a few limits; each must be the value the checks use."""
    from generator import dictionary, load, publish

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"内容文件最大 {load.MAX_FILE_BYTES // 1000} KB" in text
    assert f"搜索词典最大 {dictionary.MAX_FILE_BYTES // 1000} KB" in text
    assert f"每张不超过 {publish.MAX_IMAGE_BYTES // 1_000_000} MB" in text
