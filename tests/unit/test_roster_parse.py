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


# -- what a refusal says: the value as read, the field, the row ------------------------------

@pytest.mark.parametrize("call, value, shown", [
    (parse_date, "03/04/80", "03/04/80"), (parse_date, "April 3, 1980", "April 3, 1980"),
    (parse_date, 29314, "29314"), (parse_date, "31/02/1980", "31/02/1980"), (parse_date, "01/01/1899", "01/01/1899"),
    (parse_date, datetime(1980, 4, 3, 10, 30), "03/04/1980"),
    (parse_phone, "0123", "0123"), (parse_card, "79A10001", "79A10001"), (parse_card, "12345", "12345"),
    (parse.parse_gender, "khác", "khác"), (parse.parse_status, "đã chuyển", "đã chuyển"),
    (parse.parse_name, "A" * 121, "A" * 121), (parse.parse_cell_code, "C" * 41, "C" * 41),
])
def test_a_refusal_shows_the_value_as_the_file_wrote_it(call, value, shown):
    args = (value, TODAY) if call is parse_date else (value,)
    with pytest.raises(Refused) as refused:
        call(*args)
    assert refused.value.value == shown and str(refused.value) == refused.value.code


def test_a_refusal_without_a_value_shows_nothing_and_a_long_value_is_cut():
    assert Refused("missing", None).value == "" and Refused("missing").value == ""
    assert Refused("card_digits", 12.5).value == "12.5"
    assert Refused("too_long", "x" * 500).value == "x" * parse.MAX_CELL


def test_the_first_and_the_last_possible_days_are_taken():
    assert parse_date("01/01/1900", TODAY) == date(1900, 1, 1)
    assert parse_date("1900-01-01", TODAY) == date(1900, 1, 1)
    assert parse_date("01/12/2026", TODAY) == TODAY


def test_eleven_digits_are_a_mobile_only_after_84():
    assert _code(parse_phone, "12912345678") == "phone_invalid"
    assert _code(parse_phone, "00912345678") == "phone_invalid"


def test_names_and_cell_codes_have_a_length_limit_in_characters():
    assert parse.parse_name("A" * 120) == "A" * 120
    assert _code(parse.parse_name, "A" * 121) == "too_long"
    assert parse.parse_cell_code("C" * 40) == "C" * 40
    assert _code(parse.parse_cell_code, "C" * 41) == "too_long"


def test_a_cell_code_is_composed_unicode():
    decomposed = unicodedata.normalize("NFD", "Chi bộ Hà Đông")
    assert parse.parse_cell_code(decomposed) == "Chi bộ Hà Đông"
    assert parse.parse_cell_code(" cb01 ") == "cb01"


def test_a_problem_of_a_row_names_its_field_and_the_value_read():
    [row] = _csv("Nguyễn Văn An,79A10001,03/04/80,Nam,CB01,0123,Chính thức,").rows
    assert [problem.as_dict() for problem in row.problems] == [
        {"code": "card_digits", "field": "party_card_number", "value": "79A10001", "other_row": None},
        {"code": "date_ambiguous", "field": "birth_date", "value": "03/04/80", "other_row": None},
        {"code": "phone_invalid", "field": "phone", "value": "0123", "other_row": None}]
    # what the report shows of a refused row: its name, and its card as written
    assert (row.name, row.card, row.card_number, row.cell_code, row.phone) == (
        "Nguyễn Văn An", "79A10001", "", "CB01", "")


def test_a_refused_row_still_shows_its_name_and_card_as_written():
    [row] = _csv("  ,79010001,,,CB01,,?,").rows
    assert (row.name, row.card, row.card_number) == ("", "79010001", "79010001")
    [row] = _csv("Lê Văn Bình,,,,CB01,0912345678,?,").rows
    assert (row.name, row.card, row.cell_code, row.phone) == ("Lê Văn Bình", "", "CB01", "0912345678")
    [row] = _csv(f"{'B' * 130},{'9' * 30},,,CB01,,Chính thức,").rows
    assert row.member is None and (row.name, row.card) == ("B" * 130, "9" * 30)


