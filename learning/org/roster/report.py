"""A dry run's whole report, every row of the file: kept compact by the job
(one JSON line per row, in codes, gzip: a province's 150,000 rows are a
megabyte or two), and read back as a spreadsheet's rows in the reader's
language, with the page's own words for each reason and change."""
from __future__ import annotations

import gzip
import io
import json
from typing import Any, Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from learning.org.roster import messages

OUTCOMES = {"created": _l("To create"), "updated": _l("To update"), "unchanged": _l("Unchanged"),
            "refused": _l("Refused")}
LINES_PER_WRITE = 1000


class Packer:
    """Rows' entries (jobs.entry) added in the file's order, compressed as they come."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._gzip = gzip.GzipFile(fileobj=self._out, mode="wb", compresslevel=6, mtime=0)
        self._lines: list[str] = []

    def add(self, status: str, entry: dict[str, Any]) -> None:
        self._lines.append(json.dumps([status, entry], ensure_ascii=False, separators=(",", ":")))
        if len(self._lines) >= LINES_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        if self._lines:
            self._gzip.write(("\n".join(self._lines) + "\n").encode("utf-8"))
            self._lines = []

    def packed(self) -> bytes:
        self._flush()
        self._gzip.close()
        return self._out.getvalue()


def unpack(packed: bytes) -> Iterator[tuple[str, dict[str, Any]]]:
    with gzip.GzipFile(fileobj=io.BytesIO(packed), mode="rb") as lines:
        for line in lines:
            if line.strip():
                status, entry = json.loads(line)
                yield status, entry


def header() -> list[str]:
    return [_("Row"), _("Outcome"), messages.field_label("full_name"), messages.field_label("party_card_number"),
            messages.field_label("cell_code"), _("Reasons"), _("Changes")]


def rows(packed: bytes) -> Iterator[list[Any]]:
    """The header, then one row per row of the file, in words."""
    yield header()
    outcomes = {status: str(label) for status, label in OUTCOMES.items()}
    for status, entry in unpack(packed):
        reasons = "; ".join(messages.problem_text(problem) for problem in entry.get("problems", ()))
        changes = "; ".join(
            f"{messages.field_label(name)}: {messages.value_text(name, before)} → {messages.value_text(name, after)}"
            for name, before, after in entry.get("changes", ()))
        yield [entry["row"], outcomes.get(status, status), entry.get("name", ""), entry.get("card", ""),
               entry.get("cell", ""), reasons, changes]
