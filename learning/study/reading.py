"""Reading a lesson: the member's progress row, opened and read."""
from __future__ import annotations

from sqlalchemy import select

from learning.campaigns.binding import due_date
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import upsert_insert, utcnow
from learning.lessons.models import Lesson, LessonVersion
from learning.lessons.versions import has_reflection
from learning.org.models import User
from learning.study.models import LessonProgress
from learning.study.progress import refresh_completion
from learning.study.rollups import Tracked


def progress_for(user_id: int, lesson_id: int) -> LessonProgress:
    """The member's progress row for a lesson, created on first need, in one
    round trip and safely under concurrency (the unique pair decides)."""
    insert = upsert_insert(LessonProgress).values(
        user_id=user_id, lesson_id=lesson_id, attempts_used=0, updated_at=utcnow())
    statement = insert.on_conflict_do_update(
        index_elements=["user_id", "lesson_id"], set_={"user_id": insert.excluded.user_id},
    ).returning(LessonProgress)
    return db.session.scalars(statement, execution_options={"populate_existing": True}).one()


def record_opened(user: User, lesson: Lesson) -> LessonProgress:
    progress = progress_for(user.id, lesson.id)
    if progress.started_at is None:
        tracked = Tracked(progress)
        progress.started_at = progress.updated_at = utcnow()
        tracked.apply()
    return progress


def record_read(user: User, lesson: Lesson) -> LessonProgress:
    progress = record_opened(user, lesson)
    if progress.read_at is None:
        tracked = Tracked(progress)
        now = utcnow()
        progress.read_at = progress.updated_at = now
        refresh_completion(progress, has_reflection(current_version_id(lesson)),
                           lambda: due_date(user.id, lesson.id, vietnam_today()), now)
        tracked.apply()  # the roll-up of the member's unit, in the same transaction
    return progress


def current_version_id(lesson: Lesson) -> int:
    return db.session.scalar(select(LessonVersion.id).where(
        LessonVersion.lesson_id == lesson.id, LessonVersion.number == lesson.latest_version_number))
