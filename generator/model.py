"""The linked content model: frozen, typed, no I/O.

The classes of the content types are generated from ``schema`` into ``entities`` and re-exported
here; this module adds what is not a field of any file: the catalogue's reverse links and the
state of a preview build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .entities import (
    AdvisoryTeam,
    Case,
    CatalogContent,
    Course,
    Figure,
    Instructor,
    LearningPath,
    Lesson,
    Module,
    PathStep,
    Place,
    Platform,
    Program,
    Recording,
    Session,
    Source,
    Synonym,
    Tag,
    Targets,
)
from .problems import Problem
from .schema import CONTENT_TYPES

__all__ = [
    "AdvisoryTeam",
    "Case",
    "Catalog",
    "Course",
    "Figure",
    "Instructor",
    "LearningPath",
    "Lesson",
    "Module",
    "PathStep",
    "Place",
    "Platform",
    "Program",
    "Recording",
    "Session",
    "Source",
    "Synonym",
    "Tag",
    "Targets",
]


@dataclass(frozen=True, kw_only=True)
class Catalog(CatalogContent):
    """Everything the site shows, linked both ways. Built only from content without problems."""

    # Items of the types a project added with ``schema.register``, by type name, then id.
    added: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Preview builds only: the files of drafts (their pages say so) and what would stop publishing.
    draft_files: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()
    # A hash of the files the catalogue was read from and of the generator ("" when made in
    # memory): what later stages key their cached output by (see cache.Store).
    inputs: str = field(default="", compare=False)
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

    def items(self, type_name: str) -> Mapping[str, Any]:
        """The items of a type with ids, by id, whether built in or added (``catalog.items("course")``)."""
        if type_name in self.added:
            return self.added[type_name]
        value = getattr(self, CONTENT_TYPES[type_name].collection)
        assert isinstance(value, Mapping), type_name
        return value
