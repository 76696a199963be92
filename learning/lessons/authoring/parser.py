"""Lesson source → LessonDraft, as docs/lesson-format.md describes.

A line scanner, not a Markdown AST: every problem must name a line of the
file, and the structure (title, metadata, quiz) is line-shaped anyway.
Markdown proper (body, prompts, explanations) is left to render.py.
The parser never stops at the first problem: an editor fixes them all at once.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any, TypeVar

from learning.lessons.authoring.kinds import (
    EXTRA_PROPERTIES, ChoiceEntry, Entry, PropertySpec, QuestionKind, QuestionSource, kind_for, kind_labels,
)
from learning.lessons.authoring.messages import N_, _
from learning.lessons.authoring.model import (
    LessonDraft, ParseResult, Problem, QuestionDraft, QuizSettings, Section,
)
from learning.lessons.authoring.render import html_to_text, render_inline, render_markdown
from learning.lessons.authoring.text import norm, norm_keyword, parse_whole_number, parse_yes_no, slugify, strip_diacritics

T = TypeVar("T")


# -- document kinds -----------------------------------------------------------

@dataclass(frozen=True)
class DocumentKind:
    code: str  # stored, e.g. "resolution"; also its English alias
    label: str  # Vietnamese name, as authors write it and members read it
    type_code: str  # in the document number: 57-NQ/TW
    english: str  # the display name's msgid; its Vietnamese translation is `label` (a test checks)


# The one list of document kinds: the parser, search and the pages all read it.
DOCUMENT_KINDS: dict[str, DocumentKind] = {kind.code: kind for kind in (
    DocumentKind("resolution", "Nghị quyết", "NQ", N_("Resolution")),
    DocumentKind("directive", "Chỉ thị", "CT", N_("Directive")),
    DocumentKind("conclusion", "Kết luận", "KL", N_("Conclusion")),
    DocumentKind("regulation", "Quy định", "QĐ", N_("Regulation")),
    DocumentKind("decision", "Quyết định", "QĐ", N_("Decision")),
    DocumentKind("guidance", "Hướng dẫn", "HD", N_("Guidance")),
    DocumentKind("plan", "Kế hoạch", "KH", N_("Plan")),
    DocumentKind("programme", "Chương trình", "CTr", N_("Programme")),
    DocumentKind("scheme", "Đề án", "ĐA", N_("Scheme")),
    DocumentKind("dispatch", "Công văn", "CV", N_("Dispatch")),
    DocumentKind("notice", "Thông báo", "TB", N_("Notice")),
    DocumentKind("report", "Báo cáo", "BC", N_("Report")),
)}
KIND_LABELS: dict[str, str] = {code: kind.label for code, kind in DOCUMENT_KINDS.items()}
TYPE_CODES: tuple[str, ...] = tuple(dict.fromkeys(kind.type_code for kind in DOCUMENT_KINDS.values()))

_KIND_BY_KEYWORD = {
    norm_keyword(word): kind for kind in DOCUMENT_KINDS.values() for word in (kind.label, kind.code)
}
NUMBER_PATTERN = re.compile(r"([0-9]{1,4})-(%s)/([A-ZĐ][A-ZĐ0-9]{0,11})" % "|".join(TYPE_CODES))
# Type codes as typed without Đ or in the wrong case ("QD", "ctr"), to suggest the right one.
_TYPE_CODE_BY_FOLDED = {strip_diacritics(code).upper(): code for code in TYPE_CODES}


# -- limits -------------------------------------------------------------------

MAX_TITLE = 300
ISSUING_BODY_LENGTH = (2, 200)
MAX_SUMMARY = 1000
MINUTES_RANGE = (1, 600)
MAX_TAG, MAX_TAGS = 40, 10
EARLIEST_YEAR = 1930
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")
QUESTION_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
POINTS_RANGE = (1, 100)
QUIZ_HEADINGS = frozenset({"cau hoi kiem tra", "quiz"})


# -- keys ---------------------------------------------------------------------

META = {spec.name: spec for spec in (
    PropertySpec("kind", ("Loại văn bản", "Loại", "kind")),
    PropertySpec("number", ("Số hiệu", "Số", "number")),
    PropertySpec("issuing_body", ("Cơ quan ban hành", "Nơi ban hành", "issuer", "issued by")),
    PropertySpec("issued_on", ("Ngày ban hành", "Ngày", "date")),
    PropertySpec("summary", ("Tóm tắt", "summary")),
    PropertySpec("minutes", ("Thời gian học", "Thời lượng", "minutes")),
    PropertySpec("tags", ("Từ khóa", "Từ khoá", "tags")),
    PropertySpec("slug", ("Mã bài học", "Mã bài", "slug")),
)}
# What to write for each required item, shown when it is missing.
REQUIRED_META_EXAMPLES = {
    "kind": "Nghị quyết",
    "number": "57-NQ/TW",
    "issuing_body": "Bộ Chính trị",
    "issued_on": "22/12/2024",
    "summary": "…",
    "minutes": "30 phút",
}

SETTINGS = {spec.name: spec for spec in (
    PropertySpec("pass_mark", ("Điểm đạt", "pass mark")),
    PropertySpec("attempts_allowed", ("Số lần làm", "attempts")),
    PropertySpec("time_limit_minutes", ("Thời gian làm bài", "time limit")),
    PropertySpec("shuffle_questions", ("Xáo trộn câu hỏi", "shuffle questions")),
    PropertySpec("shuffle_choices", ("Xáo trộn phương án", "shuffle choices")),
    PropertySpec("counted_attempt", ("Lần được tính", "counted attempt")),
    PropertySpec("show_answers", ("Hiện đáp án", "show answers")),
)}
COUNTED_ATTEMPTS = {
    "cao nhất": "highest", "lần cuối": "last", "lần đầu": "first", "trung bình": "average",
}
SHOW_ANSWERS = {
    "sau khi nộp": "after_submit", "khi đạt": "after_pass", "khi hết lượt": "after_last_attempt",
    "khi kết thúc đợt": "after_close", "không": "never",
}
UNLIMITED_WORDS = frozenset({"khong gioi han", "unlimited"})
MINUTE_UNITS = ("minutes", "mins", "phut", "min")

KIND = PropertySpec("kind", ("Loại", "kind"))
QUESTION_ID = PropertySpec("id", ("Mã", "id"))
POINTS = PropertySpec("points", ("Điểm", "points"))
SECTION = PropertySpec("section", ("Phần", "section"))
QUESTION_PROPERTIES = {spec.name: spec for spec in (KIND, QUESTION_ID, POINTS, SECTION, *EXTRA_PROPERTIES.values())}
COMMON_PROPERTIES = frozenset({KIND.name, QUESTION_ID.name, POINTS.name, SECTION.name})


def _by_keyword(specs: dict[str, PropertySpec]) -> dict[str, PropertySpec]:
    return {norm_keyword(key): spec for spec in specs.values() for key in spec.keys}


_META_BY_KEY = _by_keyword(META)
_SETTINGS_BY_KEY = _by_keyword(SETTINGS)
_QUESTION_BY_KEY = _by_keyword(QUESTION_PROPERTIES)


# -- lines --------------------------------------------------------------------

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT_LEVEL_1 = re.compile(r" {0,3}=+[ \t]*")
_ITEM = re.compile(r" {0,3}[-*+][ \t]+(.*)")
_QUOTE = re.compile(r" {0,3}> ?(.*)")
# As Python-Markdown's fenced_code reads them: a fence starts a line, and only
# the same fence closes it.
_FENCE = re.compile(r"(`{3,}|~{3,})")
_CHOICE = re.compile(r"\[([ xX]?)\](?:[ \t]+(.*))?")
_NUMBERING = re.compile(
    r"^(?:(?:câu(?: hỏi)?|cau(?: hoi)?|question)[ \t]*[0-9]+[ \t]*[.:)]|[0-9]+[.)])(?:[ \t]+|$)", re.I)
_EXPLANATION_LABEL = re.compile(
    r"(?:\*\*|__)?(?:giải thích|giai thich|explanation)(?:[ \t]*:[ \t]*(?:\*\*|__)?|(?:\*\*|__)[ \t]*:)[ \t]*", re.I)


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


def _text_lines(text: str) -> tuple[list[Line], int | None]:
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


def _decode(source: bytes | str) -> tuple[str | None, Problem | None]:
    if isinstance(source, bytes):
        raw = source.removeprefix(b"\xef\xbb\xbf")
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            return None, Problem(line, "file.encoding", _(
                "The file is not UTF-8 text (first bad byte on this line): save it again as UTF-8"))
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Some systems save Vietnamese decomposed (NFD); every comparison assumes NFC.
    return unicodedata.normalize("NFC", text), None


def _without_blank_edges(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and lines[start].blank:
        start += 1
    while end > start and lines[end - 1].blank:
        end -= 1
    return lines[start:end]


def _markdown_of(lines: Iterable[Line]) -> str:
    return "\n".join(line.text for line in lines)


def _plain_text(markdown_text: str) -> str:
    """What a reader sees of a one-line Markdown text: `**Điều 1**` → `Điều 1`."""
    return html_to_text(render_inline(markdown_text)).strip()


class Invalid(Exception):
    """A value an author wrote cannot be used; carries the problem to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# -- values -------------------------------------------------------------------

