"""A reviewer's grade of a reflection, as study keeps it: the answer's copy
of the current grade (what the member's result page shows) and the lesson's
progress after it, by the rule of study.progress. Review keeps the grades
themselves and their history (review.grading) and calls this; asked for
a grade's detail (the level chosen for each criterion), it answers through
study.signals.grades_wanted."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple

from sqlalchemy import exists, select

from learning.campaigns.binding import due_date
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.lessons.versions import has_reflection, quiz_questions
from learning.study.models import Answer, Attempt, AttemptStatus
from learning.study.progress import grade_reflection
from learning.study.reading import progress_for
from learning.study.rollups import Tracked
from learning.study.signals import grades_wanted


class CriterionGiven(NamedTuple):
    """One criterion of a grade: the level chosen (None on a criterion of points) and its points."""
    name: str
    level: str | None
    points: float
    max_points: float


@dataclass(frozen=True)
class GradeGiven:
    """A reflection's current grade, criterion by criterion (empty when its
    scale has no criteria worth showing apart: pass / not pass, points)."""
    criteria: tuple[CriterionGiven, ...]
    points: float
    max_points: float


def grades_given(answer_ids: Iterable[int]) -> dict[int, GradeGiven]:
    """Answer id → its current grade's detail, for the graded ones: one question per receiver."""
    ids = sorted(set(answer_ids))
    found: dict[int, GradeGiven] = {}
    if ids:
        for _receiver, answer in grades_wanted.send(None, answer_ids=ids):
            found.update(answer or {})
    return found


def is_latest_submitted(attempt: Attempt) -> bool:
    """The member has submitted no later attempt at the lesson: its reflection is the one that counts."""
    later = select(Attempt.id).where(Attempt.user_id == attempt.user_id, Attempt.lesson_id == attempt.lesson_id,
                                     Attempt.status == AttemptStatus.SUBMITTED, Attempt.number > attempt.number)
    return not db.session.scalar(select(exists(later)))


def record_reflection_grade(answer: Answer, *, percent: float, passed: bool, comment: str, grader_id: int | None,
                            returned_reason: str | None = None) -> None:
    """Mirror the current grade on the answer, and move the member's lesson on
    (waiting for grading → complete, or not passed / returned for rewriting)
    when the answer is in the member's latest attempt."""
    now = utcnow()
    attempt = answer.attempt
    question = quiz_questions(attempt.version_id).get(answer.question_key)
    points = question.points if question is not None else 0
    answer.score = round(percent * points / 100, 2)
    answer.passed = passed
    answer.feedback = comment or None
    answer.graded_by_id = grader_id
    answer.graded_at = now
    if not is_latest_submitted(attempt):
        return
    progress = progress_for(attempt.user_id, attempt.lesson_id)
    tracked = Tracked(progress)
    grade_reflection(progress, passed, returned_reason, has_reflection(attempt.version_id),
                     lambda: due_date(attempt.user_id, attempt.lesson_id, vietnam_today()), now)
    tracked.apply()  # the roll-up of the member's unit, in the same transaction
    db.session.flush()
