"""Text rules shared by the index builder (Python) and the browser (search page, header box, finder).

Defined once, here. The build writes them into ``assets/search-rules.js`` together with the
browser's implementation of the same functions (``generator/site/search_text.js``), and
``tests/search_vectors.yml`` runs one set of vectors against both sides.

- Normalisation: Unicode NFKC (full-width letters and digits become ASCII), then lower case.
- Runs: a text is split into runs of Chinese characters and runs of Latin letters and digits;
  everything else separates.
- Question words (怎么, 需要 …) and particles (的, 吗 …) say how something is asked, not what:
  queries drop them. Generic words (入门, 技巧, 课程 …) may lift results but never make one.
- Bigrams: every overlapping pair of Chinese characters of a run, as Lucene's CJK analyzer
  indexes Chinese, so a word no dictionary knows is still found.
- Shard hash: 32-bit FNV-1a over UTF-16 code units (low byte, then high byte).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection
from typing import Literal

from . import site_files

NORMALISATION: Literal["NFKC"] = "NFKC"
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff"

# Words of a question, not of its subject: dropped from queries, never a word of their own.
QUESTION_WORDS = tuple(
    (
        "怎么办 怎么样 怎么做 怎么弄 怎么 怎样 如何 什么样 什么 为什么 为何 哪些 哪个 哪里 哪儿 多少钱 "
        "需要 想要 应该 可以 能不能 可不可以 是不是 有没有 会不会 请问 请教 求助 我想 我要 我们 自己 大家 "
        "关于 一些 哪家 好不好"
    ).split()
)
# One-character function words: they split a query but are never part of a word.
PARTICLES = "的了吗呢吧啊呀嘛哦么"
# Words that say what kind of help is wanted, not about what: they may lift a result that has
# them, but a query made of them alone finds nothing.
GENERIC_WORDS = tuple(
    (
        "入门 基础 零基础 新手 小白 初学者 技巧 方法 办法 方式 学习 课程 教程 培训 知识 经验 攻略 "
        "指南 大全 干货 实操 实战 要点 步骤 注意事项 事项 问题 介绍 讲解 分享 了解 资料 内容 视频教程 "
        "全套 系统 详细 免费 推荐 最好 最新 简单 快速 技术 技能 教学 原理 操作 手册 维修 修理"
    ).split()
)
HASH_BASIS = 0x811C9DC5
HASH_PRIME = 0x01000193

_RUN = re.compile(f"[{CJK_RANGES}]+|[a-z0-9]+")
_CJK_RUN = re.compile(f"^[{CJK_RANGES}]+$")
_STOP = frozenset(QUESTION_WORDS)
_GENERIC = frozenset(GENERIC_WORDS)
_MAX_RULE_WORD = max(len(w) for w in (*QUESTION_WORDS, *GENERIC_WORDS))

TEXT_JS = site_files.SITE / "search_text.js"


def normalise(text: str) -> str:
    return unicodedata.normalize(NORMALISATION, text).lower()


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, as ``hash`` in search_text.js."""
    h = HASH_BASIS
    for unit in text.encode("utf-16-le"):
        h ^= unit
        h = (h * HASH_PRIME) & 0xFFFFFFFF
    return h


def runs(text: str) -> list[str]:
    """Runs of Chinese characters and of Latin letters and digits, normalised."""
    return _RUN.findall(normalise(text))


def is_cjk(run: str) -> bool:
    return bool(_CJK_RUN.match(run))


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a Chinese run (a one-character run has none)."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def analyse(text: str, known: Collection[str] = ()) -> list[tuple[str, str]]:
    """A query as ``(kind, text)`` tokens: ``word`` (Chinese), ``latin``, ``stop`` or ``generic``.

    Within a Chinese run, question words, generic words and particles are cut out, longest first,
    left to right; a known word (``known``: the index's words of three or more characters) that
    starts at the same place and is longer wins, so 目的地 stays whole. What remains between them
    are the words of the query.
    """
    tokens: list[tuple[str, str]] = []
    longest_known = max((len(w) for w in known), default=0)
    for run in runs(text):
        if not is_cjk(run):
            tokens.append(("latin", run))
            continue
        piece = ""
        i = 0
        while i < len(run):
            kept = ""
            for size in range(min(longest_known, len(run) - i), 2, -1):
                if run[i : i + size] in known:
                    kept = run[i : i + size]
                    break
            cut, kind = "", ""
            for size in range(min(_MAX_RULE_WORD, len(run) - i), 1, -1):
                word = run[i : i + size]
                if word in _STOP or word in _GENERIC:
                    cut, kind = word, "stop" if word in _STOP else "generic"
                    break
            if not cut and run[i] in PARTICLES:
                cut, kind = run[i], "stop"
            if cut and len(kept) <= len(cut):
                if piece:
                    tokens.append(("word", piece))
                    piece = ""
                tokens.append((kind, cut))
                i += len(cut)
                continue
            step = kept or run[i]
            piece += step
            i += len(step)
        if piece:
            tokens.append(("word", piece))
    return tokens


def keywords(text: str) -> list[str]:
    """The course finder's keywords: the words and Latin runs of a query, each to be found."""
    return [t for kind, t in analyse(text) if kind in ("word", "latin")]


def specific(text: str, known: Collection[str] = ()) -> bool:
    """Whether a query has a word that can make a result (two or more characters, or Latin)."""
    return any((kind == "word" and len(t) >= 2) or kind == "latin" for kind, t in analyse(text, known))


def rules() -> dict[str, object]:
    """The shared rules as data for the browser."""
    return {
        "normalisation": NORMALISATION,
        "cjk": CJK_RANGES,
        "stop": list(QUESTION_WORDS),
        "particles": PARTICLES,
        "generic": list(GENERIC_WORDS),
        "hash": {"basis": HASH_BASIS, "prime": HASH_PRIME},
    }


def rules_script() -> bytes:
    """``assets/search-rules.js``: the rules as data, then the functions that apply them."""
    data = json.dumps(rules(), ensure_ascii=False, separators=(",", ":"))
    code = TEXT_JS.read_text(encoding="utf-8")
    return f"window.ccRules={data};\n{code}".encode()
