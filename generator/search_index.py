"""The site's search index: small, sharded files that a phone loads only when someone searches.

Why not the theme's search: it ships one index of every page's full text (2.9 MB here) and loads
it on every page view, and its query step only splits a query into words already in that index,
dropping the rest. This index is built from the model instead:

- Title, tags, summary and lesson titles are indexed by overlapping character pairs, as Lucene's
  CJK analyzer does, so any part of a title is found whether or not a dictionary knows the word
  (主播, 扫码, 排品). Beside them, jieba words in search mode with the catalogue's dictionary
  (``content/jieba_userdict.txt``, tag names, vocabulary): longer words such as 直播带货 are terms
  of their own, and lesson summaries, outcomes and descriptions are indexed by these words only.
- The trainee vocabulary (``content/synonyms.yml``) is applied here, at build time, one way: a
  document that says 付费推广 is also posted under 投流, at a share of the weight, so the browser
  needs no vocabulary table and 投流 never outranks a course that says it.
- Titles are also indexed by pinyin, full (hetao) and initials (ht), per word, and by their single
  characters (``#`` + character) for one-character queries and "close titles" suggestions.
- Fields are weighted (title > tags > summary > lessons > details > body) and course pages weigh
  more than other pages, entry-level courses a little more than advanced ones, so the weights the
  browser adds up are already final.
- Postings are split into shards by a hash of the term (``search_rules.fnv1a``) and document data
  into chunks, so a query downloads the list of long words plus the few shards and chunks it touches.

The shared text rules are in ``search_rules``; the browser side is
``generator/site/static/assets/search.js``.

Longer than most modules because this docstring is the index's specification, and the build,
the terms cache and the file layout change together with it.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import math
import multiprocessing
import os
import re
import stat
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from . import cache, dictionary, pages, schema, search_rules
from .model import Catalog

FORMAT = 3
POSTINGS_PER_SHARD = 500
# Dictionary words (three or more characters) per file, the files chosen by a hash of a word's
# first character: a query fetches the files of its own characters (a few KB) instead of the whole
# list (10 KB gzip at 218 courses, growing with the catalogue), since a word it can meet starts
# with one of them.
WORDS_PER_SHARD = 60
DOCS_PER_CHUNK = 10
# Up to this many documents, their titles and summaries are one file, fetched with the word list
# when the box gets focus: the first result then needs no second round trip. Larger catalogues
# fetch the chunks of the documents they show.
ONE_CHUNK_UP_TO = 600

# How much a word counts by where it stands. Fields marked in BIGRAM_FIELDS are also indexed by
# overlapping character pairs, so any part of them is findable; the others by dictionary words.
FIELD_WEIGHTS = {"title": 12, "pinyin": 10, "tags": 6, "summary": 3, "lessons": 2, "details": 1.5, "body": 1}
BIGRAM_FIELDS = frozenset({"title", "tags", "summary", "lessons"})
TYPE_BOOST = {"course": 1.5, "case": 1.2, "path": 1.0, "module": 1.0, "instructor": 0.6, "page": 0.5}
TITLE_START = 1.3  # a title that begins with the word is about it
# Among equally good matches, entry-level courses first: most searchers are starting out.
# 3 % per level below the hardest: 1.06, 1.03, 1.0.
LEVEL_BOOST = {level: 1 + 0.03 * (len(schema.LEVELS) - 1 - rank) for level, rank in schema.LEVEL_RANK.items()}
# Each character of a title is also posted under "#" + character: a one-character query and the
# "close titles" offered when nothing matches use these.
TITLE_CHAR = "#"
TITLE_CHAR_WEIGHT = 1.0

_TOKEN_OK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fffa-z0-9]+$")


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
                    "lessons": " ".join(x.title for x in c.lessons),
                    "details": " ".join(x.summary for x in c.lessons) + " " + " ".join(c.outcomes),
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
                    "details": " ".join(s.why for s in p.steps),
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
        # jieba's own cache of its parsed dictionary (which it loads with ``marshal``): a folder of
        # this user's, shared by all projects (the dictionary is jieba's, not the project's), and
        # never the shared temporary folder, where another user could put the file jieba loads,
        # or own it, so that saving fails with a logged traceback.
        folder = cache.user_folder("jieba")
        self._jieba.tmp_dir = str(folder) if folder is not None else _private_cache_folder()
        # Entries read and checked by ``dictionary`` (jieba's load_userdict would read the file
        # again, with none of the checks); add_word is what load_userdict calls for each line.
        for entry in user_dictionary:
            self._jieba.add_word(entry.word, entry.frequency, entry.tag)
        for word in extra_words:
            if len(word) >= 2:
                self._jieba.add_word(word, freq=2000)

    def terms(self, text: str, grams: bool = False) -> list[str]:
        """Index terms of a text, one per occurrence: dictionary words, and with ``grams`` bigrams."""
        text = search_rules.normalise(text)
        out = []
        for token in self._jieba.cut_for_search(text, HMM=False):
            token = token.strip()
            if len(token) < 2 or token in search_rules.QUESTION_WORDS or not _TOKEN_OK.match(token):
                continue
            if grams and len(token) == 2 and search_rules.is_cjk(token):
                continue  # the same occurrence is a bigram
            out.append(token)
        if grams:
            for run in search_rules.runs(text):
                if search_rules.is_cjk(run):
                    out.extend(search_rules.bigrams(run))
        return out

    def words(self, text: str) -> list[str]:
        return [w for w in self._jieba.cut(search_rules.normalise(text), HMM=False) if search_rules.is_cjk(w)]


def _private_cache_folder() -> str | None:
    """Without a home folder: a folder of this user's in the temporary folder."""
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


