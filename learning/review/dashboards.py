"""Follow-up dashboards of a campaign (theo dõi): a unit's figures, one row per
child unit, drill-down to a cell's members, the lagging units, and a cell's
sheet for its monthly meeting.

Figures come from the roll-ups (study.rollups, one row per unit and lesson)
summed over the units beneath (a path prefix), and from one grouped count
of members per unit: a page costs a few queries over the units of the
subtree, never a scan of attempts or of members' progress. Only a cell's
page (its own members, a few dozen) reads their progress rows.

Who is counted: active members who are not exempt (miễn sinh hoạt: exempt
members are not rated, so they are neither expected nor counted), in the
units the campaign binds (its units and everything beneath them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, literal, or_, select, tuple_
from sqlalchemy.orm import defer

from learning.campaigns.access import visible_to
from learning.campaigns.models import Campaign, CampaignPhase, campaign_lessons, campaign_units
from learning.core import db
from learning.core.permissions import Role, is_admin
from learning.lessons.models import Lesson, LessonVersion
from learning.lessons.versions import has_reflection
from learning.org.models import MemberTally, RoleGrant, Unit, UnitKind, User
from learning.org.scope import covers
from learning.review.figures import Figures
from learning.study.models import LessonProgress, LessonRollup
from learning.study.progress import StudyState, study_state

LAGGING_SHOWN = 100  # the lagging units' page lists this many, lowest first

# The printed sheet marks each lesson's state with a sign (its legend names them),
# so that twenty lessons fit across an A4 page.
STATE_MARKS = {StudyState.NOT_STARTED: "–", StudyState.READING: "○", StudyState.QUIZ_PASSED: "◐",
               StudyState.REFLECTION_PENDING: "✎", StudyState.REFLECTION_NOT_PASSED: "✗",
               StudyState.REFLECTION_RETURNED: "↺", StudyState.COMPLETE: "✓"}


# -- what a page needs --------------------------------------------------------

class UnitName(NamedTuple):
    """What a row shows of a child unit: a province lists 500, read as plain
    rows rather than as units of the ORM (a tenth of the page)."""
    id: int
    name: str


@dataclass
class Row:
    unit: Unit | UnitName
    figures: Figures
    has_children: bool = False


@dataclass
class LessonRow:
    lesson: Lesson
    version: LessonVersion
    figures: Figures


@dataclass
class MemberRow:
    member: User
    states: list[StudyState]  # one per lesson, in the campaign's order
    progress: list  # per lesson: the columns of its progress row that the pages read (_progress_marks), or None

    def count(self, state: StudyState) -> int:
        return sum(1 for s in self.states if s == state)

    @property
    def complete(self) -> int:
        return sum(1 for s in self.states if s in (StudyState.COMPLETE, StudyState.REFLECTION_PENDING))


@dataclass
class Dashboard:
    campaign: Campaign
    unit: Unit
    lessons: list[tuple[Lesson, LessonVersion]]
    total: Figures
    rows: list[Row] = field(default_factory=list)  # one per child unit the campaign binds
    direct: Figures | None = None  # the unit's own members, when it has children too
    lesson_rows: list[LessonRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)  # a unit with members of its own
    exempt: list[User] = field(default_factory=list)
    trail: list[Unit] = field(default_factory=list)  # from the reviewer's top unit down to the parent
    overdue: bool = False  # the campaign has closed

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    def not_started(self) -> list[tuple[MemberRow, list[Lesson]]]:
        return [(row, [lesson for (lesson, _v), s in zip(self.lessons, row.states) if s == StudyState.NOT_STARTED])
                for row in self.members if StudyState.NOT_STARTED in row.states]

    def late(self) -> list[tuple[MemberRow, list[Lesson]]]:
        if not self.overdue:
            return []
        done = (StudyState.COMPLETE, StudyState.REFLECTION_PENDING)
        return [(row, [lesson for (lesson, _v), s in zip(self.lessons, row.states) if s not in done])
                for row in self.members if any(s not in done for s in row.states)]


@dataclass
class Lagging:
    campaign: Campaign
    unit: Unit
    kind: str
    lesson_count: int
    rows: list[Row]
    total_units: int


# -- the units a reviewer may open --------------------------------------------

def top_unit(user, campaign: Campaign) -> Unit | None:
    """Where a reviewer's dashboard of the campaign starts: the highest unit
    of their grants that the campaign reaches (for an admin, the campaign's
    highest unit)."""
    if is_admin(user):
        return db.session.scalars(select(Unit).join(campaign_units, campaign_units.c.unit_id == Unit.id)
                                  .where(campaign_units.c.campaign_id == campaign.id)
                                  .order_by(func.length(Unit.path), Unit.path)).first()
    assigned = Unit.__table__.alias("assigned_unit")
    reached = (select(assigned.c.id).join(campaign_units, campaign_units.c.unit_id == assigned.c.id)
               .where(campaign_units.c.campaign_id == campaign.id, assigned.c.path != "",
                      or_(Unit.path.like(assigned.c.path + "%"), assigned.c.path.like(Unit.path + "%")))
               .exists())
    return db.session.scalars(select(Unit).join(RoleGrant, RoleGrant.unit_id == Unit.id)
                              .where(RoleGrant.user_id == user.id, RoleGrant.role == Role.REVIEWER, Unit.path != "")
                              .order_by(case((reached, 0), else_=1), func.length(Unit.path), Unit.path)).first()


def unit_in_scope(user, unit_id: int) -> Unit | None:
    """The unit, if the person reviews it (None: outside their subtree, a 404)."""
    return db.session.scalars(select(Unit).where(Unit.id == unit_id, covers(user, Unit.path))).first()


def _trail(user, unit: Unit) -> list[Unit]:
    """The unit's ancestors that the person reviews, top first."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids), covers(user, Unit.path)))}
    return [found[i] for i in ids if i in found]


