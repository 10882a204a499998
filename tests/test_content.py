"""The bundled content: rules the validator cannot know about a single file.

The validator already enforces every field's type, length, count and reference (and the fixture
below asserts it finds no problem), so nothing here repeats those rules. These tests are about the
catalogue as a whole: its size and spread, near-twins, the topics trainees need, and that every
fact taken from a report is cited wherever a page shows it.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections import Counter
from typing import Any

import pytest

from generator import dictionary, schema
from generator.model import Case, Catalog, Course, Program, Session
from generator.pages import render_site
from generator.search_index import Tokenizer
from generator.validate import load_catalog

from .conftest import REPO

# Two courses whose title, summary and lesson titles weigh the same words this much (tf-idf
# cosine over the search's own word segmentation) teach the same thing under two names.
NEAR_DUPLICATE = 0.5


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, problems = load_catalog(REPO)
    assert problems == []
    assert loaded is not None
    return loaded


# --------------------------------------------------------------------------- size and spread


def test_catalogue_size_and_module_shares(catalog: Catalog) -> None:
    per_module = Counter(c.module for c in catalog.courses.values())
    assert 190 <= len(catalog.courses) <= 230
    assert len(catalog.modules) == 7
    assert min(per_module[m] for m in catalog.modules) >= 15
    # Agricultural e-commerce operations is the largest module.
    assert per_module.most_common(1)[0][0] == "agri-ecommerce"
    assert per_module["agri-ecommerce"] > max(n for m, n in per_module.items() if m != "agri-ecommerce")


def test_every_level_is_used_in_every_module(catalog: Catalog) -> None:
    levels = {(c.module, c.level) for c in catalog.courses.values()}
    assert all((m, lv) in levels for m in catalog.modules for lv in schema.LEVELS)


def test_a_course_summary_is_one_sentence(catalog: Catalog) -> None:
    several = [c.id for c in catalog.courses.values() if re.search(r"[。！？]", c.summary.rstrip("。！？"))]
    assert several == []


def test_every_lesson_has_a_summary(catalog: Catalog) -> None:
    missing = [
        f"{c.location.path}: {lesson.title}"
        for c in sorted(catalog.courses.values(), key=lambda c: c.id)
        for lesson in c.lessons
        if not lesson.summary.strip()
    ]
    assert missing == [], f"{len(missing)} lessons without a summary"


def test_instructors_are_example_personas_teaching_two_or_more(catalog: Catalog) -> None:
    assert 20 <= len(catalog.instructors) <= 40
    assert all(i.persona for i in catalog.instructors.values())
    load = {i: len(catalog.courses_by_instructor.get(i, ())) for i in catalog.instructors}
    assert min(load.values()) >= 2, load


def test_a_learning_path_for_each_audience(catalog: Catalog) -> None:
    assert {p.audience for p in catalog.paths.values()} == set(schema.AUDIENCES)


# --------------------------------------------------------------------------- near-twins


class TopicVectors:
    """tf-idf vectors of what a course is about: its title, summary and lesson titles."""

    def __init__(self, catalog: Catalog) -> None:
        entries, _ = dictionary.read(REPO)
        self.tokenizer = Tokenizer(entries, [t.name for t in catalog.tags.values()])
        terms = {c.id: Counter(self.terms(c)) for c in catalog.courses.values()}
        df = Counter(t for counts in terms.values() for t in counts)
        self.idf = {t: math.log(len(terms) / n) for t, n in df.items()}
        self.vectors = {cid: self.vector(counts) for cid, counts in terms.items()}

    def terms(self, course: Course) -> list[str]:
        text = " ".join([course.title, course.summary, *(lesson.title for lesson in course.lessons)])
        return self.tokenizer.terms(text)

    def vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {t: n * self.idf.get(t, 0.0) for t, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        return sum(w * b.get(t, 0.0) for t, w in a.items())


@pytest.fixture(scope="module")
def topics(catalog: Catalog) -> TopicVectors:
    return TopicVectors(catalog)


def pair_scores(catalog: Catalog, topics: TopicVectors) -> dict[tuple[str, str], float]:
    return {
        (a, b): topics.cosine(topics.vectors[a], topics.vectors[b])
        for a, b in itertools.combinations(sorted(catalog.courses), 2)
    }


def test_no_two_courses_teach_the_same_thing(catalog: Catalog, topics: TopicVectors) -> None:
    pairs = [f"{a} ~ {b}: {s:.2f}" for (a, b), s in pair_scores(catalog, topics).items() if s > NEAR_DUPLICATE]
    assert pairs == [], "near-twins: " + "; ".join(pairs)


def test_the_near_duplicate_rule_catches_a_course_retold_with_other_words(
    catalog: Catalog, topics: TopicVectors
) -> None:
    course = catalog.courses["online-store-setup"]
    text = " ".join([course.title, course.summary, *(lesson.title for lesson in course.lessons)])
    for old, new in {"网店": "店铺", "第一单": "头一单", "平台": "渠道"}.items():
        text = text.replace(old, new)
    twin = topics.vector(Counter(topics.tokenizer.terms(text)))
    assert topics.cosine(topics.vectors[course.id], twin) > NEAR_DUPLICATE
    # The threshold sits far out in the tail: 99 of 100 pairs of courses score under half of it.
    scores = sorted(pair_scores(catalog, topics).values())
    assert scores[len(scores) * 99 // 100] < NEAR_DUPLICATE / 2


# --------------------------------------------------------------------------- coverage

# What the programme's trainees need (issue 10), by an ASCII id for readable test names. Each
# topic is one or more groups of words; a course covers the topic when its title or summary holds
# a word of every group.
COVERAGE: dict[str, tuple[tuple[str, ...], ...]] = {
    "new-retail": (("新零售",),),
    "family-farm": (("家庭农场",),),
    "e-commerce-aid-policy": (("电商助农政策", "助农政策"),),
    "consumption-aid": (("消费帮扶",),),
    "rural-e-commerce-demonstration": (("电子商务进农村",),),
    "three-products-one-label": (("三品一标",),),
    "green-food": (("绿色食品",),),
    "organic": (("有机",),),
    "compliance-certificate": (("承诺达标合格证", "合格证"),),
    "invoice-and-tax": (("发票", "税"),),
    "e-commerce-law": (("电子商务法",),),
    "paid-traffic": (("投流",),),
    "creator-selling": (("达人",),),
    "affiliate-selling": (("分销", "佣金"),),
    "mini-program": (("小程序",),),
    "wechat-channels": (("视频号",),),
    "group-buying-supplier": (("社区团购",), ("供应商", "供货商")),
    "medicinal-herbs": (("中药材",),),
    "beef-and-mutton": (("牛羊",),),
    "aquatic-products": (("水产",),),
    "honey": (("蜂蜜",),),
    "minority-specialities": (("少数民族", "民族特色"),),
    "bilingual-service": (("双语",),),
}


def covers(course: Course, groups: tuple[tuple[str, ...], ...]) -> bool:
    text = course.title + course.summary
    return all(any(word in text for word in group) for group in groups)


@pytest.mark.parametrize("topic", list(COVERAGE))
def test_a_course_names_each_topic_trainees_need(catalog: Catalog, topic: str) -> None:
    found = [c.id for c in catalog.courses.values() if covers(c, COVERAGE[topic])]
    words = " + ".join("/".join(group) for group in COVERAGE[topic])
    assert found, f"no course has {words} in its title or summary"


# --------------------------------------------------------------------------- citations

Cited = Program | Session | Case


def cited_entities(catalog: Catalog) -> list[tuple[str, Cited]]:
    return [
        ("program", catalog.program),
        *(("session", s) for s in catalog.sessions.values()),
        *(("case", c) for c in catalog.cases.values()),
    ]


def fact_values(ctype: schema.ContentType, entity: Any) -> dict[str, Any]:
    """The filled fact fields of an entity, by field name."""
    values = {f.name: getattr(entity, f.name) for f in ctype.fact_fields}
    return {name: value for name, value in values.items() if value not in ("", (), None)}


def test_every_content_type_with_facts_requires_a_citation() -> None:
    with_facts = {t.name for t in schema.CONTENT_TYPES.values() if t.fact_fields}
    assert with_facts == {"program", "session", "case"}
    for name in with_facts:
        ctype = schema.CONTENT_TYPES[name]
        cite = ctype.field(ctype.citation)
        assert cite is not None and cite.required, name
        source = cite.item if cite.kind == "list" else cite
        assert cite.kind == "object" or (cite.min or 0) >= 1, name
        assert source is not None
        assert {f.name for f in source.fields if f.required} == {"publication", "title", "date", "url"}


def test_every_programme_fact_and_case_field_has_a_citation(catalog: Catalog) -> None:
    uncited = []
    for name, entity in cited_entities(catalog):
        facts = fact_values(schema.CONTENT_TYPES[name], entity)
        complete = [s for s in entity.sources if s.publication and s.title and s.date and s.url]
        if facts and not complete:
            uncited.append(f"{entity.location.path}: {', '.join(facts)}")
    assert uncited == []
    # Facts of every kind are shown: a type whose facts were all empty would test nothing.
    assert all(fact_values(schema.CONTENT_TYPES[n], e) for n, e in cited_entities(catalog))


def fact_snippets(entity: Cited) -> list[str]:
    """Sentences a page can only show by quoting the entity's facts."""
    if isinstance(entity, Program):
        texts = [entity.tagline, *(f.label for f in entity.figures), *entity.advisory_team.roles]
    elif isinstance(entity, Session):
        texts = [*entity.results, *entity.alongside]
    else:
        texts = [entity.summary, *(f.label for f in entity.figures)]
    return [html.escape(t, quote=False) for t in texts if len(t) >= 6]


