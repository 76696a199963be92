"""A member's study of lessons: progress, quiz attempts and their answers."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.core.db import Base, utcnow
from learning.core.enums import LabelledEnum
from learning.lessons.models import Lesson, LessonVersion


class AttemptStatus(LabelledEnum):
    OPEN = "open", _l("open")  # answers may be saved until the deadline (and its grace)
    SUBMITTED = "submitted", _l("submitted")  # graded once; never reopened


# Answers already on their way when the time runs out are still accepted.
GRACE = timedelta(seconds=30)


def past_grace(deadline_at: datetime | None, now: datetime) -> bool:
    """The attempt's time and its grace have run out: it takes no answer, and
    is submitted with what was saved. (In SQL: study.answers.open_and_in_time.)"""
    return deadline_at is not None and now > deadline_at + GRACE


class LessonProgress(Base):
    """One member's study of one lesson, kept current as events land, so that
    home pages and dashboards read one row instead of every attempt."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    started_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    quiz_passed_at: Mapped[datetime | None]
    reflection_submitted_at: Mapped[datetime | None]
    # The reviewer's verdict on the reflection that counts (review grades it;
    # study.reflections writes it here): None while it waits for grading.
    reflection_graded_at: Mapped[datetime | None]
    reflection_passed: Mapped[bool | None]
    reflection_returned_reason: Mapped[str | None] = mapped_column(Text)  # returned for rewriting, and why
    completed_at: Mapped[datetime | None]
    attempts_used: Mapped[int] = mapped_column(default=0)
    counted_percent: Mapped[float | None]  # the score that counts, per the lesson's rule
    on_time: Mapped[bool | None]  # set at completion, against the earliest due date
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every write, ORM or Core: submitting reads the row without a
    # lock and writes it only if no one else did meanwhile (study.submission).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    lesson: Mapped[Lesson] = relationship()

    __mapper_args__ = {"version_id_col": revision}


class Attempt(Base):
    """One try at a lesson's quiz, fixed at start: its version and the order of
    its questions and choices. Its deadline is set at start and may be
    extended, so nothing remembers it."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id", "number"),
        # At most one open attempt per member and lesson, enforced by the database
        # so that two concurrent starts cannot both succeed.
        Index("uq_attempts_one_open", "user_id", "lesson_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("lesson_versions.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=AttemptStatus.OPEN)
    # [{"key": "q1", "choices": ["b", "a", "c"]}, ...] in the order shown.
    plan: Mapped[list[Any]]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]  # points from automatically graded questions
    max_score: Mapped[float | None]  # points of those questions
    percent: Mapped[float | None]
    passed: Mapped[bool | None]

    version: Mapped[LessonVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")


class Answer(Base):
    """The latest saved answer to one question of an attempt. `client_seq` orders
    saves made on the phone, so a late-arriving older save never wins."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    question_key: Mapped[str] = mapped_column(String(40))
    response: Mapped[dict[str, Any]]
    client_seq: Mapped[int] = mapped_column(default=0)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Reflections (bài thu hoạch) are graded by a reviewer later: these mirror
    # the current grade (review.grading keeps the grades and their history).
    score: Mapped[float | None]  # the question's points earned (automatic ones are recomputed, never stored)
    passed: Mapped[bool | None]
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[datetime | None]
    feedback: Mapped[str | None] = mapped_column(Text)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class AttemptAllowance(Base):
    """Attempts granted to one member at one lesson beyond what the quiz
    allows: by a reviewer (with a reason), or when a reflection is returned
    for rewriting. Never deleted: the audit log and the evaluation read them."""

    __tablename__ = "attempt_allowances"
    __table_args__ = (Index("ix_attempt_allowances_member_lesson", "user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    extra_attempts: Mapped[int] = mapped_column(default=1)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class LessonRollup(Base):
    """Counts over one lesson's progress rows of the members directly in one
    unit (beneath false), or of those in the units beneath it (true: kept
    for the units of their lines, org.lineage); rated members only (active,
    not exempt). Kept current in the same transaction as every progress
    write (study.rollups), so that a dashboard sums a row or two per unit it
    shows instead of reading every member's progress."""

    __tablename__ = "lesson_rollups"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    # No index of its own on lesson_id: every query names the units first, and
    # one on lesson_id leads SQLite to read every unit's rows of the lesson.
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), primary_key=True)
    beneath: Mapped[bool] = mapped_column(primary_key=True, default=False)
    started: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    on_time: Mapped[int] = mapped_column(default=0)  # completed by the due date
    reflected: Mapped[int] = mapped_column(default=0)  # reflection written
    awaiting: Mapped[int] = mapped_column(default=0)  # reflection written, waiting for grading
    scored: Mapped[int] = mapped_column(default=0)  # with a counted score ...
    score_sum: Mapped[float] = mapped_column(default=0.0)  # ... and their sum, for averages
