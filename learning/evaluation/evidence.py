"""Each member's evidence for a period (rules.Evidence), read from what the
study recorded: the lessons the period's campaigns bind them to (through
their unit, as campaigns.binding says: a campaign assigned to a unit binds
everything beneath it), and their progress on each, summed per member in
the database: a province is 150,000 rows read, not 3 million.

Rated members only (active, not exempt: exempt members are not rated). A
member bound to a lesson by two campaigns of the period has it once. A
member who joined the Party (admitted_on) or was moved to their unit
(unit_since) during the period is assigned only what fell due after that
day: a campaign that closed before they were there is not theirs.
Conferences do not exist yet: none is due."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, case, false, func, or_, select, true, union_all

from learning.campaigns.models import Campaign, campaign_lessons, campaign_units
from learning.core import db
from learning.evaluation.models import Period, period_campaigns
from learning.evaluation.rules import Evidence
from learning.lessons.models import Lesson, LessonVersion
from learning.lessons.versions import has_reflection
from learning.org.models import Unit, UnitAncestor, User
from learning.study.models import LessonProgress


def _reflective_lessons(period: Period) -> list[int]:
    """The period's lessons whose current version asks for a reflection."""
    rows = db.session.execute(
        select(Lesson.id, LessonVersion.id)
        .join(LessonVersion, and_(LessonVersion.lesson_id == Lesson.id,
                                  LessonVersion.number == Lesson.latest_version_number))
        .join(campaign_lessons, campaign_lessons.c.lesson_id == Lesson.id)
        .join(period_campaigns, period_campaigns.c.campaign_id == campaign_lessons.c.campaign_id)
        .where(period_campaigns.c.period_id == period.id).distinct())
    return sorted(lesson_id for lesson_id, version_id in rows if has_reflection(version_id))


def _bound_units(period: Period, root: Unit):
    """(unit_id, lesson_id, closes_on) once per unit beneath `root` and lesson
    the period's campaigns bind there, with the latest closing day of the
    campaigns that do: a province's 3,000 cells × 20 lessons, where the
    members' rows would be 3 million (and a member counts a lesson when that
    day is on or after the day they arrived, which the latest day decides).

    A campaign binds the units beneath the one it is assigned to: through
    the units' lines (org.lineage: equal ids, which PostgreSQL estimates
    well; a path prefix joined to another path it cannot estimate, and it
    then read lesson_progress 3 million times), and, for a unit at the top
    of the tree (not in the lines), every unit under its path."""
    campaigns, units, lines = Campaign.__table__, Unit.__table__, UnitAncestor.__table__
    assigned = (select(campaign_units.c.campaign_id, campaign_units.c.unit_id, campaigns.c.closes_on)
                .join(period_campaigns, period_campaigns.c.campaign_id == campaign_units.c.campaign_id)
                .join(campaigns, campaigns.c.id == campaign_units.c.campaign_id)
                .where(period_campaigns.c.period_id == period.id))
    tops = dict(db.session.execute(select(units.c.id, units.c.path).where(
        units.c.parent_id.is_(None), units.c.path != "",
        units.c.id.in_(select(campaign_units.c.unit_id).join(
            period_campaigns, period_campaigns.c.campaign_id == campaign_units.c.campaign_id)
            .where(period_campaigns.c.period_id == period.id)))).all())
    beneath_root = units.c.path.startswith(root.path, autoescape=True)
    below_top = assigned.where(campaign_units.c.unit_id.not_in(list(tops) or [0])).subquery("below_top")
    parts = [select(lines.c.unit_id, campaign_lessons.c.lesson_id, below_top.c.closes_on).select_from(lines)
             .join(below_top, below_top.c.unit_id == lines.c.ancestor_id)
             .join(units, units.c.id == lines.c.unit_id)
             .join(campaign_lessons, campaign_lessons.c.campaign_id == below_top.c.campaign_id)
             .where(beneath_root)]
    for top_id, top_path in tops.items():
        at_top = assigned.where(campaign_units.c.unit_id == top_id).subquery(f"at_top_{top_id}")
        parts.append(select(units.c.id, campaign_lessons.c.lesson_id, at_top.c.closes_on).select_from(units)
                     .join(at_top, true())
                     .join(campaign_lessons, campaign_lessons.c.campaign_id == at_top.c.campaign_id)
                     .where(beneath_root, units.c.path.startswith(top_path, autoescape=True)))
    every = union_all(*parts).subquery("bindings")
    return (select(every.c.unit_id, every.c.lesson_id, func.max(every.c.closes_on).label("closes_on"))
            .group_by(every.c.unit_id, every.c.lesson_id).subquery("bound_units"))


