"""Roll-ups of lesson progress: per unit and lesson, counts over the progress
rows of the members directly in that unit, and of those beneath it (kept
for every unit of their line: org.lineage), active and not exempt (exempt
members are not rated). A dashboard sums its children's rows and so never
reads members' progress or attempts, nor the rows of every cell beneath.

Every write of a progress row applies the change it makes to its member's
roll-up rows, in the same transaction: `apply_change` with the row before and
after (one upsert that adds the difference to each row of the member's
line). The difference is worked out by a pure function (`contribution`), so
the rule is one place for the incremental path and for `recompute`, which
rebuilds units from lesson_progress (after members moved: org.signals.
members_moved; or all of them: `flask study rebuild-rollups`).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from sqlalchemy import Boolean, Float, Integer, and_, bindparam, case, delete, func, insert, select

from learning.core import db
from learning.core.db import prebuilt, upsert_insert
from learning.org.lineage import resum_beneath
from learning.org.models import UnitAncestor, User
from learning.org.signals import members_moved
from learning.study.models import LessonProgress, LessonRollup

# The counted columns of a roll-up row, in the order of `contribution`.
COUNTS = ("started", "completed", "on_time", "reflected", "awaiting", "scored", "score_sum")


def contribution(progress: Mapping[str, Any] | None) -> tuple[int, int, int, int, int, int, float]:
    """What one member's progress row adds to their unit's roll-up (a row
    given as a mapping of its columns; a missing column counts as empty)."""
    if progress is None:
        return (0, 0, 0, 0, 0, 0, 0.0)
    completed = progress.get("completed_at") is not None
    reflected = progress.get("reflection_submitted_at") is not None
    percent = progress.get("counted_percent")
    return (int(progress.get("started_at") is not None), int(completed),
            int(completed and bool(progress.get("on_time"))), int(reflected),
            int(reflected and progress.get("reflection_graded_at") is None),
            int(percent is not None), float(percent or 0.0))


def difference(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> dict[str, Any] | None:
    """The change a write makes to the roll-up, as bind parameters (None:
    nothing changes). `after` holds the columns the write sets; the others
    are as before."""
    old = contribution(before)
    new = contribution({**(before or {}), **after})
    if old == new:
        return None
    return {f"d_{name}": n - o for name, o, n in zip(COUNTS, old, new)}


def columns_of(progress: LessonProgress) -> dict[str, Any]:
    """An ORM progress row as the mapping `contribution` reads."""
    return {name: getattr(progress, name) for name in
            ("started_at", "completed_at", "on_time", "reflection_submitted_at", "reflection_graded_at",
             "counted_percent")}


def apply_change(user_id: int, lesson_id: int, change: dict[str, Any] | None) -> None:
    """Add a write's difference to the member's roll-up row (created on first
    need), in the current transaction: one statement, none if nothing changed."""
    if change is not None:
        db.connection().execute(_change_statement(), change_params(user_id, lesson_id, change))


def change_params(user_id: int, lesson_id: int, change: dict[str, Any] | None) -> dict[str, Any]:
    """The bind parameters of `change_insert` (`changed` false: it writes nothing)."""
    return {"member": user_id, "lesson": lesson_id, "changed": change is not None,
            **(change or {f"d_{name}": 0 for name in COUNTS})}


class Tracked:
    """An ORM progress row's contribution before an operation changes it:
    `tracked = Tracked(progress)`, change the row, then `tracked.apply()`."""

    def __init__(self, progress: LessonProgress):
        self.progress = progress
        self.before = columns_of(progress)

    def apply(self) -> None:
        apply_change(self.progress.user_id, self.progress.lesson_id,
                     difference(self.before, columns_of(self.progress)))


@prebuilt
def _change_statement():
    return change_insert()


def change_insert(*conditions):
    """The upsert that adds a difference to the member's roll-up row, if
    `conditions` hold and the parameter `changed` is true: a statement of its
    own, or a part of another (study.submission folds it into its write on
    PostgreSQL, so submitting keeps its round trips)."""
    rollups, users, line = LessonRollup.__table__, User.__table__, UnitAncestor.__table__
    # One row per unit of the member's line, nearest first: concurrent
    # writes in one cell take their row locks in the same order.
    source = (select(line.c.ancestor_id, bindparam("lesson", type_=Integer), line.c.depth > 0,
                     *(bindparam(f"d_{name}", type_=Float if name == "score_sum" else Integer) for name in COUNTS))
              .join(line, line.c.unit_id == users.c.unit_id)
              .where(users.c.id == bindparam("member"), users.c.active.is_(True), users.c.exempt.is_(False),
                     bindparam("changed", type_=Boolean).is_(True), *conditions)
              .order_by(line.c.depth))
    statement = upsert_insert(rollups).from_select(["unit_id", "lesson_id", "beneath", *COUNTS], source)
    return statement.on_conflict_do_update(
        index_elements=["unit_id", "lesson_id", "beneath"],
        set_={name: rollups.c[name] + statement.excluded[name] for name in COUNTS})


def _recomputed(unit_ids: list[int] | None):
    """The roll-up rows as lesson_progress says they are, grouped in SQL."""
    progress, users = LessonProgress.__table__, User.__table__
    completed = progress.c.completed_at.is_not(None)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (select(users.c.unit_id, progress.c.lesson_id,
                    count(progress.c.started_at.is_not(None)), count(completed),
                    count(and_(completed, progress.c.on_time.is_(True))),
                    count(progress.c.reflection_submitted_at.is_not(None)),
                    count(and_(progress.c.reflection_submitted_at.is_not(None), progress.c.reflection_graded_at.is_(None))),
                    count(progress.c.counted_percent.is_not(None)),
                    func.coalesce(func.sum(progress.c.counted_percent), 0.0))
             .join(users, users.c.id == progress.c.user_id)
             .where(users.c.unit_id.is_not(None), users.c.active.is_(True), users.c.exempt.is_(False))
             .group_by(users.c.unit_id, progress.c.lesson_id))
    if unit_ids is not None:
        query = query.where(users.c.unit_id.in_(unit_ids))
    return query


def recompute(unit_ids: Iterable[int] | None) -> None:
    """Rebuild the roll-ups of these units (None: of every unit) from
    lesson_progress, and what is beneath each unit of their lines, in the
    current transaction."""
    ids = None if unit_ids is None else sorted(set(unit_ids))
    if ids == []:
        return
    rollups = LessonRollup.__table__
    removal = delete(rollups).where(rollups.c.beneath.is_(False))
    if ids is not None:
        removal = removal.where(rollups.c.unit_id.in_(ids))
    connection = db.connection()
    connection.execute(removal)
    connection.execute(insert(rollups).from_select(["unit_id", "lesson_id", *COUNTS], _recomputed(ids)))
    resum_beneath(rollups, ("lesson_id",), COUNTS, ids)


def _members_moved(_sender=None, unit_ids: Iterable[int] = (), **_extra) -> None:
    recompute(unit_ids)


members_moved.connect(_members_moved)
