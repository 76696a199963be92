"""Study campaigns (đợt học tập): lessons assigned to units with a deadline."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.core.db import Base, utcnow
from learning.core.enums import LabelledEnum
from learning.lessons.models import Lesson
from learning.org.models import Unit


class CampaignPhase(LabelledEnum):
    UPCOMING = "upcoming", _l("not open yet")
    OPEN = "open", _l("open")
    CLOSED = "closed", _l("closed")


campaign_lessons = Table(
    "campaign_lessons", Base.metadata,
    Column("campaign_id", ForeignKey("campaigns.id"), primary_key=True),
    Column("lesson_id", ForeignKey("lessons.id"), primary_key=True, index=True),
)

# Assigning a unit assigns everything beneath it.
campaign_units = Table(
    "campaign_units", Base.metadata,
    Column("campaign_id", ForeignKey("campaigns.id"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]  # dates in Vietnam's time zone, inclusive
    closes_on: Mapped[date] = mapped_column(index=True)
    # The unit whose reviewer created it (None: the propaganda commission / admins).
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(secondary=campaign_lessons, order_by="Lesson.id")
    units: Mapped[list[Unit]] = relationship(secondary=campaign_units, order_by="Unit.path")
    owner_unit: Mapped[Unit | None] = relationship(foreign_keys=[owner_unit_id])

    def phase(self, today: date) -> CampaignPhase:
        """Where the campaign stands on a day of Vietnam's calendar (both
        dates inclusive)."""
        if today < self.opens_on:
            return CampaignPhase.UPCOMING
        return CampaignPhase.CLOSED if today > self.closes_on else CampaignPhase.OPEN


class DueDateExtension(Base):
    """A later due date for one member and one lesson, granted by a reviewer
    with a reason. Never deleted (the audit log and the evaluation read them):
    a new one for the same member and lesson replaces the previous one (the
    latest wins). campaigns.binding reads it; an extension never brings a due
    date earlier than the campaigns' own."""

    __tablename__ = "due_date_extensions"
    __table_args__ = (Index("ix_due_date_extensions_member_lesson", "user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    due_on: Mapped[date]  # a day of Vietnam's calendar, inclusive
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