# -- what a campaign binds beneath a unit ---------------------------------------
#
# Roll-ups and member tallies are kept per unit for its direct members and
# for those beneath it (org.lineage), so the figures of a unit's whole
# subtree are its own two rows. A page sums "pieces": units whose whole
# subtrees the campaign binds (its children, when the campaign binds the
# page's unit; else the units it is assigned to beneath the page), plus the
# page unit's direct members when they are bound.


def assigned_paths(campaign: Campaign) -> list[tuple[int, str]]:
    """The units the campaign is assigned to, outermost only (one assigned
    inside another adds nothing), as (id, path)."""
    found = sorted(db.session.execute(
        select(Unit.id, Unit.path).join(campaign_units, campaign_units.c.unit_id == Unit.id)
        .where(campaign_units.c.campaign_id == campaign.id, Unit.path != "")).all(), key=lambda r: len(r[1]))
    outermost: list[tuple[int, str]] = []
    for unit_id, path in found:
        if not any(path.startswith(other) for _i, other in outermost):
            outermost.append((unit_id, path))
    return outermost


def child_of(root_path: str, path: str) -> int | None:
    """The id of root's child on the way to `path` (None: path is root itself)."""
    rest = path[len(root_path):].strip("/")
    return int(rest.split("/")[0]) if rest else None


@dataclass
class Binding:
    """What a campaign binds beneath a unit: whether the unit's own members
    are bound (`own`: the unit lies in an assigned unit's subtree), and the
    pieces to sum, each with the child of the unit it falls under: either
    every child (`all_children`) or the assigned units beneath the unit."""
    unit: Unit
    own: bool = False
    all_children: bool = False
    pieces: dict[int, int] = field(default_factory=dict)  # assigned unit id → child id

    @property
    def empty(self) -> bool:
        return not (self.own or self.pieces)

    def child(self, piece_id: int) -> int:
        return piece_id if self.all_children else self.pieces[piece_id]

    def rows(self, table):
        """SQL: the rows of a table kept along the lines (roll-ups, tallies)
        that this binding sums: the pieces' rows, and the unit's own direct
        row when its members are bound. One IN over the units, not an OR of
        two conditions, which PostgreSQL would answer by reading the table."""
        if self.all_children:
            ids = select(Unit.id).where(or_(Unit.parent_id == self.unit.id, Unit.id == self.unit.id))
        else:
            ids = sorted(self.pieces)
        condition = table.c.unit_id.in_(ids)
        if self.own:  # the unit's own row beneath would count its children twice
            condition = and_(condition, ~and_(table.c.unit_id == self.unit.id, table.c.beneath.is_(True)))
        return condition