def evidence_beneath(period: Period, root: Unit) -> dict[int, Evidence]:
    """Member id → their evidence for the period, for every rated member in
    `root`'s subtree whom the period's campaigns bind to a lesson."""
    return {user_id: evidence for user_id, _unit_id, evidence in member_evidence(period, root)}


def member_evidence(period: Period, root: Unit) -> list[tuple[int, int, Evidence]]:
    """(member id, their unit's id, their evidence) for every rated member in
    `root`'s subtree whom the period's campaigns bind to a lesson, in member order.

    Three reads: the units' bound lessons (tens of thousands of rows), the
    rated members (a row each), and their progress on bound lessons summed
    per member, where 3 million progress rows meet two small hash tables
    (the members, the units' lessons) whatever the planner estimates.
    What each member was assigned is counted here from their unit's lessons."""
    bound = _bound_units(period, root)
    reflective = frozenset(_reflective_lessons(period))
    lessons_of: dict[int, list[tuple[date, bool]]] = defaultdict(list)  # unit → (closes_on, asks a reflection)
    for unit_id, lesson_id, closes_on in db.session.execute(select(bound)).all():
        lessons_of[unit_id].append((closes_on, lesson_id in reflective))
    done = _progress_sums(bound, reflective)
    users = User.__table__
    rated = (select(users.c.id, users.c.unit_id, users.c.admitted_on, users.c.unit_since)
             .join(Unit.__table__, Unit.__table__.c.id == users.c.unit_id)
             .where(users.c.active.is_(True), users.c.exempt.is_(False),
                    Unit.__table__.c.path.startswith(root.path, autoescape=True))
             .order_by(users.c.id))
    totals = {unit_id: (len(lessons), sum(asks for _closes, asks in lessons))
              for unit_id, lessons in lessons_of.items()}  # for the members there all along
    found = []
    for user_id, unit_id, admitted_on, unit_since in db.session.execute(rated).all():
        if admitted_on is None and unit_since is None:
            assigned, due = totals.get(unit_id, (0, 0))
        else:
            assigned, due = _assigned(lessons_of.get(unit_id, ()), admitted_on, unit_since)
        if assigned:
            completed, on_time, scored, score_sum, passed = done.get(user_id, (0, 0, 0, 0.0, 0))
            found.append((user_id, unit_id, Evidence(
                assigned=assigned, completed=completed, on_time=on_time, scored=scored, score_sum=score_sum,
                reflections_due=due, reflections_passed=passed)))
    return found


def _assigned(lessons, admitted_on: date | None, unit_since: date | None) -> tuple[int, int]:
    """How many of a unit's lessons a member was assigned, and how many of
    those ask a reflection: those that closed on or after they arrived."""
    arrived = max(day for day in (admitted_on, unit_since) if day is not None)
    theirs = [asks for closes_on, asks in lessons if closes_on >= arrived]
    return len(theirs), sum(theirs)


def _progress_sums(bound, reflective: frozenset[int]) -> dict[int, tuple[int, int, int, float, int]]:
    """Member id → (completed, on time, scored, score sum, reflections
    passed) over the lessons bound to them that they have progress on."""
    users, progress = User.__table__, LessonProgress.__table__
    completed = progress.c.completed_at.is_not(None)
    asks_reflection = progress.c.lesson_id.in_(sorted(reflective)) if reflective else false()

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (select(progress.c.user_id, count(completed), count(and_(completed, progress.c.on_time.is_(True))),
                    count(progress.c.counted_percent.is_not(None)),
                    func.coalesce(func.sum(progress.c.counted_percent), 0.0),
                    count(and_(asks_reflection, progress.c.reflection_passed.is_(True))))
             .select_from(progress.join(users, users.c.id == progress.c.user_id)
                          .join(bound, and_(bound.c.unit_id == users.c.unit_id,
                                            bound.c.lesson_id == progress.c.lesson_id)))
             .where(users.c.active.is_(True), users.c.exempt.is_(False),
                    or_(users.c.admitted_on.is_(None), bound.c.closes_on >= users.c.admitted_on),
                    or_(users.c.unit_since.is_(None), bound.c.closes_on >= users.c.unit_since))
             .group_by(progress.c.user_id))
    return {user_id: (int(done), int(on_time), int(scored), float(score_sum), int(passed))
            for user_id, done, on_time, scored, score_sum, passed in db.session.execute(query).all()}
