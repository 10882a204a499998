"""The site's search index: small, sharded files that a phone loads only when someone searches.

Why not the theme's search: it ships one index of every page's full text (2.9 MB here) and loads
it on every page view, and its query step only splits a query into words already in that index,
dropping the rest. This index is built from the model instead:

- Terms come from jieba with the catalogue's own dictionary (``content/jieba_userdict.txt``, tag
  names, synonyms), in search mode, so 社区团购 and 团购 both match.
- Synonym groups (``content/synonyms.yml``) are applied here, at build time: a document that says
  农产品 is also posted under 土特产, so the browser needs no synonym table.
- Titles are also indexed by pinyin, full (hetao) and initials (ht), per word.
- Fields are weighted (title > tags > summary > lessons > body) and course pages weigh more than
  other pages, so the weights the browser adds up are already final.
- Postings are split into shards by a hash of the term and document data into chunks, so a query
  downloads the dictionary plus the few shards and chunks it touches.

The browser side is ``generator/site/static/assets/search.js``.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import stat
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import dictionary, pages
from .model import Catalog

FORMAT = 1
POSTINGS_PER_SHARD = 1500
DOCS_PER_CHUNK = 50

# Words of a question, not of its subject. Dropped from queries (by search.js) and never indexed.
STOP_WORDS = (
    "怎么办 怎么样 怎么 怎样 如何 什么 为什么 为何 哪些 哪个 哪里 哪儿 需要 想要 应该 可以 能不能 "
    "是不是 有没有 请问 一下 我们 我想 自己 大家 关于 问题 办法 方法 的话 吗 呢 吧 啊 呀 了 的 地 得 "
    "和 与 及 或 在 是 有 我 你 他 她 要 想 去 来 把 被 让 给 从 到 对 都 也 还 就 又 很 更 最 这 那 "
    "个 些 一 不 没 么 之 其 而 并 等"
).split()

FIELD_WEIGHTS = {"title": 12, "pinyin": 10, "tags": 6, "summary": 3, "lessons": 2, "body": 1}
TYPE_BOOST = {"course": 1.5, "case": 1.2, "path": 1.0, "module": 1.0, "instructor": 0.6, "page": 0.5}
SYNONYM_SHARE = 0.7  # a synonym's posting weighs this share of the word actually written
TITLE_START = 1.3  # a title that begins with the word is about it
# Among equally good matches, entry-level courses first: most searchers are starting out.
LEVEL_BOOST = {"入门": 1.06, "进阶": 1.03, "高级": 1.0}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_TOKEN_OK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fffa-z0-9]+$")


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, the same function as ``hash`` in search.js."""
    h = 0x811C9DC5
    for unit in text.encode("utf-16-le"):
        h ^= unit
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@dataclass
class SearchDoc:
    kind: str
    url: str
    title: str
    meta: str  # a short line under the title: module, level, place …
    snippet: str
    fields: dict[str, str] = field(default_factory=dict)
    boost: float = 1.0


def documents(catalog: Catalog) -> list[SearchDoc]:
    """What is searchable, in a stable order."""
    docs: list[SearchDoc] = []
    for c in sorted(catalog.courses.values(), key=lambda c: c.id):
        module = catalog.modules[c.module]
        tags = " ".join(catalog.tags[t].name for t in c.tags)
        docs.append(
            SearchDoc(
                "course",
                pages.url_of(pages.src_of("course", c.id)),
                c.title,
                f"{module.name} · {c.level} · {c.format} · {c.hours:g} 学时",
                c.summary,
                {
                    "title": c.title,
                    "tags": f"{tags} {module.name} {' '.join(c.audience)}",
                    "summary": c.summary,
                    "lessons": " ".join(f"{x.title} {x.summary}" for x in c.lessons) + " " + " ".join(c.outcomes),
                    "body": c.description,
                },
                LEVEL_BOOST[c.level],
            )
        )
    for case in sorted(catalog.cases.values(), key=lambda c: c.id):
        docs.append(
            SearchDoc(
                "case",
                pages.url_of(pages.src_of("case", case.id)),
                case.title,
                f"成功案例 · {case.subject} · {case.place}",
                case.summary,
                {
                    "title": case.title,
                    "tags": f"{case.subject} {' '.join(case.products)} {case.place}",
                    "summary": case.summary,
                    "body": case.body,
                },
            )
        )
    for p in sorted(catalog.paths.values(), key=lambda p: p.id):
        docs.append(
            SearchDoc(
                "path",
                pages.url_of(pages.src_of("path", p.id)),
                p.title,
                f"学习路径 · {p.audience}",
                p.summary,
                {
                    "title": p.title,
                    "tags": p.audience,
                    "summary": p.summary,
                    "lessons": " ".join(s.why for s in p.steps),
                },
            )
        )
    for m in catalog.ordered_modules():
        docs.append(
            SearchDoc(
                "module",
                pages.url_of(pages.src_of("module", m.id)),
                m.name,
                "教学模块",
                m.summary,
                {"title": m.name, "summary": m.summary, "body": m.description},
            )
        )
    for i in sorted(catalog.instructors.values(), key=lambda i: i.id):
        docs.append(
            SearchDoc(
                "instructor",
                pages.url_of(pages.src_of("instructor", i.id)),
                i.name,
                f"讲师（示例人物） · {i.title}",
                "、".join(i.fields),
                {"title": i.name, "tags": " ".join(i.fields), "body": i.bio},
            )
        )
    program = catalog.program
    docs.append(
        SearchDoc(
            "page",
            pages.url_of(pages.src_of("sessions")),
            "培训场次",
            "报道中的培训场次",
            "、".join(s.title for s in catalog.sessions.values()),
            {
                "title": "培训场次",
                "body": " ".join(
                    f"{s.title} {s.place} {s.theme} {' '.join(s.results)}" for s in catalog.sessions.values()
                ),
            },
        )
    )
    docs.append(
        SearchDoc(
            "page",
            pages.url_of(pages.src_of("about")),
            "关于本站",
            "计划简介、主办单位与数据来源",
            program.tagline,
            {
                "title": "关于 培训计划 主办单位 专家后援顾问团",
                "body": f"{program.summary} {' '.join(program.organizers)}",
            },
        )
    )
    return docs


