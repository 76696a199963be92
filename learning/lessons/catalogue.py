"""What members can read: published lessons and their current version."""
from __future__ import annotations

from sqlalchemy import select

from learning.core import db
from learning.lessons.models import Lesson, LessonState, LessonVersion


def published_lessons() -> list[tuple[Lesson, LessonVersion]]:
    rows = db.session.execute(
        select(Lesson, LessonVersion)
        .join(LessonVersion, (LessonVersion.lesson_id == Lesson.id)
              & (LessonVersion.number == Lesson.latest_version_number))
        .where(Lesson.state == LessonState.PUBLISHED)
        .order_by(LessonVersion.issued_on.desc(), Lesson.id)
    )
    return [(lesson, version) for lesson, version in rows]


def lesson_for_reading(slug: str) -> tuple[Lesson, LessonVersion] | None:
    row = db.session.execute(
        select(Lesson, LessonVersion)
        .join(LessonVersion, (LessonVersion.lesson_id == Lesson.id)
              & (LessonVersion.number == Lesson.latest_version_number))
        .where(Lesson.slug == slug)
    ).first()
    return (row[0], row[1]) if row else None
