"""Grading reflections: the queue a reviewer works through, one reflection at
a time, and the grade (a regrade adds a row; the history stays).

The queue holds the reflections of the reviewer's units (org.scope, in SQL)
that wait for a grade: in a member's latest submitted attempt at a lesson,
written, without a current grade, the lesson's reflection not passed
already; oldest submitted first. Taking one holds it for a short lease
(review.leases) so that two reviewers never grade the same one; a grade
posted after another reviewer took the lease over is refused. A grade moves
the member's lesson on by study's own rule (study.reflections), and one that
does not pass may send the reflection back for rewriting, with one more
attempt (study.allowances).

Nobody grades their own reflection (org.scope.OwnRecord): a secretary's
reflection waits in the queue of a reviewer above their cell, never in
their own, and its page offers them no form; a reviewer above grades it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Sequence

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.clock import VIETNAM, vietnam_today
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.lessons.authoring import KINDS
from learning.lessons.models import Lesson, Question
from learning.org.models import Unit, User
from learning.org.scope import covers, not_own, refuse_own_record
from learning.review import leases
from learning.review.models import Grade, GradingLease, Rubric
from learning.review.rubrics import campaign_rubric, default_rubric, grading_campaign_id, rubric_for
from learning.review.scales import ChoiceInvalid
from learning.study.allowances import grant_extra_attempts
from learning.study.models import Answer, Attempt, AttemptStatus, LessonProgress
from learning.study.reflections import record_reflection_grade

MAX_COMMENT = 5000
REVIEWED_KINDS = tuple(code for code, kind in KINDS.items() if not kind.auto_graded)


class GradeInvalid(DomainError):
    """The grading form cannot be taken: the field at fault and why."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


class LeaseTaken(DomainError):
    """Another reviewer holds the reflection: the grade was not recorded."""


def _written():
    value = Answer.response["value"].as_string()
    return and_(value.is_not(None), value != "")


def _reflection_answers(reviewer):
    """SQL over Answer: the reflections of submitted attempts in the
    reviewer's units, with their attempt, question and member joined."""
    member_unit = aliased(Unit)
    return (select(Answer.id)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .join(Question, and_(Question.version_id == Attempt.version_id, Question.key == Answer.question_key))
            .join(User, User.id == Attempt.user_id)
            .join(member_unit, member_unit.id == User.unit_id)
            .where(Question.kind.in_(REVIEWED_KINDS), Attempt.status == AttemptStatus.SUBMITTED,
                   covers(reviewer, member_unit.path)))


def _waiting(reviewer, now: datetime, others_free: bool = True):
    """The queue: what waits for a grade, oldest submitted first; never the
    reviewer's own reflections (those wait for a reviewer above)."""
    later = aliased(Attempt)
    newer_attempt = (select(later.id).where(later.user_id == Attempt.user_id, later.lesson_id == Attempt.lesson_id,
                                            later.status == AttemptStatus.SUBMITTED, later.number > Attempt.number))
    graded = select(Grade.id).where(Grade.answer_id == Answer.id, Grade.is_current.is_(True))
    passed = select(LessonProgress.id).where(LessonProgress.user_id == Attempt.user_id,
                                             LessonProgress.lesson_id == Attempt.lesson_id,
                                             LessonProgress.reflection_passed.is_(True))
    query = (_reflection_answers(reviewer)
             .where(not_own(reviewer, Attempt.user_id), _written(), ~exists(newer_attempt), ~exists(graded),
                    ~exists(passed))
             .order_by(Attempt.submitted_at, Answer.id))
    if others_free:
        held = select(GradingLease.answer_id).where(GradingLease.answer_id == Answer.id,
                                                    GradingLease.reviewer_id != reviewer.id,
                                                    GradingLease.expires_at >= now)
        query = query.where(~exists(held))
    return query


def waiting_count(reviewer) -> int:
    query = _waiting(reviewer, utcnow(), others_free=False).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


@dataclass(frozen=True)
class QueueCounts:
    """The queue page's figures, in the reviewer's units."""
    waiting: int  # reflections waiting for the reviewer's grade (held by someone or not; not their own)
    graded_by_you: int  # reflections the reviewer graded (a regrade counts once)
    graded_today: int  # ... of them, graded (or regraded) by the reviewer today in Vietnam


