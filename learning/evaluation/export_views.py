"""/evaluation/periods/<id>/units/<id>/…: a period's results beneath a unit,
for the year's end: the spreadsheet (XLSX or CSV, one row per member) and
the sheet to print (totals by level, then the names). Any reviewer, for
their own units (access.unit_in_scope): another unit is a 404, as is a
period not computed yet for the downloads (its print page says so)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.exports import csv_response, xlsx_response
from learning.core.permissions import REVIEWERS, requires
from learning.evaluation import exports
from learning.evaluation.access import unit_in_scope
from learning.evaluation.models import Period

bp = Blueprint("evaluation_exports", __name__)
RESULTS = "/periods/<int:period_id>/units/<int:unit_id>"


def _found(period_id: int, unit_id: int):
    """The period and the unit, if the reviewer reviews the unit; else 404."""
    period = db.session.get(Period, period_id)
    unit = unit_in_scope(current_user, unit_id) if period is not None else None
    if unit is None:
        abort(404)
    return period, unit


def _computed(period_id: int, unit_id: int):
    period, unit = _found(period_id, unit_id)
    if period.computed_at is None:
        abort(404)  # nothing to download yet
    return period, unit


@bp.route(RESULTS + "/results.xlsx")
@requires(REVIEWERS)
def xlsx(period_id: int, unit_id: int):
    period, unit = _computed(period_id, unit_id)
    return xlsx_response(exports.member_rows(period.id, unit), exports.filename(period, unit, "xlsx"),
                         _("Results"), widths=exports.WIDTHS)


@bp.route(RESULTS + "/results.csv")
@requires(REVIEWERS)
def csv(period_id: int, unit_id: int):
    period, unit = _computed(period_id, unit_id)
    return csv_response(exports.member_rows(period.id, unit), exports.filename(period, unit, "csv"))


@bp.route(RESULTS + "/print")
@requires(REVIEWERS)
def print_page(period_id: int, unit_id: int):
    period, unit = _found(period_id, unit_id)
    sheet = exports.sheet(period, unit) if period.computed_at is not None else None
    return render_template("evaluation/print.html", period=period, unit=unit, sheet=sheet, today=vietnam_today(),
                           names_limit=exports.NAMES_LIMIT)
