"""The programme's figures as pictures: horizontal bar charts drawn as SVG at build time.

Each chart is a figure holding the picture (hidden from screen readers) and the same numbers as a
table (visually hidden, read by screen readers), so no reader depends on the drawing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from . import schema
from .model import Catalog

BAR = "#2e7d32"  # the site's primary green: 5.1:1 on white, above the 3:1 non-text contrast minimum
TEXT = "#212121"
BAR_WIDTH = 250
VALUE_WIDTH = 130  # room after the longest bar for its value, e.g. "160 个（目标）"
ROW = 48


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    shown: str  # the value as printed, with its unit
    target: bool = False  # drawn as an outline: a goal, not something achieved


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    rows: tuple[Row, ...]
    header: tuple[str, str]  # the table's column headings
    note: str = ""


def svg(chart: Chart) -> Markup:
    """Each row: its label on one line, the bar and its value below, so a phone can read it."""
    top = max((r.value for r in chart.rows), default=0) or 1
    height = ROW * len(chart.rows) + 4
    width = BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-hidden="true" focusable="false" font-size="16">'
    ]
    for n, row in enumerate(chart.rows):
        y = n * ROW
        length = max(1.0, BAR_WIDTH * row.value / top)
        parts.append(f'<text x="0" y="{y + 17}" fill="{TEXT}">{escape(row.label)}</text>')
        bar = f'x="0" y="{y + 23}" width="{length:.1f}" height="16"'
        if row.target:
            parts.append(f'<rect {bar} fill="none" stroke="{BAR}" stroke-width="2" stroke-dasharray="6 4"/>')
        else:
            parts.append(f'<rect {bar} fill="{BAR}"/>')
        parts.append(f'<text x="{length + 6:.1f}" y="{y + 37}" fill="{TEXT}">{escape(row.shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def table(chart: Chart) -> Markup:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in chart.header)
    body = "".join(f'<tr><th scope="row">{escape(r.label)}</th><td>{escape(r.shown)}</td></tr>' for r in chart.rows)
    return Markup(
        f'<table class="cc-visually-hidden"><caption>{escape(chart.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _count(n: float, unit: str) -> str:
    return f"{n:g} {unit}"


def about_charts(catalog: Catalog) -> list[Chart]:
    """The About page's charts, from the catalogue and the programme's stated targets."""
    c = catalog
    per_module = tuple(
        Row(m.name, len(c.courses_by_module.get(m.id, ())), _count(len(c.courses_by_module.get(m.id, ())), "门"))
        for m in c.ordered_modules()
    )
    hours: dict[str, float] = {}
    for k in c.courses.values():
        hours[k.level] = hours.get(k.level, 0.0) + k.hours
    per_level = tuple(
        Row(lv, hours[lv], _count(hours[lv], "学时")) for lv in sorted(hours, key=schema.LEVEL_RANK.__getitem__)
    )
    audiences = Counter(a for k in c.courses.values() for a in k.audience)
    per_audience = tuple(Row(a, audiences[a], _count(audiences[a], "门")) for a in schema.AUDIENCES if audiences[a])
    provinces = Counter(s.place.province for s in c.sessions.values() if s.place.province)
    unplaced = sum(1 for s in c.sessions.values() if not s.place.province)
    per_province = [Row(p, n, _count(n, "场")) for p, n in sorted(provinces.items(), key=lambda x: (-x[1], x[0]))]
    if unplaced:
        per_province.append(Row("地点未公布", unplaced, _count(unplaced, "场")))
    counties = {(s.place.province, s.place.county) for s in c.sessions.values() if s.place.county}
    target = c.program.targets
    county_word = target.counties_note or "县"
    coverage = (
        Row("报道记载开班的县", len(counties), _count(len(counties), "个")),
        Row(f"覆盖目标：{county_word}", target.counties, _count(target.counties, "个（目标）"), target=True),
    )
    return [
        Chart("courses-by-module", "各教学模块的课程数", per_module, ("教学模块", "课程数")),
        Chart("hours-by-level", "各难度课程的总学时", per_level, ("难度", "总学时")),
        Chart(
            "audiences",
            "面向各类学员的课程数",
            per_audience,
            ("学员类别", "课程数"),
            "一门课程可以面向几类学员，所以各行相加多于课程总数。",
        ),
        Chart("sessions-by-province", "报道记载的培训场次（按省份）", tuple(per_province), ("省份", "场次")),
        Chart(
            "county-target",
            f"开班县数与 {target.counties} 个县的覆盖目标",
            coverage,
            ("项目", "县数"),
            f"{target.counties} 个县是计划 {target.years} 年内要覆盖的目标（虚线框），不是已经完成的数字；"
            "实线是公开报道中记载过开班的县，不一定都属于重点帮扶县，也不代表计划实际到过的全部县。",
        ),
    ]