def _direct_terms(tokenizer: Tokenizer, doc: SearchDoc) -> dict[str, float]:
    """A document's own terms and their weights, before the vocabulary, title characters and boosts."""
    direct: dict[str, float] = defaultdict(float)
    title = doc.fields.get("title", "")
    title_terms = tokenizer.terms(title, grams=True)
    first_word = next(iter(tokenizer.terms(title)), None)
    for start in sorted({t for t in (first_word, title_terms[0] if title_terms else None) if t}):
        direct[start] += FIELD_WEIGHTS["title"] * (TITLE_START - 1)
    for name, text in doc.fields.items():
        weight = FIELD_WEIGHTS[name]
        for term in tokenizer.terms(text, grams=name in BIGRAM_FIELDS):
            # Repeats count, but with diminishing returns (a long body should not win by length).
            direct[term] += weight / (1 + direct[term] / weight)
    if doc.kind in ("course", "module", "path", "case"):
        for term in sorted(_pinyin_terms(tokenizer, doc.title)):
            direct[term] += FIELD_WEIGHTS["pinyin"]
    return dict(direct)


def _direct_json(tokenizer: _LazyTokenizer, doc: SearchDoc) -> str:
    return json.dumps(_direct_terms(tokenizer.get(), doc), ensure_ascii=False)


class _LazyTokenizer:
    """The tokenizer, made on first use and kept for the process (``catalog serve`` rebuilds)."""

    _made: ClassVar[dict[str, Tokenizer]] = {}

    def __init__(self, root: Path, entries: list[dictionary.Entry], extra_words: list[str]) -> None:
        self.root, self.entries, self.extra_words = root, entries, extra_words
        words = "\n".join(f"{e.word} {e.frequency} {e.tag}" for e in entries)
        rules = Path(search_rules.__file__).read_bytes()  # normalisation, bigrams, question words
        # Versions from the packages' metadata: importing jieba and pypinyin takes 0.2 s, and a
        # build whose documents are all in the cache needs neither.
        versions = [importlib.metadata.version(name) for name in ("jieba", "pypinyin")]
        self.fingerprint = cache.digest(Path(__file__).read_bytes(), rules, words, "\n".join(extra_words), *versions)

    def get(self) -> Tokenizer:
        made = self._made.get(self.fingerprint)
        if made is None:
            self._made.clear()
            made = self._made[self.fingerprint] = Tokenizer(self.entries, self.extra_words)
        return made


def expansions(catalog: Catalog) -> dict[str, dict[str, float]]:
    """From a catalogue word to the trainee words it is also posted under, with their share."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for entry in catalog.synonyms:
        for find in entry.finds:
            for word in entry.words:
                f, w = search_rules.normalise(find), search_rules.normalise(word)
                if w != f:
                    out[f][w] = max(out[f].get(w, 0.0), entry.weight)
    return out


@dataclass(frozen=True)
class Inputs:
    """Everything the index is made from: documents, vocabulary, the catalogue's own words."""

    docs: list[SearchDoc]
    expand: dict[str, dict[str, float]]
    entries: list[dictionary.Entry]
    extra: list[str]

    @classmethod
    def of(cls, catalog: Catalog, root: Path) -> Inputs:
        extra = [t.name for t in catalog.tags.values()] + [m.name for m in catalog.modules.values()]
        extra += [w for e in catalog.synonyms for w in (*e.words, *e.finds)]
        entries, _ = dictionary.read(root)  # its problems stopped the build at `catalog check` already
        return cls(documents(catalog), expansions(catalog), entries, [search_rules.normalise(w) for w in extra])