def binding_beneath(campaign: Campaign, unit: Unit, assigned: list[tuple[int, str]] | None = None) -> Binding:
    """What the campaign binds beneath `unit` (from its assigned paths, in Python)."""
    assigned = assigned_paths(campaign) if assigned is None else assigned
    found = Binding(unit)
    if not unit.path:
        return found
    if any(unit.path.startswith(path) for _i, path in assigned):
        found.own = found.all_children = True
        return found
    found.pieces = {unit_id: child_of(unit.path, path) for unit_id, path in assigned
                    if path.startswith(unit.path) and path != unit.path}
    return found


# -- figures ------------------------------------------------------------------

def campaign_lessons_of(campaign: Campaign) -> list[tuple[Lesson, LessonVersion]]:
    """The campaign's lessons with their current versions, in the campaign's order."""
    rows = db.session.execute(
        select(Lesson, LessonVersion)
        .join(campaign_lessons, campaign_lessons.c.lesson_id == Lesson.id)
        .join(LessonVersion, (LessonVersion.lesson_id == Lesson.id)
              & (LessonVersion.number == Lesson.latest_version_number))
        .where(campaign_lessons.c.campaign_id == campaign.id).order_by(Lesson.id)
        # The pages show numbers and titles: not the sources, nor the rendered texts.
        .options(defer(Lesson.draft_source), defer(LessonVersion.source), defer(LessonVersion.body_html),
                 defer(LessonVersion.search_text), defer(LessonVersion.sections))).all()
    return [(lesson, version) for lesson, version in rows]


SUMMED = ("started", "completed", "on_time", "awaiting", "scored", "score_sum")


def _figures(members: int, started, completed, on_time, awaiting, scored, score_sum) -> Figures:
    return Figures(members, int(started or 0), int(completed or 0), int(on_time or 0), int(awaiting or 0),
                   int(scored or 0), float(score_sum or 0.0))


def figures_by_unit(condition_of, lesson_ids: list[int], per_lesson: dict | None = None) -> dict[int, Figures]:
    """Unit id → the figures of its rows (direct and beneath together), for
    the rows `condition_of(table)` picks: grouped queries over member
    tallies and over the lessons' roll-ups, each reading a row or two per
    unit. With `per_lesson` (a dict), the roll-ups' sums per lesson over the
    same rows are put in it too."""
    tallies = MemberTally.__table__
    found = {unit_id: Figures(members=int(count or 0)) for unit_id, count in db.session.execute(
        select(tallies.c.unit_id, func.sum(tallies.c.members)).where(condition_of(tallies))
        .group_by(tallies.c.unit_id))}
    if lesson_ids:
        by_unit, by_lesson = _rollup_sums(condition_of, lesson_ids, per_lesson is not None)
        for unit_id, sums in by_unit.items():
            found.setdefault(unit_id, Figures()).add(_figures(0, *sums))
        if per_lesson is not None:
            per_lesson.update(by_lesson)
    return found


def _rollup_sums(condition_of, lesson_ids: list[int], per_lesson: bool):
    """The roll-ups' sums per unit and, if asked, per lesson. PostgreSQL
    gives both from one reading of the rows (GROUPING SETS: a province's
    page reads 10,000 rows, and reading them twice was 40 ms of it); SQLite,
    which has no grouping sets, answers the two queries quickly."""
    rollups = LessonRollup.__table__
    sums = [func.sum(rollups.c[name]) for name in SUMMED]
    chosen = (condition_of(rollups), rollups.c.lesson_id.in_(lesson_ids))
    if per_lesson and db.dialect_name() == "postgresql":
        by_unit, by_lesson = {}, {}
        for unit_id, lesson_id, *row in db.session.execute(
                select(rollups.c.unit_id, rollups.c.lesson_id, *sums).where(*chosen)
                .group_by(func.grouping_sets(tuple_(rollups.c.unit_id), tuple_(rollups.c.lesson_id)))):
            if lesson_id is None:
                by_unit[unit_id] = row
            else:
                by_lesson[lesson_id] = row
        return by_unit, by_lesson
    by_unit = {unit_id: row for unit_id, *row in db.session.execute(
        select(rollups.c.unit_id, *sums).where(*chosen).group_by(rollups.c.unit_id))}
    by_lesson = {lesson_id: row for lesson_id, *row in db.session.execute(
        select(rollups.c.lesson_id, *sums).where(*chosen).group_by(rollups.c.lesson_id))} if per_lesson else {}
    return by_unit, by_lesson


