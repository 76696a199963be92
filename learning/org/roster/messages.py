"""The roster's reasons and field names, in the reader's language: the pure
parser and the plan speak in codes (parse.Problem), stored as such in a
job's result, and put into words when a page shows them."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "full_name": _l("Full name"),
    "party_card_number": _l("Party card number"),
    "birth_date": _l("Date of birth"),
    "gender": _l("Gender"),
    "cell_code": _l("Cell code"),
    "cell": _l("Cell code"),
    "phone": _l("Phone"),
    "status": _l("Status"),
    "membership": _l("Status"),
    "exempt": _l("Exempt from activities"),
    "admitted_on": _l("Admission date"),
    "unit_id": _l("Cell"),
}

PROBLEMS = {
    "missing": _l("missing"),
    "too_long": _l("“%(value)s” is too long"),
    "date_with_time": _l("“%(value)s” has a time of day: give the day only"),
    "date_number": _l("“%(value)s” is a number, not a date: format the cell as a date or write dd/mm/yyyy"),
    "date_ambiguous": _l("“%(value)s” is ambiguous: write the year with four digits (dd/mm/yyyy)"),
    "date_format": _l("“%(value)s” is not a date: write dd/mm/yyyy"),
    "date_impossible": _l("“%(value)s” is not a possible date"),
    "admitted_before_founding": _l("%(value)s is before the Party was founded (3/2/1930)"),
    "admitted_under_18": _l("%(value)s is before the member turned 18"),
    "phone_invalid": _l("“%(value)s” is not a Vietnamese mobile number (10 digits starting with 03, 05, 07, 08 "
                        "or 09, or +84)"),
    "card_digits": _l("“%(value)s” must have digits only"),
    "card_length": _l("“%(value)s” must have 6 to 12 digits"),
    "gender_unknown": _l("“%(value)s” is not a gender: write Nam or Nữ"),
    "status_unknown": _l("“%(value)s” is not a status: write chính thức, dự bị or miễn sinh hoạt"),
    "card_repeated": _l("%(value)s is also on row %(row)s"),
    "phone_repeated": _l("%(value)s is also on row %(row)s"),
    "cell_unknown": _l("no cell has the code “%(value)s”"),
    "cell_ambiguous": _l("several units have the code “%(value)s”"),
    "cell_outside_scope": _l("the cell “%(value)s” is outside your units"),
    "cell_not_a_cell": _l("“%(value)s” is not an open cell"),
    "member_outside_scope": _l("the member with card %(value)s belongs to a unit outside your units"),
    "card_taken": _l("%(value)s is already how another member signs in"),
    "phone_taken": _l("%(value)s is already the phone of another member"),
    "file_format": _l("“%(value)s” is neither a .csv nor an .xlsx file"),
    "file_encoding": _l("The file is not in UTF-8: in Excel, save it as “CSV UTF-8”"),
    "file_unreadable": _l("The file cannot be read as a spreadsheet"),
    "file_no_header": _l("The file has no header row"),
    "file_missing_columns": _l("The file lacks the columns: %(value)s"),
    "file_column_twice": _l("The column “%(value)s” appears twice"),
    "file_too_many_rows": _l("The file has more than %(value)s rows: split it"),
}


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def problem_text(problem: dict[str, Any]) -> str:
    """One reason, in words: "Phone: “0123” is not a Vietnamese mobile number"."""
    code, value = problem.get("code", ""), problem.get("value", "")
    if code == "file_missing_columns":
        value = ", ".join(field_label(name.strip()) for name in value.split(","))
    template = PROBLEMS.get(code)
    text = str(template) % {"value": value, "row": problem.get("other_row")} if template else code
    if problem.get("field") and not code.startswith("file_"):
        return _("%(field)s: %(reason)s", field=field_label(problem["field"]), reason=text)
    return text


def value_text(name: str, value: Any) -> str:
    """A stored value as a report shows it."""
    if value is None or value == "":
        return "—"
    if name == "membership":
        return {"full": _("full"), "probationary": _("probationary")}.get(value, value)
    if name == "exempt":
        return _("yes") if value else _("no")
    if name == "gender":
        return {"male": _("male"), "female": _("female")}.get(value, value)
    return str(value)
