"""Reading the values an author wrote after `Key:` into a LessonDraft's
fields, whatever the syntax around them: each reader takes an Entry (its
line, key and value as written) and returns the value, or raises Invalid
with the problem to report. lesson_fields and quiz_settings read a whole
metadata list and a whole settings list; any front end calls them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import PurePath
from typing import Any, TypeVar

from learning.lessons.authoring.kinds import Entry
from learning.lessons.authoring.limits import (
    ATTEMPTS_RANGE,
    EARLIEST_YEAR,
    ISSUING_BODY_LENGTH,
    MAX_SLUG,
    MAX_SUMMARY,
    MAX_TAG,
    MAX_TAGS,
    MINUTES_RANGE,
    PASS_MARK_RANGE,
    TIME_LIMIT_RANGE,
)
from learning.lessons.authoring.messages import _
from learning.lessons.authoring.model import QuizSettings
from learning.lessons.authoring.text import (
    norm,
    norm_keyword,
    parse_whole_number,
    parse_yes_no,
    slugify,
    strip_diacritics,
)
from learning.lessons.authoring.vocabulary import (
    COUNTED_ATTEMPTS,
    KIND_LABELS,
    MINUTE_UNITS,
    NUMBER_PATTERN,
    SHOW_ANSWERS,
    SLUG_PATTERN,
    TYPE_CODE_BY_FOLDED,
    UNLIMITED_WORDS,
    DocumentKind,
    document_kind_for,
)

T = TypeVar("T")
Report = Callable[[int, str, str], None]  # (line, code, message): record one problem


class Invalid(Exception):
    """A value an author wrote cannot be used; carries the problem to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def read(entry: Entry, reader: Callable[[Entry], T], report: Report) -> T | None:
    """reader(entry), or None after reporting the problem it raised."""
    try:
        return reader(entry)
    except Invalid as invalid:
        report(entry.line, invalid.code, invalid.message)
        return None


# -- readers ------------------------------------------------------------------

def whole_number(entry: Entry, low: int, high: int, area: str, units: tuple[str, ...] = ()) -> int:
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


def number_or_unlimited(entry: Entry, low: int, high: int, units: tuple[str, ...] = ()) -> int | None:
    if norm_keyword(entry.value) in UNLIMITED_WORDS:
        return None
    try:
        return whole_number(entry, low, high, "settings", units)
    except Invalid as invalid:
        raise Invalid(invalid.code, _(
            "‘%(key)s: %(value)s’: write a whole number from %(low)s to %(high)s, or ‘không giới hạn’",
            key=entry.key, value=entry.value, low=low, high=high)) from None


def yes_no(entry: Entry) -> bool:
    value = parse_yes_no(entry.value)
    if value is None:
        raise Invalid("settings.value", _(
            "‘%(key)s: %(value)s’: write có or không", key=entry.key, value=entry.value))
    return value


def one_of(entry: Entry, words: dict[str, str]) -> str:
    """One of the Vietnamese `words`, or its English code (`highest`, `after_pass`)."""
    accepted = {**{code: code for code in words.values()}, **words}
    value = {norm_keyword(word): code for word, code in accepted.items()}.get(norm_keyword(entry.value))
    if value is None:
        raise Invalid("settings.value", _(
            "‘%(key)s: %(value)s’: write one of %(choices)s",
            key=entry.key, value=entry.value, choices=", ".join(words)))
    return value


def length(entry: Entry, low: int, high: int, code: str) -> str:
    if not low <= len(entry.value) <= high:
        raise Invalid(code, _(
            "‘%(key)s’ is %(length)s characters long; write %(low)s to %(high)s",
            key=entry.key, length=len(entry.value), low=low, high=high))
    return entry.value


def document_kind(entry: Entry) -> DocumentKind:
    kind = document_kind_for(entry.value)
    if kind is None:
        raise Invalid("kind.unknown", _(
            "‘%(key)s: %(value)s’ is not a known kind of document; write one of %(kinds)s",
            key=entry.key, value=entry.value, kinds=", ".join(KIND_LABELS.values())))
    return kind


def document_number(entry: Entry) -> re.Match[str]:
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
    type_code = match and TYPE_CODE_BY_FOLDED.get(strip_diacritics(match[2]))
    if not type_code:
        return None
    candidate = f"{match[1]}-{type_code}/{match[3]}"
    return candidate if NUMBER_PATTERN.fullmatch(candidate) else None


def issued_on(entry: Entry, today: date) -> date:
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


