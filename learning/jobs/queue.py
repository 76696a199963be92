"""Sending jobs to Huey, and running them in the worker.

`enqueue` adds the job's row in the request's transaction and sends the Huey
task only once that transaction commits (a session `after_commit` hook), so
the worker always finds the row; a rolled-back request sends nothing. Should
the send itself fail after the commit (the queue unreachable), the job stays
"waiting" and its page offers to start it again.

The queue: SQLite in the instance folder by default (instance/jobs.sqlite3:
no server to run), `JOBS_URL=redis://127.0.0.1:6379/0` in production (one
Redis shared by every process), and immediate mode in TESTING, where a job
runs inline as soon as the request commits.

The worker (learning/worker.py, `huey_consumer learning.worker.huey`) runs
each job in an app context of its own: it claims the row (committed: the page
shows "running"), reports progress through a connection of its own (each
report commits at once), and commits the kind's writes together with the
job's final state. A job that raised is marked failed with nothing of its
work kept; a job whose worker died stays "running" without sign of life and
may be claimed again after STALE_AFTER. Like a CLI command's
one_transaction, the runner ends its transactions through core.db
(commit_request / rollback_request): nothing else commits."""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from learning.core import db
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.jobs.kinds import KINDS
from learning.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

# A running job that gave no sign of life for this long lost its worker.
STALE_AFTER = timedelta(minutes=10)
# Progress is written at most this often (seconds), and always at the end.
PROGRESS_EVERY = 0.5
_PENDING = "jobs_to_send"


class JobNotVisible(Exception):
    """The worker does not see the job's row (yet): Huey tries again shortly."""


def make_huey(app: Flask):
    url = app.config.get("JOBS_URL") or ""
    if app.config.get("TESTING") or url == "memory://":
        return MemoryHuey("hoctap", immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("hoctap", url=url)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
    elif not url:
        path = Path(app.instance_path) / "jobs.sqlite3"
    else:
        raise RuntimeError(f"JOBS_URL must be redis://..., sqlite:///path or memory://, not {url!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("hoctap", filename=str(path))


def init_app(app: Flask) -> None:
    huey = make_huey(app)

    def run_job(job_id: int) -> None:
        run(app, job_id)

    # Retries cover a row not yet visible and a database briefly away; a
    # kind's own failure is recorded on the job and not retried.
    app.extensions["jobs_task"] = huey.task(retries=5, retry_delay=2, name="jobs.run")(run_job)
    app.extensions["huey"] = huey


def enqueue(kind: str, params: dict[str, Any], user) -> Job:
    """A new job, sent to the worker when the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, status=JobStatus.QUEUED, created_by_id=getattr(user, "id", None))
    db.session.add(job)
    db.session.flush()
    _send_after_commit(job.id)
    return job


def is_stale(job: Job) -> bool:
    if job.status == JobStatus.FAILED:
        return True
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        last = job.updated_at or job.created_at
        return last is not None and utcnow() - last > STALE_AFTER
    return False


def run_again(job: Job) -> bool:
    """Queue a failed job, or one that lost its worker, once more; False if
    it is neither (or someone else just did)."""
    if not is_stale(job):
        return False
    result = db.session.execute(update(Job).where(Job.id == job.id, Job.status == job.status).values(
        status=JobStatus.QUEUED, error=None, updated_at=utcnow(), done=0))
    if result.rowcount:
        _send_after_commit(job.id)
    return bool(result.rowcount)


def _send_after_commit(job_id: int) -> None:
    db.session.info.setdefault(_PENDING, []).append((current_app.extensions["jobs_task"], job_id))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    for task, job_id in session.info.pop(_PENDING, []):
        try:
            task(job_id)
        except Exception:  # noqa: BLE001 - the job stays queued; its page offers to start it again
            log.exception("could not send job %s to the queue", job_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


# -- the worker's side --------------------------------------------------------

class _Run:
    """What a running kind gets (learning.jobs.kinds.JobRun)."""

    def __init__(self, app: Flask, job: Job):
        self.job_id, self.created_by_id = job.id, job.created_by_id
        self._engine = app.extensions["db_autocommit_engine"]
        self._sqlite = self._engine.dialect.name == "sqlite"
        self._last = 0.0
        self.wrote = False
        self._held = False

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        now = time.monotonic()
        if (now - self._last < PROGRESS_EVERY and done != total) or self._held:
            return
        self._last = now
        values: dict[str, Any] = {"done": done, "updated_at": utcnow()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        with self._engine.connect() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id).values(**values))

    def writing(self) -> None:
        """End the reading transaction (on SQLite a reader that saw another
        connection's commit may not write), and from here on keep progress
        off SQLite, which has one writer: the kind's transaction."""
        db.commit_request()
        self.wrote = True
        self._held = self._sqlite


def run(app: Flask, job_id: int) -> None:
    with app.app_context():
        job = _claim(job_id)
        if job is None:
            return
        kind = KINDS.get(job.kind)
        job_run = _Run(app, job)
        try:
            if kind is None:
                raise RuntimeError(f"unknown job kind {job.kind!r}")
            result = kind().run(dict(job.params or {}), job_run)
            if not job_run.wrote:
                db.commit_request()  # the reading transaction ends before the job's row is written
            db.session.execute(update(Job).where(Job.id == job_id).values(
                status=JobStatus.DONE, result=result, finished_at=utcnow(), updated_at=utcnow(),
                error=None, done=_final_done(job_id)))
            db.commit_request()
        except Exception as error:  # noqa: BLE001 - recorded on the job, shown on its page
            db.rollback_request()
            log.exception("job %s (%s) failed", job_id, job.kind)
            message = str(error) if isinstance(error, DomainError) else f"{type(error).__name__}: {error}"
            db.session.execute(update(Job).where(Job.id == job_id).values(
                status=JobStatus.FAILED, error=message[:2000], finished_at=utcnow(), updated_at=utcnow()))
            db.commit_request()


def _final_done(job_id: int) -> int:
    """A finished job's bar is full: done = total when the kind gave a total."""
    done, total = db.session.execute(select(Job.done, Job.total).where(Job.id == job_id)).one()
    return total if total else done


def _claim(job_id: int) -> Job | None:
    """Mark the job running, once: a queued job, or a running one that lost
    its worker. None if it is done, failed or someone else's to run."""
    now = utcnow()
    claimed = db.session.execute(update(Job).where(Job.id == job_id, or_(
        Job.status == JobStatus.QUEUED,
        (Job.status == JobStatus.RUNNING) & (Job.updated_at < now - STALE_AFTER),
    )).values(status=JobStatus.RUNNING, started_at=now, updated_at=now, attempts=Job.attempts + 1, done=0))
    db.commit_request()
    job = db.session.get(Job, job_id)
    if job is None:
        raise JobNotVisible(job_id)
    return job if claimed.rowcount else None
