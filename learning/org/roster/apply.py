"""Writing a plan: Core statements in chunks (no ORM object per row), so a
province's 150,000 members import in seconds. New accounts get no usable
password (accounts.NOT_ACTIVATED: no password signs them in until they are
activated; never signed in, so not yet activated) and the member role; every member created or changed gets its
audit entry (before → after), and the import one entry with its counts."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update

from learning.audit.log import entry_values, record, record_many
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.core.permissions import Role
from learning.org import tallies
from learning.org.accounts import NOT_ACTIVATED
from learning.org.models import RoleGrant, User
from learning.org.names import name_columns
from learning.org.roster.plan import Outcome, UnitInfo, shown
from learning.org.signals import members_moved

CHUNK = 5000
ANALYZE_AFTER = 10_000  # new members in one import


def _audited(values: dict[str, Any], units: dict[int, UnitInfo]) -> dict[str, Any]:
    """A member's values as the audit log keeps them: the cell by its code."""
    audited = {name: shown(value) for name, value in values.items() if name != "unit_id"}
    if "unit_id" in values:
        unit = units.get(values["unit_id"])
        audited["cell"] = unit.code if unit else values["unit_id"]
    return audited


def _new_ids(conn, count: int) -> list[int]:
    """Ids for new members, taken before inserting them: a plain multi-row
    INSERT is several times faster than one that returns its ids. PostgreSQL
    hands them out from the column's sequence; on SQLite this transaction
    already writes (it holds the database's one write lock), so the next
    ids after the largest are ours."""
    if conn.dialect.name == "postgresql":
        return list(conn.scalars(text("SELECT nextval(pg_get_serial_sequence('users', 'id')) "
                                      "FROM generate_series(1, :n)"), {"n": count}))
    start = conn.scalar(select(func.coalesce(func.max(User.id), 0))) + 1
    return list(range(start, start + count))


def apply(outcomes: list[Outcome], actor, all_units: dict[int, UnitInfo], filename: str,
          object_id: int | None, progress=None) -> dict[str, int]:
    now = utcnow()
    conn = db.session.connection()
    created = [o for o in outcomes if o.status == "created"]
    updated = [o for o in outcomes if o.status == "updated"]
    units = {o.unit.id: o.unit for o in created + updated if o.unit} | all_units
    done = 0
    users = User.__table__
    for start in range(0, len(created), CHUNK):
        chunk = created[start:start + CHUNK]
        rows = [{"full_name": o.after["full_name"], **name_columns(o.after["full_name"]),
                 "party_card_number": o.row.member.party_card_number, "phone": o.after["phone"],
                 "password_hash": NOT_ACTIVATED, "unit_id": o.after["unit_id"],
                 "birth_date": o.after["birth_date"], "gender": o.after["gender"],
                 "membership": o.after["membership"], "exempt": o.after["exempt"],
                 "admitted_on": o.after["admitted_on"], "active": True, "created_at": now} for o in chunk]
        ids = _new_ids(conn, len(chunk))
        for row, user_id in zip(rows, ids):
            row["id"] = user_id
        conn.execute(insert(users), rows)
        conn.execute(insert(RoleGrant.__table__), [
            {"user_id": user_id, "role": str(Role.MEMBER), "unit_id": None, "created_at": now} for user_id in ids])
        record_many(entry_values(
            AuditKind.MEMBER_CREATED, actor=actor, unit=o.unit, at=now,
            subject=SimpleNamespace(id=user_id, full_name=o.after["full_name"]),
            object_type="user", object_id=user_id, after=_audited(o.after, units), reason=filename)
            for o, user_id in zip(chunk, ids))
        for o, user_id in zip(chunk, ids):
            o.member_id = user_id
        done += len(chunk)
        if progress is not None:
            progress(done)
    statement = update(users).where(users.c.id == bindparam("b_id")).values(
        full_name=bindparam("b_full_name"), name_key=bindparam("b_name_key"),
        search_name=bindparam("b_search_name"), phone=bindparam("b_phone"),
        unit_id=bindparam("b_unit_id"), birth_date=bindparam("b_birth_date"), gender=bindparam("b_gender"),
        membership=bindparam("b_membership"), exempt=bindparam("b_exempt"),
        admitted_on=bindparam("b_admitted_on"))
    for start in range(0, len(updated), CHUNK):
        chunk = updated[start:start + CHUNK]
        conn.execute(statement, [
            {"b_id": o.member_id, "b_full_name": o.after["full_name"],
             **{f"b_{column}": value for column, value in name_columns(o.after["full_name"]).items()},
             "b_phone": o.after["phone"], "b_unit_id": o.after["unit_id"], "b_birth_date": o.after["birth_date"],
             "b_gender": o.after["gender"], "b_membership": o.after["membership"], "b_exempt": o.after["exempt"],
             "b_admitted_on": o.after["admitted_on"]} for o in chunk])
        record_many(entry_values(
            AuditKind.MEMBER_CHANGED, actor=actor, unit=o.unit, at=now,
            subject=SimpleNamespace(id=o.member_id, full_name=o.after["full_name"]),
            object_type="user", object_id=o.member_id,
            before=_audited({name: before for name, (before, _after) in o.changes.items()}, units),
            after=_audited({name: after for name, (_before, after) in o.changes.items()}, units),
            reason=filename) for o in chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
    # Members who changed cell or became (or stopped being) exempt: what
    # counts their progress (the roll-ups, study.rollups) is recomputed for
    # the units they left and joined, as when members are moved.
    shifted = [o for o in updated if "unit_id" in o.changes or "exempt" in o.changes]
    moved_cell = [o.member_id for o in shifted if "unit_id" in o.changes]
    for start in range(0, len(moved_cell), CHUNK):
        conn.execute(update(User).where(User.id.in_(moved_cell[start:start + CHUNK])).values(unit_since=vietnam_today()))
    if shifted:
        members_moved.send(None, unit_ids=sorted({unit_id for o in shifted for unit_id in (
            o.changes.get("unit_id", (o.after["unit_id"], o.after["unit_id"]))) if unit_id is not None}),
            member_ids=[o.member_id for o in shifted])
    if created:
        tallies.recount({o.after["unit_id"] for o in created})
    if conn.dialect.name == "postgresql" and len(created) >= ANALYZE_AFTER:
        # The planner's statistics still describe the table before the
        # import: a first import into a near-empty table would leave the
        # next check scanning it once per chunk instead of using the indexes.
        conn.execute(text("ANALYZE users"))
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in ("created", "updated", "unchanged", "refused")}
    record(AuditKind.ROSTER_IMPORTED, actor=actor, at=now, object_type="roster_upload", object_id=object_id,
           after={"file": filename, **counts}, reason=filename)
    return counts
