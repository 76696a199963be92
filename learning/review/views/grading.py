"""Grading reflections: the queue, one reflection per page, grade and next.
One's own reflection (never in one's queue) is refused on its page: a 403
that says why, without the form."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.core.clock import vietnam_today
from learning.core.input import storable_form, unstorable_field, unstorable_message, whole_number
from learning.core.permissions import REVIEWERS, requires
from learning.org.scope import OwnRecord
from learning.review import grading

bp = Blueprint("grading", __name__)

SKIPPED = "grading_skipped"  # the answers skipped in this session, not offered again before the others
MAX_SKIPPED = 50


@bp.route("/grading")
@requires(REVIEWERS)
def queue():
    counts = grading.queue_counts(current_user, vietnam_today())
    return render_template("review/queue.html", counts=counts, waiting=counts.waiting,
                           skipped=len(session.get(SKIPPED, [])))


@bp.route("/grading/next")
@requires(REVIEWERS)
def next_item():
    if request.args.get("again"):
        session.pop(SKIPPED, None)
    answer_id = grading.take_next(current_user, session.get(SKIPPED, []))
    if answer_id is None:
        if session.get(SKIPPED):  # the queue page says when nothing at all is left
            flash(_("Nothing left to grade but the ones you skipped."), "info")
        return redirect(url_for("grading.queue"))
    return redirect(url_for("grading.answer", answer_id=answer_id))


@bp.route("/grading/answers/<int:answer_id>", methods=["GET", "POST"])
@requires(REVIEWERS)
def answer(answer_id: int):
    if request.method == "GET":
        item = grading.open_item(current_user, answer_id)
        if item is None:
            abort(404)
        try:
            grading.refuse_own(current_user, item)
        except OwnRecord as refused:
            return _refused(item, refused)
        return _page(item)
    item = grading.item_for(current_user, answer_id)
    if item is None:
        abort(404)
    form = request.form
    refused = unstorable_field(form)
    if refused is not None:
        field = "comment" if refused == "comment" else refused
        return _page(item, {field: str(unstorable_message(_("The comment") if refused == "comment"
                                                          else _("The form")))}, storable_form(form), 400)
    criteria = item.rubric.scale.criteria(item.rubric.definition)
    values = [form.get(f"c{index}") for index in range(len(criteria))]
    seen = whole_number(form.get("seen") or "0", _("The grade shown"))
    try:
        grading.grade(current_user, item, values, form.get("comment", ""), form.get("return") == "yes", seen)
    except grading.GradeInvalid as invalid:
        return _page(item, {invalid.field: invalid.message}, form, 400)
    except OwnRecord as refused:
        return _refused(item, refused)
    except grading.LeaseTaken as taken:
        flash(str(taken), "error")
        return _page(item, {}, form, 409)
    flash(_("Grade recorded."), "success")
    return redirect(url_for("grading.next_item"))


@bp.route("/grading/answers/<int:answer_id>/skip", methods=["POST"])
@requires(REVIEWERS)
def skip(answer_id: int):
    item = grading.item_for(current_user, answer_id)
    if item is None:
        abort(404)
    try:
        grading.skip(current_user, item)
    except OwnRecord as refused:
        return _refused(item, refused)
    session[SKIPPED] = [*session.get(SKIPPED, []), answer_id][-MAX_SKIPPED:]
    return redirect(url_for("grading.next_item"))


def _page(item, errors: dict | None = None, form=None, status: int = 200, refused: str | None = None):
    return render_template("review/grade.html", item=item, errors=errors or {}, form=form, refused=refused,
                           criteria=item.rubric.scale.criteria(item.rubric.definition)), status


def _refused(item, refused: OwnRecord):
    """The reviewer's own reflection: the page says why, and offers no form."""
    return _page(item, status=403, refused=str(refused))


