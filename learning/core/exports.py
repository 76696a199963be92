"""Files people download and open in a spreadsheet: a CSV that Excel reads
as UTF-8 (a byte-order mark first, or Vietnamese comes out garbled), sent as
it is written, and cells that a spreadsheet shows and never runs.

A cell whose text starts with = + - @, a tab or a carriage return is taken
by Excel, LibreOffice and Google Sheets as a formula (CSV injection: a name
"=HYPERLINK(...)" in a roster becomes a link, or worse, in the reviewer's
spreadsheet): it gets a leading apostrophe, which spreadsheets hide and
which a reader sees as the text it was."""
from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import quote

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ROWS_PER_CHUNK = 1000


def safe_cell(value: Any) -> str:
    """A value as an exported cell's text, never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV of these rows (the first is the header), every cell made safe:
    UTF-8 with a byte-order mark, in chunks of ROWS_PER_CHUNK rows."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """A CSV download, written while it is sent (a province's 150,000 rows
    are never all in memory as text); the rows may be translated lazily, in
    the request's language."""
    response = Response(stream_with_context(csv_chunks(rows)), mimetype="text/csv")
    response.headers.set("Content-Disposition", "attachment", **_filename(filename))
    return response


def _filename(name: str) -> dict[str, str]:
    """Content-Disposition's names, as Flask's send_file gives them: ASCII,
    and the whole name in UTF-8 (RFC 5987) when it has other letters."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        return {"filename": simple.encode("ascii", "ignore").decode("ascii"),
                "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}
    return {"filename": name}
