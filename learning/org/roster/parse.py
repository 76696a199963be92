"""Reading a roster file and normalising every value, or refusing it with a
reason: never a guess. Pure: plain data in, plain data out (no database, no
Flask); the reasons are codes that roster/messages.py puts into words.

Columns (Vietnamese or English headers, any case, in any order; other
columns, such as "STT", are ignored and listed): full name, Party card
number, cell code and status are required; date of birth, gender, phone and
admission date may be left blank (blank leaves a member's stored value).

- Dates: dd/mm/yyyy (also d/m/yyyy, with / . or -), ISO yyyy-mm-dd, or a
  real date cell of a spreadsheet. Two-digit years, bare numbers (a date
  cell that lost its format) and other shapes are refused as ambiguous;
  days that do not exist, days in the future, years before 1900 (admission:
  before the Party's founding on 3/2/1930, or before the member turned 18)
  as impossible.
- Phones: +84, 84, spaces, dots, dashes and brackets are taken off, giving
  0 and nine digits of a Vietnamese mobile number (03, 05, 07, 08, 09);
  a number cell of nine digits is taken as one that lost its leading 0.
- Party card numbers: digits only (spaces and dots taken off), 6 to 12 of
  them (the national card has 8; the bound is our choice, documented).
- Names: one space between words, composed Unicode (org.names.tidy).
- Status: full (chính thức), probationary (dự bị) or exempt from
  activities (miễn sinh hoạt, a full member who is not rated).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Iterator

from learning.org.names import tidy

FIELDS = ("full_name", "party_card_number", "birth_date", "gender", "cell_code", "phone", "status", "admitted_on")
REQUIRED = ("full_name", "party_card_number", "cell_code", "status")
HEADERS = {
    "full_name": ("họ và tên", "họ tên", "full name", "name"),
    "party_card_number": ("số thẻ đảng viên", "số thẻ đảng", "số thẻ", "party card number", "card number"),
    "birth_date": ("ngày sinh", "ngày tháng năm sinh", "date of birth", "birth date"),
    "gender": ("giới tính", "gender", "sex"),
    "cell_code": ("mã chi bộ", "chi bộ", "cell code", "cell"),
    "phone": ("điện thoại", "số điện thoại", "sđt", "phone", "phone number", "mobile"),
    "status": ("trạng thái", "tình trạng", "status"),
    "admitted_on": ("ngày vào đảng", "ngày kết nạp", "admission date", "date of admission", "admitted on"),
}
MAX_ROWS = 200_000
MAX_CELL = 200  # characters in any one value
CARD_DIGITS = (6, 12)
FOUNDING = date(1930, 2, 3)
MOBILE = re.compile(r"0[35789][0-9]{8}")


@dataclass(frozen=True)
class Problem:
    """Why a value, a row or the file is refused: a code (messages.py), the
    field concerned, the value as read, and another row it clashes with."""
    code: str
    field: str = ""
    value: str = ""
    other_row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "value": self.value, "other_row": self.other_row}


@dataclass
class Member:
    full_name: str
    party_card_number: str
    cell_code: str
    membership: str  # "full" | "probationary"
    exempt: bool
    birth_date: date | None = None
    gender: str | None = None
    phone: str | None = None
    admitted_on: date | None = None


@dataclass
class Row:
    number: int  # the row's number in the file (the header is row 1 when it is first)
    member: Member | None
    problems: list[Problem] = field(default_factory=list)
    name: str = ""  # what the row says, for the report, even when refused
    card: str = ""
    # As read, when they could be: checked even on a refused row, so that the
    # file is corrected in one go.
    cell_code: str = ""
    card_number: str = ""
    phone: str = ""


@dataclass
class Table:
    rows: list[Row]
    problems: list[Problem]  # the file's own: nothing can be read
    ignored_columns: list[str]
    blank_rows: int = 0


class Refused(ValueError):
    def __init__(self, code: str, value: Any = ""):
        super().__init__(code)
        self.code, self.value = code, _shown(value)


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value if value is not None else "")[:MAX_CELL]


def _text(value: Any) -> str:
    """A cell as text, composed and trimmed; numbers without '.0'."""
    if value is None:
        return ""
    if value.__class__ is str:  # the usual case, and the hot path of a 150,000-row file
        text = value.strip()
        return text if text.isascii() else unicodedata.normalize("NFC", text).strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _header_key(value: Any) -> str:
    text = " ".join(_text(value).casefold().split()).rstrip(":*").strip()
    return text


_HEADER_FIELDS = {header: name for name, headers in HEADERS.items() for header in headers}


# -- values ----------------------------------------------------------------------

_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]+)")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00)?)?")


def parse_date(value: Any, today: date) -> date | None:
    """A day as a roster writes it, or None when blank; Refused otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise Refused("date_with_time", value)
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Refused("date_number", value)  # a spreadsheet's day count, or a typo: no way to tell
    else:
        text = _text(value)
        if match := _ISO.fullmatch(text):
            year, month, day_of_month = (int(part) for part in match.groups())
        elif match := _DAY_MONTH_YEAR.fullmatch(text):
            day_text, _separator, month_text, year_text = match.groups()
            if len(year_text) != 4:
                raise Refused("date_ambiguous", value)  # 03/04/80: which century?
            day_of_month, month, year = int(day_text), int(month_text), int(year_text)
        else:
            raise Refused("date_format", value)
        try:
            day = date(year, month, day_of_month)
        except ValueError:
            raise Refused("date_impossible", value) from None
    if day.year < 1900 or day > today:
        raise Refused("date_impossible", value)
    return day


