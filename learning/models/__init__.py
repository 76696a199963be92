"""All models, imported here so that Base.metadata knows every table."""
from learning.models.campaigns import Campaign, campaign_lessons, campaign_units
from learning.models.lessons import LESSON_STATES, Lesson, LessonVersion, Question
from learning.models.org import UNIT_KINDS, Unit
from learning.models.people import ROLES, RoleGrant, SignIn, User
from learning.models.study import ATTEMPT_STATES, Answer, Attempt, LessonProgress

__all__ = [
    "Campaign", "campaign_lessons", "campaign_units",
    "LESSON_STATES", "Lesson", "LessonVersion", "Question",
    "UNIT_KINDS", "Unit", "ROLES", "RoleGrant", "SignIn", "User",
    "ATTEMPT_STATES", "Answer", "Attempt", "LessonProgress",
]
