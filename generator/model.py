"""The linked content model: frozen, typed, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Location, Problem


@dataclass(frozen=True)
class Place:
    province: str = ""
    city: str = ""
    county: str = ""

    def __str__(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)


@dataclass(frozen=True)
class Source:
    publication: str
    title: str
    date: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Figure:
    value: str
    label: str
    as_of: str = ""


@dataclass(frozen=True)
class Platform:
    name: str
    note: str = ""
    url: str = ""


@dataclass(frozen=True)
class Targets:
    trainees: int
    years: int
    counties: int
    counties_note: str = ""


@dataclass(frozen=True)
class AdvisoryTeam:
    summary: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Program:
    name: str
    tagline: str
    summary: str
    organizers: tuple[str, ...]
    launched: str
    targets: Targets
    figures: tuple[Figure, ...]
    platforms: tuple[Platform, ...]
    advisory_team: AdvisoryTeam
    sources: tuple[Source, ...]
    location: Location


@dataclass(frozen=True)
class Tag:
    id: str
    name: str
    meaning: str
    location: Location


@dataclass(frozen=True)
class Module:
    id: str
    name: str
    summary: str
    order: int
    description: str
    location: Location


@dataclass(frozen=True)
class Lesson:
    title: str
    summary: str = ""


@dataclass(frozen=True)
class Recording:
    platform: str
    url: str


@dataclass(frozen=True)
class Course:
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
    prerequisites: tuple[str, ...]
    recordings: tuple[Recording, ...]
    description: str
    location: Location


@dataclass(frozen=True)
class Instructor:
    id: str
    name: str
    persona: bool
    title: str
    affiliation: str
    fields: tuple[str, ...]
    bio: str
    location: Location


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    date: str
    date_note: str
    place: Place
    theme: str
    results: tuple[str, ...]
    alongside: tuple[str, ...]
    sources: tuple[Source, ...]
    location: Location


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    subject: str
    subject_kind: str
    role: str
    summary: str
    place: Place
    products: tuple[str, ...]
    modules: tuple[str, ...]
    courses: tuple[str, ...]
    session: str
    channels: tuple[str, ...]
    figures: tuple[Figure, ...]
    source: Source
    body: str
    location: Location

    @property
    def sources(self) -> tuple[Source, ...]:
        """The citations of the case, under the same name as a session's or the programme's."""
        return (self.source,)


@dataclass(frozen=True)
class PathStep:
    course: str
    why: str


@dataclass(frozen=True)
class LearningPath:
    id: str
    title: str
    audience: str
    summary: str
    steps: tuple[PathStep, ...]
    location: Location


@dataclass(frozen=True)
class Synonym:
    """One line of the search vocabulary: searching any of ``words`` also finds ``finds``."""

    words: tuple[str, ...]
    finds: tuple[str, ...]
    weight: float = 0.6  # a found word counts this share of a word actually written


@dataclass(frozen=True)
class Catalog:
    """Everything the site shows, linked both ways. Built only from content without problems."""

    program: Program
    tags: dict[str, Tag]
    modules: dict[str, Module]
    courses: dict[str, Course]
    instructors: dict[str, Instructor]
    sessions: dict[str, Session]
    cases: dict[str, Case]
    paths: dict[str, LearningPath]
    synonyms: tuple[Synonym, ...] = ()
    # Preview builds only: the files of drafts (their pages say so) and what would stop publishing.
    draft_files: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()
    # Reverse links, computed once by ``link``.
    courses_by_module: dict[str, tuple[str, ...]] = field(default_factory=dict)
    courses_by_instructor: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cases_by_course: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cases_by_session: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cases_by_module: dict[str, tuple[str, ...]] = field(default_factory=dict)
    paths_by_course: dict[str, tuple[str, ...]] = field(default_factory=dict)
    followers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def ordered_modules(self) -> list[Module]:
        return sorted(self.modules.values(), key=lambda m: (m.order, m.id))


LEVEL_ORDER = {"入门": 0, "进阶": 1, "高级": 2}
