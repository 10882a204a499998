"""The model classes, generated from the declaration in ``schema.py``: do not edit.

Run ``catalog schema --write`` after changing ``schema.py``; a test fails while this file is stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entity_methods import OneSource, PlaceText
from .problems import Location


@dataclass(frozen=True, kw_only=True)
class Targets:
    """目标。"""

    trainees: int
    years: int
    counties: int
    counties_note: str = ""


@dataclass(frozen=True, kw_only=True)
class Figure:
    """数字。"""

    value: str
    label: str
    as_of: str = ""


@dataclass(frozen=True, kw_only=True)
class Platform:
    """平台。"""

    name: str
    note: str = ""
    url: str = ""


@dataclass(frozen=True, kw_only=True)
class AdvisoryTeam:
    """专家后援顾问团。"""

    summary: str
    roles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Source:
    """来源。"""

    publication: str
    title: str
    date: str
    url: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Program:
    """培训计划：content/program.yml。"""

    name: str
    tagline: str
    summary: str
    organizers: tuple[str, ...]
    launched: str
    targets: Targets
    figures: tuple[Figure, ...] = ()
    platforms: tuple[Platform, ...]
    advisory_team: AdvisoryTeam
    sources: tuple[Source, ...]
    location: Location


@dataclass(frozen=True, kw_only=True)
class Module:
    """教学模块：content/modules/<编号>.yml。"""

    id: str
    name: str
    summary: str
    order: int
    description: str = ""
    status: str = ""
    location: Location


@dataclass(frozen=True, kw_only=True)
class Lesson:
    """一节课。"""

    title: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class Recording:
    """录播。"""

    platform: str
    url: str


@dataclass(frozen=True, kw_only=True)
class Course:
    """课程：content/courses/<模块编号>/<编号>.yml。"""

    id: str
    title: str
    module: str
    summary: str
    audience: tuple[str, ...]
    level: str
    format: str
    hours: float
    lessons: tuple[Lesson, ...]
    outcomes: tuple[str, ...]
    instructors: tuple[str, ...]
    tags: tuple[str, ...]
    prerequisites: tuple[str, ...] = ()
    recordings: tuple[Recording, ...] = ()
    description: str
    status: str = ""
    location: Location


@dataclass(frozen=True, kw_only=True)
class Instructor:
    """讲师：content/instructors/<编号>.yml。"""

    id: str
    name: str
    persona: bool
    title: str
    affiliation: str
    fields: tuple[str, ...]
    bio: str
    status: str = ""
    location: Location


@dataclass(frozen=True, kw_only=True)
class Place(PlaceText):
    """地点。"""

    province: str = ""
    city: str = ""
    county: str = ""


@dataclass(frozen=True, kw_only=True)
class Session:
    """培训场次：content/sessions/<编号>.yml。"""

    id: str
    title: str
    date: str = ""
    date_note: str = ""
    place: Place
    theme: str = ""
    results: tuple[str, ...] = ()
    alongside: tuple[str, ...] = ()
    sources: tuple[Source, ...]
    status: str = ""
    location: Location


@dataclass(frozen=True, kw_only=True)
class Case(OneSource):
    """成功案例：cases/<编号>.md。"""

    id: str
    title: str
    subject: str
    subject_kind: str
    role: str
    summary: str
    place: Place
    products: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    courses: tuple[str, ...] = ()
    session: str = ""
    channels: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    source: Source
    status: str = ""
    body: str
    location: Location


@dataclass(frozen=True, kw_only=True)
class PathStep:
    """一步。"""

    course: str
    why: str


@dataclass(frozen=True, kw_only=True)
class LearningPath:
    """学习路径：content/paths/<编号>.yml。"""

    id: str
    title: str
    audience: str
    summary: str
    steps: tuple[PathStep, ...]
    status: str = ""
    location: Location


@dataclass(frozen=True, kw_only=True)
class Tag:
    """标签：content/tags.yml 的一项。"""

    id: str
    name: str
    meaning: str
    location: Location


@dataclass(frozen=True, kw_only=True)
class Synonym:
    """搜索词表：content/synonyms.yml 的一项。"""

    words: tuple[str, ...]
    finds: tuple[str, ...]
    weight: float = 0.6


@dataclass(frozen=True, kw_only=True)
class CatalogContent:
    """Every item of every content type, by type: the attributes are the types' collections."""

    program: Program
    modules: dict[str, Module]
    courses: dict[str, Course]
    instructors: dict[str, Instructor]
    sessions: dict[str, Session]
    cases: dict[str, Case]
    paths: dict[str, LearningPath]
    tags: dict[str, Tag]
    synonyms: tuple[Synonym, ...] = ()
