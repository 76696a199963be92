"""Lessons and their immutable published versions with their questions."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.core.db import Base, utcnow
from learning.core.enums import LabelledEnum
from learning.lessons.authoring.model import QuizSettings
from learning.org.models import User


class LessonState(LabelledEnum):
    DRAFT = "draft", _l("draft")  # never published
    PUBLISHED = "published", _l("published")  # members read its latest version
    ARCHIVED = "archived", _l("archived")  # hidden from members, kept for the record



class Lesson(Base):
    """The editable identity of a lesson. What members read is a LessonVersion."""

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(12), default=LessonState.DRAFT)
    # Shown in lists; copied from the draft or the latest version.
    title: Mapped[str] = mapped_column(String(300), default="")
    doc_number: Mapped[str] = mapped_column(String(30), default="")
    # The editor's working copy; publishing snapshots it into a version.
    draft_source: Mapped[str | None] = mapped_column(Text)
    draft_updated_at: Mapped[datetime | None]
    draft_revision: Mapped[int] = mapped_column(default=0)  # guards against overwriting another editor's save
    latest_version_number: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[LessonVersion]] = relationship(
        back_populates="lesson", order_by="LessonVersion.number"
    )

    @property
    def has_unpublished_changes(self) -> bool:
        # A published text clears the draft (publishing._drop_draft_if_published),
        # so any remaining draft differs from the latest version.
        return self.draft_source is not None


class LessonVersion(Base):
    """A published snapshot. Never updated: attempts point at the version taken."""

    __tablename__ = "lesson_versions"
    __table_args__ = (UniqueConstraint("lesson_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    number: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    doc_number: Mapped[str] = mapped_column(String(30), index=True)
    type_code: Mapped[str] = mapped_column(String(4))
    issuer_code: Mapped[str] = mapped_column(String(12))
    issuing_body: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int]
    tags: Mapped[list[Any]]
    body_html: Mapped[str] = mapped_column(Text)  # sanitised once, at publish
    # Kind, number, title, summary, tags and text, lower case without diacritics:
    # search matches the same way on SQLite and PostgreSQL.
    search_text: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list[Any]]
    settings: Mapped[dict[str, Any]]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    lesson: Mapped[Lesson] = relationship(back_populates="versions")
    published_by: Mapped[User | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def quiz_settings(self) -> QuizSettings:
        """The settings it was published with, typed, with today's defaults for any added since."""
        return QuizSettings.from_stored(self.settings)


class Question(Base):
    """A question as published in one version. `key` is the author's stable id:
    the same key across versions is the same question, whatever its wording."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("lesson_versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    prompt_html: Mapped[str] = mapped_column(Text)
    points: Mapped[int]
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]]

    version: Mapped[LessonVersion] = relationship(back_populates="questions")
