"""Which units a reviewer covers, in SQL: a reviewer's grant covers its unit
and everything beneath it, so a unit is covered when its path starts with
the path of a unit the person reviews. Lists filter with this condition in
the database, so they never load rows they would then hide; admins cover
every unit.

Nobody acts on their own record, whatever their role: a reviewer's scope
takes in the unit they are a member of, but not themselves (`refuse_own_record`
in each operation, `not_own` in the lists that offer work)."""
from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select, true

from learning.core import db
from learning.core.errors import DomainError
from learning.core.permissions import Role, is_admin
from learning.org.models import RoleGrant, Unit


class OwnRecord(DomainError):
    """The actor would act on their own record (one more attempt, a later due
    date, a grade): a conflict of interest, for reviewers and admins alike. A
    reviewer of a unit above theirs (or another admin) acts for them."""


def own_record(actor, member_id: int | None) -> bool:
    """The member is the actor themselves (the command line acts for no one)."""
    return actor is not None and member_id is not None and getattr(actor, "id", None) == member_id


def refuse_own_record(actor, member_id: int | None, message) -> None:
    """Raise OwnRecord with the operation's message when the member is the actor."""
    if own_record(actor, member_id):
        raise OwnRecord(str(message))


def not_own(actor, user_id_column):
    """SQL: the row belongs to someone other than the actor."""
    return user_id_column != actor.id


def _reviewer_grant(user, scope_condition):
    """SQL: the user holds a reviewer grant whose unit's path meets
    `scope_condition(path)`."""
    scope = Unit.__table__.alias("scope_unit")
    grants = RoleGrant.__table__
    return exists(select(grants.c.id).join(scope, scope.c.id == grants.c.unit_id).where(
        grants.c.user_id == user.id, grants.c.role == Role.REVIEWER, scope.c.path != "",
        scope_condition(scope.c)))


def covers(user, unit_path):
    """SQL: `unit_path` (a column or expression) lies in the user's scope."""
    if is_admin(user):
        return true()
    return _reviewer_grant(user, lambda scope: unit_path.like(scope.path + "%"))


def reaches(user, unit_path):
    """SQL: the unit at `unit_path` lies in the user's scope or above a unit
    of it (an ancestor of a unit they review). What is assigned there, a
    campaign, binds members they review."""
    if is_admin(user):
        return true()
    return _reviewer_grant(user, lambda scope: or_(unit_path.like(scope.path + "%"),
                                                   and_(unit_path != "", scope.path.like(unit_path + "%"))))


def reviews_a_top_unit(user) -> bool:
    """Holds a reviewer grant on a unit at the top of the tree (the whole
    tree's reviewers: a provincial committee's commissions)."""
    return bool(db.session.scalar(select(_reviewer_grant(user, lambda scope: scope.parent_id.is_(None)))))


def reviews_unit(user, unit: Unit) -> bool:
    if is_admin(user):
        return True
    return bool(db.session.scalar(select(covers(user, Unit.path)).where(Unit.id == unit.id)))


def covered_units(user):
    """The units of a person's scope, as a query over Unit, in tree order."""
    return select(Unit).where(covers(user, Unit.path)).order_by(Unit.path)


def outside_scope(user, unit_ids: list[int]) -> set[int]:
    """Those of the units that the person does not cover, in one query."""
    if is_admin(user) or not unit_ids:
        return set()
    return set(db.session.scalars(select(Unit.id).where(Unit.id.in_(unit_ids), ~covers(user, Unit.path))))


def covering_unit(user, unit_ids: list[int]) -> int | None:
    """The unit of the person's reviewer grant that covers all these units
    (the nearest, when several do), or None."""
    grants, scope, units = RoleGrant.__table__, Unit.__table__.alias("scope_unit"), Unit.__table__
    uncovered = (select(units.c.id).where(units.c.id.in_(unit_ids), ~units.c.path.like(scope.c.path + "%")))
    return db.session.scalar(
        select(scope.c.id).join(grants, grants.c.unit_id == scope.c.id)
        .where(grants.c.user_id == user.id, grants.c.role == Role.REVIEWER, ~exists(uncovered))
        .order_by(func.length(scope.c.path).desc()).limit(1))