def parse_phone(value: Any) -> str | None:
    """0 and nine digits of a Vietnamese mobile, or None when blank."""
    if value is None:
        return None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = re.sub(r"[\s.\-()]", "", _text(value))
    if not text:
        return None
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    elif numeric and len(text) == 9:
        text = "0" + text  # a number cell drops the leading 0
    if not MOBILE.fullmatch(text):
        raise Refused("phone_invalid", value)
    return text


def parse_card(value: Any) -> str:
    text = re.sub(r"[\s.]", "", _text(value))
    if not text:
        raise Refused("missing")
    if not text.isascii() or not text.isdigit():
        raise Refused("card_digits", value)
    if not CARD_DIGITS[0] <= len(text) <= CARD_DIGITS[1]:
        raise Refused("card_length", value)
    return text


_GENDERS = {"nam": "male", "male": "male", "m": "male", "nữ": "female", "nu": "female", "female": "female",
            "f": "female"}
_STATUSES = {
    "chính thức": ("full", False), "đảng viên chính thức": ("full", False), "full": ("full", False),
    "full member": ("full", False),
    "dự bị": ("probationary", False), "đảng viên dự bị": ("probationary", False),
    "probationary": ("probationary", False),
    "miễn sinh hoạt": ("full", True), "miễn sinh hoạt đảng": ("full", True), "exempt": ("full", True),
    "exempt from activities": ("full", True),
}


def _word(value: Any) -> str:
    return " ".join(_text(value).casefold().split())


def parse_gender(value: Any) -> str | None:
    word = _word(value)
    if not word:
        return None
    if word not in _GENDERS:
        raise Refused("gender_unknown", value)
    return _GENDERS[word]


def parse_status(value: Any) -> tuple[str, bool]:
    word = _word(value)
    if not word:
        raise Refused("missing")
    if word not in _STATUSES:
        raise Refused("status_unknown", value)
    return _STATUSES[word]


def parse_name(value: Any) -> str:
    name = tidy(_text(value))
    if not name:
        raise Refused("missing")
    if len(name) > 120:
        raise Refused("too_long", value)
    return name


def parse_cell_code(value: Any) -> str:
    code = _text(value)
    if not code:
        raise Refused("missing")
    if len(code) > 40:
        raise Refused("too_long", value)
    return code


