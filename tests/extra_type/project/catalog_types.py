"""This project's own content type, declared through the public extension point.

Notices (通知): a title, a date and a Markdown body, one file per notice under content/notices/.
The generator reads this file before anything else (``extensions.use_project_types``).
"""

from __future__ import annotations

from pathlib import Path

from generator import schema
from generator.schema import ContentType, Field

NOTICE = schema.register(
    ContentType(
        "notice",
        "通知",
        "content/notices",
        ".yml",
        fields=(
            schema.id_field(),
            Field("title", "text", "标题", "说清是什么事。", max=40),
            Field("date", "date", "日期", "YYYY-MM-DD。"),
            Field("body", "markdown", "正文", "Markdown，可分段。"),
            schema.status_field(),
        ),
        model="Notice",
        collection="notices",
        item_pages=True,
        list_page=True,
        templates=str(Path(__file__).parent / "templates"),
    )
)
