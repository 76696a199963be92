"""Reviewers' decisions on a period's results, and the period's lock.

A member's level is decided by a reviewer whose units take in the member's
(org.scope.covers), never by the member themselves: confirm the suggestion,
or choose another level with a reason. A unit's level is decided from the
unit above it (a reviewer of its parent's subtree, an admin for the top), so
nobody rates the organisation they review. A cell's secretary may confirm
every suggestion of the cell at once.

Each decision moves the count of its level along the member's line of
units (UnitResult's excellent... columns: what the quota counts), in the
same transaction. Nothing is decided while the period is locked; a lock is
set by those who manage periods and lifted by an admin with a reason.
Everything here is audited."""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select, update

from learning.audit.log import entry_values, record, record_many
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.core.permissions import is_admin
from learning.evaluation.access import may_manage_periods
from learning.evaluation.models import LEVEL_COLUMNS, MemberResult, Period, UnitResult
from learning.evaluation.rules import Level
from learning.org.models import Unit, User
from learning.org.scope import refuse_own_record, reviews_unit
from learning.org.units import OutOfScope

MAX_REASON = 1000


def _require_open(period: Period) -> None:
    if period.locked:
        raise DomainError(_("This period is locked: its results can no longer change."))


def _level_and_reason(level: str, reason: str, suggested: str | None) -> tuple[str, str | None]:
    """The level chosen (a Level's code) and the reason, which another
    level than the suggestion requires."""
    if level not in {lvl.value for lvl in Level}:
        raise DomainError(_("Choose one of the four levels."))
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise DomainError(_("The reason is too long: at most %(max)s characters.", max=MAX_REASON))
    if level != suggested and not reason:
        raise DomainError(_("Say why you choose another level than the suggested one."))
    return level, reason or None


def may_decide_member(actor, result: MemberResult, unit: Unit) -> bool:
    return actor.id != result.user_id and reviews_unit(actor, unit)


def may_decide_unit(actor, unit: Unit) -> bool:
    """From the unit above: a reviewer covering the unit's parent, or an admin."""
    if is_admin(actor):
        return True
    return unit.parent is not None and reviews_unit(actor, unit.parent)


def _move_counts(period_id: int, path: str, before: str | None, after: str | None, undecided: int) -> None:
    """One member's level changed from `before` to `after` (and `undecided`
    of them now decided): the counts of every unit on their line follow."""
    line = [int(part) for part in path.strip("/").split("/") if part]
    values = {}
    if before != after:
        if before is not None:
            values[LEVEL_COLUMNS[before]] = getattr(UnitResult, LEVEL_COLUMNS[before]) - 1
        if after is not None:
            values[LEVEL_COLUMNS[after]] = getattr(UnitResult, LEVEL_COLUMNS[after]) + 1
    if undecided:
        values["undecided"] = UnitResult.undecided - undecided
    if values and line:
        db.session.execute(update(UnitResult).where(UnitResult.period_id == period_id, UnitResult.unit_id.in_(line))
                           .values(**values).execution_options(synchronize_session=False))


def decide_member(actor, period: Period, result: MemberResult, level: str, reason: str) -> MemberResult:
    _require_open(period)
    unit = db.session.get(Unit, result.unit_id)
    refuse_own_record(actor, result.user_id, _("Nobody decides their own level: a reviewer above you does."))
    if not may_decide_member(actor, result, unit):
        raise OutOfScope(_("This member is not in the units you review."))
    if result.suggested is None:  # nothing to rate them by: not counted in the unit's levels either
        raise DomainError(_("This member has nothing to be rated by in this period."))
    level, reason = _level_and_reason(level, reason, result.suggested)
    before = {"level": result.decided, "reason": result.reason}
    if result.decided == level and result.reason == reason:
        raise DomainError(_("Nothing was changed."))
    was = result.level
    first = result.decided is None
    result.decided, result.decided_on, result.reason = level, result.suggested, reason
    result.decided_by_id, result.decided_at = actor.id, utcnow()
    db.session.flush()
    _move_counts(period.id, unit.path, was, level, 1 if first else 0)
    member = db.session.get(User, result.user_id)
    record(AuditKind.LEVEL_DECIDED, actor=actor, unit=unit, subject=member, object_type="evaluation_period",
           object_id=period.id, before={"level": before["level"]},
           after={"level": level, "suggested": result.suggested, "period": period.name}, reason=reason)
    return result