def tags(entry: Entry) -> list[str]:
    found = list(dict.fromkeys(tag.strip() for tag in entry.value.split(",") if tag.strip()))
    too_long = [tag for tag in found if len(tag) > MAX_TAG]
    if too_long:
        raise Invalid("tags.length", _(
            "Keyword ‘%(tag)s’ is longer than %(max)s characters; shorten it",
            tag=too_long[0], max=MAX_TAG))
    if len(found) > MAX_TAGS:
        raise Invalid("tags.count", _(
            "‘%(key)s’ lists %(count)s keywords; keep at most %(max)s",
            key=entry.key, count=len(found), max=MAX_TAGS))
    return found


def slug(entry: Entry) -> str:
    if not SLUG_PATTERN.fullmatch(entry.value):
        raise Invalid("slug.format", _(
            "‘%(key)s: %(value)s’: use 2 to 80 lower-case letters, digits and hyphens, e.g. nghi-quyet-57",
            key=entry.key, value=entry.value))
    return entry.value


SETTING_READERS: dict[str, Callable[[Entry], Any]] = {
    "pass_mark": lambda entry: whole_number(entry, *PASS_MARK_RANGE, "settings", ("%",)),
    "attempts_allowed": lambda entry: number_or_unlimited(entry, *ATTEMPTS_RANGE),
    "time_limit_minutes": lambda entry: number_or_unlimited(entry, *TIME_LIMIT_RANGE, MINUTE_UNITS),
    "shuffle_questions": yes_no,
    "shuffle_choices": yes_no,
    "counted_attempt": lambda entry: one_of(entry, COUNTED_ATTEMPTS),
    "show_answers": lambda entry: one_of(entry, SHOW_ANSWERS),
}


# -- whole lists ----------------------------------------------------------------

def lesson_fields(entries: Mapping[str, Entry], *, filename: str | None, today: date, line: int,
                  report: Report) -> dict[str, Any]:
    """The LessonDraft fields of the metadata entries (by META name); `line` is
    where to report what belongs to the whole list (a lesson id that cannot
    be made). A field in error reads as None: the draft is dropped then."""
    def value(name: str, reader: Callable[[Entry], T]) -> T | None:
        return read(entries[name], reader, report) if name in entries else None

    kind = value("kind", document_kind)
    number = value("number", document_number)
    issued = value("issued_on", lambda entry: issued_on(entry, today))
    if kind and number and number[2] != kind.type_code:
        report(entries["number"].line, "number.kind_mismatch", _(
            "Document number %(number)s has type %(code)s, but a %(kind)s is numbered with %(expected)s, "
            "e.g. 05-%(expected)s/TW: correct the number or ‘Loại văn bản’",
            number=number[0], code=number[2], kind=kind.label, expected=kind.type_code))
    lesson_slug = value("slug", slug) if "slug" in entries else _default_slug(filename, number, issued, line, report)
    return {
        "kind": kind.code if kind else None,
        "number": number[0] if number else None,
        "type_code": number[2] if number else None,
        "issuer_code": number[3] if number else None,
        "issuing_body": value("issuing_body", lambda entry: length(entry, *ISSUING_BODY_LENGTH, "issuing_body.length")),
        "issued_on": issued,
        "summary": value("summary", lambda entry: length(entry, 1, MAX_SUMMARY, "summary.length")),
        "minutes": value("minutes", lambda entry: whole_number(entry, *MINUTES_RANGE, "minutes", MINUTE_UNITS)),
        "tags": value("tags", tags) or [],
        "slug": lesson_slug,
    }


def _default_slug(filename: str | None, number: re.Match[str] | None, issued: date | None, line: int,
                  report: Report) -> str | None:
    if filename:
        source = PurePath(filename).stem
    elif number and issued:
        source = f"{number[0]}-{issued.year}"
    else:
        return None  # the number or the date is already reported
    made = slugify(source)[:MAX_SLUG].strip("-")
    if not SLUG_PATTERN.fullmatch(made):
        report(line, "slug.default", _(
            "Cannot make a lesson id from ‘%(source)s’: add a line ‘- Mã bài học: …’ "
            "(lower-case letters, digits and hyphens)", source=source))
        return None
    return made


def quiz_settings(entries: Mapping[str, Entry], report: Report) -> QuizSettings:
    """The quiz settings of the settings entries (by SETTINGS name), defaults
    for the others. A value in error reads as None; the draft is dropped then,
    so None never reaches a lesson."""
    return QuizSettings(**{name: read(entry, SETTING_READERS[name], report) for name, entry in entries.items()})
