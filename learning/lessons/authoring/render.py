"""Markdown → safe HTML, with a fixed set of extensions.

Nothing here lets an author set attributes (no attr_list, md_in_html or
extra): the only attributes in the output are those Markdown itself writes,
and sanitize_html checks even those. Every result passes through it.
"""
from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

import markdown
from markdown.blockprocessors import ParagraphProcessor
from markdown.util import Registry

from learning.lessons.authoring.model import Section
from learning.lessons.authoring.sanitize import sanitize_html
from learning.lessons.authoring.text import slugify

SECTION_LEVELS = "2-6"  # level 1 is the lesson title, never a section
_SLUG_LENGTH = 70  # leaves room for "s-" and a "-NN" suffix within the 80 allowed
_FALLBACK_SLUG = "muc"  # for a heading with no ASCII-able letter at all, e.g. "## ★"
# Block parsing an inline text must not do: "1. Đúng" is not a list, "# x" not a heading.
_BLOCK_PREPROCESSORS = ("html_block", "fenced_code_block")


class _SectionIds:
    """The toc extension's slugify: `s-<ascii slug>`, made unique here with
    `-2`, `-3`... because toc's own `_1` suffix would fail the sanitiser's id rule."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, title: str, _separator: str) -> str:
        base = "s-" + (slugify(title)[:_SLUG_LENGTH].strip("-") or _FALLBACK_SLUG)
        anchor, count = base, 1
        while anchor in self._used:
            count += 1
            anchor = f"{base}-{count}"
        self._used.add(anchor)
        return anchor


def _new_markdown() -> markdown.Markdown:
    # A Markdown instance keeps state between conversions; a fresh one costs ~0.3 ms.
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "fenced_code", "toc"],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": _SectionIds(), "permalink": False, "marker": "", "toc_depth": SECTION_LEVELS},
        },
        output_format="html",
    )


def _flatten(tokens: list[dict[str, Any]]) -> list[Section]:
    sections: list[Section] = []
    for token in tokens:
        sections.append(Section(anchor=token["id"], title=html.unescape(token["name"]), level=token["level"]))
        sections.extend(_flatten(token["children"]))
    return sections


def render_markdown(source: str) -> tuple[str, list[Section]]:
    """Sanitised HTML of a Markdown text, and its ## to ###### headings in order."""
    md = _new_markdown()
    body = md.convert(source)
    return sanitize_html(body), _flatten(md.toc_tokens)


def render_inline(source: str) -> str:
    """Sanitised HTML of a one-paragraph text (a prompt, a choice) without the
    <p> around it. Only inline Markdown applies: emphasis, code, links."""
    md = _new_markdown()
    paragraph_only = Registry()
    paragraph_only.register(ParagraphProcessor(md.parser), "paragraph", 10)
    md.parser.blockprocessors = paragraph_only
    for name in _BLOCK_PREPROCESSORS:
        md.preprocessors.deregister(name)
    lines = [line for line in source.strip().splitlines() if line.strip()]
    paragraph = md.convert("\n".join(lines))
    return sanitize_html(paragraph.removeprefix("<p>").removesuffix("</p>"))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, tags removed, entities decoded."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return "".join(collector.parts)
