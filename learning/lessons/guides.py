"""The editors' documentation (docs/authoring.md, docs/lesson-format.md) as
pages, rendered as a lesson body is (the same Markdown and sanitiser). Read
and rendered once per process: the documents do not change while it runs."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from learning.core.config import PROJECT_ROOT
from learning.core.memo import remembered
from learning.lessons.authoring import Section, render_markdown

# name -> (file in docs/, its language, the endpoint of its page)
GUIDES = {
    "guide": ("authoring.md", "vi", "edit.guide"),
    "format": ("lesson-format.md", "en", "edit.format_reference"),
}


@dataclass(frozen=True)
class GuidePage:
    title: str  # the document's first line, `# Title`
    language: str
    body: str  # sanitised HTML
    sections: list[Section]  # its ## headings, for the contents


def page(name: str) -> GuidePage | None:
    """The page of a guide, or None if there is no such guide or its file is missing."""
    if name not in GUIDES:
        return None
    return remembered("editor_guides", name, lambda: _render(name), limit=len(GUIDES))


def _render(name: str) -> GuidePage | None:
    filename, language, _endpoint = GUIDES[name]
    try:
        text = (PROJECT_ROOT / "docs" / filename).read_text(encoding="utf-8")
    except OSError:
        return None
    first, _newline, rest = text.partition("\n")
    body, sections = render_markdown(rest)
    # The two documents name each other by file; here they link to each other's page.
    for other_file, _language, endpoint in GUIDES.values():
        body = body.replace(f"<code>docs/{other_file}</code>",
                            f'<a href="{url_for(endpoint)}"><code>docs/{other_file}</code></a>')
    return GuidePage(first.removeprefix("# ").strip(), language, body, [s for s in sections if s.level == 2])