def _whole_number(entry: Entry, low: int, high: int, area: str, units: tuple[str, ...] = ()) -> int:
    """An integer in [low, high], optionally followed by a unit (`30 phút`, `70%`).
    Units are matched after norm(), longest first."""
    text = norm(entry.value)
    unit = next((unit for unit in units if text.endswith(unit)), "")
    value = parse_whole_number(text.removesuffix(unit))
    if value is None or not low <= value <= high:
        raise Invalid(f"{area}.value" if value is None else f"{area}.range", _(
            "‘%(key)s: %(value)s’: write a whole number from %(low)s to %(high)s",
            key=entry.key, value=entry.value, low=low, high=high))
    return value


def _number_or_unlimited(entry: Entry, low: int, high: int, units: tuple[str, ...] = ()) -> int | None:
    if norm_keyword(entry.value) in UNLIMITED_WORDS:
        return None
    try:
        return _whole_number(entry, low, high, "settings", units)
    except Invalid as invalid:
        raise Invalid(invalid.code, _(
            "‘%(key)s: %(value)s’: write a whole number from %(low)s to %(high)s, or ‘không giới hạn’",
            key=entry.key, value=entry.value, low=low, high=high)) from None


def _yes_no(entry: Entry) -> bool:
    value = parse_yes_no(entry.value)
    if value is None:
        raise Invalid("settings.value", _(
            "‘%(key)s: %(value)s’: write có or không", key=entry.key, value=entry.value))
    return value


