"""Each member's evidence for a period (rules.Evidence), read from what the
study recorded: the lessons the period's campaigns bind them to (through
their unit, as campaigns.binding says: a campaign assigned to a unit binds
everything beneath it), and their progress on each. One grouped query for a
whole subtree, a row per member: a province is 150,000 rows, not 3 million.

Rated members only (active, not exempt: exempt members are not rated). A
member bound to a lesson by two campaigns of the period has it once. A
member who joined the Party (admitted_on) or was moved to their unit
(unit_since) during the period is assigned only what fell due after that
day: a campaign that closed before they were there is not theirs.
Conferences do not exist yet: none is due."""
from __future__ import annotations

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
    `root`'s subtree whom the period's campaigns bind to a lesson, in member order."""
    bound, users = _bound_units(period, root), User.__table__
    progress = LessonProgress.__table__
    reflective = _reflective_lessons(period)
    completed = progress.c.completed_at.is_not(None)
    asks_reflection = bound.c.lesson_id.in_(reflective) if reflective else false()

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (select(users.c.id, users.c.unit_id, func.count(), count(completed),
                    count(and_(completed, progress.c.on_time.is_(True))),
                    count(progress.c.counted_percent.is_not(None)),
                    func.coalesce(func.sum(progress.c.counted_percent), 0.0),
                    count(asks_reflection),
                    count(and_(asks_reflection, progress.c.reflection_passed.is_(True))))
             .select_from(users.join(bound, bound.c.unit_id == users.c.unit_id)
                          .outerjoin(progress, and_(progress.c.user_id == users.c.id,
                                                    progress.c.lesson_id == bound.c.lesson_id)))
             .where(users.c.active.is_(True), users.c.exempt.is_(False),
                    or_(users.c.admitted_on.is_(None), bound.c.closes_on >= users.c.admitted_on),
                    or_(users.c.unit_since.is_(None), bound.c.closes_on >= users.c.unit_since))
             .group_by(users.c.id, users.c.unit_id).order_by(users.c.id))
    return [(user_id, unit_id, Evidence(assigned=int(assigned), completed=int(done), on_time=int(on_time),
                                        scored=int(scored), score_sum=float(score_sum), reflections_due=int(due),
                                        reflections_passed=int(passed)))
            for user_id, unit_id, assigned, done, on_time, scored, score_sum, due, passed
            in db.session.execute(query)]
