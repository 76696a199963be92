"""What importing the rows would do, row by row, against the database:
created, updated (which fields, before → after), unchanged or refused (why).

Members are matched by Party card number. A row is refused when its cell is
unknown, not a cell, or outside the importer's units; when the member it
names belongs to a unit outside them; when its phone (or card number) is
already how someone else signs in. Everything is read in chunks of a few
thousand, so a province's 150,000 rows cost a few dozen queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from learning.core import db
from learning.org.models import Unit, UnitKind, User
from learning.org.roster.parse import Member, Problem, Row
from learning.org.scope import covers

CHUNK = 2000
CELL_KINDS = (UnitKind.CELL, UnitKind.GROUP)
# The member's fields a roster sets, in the order a report shows them.
COMPARED = ("full_name", "unit_id", "birth_date", "gender", "phone", "membership", "exempt", "admitted_on")
# Blank in the file: the stored value stays.
KEPT_WHEN_BLANK = ("birth_date", "gender", "phone", "admitted_on")


@dataclass
class UnitInfo:
    id: int
    code: str
    name: str
    path: str
    kind: str
    active: bool
    covered: bool


@dataclass
class Outcome:
    row: Row
    status: str  # created | updated | unchanged | refused
    unit: UnitInfo | None = None
    member_id: int | None = None
    before: dict[str, Any] = field(default_factory=dict)  # the stored values (existing members)
    after: dict[str, Any] = field(default_factory=dict)  # the values the import writes
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def units_of(user) -> tuple[dict[str, list[UnitInfo]], dict[int, UnitInfo]]:
    rows = db.session.execute(select(Unit.id, Unit.code, Unit.name, Unit.path, Unit.kind, Unit.active,
                                     covers(user, Unit.path).label("covered")))
    by_code: dict[str, list[UnitInfo]] = {}
    by_id: dict[int, UnitInfo] = {}
    for row in rows:
        info = UnitInfo(row.id, row.code or "", row.name, row.path, row.kind, row.active, bool(row.covered))
        by_id[info.id] = info
        if row.code:
            by_code.setdefault(row.code.casefold(), []).append(info)
    return by_code, by_id


_MEMBER_COLUMNS = (User.id, User.full_name, User.party_card_number, User.phone, User.unit_id, User.birth_date,
                   User.gender, User.membership, User.exempt, User.admitted_on)


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _existing(rows: list[Row]) -> tuple[dict[str, Any], dict[str, int]]:
    """Members with the file's card numbers, and who signs in with each of
    the file's cards and phones (sign-in takes either)."""
    cards = sorted({row.member.party_card_number for row in rows if row.member})
    logins = sorted(set(cards) | {row.member.phone for row in rows if row.member and row.member.phone})
    members: dict[str, Any] = {}
    for chunk in _chunks(cards):
        for member in db.session.execute(select(*_MEMBER_COLUMNS).where(User.party_card_number.in_(chunk))):
            members[member.party_card_number] = member
    owners: dict[str, int] = {}
    # Two look-ups per chunk, each on its unique index (an OR of the two makes
    # PostgreSQL scan the table once per chunk).
    for column in (User.party_card_number, User.phone):
        for chunk in _chunks(logins):
            for user_id, login in db.session.execute(select(User.id, column).where(column.in_(chunk))):
                owners.setdefault(login, user_id)
    return members, owners


def plan(user, rows: list[Row], progress=None) -> list[Outcome]:
    by_code, by_id = units_of(user)
    members, owners = _existing(rows)
    outcomes = []
    for index, row in enumerate(rows):
        outcomes.append(_outcome(row, by_code, by_id, members, owners))
        if progress is not None and index % 5000 == 0:
            progress(index)
    return outcomes


def _outcome(row: Row, by_code, by_id, members, owners) -> Outcome:
    if row.member is None:  # refused already; its cell is checked too, so the file is corrected at once
        unit = _cell(row.cell_code, by_code, row.problems) if row.cell_code else None
        return Outcome(row, "refused", unit=unit)
    member: Member = row.member
    problems: list[Problem] = row.problems
    unit = _cell(member.cell_code, by_code, problems)
    existing = members.get(member.party_card_number)
    existing_id = existing.id if existing else None
    if existing is not None:
        home = by_id.get(existing.unit_id) if existing.unit_id else None
        if home is None or not home.covered:
            problems.append(Problem("member_outside_scope", "party_card_number", member.party_card_number))
    owner = owners.get(member.party_card_number)
    if owner is not None and owner != existing_id:  # someone's phone is this card number
        problems.append(Problem("card_taken", "party_card_number", member.party_card_number))
    if member.phone:
        owner = owners.get(member.phone)
        if owner is not None and owner != existing_id:
            problems.append(Problem("phone_taken", "phone", member.phone))
    if problems:
        return Outcome(row, "refused", unit=unit, member_id=existing_id)
    after = {"full_name": member.full_name, "unit_id": unit.id, "birth_date": member.birth_date,
             "gender": member.gender, "phone": member.phone, "membership": member.membership,
             "exempt": member.exempt, "admitted_on": member.admitted_on}
    if existing is None:
        return Outcome(row, "created", unit=unit, after=after)
    before = {name: getattr(existing, name) for name in COMPARED}
    for name in KEPT_WHEN_BLANK:
        if after[name] is None:
            after[name] = before[name]
    changes = {name: (before[name], after[name]) for name in COMPARED if before[name] != after[name]}
    return Outcome(row, "updated" if changes else "unchanged", unit=unit, member_id=existing.id,
                   before=before, after=after, changes=changes)


def _cell(code: str, by_code, problems: list[Problem]) -> UnitInfo | None:
    found = by_code.get(code.casefold(), [])
    if not found:
        problems.append(Problem("cell_unknown", "cell_code", code))
        return None
    if len(found) > 1:
        problems.append(Problem("cell_ambiguous", "cell_code", code))
        return None
    [unit] = found
    if not unit.covered:
        problems.append(Problem("cell_outside_scope", "cell_code", code))
    elif unit.kind not in CELL_KINDS or not unit.active:
        problems.append(Problem("cell_not_a_cell", "cell_code", code))
    return unit


def shown(value: Any) -> Any:
    """A value as a report stores it (JSON): days as dd/mm/yyyy."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value
