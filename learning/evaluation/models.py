"""Evaluation periods and the rule sets they are computed by."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
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
    rules in force, and where its results stand. Locking freezes its results."""

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
    computed_at: Mapped[datetime | None]  # the results' last computation
    computed_rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_rule_sets.id"))
    compute_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))  # the last computation asked for

    rule_set: Mapped[RuleSet] = relationship(foreign_keys=[rule_set_id])
    campaigns: Mapped[list[Campaign]] = relationship(secondary=period_campaigns, order_by=Campaign.opens_on)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class _Criterion:
    """What a member's and a unit's result share: the evidence (rules.Evidence's
    fields), the points, the suggestion and its explanation, then the
    decision (the decider's column is each table's own)."""

    assigned: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    on_time: Mapped[int] = mapped_column(default=0)
    scored: Mapped[int] = mapped_column(default=0)
    score_sum: Mapped[float] = mapped_column(default=0.0)
    reflections_due: Mapped[int] = mapped_column(default=0)
    reflections_passed: Mapped[int] = mapped_column(default=0)
    conferences_due: Mapped[int] = mapped_column(default=0)
    conferences_attended: Mapped[int] = mapped_column(default=0)
    points: Mapped[float | None]
    suggested: Mapped[str | None] = mapped_column(String(20))  # rules.Level; None: not rated
    explanation: Mapped[dict[str, Any]]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided: Mapped[str | None] = mapped_column(String(20))  # the reviewer's level
    decided_on: Mapped[str | None] = mapped_column(String(20))  # the suggestion they saw
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]

    @property
    def level(self) -> str | None:
        """The level that counts: the decision, or else the suggestion."""
        return self.decided or self.suggested


class MemberResult(_Criterion, Base):
    """A member's study criterion for a period: the evidence it was computed
    from, the points, the suggested level and its explanation (as computed
    by scoring.evaluate under the rule set named), then a reviewer's
    decision. Computing again replaces the computed part and keeps the
    decision (a confirmation lapses when the suggestion it confirmed
    changed: compute.py). Frozen once the period is locked.

    Derived rows, written 150,000 at a time: only the period is a foreign
    key. The member, unit, rule set and decider it names are never deleted
    (people and units are deactivated or closed, rule sets are immutable),
    and checking four keys for each row was a fifth of a province's
    computation on PostgreSQL."""

    __tablename__ = "evaluation_member_results"

    # The key starts with the member (their own results page reads by it);
    # a period's rows are found through the unit index below.
    user_id: Mapped[int] = mapped_column(primary_key=True)  # users.id
    period_id: Mapped[int] = mapped_column(ForeignKey("evaluation_periods.id"), primary_key=True)
    unit_id: Mapped[int]  # units.id: the member's unit when computed
    rule_set_id: Mapped[int]  # evaluation_rule_sets.id
    decided_by_id: Mapped[int | None]  # users.id

    __table_args__ = (Index("ix_evaluation_member_results_unit", "period_id", "unit_id"),)


class UnitResult(_Criterion, Base):
    """A unit's study criterion for a period: its rated members' evidence
    summed (everyone beneath it), the organisation's points and suggested
    level from that sum under the same rules, how many members hold each
    level (decided, or else suggested: what the quota counts), then the
    decision of a reviewer of the unit above."""

    __tablename__ = "evaluation_unit_results"

    period_id: Mapped[int] = mapped_column(ForeignKey("evaluation_periods.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rule_sets.id"))
    members: Mapped[int] = mapped_column(default=0)  # rated members beneath
    members_complete: Mapped[int] = mapped_column(default=0)  # who completed every lesson assigned
    members_on_time: Mapped[int] = mapped_column(default=0)  # ... each of them on time
    excellent: Mapped[int] = mapped_column(default=0)
    good: Mapped[int] = mapped_column(default=0)
    completed_tasks: Mapped[int] = mapped_column(default=0)
    not_completed: Mapped[int] = mapped_column(default=0)
    undecided: Mapped[int] = mapped_column(default=0)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


# The member-level count column of each level (UnitResult), in Level's order.
LEVEL_COLUMNS = {"excellent": "excellent", "good": "good", "completed": "completed_tasks",
                 "not_completed": "not_completed"}