def weights(
    catalog: Catalog, root: Path, inputs: Inputs | None = None
) -> tuple[list[SearchDoc], dict[str, dict[int, float]]]:
    """Documents, and for each term the final weight of each document posted under it."""
    inputs = inputs or Inputs.of(catalog, root)
    terms = _Terms(root, inputs)
    posted_all: dict[str, dict[int, float]] = defaultdict(dict)
    for index, doc in enumerate(inputs.docs):
        for term, weight in terms.postings(doc).items():
            posted_all[term][index] = weight
    terms.memo.save()
    return inputs.docs, posted_all


class _Terms:
    """A document's postings: its own terms (segmented, or from the memo), the vocabulary, the
    title's characters and its boosts."""

    def __init__(self, root: Path, inputs: Inputs) -> None:
        self.root = root
        self.expand = inputs.expand
        self.tokenizer = _LazyTokenizer(root, inputs.entries, inputs.extra)
        self.fingerprint = cache.digest(self.tokenizer.fingerprint, json.dumps(self.expand, ensure_ascii=False))

    @functools.cached_property
    def memo(self) -> cache.Memo:
        # A document's terms depend only on its text, the dictionary and the rules: they are looked
        # up by a hash of those, so jieba is not even loaded when no document changed. Opened on
        # first use: a build whose index comes whole from the cache never reads the table.
        return cache.Memo.open(self.root, "search-terms", self.tokenizer.fingerprint)

    def postings(self, doc: SearchDoc) -> dict[str, float]:
        boost = TYPE_BOOST[doc.kind] * doc.boost
        title = doc.fields.get("title", "")
        key = cache.digest(doc.kind, doc.title, json.dumps(doc.fields, ensure_ascii=False))
        direct: dict[str, float] = json.loads(self.memo.get(key, partial(_direct_json, self.tokenizer, doc)))
        posted = dict(direct)
        for term, weight in direct.items():
            for other, share in self.expand.get(term, {}).items():
                posted[other] = max(posted.get(other, 0.0), weight * share)
        for char in set(search_rules.normalise(title)):
            if search_rules.is_cjk(char) and char not in search_rules.PARTICLES:
                posted[TITLE_CHAR + char] = TITLE_CHAR_WEIGHT
        return {sys.intern(term): weight * boost for term, weight in posted.items()}


def word_shard(word: str, shards: int) -> int:
    """The file of ``search/words-N.json`` holding a dictionary word: by its first character."""
    return search_rules.fnv1a(word[0]) % shards


def _stored(weight: float) -> int:
    """A weight as the index stores it: an integer of tenths (smaller files, same ranking)."""
    return max(1, round(weight * 10))


def _encode(postings: dict[int, int]) -> list[int]:
    """Document numbers as gaps from the previous one, each followed by its stored weight."""
    flat: list[int] = []
    previous = 0
    for d, w in sorted(postings.items()):
        flat += [d - previous, w]
        previous = d
    return flat


def _decode(flat: list[int]) -> dict[int, int]:
    out, d = {}, 0
    for n in range(0, len(flat), 2):
        d += flat[n]
        out[d] = flat[n + 1]
    return out


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class _State:
    """An index as built, with what it was made of: the next build updates it by the documents
    that changed instead of merging every document's postings again."""

    fingerprint: str  # the dictionary, the rules and the vocabulary
    keys: list[str]  # each document's inputs, by a hash
    terms: list[tuple[str, ...]]  # each document's terms
    files: dict[str, bytes]


def _doc_key(doc: SearchDoc) -> str:
    return cache.digest(json.dumps([doc.kind, doc.url, doc.title, doc.meta, doc.snippet, doc.fields, doc.boost]))


