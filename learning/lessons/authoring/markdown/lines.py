"""A Markdown source as lines: fenced code, and what a line is
(a heading, a list item, a quotation) as Python-Markdown would read it."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from learning.lessons.authoring.kinds import Entry

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT_LEVEL_1 = re.compile(r" {0,3}=+[ \t]*")
_ITEM = re.compile(r" {0,3}[-*+][ \t]+(.*)")
_QUOTE = re.compile(r" {0,3}> ?(.*)")
# As Python-Markdown's fenced_code reads them: a fence starts a line, and only
# the same fence closes it.
_FENCE = re.compile(r"(`{3,}|~{3,})")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the file
    text: str
    in_code: bool = False  # inside a fenced code block (fences included): never structure

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indented(self) -> bool:
        return self.text.startswith(("  ", "\t"))

    def heading(self) -> tuple[int, str] | None:
        """(level, text) of an ATX heading line, None for any other line."""
        match = None if self.in_code else _HEADING.fullmatch(self.text)
        return (len(match[1]), (match[2] or "").strip()) if match else None

    def item(self) -> str | None:
        """The text of a bullet-list item line, without its marker."""
        match = None if self.in_code else _ITEM.fullmatch(self.text)
        return match[1].strip() if match else None

    def quote(self) -> str | None:
        match = None if self.in_code else _QUOTE.fullmatch(self.text)
        return match[1] if match else None


@dataclass
class Item:
    """A list item with its continuation lines joined by spaces."""

    line: int
    text: str

    def continue_with(self, line: Line) -> None:
        self.text = f"{self.text} {line.text.strip()}".strip()

    def entry(self) -> Entry | None:
        key, colon, value = self.text.partition(":")
        return Entry(self.line, key.strip(), value.strip()) if colon and key.strip() else None


def text_lines(text: str) -> tuple[list[Line], int | None]:
    """The file's lines, marking fenced code; and the line of a fence never closed."""
    lines: list[Line] = []
    fence, fence_line = None, None
    # A final line end ends the last line; it does not start an empty one.
    for number, text_line in enumerate(text.removesuffix("\n").split("\n"), start=1):
        opening = _FENCE.match(text_line)
        if fence is None and opening:
            fence, fence_line = opening[1], number
        elif fence is not None and text_line.rstrip(" ") == fence:
            fence = None
        elif fence is None:
            lines.append(Line(number, text_line))
            continue
        lines.append(Line(number, text_line, in_code=True))
    return lines, fence_line if fence is not None else None


def without_blank_edges(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and lines[start].blank:
        start += 1
    while end > start and lines[end - 1].blank:
        end -= 1
    return lines[start:end]


def markdown_of(lines: Iterable[Line]) -> str:
    return "\n".join(line.text for line in lines)


def underlines_level_1(previous: Line | None, line: Line) -> bool:
    """Is line the `===` under a paragraph line, making it a level-1 heading?"""
    return (
        previous is not None and not previous.blank and not previous.in_code and not line.in_code
        and _SETEXT_LEVEL_1.fullmatch(line.text) is not None
        and previous.heading() is None and previous.item() is None and previous.quote() is None
    )
