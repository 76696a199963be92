"""Who reaches the evaluation: its periods and rules are the whole tree's,
so admins and reviewers of a unit at the top of the tree (org.scope) set
them; every reviewer reads the results of their own units."""
from __future__ import annotations

from sqlalchemy import select

from learning.core import db
from learning.core.permissions import Policy, Role, is_admin
from learning.org.models import RoleGrant, Unit
from learning.org.scope import covers, reviews_a_top_unit


def may_manage_periods(user) -> bool:
    if is_admin(user):
        return True
    if not user.has_role(Role.REVIEWER) or getattr(user, "id", None) is None:
        return False
    return reviews_a_top_unit(user)


PERIOD_MANAGERS = Policy("period_managers", needs_sign_in=True, allows=may_manage_periods)


def unit_in_scope(user, unit_id: int) -> Unit | None:
    """The unit, if the person reviews it (None: outside their units, a 404)."""
    return db.session.scalars(select(Unit).where(Unit.id == unit_id, covers(user, Unit.path))).first()


def top_units(user) -> list[Unit]:
    """Where a person's results pages start: the units of their reviewer
    grants that no other grant of theirs takes in (an admin: the tree's tops)."""
    if is_admin(user):
        return list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None), Unit.path != "")
                                       .order_by(Unit.name)))
    granted = list(db.session.scalars(select(Unit).join(RoleGrant, RoleGrant.unit_id == Unit.id).where(
        RoleGrant.user_id == user.id, RoleGrant.role == Role.REVIEWER, Unit.path != "").order_by(Unit.path)))
    return [unit for unit in granted
            if not any(other.id != unit.id and unit.path.startswith(other.path) for other in granted)]
