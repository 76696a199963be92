"""One row per background job: what it is, how far it got, what it gave.

The worker writes progress (done / total) in short transactions of its own,
so the job's page shows them while the work itself runs in one transaction
that commits with the job's final state (learning/jobs/queue.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learning.core.db import Base, utcnow
from learning.core.enums import LabelledEnum


class JobStatus(LabelledEnum):
    QUEUED = "queued", _l("waiting to start")
    RUNNING = "running", _l("running")
    DONE = "done", _l("done")
    FAILED = "failed", _l("failed")


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # a code of learning.jobs.kinds.KINDS
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    message: Mapped[str] = mapped_column(String(200), default="")  # a short step name, set by the kind
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # Last sign of life from the worker (claim or progress): a running job
    # silent for long has lost its worker and may be run again.
    updated_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)

    @property
    def status_label(self) -> str:
        return JobStatus.label_of(self.status)

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