class Tokenizer:
    """jieba with the catalogue's own words; a private instance, so builds never drift."""

    def __init__(self, user_dictionary: Iterable[dictionary.Entry], extra_words: Iterable[str]) -> None:
        import jieba

        # jieba logs its dictionary loading at DEBUG level with a handler of its own.
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.tmp_dir = _private_cache_folder()
        # Entries read and checked by ``dictionary`` (jieba's load_userdict would read the file
        # again, with none of the checks); add_word is what load_userdict calls for each line.
        for entry in user_dictionary:
            self._jieba.add_word(entry.word, entry.frequency, entry.tag)
        for word in extra_words:
            if len(word) >= 2:
                self._jieba.add_word(word, freq=2000)

    def terms(self, text: str) -> list[str]:
        out = []
        for token in self._jieba.cut_for_search(normalise(text), HMM=False):
            token = token.strip()
            if len(token) < 2 or token in STOP_WORDS or not _TOKEN_OK.match(token):
                continue
            out.append(token)
        return out

    def words(self, text: str) -> list[str]:
        return [w for w in self._jieba.cut(normalise(text), HMM=False) if _CJK.search(w)]


def _private_cache_folder() -> str | None:
    """Where jieba may cache its parsed dictionary: a folder only this user can write.

    jieba's default is the shared temporary folder, where another user could put the file jieba
    loads (with ``marshal``) or own it, so that saving fails with a logged traceback.
    """
    if sys.platform == "win32":  # pragma: no cover - the temporary folder is the user's own there
        return None
    folder = Path(tempfile.gettempdir()) / f"catalog-jieba-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return tempfile.mkdtemp(prefix="catalog-jieba-")
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077:
        return str(folder)
    return tempfile.mkdtemp(prefix="catalog-jieba-")  # someone else's: a fresh private one


def _pinyin_terms(tokenizer: Tokenizer, title: str) -> set[str]:
    from pypinyin import lazy_pinyin

    terms = set()
    words = [w for w in tokenizer.words(title) if len(w) >= 2]
    for word in words:
        full = lazy_pinyin(word, errors="ignore")
        if len(full) == len(word):
            terms.add("".join(full))
            terms.add("".join(p[0] for p in full))
    return terms


def build(catalog: Catalog, root: Path) -> dict[str, bytes]:
    """All search files, by site path (``search/...``)."""
    docs = documents(catalog)
    groups = [tuple(normalise(w) for w in g) for g in catalog.synonyms]
    synonyms: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for word in group:
            synonyms[word].update(w for w in group if w != word)
    extra = [t.name for t in catalog.tags.values()] + [w for g in groups for w in g]
    extra += [m.name for m in catalog.modules.values()]
    entries, _ = dictionary.read(root)  # its problems stopped the build at `catalog check` already
    tokenizer = Tokenizer(entries, extra)

    weights: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for index, doc in enumerate(docs):
        boost = TYPE_BOOST[doc.kind] * doc.boost
        direct: dict[str, float] = defaultdict(float)
        title_terms = tokenizer.terms(doc.fields.get("title", ""))
        if title_terms:
            direct[title_terms[0]] += FIELD_WEIGHTS["title"] * (TITLE_START - 1)
        for name, text in doc.fields.items():
            for term in tokenizer.terms(text):
                # Repeats count, but with diminishing returns (a long body should not win by length).
                direct[term] += FIELD_WEIGHTS[name] / (1 + direct[term] / FIELD_WEIGHTS[name])
        if doc.kind in ("course", "module", "path", "case"):
            for term in _pinyin_terms(tokenizer, doc.title):
                direct[term] += FIELD_WEIGHTS["pinyin"]
        posted = dict(direct)
        for term, weight in direct.items():
            for other in synonyms.get(term, ()):
                posted[other] = max(posted.get(other, 0.0), weight * SYNONYM_SHARE)
        for term, weight in posted.items():
            weights[term][index] = weight * boost

    terms = sorted(weights)
    total = sum(len(p) for p in weights.values())
    shards = max(1, math.ceil(total / POSTINGS_PER_SHARD))
    shard_data: list[dict[str, list[list[int]]]] = [{} for _ in range(shards)]
    for term in terms:
        postings = sorted(weights[term].items())
        # Weights as integers (tenths): smaller files, same ranking.
        shard_data[fnv1a(term) % shards][term] = [[d, max(1, round(w * 10))] for d, w in postings]

    files: dict[str, bytes] = {}

    def put(name: str, value: object) -> None:
        files[f"search/{name}"] = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    chunks = math.ceil(len(docs) / DOCS_PER_CHUNK)
    put(
        "meta.json",
        {
            "format": FORMAT,
            "docs": len(docs),
            "shards": shards,
            "chunk": DOCS_PER_CHUNK,
            "chunks": chunks,
            "stop": STOP_WORDS,
        },
    )
    put("terms.json", terms)
    for number, data in enumerate(shard_data):
        put(f"shard-{number}.json", data)
    for number in range(chunks):
        part = docs[number * DOCS_PER_CHUNK : (number + 1) * DOCS_PER_CHUNK]
        put(f"docs-{number}.json", [[d.kind, d.url, d.title, d.meta, d.snippet] for d in part])
    return files