def _lesson_rows(lessons, sums: dict, members: int) -> list[LessonRow]:
    return [LessonRow(lesson, version, _figures(members, *sums.get(lesson.id, (0, 0, 0, 0, 0, 0.0))))
            for lesson, version in lessons]


def campaign_dashboard(user, campaign: Campaign, unit: Unit, today: date) -> Dashboard:
    """The unit's page: its totals, a row per child unit the campaign binds,
    and, when it has members of its own, each one's state per lesson."""
    db.plan_each_statement()
    lessons = campaign_lessons_of(campaign)
    binding = binding_beneath(campaign, unit)
    page = Dashboard(campaign, unit, lessons, Figures(), trail=_trail(user, unit), overdue=today > campaign.closes_on)
    if binding.empty:
        return page
    per_lesson: dict[int, tuple] = {}
    by_unit = figures_by_unit(binding.rows, [lesson.id for lesson, _v in lessons], per_lesson)
    direct = by_unit.pop(unit.id, None) if binding.own else None
    by_child: dict[int, Figures] = {}
    for piece_id, figures in by_unit.items():
        by_child.setdefault(binding.child(piece_id), Figures()).add(figures)
    for figures in (direct, *by_child.values()):
        if figures is not None:
            page.total.add(figures)
    # A province's 500 children by the same condition, not by 500 ids as parameters.
    shown = select(Unit.id).where(Unit.parent_id == unit.id) if binding.all_children else sorted(by_child)
    children = [UnitName(*child) for child in db.session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(shown)).order_by(Unit.name)) if child[0] in by_child] \
        if by_child else []
    with_children = set(db.session.scalars(select(Unit.parent_id).where(Unit.parent_id.in_(shown)).distinct())) \
        if by_child else set()
    page.rows = [Row(child, by_child[child.id], child.id in with_children) for child in children]
    page.lesson_rows = _lesson_rows(lessons, per_lesson, page.total.members)
    if direct is not None or not children:
        page.direct = (direct or Figures()) if children else None
        if binding.own:
            page.members, page.exempt = _members(unit, lessons)
    return page


def _progress_marks(ids: list[int], lesson_ids: list[int]):
    """What a cell's page reads of its members' progress rows: whether each
    step happened (1 or None, as study_state reads them: `is None` and
    truth), the grading's verdict and the counted score. Core rows, no
    timestamps decoded: a cell's 50 members × 20 lessons are 1,000 rows."""
    progress = LessonProgress.__table__

    def happened(column):
        return case((column.is_not(None), 1), else_=None)

    return db.session.execute(select(
        progress.c.user_id, progress.c.lesson_id,
        happened(progress.c.started_at).label("started_at"),
        happened(progress.c.completed_at).label("completed_at"),
        happened(progress.c.quiz_passed_at).label("quiz_passed_at"),
        happened(progress.c.reflection_graded_at).label("reflection_graded_at"),
        progress.c.reflection_passed,
        case((and_(progress.c.reflection_returned_reason.is_not(None), progress.c.reflection_returned_reason != ""),
              1), else_=None).label("reflection_returned_reason"),
        progress.c.counted_percent)
        .where(progress.c.user_id.in_(ids), progress.c.lesson_id.in_(lesson_ids)))


def _members(unit: Unit, lessons) -> tuple[list[MemberRow], list[User]]:
    """The unit's own members (Vietnamese order) with each lesson's state:
    their progress rows (the columns the states need), one query."""
    people = list(db.session.scalars(select(User).where(User.unit_id == unit.id, User.active.is_(True))
                                     .order_by(User.name_key, User.id)))
    rated = [p for p in people if not p.exempt]
    lesson_ids = [lesson.id for lesson, _v in lessons]
    if not rated or not lesson_ids:
        return [MemberRow(p, [], []) for p in rated], [p for p in people if p.exempt]
    progress = {(row.user_id, row.lesson_id): row for row in _progress_marks([p.id for p in rated], lesson_ids)}
    reflective = [has_reflection(version.id) for _lesson, version in lessons]
    rows = []
    for person in rated:
        mine = [progress.get((person.id, lesson_id)) for lesson_id in lesson_ids]
        rows.append(MemberRow(person, [study_state(row, needs) for row, needs in zip(mine, reflective)], mine))
    return rows, [p for p in people if p.exempt]