def build(catalog: Catalog, root: Path) -> dict[str, bytes]:
    """All search files, by site path: ``search/...`` and the shared rules script.

    The last index of the same documents (by kind and address, in order) is kept in the cache: a
    build updates the shards and chunks that hold the documents whose text changed, and segments
    only those; a build where nothing changed reads the files. Anything else (documents added or
    removed, a new dictionary or vocabulary, the shard count changing) builds the whole index,
    which a test compares with the updated one.
    """
    inputs = Inputs.of(catalog, root)
    terms = _Terms(root, inputs)
    keys = [_doc_key(d) for d in inputs.docs]
    store = cache.Store(root, "search-index")
    shape = store.key(terms.fingerprint, json.dumps([[d.kind, d.url] for d in inputs.docs]))
    # Two entries: the files with the documents' keys, read by every build; each document's
    # terms (millions of strings at 10,000 courses), read only to update the index.
    head_key, terms_key = shape, store.key(shape, "terms")
    head: tuple[list[str], dict[str, bytes]] | None = store.get(head_key, lambda: None, keep=False)
    if head is not None and head[0] == keys:
        return head[1]
    previous = None
    if head is not None:
        stored: tuple[str, list[tuple[str, ...]]] | None = store.get(terms_key, lambda: None, keep=False)
        # Written one after the other: the terms must be those of the same build as the files.
        if stored is not None and stored[0] == cache.digest(*head[0]):
            previous = _State(terms.fingerprint, head[0], stored[1], head[1])
    state = _update(previous, inputs, keys, terms) if previous is not None else None
    if state is None:
        state = _full(inputs, keys, terms)
        terms.memo.save()
    else:
        terms.memo.save(prune=False)  # the other documents' terms were not looked up
    store.put(head_key, (state.keys, state.files))
    store.put(terms_key, (cache.digest(*state.keys), state.terms))
    store.prune(keep=8)  # two builds' (a published and a preview one)
    return state.files


def _full(inputs: Inputs, keys: list[str], terms: _Terms) -> _State:
    docs = inputs.docs
    doc_terms: list[tuple[str, ...]] = []
    posted: dict[str, dict[int, int]] = defaultdict(dict)
    for index, doc in enumerate(docs):
        postings = terms.postings(doc)  # one at a time: all of them at once took 300 MB at 10,000
        for term, weight in postings.items():
            posted[term][index] = _stored(weight)
        doc_terms.append(tuple(postings))
    ordered = sorted(posted)
    total = sum(len(p) for p in posted.values())
    shards = max(1, math.ceil(total / POSTINGS_PER_SHARD))
    shard_data: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for term in ordered:
        shard_data[search_rules.fnv1a(term) % shards][term] = _encode(posted[term])

    files: dict[str, bytes] = {"assets/search-rules.js": search_rules.rules_script()}
    files.update(_term_lists(ordered, shards, len(docs)))
    for number, data in enumerate(shard_data):
        files[f"search/shard-{number}.json"] = _json(data)
    per_chunk = _per_chunk(len(docs))
    for number in range(math.ceil(len(docs) / per_chunk)):
        files[f"search/docs-{number}.json"] = _chunk(docs, number, per_chunk)
    return _State(terms.fingerprint, keys, doc_terms, files)


def _per_chunk(count: int) -> int:
    return count if count <= ONE_CHUNK_UP_TO else DOCS_PER_CHUNK


def _chunk(docs: list[SearchDoc], number: int, per_chunk: int) -> bytes:
    part = docs[number * per_chunk : (number + 1) * per_chunk]
    return _json([[d.kind, d.url, d.title, d.meta, d.snippet] for d in part])


def _term_lists(ordered: list[str], shards: int, docs: int) -> dict[str, bytes]:
    """meta.json, the word lists and latin.json: what depends on the set of terms, not their postings."""
    words = [t for t in ordered if len(t) >= 3 and search_rules.is_cjk(t)]
    word_shards = max(1, math.ceil(len(words) / WORDS_PER_SHARD))
    word_data: list[list[str]] = [[] for _ in range(word_shards)]
    for word in words:
        word_data[word_shard(word, word_shards)].append(word)
    per_chunk = _per_chunk(docs)
    meta = {
        "format": FORMAT,
        "docs": docs,
        "shards": shards,
        "chunk": per_chunk,
        "chunks": math.ceil(docs / per_chunk),
        "titleChar": TITLE_CHAR,
        "wordShards": word_shards,
        "wordMax": max((len(w) for w in words), default=0),
    }
    files = {"search/meta.json": _json(meta)}
    for number, part_words in enumerate(word_data):
        files[f"search/words-{number}.json"] = _json(part_words)
    latin = [t for t in ordered if not search_rules.is_cjk(t) and not t.startswith(TITLE_CHAR)]
    files["search/latin.json"] = _json(latin)
    return files


