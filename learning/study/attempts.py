"""Quiz attempts: starting one (or resuming it), what the lesson page says of
the quiz, the attempt's fixed order of questions, and when its answers may
be shown.

Starting inserts with ON CONFLICT DO NOTHING against a unique index that
allows one open attempt per member and lesson, so two concurrent starts yield
one attempt, never more than the attempts allowed. An attempt is fixed at
start: its version and the order of its questions and choices; its deadline
is set then (a reviewer may extend it later).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from learning.campaigns.binding import due_date
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import upsert_insert, utcnow
from learning.lessons.authoring.model import ShowAnswers
from learning.lessons.models import Lesson, LessonVersion, Question
from learning.org.models import User
from learning.study.allowances import attempts_allowed
from learning.study.errors import AttemptRefused
from learning.study.grading import attempt_plan
from learning.study.models import Attempt, AttemptStatus
from learning.study.reading import record_read
from learning.study.submission import close_if_expired


def start_attempt(user: User, lesson: Lesson, version: LessonVersion, rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt, or start the next one if any is left."""
    record_read(user, lesson)  # reaching the quiz means the lesson was read
    open_attempt = _open_attempt(user.id, lesson.id)
    if open_attempt is not None and not close_if_expired(open_attempt):
        return open_attempt
    used = attempt_count(user.id, lesson.id)
    settings = version.quiz_settings
    allowed = attempts_allowed(user.id, lesson.id, settings)
    if allowed is not None and used >= allowed:
        if open_attempt is not None:
            return open_attempt  # its time had run out: now submitted, the caller shows its result
        raise AttemptRefused(_("You have used all %(n)s attempts at this quiz.", n=allowed))
    now = utcnow()
    limit = settings.time_limit_minutes
    plan = attempt_plan(version.questions, settings.shuffle_questions, settings.shuffle_choices,
                        rng or random.SystemRandom())
    db.session.execute(
        upsert_insert(Attempt).values(
            user_id=user.id, lesson_id=lesson.id, version_id=version.id, number=used + 1,
            status=AttemptStatus.OPEN, plan=plan, started_at=now,
            deadline_at=now + timedelta(minutes=limit) if limit else None, auto_submitted=False,
        ).on_conflict_do_nothing()
    )
    started = _open_attempt(user.id, lesson.id)
    if started is None:  # a concurrent request started and already submitted one
        raise AttemptRefused(_("Another attempt was just started; reload the page."))
    return started


def _open_attempt(user_id: int, lesson_id: int) -> Attempt | None:
    return db.session.scalars(select(Attempt).where(
        Attempt.user_id == user_id, Attempt.lesson_id == lesson_id, Attempt.status == AttemptStatus.OPEN)).first()


def attempt_count(user_id: int, lesson_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id, Attempt.lesson_id == lesson_id)
    )


def time_left(attempt: Attempt, now: datetime | None = None) -> timedelta | None:
    if attempt.deadline_at is None:
        return None
    return max(attempt.deadline_at - (now or utcnow()), timedelta(0))


def seconds_until(deadline_at: datetime | None) -> int | None:
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - utcnow()).total_seconds()))


def planned_questions(attempt: Attempt) -> list[tuple[Question, list[dict[str, Any]]]]:
    """The attempt's questions in its fixed order, each with its choices in order."""
    by_key = {q.key: q for q in attempt.version.questions}
    planned = []
    for step in attempt.plan:
        question = by_key[step["key"]]
        choices = {c["key"]: c for c in question.data.get("choices", [])}
        planned.append((question, [choices[k] for k in step["choices"]]))
    return planned


@dataclass(frozen=True)
class QuizStatus:
    """What the lesson page says about its quiz for one member."""
    open_attempt: Attempt | None
    submitted: list[Attempt]
    attempts_left: int | None  # None: unlimited

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


def quiz_status(user: User, lesson: Lesson, version: LessonVersion) -> QuizStatus:
    attempts = attempts_of(user, lesson)
    allowed = attempts_allowed(user.id, lesson.id, version.quiz_settings)
    return QuizStatus(
        open_attempt=next((a for a in attempts if a.status == AttemptStatus.OPEN), None),
        submitted=[a for a in attempts if a.status == AttemptStatus.SUBMITTED],
        attempts_left=None if allowed is None else max(0, allowed - len(attempts)),
    )


def attempts_of(user: User, lesson: Lesson) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.lesson_id == lesson.id).order_by(Attempt.number)))


def may_show_answers(user: User, attempt: Attempt, today: date | None = None) -> bool:
    """Whether the correct answers and explanations may be shown for a submitted
    attempt, following the lesson's `show_answers` setting."""
    if attempt.status != AttemptStatus.SUBMITTED:
        return False
    settings = attempt.version.quiz_settings
    rule = settings.show_answers
    if rule == ShowAnswers.AFTER_SUBMIT:
        return True
    if rule == ShowAnswers.AFTER_PASS:
        return bool(attempt.passed)
    if rule == ShowAnswers.AFTER_LAST_ATTEMPT:
        allowed = attempts_allowed(user.id, attempt.lesson_id, settings)
        return allowed is not None and attempt_count(user.id, attempt.lesson_id) >= allowed
    if rule == ShowAnswers.AFTER_CLOSE:
        # After the member's due date (campaigns.binding: the earliest closing
        # day among the opened campaigns that bind them to the lesson). Without
        # one there is no date: keep the answers hidden, or a member studying
        # on their own could pass them to those still studying.
        today = today or vietnam_today()
        due = due_date(user.id, attempt.lesson_id, today)
        return due is not None and today > due
    return False
