"""Reading a roster: every value normalised, or refused with its reason (pure)."""
from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from learning.org.roster import parse
from learning.org.roster.parse import Refused, parse_card, parse_date, parse_phone, read_table

TODAY = date(2026, 12, 1)
HEADER_VI = "Họ và tên,Số thẻ đảng viên,Ngày sinh,Giới tính,Mã chi bộ,Điện thoại,Trạng thái,Ngày vào Đảng"
HEADER_EN = "Full name,Party card number,Date of birth,Gender,Cell code,Phone,Status,Admission date"


def _code(call, *args) -> str:
    with pytest.raises(Refused) as refused:
        call(*args)
    return refused.value.code


def _csv(*lines: str, header: str = HEADER_VI) -> parse.Table:
    return read_table(("\n".join([header, *lines]) + "\n").encode(), "roster.csv", TODAY)


# -- dates -------------------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("03/04/1980", date(1980, 4, 3)), ("3/4/1980", date(1980, 4, 3)), ("03.04.1980", date(1980, 4, 3)),
    ("03-04-1980", date(1980, 4, 3)), ("1980-04-03", date(1980, 4, 3)), (" 1980-04-03 00:00:00 ", date(1980, 4, 3)),
    ("29/02/1980", date(1980, 2, 29)),
])
def test_dates_are_read_day_first_or_iso(text, day):
    assert parse_date(text, TODAY) == day


def test_real_date_cells_are_taken_as_they_are():
    assert parse_date(datetime(1980, 4, 3), TODAY) == date(1980, 4, 3)
    assert parse_date(date(1980, 4, 3), TODAY) == date(1980, 4, 3)


@pytest.mark.parametrize("value, code", [
    ("03/04/80", "date_ambiguous"), ("3/4/080", "date_ambiguous"), ("1980/04/03", "date_format"),
    ("April 3, 1980", "date_format"), ("03/04", "date_format"), (29314, "date_number"), (29314.0, "date_number"),
    ("31/02/1980", "date_impossible"), ("04/23/1980", "date_impossible"), ("00/01/1980", "date_impossible"),
    ("01/01/1899", "date_impossible"), ("02/12/2026", "date_impossible"), (datetime(1980, 4, 3, 10, 30), "date_with_time"),
    ("03/04-1980", "date_format"),
])
def test_ambiguous_or_impossible_dates_are_refused(value, code):
    assert _code(parse_date, value, TODAY) == code


def test_a_blank_date_is_no_date():
    assert parse_date("", TODAY) is None and parse_date(None, TODAY) is None and parse_date("  ", TODAY) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_every_real_day_reads_back_in_both_forms(day):
    assert parse_date(day.strftime("%d/%m/%Y"), TODAY) == day
    assert parse_date(day.isoformat(), TODAY) == day


# -- phones --------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0912345678", "+84912345678", "+84 912 345 678", "84912345678",
                                   "0912.345.678", "0912-345-678", "(091) 234 5678", 912345678, 912345678.0])
def test_phones_become_ten_digits_starting_with_0(value):
    assert parse_phone(value) == "0912345678"


@pytest.mark.parametrize("value", ["091234567", "09123456789", "0212345678", "+1 202 555 0100", "0912abc678",
                                   "912345678", "+840912345678", "0012345678", "０９１２３４５６７８"])
def test_phones_that_are_not_vietnamese_mobiles_are_refused(value):
    assert _code(parse_phone, value) == "phone_invalid"


@given(st.sampled_from("35789"), st.text("0123456789", min_size=8, max_size=8), st.sampled_from(["0", "+84", "84"]),
       st.sampled_from(["", " ", "."]))
def test_any_mobile_in_any_writing_reads_the_same(second, rest, prefix, separator):
    number = second + rest
    written = prefix + separator.join([number[:3], number[3:6], number[6:]])
    assert parse_phone(written) == "0" + number


# -- cards, names, genders, statuses ----------------------------------------------------

def test_card_numbers_are_digits_of_a_plausible_length():
    assert parse_card(" 79 010 001 ") == "79010001" and parse_card(79010001) == "79010001"
    assert parse_card("123456") == "123456" and parse_card("123456789012") == "123456789012"
    assert _code(parse_card, "12345") == "card_length"
    assert _code(parse_card, "1234567890123") == "card_length"
    assert _code(parse_card, "79A10001") == "card_digits"
    assert _code(parse_card, "٧٩٠١٠٠٠١") == "card_digits"
    assert _code(parse_card, "") == "missing"


def test_names_are_tidied_and_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị   Hà ")
    assert parse.parse_name("  " + decomposed) == "Nguyễn Thị Hà"
    assert unicodedata.is_normalized("NFC", parse.parse_name(decomposed))
    assert _code(parse.parse_name, "   ") == "missing"


@pytest.mark.parametrize("value, gender", [("Nam", "male"), ("nữ", "female"), ("NỮ", "female"), ("Male", "male"),
                                           ("F", "female"), ("", None)])
def test_genders(value, gender):
    assert parse.parse_gender(value) == gender


@pytest.mark.parametrize("value, status", [("Chính thức", ("full", False)), ("dự bị", ("probationary", False)),
                                           ("Miễn sinh hoạt", ("full", True)), ("probationary", ("probationary", False)),
                                           ("EXEMPT", ("full", True)), ("full", ("full", False))])
def test_statuses(value, status):
    assert parse.parse_status(value) == status


def test_unknown_gender_and_status_are_refused():
    assert _code(parse.parse_gender, "khác") == "gender_unknown"
    assert _code(parse.parse_status, "đã chuyển") == "status_unknown"
    assert _code(parse.parse_status, "") == "missing"


# -- rows and files ------------------------------------------------------------------------

