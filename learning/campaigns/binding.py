"""The one rule: which campaigns bind a member to a lesson, and by when.

A campaign assigned to a unit binds every member of that unit and of every
unit beneath it (a path prefix: the member's unit path starts with the
assigned unit's path). A campaign binds from its opening day; the member's
due date for a lesson is the earliest closing day among the campaigns that
bind them to it, unless a reviewer gave them a later one for that lesson
(DueDateExtension: the latest one granted wins; it never brings the date
earlier than the campaigns' own, and it binds no one by itself). The home
page, the lesson page, the progress roll-up (on time or not), the
answer-visibility rule, the reviewers' pages and, later, the dashboards and
the evaluation all ask this module; none works it out itself.
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, case, func, select

from learning.campaigns.models import Campaign, DueDateExtension, campaign_lessons, campaign_units
from learning.core import db
from learning.org.models import Unit, User


def _member_path(user_id: int):
    member_unit = Unit.__table__.alias("member_unit")
    return (select(member_unit.c.path)
            .join(User.__table__, User.__table__.c.unit_id == member_unit.c.id)
            .where(User.__table__.c.id == user_id)
            .scalar_subquery())


def latest_extensions(user_id: int):
    """(lesson_id, due_on, id) of the latest extension per lesson for the member, as a subquery."""
    extensions = DueDateExtension.__table__
    latest = (select(func.max(extensions.c.id)).where(extensions.c.user_id == user_id)
              .group_by(extensions.c.lesson_id))
    return (select(extensions.c.lesson_id, extensions.c.due_on, extensions.c.id)
            .where(extensions.c.id.in_(latest)).subquery("latest_extension"))


def bindings(user_id: int, today: date) -> Select:
    """(lesson_id, campaign_id, closes_on, due_on) for every opened campaign
    that binds the member to a lesson, soonest due first: `closes_on` is the
    campaign's, `due_on` the member's under it (a later extension moves it)."""
    assigned = Unit.__table__.alias("assigned_unit")
    extension = latest_extensions(user_id)
    # max(closes_on, extension), written so that both databases read it alike
    due_on = case((extension.c.due_on > Campaign.closes_on, extension.c.due_on), else_=Campaign.closes_on)
    return (select(campaign_lessons.c.lesson_id, Campaign.id.label("campaign_id"), Campaign.closes_on,
                   due_on.label("due_on"))
            .select_from(Campaign)
            .join(campaign_lessons, campaign_lessons.c.campaign_id == Campaign.id)
            .join(campaign_units, campaign_units.c.campaign_id == Campaign.id)
            .join(assigned, assigned.c.id == campaign_units.c.unit_id)
            .outerjoin(extension, extension.c.lesson_id == campaign_lessons.c.lesson_id)
            .where(Campaign.opens_on <= today,
                   _member_path(user_id).like(assigned.c.path + "%"))
            .distinct()
            .order_by(due_on, campaign_lessons.c.lesson_id, Campaign.id))


class Binding(NamedTuple):
    lesson_id: int
    campaign_id: int
    closes_on: date  # the campaign's
    due_on: date  # the member's under it


def bound(user_id: int, today: date) -> list[Binding]:
    """The rows of `bindings`, read."""
    return [Binding(lesson_id, campaign_id, closes_on, _day(due_on))
            for lesson_id, campaign_id, closes_on, due_on in db.session.execute(bindings(user_id, today))]


def due_dates(user_id: int, today: date) -> dict[int, date]:
    """Lesson id → the member's due date, for every lesson a campaign binds them to."""
    found = bindings(user_id, today).order_by(None).subquery()
    rows = db.session.execute(
        select(found.c.lesson_id, func.min(found.c.due_on)).group_by(found.c.lesson_id))
    return {lesson_id: _day(due_on) for lesson_id, due_on in rows}


def due_date(user_id: int, lesson_id: int, today: date) -> date | None:
    found = bindings(user_id, today).order_by(None).subquery()
    return _day(db.session.scalar(select(func.min(found.c.due_on)).where(found.c.lesson_id == lesson_id)))


def campaign_due_date(user_id: int, lesson_id: int, today: date) -> date | None:
    """The due date the campaigns alone set, without any extension: what an
    extension must go beyond."""
    found = bindings(user_id, today).order_by(None).subquery()
    return _day(db.session.scalar(select(func.min(found.c.closes_on)).where(found.c.lesson_id == lesson_id)))


def _day(value) -> date | None:
    """SQLite hands a computed date (the CASE above) back as its text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
