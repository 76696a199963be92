"""One row per recorded action. The log is append-only: nothing in the app
updates or deletes a row (no operation exists for it), and each entry keeps
the names and the unit path as they were at the time, so renaming a unit or
a person, or moving a unit, never rewrites history.

This area sits just above core and below every other area (org included),
so it knows people and units only by id and by the snapshot it was given."""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learning.core.db import Base, utcnow
from learning.core.enums import LabelledEnum
from learning.core.i18n import format_day, format_moment


class AuditKind(LabelledEnum):
    """Every kind of recorded action. Adding one is adding a line here."""
    UNIT_CREATED = "unit.created", _l("unit created")
    UNIT_CHANGED = "unit.changed", _l("unit renamed or changed")
    UNIT_MOVED = "unit.moved", _l("unit moved")
    UNIT_MERGED = "unit.merged", _l("units merged")
    UNIT_CLOSED = "unit.closed", _l("unit closed")
    ROLE_GRANTED = "role.granted", _l("role granted")
    ROLE_REVOKED = "role.revoked", _l("role revoked")
    MEMBER_CREATED = "member.created", _l("member created")
    MEMBER_CHANGED = "member.changed", _l("member changed")
    MEMBER_MOVED = "member.moved", _l("member moved")
    ROSTER_IMPORTED = "roster.imported", _l("roster imported")
    ACTIVATION_ISSUED = "activation.issued", _l("activation code issued")
    ACTIVATION_USED = "activation.used", _l("activation code used")
    EXTRA_ATTEMPT = "study.extra_attempt", _l("extra attempt granted")
    EXTENSION = "study.extension", _l("due date extended")
    GRADE = "grade.recorded", _l("reflection graded")
    REGRADE = "grade.changed", _l("reflection regraded")
    RETURNED = "grade.returned", _l("reflection returned for rewriting")
    RUBRIC_CREATED = "rubric.created", _l("grading scale created")
    CAMPAIGN_CHANGED = "campaign.changed", _l("campaign changed")
    PERIOD_CREATED = "evaluation.period_created", _l("evaluation period created")
    PERIOD_CHANGED = "evaluation.period_changed", _l("evaluation period's rules or campaigns changed")
    PERIOD_COMPUTED = "evaluation.computed", _l("evaluation results computed")
    LEVEL_DECIDED = "evaluation.decided", _l("member's level decided")
    UNIT_LEVEL_DECIDED = "evaluation.unit_decided", _l("unit's level decided")
    PERIOD_LOCKED = "evaluation.locked", _l("evaluation period locked")
    PERIOD_REOPENED = "evaluation.reopened", _l("evaluation period reopened")


# What the fields an entry's before/after hold are called on the log's page;
# a field not named here shows as stored.
FIELD_LABELS = {
    "rules": _l("rules"), "year": _l("year"), "starts_on": _l("starts on"), "ends_on": _l("ends on"),
    "name": _l("name"), "code": _l("code"), "kind": _l("kind"), "path": _l("place in the tree"),
    "parent": _l("parent unit"), "unit": _l("unit"), "active": _l("active"), "into": _l("merged into"),
    "into_path": _l("place in the tree"), "into_id": _l("unit number"), "role": _l("role"), "file": _l("file"),
    "created": _l("created"), "updated": _l("updated"), "unchanged": _l("unchanged"), "refused": _l("refused"),
    "full_name": _l("full name"), "party_card_number": _l("Party card number"), "phone": _l("phone"),
    "birth_date": _l("date of birth"), "gender": _l("gender"), "membership": _l("membership"),
    "exempt": _l("exempt from activities"), "admitted_on": _l("admission date"), "expires_at": _l("expires"),
    "revoked_unused": _l("unused codes replaced"), "sign_ins_ended": _l("sign-ins ended"),
    "definition": _l("scale"), "rubric": _l("scale number"), "scale": _l("scale"), "points": _l("points"),
    "max_points": _l("out of"), "levels": _l("levels chosen"), "passed": _l("passed"), "lesson": _l("lesson"),
    "extra_attempts": _l("extra attempts"), "due_on": _l("due date"), "title": _l("title"),
    "description": _l("description"), "opens_on": _l("opens on"), "closes_on": _l("closes on"),
    "lessons": _l("lessons"), "units": _l("units"), "action": _l("action"), "campaign": _l("campaign"),
    "merged_into": _l("merged into"), "members_moved": _l("members moved"), "units_moved": _l("units moved"),
    "reviewers_moved": _l("reviewers moved"), "cell": _l("cell"),
    "level": _l("level"), "suggested": _l("suggested level"), "members": _l("members"),
    "lapsed": _l("confirmations lapsed"), "period": _l("period"), "campaigns": _l("campaigns counted"),
    "undecided": _l("members not yet decided"), "locked_at": _l("locked at"),
}


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key


