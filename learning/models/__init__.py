"""All models, imported here so that Base.metadata knows every table."""
from learning.models.lessons import LESSON_STATES, Lesson, LessonVersion, Question
from learning.models.org import UNIT_KINDS, Unit
from learning.models.people import ROLES, RoleGrant, User

__all__ = [
    "LESSON_STATES", "Lesson", "LessonVersion", "Question",
    "UNIT_KINDS", "Unit", "ROLES", "RoleGrant", "User",
]
