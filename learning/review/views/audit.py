"""The audit log, for admins: filter by person, unit, kind and dates.

Lives here, in the top area, because filtering by a unit's code needs the
organisation, which sits above the audit area."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from learning.audit.log import AuditFilter, entries
from learning.audit.models import AuditKind, field_label, reason_label, value_label
from learning.core import db
from learning.core.input import InvalidInput, parse_day, whole_number
from learning.core.permissions import ADMINS, requires
from learning.org.models import Unit

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


@bp.route("/audit")
@requires(ADMINS)
def log():
    args = request.args
    problems: dict[str, str] = {}
    filters = _filters(args, problems)
    before_id = _before_id(args, problems)
    shown = [] if problems else list(db.session.scalars(entries(filters, before_id, PAGE_SIZE + 1)))
    more = len(shown) > PAGE_SIZE
    shown = shown[:PAGE_SIZE]
    return render_template("review/audit.html", audit_field=field_label, audit_value=value_label,
                           audit_reason=reason_label, entries=shown,
                           kinds=list(AuditKind), args=args, problems=problems,
                           older=shown[-1].id if more else None), 400 if problems else 200


def _filters(args, problems: dict[str, str]) -> AuditFilter:
    # (A NUL in the address is refused before any view: core.security.)
    text = {name: (args.get(name) or "").strip() for name in ("person", "unit", "kind", "since", "until")}
    since, until = parse_day(text["since"]), parse_day(text["until"])
    if text["since"] and since is None:
        problems["since"] = _("Write the date as dd/mm/yyyy, e.g. 01/12/2026.")
    if text["until"] and until is None:
        problems["until"] = _("Write the date as dd/mm/yyyy, e.g. 01/12/2026.")
    if text["kind"] and text["kind"] not in {str(kind) for kind in AuditKind}:
        problems["kind"] = _("Choose a kind from the list.")
    unit_path = ""
    if text["unit"]:
        unit_path = db.session.scalar(select(Unit.path).where(func.upper(Unit.code) == text["unit"].upper())) or ""
        if not unit_path:
            problems["unit"] = _("No unit has the code %(code)s.", code=text["unit"])
    return AuditFilter(person=text["person"], unit_path=unit_path, kind=text["kind"], since=since, until=until)


def _before_id(args, problems: dict[str, str]) -> int | None:
    value = args.get("before")
    if not value:
        return None
    try:
        return whole_number(value, _("Page"))
    except InvalidInput as invalid:
        problems["before"] = str(invalid)
        return None