# What the stored codes among those values are called, per field. The enums
# they come from (core's Role; org's UnitKind, review's Membership and scale
# kinds, evaluation's Level, in the areas above this one) are mirrored here, and
# tests/web/test_audit_log.py checks that every code of theirs has a label.
_UNIT_KINDS = {"province": _l("provincial committee"), "committee": _l("committee"),
               "grassroots": _l("grassroots organisation"), "cell": _l("cell"), "group": _l("Party group")}
_SCALE_KINDS = {"pass_fail": _l("Pass / not pass"), "points": _l("Points"),
                "rubric": _l("Rubric (criteria and levels)")}
_LEVELS = {"excellent": _l("Completed tasks excellently"), "good": _l("Completed tasks well"),
           "completed": _l("Completed tasks"), "not_completed": _l("Did not complete tasks")}
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "role": {"member": _l("member"), "reviewer": _l("reviewer"), "editor": _l("editor"), "admin": _l("admin")},
    "kind": {**_UNIT_KINDS, **_SCALE_KINDS},  # a unit's kind, or a grading scale's
    "scale": _SCALE_KINDS,
    "membership": {"full": _l("full member"), "probationary": _l("probationary member")},
    "gender": {"male": _l("male"), "female": _l("female")},
    "level": _LEVELS, "suggested": _LEVELS,
}
# Fields holding True or False, shown as yes or no.
YES_NO_FIELDS = frozenset({"active", "exempt", "passed"})


# Entries whose free text is not a reason: a grade's comment, the roster
# file a member was created or changed from.
COMMENTED = frozenset({AuditKind.GRADE.value, AuditKind.REGRADE.value})
FROM_FILE = frozenset({AuditKind.MEMBER_CREATED.value, AuditKind.MEMBER_CHANGED.value,
                       AuditKind.ROSTER_IMPORTED.value})
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def reason_label(kind: str) -> str:
    """What an entry's free text is called on the log's page."""
    if kind in COMMENTED:
        return str(_l("Comment"))
    return str(_l("From the file") if kind in FROM_FILE else _l("Reason"))


def value_label(key: str, value: Any) -> Any:
    """A value as the log's page shows it: a stored code by its name, True
    and False as yes and no, nothing as a dash; anything else as stored."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no")) if key in YES_NO_FIELDS else value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(value_label(key, v)) for v in value)
    if isinstance(value, (dict, list, tuple)):  # a structure: as JSON, Vietnamese letters as they are
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and _ISO_MOMENT.match(value):  # stored as ISO (audit.log): shown dd/mm/yyyy
        moment = datetime.fromisoformat(value)
        return format_moment(moment) if "T" in value else format_day(moment.date())
    label = VALUE_LABELS.get(key, {}).get(value) if isinstance(value, str) else None
    return str(label) if label is not None else value


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_kind_at", "kind", "at"),
        Index("ix_audit_log_unit_path", "unit_path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Who did it (None: a command line or the system), and their name then.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    # The unit it happened in, with its path then ("/1/4/9/"): filtering by
    # a unit finds what happened beneath it, as the tree stood at the time.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    unit_path: Mapped[str] = mapped_column(String(400), default="")
    # The person it concerns, if any (a member graded, granted, imported).
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    subject_name: Mapped[str] = mapped_column(String(120), default="")
    # The object it changed: ("answer", 812), ("unit", 4), ("job", 17)...
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    reason: Mapped[str | None] = mapped_column(Text)

    @property
    def kind_label(self) -> str:
        return AuditKind.label_of(self.kind)