def _one_of(entry: Entry, words: dict[str, str]) -> str:
    """One of the Vietnamese `words`, or its English code (`highest`, `after_pass`)."""
    accepted = {**{code: code for code in words.values()}, **words}
    value = {norm_keyword(word): code for word, code in accepted.items()}.get(norm_keyword(entry.value))
    if value is None:
        raise Invalid("settings.value", _(
            "‘%(key)s: %(value)s’: write one of %(choices)s",
            key=entry.key, value=entry.value, choices=", ".join(words)))
    return value


def _length(entry: Entry, low: int, high: int, code: str) -> str:
    if not low <= len(entry.value) <= high:
        raise Invalid(code, _(
            "‘%(key)s’ is %(length)s characters long; write %(low)s to %(high)s",
            key=entry.key, length=len(entry.value), low=low, high=high))
    return entry.value


def _document_kind(entry: Entry) -> DocumentKind:
    kind = _KIND_BY_KEYWORD.get(norm_keyword(entry.value))
    if kind is None:
        raise Invalid("kind.unknown", _(
            "‘%(key)s: %(value)s’ is not a known kind of document; write one of %(kinds)s",
            key=entry.key, value=entry.value, kinds=", ".join(KIND_LABELS.values())))
    return kind


def _document_number(entry: Entry) -> re.Match[str]:
    match = NUMBER_PATTERN.fullmatch(entry.value)
    if match is None:
        raise Invalid("number.format", _number_hint(entry.value))
    return match


def _number_hint(value: str) -> str:
    """The most specific advice for a number not in the official form."""
    if re.search(r"\s", value):
        return _("Document number %(value)s must not contain spaces, e.g. 57-NQ/TW", value=value)
    corrected = _corrected_number(value)
    if corrected:
        return _("Document number %(value)s: write %(expected)s (capitals, and Đ in QĐ and ĐA)",
                 value=value, expected=corrected)
    if re.fullmatch(r"[0-9]{1,4}-[^/]+/?", value):
        return _("Document number %(value)s lacks the issuing body after ‘/’, e.g. 57-NQ/TW", value=value)
    return _("Document number %(value)s is not in the official form, e.g. 57-NQ/TW", value=value)


def _corrected_number(value: str) -> str | None:
    # Ð (U+00D0) looks like Đ (U+0110) and is a common slip on some keyboards.
    match = re.fullmatch(r"([0-9]{1,4})-([^/]+)/(.+)", value.upper().replace("Ð", "Đ"))
    type_code = match and _TYPE_CODE_BY_FOLDED.get(strip_diacritics(match[2]))
    if not type_code:
        return None
    candidate = f"{match[1]}-{type_code}/{match[3]}"
    return candidate if NUMBER_PATTERN.fullmatch(candidate) else None