def test_admission_on_the_founding_day_is_possible_the_day_before_is_not():
    [row] = _csv("Nguyễn Văn An,79010001,,Nam,CB01,,Chính thức,03/02/1930").rows
    assert row.problems == [] and row.member.admitted_on == parse.FOUNDING
    [row] = _csv("Nguyễn Văn An,79010001,,Nam,CB01,,Chính thức,02/02/1930").rows
    assert [p.as_dict() for p in row.problems] == [
        {"code": "admitted_before_founding", "field": "admitted_on", "value": "02/02/1930", "other_row": None}]


def test_admission_under_eighteen_names_the_day():
    [row] = _csv("Nguyễn Văn An,79010001,03/04/1990,Nam,CB01,,Chính thức,02/04/2008").rows
    assert [p.as_dict() for p in row.problems] == [
        {"code": "admitted_under_18", "field": "admitted_on", "value": "02/04/2008", "other_row": None}]


def test_someone_born_on_29_february_turns_eighteen_on_1_march():
    [row] = _csv("Nguyễn Văn An,79010001,29/02/1988,Nam,CB01,,Chính thức,28/02/2006").rows
    assert [p.code for p in row.problems] == ["admitted_under_18"]
    [row] = _csv("Nguyễn Văn An,79010001,29/02/1988,Nam,CB01,,Chính thức,01/03/2006").rows
    assert row.problems == [] and row.member.admitted_on == date(2006, 3, 1)


def test_a_repeat_names_the_field_the_value_and_the_first_row():
    table = _csv("A An,79010001,,,CB01,0912345678,Chính thức,", "B Bình,79 010 001,,,CB01,,Chính thức,",
                 "C Chi,79010003,,,CB01,+84912345678,Chính thức,")
    assert table.rows[1].problems == [parse.Problem("card_repeated", "party_card_number", "79010001", 2)]
    assert table.rows[2].problems == [parse.Problem("phone_repeated", "phone", "0912345678", 2)]
    assert table.rows[1].member is None and table.rows[2].member is None


# -- the file as a whole ---------------------------------------------------------------------------

def test_a_file_of_another_format_is_named_and_has_no_columns():
    table = read_table(b"a,b\n", "Danh sach.docx", TODAY)
    assert table.problems == [parse.Problem("file_format", value="Danh sach.docx")]
    assert (table.rows, table.ignored_columns) == ([], [])


def test_a_refused_file_has_no_columns_either():
    table = read_table("Họ và tên\nA\n".encode(), "r.csv", TODAY)
    assert (table.rows, table.ignored_columns) == ([], [])


def test_utf16_without_a_bom_is_refused_as_not_utf8():
    data = (HEADER_EN + "\nA An,79010001,,,CB01,,full,\n").encode("utf-16-le")
    assert read_table(data, "r.csv", TODAY).problems == [parse.Problem("file_encoding")]
    assert read_table(b"\xff\xfeA", "r.csv", TODAY).problems == [parse.Problem("file_encoding")]


def test_a_csv_whose_quote_is_never_closed_is_unreadable():
    rest = "\n".join(f"Người {n},{79000000 + n},CB01,dự bị" for n in range(6000))
    data = ("Họ và tên,Số thẻ,Mã chi bộ,Trạng thái\n" + 'A,"79010001,CB01,dự bị\n' + rest).encode()
    assert read_table(data, "r.csv", TODAY).problems == [parse.Problem("file_unreadable")]


def test_the_delimiter_is_the_one_of_the_header_row():
    notes = ",".join(["ghi chú"] * 20)
    text = f"Họ và tên;Số thẻ;Mã chi bộ;Trạng thái;Ghi chú\nLê Thị Bình;79010002;CB01;dự bị;{notes}\n"
    table = read_table(text.encode(), "r.csv", TODAY)
    [row] = table.rows
    assert row.problems == [] and row.member.cell_code == "CB01" and table.ignored_columns == ["Ghi chú"]


