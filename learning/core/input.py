"""Checks at the edge: what a request carries is refused here, before any
operation runs, when the database could not store it or it has the wrong
shape. Pure: strings, numbers, mappings in; values out or InvalidInput
(a 400 with its message, see core.errors) raised.

What no database column takes: NUL (PostgreSQL refuses it in text and JSON)
and surrogate code points (U+D800-U+DFFF: a JSON "\\ud800" escape decodes to
one, and no UTF-8 encoding exists for it; a valid pair in JSON decodes to the
one character it encodes, so any surrogate left in a str is lone). Integers
go up to PostgreSQL's 32-bit INTEGER. Every other character is text like any
other.

The answer-save route is the hottest one: its checks are type tests and one
regex search per string, no schema library.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

INT32_MAX = 2_147_483_647  # PostgreSQL INTEGER, the columns' type
MAX_ANSWERS_PER_SAVE = 200  # more in one save are left for the next one (the phone resends what is not acknowledged)
MAX_VALUES_PER_ANSWER = 20  # a choice question has at most 10 choices
MAX_KEY_CHARS = 200  # question keys are short slugs

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class InvalidInput(Exception):
    """What was sent cannot be taken as it is: a 400 with `message`, which
    names the field at fault (`field`, the request's own name for it, tells
    the view which one when it shows the form again)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def unstorable_message(field) -> str:
    return _l("%(field)s contains a character that cannot be stored (a NUL character or an invalid Unicode "
              "character). Remove it and send again.", field=field)


def is_storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def without_unstorable(text: str) -> tuple[str, list[int]]:
    """The text minus what cannot be stored, and the (1-based) lines where
    something was removed, to show the writer where to look."""
    lines: list[int] = []
    line, counted_to = 1, 0
    for found in _UNSTORABLE.finditer(text):
        line += text.count("\n", counted_to, found.start())
        counted_to = found.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return (_UNSTORABLE.sub("", text), lines) if lines else (text, [])


def unstorable_field(form: MultiDict) -> str | None:
    """The name of the first field of a form whose name or any value cannot
    be stored; None when all can."""
    for name, values in form.lists():
        if _UNSTORABLE.search(name) is not None or any(_UNSTORABLE.search(v) is not None for v in values):
            return name
    return None


def storable_form(form: MultiDict) -> MultiDict:
    """A form's fields minus what cannot be stored, to show it again."""
    return MultiDict([(_UNSTORABLE.sub("", name), _UNSTORABLE.sub("", value))
                      for name, values in form.lists() for value in values])


def whole_number(text: str, field, maximum: int = INT32_MAX) -> int:
    """A form's number (an id, a revision): ASCII digits only, 0..maximum.
    str.isdigit takes "²" (which int() refuses) and "١" (which it takes)."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(maximum))) or int(text) > maximum:
        raise InvalidInput(_l("%(field)s must be a whole number from 0 to %(max)s.", field=field, max=maximum))
    return int(text)


# -- JSON ----------------------------------------------------------------------

def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


# Python's json takes NaN and Infinity, which JSON does not; the decoder is
# built once (json.loads with options builds one per call).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def json_body(data: bytes, is_json: bool = True) -> Any:
    """The JSON value of a request body (sent as JSON: `is_json`): UTF-8,
    standard JSON only, nested no deeper than the interpreter can parse."""
    if not is_json:
        raise InvalidInput(_l("What was sent is not valid JSON."))
    try:
        return _DECODER.decode(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InvalidInput(_l("What was sent is not valid JSON.")) from None


def _usable(key: str) -> str | None:
    """A refused answer's key, for the script to know which one it was (the
    others of the save it sends again), if the key itself can be stored."""
    return key if _UNSTORABLE.search(key) is None else None


def answers_from_json(payload: Any) -> list[tuple[str, list[str], int]]:
    """{"answers": [{"key": str, "values": [str, ...], "seq": int}, ...]} from
    the quiz page's script, as (key, values, seq). Every answer is checked
    before any is used: a save is taken whole or refused whole, naming the
    answer at fault by its key (`field`) where it has one. Only the first
    MAX_ANSWERS_PER_SAVE are read; the phone sends the rest next time."""
    answers = payload.get("answers") if type(payload) is dict else None
    if type(answers) is not list:
        raise InvalidInput(_l('Expected a JSON object with a list of answers under "answers".'))
    taken = []
    for number, answer in enumerate(answers[:MAX_ANSWERS_PER_SAVE], start=1):
        if type(answer) is not dict:
            raise InvalidInput(_l("Answer %(n)s: expected an object with key, values and seq.", n=number))
        key, values, seq = answer.get("key"), answer.get("values"), answer.get("seq")
        if type(key) is not str or not key or len(key) > MAX_KEY_CHARS:
            raise InvalidInput(_l("Answer %(n)s: key must be a question key (text of at most %(max)s characters).",
                                  n=number, max=MAX_KEY_CHARS))
        if (type(values) is not list or len(values) > MAX_VALUES_PER_ANSWER
                or any(type(value) is not str for value in values)):
            raise InvalidInput(_l("Answer %(n)s: values must be a list of at most %(max)s texts.",
                                  n=number, max=MAX_VALUES_PER_ANSWER), field=_usable(key))
        # type() is not isinstance(): True is an int to isinstance; 1.0 and 1e400 are floats.
        if type(seq) is not int or not 0 <= seq <= INT32_MAX:
            raise InvalidInput(_l("Answer %(n)s: seq must be a whole number from 0 to %(max)s.",
                                  n=number, max=INT32_MAX), field=_usable(key))
        if _UNSTORABLE.search(key) is not None or any(_UNSTORABLE.search(value) is not None for value in values):
            raise InvalidInput(unstorable_message(_l("Answer %(n)s", n=number)), field=_usable(key))
        taken.append((key, values, seq))
    return taken


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
