"""An uploaded roster file, kept in the database until it is imported (or
for UPLOAD_KEPT_FOR), so that the worker reads it wherever it runs; with it,
its dry run's outcome for every row, for the report a reviewer downloads."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from learning.core.db import Base, utcnow

UPLOAD_KEPT_FOR = timedelta(days=2)


class RosterUpload(Base):
    __tablename__ = "roster_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int]
    # The file itself; emptied once imported (the audit log keeps what changed).
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The dry run's every row, compressed (roster/report.py: pack): the job's
    # result lists 500 of each kind; this holds the rest, read only by the
    # download. Emptied with the file.
    report: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    check_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    imported_at: Mapped[datetime | None]
