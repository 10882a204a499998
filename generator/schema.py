"""The content model, defined once.

Validation, the JSON Schemas in ``schemas/``, the scaffolds of ``catalog new`` and the editors'
field reference are all derived from the definitions here, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

AUDIENCES = (
    "驻村第一书记",
    "返乡创业大学生",
    "农村电商从业者",
    "合作社负责人",
    "传统企业经营者",
    "乡村文旅经营者",
)
LEVELS = ("入门", "进阶", "高级")
FORMATS = ("线下面授", "线上直播", "录播课", "线上线下混合", "实地研学")
# What a case is about, and the word its page uses for it: a case may tell of a person, an
# organisation or a place, so the page never calls every subject a trainee.
SUBJECT_LABELS = {"个人": "人物", "企业": "企业", "合作社": "合作社", "地区": "地方"}
SUBJECT_KINDS = tuple(SUBJECT_LABELS)
STATUSES = ("published", "draft")
DRAFT = "draft"
# Every placeholder that `catalog new` writes contains this word, so `check` can point at each one
# and the published build refuses them.
PLACEHOLDER = "待填写"

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # JSON Schema syntax: in Python use ``is_id``
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"


MAX_ID_LENGTH = 64


def is_id(value: str) -> bool:
    """A valid id. ``fullmatch``: with ``match``, ``$`` would also accept a trailing newline."""
    return len(value) <= MAX_ID_LENGTH and re.fullmatch(ID_PATTERN, value) is not None


@dataclass(frozen=True)
class Field:
    """One field of a content type.

    ``kind`` is one of: id, text, markdown, int, number, bool, date, url, enum, ref, object, list.
    For ``list``, ``item`` describes each element. ``ref`` names the content type referred to.
    """

    name: str
    kind: str
    label: str
    help: str
    required: bool = True
    enum: tuple[str, ...] = ()
    ref: str = ""
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    min: float | None = None
    max: float | None = None
    # A fact taken from the cited report (not an editor's choice such as related courses): the
    # content type must carry a citation, and every page showing the value links to it.
    fact: bool = False


# Every file's id: the same rule everywhere, and the file name must match it.
_ID_FIELD_HELP = "小写英文、数字和连字符，与文件名相同。"


def _id() -> Field:
    return Field("id", "id", "编号", _ID_FIELD_HELP)


def _status() -> Field:
    # Last in every file that becomes a page: a draft is previewed but never published.
    help = "published 表示正式内容（不写也是）；draft 表示草稿：本地预览和拉取请求预览里能看到，正式发布时不生成。"
    return Field("status", "enum", "状态", help, required=False, enum=STATUSES)


def _list(name: str, label: str, help: str, item: Field, **kw: Any) -> Field:
    return Field(name, "list", label, help, item=item, **kw)


_PLACE = (
    Field("province", "text", "省份", "省、自治区或直辖市，如“贵州省”。", required=False, max=20),
    Field("city", "text", "地市", "地级市或自治州，如“毕节市”。", required=False, max=20),
    Field("county", "text", "区县", "县、区或县级市，如“赫章县”。", required=False, max=20),
)

_SOURCE = (
    Field("publication", "text", "媒体", "发表该报道的媒体名称。", max=40),
    Field("title", "text", "报道标题", "报道的原标题。", max=120),
    Field("date", "date", "发表日期", "YYYY-MM-DD，或只写到月份 YYYY-MM。"),
    Field("url", "url", "网址", "报道的网址，以 http:// 或 https:// 开头。"),
    Field("note", "text", "说明", "关于出处的补充说明，如网址未能核实。", required=False, max=80),
)


@dataclass(frozen=True)
class ContentType:
    """A kind of content file: where its files live and which fields they have."""

    name: str
    label: str
    folder: str  # relative to the project root; "{module}" for per-module subfolders
    suffix: str  # ".yml" or ".md"
    fields: tuple[Field, ...]
    single_file: str = ""  # for program.yml / tags.yml
    is_list: bool = False  # tags.yml holds a list of entries
    optional_file: bool = False  # a single file that may be absent
    citation: str = ""  # the field holding the sources of its fact fields

    @property
    def fact_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.fact)

    @property
    def front_matter(self) -> bool:
        return self.suffix == ".md"

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


PROGRAM = ContentType(
    "program",
    "培训计划",
    "content",
    ".yml",
    single_file="content/program.yml",
    fields=(
        Field("name", "text", "计划名称", "培训计划的正式名称。", max=60, fact=True),
        Field("tagline", "text", "一句话介绍", "显示在首页标题下的一句话。", max=80, fact=True),
        Field(
            "summary",
            "markdown",
            "计划简介",
            "首页与“关于”页上的介绍，Markdown；计划中的事写成计划，不写成已做到。",
            fact=True,
        ),
        _list(
            "organizers",
            "主办单位",
            "主办单位的正式名称，每项一个。",
            Field("organizer", "text", "主办单位", "", max=40),
            min=1,
            fact=True,
        ),
        Field("launched", "date", "启动时间", "YYYY-MM 或 YYYY-MM-DD，只写到报道给出的精度。", fact=True),
        Field(
            "targets",
            "object",
            "目标",
            "计划公布的目标；页面上写明是目标，不是已做到的。",
            fields=(
                Field("trainees", "int", "培训人数", "计划免费培训的人数。", min=0),
                Field("years", "int", "年限", "实现目标的年数。", min=1, max=20),
                Field("counties", "int", "覆盖县数", "计划覆盖的县数。", min=0),
                Field("counties_note", "text", "覆盖县说明", "覆盖哪一类县。", required=False, max=60),
            ),
            fact=True,
        ),
        _list(
            "figures",
            "公开数字",
            "报道中公布的数字，显示在首页。",
            Field(
                "figure",
                "object",
                "数字",
                "",
                fields=(
                    Field("value", "text", "数值", "如“近 3 万”。", max=20),
                    Field("label", "text", "说明", "这个数字指什么。", max=40),
                    Field("as_of", "date", "截至", "YYYY-MM 或 YYYY-MM-DD。", required=False),
                ),
            ),
            required=False,
            fact=True,
        ),
        _list(
            "platforms",
            "线上平台",
            "录播课程上线的平台。",
            Field(
                "platform",
                "object",
                "平台",
                "",
                fields=(
                    Field("name", "text", "平台名称", "", max=30),
                    Field("note", "text", "说明", "", required=False, max=80),
                    Field("url", "url", "网址", "", required=False),
                ),
            ),
            fact=True,
        ),
        Field(
            "advisory_team",
            "object",
            "专家后援顾问团",
            "只写报道说的，不写虚构的人名。",
            fields=(
                Field("summary", "markdown", "介绍", "顾问团做什么。"),
                _list(
                    "roles",
                    "专家领域",
                    "报道提到的专家领域，每项一句；还没做到的写明是计划。",
                    Field("role", "text", "领域", "", max=80),
                    min=1,
                ),
            ),
            fact=True,
        ),
        _list("sources", "资料来源", "计划信息的出处。", Field("source", "object", "来源", "", fields=_SOURCE), min=1),
    ),
    citation="sources",
)

MODULE = ContentType(
    "module",
    "教学模块",
    "content/modules",
    ".yml",
    fields=(
        _id(),
        Field("name", "text", "模块名称", "报道中的教学板块名称。", max=30),
        Field("summary", "text", "一句话简介", "显示在模块卡片上。", max=80),
        Field("order", "int", "排序", "模块在导航和首页中的顺序，从 1 开始。", min=1, max=99),
        Field("description", "markdown", "模块介绍", "模块页顶部的介绍，Markdown。", required=False),
        _status(),
    ),
)

COURSE = ContentType(
    "course",
    "课程",
    "content/courses/{module}",
    ".yml",
    fields=(
        _id(),
        Field("title", "text", "课程名称", "具体、说清学什么，全目录不重复。", max=40),
        Field("module", "ref", "所属模块", "模块编号，与所在文件夹相同。", ref="module"),
        Field("summary", "text", "一句话简介", "一句话。", max=60),
        _list(
            "audience",
            "适合对象",
            "从固定列表中选 1 至 3 项。",
            Field("audience", "enum", "对象", "", enum=AUDIENCES),
            min=1,
            max=6,
        ),
        Field("level", "enum", "难度", "入门、进阶或高级。", enum=LEVELS),
        Field("format", "enum", "授课形式", "", enum=FORMATS),
        Field("hours", "number", "学时", "总学时，可以有半小时。", min=0.5, max=40),
        _list(
            "lessons",
            "课时安排",
            "每节有标题，可加一句简介。",
            Field(
                "lesson",
                "object",
                "一节课",
                "",
                fields=(
                    Field("title", "text", "标题", "", max=40),
                    Field("summary", "text", "简介", "一句话。", required=False, max=80),
                ),
            ),
            min=4,
            max=8,
        ),
        _list("outcomes", "学习成果", "写成“能……”。", Field("outcome", "text", "成果", "", max=80), min=3, max=5),
        _list(
            "instructors",
            "讲师",
            "讲师编号（content/instructors/ 下的文件名）。",
            Field("instructor", "ref", "讲师", "", ref="instructor"),
            min=1,
            max=4,
        ),
        _list(
            "tags", "标签", "content/tags.yml 里的标签编号。", Field("tag", "ref", "标签", "", ref="tag"), min=2, max=5
        ),
        _list(
            "prerequisites",
            "先修课程",
            "学这门课前最好先学的课程编号；没有就写 []。",
            Field("prerequisite", "ref", "先修课程", "", ref="course"),
            required=False,
            max=5,
        ),
        _list(
            "recordings",
            "录播链接",
            "已上线的录播版本。",
            Field(
                "recording",
                "object",
                "录播",
                "",
                fields=(
                    Field("platform", "text", "平台", "", max=30),
                    Field("url", "url", "网址", ""),
                ),
            ),
            required=False,
        ),
        Field("description", "markdown", "课程介绍", "Markdown，可分段。", min=150, max=400),
        _status(),
    ),
)

INSTRUCTOR = ContentType(
    "instructor",
    "讲师",
    "content/instructors",
    ".yml",
    fields=(
        _id(),
        Field("name", "text", "姓名", "", max=20),
        Field("persona", "bool", "示例人物", "true 表示这是示例人物，不是真实讲师；页面上会标明。"),
        Field("title", "text", "头衔", "", max=30),
        Field("affiliation", "text", "所在机构", "", max=40),
        _list("fields", "擅长领域", "", Field("field", "text", "领域", "", max=20), min=1, max=8),
        Field("bio", "markdown", "简介", "Markdown。"),
        _status(),
    ),
)

SESSION = ContentType(
    "session",
    "培训场次",
    "content/sessions",
    ".yml",
    fields=(
        _id(),
        Field("title", "text", "名称", "", max=40, fact=True),
        Field(
            "date",
            "date",
            "日期",
            "YYYY-MM-DD；报道只给出月份就写 YYYY-MM；报道没给就不写。",
            required=False,
            fact=True,
        ),
        Field("date_note", "text", "日期说明", "日期不确切或没有日期时的说明。", required=False, max=60, fact=True),
        Field("place", "object", "地点", "省、市、县，报道没说的不写。", fields=_PLACE, required=False, fact=True),
        Field("theme", "text", "主题", "报道说明的培训内容；没说明就不写。", required=False, max=80, fact=True),
        _list(
            "results",
            "培训上的事",
            "报道记录的这场培训上发生的事或带来的结果，每项一句。",
            Field("result", "text", "一件事", "", max=120),
            required=False,
            fact=True,
        ),
        _list(
            "alongside",
            "同期活动",
            "同时同地、但不属于培训本身的活动（如平台的促销活动），每项一句。",
            Field("activity", "text", "活动", "", max=120),
            required=False,
            fact=True,
        ),
        _list("sources", "资料来源", "", Field("source", "object", "来源", "", fields=_SOURCE), min=1),
        _status(),
    ),
    citation="sources",
)

CASE = ContentType(
    "case",
    "成功案例",
    "cases",
    ".md",
    fields=(
        _id(),
        Field("title", "text", "标题", "", max=40, fact=True),
        Field(
            "subject",
            "text",
            "案例主体",
            "案例讲的是谁或哪里：人名、企业或合作社的全称，或地名。",
            max=40,
            fact=True,
        ),
        Field(
            "subject_kind",
            "enum",
            "主体类型",
            "个人、企业、合作社，或地区（讲一个地方和它的产品）。",
            enum=SUBJECT_KINDS,
            fact=True,
        ),
        Field(
            "role",
            "text",
            "身份或特点",
            "报道里的说法，如“返乡创业大学生”“村级股份经济合作社”“香梨产地”。",
            max=40,
            fact=True,
        ),
        Field("summary", "text", "一句话摘要", "", max=80, fact=True),
        Field("place", "object", "地点", "报道没说的省、市、县不写，不从企业名称推断。", fields=_PLACE, fact=True),
        _list(
            "products",
            "产品",
            "报道提到的产品；没提到就写 []。",
            Field("product", "text", "产品", "", max=20),
            required=False,
            fact=True,
        ),
        _list(
            "modules",
            "相关模块",
            "案例涉及的教学模块编号。",
            Field("module", "ref", "模块", "", ref="module"),
            required=False,
        ),
        _list(
            "courses",
            "相关课程",
            "目录中与案例相关的课程编号。",
            Field("course", "ref", "课程", "", ref="course"),
            required=False,
        ),
        Field("session", "ref", "培训场次", "案例所在的培训场次编号。", ref="session", required=False, fact=True),
        _list(
            "channels",
            "销售渠道",
            "报道说的销售渠道；报道写了“等”，这里也写“等”。",
            Field("channel", "text", "渠道", "", max=30),
            required=False,
            fact=True,
        ),
        _list(
            "figures",
            "成果数字",
            "报道中给出的数字，原样引用。",
            Field(
                "figure",
                "object",
                "数字",
                "",
                fields=(
                    Field("value", "text", "数值", "", max=20),
                    Field("label", "text", "说明", "", max=60),
                ),
            ),
            required=False,
            fact=True,
        ),
        Field("source", "object", "出处", "必填：案例依据的报道。", fields=_SOURCE),
        _status(),
    ),
    citation="source",
)

PATH = ContentType(
    "path",
    "学习路径",
    "content/paths",
    ".yml",
    fields=(
        _id(),
        Field("title", "text", "名称", "", max=40),
        Field("audience", "enum", "适合对象", "", enum=AUDIENCES),
        Field("summary", "text", "简介", "这条路径带学员走到哪里。", max=120),
        _list(
            "steps",
            "步骤",
            "按学习顺序排列；每步说明为什么放在这里。",
            Field(
                "step",
                "object",
                "一步",
                "",
                fields=(
                    Field("course", "ref", "课程", "课程编号。", ref="course"),
                    Field("why", "text", "理由", "为什么这一步放在这里，一句话。", max=120),
                ),
            ),
            min=6,
            max=12,
        ),
        _status(),
    ),
)

TAG_ENTRY = Field(
    "tag",
    "object",
    "标签",
    "",
    fields=(
        Field("id", "id", "编号", "小写英文、数字和连字符。"),
        Field("name", "text", "中文名", "", max=12),
        Field("meaning", "text", "含义", "一句话说明用在什么课程上。", max=60),
    ),
)
TAGS = ContentType("tag", "标签", "content", ".yml", single_file="content/tags.yml", is_list=True, fields=(TAG_ENTRY,))

SYNONYMS = ContentType(
    "synonyms",
    "搜索词表",
    "content",
    ".yml",
    single_file="content/synonyms.yml",
    is_list=True,
    optional_file=True,
    fields=(
        Field(
            "entry",
            "object",
            "词条",
            "学员的说法和目录里对应的词，一个意思一条。",
            fields=(
                _list(
                    "words",
                    "学员的说法",
                    "学员会搜的词，每个至少两个字。",
                    Field("word", "text", "说法", "", max=12),
                    min=1,
                    max=12,
                ),
                _list(
                    "finds",
                    "目录用词",
                    "课程里写的词：搜上面任何一个说法，也能找到写了这些词的课程；反过来不会。",
                    Field("find", "text", "目录用词", "", max=12),
                    min=1,
                    max=12,
                ),
                Field(
                    "weight",
                    "number",
                    "权重",
                    "找到的课程按原词分量的几成算，默认 0.6；意思越远写得越小。",
                    required=False,
                    min=0.1,
                    max=1,
                ),
            ),
        ),
    ),
)

CONTENT_TYPES: dict[str, ContentType] = {
    t.name: t for t in (PROGRAM, MODULE, COURSE, INSTRUCTOR, SESSION, CASE, PATH, TAGS, SYNONYMS)
}
