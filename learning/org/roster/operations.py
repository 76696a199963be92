"""Starting a roster's dry run and its import (the jobs do the work)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from learning.core import db
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.jobs import queue
from learning.jobs.access import can_see_job
from learning.jobs.models import Job, JobStatus
from learning.org.roster import parse
from learning.org.roster.jobs import RosterCheck, RosterImport, check_result
from learning.org.roster.models import UPLOAD_KEPT_FOR, RosterUpload


def start_check(user, filename: str, content: bytes) -> Job:
    """Keep the file and start its dry run; old files nobody imported are forgotten."""
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if parse.file_format(filename) is None:
        raise DomainError(_("Choose a .csv or .xlsx file."))
    if not content:
        raise DomainError(_("The file is empty."))
    db.session.execute(delete(RosterUpload).where(RosterUpload.created_at < utcnow() - UPLOAD_KEPT_FOR,
                                                  RosterUpload.imported_at.is_(None)))
    upload = RosterUpload(filename=filename, size=len(content), content=content, created_by_id=user.id)
    db.session.add(upload)
    db.session.flush()
    job = queue.enqueue(RosterCheck.code, {"upload_id": upload.id}, user)
    upload.check_job_id = job.id
    db.session.flush()
    return job


def visible_upload(user, upload_id: int) -> RosterUpload | None:
    """Only the person who uploaded a file may import it."""
    upload = db.session.get(RosterUpload, upload_id)
    return upload if upload is not None and upload.created_by_id == user.id else None


def checked_upload(user, upload_id: int) -> RosterUpload | None:
    """A file whose dry run this person may see: the dry run's page's own
    rule (whoever started it, and admins)."""
    upload = db.session.get(RosterUpload, upload_id)
    if upload is None or upload.check_job_id is None:
        return None
    job = db.session.get(Job, upload.check_job_id)
    return upload if job is not None and can_see_job(user, job) else None


def full_report(upload: RosterUpload) -> bytes | None:
    """The dry run's every row (report.unpack), while the file is kept."""
    return db.session.scalar(select(RosterUpload.report).where(RosterUpload.id == upload.id))


def report_kept(upload_id: int) -> bool:
    return db.session.scalar(select(RosterUpload.id).where(
        RosterUpload.id == upload_id, RosterUpload.report.is_not(None))) is not None


def start_import(user, upload: RosterUpload) -> Job:
    """The import of a file whose dry run refused nothing. Asked twice (a
    double tap), it gives the same job."""
    if upload.import_job_id is not None:
        job = db.session.get(Job, upload.import_job_id)
        if job is not None and job.status != JobStatus.FAILED:
            return job
    result = check_result(upload)
    if result is None:
        raise DomainError(_("The check of this file has not finished yet."))
    if result["file_problems"] or result["counts"]["refused"]:
        raise DomainError(_("Some rows are refused: correct the file and upload it again. Nothing was imported."))
    if upload.content is None:
        raise DomainError(_("The uploaded file is no longer kept: upload it again."))
    job = queue.enqueue(RosterImport.code, {"upload_id": upload.id}, user)
    upload.import_job_id = job.id
    db.session.flush()
    return job
