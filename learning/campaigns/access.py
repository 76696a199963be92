"""Who may assign and see study campaigns."""
from __future__ import annotations

from learning.campaigns.models import Campaign
from learning.core.permissions import is_editor
from learning.org.models import Unit
from learning.org.scope import reviews_unit


def can_assign_to(user, unit: Unit) -> bool:
    """Who may assign a study campaign to a unit (and so to everyone below it)."""
    return is_editor(user) or reviews_unit(user, unit)


def can_view_campaign(user, campaign: Campaign) -> bool:
    return is_editor(user) or (bool(campaign.units) and all(reviews_unit(user, unit) for unit in campaign.units))