def _issued_on(entry: Entry, today: date) -> date:
    match = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", entry.value)
    if match is None:
        raise Invalid("date.format", _(
            "‘%(key)s: %(value)s’: write the date as dd/mm/yyyy, e.g. 30/08/2025",
            key=entry.key, value=entry.value))
    try:
        issued = date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise Invalid("date.invalid", _(
            "‘%(key)s: %(value)s’ is not a real date: check the day and the month (dd/mm/yyyy)",
            key=entry.key, value=entry.value)) from None
    if issued.year < EARLIEST_YEAR:
        raise Invalid("date.range", _(
            "‘%(key)s: %(value)s’: the year must be %(year)s or later",
            key=entry.key, value=entry.value, year=EARLIEST_YEAR))
    if issued > today:
        raise Invalid("date.future", _(
            "‘%(key)s: %(value)s’ is after today (%(today)s): check the date",
            key=entry.key, value=entry.value, today=today.strftime("%d/%m/%Y")))
    return issued


def _tags(entry: Entry) -> list[str]:
    tags = list(dict.fromkeys(tag.strip() for tag in entry.value.split(",") if tag.strip()))
    too_long = [tag for tag in tags if len(tag) > MAX_TAG]
    if too_long:
        raise Invalid("tags.length", _(
            "Keyword ‘%(tag)s’ is longer than %(max)s characters; shorten it",
            tag=too_long[0], max=MAX_TAG))
    if len(tags) > MAX_TAGS:
        raise Invalid("tags.count", _(
            "‘%(key)s’ lists %(count)s keywords; keep at most %(max)s",
            key=entry.key, count=len(tags), max=MAX_TAGS))
    return tags


def _slug(entry: Entry) -> str:
    if not SLUG_PATTERN.fullmatch(entry.value):
        raise Invalid("slug.format", _(
            "‘%(key)s: %(value)s’: use 2 to 80 lower-case letters, digits and hyphens, e.g. nghi-quyet-57",
            key=entry.key, value=entry.value))
    return entry.value


SETTING_READERS: dict[str, Callable[[Entry], Any]] = {
    "pass_mark": lambda entry: _whole_number(entry, 0, 100, "settings", ("%",)),
    "attempts_allowed": lambda entry: _number_or_unlimited(entry, 1, 20),
    "time_limit_minutes": lambda entry: _number_or_unlimited(entry, 1, 300, MINUTE_UNITS),
    "shuffle_questions": _yes_no,
    "shuffle_choices": _yes_no,
    "counted_attempt": lambda entry: _one_of(entry, COUNTED_ATTEMPTS),
    "show_answers": lambda entry: _one_of(entry, SHOW_ANSWERS),
}


# -- the parser ---------------------------------------------------------------

@dataclass
class _Question:
    """A question's lines, split into its parts (see docs/lesson-format.md)."""

    heading: Line
    title: str  # the heading's text, numbering included
    prompt: list[Line] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    stray: Line | None = None  # the first line that fits no part


