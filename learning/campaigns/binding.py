"""The one rule: which campaigns bind a member to a lesson, and by when.

A campaign assigned to a unit binds every member of that unit and of every
unit beneath it (a path prefix: the member's unit path starts with the
assigned unit's path). A campaign binds from its opening day; the member's
due date for a lesson is the earliest closing day among the campaigns that
bind them to it. The home page, the progress roll-up (on time or not), the
answer-visibility rule and, later, the dashboards and the evaluation all ask
this module; none works it out itself.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select

from learning.campaigns.models import Campaign, campaign_lessons, campaign_units
from learning.core import db
from learning.org.models import Unit, User


def _member_path(user_id: int):
    member_unit = Unit.__table__.alias("member_unit")
    return (select(member_unit.c.path)
            .join(User.__table__, User.__table__.c.unit_id == member_unit.c.id)
            .where(User.__table__.c.id == user_id)
            .scalar_subquery())


def bindings(user_id: int, today: date) -> Select:
    """(lesson_id, campaign_id, closes_on) for every opened campaign that
    binds the member to a lesson, soonest due first."""
    assigned = Unit.__table__.alias("assigned_unit")
    return (select(campaign_lessons.c.lesson_id, Campaign.id.label("campaign_id"), Campaign.closes_on)
            .select_from(Campaign)
            .join(campaign_lessons, campaign_lessons.c.campaign_id == Campaign.id)
            .join(campaign_units, campaign_units.c.campaign_id == Campaign.id)
            .join(assigned, assigned.c.id == campaign_units.c.unit_id)
            .where(Campaign.opens_on <= today,
                   _member_path(user_id).like(assigned.c.path + "%"))
            .distinct()
            .order_by(Campaign.closes_on, campaign_lessons.c.lesson_id, Campaign.id))


def due_dates(user_id: int, today: date) -> dict[int, date]:
    """Lesson id → the member's due date, for every lesson a campaign binds them to."""
    found = bindings(user_id, today).order_by(None).subquery()
    rows = db.session.execute(
        select(found.c.lesson_id, func.min(found.c.closes_on)).group_by(found.c.lesson_id))
    return {lesson_id: closes_on for lesson_id, closes_on in rows}


def due_date(user_id: int, lesson_id: int, today: date) -> date | None:
    found = bindings(user_id, today).order_by(None).subquery()
    return db.session.scalar(select(func.min(found.c.closes_on)).where(found.c.lesson_id == lesson_id))
