"""Stage 3, check references: what one file cannot tell on its own.

Every reference field (kind ``ref`` in ``schema``) names an existing item of its type; ids are
unique per type; a per-folder file sits in its folder. Then the rules of particular fields,
each named for what it checks: course titles are unique, prerequisites are no harder than the
course and form no cycle, a learning path takes prerequisites first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from . import schema
from .check_fields import did_you_mean, field_name
from .discover import Broken, Loaded
from .load import FieldPath
from .problems import Problem
from .schema import Field


def index_ids(loaded: list[Loaded], problems: list[Problem]) -> dict[str, dict[str, Loaded]]:
    """Every id of every type, including files with other problems (so refs to them resolve)."""
    ids: dict[str, dict[str, Loaded]] = {name: {} for name in schema.CONTENT_TYPES}
    for item in loaded:
        entries: list[tuple[Any, tuple[str | int, ...]]]
        if item.type.is_list:
            entries = [(e.get("id"), (i, "id")) for i, e in enumerate(item.doc.data) if isinstance(e, dict)]
        else:
            entries = [(item.doc.data.get("id"), ("id",))]
        if not item.identity_ok:
            continue
        for ident, path in entries:
            if not isinstance(ident, str):
                continue
            first = ids[item.type.name].get(ident)
            if first is not None:
                where = first.doc.path
                message = f"{item.type.label}编号“{ident}”重复：{where} 已经用过"
                problems.append(Problem(item.doc.loc(*path), message, "每个编号只能用一次"))
                continue
            ids[item.type.name][ident] = item
    return ids


def walk_refs(f: Field, value: Any, path: FieldPath) -> Iterator[tuple[Field, str, FieldPath]]:
    if f.kind == "ref" and isinstance(value, str):
        yield f, value, path
    elif f.kind == "object" and isinstance(value, dict):
        for sub in f.fields:
            yield from walk_refs(sub, value.get(sub.name), (*path, sub.name))
    elif f.kind == "list" and isinstance(value, list) and f.item is not None:
        for index, item in enumerate(value):
            yield from walk_refs(f.item, item, (*path, index))


def check_references(
    loaded: list[Loaded], ids: dict[str, dict[str, Loaded]], broken: Broken, problems: list[Problem]
) -> None:
    for item in loaded:
        if item.type.is_list:
            continue
        for f in item.type.fields:
            for ref_field, value, path in walk_refs(f, item.doc.data.get(f.name), (f.name,)):
                target = schema.CONTENT_TYPES[ref_field.ref]
                unreadable = broken.get(ref_field.ref, set())
                if value not in ids[ref_field.ref] and value not in unreadable and "*" not in unreadable:
                    hint = did_you_mean(value, sorted(ids[ref_field.ref]))
                    name = field_name(path, ref_field)
                    message = f"{name}引用了不存在的{target.label}“{value}”"
                    problems.append(Problem(item.doc.loc(*path), message, hint))


def check_folders(ids: dict[str, dict[str, Loaded]], problems: list[Problem]) -> None:
    """A per-folder type's file sits in the folder of the item its folder field names."""
    for ctype in schema.CONTENT_TYPES.values():
        f = ctype.folder_field
        if f is None:
            continue
        targets = ids[f.ref]
        # Only for known targets: a misspelt one is already reported as an unknown reference.
        for item in ids[ctype.name].values():
            if not item.ok:
                continue
            value = item.doc.data.get(f.name)
            folder = item.doc.path.split("/")[-2]
            if value in targets and value != folder:
                message = f"{f.label}“{value}”与所在文件夹“{folder}”不一致"
                hint = f"把文件移到对应{schema.CONTENT_TYPES[f.ref].noun}的文件夹，或改 {f.name}"
                problems.append(Problem(item.doc.loc(f.name), message, hint))


