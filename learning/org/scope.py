"""Which units a reviewer covers, in SQL: a reviewer's grant covers its unit
and everything beneath it, so a unit is covered when its path starts with
the path of a unit the person reviews. Lists filter with this condition in
the database, so they never load rows they would then hide; admins cover
every unit."""
from __future__ import annotations

from sqlalchemy import exists, select, true

from learning.core import db
from learning.core.permissions import Role, is_admin
from learning.org.models import RoleGrant, Unit


def covers(user, unit_path):
    """SQL: `unit_path` (a column or expression) lies in the user's scope."""
    if is_admin(user):
        return true()
    scope = Unit.__table__.alias("scope_unit")
    grants = RoleGrant.__table__
    return exists(select(grants.c.id).join(scope, scope.c.id == grants.c.unit_id).where(
        grants.c.user_id == user.id, grants.c.role == Role.REVIEWER, unit_path.like(scope.c.path + "%")))


def reviews_unit(user, unit: Unit) -> bool:
    if is_admin(user):
        return True
    return bool(db.session.scalar(select(covers(user, Unit.path)).where(Unit.id == unit.id)))


def covered_units(user):
    """The units of a person's scope, as a query over Unit, in tree order."""
    return select(Unit).where(covers(user, Unit.path)).order_by(Unit.path)
