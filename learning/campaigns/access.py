"""Who may assign and see study campaigns: editors and admins any; a
reviewer those whose every unit lies in their scope (org.scope)."""
from __future__ import annotations

from sqlalchemy import and_, exists, not_, select, true

from learning.campaigns.models import Campaign, campaign_units
from learning.core import db
from learning.core.permissions import is_editor
from learning.org.models import Unit
from learning.org.scope import covers


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
