"""Study campaigns: lessons assigned to units, with an opening and a closing date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from learning.campaigns.access import visible_to
from learning.campaigns.models import Campaign
from learning.core import db
from learning.core.errors import DomainError
from learning.core.permissions import is_editor
from learning.lessons.models import Lesson, LessonState
from learning.org.models import Unit, User
from learning.org.scope import covered_units, covering_unit, outside_scope

MAX_TITLE = 200


class CampaignInvalid(DomainError):
    """The campaign form has problems: field name → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class CampaignInput:
    title: str
    description: str
    opens_on: date | None
    closes_on: date | None
    lesson_ids: list[int]
    unit_ids: list[int]


def create_campaign(by: User, data: CampaignInput) -> Campaign:
    lessons = _published_lessons(data.lesson_ids)
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids)))) if data.unit_ids else []
    errors = _validate(by, data, lessons, units)
    if errors:
        raise CampaignInvalid(errors)
    campaign = Campaign(
        title=data.title.strip(), description=data.description.strip(), opens_on=data.opens_on,
        closes_on=data.closes_on, lessons=lessons, units=units, created_by_id=by.id,
        owner_unit_id=None if is_editor(by) else covering_unit(by, [unit.id for unit in units]),
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _validate(by: User, data: CampaignInput, lessons: list[Lesson], units: list[Unit]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the campaign a title.")
    elif len(data.title.strip()) > MAX_TITLE:
        errors["title"] = _("The title is too long (at most %(n)s characters).", n=MAX_TITLE)
    if data.opens_on is None:
        errors["opens_on"] = _("Enter the opening date as dd/mm/yyyy.")
    if data.closes_on is None:
        errors["closes_on"] = _("Enter the closing date as dd/mm/yyyy.")
    elif data.opens_on and data.closes_on < data.opens_on:
        errors["closes_on"] = _("The closing date is before the opening date.")
    if not lessons or len(lessons) != len(set(data.lesson_ids)):
        errors["lessons"] = _("Choose at least one published lesson.")
    if not units or len(units) != len(set(data.unit_ids)):
        errors["units"] = _("Choose at least one unit.")
    elif not is_editor(by) and outside_scope(by, [unit.id for unit in units]):
        errors["units"] = _("You can only assign campaigns to the units you review.")
    return errors


def _published_lessons(ids: list[int]) -> list[Lesson]:
    if not ids:
        return []
    return list(db.session.scalars(select(Lesson).where(Lesson.id.in_(ids), Lesson.state == LessonState.PUBLISHED)))


def assignable_units(user: User) -> list[Unit]:
    """Units a campaign manager may assign to, in tree order."""
    query = select(Unit).order_by(Unit.path) if is_editor(user) else covered_units(user)
    return list(db.session.scalars(query.where(Unit.active.is_(True))))


def visible_campaigns(user: User) -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(visible_to(user))
                                   .order_by(Campaign.closes_on.desc(), Campaign.id.desc())))
