"""Campaigns follow the organisation when it is reshaped (org.signals): a
campaign assigned to a unit merged into another is assigned to that other
unit instead, so its members stay bound and the merged unit's former
members, now in the target, too. Runs inside the merge's transaction."""
from __future__ import annotations

from sqlalchemy import delete, insert, literal, select, update

from learning.audit.log import entry_values, record_many
from learning.audit.models import AuditKind
from learning.campaigns.models import Campaign, campaign_units
from learning.core import db
from learning.org.signals import unit_merged


@unit_merged.connect
def follow_merge(_sender, source, target, actor=None, **_extra) -> None:
    assigned = list(db.session.scalars(
        select(Campaign).join(campaign_units, campaign_units.c.campaign_id == Campaign.id)
        .where(campaign_units.c.unit_id == source.id).order_by(Campaign.id)))
    if not assigned:
        db.session.execute(update(Campaign).where(Campaign.owner_unit_id == source.id)
                           .values(owner_unit_id=target.id).execution_options(synchronize_session=False))
        return
    ids = [campaign.id for campaign in assigned]
    already = select(campaign_units.c.campaign_id).where(campaign_units.c.unit_id == target.id)
    db.session.execute(insert(campaign_units).from_select(
        ["campaign_id", "unit_id"],
        select(Campaign.id, literal(target.id)).where(Campaign.id.in_(ids), ~Campaign.id.in_(already))))
    db.session.execute(delete(campaign_units).where(campaign_units.c.unit_id == source.id))
    db.session.execute(update(Campaign).where(Campaign.owner_unit_id == source.id).values(owner_unit_id=target.id)
                       .execution_options(synchronize_session=False))
    for campaign in assigned:
        db.session.expire(campaign)
    record_many(entry_values(AuditKind.CAMPAIGN_CHANGED, actor=actor, unit=target, object_type="campaign",
                             object_id=campaign.id, before={"units": [source.name]},
                             after={"units": [target.name], "merged_into": target.name}) for campaign in assigned)
