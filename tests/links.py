"""Following the links of a built site: every internal link and anchor must lead somewhere."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "action"):
                self.refs.append((tag, name, value))
            if name == "id":
                self.ids.add(value)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Internal links (href, src, form actions) and anchors of every page that lead nowhere."""
    broken = []
    # 404.html is served at any address, so MkDocs writes it with root-relative links.
    parsed = {path: parse(path) for path in site.rglob("*.html") if path.name != "404.html"}
    for path, links in parsed.items():
        for tag, _attr, value in links.refs:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//") or value.startswith("mailto:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {tag} {value}")
            elif parts.fragment and target.suffix == ".html" and target in parsed:
                if parts.fragment not in parsed[target].ids:
                    broken.append(f"{path.relative_to(site)}: anchor {value}")
    return broken