def uncited_pages(pages: dict[str, str], entities: list[Cited]) -> list[str]:
    """Pages that show a fact of an entity without a citation of the entity's source."""
    out = []
    for uri, text in sorted(pages.items()):
        for entity in entities:
            if not any(snippet in text for snippet in fact_snippets(entity)):
                continue
            for source in entity.sources:
                citation = f'《{html.escape(source.title, quote=False)}》，{source.date}，<a href="{source.url}"'
                if citation not in text:
                    out.append(f"{uri}: {entity.location.path}")
    return out


def test_every_page_showing_a_fact_links_to_its_citation(catalog: Catalog) -> None:
    pages = render_site(catalog)
    entities = [e for _, e in cited_entities(catalog)]
    assert uncited_pages(pages, entities) == []
    # The pages that show facts are among those checked.
    showing = {uri for uri, text in pages.items() for e in entities if any(s in text for s in fact_snippets(e))}
    assert {"index.md", "about.md", "sessions.md", "cases/index.md"} <= showing
    assert {f"cases/{cid}.md" for cid in catalog.cases} <= showing
    # A page that lost its citation is caught.
    home = re.sub(r'<p class="cc-citation">.*?</p>', "", pages["index.md"], flags=re.S)
    assert "index.md: content/program.yml" in uncited_pages({"index.md": home}, entities)
