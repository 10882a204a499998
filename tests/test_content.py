"""The bundled catalogue: size, shape and variety rules of the full course list."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from generator import schema
from generator.model import Catalog, Course
from generator.validate import cjk_count, load_catalog

from .conftest import REPO

NEAR_DUPLICATE = 0.5  # character 5-gram Jaccard similarity


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, problems = load_catalog(REPO)
    assert problems == []
    assert loaded is not None
    return loaded


def grams(text: str, n: int = 5) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def lesson_text(course: Course) -> str:
    return "".join(lesson.title + lesson.summary for lesson in course.lessons)


def test_catalogue_size_and_module_shares(catalog: Catalog) -> None:
    per_module = Counter(c.module for c in catalog.courses.values())
    assert 190 <= len(catalog.courses) <= 230
    assert len(catalog.modules) == 7
    assert min(per_module[m] for m in catalog.modules) >= 15
    # Agricultural e-commerce operations is the largest module.
    assert per_module.most_common(1)[0][0] == "agri-ecommerce"
    assert per_module["agri-ecommerce"] > max(n for m, n in per_module.items() if m != "agri-ecommerce")


def test_every_course_has_the_required_shape(catalog: Catalog) -> None:
    wrong = []
    for c in catalog.courses.values():
        checks = {
            "summary is one sentence": len(re.findall(r"[。！？]", c.summary.rstrip("。！？"))) == 0,
            "description 150-400 chars": 150 <= cjk_count(c.description) <= 400,
            "4-8 lessons": 4 <= len(c.lessons) <= 8,
            "3-5 outcomes": 3 <= len(c.outcomes) <= 5,
            ">= 2 tags": len(c.tags) >= 2,
            "audience": bool(c.audience) and set(c.audience) <= set(schema.AUDIENCES),
            "hours": 0.5 <= c.hours <= 40,
        }
        wrong += [f"{c.id}: {name}" for name, ok in checks.items() if not ok]
    assert wrong == []


def test_tags_come_from_the_vocabulary_and_each_has_a_meaning(catalog: Catalog) -> None:
    used = {t for c in catalog.courses.values() for t in c.tags}
    assert used <= set(catalog.tags)
    assert all(t.name and t.meaning for t in catalog.tags.values())


def test_no_repeated_title(catalog: Catalog) -> None:
    titles = Counter(c.title for c in catalog.courses.values())
    assert [t for t, n in titles.items() if n > 1] == []


def test_no_near_duplicate_descriptions_or_lesson_lists(catalog: Catalog) -> None:
    courses = sorted(catalog.courses.values(), key=lambda c: c.id)
    desc = {c.id: grams(c.description) for c in courses}
    less = {c.id: grams(lesson_text(c)) for c in courses}
    pairs = []
    for a, b in itertools.combinations(courses, 2):
        for name, table in (("description", desc), ("lessons", less)):
            score = jaccard(table[a.id], table[b.id])
            if score > NEAR_DUPLICATE:
                pairs.append(f"{a.id} ~ {b.id}: {name} {score:.2f}")
    assert pairs == []


def test_the_near_duplicate_rule_catches_words_swapped() -> None:
    text = "本课以核桃为例，讲清楚从挑选产品、拍摄图片、撰写标题到发出第一单的全过程，课后学员带走一份清单。"
    swapped = text.replace("核桃", "板栗").replace("清单", "表格")
    assert jaccard(grams(text), grams(swapped)) > NEAR_DUPLICATE


def test_instructors_are_example_personas_teaching_two_or_more(catalog: Catalog) -> None:
    assert 20 <= len(catalog.instructors) <= 40
    assert all(i.persona for i in catalog.instructors.values())
    load = {i: len(catalog.courses_by_instructor.get(i, ())) for i in catalog.instructors}
    assert min(load.values()) >= 2, load


def test_a_learning_path_for_each_audience(catalog: Catalog) -> None:
    assert {p.audience for p in catalog.paths.values()} == set(schema.AUDIENCES)
    for p in catalog.paths.values():
        ids = [s.course for s in p.steps]
        assert 6 <= len(ids) <= 12 and len(set(ids)) == len(ids), p.id
        assert all(s.why for s in p.steps)


def test_every_level_is_used_in_every_module(catalog: Catalog) -> None:
    levels = {(c.module, c.level) for c in catalog.courses.values()}
    assert all((m, lv) in levels for m in catalog.modules for lv in schema.LEVELS)