class _LessonParser:
    def __init__(self, lines: list[Line], filename: str | None, today: date):
        self.lines = lines
        self.filename = filename
        self.today = today
        self.problems: list[Problem] = []

    # -- helpers --

    def problem(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(line, code, message))

    def read(self, entry: Entry, reader: Callable[[Entry], T]) -> T | None:
        """reader(entry), or None after recording the problem it raised."""
        try:
            return reader(entry)
        except Invalid as invalid:
            self.problem(entry.line, invalid.code, invalid.message)
            return None

    def next_nonblank(self, start: int) -> int:
        while start < len(self.lines) and self.lines[start].blank:
            start += 1
        return start

    def starts_list(self, index: int) -> bool:
        """Whether lines[index] is a list item. A title written without ‘#’ is
        still taken as the title line, so the metadata under it is read."""
        return index < len(self.lines) and self.lines[index].item() is not None

    def line_number(self, index: int) -> int:
        """The file line of lines[index], or of the last line past the end."""
        return self.lines[min(index, len(self.lines) - 1)].number

    def entries(self, items: list[Item], by_key: dict[str, PropertySpec], area: str,
                repeatable: Callable[[str], bool] = lambda _name: False) -> dict[str, list[Entry]]:
        """`Key: value` items by field name. Malformed, unknown, empty and
        repeated items are reported and left out."""
        found: dict[str, list[Entry]] = {}
        for item in items:
            entry = item.entry()
            spec = by_key.get(norm_keyword(entry.key)) if entry else None
            if entry is None:
                self.problem(item.line, f"{area}.item_format", _(
                    "‘%(text)s’ is not a ‘Key: value’ item; write it like ‘- %(example)s’",
                    text=item.text, example=_example_item(by_key)))
            elif spec is None:
                self.problem(entry.line, f"{area}.unknown_key", _(
                    "Unknown item ‘%(key)s’; the items here are: %(keys)s",
                    key=entry.key, keys=_key_list(by_key)))
            elif not entry.value:
                self.problem(entry.line, f"{area}.empty", _(
                    "‘%(key)s’ has no value: write it after the colon", key=entry.key))
            elif spec.name in found and not repeatable(spec.name):
                self.problem(entry.line, f"{area}.duplicate", _(
                    "‘%(key)s’ is already given on line %(line)s; keep only one",
                    key=entry.key, line=found[spec.name][0].line))
            else:
                found.setdefault(spec.name, []).append(entry)
        return found

    # -- the whole file --

    def parse(self) -> LessonDraft | None:
        title_index = self.next_nonblank(0)
        title = self.title(title_index)
        meta_start = self.next_nonblank(title_index + (0 if self.starts_list(title_index) else 1))
        meta_items, body_start = self.list_block(meta_start)
        meta = self.metadata(meta_items, meta_start)
        self.check_level_1_headings(title_index)
        quiz_index = self.quiz_heading(body_start)
        body_markdown, body_html, sections = self.body(body_start, quiz_index)
        settings, questions = self.quiz(quiz_index, sections) if quiz_index is not None else (None, [])
        if self.problems:
            return None
        return LessonDraft(
            title=title, body_markdown=body_markdown, body_html=body_html, sections=sections,
            settings=settings, questions=questions, **meta,
        )

    def title(self, index: int) -> str | None:
        heading = self.lines[index].heading() if index < len(self.lines) else None
        if heading is None or heading[0] != 1:
            self.problem(self.line_number(index), "title.missing", _(
                "The file must start with the lesson title on a line ‘# Title’"))
            return None
        title = _plain_text(heading[1])
        if not title:
            self.problem(self.line_number(index), "title.missing", _(
                "The title line ‘#’ is empty: write the lesson title after ‘# ’"))
        elif len(title) > MAX_TITLE:
            self.problem(self.line_number(index), "title.length", _(
                "The title is %(length)s characters long; keep it to %(max)s", length=len(title), max=MAX_TITLE))
        return title

    def list_block(self, start: int) -> tuple[list[Item], int]:
        """The bullet list starting at lines[start], up to the first blank line
        (or a heading or fence); and the index just after it."""
        items: list[Item] = []
        index = start
        while index < len(self.lines):
            line = self.lines[index]
            if line.blank or line.in_code or line.heading():
                break
            text = line.item()
            if text is not None:
                items.append(Item(line.number, text))
            elif items:
                items[-1].continue_with(line)  # indented or lazy continuation, as Markdown reads it
            else:
                break
            index += 1
        return items, index

    def check_level_1_headings(self, title_index: int) -> None:
        after_title = self.lines[title_index + 1:]
        for previous, line in zip([None, *after_title], after_title):
            heading = line.heading()
            if (heading and heading[0] == 1) or _underlines_level_1(previous, line):
                self.problem(line.number, "heading.level1", _(
                    "Only the title may be a level-1 heading; write this one with ‘##’"))

    # -- metadata --

    def metadata(self, items: list[Item], list_index: int) -> dict[str, Any]:
        entries = self.entries(items, _META_BY_KEY, "meta")
        list_line = self.line_number(list_index)
        for name, example in REQUIRED_META_EXAMPLES.items():
            if name not in entries:
                key = META[name].label
                self.problem(list_line, "meta.missing", _(
                    "Missing ‘%(key)s’: add a line ‘- %(key)s: %(example)s’ to the list under the title",
                    key=key, example=example))
        first = {name: found[0] for name, found in entries.items()}
        return self.meta_fields(first, list_line)

    def meta_fields(self, entries: dict[str, Entry], list_line: int) -> dict[str, Any]:
        def value(name: str, reader: Callable[[Entry], T]) -> T | None:
            return self.read(entries[name], reader) if name in entries else None

        kind = value("kind", _document_kind)
        number = value("number", _document_number)
        issued_on = value("issued_on", lambda entry: _issued_on(entry, self.today))
        if kind and number and number[2] != kind.type_code:
            self.problem(entries["number"].line, "number.kind_mismatch", _(
                "Document number %(number)s has type %(code)s, but a %(kind)s is numbered with %(expected)s, "
                "e.g. 05-%(expected)s/TW: correct the number or ‘Loại văn bản’",
                number=number[0], code=number[2], kind=kind.label, expected=kind.type_code))
        slug = value("slug", _slug) if "slug" in entries else self.default_slug(number, issued_on, list_line)
        return {
            "kind": kind.code if kind else None,
            "number": number[0] if number else None,
            "type_code": number[2] if number else None,
            "issuer_code": number[3] if number else None,
            "issuing_body": value(
                "issuing_body", lambda entry: _length(entry, *ISSUING_BODY_LENGTH, "issuing_body.length")),
            "issued_on": issued_on,
            "summary": value("summary", lambda entry: _length(entry, 1, MAX_SUMMARY, "summary.length")),
            "minutes": value("minutes", lambda entry: _whole_number(entry, *MINUTES_RANGE, "minutes", MINUTE_UNITS)),
            "tags": value("tags", _tags) or [],
            "slug": slug,
        }

    def default_slug(self, number: re.Match[str] | None, issued_on: date | None, list_line: int) -> str | None:
        if self.filename:
            source = PurePath(self.filename).stem
        elif number and issued_on:
            source = f"{number[0]}-{issued_on.year}"
        else:
            return None  # the number or the date is already reported
        slug = slugify(source)[:80].strip("-")
        if not SLUG_PATTERN.fullmatch(slug):
            self.problem(list_line, "slug.default", _(
                "Cannot make a lesson id from ‘%(source)s’: add a line ‘- Mã bài học: …’ "
                "(lower-case letters, digits and hyphens)", source=source))
            return None
        return slug

    # -- body --

    def quiz_heading(self, start: int) -> int | None:
        found = [index for index in range(start, len(self.lines)) if _is_quiz_heading(self.lines[index])]
        for index in found[1:]:
            self.problem(self.lines[index].number, "quiz.duplicate", _(
                "A second ‘## Câu hỏi kiểm tra’ heading: a lesson has one quiz; remove this heading"))
        if not found:
            self.problem(self.line_number(len(self.lines)), "quiz.missing", _(
                "The quiz is missing: add a heading ‘## Câu hỏi kiểm tra’ after the lesson text, then the questions"))
            return None
        return found[0]

    def body(self, start: int, end: int | None) -> tuple[str, str, list[Section]]:
        lines = _without_blank_edges(self.lines[start:end])
        if not lines:
            self.problem(self.line_number(start if end is None else end), "body.empty", _(
                "The lesson text is empty: write the summary between the list under the title "
                "and ‘## Câu hỏi kiểm tra’"))
            return "", "", []
        markdown_text = _markdown_of(lines)
        body_html, sections = render_markdown(markdown_text)
        return markdown_text, body_html, sections

    # -- quiz --

    def quiz(self, quiz_index: int, sections: list[Section]) -> tuple[QuizSettings, list[QuestionDraft]]:
        starts = self.question_starts(quiz_index + 1)
        settings = self.settings(quiz_index + 1, starts[0] if starts else len(self.lines))
        if not starts:
            self.problem(self.lines[quiz_index].number, "quiz.empty", _(
                "The quiz has no question: add one heading ‘### Câu 1. …’ per question after this heading"))
        anchors: dict[str, str] = {}
        for section in sections:
            anchors.setdefault(norm(section.title), section.anchor)
        ids: dict[str, int] = {}
        questions = []
        for start, end in zip(starts, [*starts[1:], len(self.lines)]):
            question = self.question(self.split_question(start, end), anchors, ids)
            if question is not None:
                questions.append(question)
        return settings, questions

    def question_starts(self, start: int) -> list[int]:
        """Indices of the ### headings; any other heading in the quiz is reported."""
        starts = []
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            heading = line.heading()
            if heading is None or heading[0] == 1 or _is_quiz_heading(line):
                continue  # not a heading, or already reported
            if heading[0] == 3:
                starts.append(index)
            else:
                self.problem(line.number, "quiz.heading", _(
                    "‘%(text)s’: in the quiz only questions have headings, written ‘### Câu 1. …’; "
                    "move this heading above ‘## Câu hỏi kiểm tra’", text=line.text.strip()))
        return starts

    def settings(self, start: int, end: int) -> QuizSettings:
        """The optional settings list; blank lines between its items are allowed."""
        items: list[Item] = []
        after_blank = False
        for line in self.lines[start:end]:
            text = line.item()
            if line.blank or line.heading():  # a stray heading is reported by question_starts
                after_blank = True
                continue
            if text is not None:
                items.append(Item(line.number, text))
            elif items and (line.indented or not after_blank):
                items[-1].continue_with(line)
            else:
                self.problem(line.number, "quiz.text", _(
                    "‘%(text)s’: between ‘## Câu hỏi kiểm tra’ and the first question only the settings list "
                    "‘- Key: value’ may appear", text=line.text.strip()))
            after_blank = False
        entries = self.entries(items, _SETTINGS_BY_KEY, "settings")
        return QuizSettings(**self.settings_values({name: found[0] for name, found in entries.items()}))

    def settings_values(self, entries: dict[str, Entry]) -> dict[str, Any]:
        # A value in error reads as None; the draft is dropped then, so None never reaches a lesson.
        return {name: self.read(entry, SETTING_READERS[name]) for name, entry in entries.items()}

    # -- questions --

    def split_question(self, start: int, end: int) -> _Question:
        """Sort a question's lines into prompt, items and explanation, in that order."""
        heading = self.lines[start]
        question = _Question(heading, title=(heading.heading() or (3, ""))[1])
        part, after_blank = "prompt", False
        for line in self.lines[start + 1:end]:
            item, quote = line.item(), line.quote()
            if line.heading():
                continue  # reported by question_starts
            if line.blank:
                if part == "prompt":
                    question.prompt.append(line)
                elif part == "explanation":
                    question.explanation.append("")
            elif item is not None and part == "explanation":
                question.stray = question.stray or line  # the list must come before the explanation
            elif item is not None:
                part = "items"
                question.items.append(Item(line.number, item))
            elif quote is not None and part == "prompt" and _EXPLANATION_LABEL.match(quote):
                # An explanation above the list would be shown with the question, giving the answer away.
                question.stray = question.stray or line
            elif quote is not None and part == "prompt":
                question.prompt.append(line)  # a quotation the question is about
            elif quote is not None:
                part = "explanation"
                question.explanation.append(quote)
            elif part == "prompt":
                question.prompt.append(line)
            elif part == "items" and (line.indented or not after_blank):
                question.items[-1].continue_with(line)
            elif part == "explanation" and not after_blank:
                question.explanation.append(line.text.strip())  # a lazy continuation of the quote
            else:
                question.stray = question.stray or line
            after_blank = line.blank
        return question

    def question(self, source: _Question, anchors: dict[str, str], ids: dict[str, int]) -> QuestionDraft | None:
        heading = source.heading
        prompt = _NUMBERING.sub("", source.title, count=1).strip()
        if not prompt:
            self.problem(heading.number, "question.prompt", _(
                "‘%(text)s’ has no question text: write the question after the number", text=heading.text.strip()))
        if source.stray is not None:
            self.problem(source.stray.number, "question.text", _(
                "‘%(text)s’ is out of place: a question is its text, then the ‘- …’ list, then the "
                "explanation ‘> …’", text=source.stray.text.strip()))
        choices, items = self.choices(source.items)
        kind, common, extras = self.properties(heading.number, items)
        key = self.question_id(heading.number, common.get(QUESTION_ID.name), ids)
        points = self.points(common.get(POINTS.name), kind)
        section = self.section(common.get(SECTION.name), anchors)
        if kind is not None and choices and not kind.takes_choices:
            self.problem(choices[0].line, "question.choices_not_allowed", _(
                "A ‘%(kind)s’ question has no choices: remove the ‘[ ]’/‘[x]’ lines or change ‘Loại’",
                kind=kind.label))
        if kind is None:
            return None
        data, problems = kind.build(QuestionSource(heading.number, extras, choices))
        self.problems += problems
        if self.problems:
            return None  # the draft is dropped anyway; skip rendering
        prompt_inline = render_inline(prompt)
        return QuestionDraft(
            key=key, kind=kind.code, prompt=html_to_text(prompt_inline).strip(),
            prompt_html=_prompt_html(prompt_inline, source.prompt),
            points=points, explanation_html=_explanation_html(source.explanation), section=section,
            data=data, line=heading.number,
        )

    def choices(self, items: list[Item]) -> tuple[list[ChoiceEntry], list[Item]]:
        """The `[ ]`/`[x]` items as choices, and the `Key: value` items."""
        choices, properties = [], []
        for item in items:
            match = _CHOICE.fullmatch(item.text)
            if match is None and item.entry() is None:
                self.problem(item.line, "question.item_format", _(
                    "‘%(text)s’ is neither a choice ‘[ ] …’ / ‘[x] …’ nor a property ‘Key: value’",
                    text=item.text))
            elif match is None:
                properties.append(item)
            elif not (match[2] or "").strip():
                self.problem(item.line, "question.choice_empty", _(
                    "This choice has no text: write it after ‘%(box)s’", box=f"[{match[1]}]"))
            else:
                choices.append(ChoiceEntry(item.line, match[2].strip(), correct=match[1] in ("x", "X")))
        return choices, properties

    def properties(
        self, line: int, items: list[Item],
    ) -> tuple[QuestionKind | None, dict[str, Entry], dict[str, list[Entry]]]:
        """The kind, the properties every kind has, and the kind's own ones."""
        kind_entry = next((entry for entry in (item.entry() for item in items)
                           if entry and norm_keyword(entry.key) in _KIND_KEYS), None)
        kind = kind_for(kind_entry.value) if kind_entry else None
        accepted = {spec.name for spec in kind.properties} if kind else set(EXTRA_PROPERTIES)
        # Whether an extra may repeat depends on the kind; without one, do not judge.
        found = self.entries(items, _QUESTION_BY_KEY, "question",
                             repeatable=lambda name: name in (kind.repeatable if kind else EXTRA_PROPERTIES))
        if kind_entry is None:
            self.problem(line, "question.kind_missing", _(
                "Add the question type: a line ‘- Loại: …’ with one of %(kinds)s", kinds=kind_labels()))
        elif kind is None and kind_entry.value:  # an empty value is reported as question.empty
            self.problem(kind_entry.line, "question.kind_unknown", _(
                "‘%(key)s: %(value)s’ is not a question type; write one of %(kinds)s",
                key=kind_entry.key, value=kind_entry.value, kinds=kind_labels()))
        for name in found.keys() - COMMON_PROPERTIES - accepted:
            for entry in found[name]:
                self.problem(entry.line, "question.property_not_allowed", _(
                    "‘%(key)s’ does not apply to a ‘%(kind)s’ question; remove this line",
                    key=entry.key, kind=kind.label))
        common = {name: found[name][0] for name in COMMON_PROPERTIES & found.keys()}
        extras = {name: entries for name, entries in found.items() if name in accepted}
        return kind, common, extras

    def question_id(self, line: int, entry: Entry | None, ids: dict[str, int]) -> str | None:
        if entry is None:
            self.problem(line, "question.id_missing", _(
                "Add the question's id: a line ‘- Mã: …’ with lower-case letters, digits and hyphens, "
                "e.g. muc-tieu-2030"))
            return None
        if not QUESTION_ID_PATTERN.fullmatch(entry.value):
            self.problem(entry.line, "question.id_format", _(
                "‘%(key)s: %(value)s’: use 1 to 40 lower-case letters, digits and hyphens, e.g. muc-tieu-2030",
                key=entry.key, value=entry.value))
        elif entry.value in ids:
            self.problem(entry.line, "question.duplicate_id", _(
                "Question id ‘%(value)s’ is already used by the question on line %(line)s; ids must be unique",
                value=entry.value, line=ids[entry.value]))
        else:
            ids[entry.value] = line
        return entry.value

    def points(self, entry: Entry | None, kind: QuestionKind | None) -> int | None:
        if entry is None:
            return kind.default_points if kind else None
        return self.read(entry, lambda found: _whole_number(found, *POINTS_RANGE, "question"))

    def section(self, entry: Entry | None, anchors: dict[str, str]) -> str | None:
        if entry is None:
            return None
        anchor = anchors.get(norm(entry.value))
        if anchor is None:
            self.problem(entry.line, "question.unknown_section", _(
                "‘%(key)s: %(value)s’ matches no heading of the lesson text; copy the text of a ‘##’ heading",
                key=entry.key, value=entry.value))
        return anchor


