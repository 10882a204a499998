"""Sanitise the output: HTML made from content Markdown holds no script, whatever the source check says.

The site tests switch the source check off, so that what reaches the pages is decided by the
sanitiser alone: it must hold on its own (defence in depth, issue 8).
"""

from __future__ import annotations

import html
import random
import re
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown.inlinepatterns import LinkInlineProcessor

from generator import markdown_policy, safe_html
from generator.cli import build_site
from generator.markdown_policy import check
from generator.safe_html import markdown_only, render

from .browser import serve
from .conftest import CASE, DESCRIPTION, MKDOCS_YML, PROGRAM, tiny_files

FORBIDDEN = {"script", "iframe", "object", "embed", "style", "svg", "math", "frame", "frameset", "base", "link"}
FORBIDDEN |= {"meta", "form", "input", "template", "noscript", "textarea", "select", "video", "audio", "details"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}


def url_scheme(value: str) -> str:
    """The scheme a browser reads from an attribute value (WHATWG URL: trim C0 and space, drop tab/newline)."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


class _Dangers(HTMLParser):
    def __init__(self, html: str, images: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.images = images
        self.found: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and value is not None:
                if url_scheme(value) in ("javascript", "vbscript", "data"):
                    self.found.append(f"{tag} {name}={value[:30]}")
                if tag == "img" and name == "src" and self.images is not None and not value.startswith(self.images):
                    self.found.append(f"img src={value[:30]}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def dangers(html: str, images: str | None = None) -> list[str]:
    """What in an HTML text could run script or fetch from elsewhere; [] when it is inert.

    Python's html.parser reads some malformed markup differently from a browser (``<!-->`` ends
    a comment in a browser), so tag names are also searched as text: in the sanitiser's output
    a "<" in text is always escaped, so any of these is a real element.
    """
    found = _Dangers(html, images).found
    found += [f"raw <{m.group(1)}" for m in re.finditer(r"<(script|iframe|svg|object|style|math)", html, re.I)]
    return found


def raw_dangers(html: str) -> list[str]:
    """``dangers`` for Markdown's own output, which may be malformed: also any tag with on…=."""
    found = dangers(html)
    found += [m.group(0) for m in re.finditer(r"<[A-Za-z][^>]*[\s/]on[a-z]+\s*=", html, re.I)]
    return found


# --------------------------------------------------------------------------- the forms

FORMS = {
    "tag without whitespace": "<img/src=x onerror=alert(1)>",
    "< inside an attribute": '<img alt="<" src=x onerror="alert(2)">',
    "escaped backtick": "\\`<img src=x onerror=alert(3)>\\`",
    "~~~ fence": "~~~\n<script>window.__pwned=4</script>\n~~~",
    "reference in a quote": "> [q]: javascript:alert(5)\n>\n> [点我][q]",
    "reference in a list": "- [l]: jav&#x61;script:alert(6)\n\n[点我][l]",
    "reference image, other host": "![外链][r]\n\n[r]: https://evil.example/x.png",
    "reference image, outside": "![外面][o]\n\n[o]: content/images/../../cases/story.md",
    "svg": "<svg/onload=alert(7)>",
    "iframe": '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>',
    "style": "<style>body{display:none}</style>",
    "comment break-out": "<!--><img src=x onerror=alert(9)>-->",
    "entity scheme": "[点我](&#106;avascript:alert(10))",
    "data image": "![d](data:image/png;base64,iVBORw0KGgo=)",
}
HOSTILE = "\n\n".join(FORMS.values()) + "\n"


@pytest.mark.parametrize("form", FORMS)
def test_each_form_is_inert_after_rendering_and_refused_by_the_check(form: str) -> None:
    text = FORMS[form]
    assert raw_dangers(markdown_only(text).html) or "![" in text  # Markdown alone would publish it
    assert dangers(render(text, "images/"), "images/") == []
    assert check(text, "cases/story.md", 21, Path(".")) != []