def _update(previous: _State, inputs: Inputs, keys: list[str], terms: _Terms) -> _State | None:
    """``previous`` with the documents whose inputs changed replaced; None when a whole build is
    needed (many documents changed, or the shard count would change)."""
    docs = inputs.docs
    changed = [i for i, (old, new) in enumerate(zip(previous.keys, keys, strict=True)) if old != new]
    if len(changed) > max(10, len(docs) // 10):
        return None  # merging everything again is as quick
    new_postings = {i: terms.postings(docs[i]) for i in changed}
    doc_terms = list(previous.terms)
    total = sum(len(t) for t in doc_terms)
    for i, postings in new_postings.items():
        total += len(postings) - len(doc_terms[i])
    meta = json.loads(previous.files["search/meta.json"])
    shards = max(1, math.ceil(total / POSTINGS_PER_SHARD))
    if shards != meta["shards"]:
        return None  # every term moves to another shard
    touched: dict[int, set[str]] = defaultdict(set)
    for i, postings in new_postings.items():
        for term in (*doc_terms[i], *postings):
            touched[search_rules.fnv1a(term) % shards].add(term)
        doc_terms[i] = tuple(postings)
    files = dict(previous.files)
    terms_changed = False
    gone = set(changed)
    for shard, shard_terms in touched.items():
        name = f"search/shard-{shard}.json"
        data: dict[str, list[int]] = json.loads(files[name])
        for term in shard_terms:
            posted = {d: w for d, w in _decode(data.get(term, [])).items() if d not in gone}
            for i, postings in new_postings.items():
                if term in postings:
                    posted[i] = _stored(postings[term])
            terms_changed |= (term in data) != bool(posted)
            if posted:
                data[term] = _encode(posted)
            else:
                data.pop(term, None)
        files[name] = _json(dict(sorted(data.items())))
    if terms_changed:
        ordered = sorted({t for doc in doc_terms for t in doc})
        files.update(_term_lists(ordered, shards, len(docs)))
    per_chunk = _per_chunk(len(docs))
    for number in sorted({i // per_chunk for i in changed}):
        files[f"search/docs-{number}.json"] = _chunk(docs, number, per_chunk)
    return _State(previous.fingerprint, keys, doc_terms, files)


class Background:
    """The index built in a child process while the pages are rendered: a build then uses two
    cores (the index is a third of a cold build's work). ``result()`` returns the
    files; without ``fork`` (Windows), or in a process that runs threads (a fork would copy locks
    they may hold), or when the child fails, the index is built in this process there instead,
    so a failure shows as it would have (a located problem, not a lost child)."""

    def __init__(self, catalog: Catalog, root: Path) -> None:
        self.catalog, self.root = catalog, root
        self.process: Any = None
        self.conn: Any = None
        if hasattr(os, "fork") and threading.active_count() == 1 and _room_for_a_child():
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            self.process = context.Process(target=_build_in_child, args=(catalog, root, send), daemon=True)
            self.process.start()
            send.close()
            self.conn = receive

    def ready(self) -> bool:
        """Whether ``result()`` would not wait for the child."""
        return self.conn is None or bool(self.conn.poll(0))

    def result(self) -> dict[str, bytes]:
        files = None
        if self.conn is not None:
            try:
                files = self.conn.recv()
            except (EOFError, OSError):
                files = None
            self.close()
        return files if isinstance(files, dict) else build(self.catalog, self.root)

    def close(self) -> None:
        """Stop the child (a build that failed no longer needs its index)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.process is not None:
            self.process.join(timeout=0.5)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join()
            self.process = None


# The child shares the build's memory until either writes to it, and the index it makes takes
# several times the catalogue's text: at 10,000 courses the two together held 1.3 GB. A build
# already this large (resident, once the catalogue is loaded) makes its index in-process.
CHILD_BELOW_MB = 200


def _room_for_a_child() -> bool:
    if os.environ.get("CATALOG_JOBS") == "1":  # one process, whatever the size
        return False
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return resident < CHILD_BELOW_MB * 1_000_000


def _build_in_child(catalog: Catalog, root: Path, send: Any) -> None:
    try:
        files: dict[str, bytes] | None = build(catalog, root)
    except BaseException:  # the parent builds it again and reports the error there
        files = None
    try:
        send.send(files)
    finally:
        send.close()
