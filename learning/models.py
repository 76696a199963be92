"""All models, imported here so that Base.metadata knows every table."""
from learning.campaigns.models import Campaign, campaign_lessons, campaign_units
from learning.lessons.models import Lesson, LessonVersion, Question
from learning.org.models import ROLES, UNIT_KINDS, RoleGrant, SignIn, Unit, User
from learning.study.models import Answer, Attempt, LessonProgress

__all__ = [
    "Campaign", "campaign_lessons", "campaign_units",
    "Lesson", "LessonVersion", "Question",
    "UNIT_KINDS", "Unit", "ROLES", "RoleGrant", "SignIn", "User",
    "Answer", "Attempt", "LessonProgress",
]