def check_unique_titles(courses: dict[str, Loaded], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for item in sorted(courses.values(), key=lambda i: i.doc.path):
        title = item.doc.data.get("title")
        if not isinstance(title, str):
            continue
        # Titles that look the same are the same: full-width letters, spaces.
        key = "".join(unicodedata.normalize("NFKC", title).casefold().split())
        if key in seen:
            message = f"课程名称“{title}”重复：{seen[key]} 已经用过"
            problems.append(Problem(item.doc.loc("title"), message, "每门课程的名称要能区分开"))
        else:
            seen[key] = item.doc.path


def check_path_order(paths: dict[str, Loaded], courses: dict[str, Loaded], problems: list[Problem]) -> None:
    """A course's prerequisite that is on the same learning path must come before it."""
    for item in paths.values():
        steps = item.doc.data.get("steps")
        if not isinstance(steps, list):
            continue
        order = [s.get("course") if isinstance(s, dict) else None for s in steps]
        position: dict[str, int] = {}  # first position of each course: linear, however long the path
        for index, cid in enumerate(order):
            if isinstance(cid, str):
                position.setdefault(cid, index)
        for index, cid in enumerate(order):
            if not isinstance(cid, str):
                continue
            if position[cid] < index:
                message = f"学习路径里“{cid}”出现了两次"
                problems.append(Problem(item.doc.loc("steps", index, "course"), message, "删掉重复的一步"))
                continue
            if cid not in courses:
                continue
            for pre in courses[cid].doc.data.get("prerequisites") or []:
                if isinstance(pre, str) and position.get(pre, -1) > index:
                    message = f"学习路径里“{cid}”排在它的先修课程“{pre}”前面"
                    problems.append(Problem(item.doc.loc("steps", index, "course"), message, "把先修课程挪到前面"))


def check_prerequisites(courses: dict[str, Loaded], problems: list[Problem]) -> None:
    def prereqs(cid: str) -> list[str]:
        value = courses[cid].doc.data.get("prerequisites") or []
        return [p for p in value if isinstance(p, str) and p in courses] if isinstance(value, list) else []

    graph = {cid: prereqs(cid) for cid in sorted(courses)}
    for cid, pres in graph.items():
        doc = courses[cid].doc
        level = schema.LEVEL_RANK.get(doc.data.get("level", ""), 0)
        for pre in pres:
            index = doc.data["prerequisites"].index(pre)
            if pre == cid:
                problems.append(Problem(doc.loc("prerequisites", index), "课程不能把自己列为先修课程"))
                continue
            pre_level = courses[pre].doc.data.get("level", "")
            if schema.LEVEL_RANK.get(pre_level, 0) > level:
                message = f"先修课程“{pre}”是{pre_level}课程，比本课（{doc.data.get('level')}）难"
                hint = "先修课程只能是同级或更低难度的课程"
                problems.append(Problem(doc.loc("prerequisites", index), message, hint))

    # Cycles: one message per group of courses that lead to each other (a strongly connected
    # component), naming a shortest cycle through its smallest id. No recursion, linear time.
    for component in strongly_connected(graph):
        start = min(component)
        ring = shortest_cycle(graph, start, component)
        index = courses[start].doc.data["prerequisites"].index(ring[1])
        message = "先修课程形成循环：" + " → ".join(ring)
        problems.append(Problem(courses[start].doc.loc("prerequisites", index), message, "去掉其中一个先修关系"))


def strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm with an explicit stack: the groups of two or more nodes that reach each other.

    Self-loops are ignored (reported on their own). ``graph`` maps a node to the nodes it points to;
    every node pointed to is a key. Time and memory are linear in nodes plus edges, at any depth.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, 0)]
        while work:
            node, at = work[-1]
            edges = graph[node]
            if at < len(edges):
                work[-1] = (node, at + 1)
                nxt = edges[at]
                if nxt == node:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def shortest_cycle(graph: dict[str, list[str]], start: str, within: set[str]) -> list[str]:
    """A shortest cycle from ``start`` back to it inside ``within`` (breadth-first), as a closed ring."""
    parent: dict[str, str] = {}
    queue = [start]
    for node in queue:  # the list grows while it is read: a breadth-first queue
        for nxt in graph[node]:
            if nxt == start and node != start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if nxt in within and nxt != start and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    raise ValueError(f"no cycle through {start}")
