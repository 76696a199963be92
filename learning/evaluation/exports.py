"""A period's results beneath a unit, as the year's end needs them: the rows
of a spreadsheet (one per member) and the printed sheet (totals by level,
then the names by level, cell by cell).

The spreadsheet's rows are read in one Core statement, streamed
(yield_per): a province is 150,000 members, never loaded as ORM objects nor
held all at once. Level names are translated once per export, not per row."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from learning.core import db
from learning.evaluation.models import LEVEL_COLUMNS, MemberResult, Period, UnitResult
from learning.evaluation.pages import quota_of
from learning.evaluation.rules import Level
from learning.evaluation.scoring import QuotaCheck, one_decimal
from learning.org.models import Unit, User

YIELD_PER = 2000
NAMES_LIMIT = 3000  # a printed sheet names at most this many members (a province prints its totals)

HEADER = (_l("Full name"), _l("Party card number"), _l("Cell"), _l("Lessons assigned"), _l("Lessons completed"),
          _l("Lessons completed on time"), _l("Average score"), _l("Reflections passed"), _l("Reflections due"),
          _l("Points"), _l("Suggested level"), _l("Decided level"), _l("Reason"))
WIDTHS = (28, 16, 24, 10, 10, 10, 10, 10, 10, 8, 28, 28, 40)  # the XLSX's columns, in characters


def _beneath(period_id: int, root: Unit, *columns) -> Select:
    """The period's member results whose unit lies at or beneath `root`,
    in the unit's order (its path), then by name."""
    return (select(*columns).select_from(MemberResult)
            .join(User, User.id == MemberResult.user_id)
            .join(Unit, Unit.id == MemberResult.unit_id)
            .where(MemberResult.period_id == period_id, Unit.path.startswith(root.path, autoescape=True))
            .order_by(Unit.path, User.name_key, User.id))


def average(score_sum: float, scored: int) -> float | None:
    """The average counted score, one decimal; None when nothing was scored."""
    return one_decimal(score_sum / scored) if scored else None


def member_rows(period_id: int, root: Unit) -> Iterator[tuple[Any, ...]]:
    """The header, then one row per member result beneath `root` (HEADER's
    columns): numbers as numbers, a level as its name, blank when none.
    The statement, header and names are made now, in the request; the rows
    are read as they are asked for (a CSV reads them while it is sent)."""
    m = MemberResult
    statement = _beneath(period_id, root, User.full_name, User.party_card_number, Unit.name, m.assigned, m.completed,
                         m.on_time, m.score_sum, m.scored, m.reflections_passed, m.reflections_due, m.points,
                         m.suggested, m.decided, m.reason)
    labels = {level.value: level.label for level in Level}
    return _rows(tuple(str(title) for title in HEADER), statement.execution_options(yield_per=YIELD_PER), labels)


def _rows(header: tuple[str, ...], statement: Select, labels: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    yield header
    for (name, card, unit, assigned, completed, on_time, score_sum, scored, passed, due, points, suggested,
         decided, reason) in db.session.execute(statement):
        yield (name, card or "", unit, assigned, completed, on_time, average(score_sum, scored), passed, due,
               points, labels.get(suggested, ""), labels.get(decided, ""), reason or "")


_UNFIT_IN_NAME = re.compile(r"[^\w.]+")


def filename(period: Period, unit: Unit, extension: str) -> str:
    """evaluation-2026-Chi-bộ-A.xlsx, in the request's language (the ASCII
    fallback, danh-gia-2026-Chi-bo-A, is core.exports._filename's)."""
    unit_name = _UNFIT_IN_NAME.sub("-", unit.name).strip("-.") or str(unit.id)
    return _("evaluation-%(year)s-%(unit)s", year=period.year, unit=unit_name) + "." + extension


# The printed sheet


@dataclass(frozen=True)
class LevelTotal:
    level: Level
    count: int
    share: float | None  # percent of the rated members


@dataclass(frozen=True)
class Named:
    full_name: str
    points: float | None


@dataclass
class Group:
    """The members of one unit at one level (level None: not rated)."""
    level: Level | None
    names: list[Named] = field(default_factory=list)


@dataclass
class Section:
    unit_id: int
    unit_name: str
    groups: list[Group]


@dataclass
class Sheet:
    result: UnitResult | None  # None: nobody rated beneath the unit
    totals: list[LevelTotal]
    quota: QuotaCheck | None  # for a grassroots organisation only
    quota_percent: int | None  # the rules' quota: excellent at most this percent of good
    sections: list[Section]
    too_many: bool  # more than NAMES_LIMIT members: no names


def level_totals(result: UnitResult | None) -> list[LevelTotal]:
    """Each level's count in the unit (decided, or else suggested) and its share of the rated members."""
    members = result.members if result else 0
    totals = []
    for level in Level:
        count = getattr(result, LEVEL_COLUMNS[level.value]) if result else 0
        totals.append(LevelTotal(level, count, count * 100 / members if members else None))
    return totals


def sections(period_id: int, root: Unit, limit: int = NAMES_LIMIT) -> list[Section] | None:
    """The names beneath `root`, unit by unit (the units members belong to,
    in path order), each unit's grouped by level best first, not rated last;
    None when there are more than `limit`."""
    m = MemberResult
    statement = _beneath(period_id, root, Unit.id, Unit.name, User.full_name, m.points, m.decided,
                         m.suggested).limit(limit + 1)
    rows = db.session.execute(statement).all()
    if len(rows) > limit:
        return None
    by_unit: dict[int, tuple[str, dict[Level | None, Group]]] = {}
    for unit_id, unit_name, full_name, points, decided, suggested in rows:
        code = decided or suggested
        level = Level(code) if code else None
        groups = by_unit.setdefault(unit_id, (unit_name, {}))[1]
        groups.setdefault(level, Group(level)).names.append(Named(full_name, points))
    order = [*Level, None]
    return [Section(unit_id, name, [groups[level] for level in order if level in groups])
            for unit_id, (name, groups) in by_unit.items()]


def sheet(period: Period, unit: Unit) -> Sheet:
    result = db.session.get(UnitResult, (period.id, unit.id))
    named = sections(period.id, unit)
    percent = (period.rule_set.definition.get("quota") or {}).get("excellent_of_good")
    return Sheet(result, level_totals(result), quota_of(unit, result, period.rule_set.definition), percent, named or [], named is None)
