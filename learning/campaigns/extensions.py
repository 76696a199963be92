"""A later due date for one member and one lesson, with a reason: granted by
a reviewer, recorded in the audit log, read by campaigns.binding (the latest
one wins). Nothing here touches attempts: a quiz's time limit is minutes,
not days, and an open attempt keeps its own deadline. A lesson the member
already completed late is rechecked against the new date by study, which
receives campaigns.signals.due_date_extended in the same transaction."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.campaigns.binding import campaign_due_date, due_date
from learning.campaigns.models import DueDateExtension
from learning.campaigns.signals import due_date_extended
from learning.core import db
from learning.core.errors import DomainError
from learning.org.scope import refuse_own_record

MAX_REASON = 2000


class ExtensionRefused(DomainError):
    """The extension form has a problem: `field` names the one at fault."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def extend_due_date(member, lesson, due_on: date | None, reason: str, granted_by, today: date) -> DueDateExtension:
    """Give the member `due_on` as their due date for the lesson. It must be
    later than what the campaigns that bind them set, and not in the past;
    a new extension replaces an earlier one (which stays, for the record).
    Never to oneself (org.scope.OwnRecord): a reviewer above does it."""
    refuse_own_record(granted_by, member.id, _("You cannot give yourself a later due date: a reviewer of the unit "
                                               "above you can."))
    reason = (reason or "").strip()
    if due_on is None:
        raise ExtensionRefused(_("Enter the new due date as dd/mm/yyyy."), "due_on")
    current = due_date(member.id, lesson.id, today)
    by_campaigns = campaign_due_date(member.id, lesson.id, today)
    if by_campaigns is None:
        raise ExtensionRefused(_("No open campaign binds this member to this lesson: there is no due date to "
                                 "extend."), "due_on")
    if due_on <= by_campaigns:
        raise ExtensionRefused(_("The new due date must be later than the campaign's (%(day)s).",
                                 day=by_campaigns.strftime("%d/%m/%Y")), "due_on")
    if due_on < today:
        raise ExtensionRefused(_("The new due date is in the past."), "due_on")
    if not reason:
        raise ExtensionRefused(_("Write the reason for the later due date."), "reason")
    if len(reason) > MAX_REASON:
        raise ExtensionRefused(_("The reason is too long (at most %(n)s characters).", n=MAX_REASON), "reason")
    extension = DueDateExtension(user_id=member.id, lesson_id=lesson.id, due_on=due_on, reason=reason,
                                 granted_by_id=getattr(granted_by, "id", None))
    db.session.add(extension)
    db.session.flush()
    record(AuditKind.EXTENSION, actor=granted_by, unit=getattr(member, "unit", None), subject=member,
           object_type="lesson", object_id=lesson.id, before={"due_on": current},
           after={"due_on": due_on, "lesson": lesson.title}, reason=reason)
    due_date_extended.send(None, member_id=member.id, lesson_id=lesson.id)
    return extension


def extensions_of(member_id: int) -> dict[int, DueDateExtension]:
    """Lesson id → the member's latest extension for it."""
    rows = db.session.scalars(select(DueDateExtension).where(DueDateExtension.user_id == member_id)
                              .order_by(DueDateExtension.id))
    return {row.lesson_id: row for row in rows}
