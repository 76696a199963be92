"""Quiz attempts: answering (plain form posts, or one answer at a time from the
page's script), submitting once, and the result with its review."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from learning.core import db
from learning.core.input import (
    InvalidInput,
    answers_from_json,
    json_body,
    unstorable_field,
    unstorable_message,
)
from learning.core.permissions import ATTEMPT_OWNER, SIGNED_IN, requires
from learning.core.responses import plain_json
from learning.org.access import request_member, signed_out_or_not_found
from learning.study import answers, attempts, errors, reflections, submission
from learning.study.access import owns_attempt
from learning.study.models import Attempt, AttemptStatus

bp = Blueprint("quiz", __name__)

# The quiz form's buttons: "submit" asks first when questions are unanswered;
# "submit_confirmed" is the warning's "Submit anyway".
SUBMIT_ACTIONS = ("submit", "submit_confirmed")


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@requires(SIGNED_IN)
def attempt(attempt_id: int):
    item = _own_attempt(attempt_id)
    submission.close_if_expired(item)
    if item.status != AttemptStatus.OPEN:
        return redirect(url_for("quiz.result", attempt_id=item.id))
    error, unanswered = None, []
    if request.method == "POST":
        action = request.form.get("action")
        try:
            submission.answer_by_form(item, _answers_from_form(item), submit=action in SUBMIT_ACTIONS,
                                        confirmed=action == "submit_confirmed")
        except errors.UnansweredQuestions as refused:
            unanswered = refused.missing  # the page asks; the answers are kept
        except errors.AttemptRefused as refused:
            error = str(refused)  # the answers are kept even when submitting is refused
        else:
            if item.status != AttemptStatus.OPEN:
                return redirect(url_for("quiz.result", attempt_id=item.id))
    return render_template("study/quiz/attempt.html", attempt=item, version=item.version,
                           questions=attempts.planned_questions(item), saved=answers.saved_responses(item),
                           time_left=attempts.time_left(item), error=error, unanswered=unanswered,
                           seq_floor=answers.highest_seq(item.id),
                           just_saved=request.method == "POST" and error is None and not unanswered)


@bp.route("/attempts/<int:attempt_id>/answers", methods=["POST"])
@requires(ATTEMPT_OWNER)
@db.autocommit
def save_answers(attempt_id: int):
    """JSON from the page's script: {"answers": [{"key", "values", "seq"}]}.
    The hottest route: neither the member nor the attempt is loaded, and each
    answer is one statement that checks the member's session and commits on
    its own, so each acknowledgement stands alone. So the whole save is
    checked before the first answer is written: a malformed one (core.input)
    is a 400 in JSON (core.errors) and writes nothing."""
    payload = json_body(request.get_data(cache=False), request.is_json)
    incoming = [answers.IncomingAnswer(key, values, seq) for key, values, seq in answers_from_json(payload)]
    try:
        receipt = answers.save_answers(request_member(), attempt_id, incoming)
    except errors.AttemptNotFound:
        return signed_out_or_not_found()
    except errors.AttemptRefused as refused:
        # Nothing to roll back: each answer committed on its own, and any
        # written before the attempt closed is in its grade. The page goes to
        # the result; nothing of this attempt stays on the phone.
        return jsonify(error=str(refused), closed=True, result=url_for("quiz.result", attempt_id=attempt_id)), 409
    left = attempts.seconds_until(receipt.deadline_at)
    # Each acknowledgement names the save it answers, so the phone (and anyone
    # checking) can tell exactly which answers are safe on the server.
    return plain_json({"attempt": attempt_id, "saved": [{"key": a.key, "seq": a.seq} for a in receipt.saved],
                       "stale": [{"key": k, "seq": s} for k, s in receipt.stale.items()], "seconds_left": left})


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@requires(ATTEMPT_OWNER)
def submit(attempt_id: int):
    """Idempotent: submitting twice grades once. The member is not loaded:
    claiming the attempt checks their session. With questions unanswered it
    is refused (409, saying which) unless the request carries confirm=1,
    which the page's script sends once the member confirmed."""
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        submission.submit(request_member(), attempt_id, confirmed=_confirmed())
    except errors.AttemptNotFound:
        return signed_out_or_not_found()
    except errors.UnansweredQuestions as refused:
        if wants_json:
            return jsonify(error=str(refused),
                           unanswered=[{"number": q.number, "key": q.key} for q in refused.missing]), 409
        flash(str(refused), "error")
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    except errors.AttemptRefused as refused:
        if wants_json:
            return jsonify(error=str(refused)), 422
        flash(str(refused), "error")
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    if wants_json:
        return jsonify(result=url_for("quiz.result", attempt_id=attempt_id))
    return redirect(url_for("quiz.result", attempt_id=attempt_id))


def _confirmed() -> bool:
    """confirm=1 in the script's JSON body or in a form post (a malformed
    body is a 400, core.input)."""
    body = request.get_data()
    if request.is_json and body.strip():  # an empty body confirms nothing
        payload = json_body(body, True)
        return type(payload) is dict and payload.get("confirm") in (1, "1", True)
    return request.form.get("confirm") == "1"


@bp.route("/attempts/<int:attempt_id>/result")
@requires(SIGNED_IN)
def result(attempt_id: int):
    item = _own_attempt(attempt_id)
    submission.close_if_expired(item)
    if item.status == AttemptStatus.OPEN:
        return redirect(url_for("quiz.attempt", attempt_id=item.id))
    graded = answers.reviewer_grades(item)
    return render_template("study/quiz/result.html", attempt=item, version=item.version,
                           questions=attempts.planned_questions(item), saved=answers.saved_responses(item),
                           scores=answers.answer_scores(item), show_answers=attempts.may_show_answers(current_user, item),
                           graded=graded, grades_given=reflections.grades_given(a.id for a in graded.values()),
                           lesson=item.version.lesson)


def _own_attempt(attempt_id: int) -> Attempt:
    item = db.session.get(Attempt, attempt_id)
    if item is None or not owns_attempt(current_user.id, item.user_id):
        abort(404)
    return item


def _answers_from_form(item: Attempt) -> list[answers.IncomingAnswer]:
    """The plain form's answers. A field the database could not store is a
    400 page naming the question (core.errors), and nothing is written: the
    answers saved before stay as they were."""
    refused = unstorable_field(request.form)
    if refused is not None:
        numbers = {f"q-{step['key']}": number for number, step in enumerate(item.plan, start=1)}
        where = _("Question %(n)s", n=numbers[refused]) if refused in numbers else _("The form")
        raise InvalidInput(unstorable_message(where), field=refused)
    return [answers.IncomingAnswer(step["key"], request.form.getlist(f"q-{step['key']}"))
            for step in item.plan if f"q-{step['key']}" in request.form]
