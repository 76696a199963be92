"""Who grades a reflection now: a short lease, one row per answer, taken in
one statement (INSERT ... ON CONFLICT DO UPDATE ... WHERE, on SQLite and
PostgreSQL alike) that succeeds only when the row is free, expired, or
already the reviewer's. It is given back when the grade is recorded or the
reviewer skips, and runs out on its own otherwise."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from learning.core import db
from learning.core.db import upsert_insert, utcnow
from learning.review.models import GradingLease

LEASE = timedelta(minutes=10)


def take(answer_id: int, reviewer_id: int, now: datetime | None = None) -> bool:
    """Hold the answer for LEASE from now; False when someone else holds it."""
    now = now or utcnow()
    table = GradingLease.__table__
    insert = upsert_insert(table).values(answer_id=answer_id, reviewer_id=reviewer_id, taken_at=now,
                                         expires_at=now + LEASE)
    statement = insert.on_conflict_do_update(
        index_elements=["answer_id"],
        set_={"reviewer_id": insert.excluded.reviewer_id, "taken_at": insert.excluded.taken_at,
              "expires_at": insert.excluded.expires_at},
        where=or_(table.c.reviewer_id == reviewer_id, table.c.expires_at < now),
    ).returning(table.c.reviewer_id)
    return db.session.execute(statement).first() is not None


def release(answer_id: int, reviewer_id: int) -> None:
    db.session.execute(delete(GradingLease).where(GradingLease.answer_id == answer_id,
                                                  GradingLease.reviewer_id == reviewer_id))


def holder(answer_id: int, now: datetime | None = None) -> GradingLease | None:
    """The live lease on the answer, if any."""
    return db.session.scalar(select(GradingLease).where(GradingLease.answer_id == answer_id,
                                                        GradingLease.expires_at >= (now or utcnow()))
                             .execution_options(populate_existing=True))
