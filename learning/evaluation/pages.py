"""What the results pages show, read in a few queries: a unit's result with
its children's and its own members' (a grassroots organisation's page is
its cells; a cell's page its members), the quota of each grassroots
organisation, a member's criterion, a member's own results."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from learning.core import db
from learning.evaluation.models import LEVEL_COLUMNS, MemberResult, Period, UnitResult
from learning.evaluation.rules import TERMS, Level
from learning.evaluation.scoring import QuotaCheck, quota_check
from learning.org.models import Unit, UnitKind, User
from learning.org.scope import covers

LEVELS = tuple(Level)
# The levels in a table's narrow columns; the full words stay in the rows' own pages.
SHORT_LEVELS = {"excellent": _l("Excellent"), "good": _l("Good"), "completed": _l("Completed"),
                "not_completed": _l("Not completed")}
MEMBERS_SHOWN = 200  # a cell has tens of members; a unit with more shows its first ones, then a search


def level_counts(result: UnitResult | None) -> dict[Level, int]:
    if result is None:
        return dict.fromkeys(LEVELS, 0)
    return {level: getattr(result, LEVEL_COLUMNS[level.value]) for level in LEVELS}


def quota_of(unit: Unit, result: UnitResult | None, rules: dict[str, Any]) -> QuotaCheck | None:
    """The quota check of a grassroots organisation (the quota is theirs)."""
    if unit.kind != UnitKind.GRASSROOTS.value or result is None:
        return None
    return quota_check(level_counts(result), rules)


@dataclass
class ChildRow:
    unit: Unit
    result: UnitResult | None
    quota: QuotaCheck | None


@dataclass
class MemberRow:
    user_id: int
    full_name: str
    result: MemberResult


@dataclass
class UnitPage:
    period: Period
    unit: Unit
    result: UnitResult | None
    quota: QuotaCheck | None
    trail: list[Unit]
    children: list[ChildRow]
    members: list[MemberRow]
    more_members: bool
    over_quota: list[ChildRow] = field(default_factory=list)  # grassroots organisations beneath over the quota

    viewer_id: int | None = None

    @property
    def pending(self) -> int:
        """The unit's own members whose level the viewer may still confirm
        (not yet decided; their own record is decided from above)."""
        return sum(1 for row in self.members if row.result.decided is None and row.result.suggested
                   and row.user_id != self.viewer_id)


def _trail(viewer, unit: Unit) -> list[Unit]:
    """The unit's ancestors the viewer reviews, top first."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids), covers(viewer, Unit.path)))}
    return [found[i] for i in ids if i in found]


def unit_page(viewer, period: Period, unit: Unit) -> UnitPage:
    rules = period.rule_set.definition
    result = db.session.get(UnitResult, (period.id, unit.id))
    children = [ChildRow(child, child_result, quota_of(child, child_result, rules))
                for child, child_result in db.session.execute(
                    select(Unit, UnitResult).outerjoin(UnitResult, (UnitResult.unit_id == Unit.id)
                                                       & (UnitResult.period_id == period.id))
                    .where(Unit.parent_id == unit.id).order_by(Unit.name, Unit.id))]
    rows = list(db.session.execute(
        select(User.id, User.full_name, MemberResult).join(MemberResult, MemberResult.user_id == User.id)
        .where(MemberResult.period_id == period.id, MemberResult.unit_id == unit.id)
        .order_by(User.name_key, User.id).limit(MEMBERS_SHOWN + 1)))
    members = [MemberRow(user_id, name, member_result) for user_id, name, member_result in rows[:MEMBERS_SHOWN]]
    page = UnitPage(period, unit, result, quota_of(unit, result, rules), _trail(viewer, unit), children, members,
                    len(rows) > MEMBERS_SHOWN, viewer_id=viewer.id)
    if unit.kind != UnitKind.GRASSROOTS.value and unit.kind != UnitKind.CELL.value:
        page.over_quota = _over_quota(period, unit, rules)
    return page


def _over_quota(period: Period, unit: Unit, rules: dict[str, Any]) -> list[ChildRow]:
    """The grassroots organisations beneath the unit whose excellent ratings
    exceed the quota (a province's 500, read in one query)."""
    if (rules.get("quota") or {}).get("excellent_of_good") is None:
        return []
    rows = db.session.execute(
        select(Unit, UnitResult).join(UnitResult, (UnitResult.unit_id == Unit.id) & (UnitResult.period_id == period.id))
        .where(Unit.kind == UnitKind.GRASSROOTS.value, Unit.path.startswith(unit.path, autoescape=True),
               UnitResult.excellent > 0)
        .order_by(Unit.path))
    found = [ChildRow(grassroots, result, quota_of(grassroots, result, rules)) for grassroots, result in rows]
    return [row for row in found if row.quota is not None and row.quota.exceeded]


@dataclass
class Explained:
    """An explanation's part as a page reads it: the term's name, part of whole, weight, points."""
    label: str
    part: float
    whole: float
    weight: float
    points: float


def explained(explanation: dict[str, Any]) -> list[Explained]:
    return [Explained(str(TERMS[p["term"]].label) if p["term"] in TERMS else p["term"], p["part"], p["whole"],
                      p["weight"], p["points"]) for p in explanation.get("parts", [])]


def left_out_labels(explanation: dict[str, Any]) -> list[str]:
    return [str(TERMS[code].label) if code in TERMS else code for code in explanation.get("left_out", [])]


def own_results(user) -> list[tuple[Period, MemberResult]]:
    """A member's results, latest period first."""
    return list(db.session.execute(
        select(Period, MemberResult).join(MemberResult, MemberResult.period_id == Period.id)
        .where(MemberResult.user_id == user.id).order_by(Period.year.desc(), Period.id.desc())))


def decider_name(user_id: int | None) -> str:
    if user_id is None:
        return ""
    return db.session.scalar(select(User.full_name).where(User.id == user_id)) or ""
