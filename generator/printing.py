"""Paper: QR codes back to the site, drawn as SVG at build time with segno.

A course page prints on one A4 sheet with its QR code (print.css); handouts per module and per
learning path list their courses, each with a QR code, for training sessions where trainees
scan them afterwards on their phones.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

# Error correction M survives a crease or a smudge on a photocopy and keeps version 5 (37 modules)
# for the catalogue's URLs; a border of 2 modules is enough on a white sheet.
QR_ERROR = "m"
QR_BORDER = 2


@lru_cache(maxsize=4096)
def qr_svg(url: str, label: str = "") -> Markup:
    """An inline SVG QR code of ``url``, scalable (no fixed size), with an accessible name."""
    import segno

    code = segno.make(url, error=QR_ERROR, micro=False)
    svg = code.svg_inline(scale=1, border=QR_BORDER, svgclass="cc-qr", lineclass=None, omitsize=True)
    name = escape(label or f"二维码：{url}")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1))
