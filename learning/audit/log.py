"""Writing the log, and reading it.

Each operation that must leave a trace calls `record` itself, inside its own
transaction, so the entry commits or rolls back with the change it
describes. (ORM events would miss the Core statements the hot paths use.)
People and units are passed as objects with `id` and `full_name` / `name`
and `path`, or None; the entry keeps a snapshot of their names."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from sqlalchemy import Select, insert, or_, select

from learning.audit.models import AuditEntry, AuditKind
from learning.core import db
from learning.core.clock import VIETNAM
from learning.core.db import utcnow


def entry_values(kind: AuditKind, *, actor=None, unit=None, subject=None, object_type: str = "",
                 object_id: int | None = None, before: dict | None = None, after: dict | None = None,
                 reason: str | None = None, at: datetime | None = None) -> dict[str, Any]:
    """The row for one entry, for `record` or for `record_many`."""
    return {
        "at": at or utcnow(), "kind": str(AuditKind(kind)),
        "actor_id": getattr(actor, "id", None), "actor_name": getattr(actor, "full_name", "") or "",
        "unit_id": getattr(unit, "id", None), "unit_name": getattr(unit, "name", "") or "",
        "unit_path": getattr(unit, "path", "") or "",
        "subject_id": getattr(subject, "id", None), "subject_name": getattr(subject, "full_name", "") or "",
        "object_type": object_type, "object_id": object_id,
        "before": _jsonable(before), "after": _jsonable(after), "reason": reason or None,
    }


def record(kind: AuditKind, **details) -> None:
    """Append one entry (see entry_values for the details)."""
    db.session.execute(insert(AuditEntry.__table__), [entry_values(kind, **details)])


def record_many(rows: Iterable[dict[str, Any]]) -> int:
    """Append many entries made with entry_values, in one statement: a roster
    import records every member it created or changed."""
    rows = list(rows)
    if rows:  # a Core insert of the table: one executemany, not the ORM's bulk path (a tenth of the time)
        db.session.execute(insert(AuditEntry.__table__), rows)
    return len(rows)


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, before and after: what an entry keeps."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after.get(key) for key in changed}


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class AuditFilter:
    """What an admin filters the log by; every field optional."""
    person: str = ""  # part of the name of whoever acted or was concerned
    person_id: int | None = None
    unit_path: str = ""  # this unit and beneath it, as the tree stood then
    kind: str = ""
    since: date | None = None  # days in Vietnam's calendar, inclusive
    until: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def entries(filters: AuditFilter, before_id: int | None = None, limit: int = 50) -> Select:
    """Newest first; `before_id` pages on from the last entry shown."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if filters.person_id is not None:
        query = query.where(or_(AuditEntry.actor_id == filters.person_id,
                                AuditEntry.subject_id == filters.person_id))
    if filters.person:
        pattern = "%" + filters.person.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(AuditEntry.actor_name.ilike(pattern, escape="\\"),
                                AuditEntry.subject_name.ilike(pattern, escape="\\")))
    if filters.unit_path:
        query = query.where(AuditEntry.unit_path.startswith(filters.unit_path, autoescape=True))
    if filters.kind:
        query = query.where(AuditEntry.kind == filters.kind)
    if filters.since:
        query = query.where(AuditEntry.at >= _day_start(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < _day_start(filters.until + timedelta(days=1)))
    return query
