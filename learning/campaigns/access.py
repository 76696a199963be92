"""Who may see and manage study campaigns: editors and admins any; a
reviewer (a unit's secretary) sees every campaign that binds members they
review: one assigned to a unit of their scope, or to a unit above it
(created by a committee above them), so a cell's secretary follows the
province's campaigns too; and manages (edits, extends, closes) those that a
reviewer made (its owner unit in their scope): a campaign the propaganda
commission assigned is theirs to follow, not to change."""
from __future__ import annotations

from sqlalchemy import and_, exists, not_, select, true

from learning.campaigns.models import Campaign, campaign_units
from learning.core import db
from learning.core.permissions import is_editor
from learning.org.models import Unit
from learning.org.scope import covers, reaches, reviews_unit


def visible_to(user):
    """SQL over Campaign: the campaigns this person may see."""
    if is_editor(user):
        return true()
    units = Unit.__table__
    of_campaign = (select(campaign_units.c.unit_id).join(units, units.c.id == campaign_units.c.unit_id)
                   .where(campaign_units.c.campaign_id == Campaign.id))
    return exists(of_campaign.where(reaches(user, units.c.path)))


def within_scope(user, campaign: Campaign) -> bool:
    """Every unit of the campaign lies in the person's scope (editors: any):
    what its grading scale's page asks, a campaign assigned above them being
    followed there, not set up."""
    if is_editor(user):
        return True
    units = Unit.__table__
    of_campaign = (select(campaign_units.c.unit_id).join(units, units.c.id == campaign_units.c.unit_id)
                   .where(campaign_units.c.campaign_id == Campaign.id))
    outside = of_campaign.where(not_(covers(user, units.c.path)))
    return bool(db.session.scalar(select(and_(exists(of_campaign), not_(exists(outside))))
                                  .where(Campaign.id == campaign.id)))


def can_view_campaign(user, campaign: Campaign) -> bool:
    if is_editor(user):
        return True
    return bool(db.session.scalar(select(visible_to(user)).where(Campaign.id == campaign.id)))


def can_manage_campaign(user, campaign: Campaign) -> bool:
    if is_editor(user):
        return True
    return (campaign.owner_unit is not None and reviews_unit(user, campaign.owner_unit)
            and can_view_campaign(user, campaign))
