"""Files people download and open in a spreadsheet: a CSV that Excel reads
as UTF-8 (a byte-order mark first, or Vietnamese comes out garbled), sent as
it is written, and cells that a spreadsheet shows and never runs.

A cell whose text starts with = + - @, a tab or a carriage return is taken
by Excel, LibreOffice and Google Sheets as a formula (CSV injection: a name
"=HYPERLINK(...)" in a roster becomes a link, or worse, in the reviewer's
spreadsheet): it gets a leading apostrophe, which spreadsheets hide and
which a reader sees as the text it was.

An XLSX is written row by row into a temporary file (openpyxl's write-only
mode keeps no sheet in memory), then sent from the file: a province's
150,000 rows never sit in memory as cells."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from typing import IO, Any, Iterable, Iterator, Sequence
from urllib.parse import quote

from flask import Response, request, stream_with_context
from werkzeug.wsgi import wrap_file

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ROWS_PER_CHUNK = 1000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_CHUNK = 64 * 1024  # bytes sent at a time from the XLSX's temporary file
SHEET_TITLE_UNFIT = re.compile(r"[\\/*?:\[\]]")  # what Excel refuses in a sheet's name (at most 31 letters)


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


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: numbers stay numbers, anything else is text
    made safe (openpyxl stores a string starting with "=" as a formula) and
    rid of the control characters XML cannot hold (openpyxl would refuse
    the row, and the whole download with it)."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_xlsx(rows: Iterable[Sequence[Any]], file: IO[bytes], sheet_title: str,
               widths: Sequence[float] | None = None) -> None:
    """These rows (the first is the header, in bold and kept in view when
    scrolling) as one sheet of an XLSX written into `file`."""
    from openpyxl import Workbook  # imported when first used: start-up stays light
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE_UNFIT.sub(" ", sheet_title)[:31] or "Sheet")
    rows = iter(rows)
    header = [xlsx_cell(value) for value in next(rows, [])]
    for column, width in enumerate(widths or [max(10, len(str(h or "")) + 2) for h in header], 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_bold_cell(sheet, value, bold) for value in header])
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    book.save(file)


def _bold_cell(sheet, value: Any, font):
    from openpyxl.cell import WriteOnlyCell
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def xlsx_response(rows: Iterable[Sequence[Any]], filename: str, sheet_title: str,
                  widths: Sequence[float] | None = None) -> Response:
    """An XLSX download of these rows (see write_xlsx): written into a
    temporary file first (a ZIP is whole only at its end), then sent from it
    in chunks; the file is deleted when the sending closes it."""
    file = tempfile.TemporaryFile()
    try:
        write_xlsx(rows, file, sheet_title, widths)
        size = file.seek(0, os.SEEK_END)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = Response(wrap_file(request.environ, file, FILE_CHUNK), mimetype=XLSX_MIMETYPE,
                        direct_passthrough=True)
    response.content_length = size
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
