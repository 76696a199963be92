"""Plain data produced by the lesson parser. No Flask, no database.

lessons.publishing turns a LessonDraft into rows; the editor's pages and the
command line show Problems. Keep these free of behaviour beyond small conveniences.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson source, anchored to a 1-based line."""

    line: int
    code: str  # stable machine code, e.g. "number.format"; tests assert on it
    message: str  # already translated for the current locale

    def format(self, filename: str | None = None) -> str:
        prefix = f"{filename}:{self.line}" if filename else str(self.line)
        return f"{prefix}: {self.message}"


@dataclass(frozen=True)
class Section:
    anchor: str  # the id the rendered heading carries
    title: str
    level: int


class CountedAttempt(StrEnum):
    """Which score of several attempts counts."""
    HIGHEST = "highest"
    LAST = "last"
    FIRST = "first"
    AVERAGE = "average"


class ShowAnswers(StrEnum):
    """When a submitted attempt shows the correct answers and explanations."""
    AFTER_SUBMIT = "after_submit"
    AFTER_PASS = "after_pass"
    AFTER_LAST_ATTEMPT = "after_last_attempt"
    AFTER_CLOSE = "after_close"  # after the member's due date (campaigns.binding)
    NEVER = "never"


@dataclass(frozen=True)
class QuizSettings:
    """A lesson's quiz settings, with their defaults: the one place they live.
    Stored with each version as a dict (as_dict); read back with from_stored."""
    pass_mark: int = 70
    attempts_allowed: int | None = 3  # None: unlimited
    time_limit_minutes: int | None = None  # None: no limit
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    counted_attempt: CountedAttempt = CountedAttempt.HIGHEST
    show_answers: ShowAnswers = ShowAnswers.AFTER_SUBMIT

    def __post_init__(self) -> None:
        # Stored as plain strings; read back as their enums. (A value the
        # parser could not read is None: that draft is dropped anyway.)
        for name, enum in (("counted_attempt", CountedAttempt), ("show_answers", ShowAnswers)):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, enum(getattr(self, name)))

    def as_dict(self) -> dict[str, Any]:
        return {name: str(value) if isinstance(value, StrEnum) else value for name, value in self.__dict__.items()}

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> QuizSettings:
        """The settings a version was published with; a setting added since
        takes its default, so old versions keep working."""
        known = cls.__dataclass_fields__
        return cls(**{name: value for name, value in (stored or {}).items() if name in known})


@dataclass(frozen=True)
class QuestionDraft:
    key: str  # the author's stable id ("Mã")
    kind: str  # a key of learning.lessons.authoring.kinds.KINDS
    prompt: str  # plain text of the heading, numbering removed
    prompt_html: str  # sanitised HTML: heading text (inline) plus extra prompt paragraphs
    points: int
    explanation_html: str  # sanitised HTML, "" when none
    section: str | None  # anchor of the section it tests
    data: dict[str, Any]  # kind-specific, JSON-serialisable (choices, answers, limits)
    line: int


@dataclass(frozen=True)
class LessonDraft:
    slug: str
    kind: str  # stored code, e.g. "resolution"
    number: str  # "57-NQ/TW"
    type_code: str  # "NQ"
    issuer_code: str  # "TW"
    issuing_body: str
    issued_on: date
    title: str
    summary: str
    minutes: int
    tags: list[str]
    body_markdown: str
    body_html: str  # sanitised
    sections: list[Section]
    settings: QuizSettings
    questions: list[QuestionDraft] = field(default_factory=list)


@dataclass(frozen=True)
class ParseResult:
    draft: LessonDraft | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems
