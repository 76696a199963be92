"""Published versions are immutable, so what grading needs of their questions
can be kept in memory after the first read: saving an answer or submitting
then costs no query for the quiz itself."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from learning.core import db
from learning.core.memo import remembered
from learning.lessons.authoring import KINDS, QuizSettings
from learning.lessons.models import LessonVersion, Question

CACHE_LIMIT = 2000  # versions; a few KB each


@dataclass(frozen=True)
class QuizQuestion:
    key: str
    kind: str
    points: int
    data: dict[str, Any]


def quiz_questions(version_id: int) -> dict[str, QuizQuestion]:
    """The version's questions by key, in the author's order."""
    def load() -> dict[str, QuizQuestion]:
        rows = db.connection().execute(
            select(Question.key, Question.kind, Question.points, Question.data)
            .where(Question.version_id == version_id).order_by(Question.position))
        return {key: QuizQuestion(key, kind, points, data) for key, kind, points, data in rows}

    return remembered("quiz_questions", version_id, load, CACHE_LIMIT)


def version_settings(version_id: int) -> QuizSettings:
    """The quiz settings of a version (immutable too, so remembered likewise)."""
    def load() -> QuizSettings | None:
        stored = db.connection().execute(select(LessonVersion.settings).where(LessonVersion.id == version_id)).scalar()
        return QuizSettings.from_stored(stored) if stored is not None else None

    return remembered("quiz_settings", version_id, load, CACHE_LIMIT)


def reviewed_keys(version_id: int) -> tuple[str, ...]:
    """The version's questions a reviewer grades (reflections), in order."""
    return tuple(q.key for q in quiz_questions(version_id).values() if not KINDS[q.kind].auto_graded)


def has_reflection(version_id: int) -> bool:
    """Whether the version has a question a reviewer grades (a reflection):
    the lesson then waits for it to be written before it is complete."""
    return bool(reviewed_keys(version_id))
