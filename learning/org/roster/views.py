"""The import page: upload a roster, see its dry run (on the job's page),
then import it. Reviewers import into the cells of their units, admins anywhere."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from learning.core.config import PROJECT_ROOT
from learning.core.errors import DomainError
from learning.core.exports import csv_response
from learning.core.input import without_unstorable
from learning.core.permissions import REVIEWERS, is_reviewer, requires
from learning.org.roster import messages, operations, parse, report
from learning.org.roster.jobs import check_result

bp = Blueprint("roster", __name__)

SAMPLES = {"csv": ("roster-sample.csv", "text/csv"),
           "xlsx": ("roster-sample.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def _too_large():
    """Before anything reads the body (the CSRF check would, with the app's
    2 MB limit): the upload route has a limit of its own, said plainly."""
    if request.endpoint != "roster.upload" or request.method != "POST":
        return None
    if not (current_user.is_authenticated and is_reviewer(current_user)):
        return None  # the app's own limit, and the route's policy, answer them
    limit = current_app.config["ROSTER_MAX_BYTES"]
    request.max_content_length = limit + 64 * 1024  # the form's other fields
    if request.content_length is not None and request.content_length > limit:
        return _form(_("The file is larger than %(n)s MB: split it into several files.", n=limit // 2 ** 20), 413)
    return None


@bp.record_once
def _install_size_check(state) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, _too_large)


@bp.app_template_global("roster_problem")
def _roster_problem(problem: dict) -> str:
    return messages.problem_text(problem)


@bp.app_template_global("roster_field")
def _roster_field(name: str) -> str:
    return messages.field_label(name)


@bp.app_template_global("roster_value")
def _roster_value(name: str, value) -> str:
    return messages.value_text(name, value)


@bp.app_template_global("roster_report_kept")
def _roster_report_kept(upload_id: int) -> bool:
    return operations.report_kept(upload_id)


def _form(error: str | None = None, status: int = 200):
    return render_template("org/roster/upload.html", error=error, headers=parse.HEADERS,
                           limit_mb=current_app.config["ROSTER_MAX_BYTES"] // 2 ** 20,
                           card_digits=parse.CARD_DIGITS), status


@bp.route("/", methods=["GET", "POST"])
@requires(REVIEWERS)
def upload():
    if request.method == "GET":
        return _form()
    file = request.files.get("file")
    if file is None or not file.filename:
        return _form(_("Choose the roster file (.csv or .xlsx)."), 400)
    content = file.read(current_app.config["ROSTER_MAX_BYTES"] + 1)
    if len(content) > current_app.config["ROSTER_MAX_BYTES"]:
        return _form(_("The file is larger than %(n)s MB: split it into several files.",
                       n=current_app.config["ROSTER_MAX_BYTES"] // 2 ** 20), 413)
    try:
        job = operations.start_check(current_user, without_unstorable(file.filename)[0], content)
    except DomainError as refused:
        return _form(str(refused), 400)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/<int:upload_id>/import", methods=["POST"])
@requires(REVIEWERS)
def start_import(upload_id: int):
    upload = operations.visible_upload(current_user, upload_id)
    if upload is None:
        abort(404)
    try:
        job = operations.start_import(current_user, upload)
    except DomainError as refused:
        flash(str(refused), "error")
        return redirect(url_for("jobs.show", job_id=upload.check_job_id)), 303
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/<int:upload_id>/report.csv")
@requires(REVIEWERS)
def report_csv(upload_id: int):
    """The dry run's every row: what it would do, and why a row is refused."""
    upload = operations.checked_upload(current_user, upload_id)
    if upload is None:
        abort(404)
    packed = operations.full_report(upload)
    if packed is None:
        flash(_("The check of this file has not finished yet.") if check_result(upload) is None else
              _("The full report of this check is no longer kept (it goes once the file is imported)."),
              "error")
        return redirect(url_for("jobs.show", job_id=upload.check_job_id))
    stem = upload.filename.rsplit(".", 1)[0] or "roster"
    return csv_response(report.rows(packed), _("%(name)s - check results", name=stem) + ".csv")


@bp.route("/roster-sample.csv")
@requires(REVIEWERS)
def sample_csv():
    return _sample("csv")


@bp.route("/roster-sample.xlsx")
@requires(REVIEWERS)
def sample_xlsx():
    return _sample("xlsx")


def _sample(fmt: str):
    name, mimetype = SAMPLES[fmt]
    return send_file(PROJECT_ROOT / "docs" / name, mimetype=mimetype, as_attachment=True, download_name=name)
