"""Who may read a lesson."""
from __future__ import annotations

from learning.core.permissions import is_editor
from learning.lessons.models import Lesson, LessonState


def can_read_lesson(user, lesson: Lesson) -> bool:
    """Members read published lessons; editors also see archived ones."""
    if lesson.state == LessonState.PUBLISHED:
        return True
    return lesson.state == LessonState.ARCHIVED and lesson.latest_version_number > 0 and is_editor(user)