def test_header_cells_may_end_with_a_colon_or_an_asterisk():
    text = "Họ và tên*,Số thẻ đảng viên:,Mã chi bộ *,TRẠNG THÁI\nLê Thị Bình,79010002,CB01,dự bị\n"
    [row] = read_table(text.encode(), "r.csv", TODAY).rows
    assert row.problems == [] and row.member.full_name == "Lê Thị Bình"
    assert read_table("*Họ và tên,Số thẻ,Mã chi bộ,Trạng thái\n".encode(), "r.csv", TODAY).problems[0].code == (
        "file_missing_columns")


def test_a_blank_header_cell_does_not_end_the_header():
    text = "Họ và tên,,Số thẻ,,Mã chi bộ,Trạng thái\nLê Thị Bình,,79010002,,CB01,dự bị\n"
    table = read_table(text.encode(), "r.csv", TODAY)
    assert table.problems == [] and table.rows[0].member.party_card_number == "79010002"


def test_a_column_twice_is_named_with_its_header():
    table = read_table("Họ và tên,Số thẻ,Họ tên,Mã chi bộ,Trạng thái\n".encode(), "r.csv", TODAY)
    assert table.problems == [parse.Problem("file_column_twice", "full_name", "Họ tên")]


def test_a_row_shorter_than_the_header_leaves_the_rest_blank():
    [row] = _csv("Nguyễn Văn An,79010001,03/04/1980,Nam,CB01,0912345678,Chính thức").rows
    assert row.problems == [] and row.member.admitted_on is None and row.member.phone == "0912345678"


def test_a_cell_over_the_limit_refuses_the_row_without_reading_it():
    long_cell = "C" * (parse.MAX_CELL + 1)
    [row] = _csv(f"Nguyễn Văn An,79010001,,,{long_cell},0123,Chính thức,").rows
    assert (row.number, row.member, row.name) == (2, None, "Nguyễn Văn An")
    assert row.problems == [parse.Problem("too_long", "cell_code", "C" * parse.MAX_CELL)]
    # at the limit, the row is read: every problem is listed
    [row] = _csv(f"Nguyễn Văn An,79010001,,,{'C' * parse.MAX_CELL},0123,Chính thức,").rows
    assert [(p.field, p.code) for p in row.problems] == [("cell_code", "too_long"), ("phone", "phone_invalid")]


def test_an_over_long_name_is_cut_in_the_report():
    [row] = _csv(f"{'B' * 300},79010001,,,CB01,,Chính thức,").rows
    assert row.name == "B" * parse.MAX_CELL and [(p.field, p.code) for p in row.problems] == [("full_name", "too_long")]


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(parse, "MAX_ROWS", 2)
    line = "A An,7901000{},,,CB01,,Chính thức,"
    assert len(_csv(line.format(1), line.format(2)).rows) == 2
    table = _csv(line.format(1), line.format(2), line.format(3))
    assert table.problems == [parse.Problem("file_too_many_rows", value="2")] and table.rows == []


def test_progress_is_told_every_thousand_rows():
    lines = [f"Người {n},{79000000 + n},,,CB01,,Chính thức," for n in range(2500)]
    told = []
    data = ("\n".join([HEADER_VI, *lines]) + "\n").encode()
    table = read_table(data, "roster.csv", TODAY, progress=told.append)
    assert told == [1000, 2000] and len(table.rows) == 2500


def test_formula_cells_are_read_by_their_value_never_their_formula():
    data = _xlsx([["Họ và tên", "Số thẻ", "Mã chi bộ", "Trạng thái"], ['="Lê Thị Bình"', "79010002", "CB01", "dự bị"]])
    [row] = read_table(data, "r.xlsx", TODAY).rows  # a file openpyxl wrote keeps no computed value
    assert [(p.field, p.code) for p in row.problems] == [("full_name", "missing")]
