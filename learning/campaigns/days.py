"""Days as people type them in the forms (campaign dates, a member's later due date)."""
from __future__ import annotations

import re
from datetime import date

# The form asks for dd/mm/yyyy; d/m/yyyy is as clear, and a phone's number pad
# may offer "." or "-" but no "/", or nothing but digits (ddmmyyyy).
_TYPED_DAY = re.compile(r"([0-9]{1,2})([/.\- ])([0-9]{1,2})\2([0-9]{4})")
_DIGITS_DAY = re.compile(r"([0-9]{2})()([0-9]{2})([0-9]{4})")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # what a date picker or a script sends


def parse_day(value: str | None) -> date | None:
    """dd/mm/yyyy as typed (see above), or ISO yyyy-mm-dd; None if it is not a real day."""
    value = (value or "").strip()
    if match := _ISO_DAY.fullmatch(value):
        year, month, day = match.groups()
    elif match := _TYPED_DAY.fullmatch(value) or _DIGITS_DAY.fullmatch(value):
        day, _separator, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