LAGGING_KINDS = (UnitKind.COMMITTEE, UnitKind.GRASSROOTS, UnitKind.CELL, UnitKind.GROUP)


def lagging_units(campaign: Campaign, unit: Unit, kind: str) -> Lagging:
    """The units of a kind beneath `unit` that the campaign binds, by
    completion, lowest first (then by name), for inspection and supervision.
    Each is summed from its own rows (roll-ups and tallies kept along the
    lines), or, when the campaign binds only part of it, from the rows of
    the units it is assigned to inside it."""
    db.plan_each_statement()
    lessons = campaign_lessons_of(campaign)
    assigned = [(i, path) for i, path in assigned_paths(campaign)
                if path.startswith(unit.path) or unit.path.startswith(path)]
    if not assigned or not unit.path:
        return Lagging(campaign, unit, kind, len(lessons), [], 0)
    of_kind = (Unit.kind == kind, Unit.path.startswith(unit.path, autoescape=True), Unit.id != unit.id,
               or_(*(Unit.path.startswith(path, autoescape=True) for _i, path in assigned)))
    whole = select(Unit.id).where(*of_kind)
    # Units of the kind between the page's unit and a unit the campaign is
    # assigned to beneath it: partly bound, they count their assigned units.
    partly: dict[int, set[int]] = {}  # assigned unit → the partly bound units above it
    above = {int(part): assigned_id for assigned_id, path in assigned if path.startswith(unit.path)
             for part in path[len(unit.path):].strip("/").split("/")[:-1] if part}
    if above:
        for unit_id in db.session.scalars(select(Unit.id).where(Unit.id.in_(above), Unit.kind == kind)):
            partly.setdefault(above[unit_id], set()).add(unit_id)
    whole_ids = set(db.session.scalars(whole.where(Unit.id.in_(partly)))) if partly else set()

    picked = select(Unit.id).where(or_(and_(*of_kind), Unit.id.in_(sorted(partly)))) if partly else whole

    def condition(table):
        return table.c.unit_id.in_(picked)

    sums: dict[int, Figures] = {}
    for unit_id, figures in figures_by_unit(condition, [lesson.id for lesson, _v in lessons]).items():
        for target in partly.get(unit_id, ()):
            sums.setdefault(target, Figures()).add(figures)
        if unit_id not in partly or unit_id in whole_ids:
            sums.setdefault(unit_id, Figures()).add(figures)
    count = len(lessons)
    ranked = [i for i, f in sums.items() if f.members]
    # The names by the same conditions, not by 3,000 ids as parameters.
    named = or_(and_(*of_kind), Unit.id.in_(sorted({t for targets in partly.values() for t in targets})))
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(named)).all()) if ranked else {}
    ranked.sort(key=lambda i: (sums[i].completion(count) or 0.0, names[i], i))
    shown = ranked[:LAGGING_SHOWN]
    loaded = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(shown)))} if shown else {}
    return Lagging(campaign, unit, kind, count, [Row(loaded[i], sums[i]) for i in shown], len(ranked))


def campaigns_binding(unit: Unit, visible) -> list[Campaign]:
    """The campaigns that bind the unit (assigned to it or above it) among
    those the person may see (`visible`: campaigns.access.visible_to)."""
    units = Unit.__table__
    above = (select(campaign_units.c.campaign_id).join(units, units.c.id == campaign_units.c.unit_id)
             .where(units.c.path != "", or_(units.c.id == unit.id, literal(unit.path).like(units.c.path + "%"))))
    return list(db.session.scalars(select(Campaign).where(Campaign.id.in_(above), visible)
                                   .order_by(Campaign.closes_on.desc(), Campaign.id.desc())))


def meeting_sheet(user, unit: Unit, chosen: set[int], today: date) -> list[Dashboard]:
    """A cell's sheet for its monthly meeting: its members' state per lesson
    for the chosen campaigns that bind it (by default those open today, or
    else the latest), among those the person may see."""
    binding = campaigns_binding(unit, visible_to(user))
    if chosen:
        campaigns = [c for c in binding if c.id in chosen]
    else:
        campaigns = [c for c in binding if c.phase(today) == CampaignPhase.OPEN] or binding[:1]
    return [campaign_dashboard(user, c, unit, today) for c in campaigns]
