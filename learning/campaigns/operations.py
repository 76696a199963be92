"""Study campaigns: lessons assigned to units, with an opening and a closing
date; created, edited, extended and closed by those who manage them
(campaigns.access), each change in the audit log.

Closing a campaign now sets its closing day to yesterday in Vietnam (no
"closed" flag): the phase (Campaign.phase) and the due dates
(campaigns.binding) follow from the dates alone, so every page, the
on-time rule and answer visibility see the close at once. Members stay bound
to its lessons, now overdue if unfinished; extending it later reopens it.
A campaign not open yet cannot be closed (its dates are what to change)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from learning.audit.log import changes, record
from learning.audit.models import AuditKind
from learning.campaigns.access import visible_to
from learning.campaigns.models import Campaign, CampaignPhase
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


@dataclass(frozen=True)
class CampaignEdit:
    """What the edit form changes: the dates change by extending or closing."""
    title: str
    description: str
    lesson_ids: list[int]
    unit_ids: list[int]


def update_campaign(by: User, campaign: Campaign, data: CampaignEdit) -> bool:
    """Change the title, description, lessons and units, checked as at
    creation. A lesson already in the campaign may stay even if it was
    archived since. Removing a lesson unbinds the members from it but keeps
    everything they did (progress, attempts, grades are never deleted).
    False when nothing changed (and nothing is recorded)."""
    kept = [lesson for lesson in campaign.lessons if lesson.id in data.lesson_ids]
    published = _published_lessons([i for i in data.lesson_ids if i not in {lesson.id for lesson in kept}])
    lessons = sorted({lesson.id: lesson for lesson in kept + published}.values(), key=lambda lesson: lesson.id)
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids)))) if data.unit_ids else []
    errors = _validate(by, CampaignInput(data.title, data.description, campaign.opens_on, campaign.closes_on,
                                         data.lesson_ids, data.unit_ids), lessons, units)
    for dates in ("opens_on", "closes_on"):  # not this form's: closed on its opening day, it closes before
        errors.pop(dates, None)
    if errors:
        raise CampaignInvalid(errors)
    before = _snapshot(campaign)
    campaign.title, campaign.description = data.title.strip(), data.description.strip()
    campaign.lessons, campaign.units = lessons, sorted(units, key=lambda unit: unit.path)
    if not is_editor(by):
        campaign.owner_unit_id = covering_unit(by, [unit.id for unit in units])
    return _record_change(by, campaign, before, "edit")


def extend_campaign(by: User, campaign: Campaign, closes_on: date | None) -> None:
    """A later closing day (which reopens a closed campaign)."""
    if closes_on is None:
        raise CampaignInvalid({"closes_on": _("Enter the closing date as dd/mm/yyyy.")})
    if closes_on <= campaign.closes_on:
        raise CampaignInvalid({"closes_on": _("The new closing date must be later than the current one (%(day)s).",
                                              day=campaign.closes_on.strftime("%d/%m/%Y"))})
    before = _snapshot(campaign)
    campaign.closes_on = closes_on
    _record_change(by, campaign, before, "extend")


def close_campaign(by: User, campaign: Campaign, today: date) -> None:
    """Close now: the closing day becomes yesterday (see the module's docstring)."""
    phase = campaign.phase(today)
    if phase == CampaignPhase.UPCOMING:
        raise CampaignInvalid({"close": _("This campaign has not opened yet: change its dates instead.")})
    if phase == CampaignPhase.CLOSED:
        raise CampaignInvalid({"close": _("This campaign is already closed.")})
    before = _snapshot(campaign)
    campaign.closes_on = today - timedelta(days=1)
    _record_change(by, campaign, before, "close")


def _snapshot(campaign: Campaign) -> dict:
    return {"title": campaign.title, "description": campaign.description, "closes_on": campaign.closes_on,
            "lessons": sorted(lesson.id for lesson in campaign.lessons),
            "units": sorted(unit.id for unit in campaign.units)}


def _record_change(by: User, campaign: Campaign, before: dict, action: str) -> bool:
    db.session.flush()
    was, now = changes(before, _snapshot(campaign))
    if not now:
        return False
    owner = db.session.get(Unit, campaign.owner_unit_id) if campaign.owner_unit_id else None
    record(AuditKind.CAMPAIGN_CHANGED, actor=by, unit=owner, object_type="campaign",
           object_id=campaign.id, before=was, after={**now, "action": action, "campaign": campaign.title})
    return True


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


def editable_lessons(campaign: Campaign) -> list[Lesson]:
    """The lessons the edit form offers: the published ones, and those already
    in the campaign (one archived since may stay)."""
    offered = {lesson.id: lesson for lesson in db.session.scalars(
        select(Lesson).where(Lesson.state == LessonState.PUBLISHED).order_by(Lesson.id))}
    for lesson in campaign.lessons:
        offered.setdefault(lesson.id, lesson)
    return sorted(offered.values(), key=lambda lesson: (lesson.doc_number, lesson.id))


def assignable_units(user: User) -> list[Unit]:
    """Units a campaign manager may assign to, in tree order."""
    query = select(Unit).order_by(Unit.path) if is_editor(user) else covered_units(user)
    return list(db.session.scalars(query.where(Unit.active.is_(True))))


def visible_campaigns(user: User) -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(visible_to(user))
                                   .order_by(Campaign.closes_on.desc(), Campaign.id.desc())))
