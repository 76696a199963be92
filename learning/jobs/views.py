"""A job's page (progress, then its result or its error) and the list of
one's recent jobs. Pages refresh themselves while a job runs (a meta
refresh: no script needed)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.core import db
from learning.core.permissions import SIGNED_IN, requires
from learning.jobs import queue
from learning.jobs.access import can_see_job, recent_jobs
from learning.jobs.kinds import kind_of, label_of, step_label
from learning.jobs.models import Job

bp = Blueprint("jobs", __name__)

REFRESH_SECONDS = 2


def _visible_job(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not can_see_job(current_user, job):
        abort(404)
    return job


@bp.route("/")
@requires(SIGNED_IN)
def index():
    return render_template("jobs/index.html", jobs=db.session.scalars(recent_jobs(current_user)).all(),
                           label_of=label_of)


@bp.route("/<int:job_id>")
@requires(SIGNED_IN)
def show(job_id: int):
    job = _visible_job(job_id)
    kind = kind_of(job.kind)
    return render_template("jobs/show.html", job=job, label=label_of(job.kind),
                           step=step_label(job.kind, job.message) if job.message else "",
                           result_template=kind.result_template if kind else "",
                           refresh=REFRESH_SECONDS if job.unfinished else None,
                           may_run_again=queue.is_stale(job))


@bp.route("/<int:job_id>/again", methods=["POST"])
@requires(SIGNED_IN)
def again(job_id: int):
    job = _visible_job(job_id)
    if queue.run_again(job):
        flash(_("The job will run again."), "success")
    else:
        flash(_("This job is still running: it cannot be started again now."), "info")
    return redirect(url_for("jobs.show", job_id=job.id))
