"""A later due date for a lesson already completed: study's side of
campaigns.extensions. campaigns sits below study, so it says what changed
(campaigns.signals.due_date_extended) and this receiver rechecks the
member's progress row by study.progress's rule, moving the unit's roll-up
(study.rollups) in the same transaction as the extension."""
from __future__ import annotations

from sqlalchemy import select

from learning.campaigns.binding import due_date
from learning.campaigns.signals import due_date_extended
from learning.core import db
from learning.core.db import utcnow
from learning.study.models import LessonProgress
from learning.study.progress import completed_on, recheck_on_time
from learning.study.rollups import Tracked


def recheck_completion(member_id: int, lesson_id: int) -> None:
    """The member's completion of the lesson, against their due date as it
    is now (with the campaigns that bound them on the day they completed it)."""
    progress = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == member_id,
                                                              LessonProgress.lesson_id == lesson_id))
    if progress is None or progress.completed_at is None or progress.on_time:
        return
    tracked = Tracked(progress)
    recheck_on_time(progress, due_date(member_id, lesson_id, completed_on(progress)))
    if progress.on_time:
        progress.updated_at = utcnow()
        tracked.apply()  # the roll-up of the member's unit, in the same transaction
        db.session.flush()


def _due_date_extended(_sender=None, member_id: int = 0, lesson_id: int = 0, **_extra) -> None:
    recheck_completion(member_id, lesson_id)


due_date_extended.connect(_due_date_extended)
