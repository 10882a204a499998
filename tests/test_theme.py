"""The theme partial copied from Material stays in step with the installed theme.

generator/site/overrides/partials/header.html replaces Material's header to swap the theme's
search for the catalogue's. It was derived from the upstream file stored in tests/upstream/
(Material 9.8.2). When a Material upgrade changes that file, the first test fails with the
upstream diff: port the change into the override, then store the new upstream file.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .conftest import REPO

UPSTREAM = REPO / "tests" / "upstream" / "material-partials-header.html"
OVERRIDE = REPO / "generator" / "site" / "overrides" / "partials" / "header.html"
# Material's generated-file banner: the override is edited by hand, so it drops it.
BANNER = ["{#-", "  This file was automatically generated - do not edit", "-#}"]
# The one block of upstream the override replaces: the theme's search button and dialog.
SEARCH_BLOCK_START = '{% if "material/search" in config.plugins %}'


def _installed_header() -> Path:
    import material

    return Path(material.__file__).parent / "templates" / "partials" / "header.html"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_the_installed_theme_header_is_the_one_the_override_was_derived_from() -> None:
    installed, stored = _lines(_installed_header()), _lines(UPSTREAM)
    diff = "\n".join(difflib.unified_diff(stored, installed, str(UPSTREAM.relative_to(REPO)), "installed", lineterm=""))
    assert installed == stored, (
        "Material's partials/header.html changed upstream: port the change into "
        f"{OVERRIDE.relative_to(REPO)}, then copy the installed file over {UPSTREAM.relative_to(REPO)}.\n{diff}"
    )


def _override_body() -> list[str]:
    lines = _lines(OVERRIDE)
    assert lines[0].startswith("{#- Copied from Material for MkDocs")
    end = next(n for n, line in enumerate(lines) if line.rstrip().endswith("-#}"))
    return lines[end + 1 :]  # without the leading comment saying where it comes from


def test_the_override_differs_from_upstream_only_in_the_search() -> None:
    upstream = _lines(UPSTREAM)
    assert upstream[:3] == BANNER
    body = _override_body()
    assert not any("do not edit" in line for line in _lines(OVERRIDE))
    changes = difflib.SequenceMatcher(None, upstream[3:], body, autojunk=False).get_opcodes()
    changed = [(tag, i1, i2) for tag, i1, i2, _j1, _j2 in changes if tag != "equal"]
    assert len(changed) == 1, "\n".join(difflib.unified_diff(upstream[3:], body, "upstream", "override", lineterm=""))
    _, start, end = changed[0]
    replaced = upstream[3:][start:end]
    assert replaced[0].strip() == SEARCH_BLOCK_START and replaced[-1].strip() == "{% endif %}"


def test_the_built_header_has_the_catalogue_search_not_the_theme_search(real_site: Path) -> None:
    page = (real_site / "courses" / "online-store-setup" / "index.html").read_text(encoding="utf-8")
    header = page.split('<header class="md-header', 1)[1].split("</header>", 1)[0]
    assert 'href="../../search/"' in header or 'action="../../search/"' in header
    assert 'for="__search"' not in page  # the theme's search dialog is not there