def queue_counts(reviewer, today: date) -> QueueCounts:
    """Two counts in SQL: what waits, and the reviewer's grades (all and
    today's, one grouped statement over their grades in scope)."""
    since = datetime.combine(today, time.min, VIETNAM)
    graded, graded_today = db.session.execute(
        _reflection_answers(reviewer).join(Grade, Grade.answer_id == Answer.id)
        .where(Grade.grader_id == reviewer.id)
        .with_only_columns(func.count(Grade.answer_id.distinct()),
                           func.count(case((Grade.graded_at >= since, Grade.answer_id)).distinct()))).one()
    return QueueCounts(waiting_count(reviewer), int(graded or 0), int(graded_today or 0))


def take_next(reviewer, skipped: Sequence[int] = ()) -> int | None:
    """Hold the oldest waiting reflection nobody else holds (the one the
    reviewer already holds first) and give its answer id; None when nothing waits."""
    now = utcnow()
    query = _waiting(reviewer, now)
    if skipped:
        query = query.where(Answer.id.not_in(list(skipped)))
    mine = select(GradingLease.answer_id).where(GradingLease.answer_id == Answer.id,
                                                GradingLease.reviewer_id == reviewer.id,
                                                GradingLease.expires_at >= now)
    held = db.session.scalar(query.where(exists(mine)).limit(1))
    if held is not None:
        return held
    for _round in range(5):  # others may take the same ones meanwhile: look again
        candidates = list(db.session.scalars(query.limit(20)))
        if not candidates:
            return None
        for answer_id in candidates:
            if leases.take(answer_id, reviewer.id, now):
                return answer_id
    return None


@dataclass
class Item:
    """One reflection as the grading page shows it."""
    answer: Answer
    attempt: Attempt
    question: Question
    member: User
    lesson: Lesson
    rubric: Rubric
    current: Grade | None
    history: list[Grade]
    lease: GradingLease | None
    lease_holder: User | None
    reviewer_id: int

    @property
    def held_by_another(self) -> bool:
        return self.lease is not None and self.lease.reviewer_id != self.reviewer_id


def item_for(reviewer, answer_id: int) -> Item | None:
    """The reflection, if it is one in the reviewer's units (None otherwise:
    a 404, whatever the reason)."""
    found = db.session.scalar(_reflection_answers(reviewer).where(Answer.id == answer_id))
    if found is None:
        return None
    answer = db.session.get(Answer, answer_id)
    attempt = answer.attempt
    question = db.session.scalar(select(Question).where(Question.version_id == attempt.version_id,
                                                        Question.key == answer.question_key))
    member = db.session.get(User, attempt.user_id)
    grades = list(db.session.scalars(select(Grade).where(Grade.answer_id == answer_id)
                                     .order_by(Grade.graded_at.desc(), Grade.id.desc())))
    current = next((grade for grade in grades if grade.is_current), None)
    lease = leases.holder(answer_id)
    item = Item(answer, attempt, question, member, db.session.get(Lesson, attempt.lesson_id),
                scale_for(member, attempt.lesson_id), current, grades, lease,
                db.session.get(User, lease.reviewer_id) if lease is not None else None, reviewer.id)
    return item


def scale_for(member: User, lesson_id: int) -> Rubric:
    """The scale the member's reflection is graded with: the campaign's (the
    one that binds them to the lesson, due first), or pass / not pass."""
    campaign_id = grading_campaign_id(member.id, lesson_id, vietnam_today())
    rubric = campaign_rubric(campaign_id) if campaign_id is not None else None
    return rubric or default_rubric()


def open_item(reviewer, answer_id: int) -> Item | None:
    """The grading page: the reviewer takes the lease if it is free (never on
    their own reflection, which `refuse_own` then refuses)."""
    found = db.session.execute(_reflection_answers(reviewer).add_columns(Attempt.user_id)
                               .where(Answer.id == answer_id)).first()
    if found is None:
        return None
    if found.user_id != reviewer.id:
        leases.take(answer_id, reviewer.id)
    return item_for(reviewer, answer_id)


def refuse_own(reviewer, item: Item) -> None:
    """Nobody grades, regrades, returns or skips their own reflection: OwnRecord."""
    refuse_own_record(reviewer, item.member.id, _("You cannot grade your own reflection: a reviewer of the unit "
                                                  "above you can."))


def skip(reviewer, item: Item) -> None:
    refuse_own(reviewer, item)
    leases.release(item.answer.id, reviewer.id)


