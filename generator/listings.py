"""What the pages list beside an item's own fields: related courses and cases, the finder's facets
and keyword text, courses by tag, sessions in order; and the small formatting helpers templates use.

Apart from ``pages`` so that the renderer holds only page making; these are questions asked of
the catalogue, each computed once per build (related courses through an index, not every pair).
"""

from __future__ import annotations

import importlib.metadata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from . import cache, model, schema
from .model import Catalog


class Listings:
    """The catalogue's derived lists, for one build; ``pinyin`` keeps title pinyin between builds."""

    def __init__(self, catalog: Catalog, pinyin: cache.Memo | None = None) -> None:
        self.catalog = catalog
        self._pinyin = pinyin
        self._groups: (
            tuple[dict[tuple[frozenset[str], str], list[str]], dict[str, list[tuple[frozenset[str], str]]]] | None
        ) = None
        self._with_tag: dict[str, list[model.Course]] | None = None

    def save(self) -> None:
        """Keep the title pinyin computed in this build for the next one."""
        if self._pinyin is not None:
            self._pinyin.save()

    def sessions_in_order(self) -> list[model.Session]:
        # Dated sessions by date; undated ones after them, by id: their order is unknown.
        return sorted(self.catalog.sessions.values(), key=lambda s: (not s.date, s.date, s.id))

    def related_courses(self, course: model.Course, limit: int = 4) -> list[model.Course]:
        """Courses sharing tags, same module first; excludes prerequisites and followers.

        Ranked by shared tags * 2 + same module, then id. Courses are grouped by (tag set,
        module), so a course is compared with the groups sharing one of its tags, not with every
        other course: the cost per page stays flat as the catalogue grows.
        """
        c = self.catalog
        groups, by_tag = self._tag_groups()
        linked = {course.id, *course.prerequisites, *c.followers.get(course.id, ())}
        tags = set(course.tags)
        levels: dict[int, list[tuple[frozenset[str], str]]] = {}
        for key in {k for t in tags for k in by_tag.get(t, ())}:
            score = 2 * len(key[0] & tags) + (key[1] == course.module)
            levels.setdefault(score, []).append(key)
        out: list[str] = []
        for score in sorted(levels, reverse=True):
            ids: list[str] = []
            for key in levels[score]:
                ids.extend([cid for cid in groups[key] if cid not in linked][: limit - len(out)])
            out.extend(sorted(ids)[: limit - len(out)])
            if len(out) >= limit:
                break
        return [c.courses[cid] for cid in out]

    def _tag_groups(
        self,
    ) -> tuple[dict[tuple[frozenset[str], str], list[str]], dict[str, list[tuple[frozenset[str], str]]]]:
        if self._groups is None:
            groups: dict[tuple[frozenset[str], str], list[str]] = {}
            for course in sorted(self.catalog.courses.values(), key=lambda x: x.id):
                groups.setdefault((frozenset(course.tags), course.module), []).append(course.id)
            by_tag: dict[str, list[tuple[frozenset[str], str]]] = {}
            for key in groups:
                for tag in key[0]:
                    by_tag.setdefault(tag, []).append(key)
            self._groups = (groups, by_tag)
        return self._groups

    def facets(self) -> list[dict[str, Any]]:
        """The course finder's filters: (value, label) options in a meaningful order."""
        c = self.catalog
        uses = Counter(t for course in c.courses.values() for t in set(course.tags))
        used_tags = sorted(uses, key=lambda t: (-uses[t], t))
        return [
            {
                "name": "module",
                "label": "教学模块",
                "open": True,
                "options": [(m.id, m.name) for m in c.ordered_modules()],
            },
            {"name": "audience", "label": "适合对象", "open": True, "options": [(a, a) for a in schema.AUDIENCES]},
            {"name": "level", "label": "难度", "open": True, "options": [(lv, lv) for lv in schema.LEVELS]},
            {"name": "format", "label": "授课形式", "open": False, "options": [(f, f) for f in schema.FORMATS]},
            {
                "name": "hours",
                "label": "学时",
                "open": False,
                "options": [(f"{lo}-{hi}", label) for lo, hi, label in HOUR_RANGES],
            },
            {"name": "tag", "label": "标签", "open": False, "options": [(t, c.tags[t].name) for t in used_tags]},
        ]

    def finder_text(self, course: model.Course) -> str:
        """What the finder's keyword box searches besides the visible text: tag names, title pinyin."""
        tags = " ".join(self.catalog.tags[t].name for t in course.tags)
        if self._pinyin is None:
            return f"{tags} {title_pinyin(course.title)}".lower()
        pinyin = self._pinyin.get(course.title, lambda: title_pinyin(course.title))
        return f"{tags} {pinyin}".lower()

    def courses_with_tag(self, tag: str) -> list[model.Course]:
        if self._with_tag is None:
            self._with_tag = {}
            for course in sorted(self.catalog.courses.values(), key=lambda c: c.id):
                for t in dict.fromkeys(course.tags):
                    self._with_tag.setdefault(t, []).append(course)
        return self._with_tag.get(tag, [])

    def related_cases(self, case: model.Case, limit: int = 3) -> list[model.Case]:
        c = self.catalog
        modules = set(case.modules) | {c.courses[k].module for k in case.courses}
        out = []
        for other in sorted(c.cases.values(), key=lambda x: x.id):
            if other.id == case.id:
                continue
            other_modules = set(other.modules) | {c.courses[k].module for k in other.courses}
            same_place = bool(case.place.province) and other.place.province == case.place.province
            if same_place or modules & other_modules:
                out.append(other)
        return out[:limit]


def by_level(courses: list[model.Course]) -> list[tuple[str, list[model.Course]]]:
    groups: dict[str, list[model.Course]] = {}
    for course in sorted(courses, key=lambda c: (schema.LEVEL_RANK[c.level], c.id)):
        groups.setdefault(course.level, []).append(course)
    return list(groups.items())


# Hour ranges of the finder: (exclusive lower bound, inclusive upper bound, label).
HOUR_RANGES = ((0, 4, "4 学时以内"), (4, 8, "4 至 8 学时"), (8, 16, "8 至 16 学时"), (16, 1000, "16 学时以上"))


def title_pinyin(title: str) -> str:
    """Full pinyin and initials of a title's Chinese characters, for typing without a Chinese IME."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(title, errors="ignore")
    return "".join(syllables) + " " + "".join(s[0] for s in syllables if s)


def format_hours(value: float) -> str:
    return f"{value:g} 学时"


def format_count(value: int) -> str:
    """A head count as the report writes it: 100000 is “10 万”."""
    return f"{value // 10000} 万" if value >= 10000 and value % 10000 == 0 else f"{value:,}"


def sources_of(items: Iterable[model.Program | model.Session | model.Case]) -> list[model.Source]:
    """The citations behind some fact-bearing items, each once, in order of first use."""
    out: list[model.Source] = []
    for item in items:
        out += [s for s in item.sources if s not in out]
    return out


def pinyin_version() -> str:
    # From the installed package's metadata: importing pypinyin (its tables) takes 0.2 s, and a
    # build whose titles are all in the cache never needs it.
    return f"{importlib.metadata.version('pypinyin')} {title_pinyin.__code__.co_code.hex()}"