# A second set of the same classes (found by an independent review): mXSS and parser
# differentials, every link form with disguised schemes, images that leave or fake the folder.
SECOND_FORMS = {
    "svg style mXSS": "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "math mglyph mXSS": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "annotation-xml": '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml></math>',
    "noscript attribute": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "template": "<template><img src=x onerror=alert(1)></template>",
    "comment --!>": "<!-- --!><img src=x onerror=alert(1)> -->",
    "CDATA in svg": "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "attribute across lines": "<sub\nonmouseover=alert(1)\n>x</sub>",
    "quoted attribute across lines": "<kbd title='a\nb' onclick='alert(1)\n'>x</kbd>",
    "form feed before attribute": "<mark\x0conclick=alert(1)>x</mark>",
    "processing instruction": '<?xml version="1.0"?><img src=x onerror=alert(1)>',
    "xmp": "<xmp><img src=x onerror=alert(1)></xmp>",
    "base": '<base href="javascript:alert(1)//">',
    "details ontoggle": "<details open ontoggle=alert(1)>",
    "html after double backticks": "`<img src=x onerror=alert(1)>`` <img src=x onerror=alert(2)>",
    "script in a list item": "- <script>alert(1)</script>\n- b",
    "raw a tag": "<a href=javascript:alert(1)>x</a>",
    "hex entity scheme": "[x](&#x6A;avascript:alert(1))",
    "&colon;": "[x](javascript&colon;alert(1))",
    "entities without semicolons": "[x](&#0000106&#0000097vascript:alert(1))",
    "angle-bracket destination": "[x](<javascript:alert(1)>)",
    "newline in the scheme": "[x](java\nscript:alert(1))",
    "mixed case": "[x](JaVaScRiPt:alert(1))",
    "data: html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "reference in a quote, entities": "[x][r]\n\n> [r]: &#106;avascript:alert(1)",
    "reference indented three spaces": "[x][r]\n\n   [r]: javascript:alert(1)",
    "reference in angle brackets": "[x][r]\n\n[r]: <javascript:alert(1)>",
    "collapsed reference": "[r][]\n\n[r]: javascript:alert(1)",
    "reference in a quoted list in a quote": "[x][r]\n\n> - > [r]: vbscript:alert(1)",
    "autolink javascript": "<javascript:alert(1)>",
    "autolink upper case": "<JAVASCRIPT:alert(1)>",
    "image %2f": "![a][r]\n\n[r]: content/images/..%2f..%2fcases/story.md",
    "image %2e%2e": "![a][r]\n\n[r]: content/images/%2e%2e/%2e%2e/mkdocs.yml",
    "image backslashes": "![a](content\\images\\..\\..\\mkdocs.yml)",
    "image data svg": "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "image blob": "![a](blob:https://x/y)",
    "image file": "![a](file:///etc/passwd)",
    "image protocol-relative": "![a](//evil.example/x.png)",
    "image javascript entity": "![a](&#106;avascript:alert(1))",
}


@pytest.mark.parametrize("form", SECOND_FORMS)
def test_each_form_of_the_second_set_is_inert_after_rendering_and_refused_by_the_check(form: str) -> None:
    text = SECOND_FORMS[form]
    assert dangers(render(text, "images/"), "images/") == []
    assert check(text, "cases/story.md", 21, Path(".")) != []


def test_an_image_file_name_is_percent_encoded_in_the_page() -> None:
    # "a#b.png" written as a%23b.png: the page must ask for that file, not for "a" with a fragment.
    assert render("![a](content/images/a%23b.png)", "../images/") == '<p><img alt="a" src="../images/a%23b.png"></p>'
    assert render("![a](content/images/核桃.png)", "../images/") == (
        '<p><img alt="a" src="../images/%E6%A0%B8%E6%A1%83.png"></p>'
    )


@pytest.mark.parametrize("path", ["content/images/.x.png", "content/images/.d/x.png", "content/images/%2ex.png"])
def test_an_image_that_is_never_published_is_refused(tmp_path: Path, path: str) -> None:
    # Hidden files and folders are not published (publish.images): the page would show a broken image.
    (tmp_path / "content/images/.d").mkdir(parents=True)
    for name in (".x.png", ".d/x.png"):
        (tmp_path / "content/images" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    problems = check(f"![a]({path})", "cases/story.md", 21, tmp_path)
    assert [(p.location.line, p.location.column) for p in problems] == [(21, 6)]
    assert "隐藏文件或文件夹" in problems[0].message
    assert "<img" in render(f"![a]({path})", "images/") and "src" not in render(f"![a]({path})", "images/")


FORBIDDEN_ENTITIES = ["&#x202E;", "&#8238;", "&rlm;", "&zwj;", "&ZeroWidthSpace;", "&#xFEFF;", "&#x2066;"]


@pytest.mark.parametrize("entity", FORBIDDEN_ENTITIES)
def test_a_forbidden_character_written_as_an_entity_is_refused_where_it_is(entity: str) -> None:
    # The file-level character check sees only "&#x202E;"; the page would hold the character itself.
    for text in (f"正文{entity}文字", f"[链接](https://example.org/{entity}x)"):
        problems = check(text, "cases/story.md", 21)
        assert [(p.location.line, p.location.column) for p in problems] == [(21, text.index("&") + 1)]
        assert problems[0].message.startswith("这里用字符实体写了不允许的字符 U+")


def test_an_entity_in_a_code_span_is_shown_not_decoded() -> None:
    assert check("写成 `&#x202E;` 就会反转文字方向", "cases/story.md", 21) == []


def hostile_files() -> dict[str, str]:
    def block(text: str, indent: int) -> str:
        return textwrap.indent(text, " " * indent)

    files = tiny_files()
    files["cases/story.md"] = CASE.replace("正文第一段。\n", HOSTILE)
    course = files["content/courses/shop/course-a.yml"]
    files["content/courses/shop/course-a.yml"] = course.rstrip("\n") + "\n\n" + block(HOSTILE, 2)
    files["content/program.yml"] = PROGRAM.replace("summary: 简介。", "summary: |\n" + block(HOSTILE, 2)).replace(
        "  summary: 顾问团。", "  summary: |\n" + block(HOSTILE, 4)
    )
    files["content/modules/shop.yml"] += "description: |\n" + block(HOSTILE, 2)
    teacher = files["content/instructors/teacher.yml"]
    files["content/instructors/teacher.yml"] = teacher.replace("bio: 示例人物。", "bio: |\n" + block(HOSTILE, 2))
    files["mkdocs.yml"] = MKDOCS_YML
    files["content/jieba_userdict.txt"] = "直播带货 3000 n\n"
    assert DESCRIPTION in files["content/courses/shop/course-a.yml"]
    return files


PAGES = [
    "cases/story/index.html",
    "courses/course-a/index.html",
    "index.html",
    "about/index.html",
    "modules/shop/index.html",
    "instructors/teacher/index.html",
]


@pytest.fixture(scope="module")
def unchecked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site with every Markdown field hostile, built with the source check switched off."""
    root = tmp_path_factory.mktemp("unchecked")
    for rel, text in hostile_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown_policy, "check", lambda *args, **kwargs: [])
        build_site(root, root / "site")
    return root / "site"


def prose(page: str) -> str:
    """The HTML rendered from Markdown fields: the templates put each in a cc-prose block."""
    blocks = re.findall(r'<div class="cc-prose">(.*?)</div>', page, re.DOTALL)
    assert blocks
    return "\n".join(blocks)


@pytest.mark.parametrize("page", PAGES)
def test_without_the_source_check_the_pages_hold_nothing_that_runs(unchecked_site: Path, page: str) -> None:
    html = prose((unchecked_site / page).read_text(encoding="utf-8"))
    assert "点我" in html and "外链" in html  # the hostile text was rendered here
    depth = page.count("/")
    assert dangers(html, "../" * depth + "images/") == []
    assert "evil.example" not in html
    assert "../cases/story.md" not in html


def test_the_check_refuses_the_same_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    for rel, text in hostile_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 1
    out = capsys.readouterr().out
    for rel in ("cases/story.md", "content/courses/shop/course-a.yml", "content/program.yml"):
        assert f"\n{rel}:" in "\n" + out
    assert "Traceback" not in out


@pytest.fixture(scope="module")
def chromium(unchecked_site: Path, browser: Any) -> Iterator[tuple[Any, str]]:
    """The session's chromium (conftest) and the unchecked site on loopback."""
    with serve(unchecked_site) as url:
        yield browser, url


@pytest.mark.parametrize("page", PAGES)
def test_in_chromium_a_hostile_body_runs_no_script(chromium: tuple[Any, str], page: str) -> None:
    browser, url = chromium
    tab = browser.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(url + page.removesuffix("index.html"))
    tab.wait_for_load_state("load")
    links = tab.locator("article a", has_text="点我")
    assert links.count() >= 3
    for index in range(links.count()):
        links.nth(index).click(timeout=2000)
    tab.wait_for_timeout(200)
    assert tab.url.startswith(url)
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    # Only the build's own charts (About) draw SVG; nothing from content does.
    hostile = "article script, article iframe, article svg:not(figure.cc-chart > svg)"
    assert tab.evaluate(f"document.querySelectorAll('{hostile}').length") == 0
    assert [r for r in requests if not r.startswith(url)] == []
    tab.close()


# --------------------------------------------------------------------------- fuzz

TAGS = ["script", "img", "svg", "iframe", "object", "embed", "style", "a", "br", "sub", "math", "details", "body"]
TAGS += ["video", "input", "form", "marquee", "base", "link", "meta", "template", "noscript", "textarea", "kbd"]
SEPARATORS = [" ", "/", "\t", "\n", "\x0c", "//", " /", "/ "]
ATTRIBUTES = ["onerror", "onload", "OnClick", "onmouseover", "onfocus autofocus", "ontoggle open", "style", "href"]
ATTRIBUTES += ["src", "xlink:href", "formaction", "srcdoc", "action", "background", "data", "poster"]
SCHEMES = ["javascript:", "JaVaScRiPt:", "jav&#x61;script:", "&#106;avascript:", "java&#x09;script:"]
SCHEMES += ["java&Tab;script:", "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;", " javascript:"]
SCHEMES += ["vbscript:", "data:text/html,", "data:image/svg+xml,", "javascript&colon;", "jav\tascript:", "&#0000106;s:"]
WRAPPERS = ["{}", "```\n{}\n```", "~~~\n{}\n~~~", "\\`{}\\`", "`{}`", "    {}", "> {}", "- {}", "<div>\n{}\n</div>"]
WRAPPERS += [
    "<!-- -->{}",
    "<p>{}</p>",
    "正文{}正文",
    "`` ` ``{}",
    "\\\\`{}`",
    "<sub>{}</sub>",
    "*{}*",
    "[{}](https://a.b)",
]


def fuzz_piece(rng: random.Random) -> str:
    scheme = rng.choice(SCHEMES) + "alert(1)"
    kind = rng.randrange(3)
    if kind == 0:  # a tag
        value = rng.choice([f'"{scheme}"', f"'{scheme}'", scheme, f'"<" x={scheme}', f'">" {scheme}', "x"])
        attribute = rng.choice(ATTRIBUTES)
        tag = rng.choice(TAGS)
        if rng.random() < 0.3:
            tag = "".join(c.upper() if rng.random() < 0.5 else c for c in tag)
        piece = f"<{tag}{rng.choice(SEPARATORS)}{attribute}={value}>"
        if rng.random() < 0.5:
            piece += f"x</{tag}>"
    elif kind == 1:  # a Markdown link or image
        piece = rng.choice(
            [
                f"[t]({scheme})",
                f"[t](<{scheme}>)",
                f"[t][r]\n\n[r]: {scheme}",
                f"> [t][r]\n>\n> [r]: {scheme}",
                f"- [r]: {scheme}\n\n[t][r]",
                f"![i]({scheme})",
                f"![i][r]\n\n[r]: {scheme}",
                f"> ![i][r]\n>\n> [r]: {scheme}",
                f"<{scheme}>",
                "![i](//evil.example/a.png)",
                "![i](content/images/../../x.png)",
                "![i](content/images/%2e%2e/x.png)",
                f'[t](https://a.b "{scheme}")',
            ]
        )
    else:  # a comment, declaration or bogus markup
        piece = rng.choice(
            [
                "<!--><img src=x onerror=alert(1)>-->",
                "<!-- --!><img src=x onerror=alert(1)>",
                "<![CDATA[<img src=x onerror=alert(1)>]]>",
                "<?x <img src=x onerror=alert(1)> ?>",
                "</x <img src=x onerror=alert(1)>>",
                "<img src=x onerror=alert(1)//",
                '<a href="https://a.b" onclick=alert(1)>t</a>',
            ]
        )
    return rng.choice(WRAPPERS).format(piece)


def fuzz_documents(count: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    joins = ["", " ", "\n", "\n\n"]
    return ["".join(fuzz_piece(rng) + rng.choice(joins) for _ in range(rng.randint(1, 3))) for _ in range(count)]


DOCUMENTS = fuzz_documents(400)


def test_fuzz_documents_are_varied_and_hostile() -> None:
    assert len(set(DOCUMENTS)) > 390
    raw_dangerous = sum(bool(raw_dangers(markdown_only(d).html)) for d in DOCUMENTS)
    assert raw_dangerous > 150  # without the sanitiser, most of them would be live


@pytest.mark.parametrize("chunk", range(8))
def test_fuzz_nothing_that_runs_survives_rendering(chunk: int) -> None:
    for document in DOCUMENTS[chunk::8]:
        for images in ("images/", "../../images/"):
            assert dangers(render(document, images), images) == [], document


@pytest.mark.parametrize("chunk", range(8))
def test_fuzz_the_check_refuses_whatever_markdown_alone_would_let_through(chunk: int) -> None:
    for document in DOCUMENTS[chunk::8]:
        if raw_dangers(markdown_only(document).html):
            problems = check(document, "cases/story.md", 21, Path("."))
            assert problems, document
            assert all(p.location.line >= 21 for p in problems)


# --------------------------------------------------------------------------- the backstop and the renderer


def test_the_backstop_reports_what_the_scan_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown_policy, "_check_raw_html", lambda *args: None)
    problems = check("第一行\n\n正文<img/src=x onerror=alert(1)>。", "cases/story.md", 21)
    assert [p.text() for p in problems] == [
        "cases/story.md:23:3: 这里的内容会被网站的安全过滤删除或改变：“<img/src=x onerror=alert(1)>”"
        "（正文只能用 Markdown；HTML 标签只能用 <br>、<kbd>、<mark>、<small>、<sub>、<sup>，要成对且不带属性）"
    ]


ALLOWED = {
    "emphasis": "**粗** *斜*",
    "raw inline tags": "H<sub>2</sub>O m<sup>3</sup> <mark>重点</mark> <small>注</small> <kbd>Ctrl</kbd> 行末<br>",
    "line break": "第一行  \n第二行",
    "lists": "- 甲\n- 乙\n\n3. 三\n4. 四",
    "quote and headings": "> 引用\n\n## 二级\n\n### 三级\n\n###### 六级",
    "code": "`<b>` 和\n\n    <script>示例</script>\n\n```\n<i>多行</i>\n```",
    "rule": "上\n\n---\n\n下",
    "links": '[网站](https://a.b/?x=1&y=2 "标题") [邮件](mailto:a@b.c) [站内](../courses/x/) <https://a.b/c>',
    "reference link": "见[说明][1]。\n\n[1]: https://a.b/",
    "image": '![核桃](content/images/walnut.png "礼盒")',
    "reference image": "![核桃][w]\n\n[w]: content/images/walnut.png",
    "entities": "&copy; &amp; &lt;b&gt;",
}


@pytest.mark.parametrize("name", ALLOWED)
def test_what_the_policy_allows_passes_the_check_and_is_published_unchanged(name: str) -> None:
    text = ALLOWED[name]
    assert check(text, "f.md", 1) == []
    assert markdown_policy.changed_by_sanitiser(markdown_only(text).html) is None
    # The same markup; only how characters are written may differ (&copy; becomes ©).
    assert html.unescape(render(text)) == html.unescape(markdown_only(text).html)


def test_images_are_rewritten_to_the_published_folder() -> None:
    assert (
        render(ALLOWED["image"], "../../images/")
        == '<p><img alt="核桃" src="../../images/walnut.png" title="礼盒"></p>'
    )


def test_the_fast_bracket_scan_gives_what_python_markdown_gives() -> None:
    rng = random.Random(3)
    original = LinkInlineProcessor.getText
    for _ in range(2000):
        data = "".join(rng.choice("[]a\\`(") for _ in range(rng.randint(0, 30)))
        index = rng.randint(0, len(data))
        assert safe_html._link_text(data, index) == original(None, data, index)  # type: ignore[arg-type]
