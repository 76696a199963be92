"""The evaluation's background job: computing a period's results
(compute.compute) for the whole tree. Safe to run again: it replaces what
it computed, and keeps the decisions."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from learning.core import db
from learning.core.errors import DomainError
from learning.evaluation.compute import compute
from learning.evaluation.models import Period
from learning.jobs.kinds import JobKind, JobRun, register
from learning.org.models import User


@register
class EvaluationCompute(JobKind):
    code = "evaluation.compute"
    label = _l("Computing the evaluation's results")
    result_template = "evaluation/_computed.html"
    steps = {"reading": _l("Reading what members did"), "writing": _l("Scoring and writing the results")}

    def run(self, params: dict[str, Any], job: JobRun) -> dict[str, Any]:
        period = db.session.get(Period, int(params["period_id"]))
        if period is None:
            raise DomainError(_l("This evaluation period no longer exists."))
        actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
        counts = compute(period, actor, progress=lambda done, total, step: job.progress(done, total or None, step),
                         before_writing=job.writing)
        return {"period_id": period.id, **counts}
