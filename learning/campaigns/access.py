"""Who may assign, see and manage study campaigns: editors and admins any; a
reviewer sees those whose every unit lies in their scope (org.scope), and
manages (edits, extends, closes) those of them that a reviewer made (its
owner unit in their scope too): a campaign the propaganda commission
assigned is theirs to follow, not to change."""
from __future__ import annotations

from sqlalchemy import and_, exists, not_, select, true

from learning.campaigns.models import Campaign, campaign_units
from learning.core import db
from learning.core.permissions import is_editor
from learning.org.models import Unit
from learning.org.scope import covers, reviews_unit


def visible_to(user):
    """SQL over Campaign: the campaigns this person may see."""
    if is_editor(user):
        return true()
    units = Unit.__table__
    of_campaign = (select(campaign_units.c.unit_id).join(units, units.c.id == campaign_units.c.unit_id)
                   .where(campaign_units.c.campaign_id == Campaign.id))
    outside_scope = of_campaign.where(not_(covers(user, units.c.path)))
    return and_(exists(of_campaign), not_(exists(outside_scope)))


def can_view_campaign(user, campaign: Campaign) -> bool:
    if is_editor(user):
        return True
    return bool(db.session.scalar(select(visible_to(user)).where(Campaign.id == campaign.id)))


def can_manage_campaign(user, campaign: Campaign) -> bool:
    if is_editor(user):
        return True
    return (campaign.owner_unit is not None and reviews_unit(user, campaign.owner_unit)
            and can_view_campaign(user, campaign))
