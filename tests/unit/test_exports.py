"""Exported cells a spreadsheet shows and never runs; a CSV Excel reads as UTF-8."""
import csv
import io

import pytest

from learning.core.exports import csv_chunks, safe_cell


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ("+84 912", "'+84 912"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("Nguyễn Văn An", "Nguyễn Văn An"), ("a=1", "a=1"), ("", ""), (None, ""), (12, "12"), (-3, "'-3"),
    ("'=already", "'=already"),
])
def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(value, shown):
    assert safe_cell(value) == shown


def test_the_csv_starts_with_a_byte_order_mark_and_keeps_every_row_across_chunks():
    rows = [["Dòng", "Họ và tên"]] + [[n, f"=Tên {n}" if n % 2 else f"Tên {n}"] for n in range(2500)]
    chunks = list(csv_chunks(rows))
    assert len(chunks) == 3 and chunks[0].startswith("\ufeff".encode()) and not chunks[1].startswith(b"\xef")
    read = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))
    assert read[0] == ["Dòng", "Họ và tên"] and len(read) == 2501
    assert read[2] == ["1", "'=Tên 1"] and read[2501 - 1] == ["2499", "'=Tên 2499"]


def test_an_xlsx_keeps_numbers_as_numbers_and_text_that_looks_like_a_formula_as_text():
    from openpyxl import load_workbook

    from learning.core.exports import write_xlsx
    file = io.BytesIO()
    write_xlsx([["Họ và tên", "Điểm"], ["=cmd|' /C calc'!A0", -3], ["Lê\x01 Thị\x0b Bình", 72.5], [None, 0]],
               file, "Kết quả: 2026/[A]", widths=[30, 8])
    book = load_workbook(io.BytesIO(file.getvalue()))
    sheet = book.active
    assert sheet.title == "Kết quả  2026  A "  # Excel refuses : / [ ] in a sheet's name
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Họ và tên", "Điểm"], ["'=cmd|' /C calc'!A0", -3], ["Lê Thị Bình", 72.5], [None, 0]]
    assert sheet["A2"].data_type == "s" and sheet["B2"].data_type == "n"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.column_dimensions["A"].width == 30 and sheet.freeze_panes == "A2"
