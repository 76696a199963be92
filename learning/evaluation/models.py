"""Evaluation periods and the rule sets they are computed by."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.campaigns.models import Campaign
from learning.core.db import Base, utcnow


class RuleSet(Base):
    """A period's rules as they were set (evaluation.rules: weights, bands,
    quota), never changed once written: editing the rules finds or makes the
    row of the new content, so every result keeps pointing at the rules it
    was computed by (as review.models.Rubric does for grades)."""

    __tablename__ = "evaluation_rule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict[str, Any]]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


period_campaigns = Table(
    "evaluation_period_campaigns", Base.metadata,
    Column("period_id", ForeignKey("evaluation_periods.id"), primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id"), primary_key=True, index=True),
)


class Period(Base):
    """An evaluation period (a year, usually): the campaigns that count and the
    rules in force. Locking freezes its results (a later issue's results)."""

    __tablename__ = "evaluation_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rule_sets.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    rule_set: Mapped[RuleSet] = relationship()
    campaigns: Mapped[list[Campaign]] = relationship(secondary=period_campaigns, order_by=Campaign.opens_on)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None
