"""The roster's two background jobs: the dry run (what the import would do,
row by row, writing nothing but its report) and the import (the same check
again, then all of it or nothing). Both read the uploaded file from the
database. Running either again is safe: the dry run writes only its report,
and the import matches members by card number, so rows already imported
come out unchanged."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.jobs.kinds import JobKind, JobRun, register
from learning.jobs.models import Job, JobStatus
from learning.org.models import User
from learning.org.roster import apply as applying
from learning.org.roster import parse
from learning.org.roster.models import RosterUpload
from learning.org.roster.plan import Outcome, plan, shown, units_of
from learning.org.roster.report import Packer

# How many rows of each outcome a report lists (the counts are always whole).
LISTED = 500

STEPS = {"reading": _l("Reading the file"), "checking": _l("Checking the rows"),
         "writing": _l("Writing the members")}


def _upload(params: dict[str, Any]) -> RosterUpload:
    upload = db.session.get(RosterUpload, params["upload_id"])
    if upload is None or upload.content is None:
        raise DomainError(_l("The uploaded file is no longer kept: upload it again."))
    return upload


def _check(upload: RosterUpload, job: JobRun):
    importer = db.session.get(User, upload.created_by_id)
    job.progress(0, None, "reading")
    table = parse.read_table(upload.content, upload.filename, vietnam_today(),
                             progress=lambda n: job.progress(n, None, "reading"))
    total = len(table.rows)
    job.progress(0, total, "checking")
    outcomes = plan(importer, table.rows, progress=lambda n: job.progress(n, total, "checking"))
    job.progress(total, total, "checking")
    return importer, table, outcomes


def _unit_code(outcome: Outcome, value):
    return outcome.unit.code if outcome.unit and outcome.unit.id == value else value


def entry(outcome: Outcome, units: dict) -> dict[str, Any]:
    """One row as a report keeps it: its number, name and card as the file
    says, its cell, and why it is refused or what would change."""
    row = outcome.row
    result: dict[str, Any] = {"row": row.number, "name": row.name, "card": row.card,
                              "cell": outcome.unit.code if outcome.unit else row.cell_code}
    if outcome.status == "refused":
        result["problems"] = [problem.as_dict() for problem in row.problems]
    elif outcome.status == "updated":
        result["changes"] = [[name, shown(_code(units, name, before)), shown(_code(units, name, after))]
                             for name, (before, after) in outcome.changes.items()]
    return result


def report(upload: RosterUpload, table: parse.Table, outcomes: list[Outcome], units: dict,
           every_row: Packer | None = None) -> dict[str, Any]:
    """The job's result: counts, then the rows of each outcome (LISTED at
    most); every row goes to every_row, when given."""
    counts = {status: 0 for status in ("created", "updated", "unchanged", "refused")}
    listed: dict[str, list] = {status: [] for status in counts}
    for outcome in outcomes:
        counts[outcome.status] += 1
        listing = len(listed[outcome.status]) < LISTED
        if not listing and every_row is None:
            continue
        row_entry = entry(outcome, units)
        if listing:
            listed[outcome.status].append(row_entry)
        if every_row is not None:
            every_row.add(outcome.status, row_entry)
    return {"upload_id": upload.id, "file": upload.filename, "rows": len(outcomes), "blank_rows": table.blank_rows,
            "ignored_columns": table.ignored_columns,
            "file_problems": [problem.as_dict() for problem in table.problems],
            "counts": counts, "listed": listed, "listed_at_most": LISTED, "imported": False}


def _code(units: dict, name: str, value):
    if name == "unit_id" and value in units:
        return units[value].code or units[value].name
    return value


def _all_units(importer) -> dict:
    return units_of(importer)[1]


@register
class RosterCheck(JobKind):
    code = "roster.check"
    label = _l("Roster check (dry run)")
    result_template = "org/roster/_report.html"
    steps = STEPS

    def run(self, params: dict[str, Any], job: JobRun) -> dict[str, Any]:
        upload = _upload(params)
        importer, table, outcomes = _check(upload, job)
        every_row = Packer()
        result = report(upload, table, outcomes, _all_units(importer), every_row)
        job.writing()  # the whole report, kept beside the file for its download
        db.session.execute(update(RosterUpload).where(RosterUpload.id == upload.id).values(
            report=every_row.packed() if outcomes else None))
        return result


@register
class RosterImport(JobKind):
    code = "roster.import"
    label = _l("Roster import")
    result_template = "org/roster/_report.html"
    steps = STEPS

    def run(self, params: dict[str, Any], job: JobRun) -> dict[str, Any]:
        upload = _upload(params)
        if upload.imported_at is not None:
            raise DomainError(_l("This file was already imported."))
        importer, table, outcomes = _check(upload, job)
        units = _all_units(importer)
        result = report(upload, table, outcomes, units)
        if table.problems or result["counts"]["refused"]:
            return result  # all or nothing: nothing
        writes = result["counts"]["created"] + result["counts"]["updated"]
        job.writing()
        job.progress(0, writes, "writing")
        # The first write: on SQLite it takes the write lock that apply's new ids rely on.
        db.session.execute(update(RosterUpload).where(RosterUpload.id == upload.id).values(
            imported_at=utcnow(), content=None, report=None))
        applying.apply(outcomes, importer, units, upload.filename, upload.id,
                       progress=lambda n: job.progress(n, writes, "writing"))
        result["imported"] = True
        return result


def check_result(upload: RosterUpload) -> dict[str, Any] | None:
    """The dry run's result, once it is done."""
    if upload.check_job_id is None:
        return None
    return db.session.scalar(select(Job.result).where(Job.id == upload.check_job_id,
                                                      Job.status == JobStatus.DONE))
