"""Grading reflections: scales (Rubric, immutable, found by a content hash),
the scale a campaign uses, the grades given (a history: a regrade adds a
row), and the short leases that keep two reviewers off the same reflection."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.core.db import Base, utcnow
from learning.review.scales import SCALES, ScaleKind


class Rubric(Base):
    """A grading scale as it was set, never changed once written (after
    edx-ora2's Rubric): changing a campaign's scale finds or makes the row of
    the new content, so every grade keeps pointing at the scale it was given
    with."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    definition: Mapped[dict[str, Any]]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def scale(self) -> ScaleKind:
        return SCALES[self.kind]


class CampaignScale(Base):
    """The scale a campaign grades its reflections with now (campaigns sit
    below review, so the link lives here). None for a campaign: pass / not pass."""

    __tablename__ = "campaign_scales"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    rubric: Mapped[Rubric] = relationship()


class Grade(Base):
    """One reviewer's grade of one reflection. A regrade adds a row and marks
    the earlier one superseded: at most one current grade per answer (the
    database says so), and the history stays."""

    __tablename__ = "grades"
    __table_args__ = (
        Index("uq_grades_one_current", "answer_id", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), index=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"))
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # One whole number per criterion of the rubric: the level chosen, or the points given.
    levels: Mapped[list[Any]]
    points: Mapped[float]
    max_points: Mapped[float]
    percent: Mapped[float]
    passed: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    returned: Mapped[bool] = mapped_column(default=False)  # sent back for rewriting, with one more attempt
    graded_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_current: Mapped[bool] = mapped_column(default=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("grades.id"))

    rubric: Mapped[Rubric] = relationship()


class GradingLease(Base):
    """Who is grading a reflection right now, until when. One row per answer:
    taking it is one INSERT ... ON CONFLICT DO UPDATE that succeeds only when
    the row is free, expired or already the reviewer's (review.leases)."""

    __tablename__ = "grading_leases"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
