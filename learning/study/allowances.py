"""How many attempts a member has at a lesson's quiz: what the quiz allows,
plus what reviewers granted them (one rule: the lesson page, starting an
attempt and the answer-visibility rule all ask `attempts_allowed`)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.errors import DomainError
from learning.lessons.authoring.model import QuizSettings
from learning.org.scope import refuse_own_record
from learning.study.models import AttemptAllowance

MAX_EXTRA_AT_ONCE = 5


def extra_attempts(user_id: int, lesson_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(AttemptAllowance.extra_attempts), 0))
        .where(AttemptAllowance.user_id == user_id, AttemptAllowance.lesson_id == lesson_id)) or 0


def attempts_allowed(user_id: int, lesson_id: int, settings: QuizSettings) -> int | None:
    """None: unlimited."""
    if settings.attempts_allowed is None:
        return None
    return settings.attempts_allowed + extra_attempts(user_id, lesson_id)


def grant_extra_attempts(member, lesson, granted_by, reason: str, count: int = 1, unit=None) -> AttemptAllowance:
    """Give a member `count` more attempts, with the reason, in the audit log.
    Never to oneself (org.scope.OwnRecord): a reviewer above does it."""
    refuse_own_record(granted_by, member.id, _("You cannot give yourself another attempt: a reviewer of the unit "
                                               "above you can."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Write the reason for the extra attempt."))
    if not 1 <= count <= MAX_EXTRA_AT_ONCE:
        raise DomainError(_("Grant between 1 and %(n)s attempts at once.", n=MAX_EXTRA_AT_ONCE))
    before = extra_attempts(member.id, lesson.id)
    allowance = AttemptAllowance(user_id=member.id, lesson_id=lesson.id, extra_attempts=count, reason=reason,
                                 granted_by_id=getattr(granted_by, "id", None))
    db.session.add(allowance)
    db.session.flush()
    record(AuditKind.EXTRA_ATTEMPT, actor=granted_by, unit=unit or getattr(member, "unit", None), subject=member,
           object_type="lesson", object_id=lesson.id, before={"extra_attempts": before},
           after={"extra_attempts": before + count, "lesson": lesson.title}, reason=reason)
    return allowance