_KIND_KEYS = frozenset(norm_keyword(key) for key in KIND.keys)


def _is_quiz_heading(line: Line) -> bool:
    heading = line.heading()
    return heading is not None and heading[0] == 2 and norm_keyword(heading[1]) in QUIZ_HEADINGS


def _underlines_level_1(previous: Line | None, line: Line) -> bool:
    """Is line the `===` under a paragraph line, making it a level-1 heading?"""
    return (
        previous is not None and not previous.blank and not previous.in_code and not line.in_code
        and _SETEXT_LEVEL_1.fullmatch(line.text) is not None
        and previous.heading() is None and previous.item() is None and previous.quote() is None
    )


def _example_item(by_key: dict[str, PropertySpec]) -> str:
    return f"{next(iter(by_key.values())).label}: …"


def _key_list(by_key: dict[str, PropertySpec]) -> str:
    return ", ".join(dict.fromkeys(spec.label for spec in by_key.values()))


def _prompt_html(heading_html: str, more: list[Line]) -> str:
    """The heading's inline HTML as a paragraph, then the extra prompt paragraphs."""
    extra = _without_blank_edges(more)
    extra_html = render_markdown(_markdown_of(extra))[0] if extra else ""
    return f"<p>{heading_html}</p>{extra_html}"


def _explanation_html(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    return render_markdown(_EXPLANATION_LABEL.sub("", text, count=1))[0] if text else ""


def parse_lesson(source: bytes | str, *, filename: str | None = None, today: date) -> ParseResult:
    """Read a lesson source (docs/lesson-format.md). `today` bounds the issue
    date; `filename` gives the default lesson id (slug)."""
    text, encoding_problem = _decode(source)
    if encoding_problem is not None:
        return ParseResult(None, [encoding_problem])
    lines, unclosed_fence = _text_lines(text)
    parser = _LessonParser(lines, filename, today)
    if unclosed_fence is not None:
        parser.problem(unclosed_fence, "fence.unclosed", _(
            "This code block is never closed: add a line with the same fence (e.g. ```) after it"))
    draft = parser.parse()
    problems = sorted(parser.problems, key=lambda problem: problem.line)
    return ParseResult(draft if not problems else None, problems)
