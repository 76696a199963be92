"""Reviewers follow up members of their units: finding one, their page, one
more attempt at a lesson, a later due date for a lesson."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.campaigns.binding import due_date
from learning.campaigns.extensions import ExtensionRefused, extend_due_date
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.errors import DomainError
from learning.core.input import InvalidInput, parse_day, unstorable_field, unstorable_message, whole_number
from learning.core.permissions import REVIEWERS, requires
from learning.lessons.models import Lesson
from learning.org.scope import OwnRecord, own_record
from learning.review import members
from learning.study.allowances import grant_extra_attempts

bp = Blueprint("members", __name__)

MAX_QUERY = 200


@bp.route("/")
@requires(REVIEWERS)
def index():
    query = request.args.get("q", "")[:MAX_QUERY]
    page = whole_number(request.args.get("page", "1") or "1", _("Page"))
    found = members.search_members(current_user, query, page)
    return render_template("review/members.html", query=query, found=found)


@bp.route("/<int:member_id>")
@requires(REVIEWERS)
def show(member_id: int):
    return _member_page(_member(member_id))


@bp.route("/<int:member_id>/lessons/<int:lesson_id>/extra-attempt", methods=["POST"])
@requires(REVIEWERS)
def extra_attempt(member_id: int, lesson_id: int):
    member, lesson = _member(member_id), _bound_lesson(member_id, lesson_id)
    _refuse_unstorable()
    try:
        grant_extra_attempts(member, lesson, current_user, reason=request.form.get("reason", ""))
    except OwnRecord as refused:
        return _member_page(member, Refusal(lesson_id, "extra", "", str(refused), {}), 403)
    except DomainError as refused:
        return _member_page(member, Refusal(lesson_id, "extra", "reason", str(refused), _typed()), 400)
    flash(_("One more attempt given for %(lesson)s.", lesson=lesson.doc_number), "success")
    return redirect(url_for("members.show", member_id=member.id, _anchor=f"lesson-{lesson.id}"))


@bp.route("/<int:member_id>/lessons/<int:lesson_id>/due-date", methods=["POST"])
@requires(REVIEWERS)
def extend_due(member_id: int, lesson_id: int):
    member, lesson = _member(member_id), _bound_lesson(member_id, lesson_id)
    _refuse_unstorable()
    try:
        extension = extend_due_date(member, lesson, parse_day(request.form.get("due_on")),
                                    request.form.get("reason", ""), current_user, vietnam_today())
    except OwnRecord as refused:
        return _member_page(member, Refusal(lesson_id, "due", "", str(refused), {}), 403)
    except ExtensionRefused as refused:
        return _member_page(member, Refusal(lesson_id, "due", refused.field, str(refused), _typed()), 400)
    flash(_("%(lesson)s is now due on %(day)s for this member.", lesson=lesson.doc_number,
            day=extension.due_on.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("members.show", member_id=member.id, _anchor=f"lesson-{lesson.id}"))


def _member(member_id: int):
    """The member, if in the reviewer's scope; a 404 otherwise (as for no one)."""
    member = members.member_in_scope(current_user, member_id)
    if member is None:
        abort(404)
    return member


def _bound_lesson(member_id: int, lesson_id: int) -> Lesson:
    """A lesson a campaign binds the member to (what their page lists)."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or due_date(member_id, lesson_id, vietnam_today()) is None:
        abort(404)
    return lesson


def _refuse_unstorable() -> None:
    refused = unstorable_field(request.form)
    if refused is not None:
        labels = {"reason": _("Reason"), "due_on": _("New due date")}
        raise InvalidInput(unstorable_message(labels.get(refused, _("The form"))), field=refused)


@dataclass(frozen=True)
class Refusal:
    """A form of the page that was refused: which, the field at fault ("" for
    none: the reviewer's own record), and what was typed."""
    lesson_id: int
    form: str  # "extra" (one more attempt) or "due" (a later due date)
    field: str
    message: str
    values: dict[str, str]

    def on(self, lesson_id: int, form: str) -> bool:
        return self.lesson_id == lesson_id and self.form == form


def _typed() -> dict[str, str]:
    return {name: value for name, value in request.form.items() if name != "csrf_token"}


def _member_page(member, refused: Refusal | None = None, status: int = 200):
    """The member page; after a refusal, that form open again with its message
    and what was typed. On the reviewer's own page, no form (one's own record
    is for a reviewer above)."""
    return render_template("review/member.html", followup=members.followup(member, vietnam_today()),
                           refused=refused, own=own_record(current_user, member.id)), status
