"""Who may see a job: whoever started it, and admins."""
from __future__ import annotations

from sqlalchemy import Select, select

from learning.core.permissions import is_admin
from learning.jobs.models import Job


def can_see_job(user, job: Job) -> bool:
    return job.created_by_id == user.id or is_admin(user)


def recent_jobs(user, limit: int = 20) -> Select:
    """The person's own jobs, newest first."""
    return select(Job).where(Job.created_by_id == user.id).order_by(Job.id.desc()).limit(limit)