def confirm_unit_members(actor, period: Period, unit: Unit) -> int:
    """Confirm the suggestion of each of the unit's own members not yet
    decided (the actor's own record aside); how many were confirmed."""
    _require_open(period)
    if not reviews_unit(actor, unit):
        raise OutOfScope(_("This unit is not one of those you review."))
    pending = list(db.session.scalars(select(MemberResult).where(
        MemberResult.period_id == period.id, MemberResult.unit_id == unit.id, MemberResult.decided.is_(None),
        MemberResult.suggested.is_not(None), MemberResult.user_id != actor.id)))
    if not pending:
        raise DomainError(_("Every member of %(unit)s already has a decided level.", unit=unit.name))
    now = utcnow()
    ids = [result.user_id for result in pending]
    db.session.execute(update(MemberResult).where(
        MemberResult.period_id == period.id, MemberResult.user_id.in_(ids), MemberResult.decided.is_(None))
        .values(decided=MemberResult.suggested, decided_on=MemberResult.suggested, reason=None,
                decided_by_id=actor.id, decided_at=now).execution_options(synchronize_session=False))
    _move_counts(period.id, unit.path, None, None, len(ids))
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
    record_many(entry_values(AuditKind.LEVEL_DECIDED, actor=actor, unit=unit, at=now,
                             subject=SimpleNamespace(id=r.user_id, full_name=names.get(r.user_id, "")),
                             object_type="evaluation_period", object_id=period.id, before={"level": None},
                             after={"level": r.suggested, "suggested": r.suggested, "period": period.name})
                for r in pending)
    for result in pending:
        db.session.expire(result)
    return len(ids)


def decide_unit(actor, period: Period, result: UnitResult, level: str, reason: str) -> UnitResult:
    _require_open(period)
    unit = db.session.get(Unit, result.unit_id)
    if not may_decide_unit(actor, unit):
        raise OutOfScope(_("A unit's level is decided by the reviewers of the unit above it."))
    level, reason = _level_and_reason(level, reason, result.suggested)
    if result.decided == level and result.reason == reason:
        raise DomainError(_("Nothing was changed."))
    before = result.decided
    result.decided, result.decided_on, result.reason = level, result.suggested, reason
    result.decided_by_id, result.decided_at = actor.id, utcnow()
    db.session.flush()
    record(AuditKind.UNIT_LEVEL_DECIDED, actor=actor, unit=unit, object_type="evaluation_period",
           object_id=period.id, before={"level": before},
           after={"level": level, "suggested": result.suggested, "period": period.name}, reason=reason)
    return result


def lock(actor, period: Period) -> Period:
    if not may_manage_periods(actor):
        raise DomainError(_("Only administrators and reviewers of the whole tree lock a period."))
    if period.locked:
        raise DomainError(_("This period is already locked."))
    if period.computed_at is None:
        raise DomainError(_("Compute the results before locking the period."))
    period.locked_at, period.locked_by_id = utcnow(), actor.id
    db.session.flush()
    undecided = db.session.scalar(select(UnitResult.undecided).join(Unit, Unit.id == UnitResult.unit_id)
                                  .where(UnitResult.period_id == period.id, Unit.parent_id.is_(None))) or 0
    record(AuditKind.PERIOD_LOCKED, actor=actor, object_type="evaluation_period", object_id=period.id,
           after={"period": period.name, "undecided": undecided})
    return period


def reopen(actor, period: Period, reason: str) -> Period:
    if not is_admin(actor):
        raise DomainError(_("Only an administrator reopens a locked period."))
    if not period.locked:
        raise DomainError(_("This period is not locked."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Say why the period is reopened."))
    if len(reason) > MAX_REASON:
        raise DomainError(_("The reason is too long: at most %(max)s characters.", max=MAX_REASON))
    locked_at = period.locked_at
    period.locked_at, period.locked_by_id = None, None
    db.session.flush()
    record(AuditKind.PERIOD_REOPENED, actor=actor, object_type="evaluation_period", object_id=period.id,
           before={"locked_at": locked_at}, after={"period": period.name}, reason=reason)
    return period
