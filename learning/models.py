"""Every model (and the rate-limit counters' table), imported here so that
Base.metadata knows every table: for Alembic and the tests. Nothing in
learning/ imports this module (the import contract says so)."""
import learning.core.ratelimit  # noqa: F401  (the rate_limit_counters table)
from learning.audit.models import AuditEntry
from learning.campaigns.models import Campaign, DueDateExtension, campaign_lessons, campaign_units
from learning.evaluation.models import Period, RuleSet, period_campaigns
from learning.jobs.models import Job
from learning.lessons.models import Lesson, LessonVersion, Question
from learning.org.models import (
    ROLES,
    UNIT_KINDS,
    ActivationCode,
    MemberTally,
    RoleGrant,
    SignIn,
    Unit,
    UnitAncestor,
    User,
)
from learning.org.roster.models import RosterUpload
from learning.review.models import CampaignScale, Grade, GradingLease, Rubric
from learning.study.models import Answer, Attempt, AttemptAllowance, LessonProgress, LessonRollup

__all__ = [
    "AuditEntry",
    "Campaign", "DueDateExtension", "campaign_lessons", "campaign_units",
    "Period", "RuleSet", "period_campaigns",
    "Job",
    "Lesson", "LessonVersion", "Question",
    "RosterUpload",
    "UNIT_KINDS", "Unit", "ROLES", "RoleGrant", "SignIn", "User", "ActivationCode",
    "MemberTally", "UnitAncestor",
    "Answer", "Attempt", "AttemptAllowance", "LessonProgress", "LessonRollup",
    "CampaignScale", "Grade", "GradingLease", "Rubric",
]