def read_member(number: int, values: dict[str, Any], today: date) -> Row:
    """One row's values (by field) → a Member, or the row's problems."""
    problems: list[Problem] = []

    def take(name: str, parse, *args):
        try:
            return parse(values.get(name), *args)
        except Refused as refused:
            problems.append(Problem(refused.code, name, refused.value))
            return None

    name = take("full_name", parse_name)
    card = take("party_card_number", parse_card)
    cell = take("cell_code", parse_cell_code)
    status = take("status", parse_status)
    birth = take("birth_date", parse_date, today)
    gender = take("gender", parse_gender)
    phone = take("phone", parse_phone)
    admitted = take("admitted_on", parse_date, today)
    if admitted is not None:
        if admitted < FOUNDING:
            problems.append(Problem("admitted_before_founding", "admitted_on", _shown(admitted)))
        elif birth is not None and admitted < _eighteenth_birthday(birth):
            problems.append(Problem("admitted_under_18", "admitted_on", _shown(admitted)))
    row = Row(number, None, problems, name=name or _text(values.get("full_name"))[:MAX_CELL],
              card=card or _text(values.get("party_card_number"))[:MAX_CELL], cell_code=cell or "", card_number=card or "", phone=phone or "")
    if not problems:
        membership, exempt = status
        row.member = Member(full_name=name, party_card_number=card, cell_code=cell, membership=membership,
                            exempt=exempt, birth_date=birth, gender=gender, phone=phone, admitted_on=admitted)
    return row


def _eighteenth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + 18, day=28) + timedelta(days=1)


def mark_repeats(rows: list[Row]) -> None:
    """A card number or a phone on two rows: the later row is refused,
    naming the first."""
    first_card: dict[str, int] = {}
    first_phone: dict[str, int] = {}
    for row in rows:
        if row.card_number:
            if (earlier := first_card.get(row.card_number)) is not None:
                row.problems.append(Problem("card_repeated", "party_card_number", row.card_number, earlier))
            else:
                first_card[row.card_number] = row.number
        if row.phone:
            if (earlier := first_phone.get(row.phone)) is not None:
                row.problems.append(Problem("phone_repeated", "phone", row.phone, earlier))
            else:
                first_phone[row.phone] = row.number
        if row.problems:
            row.member = None


# -- files -----------------------------------------------------------------------

def file_format(filename: str) -> str | None:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    return None


def read_table(data: bytes, filename: str, today: date, progress=None) -> Table:
    """The whole file: rows normalised and checked against each other, or
    the file's own problems (format, encoding, header)."""
    kind = file_format(filename)
    if kind is None:
        return Table([], [Problem("file_format", value=filename)], [])
    try:
        lines = _csv_lines(data) if kind == "csv" else _xlsx_lines(data)
        return _read_lines(lines, today, progress)
    except _FileRefused as refused:
        return Table([], [refused.problem], [])


class _FileRefused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _FileRefused(Problem("file_encoding")) from None
    if "\x00" in text:
        raise _FileRefused(Problem("file_encoding"))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error:
        raise _FileRefused(Problem("file_unreadable")) from None


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _FileRefused(Problem("file_unreadable")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _FileRefused(Problem("file_no_header"))
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def _blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _read_lines(lines: Iterator[tuple[int, list[Any]]], today: date, progress) -> Table:
    columns: dict[int, str] | None = None
    ignored: list[str] = []
    rows: list[Row] = []
    blank = 0
    for number, cells in lines:
        if _blank(cells):
            if columns is not None:
                blank += 1
            continue
        if columns is None:
            columns, ignored = _columns(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise _FileRefused(Problem("file_too_many_rows", value=str(MAX_ROWS)))
        width = len(cells)
        values = {name: cells[index] for index, name in columns.items() if index < width}
        too_long = None
        for name, value in values.items():
            if value.__class__ is str and len(value) > MAX_CELL:
                too_long = name
                break
        if too_long:
            rows.append(Row(number, None, [Problem("too_long", too_long, _shown(values[too_long]))],
                            name=_text(values.get("full_name"))[:MAX_CELL]))
        else:
            rows.append(read_member(number, values, today))
        if progress is not None and len(rows) % 1000 == 0:
            progress(len(rows))
    if columns is None:
        raise _FileRefused(Problem("file_no_header"))
    mark_repeats(rows)
    return Table(rows, [], ignored, blank)


def _columns(cells: list[Any]) -> tuple[dict[int, str], list[str]]:
    """The header row: which field each column holds."""
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        if not key:
            continue
        name = _HEADER_FIELDS.get(key)
        if name is None:
            ignored.append(_text(cell)[:MAX_CELL])
        elif name in columns.values():
            raise _FileRefused(Problem("file_column_twice", name, _text(cell)))
        else:
            columns[index] = name
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        raise _FileRefused(Problem("file_missing_columns", value=", ".join(missing)))
    return columns, ignored
