"""Evaluation periods: made, their rules and campaigns set, audited, by
those evaluation.access admits."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.campaigns.models import Campaign
from learning.core import db
from learning.core.db import upsert_insert, utcnow
from learning.core.digest import content_digest
from learning.core.errors import DomainError
from learning.evaluation import rules as evaluation_rules
from learning.evaluation.access import may_manage_periods
from learning.evaluation.models import Period, RuleSet

MAX_NAME = 120


class RulesInvalid(DomainError):
    """The rules form has problems: field → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def _require_manager(actor) -> None:
    if actor is not None and not may_manage_periods(actor):
        raise DomainError(_("Only administrators and reviewers of the whole tree set evaluation periods."))


def rule_set_for(definition: Mapping[str, Any], by=None) -> RuleSet:
    """The RuleSet row of these rules (validated, normalised), made if no row
    has them yet: the same rules always find the same row."""
    rules, problems = evaluation_rules.validate(definition)
    if problems:
        raise RulesInvalid(problems)
    digest = content_digest(rules)
    found = db.session.scalar(select(RuleSet).where(RuleSet.content_hash == digest))
    if found is None:
        db.session.execute(upsert_insert(RuleSet.__table__).values(
            content_hash=digest, definition=rules, created_by_id=getattr(by, "id", None), created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["content_hash"]))
        found = db.session.scalar(select(RuleSet).where(RuleSet.content_hash == digest))
    return found


def latest_period() -> Period | None:
    return db.session.scalars(select(Period).order_by(Period.year.desc(), Period.id.desc())).first()


def campaigns_closing_within(starts_on: date, ends_on: date) -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(Campaign.closes_on >= starts_on,
                                                          Campaign.closes_on <= ends_on)
                                   .order_by(Campaign.opens_on, Campaign.id)))


def create_period(actor, name: str, year: int, starts_on: date, ends_on: date) -> Period:
    """A new period: last period's rules (or the defaults), and the campaigns
    that close within its dates."""
    _require_manager(actor)
    name = " ".join((name or "").split())
    problems = {}
    if not name:
        problems["name"] = _("Give the period a name.")
    elif len(name) > MAX_NAME:
        problems["name"] = _("The name is too long: at most %(max)s characters.", max=MAX_NAME)
    if ends_on < starts_on:
        problems["ends_on"] = _("The period ends before it starts.")
    if problems:
        raise RulesInvalid(problems)
    previous = latest_period()
    rule_set = previous.rule_set if previous is not None else rule_set_for(evaluation_rules.default_rules(), actor)
    period = Period(name=name, year=year, starts_on=starts_on, ends_on=ends_on, rule_set=rule_set,
                    created_by_id=getattr(actor, "id", None))
    period.campaigns = campaigns_closing_within(starts_on, ends_on)
    db.session.add(period)
    db.session.flush()
    record(AuditKind.PERIOD_CREATED, actor=actor, object_type="evaluation_period", object_id=period.id,
           after={"name": name, "year": year, "starts_on": starts_on, "ends_on": ends_on,
                  "rules": evaluation_rules.summary(rule_set.definition),
                  "campaigns": [c.title for c in period.campaigns]})
    return period


def set_rules(actor, period: Period, definition: Mapping[str, Any], campaign_ids: list[int]) -> Period:
    """The period's rules (a rule set found or made by content) and the
    campaigns that count. Refused once the period is locked."""
    _require_manager(actor)
    if period.locked:
        raise DomainError(_("This period is locked: reopen it to change its rules."))
    rule_set = rule_set_for(definition, actor)
    campaigns = list(db.session.scalars(select(Campaign).where(Campaign.id.in_(set(campaign_ids)))
                                        .order_by(Campaign.opens_on, Campaign.id))) if campaign_ids else []
    if len(campaigns) != len(set(campaign_ids)):
        raise DomainError(_("Some of the chosen campaigns no longer exist: reload the page and choose again."))
    before = {"rules": evaluation_rules.summary(period.rule_set.definition),
              "campaigns": [c.title for c in period.campaigns]}
    after = {"rules": evaluation_rules.summary(rule_set.definition), "campaigns": [c.title for c in campaigns]}
    if period.rule_set_id == rule_set.id and [c.id for c in period.campaigns] == [c.id for c in campaigns]:
        raise DomainError(_("Nothing was changed."))
    period.rule_set, period.campaigns = rule_set, campaigns
    db.session.flush()
    changed = [key for key in before if before[key] != after[key]]
    record(AuditKind.PERIOD_CHANGED, actor=actor, object_type="evaluation_period", object_id=period.id,
           before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return period
