"""Each unit's line upwards (unit_ancestors), and the counts kept along it.

What the dashboards count per unit (members here, in org.tallies; lesson
roll-ups in study.rollups) is kept twice: for the members directly in a
unit, and for the members beneath it, in every unit of their line. A page
then sums its children's rows (a province's 500 organisations), never the
rows of everything under them (its 3,000 cells).

The top of a tree is left out of every line, on purpose: every write in
the province would update its rows (one hot row for all the province's
submissions at once), and its own page sums its children's rows, which are
few. A unit at the top still has its own line (itself), for the members
directly in it.

The lines follow the materialised paths (Unit.path), and are rebuilt
whenever paths are (a unit created, moved, or its children merged away).
"""
from __future__ import annotations

from sqlalchemy import delete, func, insert, select, true

from learning.core import db
from learning.org.models import Unit, UnitAncestor


def lineage(path: str) -> list[tuple[int, int]]:
    """(ancestor id, depth) of the unit at `path` ("/1/4/9/"): itself at
    depth 0, then its ancestors up to, not including, the top of the tree."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    if not ids:
        return []
    return [(ids[-1], 0)] + [(ids[i], len(ids) - 1 - i) for i in range(len(ids) - 2, 0, -1)]


def _rows(units) -> list[dict]:
    return [{"unit_id": unit_id, "ancestor_id": ancestor, "depth": depth}
            for unit_id, path in units for ancestor, depth in lineage(path)]


def add(unit: Unit) -> None:
    """The line of a unit just created (a new unit has nothing beneath it)."""
    rows = _rows([(unit.id, unit.path)])
    if rows:
        db.session.execute(insert(UnitAncestor.__table__), rows)


def rebuild(prefix: str | None = None) -> None:
    """The lines of the units whose path starts with `prefix` (None: every
    unit), after their paths were rewritten."""
    ancestors, units = UnitAncestor.__table__, Unit.__table__
    chosen = select(units.c.id, units.c.path)
    removal = delete(ancestors)
    if prefix is not None:
        chosen = chosen.where(units.c.path.startswith(prefix, autoescape=True))
        removal = removal.where(ancestors.c.unit_id.in_(
            select(units.c.id).where(units.c.path.startswith(prefix, autoescape=True))))
    connection = db.connection()
    connection.execute(removal)
    rows = _rows(connection.execute(chosen))
    for start in range(0, len(rows), 5000):
        connection.execute(insert(ancestors), rows[start:start + 5000])


def lines_of(unit_ids: list[int]):
    """SQL: the ids of the units on the lines of these units (themselves included)."""
    ancestors = UnitAncestor.__table__
    return select(ancestors.c.ancestor_id).where(ancestors.c.unit_id.in_(unit_ids)).distinct()


def resum_beneath(table, keys: tuple[str, ...], counts: tuple[str, ...], unit_ids: list[int] | None) -> None:
    """Rebuild the `beneath` rows of `table` (a count kept along the lines:
    unit_id, the `keys`, beneath, the `counts`) for every unit on the lines
    of `unit_ids` (None: all), summing the direct rows of the units beneath
    each. Called after the direct rows of `unit_ids` were rebuilt, or after
    units moved (their old and new parents given)."""
    ancestors = UnitAncestor.__table__
    connection = db.connection()
    removal = delete(table).where(table.c.beneath.is_(True))
    summed = (select(ancestors.c.ancestor_id, *(table.c[key] for key in keys), true(),
                     *(func.sum(table.c[name]) for name in counts))
              .join(ancestors, (ancestors.c.unit_id == table.c.unit_id) & (ancestors.c.depth > 0))
              .where(table.c.beneath.is_(False)))
    if unit_ids is not None:
        if not unit_ids:
            return
        lines = lines_of(unit_ids)
        removal = removal.where(table.c.unit_id.in_(lines))
        summed = summed.where(ancestors.c.ancestor_id.in_(lines))
    connection.execute(removal)
    connection.execute(insert(table).from_select(
        ["unit_id", *keys, "beneath", *counts],
        summed.group_by(ancestors.c.ancestor_id, *(table.c[key] for key in keys))))