def grade(reviewer, item: Item, values: Sequence[str | None], comment: str, return_for_rewriting: bool,
          seen_grade_id: int = 0) -> Grade:
    """Record the reviewer's grade (a regrade if one is current), move the
    member's lesson on, and send a failing reflection back if asked.
    `seen_grade_id` is the current grade the reviewer's page showed (0: none):
    if someone graded it since, nothing is recorded. Never one's own (refuse_own)."""
    refuse_own(reviewer, item)
    rubric = item.rubric
    try:
        choice = rubric.scale.read_choice(rubric.definition, values)
    except ChoiceInvalid as invalid:
        raise GradeInvalid(invalid.field, invalid.message) from None
    outcome = rubric.scale.grade(rubric.definition, choice)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise GradeInvalid("comment", _("The comment is too long (at most %(n)s characters).", n=MAX_COMMENT))
    if not outcome.passed and not comment:
        raise GradeInvalid("comment", _("Say why the reflection does not pass: the member will read it."))
    if return_for_rewriting and outcome.passed:
        raise GradeInvalid("return", _("Only a reflection that does not pass can be returned for rewriting."))
    now = utcnow()
    if not leases.take(item.answer.id, reviewer.id, now):
        lease = leases.holder(item.answer.id, now)
        name = db.session.get(User, lease.reviewer_id).full_name if lease is not None else ""
        raise LeaseTaken(_("%(name)s is grading this reflection now (your hold on it ran out): your grade was "
                           "not recorded.", name=name))
    previous = item.current
    member, unit = item.member, item.member.unit
    if rubric.id is None:  # the default, stored with the first grade given with it
        rubric = item.rubric = rubric_for(rubric.kind, rubric.definition, by=reviewer, unit=unit)
    if (previous.id if previous is not None else 0) != seen_grade_id:
        grader = db.session.get(User, previous.grader_id) if previous is not None else None
        raise LeaseTaken(_("%(name)s graded this reflection meanwhile: your grade was not recorded. Their grade "
                           "is shown on the page.", name=grader.full_name if grader else "?"))
    if previous is not None:
        previous.is_current = False
        db.session.flush()  # one current grade per answer: the old one steps down first
    new = Grade(answer_id=item.answer.id, rubric_id=rubric.id, grader_id=reviewer.id, levels=choice,
                points=outcome.points, max_points=outcome.max_points, percent=outcome.percent,
                passed=outcome.passed, comment=comment, returned=return_for_rewriting, graded_at=now, is_current=True)
    db.session.add(new)
    db.session.flush()
    after = {"points": outcome.points, "max_points": outcome.max_points,
             "levels": rubric.scale.chosen(rubric.definition, choice), "passed": outcome.passed,
             "rubric": rubric.id, "lesson": item.lesson.title}
    if previous is None:
        record(AuditKind.GRADE, actor=reviewer, unit=unit, subject=member, object_type="answer",
               object_id=item.answer.id, after=after, reason=comment or None)
    else:
        previous.superseded_by_id = new.id
        record(AuditKind.REGRADE, actor=reviewer, unit=unit, subject=member, object_type="answer",
               object_id=item.answer.id, before={"points": previous.points, "max_points": previous.max_points,
                                                  "levels": _chosen_before(previous), "passed": previous.passed,
                                                  "rubric": previous.rubric_id},
               after=after, reason=comment or None)
    record_reflection_grade(item.answer, percent=outcome.percent, passed=outcome.passed, comment=comment,
                            grader_id=reviewer.id, returned_reason=comment if return_for_rewriting else None)
    if return_for_rewriting and not (previous is not None and previous.returned):  # one more attempt, once
        grant_extra_attempts(member, item.lesson, reviewer, comment, unit=unit)
        record(AuditKind.RETURNED, actor=reviewer, unit=unit, subject=member, object_type="answer",
               object_id=item.answer.id, after={"lesson": item.lesson.title, "extra_attempts": 1}, reason=comment)
    leases.release(item.answer.id, reviewer.id)
    db.session.flush()
    item.current = new
    return new


def _chosen_before(grade: Grade) -> str:
    """What an earlier grade chose, in words, by the scale it was given on."""
    earlier = db.session.get(Rubric, grade.rubric_id)
    return earlier.scale.chosen(earlier.definition, grade.levels or [])
