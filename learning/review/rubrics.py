"""A campaign's grading scale: set by its manager, kept as immutable Rubric
rows found by their content hash (after edx-ora2). Changing a scale finds or
makes the row of the new content and points the campaign at it: a rubric
some grade was given with is never changed, and that grade keeps pointing
at it. A campaign without a scale grades pass / not pass."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.campaigns.binding import bindings
from learning.campaigns.models import Campaign
from learning.core import db
from learning.core.db import upsert_insert, utcnow
from learning.core.errors import DomainError
from learning.core.permissions import is_editor
from learning.review.models import CampaignScale, Rubric
from learning.review.scales import DEFAULT_KIND, SCALES, content_hash


class ScaleInvalid(DomainError):
    """The scale form has problems: field name → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def rubric_for(kind: str, definition: Mapping[str, Any], by=None, unit=None) -> Rubric:
    """The Rubric row of this content, made if none has it yet (then in the
    audit log). Concurrent makers of the same content agree on one row."""
    problems = SCALES[kind].validate(definition)
    if problems:
        raise ScaleInvalid(problems)
    digest = content_hash(kind, definition)
    found = db.session.scalar(select(Rubric).where(Rubric.content_hash == digest))
    if found is not None:
        return found
    inserted = db.session.execute(
        upsert_insert(Rubric.__table__).values(content_hash=digest, kind=kind, definition=dict(definition),
                                               created_by_id=getattr(by, "id", None), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["content_hash"]).returning(Rubric.__table__.c.id)).first()
    rubric = db.session.scalar(select(Rubric).where(Rubric.content_hash == digest))
    if inserted is not None:
        record(AuditKind.RUBRIC_CREATED, actor=by, unit=unit, object_type="rubric", object_id=rubric.id,
               after={"kind": kind, "definition": SCALES[kind].summary(definition)})
    return rubric


def default_rubric() -> Rubric:
    """Pass / not pass: its row if some grade made it, else one not yet
    stored (rubric_for stores it with the first grade given with it), so
    that showing a page writes nothing."""
    found = db.session.scalar(select(Rubric).where(Rubric.content_hash == content_hash(DEFAULT_KIND, {})))
    return found or Rubric(kind=DEFAULT_KIND, definition={}, content_hash=content_hash(DEFAULT_KIND, {}))


def campaign_rubric(campaign_id: int) -> Rubric | None:
    """The campaign's own scale, or None (it grades pass / not pass)."""
    return db.session.scalar(select(Rubric).join(CampaignScale, CampaignScale.rubric_id == Rubric.id)
                             .where(CampaignScale.campaign_id == campaign_id))


def grading_campaign_id(member_id: int, lesson_id: int, today: date) -> int | None:
    """The campaign whose scale grades a member's reflection on a lesson: of
    those binding them to it (campaigns.binding), the one due first."""
    found = bindings(member_id, today).subquery()
    return db.session.scalar(select(found.c.campaign_id).where(found.c.lesson_id == lesson_id)
                             .order_by(found.c.closes_on, found.c.campaign_id).limit(1))


def may_set_scale(user, campaign: Campaign) -> bool:
    """Editors any campaign; a reviewer the campaigns made within their units
    (the viewing rule, campaigns.access, is asked first)."""
    return is_editor(user) or campaign.owner_unit_id is not None


def set_scale(campaign: Campaign, by, kind: str, fields: Callable[[str], str | None]) -> tuple[Rubric, dict]:
    """Read the editor's form for `kind`, and point the campaign at the rubric
    of that content. Returns the rubric and the draft as typed; ScaleInvalid
    (with the draft on it) names each field at fault."""
    scale = SCALES.get(kind)
    if scale is None:
        error = ScaleInvalid({"kind": _("Choose a kind of scale.")})
        error.draft = {}
        raise error
    draft, definition, problems = scale.read_draft(fields)
    if problems:
        error = ScaleInvalid(problems)
        error.draft = draft
        raise error
    unit = campaign.owner_unit
    rubric = rubric_for(kind, definition, by=by, unit=unit)
    link = db.session.get(CampaignScale, campaign.id)
    before = link.rubric_id if link is not None else None
    if before != rubric.id:
        if link is None:
            db.session.add(CampaignScale(campaign_id=campaign.id, rubric_id=rubric.id, set_by_id=by.id))
        else:
            link.rubric_id, link.set_by_id, link.set_at = rubric.id, by.id, utcnow()
        db.session.flush()
        record(AuditKind.CAMPAIGN_CHANGED, actor=by, unit=unit, object_type="campaign", object_id=campaign.id,
               before={"rubric": before}, after={"rubric": rubric.id, "scale": kind})
    return rubric, draft
