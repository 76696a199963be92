"""/evaluation/periods/<id>/units/... and /members/...: a period's results
for the reviewers of each unit, and the decisions on them; /evaluation/mine:
a member's own criterion. Every unit and member is checked against the
reviewer's units (org.scope): outside them, 404, as for nothing at all."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.core import db
from learning.core.errors import DomainError
from learning.core.input import unstorable_field, unstorable_message
from learning.core.permissions import REVIEWERS, SIGNED_IN, requires
from learning.evaluation import decisions, pages
from learning.evaluation.access import unit_in_scope
from learning.evaluation.models import MemberResult, Period, UnitResult
from learning.evaluation.rules import Level
from learning.org.models import Unit, User
from learning.org.scope import OwnRecord
from learning.org.units import OutOfScope

bp = Blueprint("evaluation_results", __name__)


@bp.app_template_filter("figure")
def _figure(value: float | None) -> str:
    """A count or points as an explanation shows them: 3, 2.5 (one decimal at most)."""
    if value is None:
        return "–"
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _period(period_id: int) -> Period:
    period = db.session.get(Period, period_id)
    if period is None:
        abort(404)
    return period


def _unit(unit_id: int) -> Unit:
    unit = unit_in_scope(current_user, unit_id)
    if unit is None:
        abort(404)
    return unit


def _member_result(period: Period, user_id: int) -> tuple[MemberResult, Unit]:
    """The member's result, if their unit is one the reviewer reviews."""
    result = db.session.get(MemberResult, (user_id, period.id))
    unit = unit_in_scope(current_user, result.unit_id) if result is not None else None
    if unit is None:
        abort(404)
    return result, unit


@bp.route("/periods/<int:period_id>/units/<int:unit_id>")
@requires(REVIEWERS)
def unit(period_id: int, unit_id: int):
    return _unit_page(_period(period_id), _unit(unit_id))


def _unit_page(period: Period, found: Unit, error: str = "", typed: dict | None = None, status: int = 200):
    page = pages.unit_page(current_user, period, found)
    may_decide = page.result is not None and decisions.may_decide_unit(current_user, found)
    return render_template("evaluation/unit.html", page=page, levels=pages.LEVELS, short=pages.SHORT_LEVELS,
                           may_decide=may_decide,
                           level_counts=pages.level_counts, explained=pages.explained,
                           left_out=pages.left_out_labels, error=error,
                           typed=typed or {}, decider=pages.decider_name(page.result.decided_by_id)
                           if page.result else ""), status


@bp.route("/periods/<int:period_id>/units/<int:unit_id>/decision", methods=["POST"])
@requires(REVIEWERS)
def unit_decision(period_id: int, unit_id: int):
    period, found = _period(period_id), _unit(unit_id)
    result = db.session.get(UnitResult, (period.id, found.id))
    if result is None:
        abort(404)
    typed = _typed()
    if unstorable_field(request.form) is not None:
        return _unit_page(period, found, str(unstorable_message(_("Reason"))), typed, 400)
    try:
        decisions.decide_unit(current_user, period, result, typed["level"], typed["reason"])
    except OutOfScope as refused:
        return _unit_page(period, found, str(refused), typed, 403)
    except DomainError as refused:
        return _unit_page(period, found, str(refused), typed, 400)
    flash(_("The level of %(unit)s is decided.", unit=found.name), "success")
    return redirect(url_for("evaluation_results.unit", period_id=period.id, unit_id=found.id))


@bp.route("/periods/<int:period_id>/units/<int:unit_id>/confirm", methods=["POST"])
@requires(REVIEWERS)
def confirm_members(period_id: int, unit_id: int):
    period, found = _period(period_id), _unit(unit_id)
    try:
        confirmed = decisions.confirm_unit_members(current_user, period, found)
    except DomainError as refused:
        return _unit_page(period, found, str(refused), None, 400)
    flash(_("%(num)s suggested levels confirmed in %(unit)s.", num=confirmed, unit=found.name), "success")
    return redirect(url_for("evaluation_results.unit", period_id=period.id, unit_id=found.id, _anchor="members"))


@bp.route("/periods/<int:period_id>/members/<int:user_id>")
@requires(REVIEWERS)
def member(period_id: int, user_id: int):
    period = _period(period_id)
    return _member_page(period, *_member_result(period, user_id))


def _member_page(period: Period, result: MemberResult, found: Unit, error: str = "", typed: dict | None = None,
                 status: int = 200):
    person = db.session.get(User, result.user_id)
    return render_template("evaluation/member.html", period=period, result=result, unit=found, member=person,
                           levels=pages.LEVELS, may_decide=decisions.may_decide_member(current_user, result, found),
                           explained=pages.explained(result.explanation),
                           left_out=pages.left_out_labels(result.explanation),
                           decider=pages.decider_name(result.decided_by_id), error=error,
                           typed=typed or {"level": result.level or "", "reason": result.reason or ""}), status


@bp.route("/periods/<int:period_id>/members/<int:user_id>/decision", methods=["POST"])
@requires(REVIEWERS)
def member_decision(period_id: int, user_id: int):
    period = _period(period_id)
    result, found = _member_result(period, user_id)
    typed = _typed()
    if unstorable_field(request.form) is not None:
        return _member_page(period, result, found, str(unstorable_message(_("Reason"))), typed, 400)
    try:
        decisions.decide_member(current_user, period, result, typed["level"], typed["reason"])
    except OwnRecord as refused:
        return _member_page(period, result, found, str(refused), typed, 403)
    except DomainError as refused:  # refused before anything was written
        return _member_page(period, result, found, str(refused), typed, 400)
    flash(_("The level is decided."), "success")
    return redirect(url_for("evaluation_results.member", period_id=period.id, user_id=user_id))


def _typed() -> dict[str, str]:
    level = request.form.get("level", "")
    return {"level": level if level in {lvl.value for lvl in Level} else "",
            "reason": request.form.get("reason", "")[:decisions.MAX_REASON + 100]}


@bp.route("/mine")
@requires(SIGNED_IN)
def mine():
    return render_template("evaluation/mine.html", results=pages.own_results(current_user), levels=pages.LEVELS,
                           explained=pages.explained, left_out=pages.left_out_labels)