def test_a_csv_with_vietnamese_headers_reads_every_field():
    table = _csv("Nguyễn Văn An,79010001,03/04/1980,Nam,CB01,+84 912 345 678,Chính thức,1/5/2005")
    [row] = table.rows
    assert row.problems == [] and row.number == 2
    member = row.member
    assert (member.full_name, member.party_card_number, member.birth_date, member.gender, member.cell_code,
            member.phone, member.membership, member.exempt, member.admitted_on) == (
        "Nguyễn Văn An", "79010001", date(1980, 4, 3), "male", "CB01", "0912345678", "full", False, date(2005, 5, 1))


def test_english_headers_any_order_semicolons_a_bom_and_ignored_columns():
    text = "\ufeffSTT;Cell code;Full name;Status;Party card number\n1;cb01;Lê Thị Bình;dự bị;79010002\n"
    table = read_table(text.encode(), "x.csv", TODAY)
    assert table.ignored_columns == ["STT"]
    [row] = table.rows
    assert (row.member.full_name, row.member.cell_code, row.member.membership) == ("Lê Thị Bình", "cb01",
                                                                                   "probationary")


def test_blank_rows_are_skipped_and_counted():
    table = _csv("Nguyễn Văn An,79010001,,,CB01,,Chính thức,", ",,,,,,,", "", "Lê Văn Bình,79010002,,,CB01,,dự bị,")
    assert [row.number for row in table.rows] == [2, 5] and table.blank_rows == 2


def test_a_row_lists_every_problem_it_has():
    [row] = _csv(" ,12A,31/02/1980,khác,,0123,?,01/01/1920").rows
    assert row.member is None
    assert {(p.field, p.code) for p in row.problems} == {
        ("full_name", "missing"), ("party_card_number", "card_digits"), ("birth_date", "date_impossible"),
        ("gender", "gender_unknown"), ("cell_code", "missing"), ("phone", "phone_invalid"),
        ("status", "status_unknown"), ("admitted_on", "admitted_before_founding")}


def test_admission_before_eighteen_is_impossible():
    [row] = _csv("Nguyễn Văn An,79010001,03/04/1990,Nam,CB01,,Chính thức,02/04/2008").rows
    assert [p.code for p in row.problems] == ["admitted_under_18"]
    [row] = _csv("Nguyễn Văn An,79010001,03/04/1990,Nam,CB01,,Chính thức,03/04/2008").rows
    assert row.problems == []


def test_repeated_cards_and_phones_refuse_the_later_rows():
    table = _csv("A An,79010001,,,CB01,0912345678,Chính thức,", "B Bình,79010001,,,CB01,,Chính thức,",
                 "C Chi,79010003,,,CB01,+84912345678,Chính thức,")
    first, second, third = table.rows
    assert first.member is not None and first.problems == []
    assert [(p.code, p.other_row) for p in second.problems] == [("card_repeated", 2)]
    assert [(p.code, p.other_row) for p in third.problems] == [("phone_repeated", 2)]


@pytest.mark.parametrize("data, name, code", [
    (b"a,b\n", "roster.txt", "file_format"),
    ("Họ và tên,Số thẻ\n".encode("utf-16"), "r.csv", "file_encoding"),
    ("Ngày sinh,Tên\n".encode("cp1258"), "r.csv", "file_encoding"),
    (b"\n\n", "r.csv", "file_no_header"),
    ("Họ và tên,Mã chi bộ\nA,B\n".encode(), "r.csv", "file_missing_columns"),
    ("Họ và tên,Họ tên,Số thẻ,Mã chi bộ,Trạng thái\n".encode(), "r.csv", "file_column_twice"),
    (b"PK\x03\x04 not really a zip", "r.xlsx", "file_unreadable"),
])
def test_files_that_cannot_be_read_say_why(data, name, code):
    table = read_table(data, name, TODAY)
    assert [p.code for p in table.problems] == [code] and table.rows == []


def test_missing_columns_are_named():
    [problem] = read_table("Họ và tên\nA\n".encode(), "r.csv", TODAY).problems
    assert problem.value == "party_card_number, cell_code, status"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_real_date_cells_number_cells_and_plus_84():
    data = _xlsx([HEADER_VI.split(","),
                  ["Trần Thị Cúc", 79010005, datetime(1985, 12, 31), "Nữ", "CB01", "+84 987 654 321", "Dự bị",
                   datetime(2010, 3, 2)],
                  [None] * 8,
                  ["Phạm Văn Dũng", "79010006", "31/12/1985", "Nam", "cb01", 987654322, "Miễn sinh hoạt", None]])
    table = read_table(data, "roster.xlsx", TODAY)
    first, second = table.rows
    assert first.problems == [] and second.problems == [] and table.blank_rows == 1
    assert (first.member.party_card_number, first.member.birth_date, first.member.phone,
            first.member.admitted_on) == ("79010005", date(1985, 12, 31), "0987654321", date(2010, 3, 2))
    assert (second.number, second.member.phone, second.member.exempt) == (4, "0987654322", True)


def test_an_xlsx_number_where_a_date_belongs_is_refused():
    data = _xlsx([HEADER_VI.split(","), ["Trần Thị Cúc", "79010005", 31412, "Nữ", "CB01", "", "Dự bị", ""]])
    [row] = read_table(data, "roster.xlsx", TODAY).rows
    assert [(p.field, p.code) for p in row.problems] == [("birth_date", "date_number")]


def test_the_shipped_samples_read_without_problems():
    from pathlib import Path
    docs = Path(__file__).resolve().parents[2] / "docs"
    for name in ("roster-sample.csv", "roster-sample.xlsx"):
        table = read_table((docs / name).read_bytes(), name, TODAY)
        assert table.problems == [] and table.rows and all(not row.problems for row in table.rows), name
