"""How many rated members (active, not exempt: exempt members are not
rated) each unit has, directly and beneath it (member_tallies, kept along
the units' lines: org.lineage), so that a dashboard reads a row per unit it
shows instead of counting a province's 150,000 members on every view.

Kept by whatever changes who is counted where: a member created
(`add_member`), members moved, merged or changed by a roster import
(`recount`, on org.signals.members_moved), and new members of an import
(`recount` of their units).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import and_, bindparam, delete, func, insert, literal, select

from learning.core import db
from learning.core.db import prebuilt, upsert_insert
from learning.org.lineage import resum_beneath
from learning.org.models import MemberTally, UnitAncestor, User
from learning.org.signals import members_moved


def _rated(users):
    return and_(users.c.unit_id.is_not(None), users.c.active.is_(True), users.c.exempt.is_(False))


@prebuilt
def _add_statement():
    tallies, ancestors = MemberTally.__table__, UnitAncestor.__table__
    source = (select(ancestors.c.ancestor_id, ancestors.c.depth > 0, literal(1))
              .where(ancestors.c.unit_id == bindparam("unit")).order_by(ancestors.c.depth))
    statement = upsert_insert(tallies).from_select(["unit_id", "beneath", "members"], source)
    return statement.on_conflict_do_update(index_elements=["unit_id", "beneath"],
                                           set_={"members": tallies.c.members + statement.excluded.members})


def add_member(user: User) -> None:
    """Count a new member in their unit and along its line."""
    if user.unit_id is not None and user.active and not user.exempt:
        db.connection().execute(_add_statement(), {"unit": user.unit_id})


def recount(unit_ids: Iterable[int] | None) -> None:
    """Count again the members of these units (None: of every unit), and
    what is beneath each unit of their lines, in the current transaction."""
    ids = None if unit_ids is None else sorted(set(unit_ids))
    if ids == []:
        return
    tallies, users = MemberTally.__table__, User.__table__
    removal = delete(tallies).where(tallies.c.beneath.is_(False))
    counted = select(users.c.unit_id, func.count()).where(_rated(users)).group_by(users.c.unit_id)
    if ids is not None:
        removal = removal.where(tallies.c.unit_id.in_(ids))
        counted = counted.where(users.c.unit_id.in_(ids))
    connection = db.connection()
    connection.execute(removal)
    connection.execute(insert(tallies).from_select(["unit_id", "members"], counted))
    resum_beneath(tallies, (), ("members",), ids)


def _members_moved(_sender=None, unit_ids: Iterable[int] = (), **_extra) -> None:
    recount(unit_ids)


members_moved.connect(_members_moved)
