"""/evaluation: the evaluation periods. Every reviewer sees the periods and
where each stands; admins and reviewers of the whole tree
(access.PERIOD_MANAGERS) make periods, set their rules and campaigns,
compute the results and lock them: the rules are the whole tree's. An
admin reopens a locked period. The results themselves: results_views."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from learning.campaigns.models import Campaign
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.errors import DomainError
from learning.core.input import parse_day, storable_form, unstorable_field, unstorable_message
from learning.core.permissions import ADMINS, REVIEWERS, requires
from learning.evaluation import decisions, periods
from learning.evaluation import jobs as _jobs  # noqa: F401  (registers the computation's job kind)
from learning.evaluation.access import PERIOD_MANAGERS, may_manage_periods, top_units
from learning.evaluation.models import Period
from learning.evaluation.rules import BANDED, TERMS
from learning.jobs import queue
from learning.jobs.models import Job

bp = Blueprint("evaluation", __name__)


@bp.route("/")
@requires(REVIEWERS)
def index():
    return _index_page(_new_period_defaults(), {})


def _index_page(form: dict[str, str], errors: dict[str, str], status: int = 200):
    found = list(db.session.scalars(select(Period).order_by(Period.year.desc(), Period.id.desc())))
    return render_template("evaluation/index.html", periods=found, form=form, errors=errors,
                           manages=may_manage_periods(current_user)), status


def _new_period_defaults() -> dict[str, str]:
    year = vietnam_today().year
    return {"name": _("Evaluation %(year)s", year=year), "year": str(year),
            "starts_on": date(year, 1, 1).strftime("%d/%m/%Y"), "ends_on": date(year, 12, 31).strftime("%d/%m/%Y")}


@bp.route("/periods", methods=["POST"])
@requires(PERIOD_MANAGERS)
def create():
    form = storable_form(request.form)
    values = {key: (form.get(key) or "").strip() for key in ("name", "year", "starts_on", "ends_on")}
    errors: dict[str, str] = {}
    if unstorable_field(request.form) is not None:
        errors["name"] = str(unstorable_message(_("Name")))
    year = int(values["year"]) if values["year"].isascii() and values["year"].isdigit() \
        and len(values["year"]) == 4 and 2000 <= int(values["year"]) <= 2100 else None
    if year is None:
        errors["year"] = _("The year: four digits, such as %(year)s.", year=vietnam_today().year)
    starts_on, ends_on = parse_day(values["starts_on"]), parse_day(values["ends_on"])
    for key, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is None:
            errors[key] = _("Write the date as dd/mm/yyyy.")
    if not errors:
        try:
            period = periods.create_period(current_user, values["name"], year, starts_on, ends_on)
        except periods.RulesInvalid as invalid:
            errors = invalid.errors
        else:
            flash(_("Evaluation period created: check its rules and campaigns."), "success")
            return redirect(url_for("evaluation.rules", period_id=period.id))
    return _index_page(values, errors, 400)


@bp.route("/periods/<int:period_id>/rules")
@requires(PERIOD_MANAGERS)
def rules(period_id: int):
    period = _period(period_id)
    return _rules_page(period, _draft_of(period.rule_set.definition), {c.id for c in period.campaigns}, {})


@bp.route("/periods/<int:period_id>/rules", methods=["POST"])
@requires(PERIOD_MANAGERS)
def save_rules(period_id: int):
    period = _period(period_id)
    form = storable_form(request.form)
    draft = {key: (form.get(key) or "").strip()[:8] for key in _draft_of(period.rule_set.definition)}
    chosen = {int(c) for c in request.form.getlist("campaign") if c.isascii() and c.isdigit() and len(c) < 10}
    if unstorable_field(request.form) is not None:
        return _rules_page(period, draft, chosen, {"form": str(unstorable_message(_("This field")))}), 400
    try:
        periods.set_rules(current_user, period, _definition_of(draft), sorted(chosen))
    except periods.RulesInvalid as invalid:
        errors = {_field_name(key): message for key, message in invalid.errors.items()}
    except DomainError as refused:
        errors = {"form": str(refused)}
    else:
        flash(_("The period's rules are saved."), "success")
        return redirect(url_for("evaluation.rules", period_id=period.id))
    return _rules_page(period, draft, chosen, errors), 400


@bp.route("/periods/<int:period_id>")
@requires(REVIEWERS)
def period(period_id: int):
    return _period_page(_period(period_id))


def _period_page(found: Period, error: str = "", status: int = 200):
    job = db.session.get(Job, found.compute_job_id) if found.compute_job_id else None
    return render_template("evaluation/period.html", period=found, units=top_units(current_user), job=job,
                           manages=may_manage_periods(current_user), error=error,
                           rules_changed=found.computed_at is not None
                           and found.computed_rule_set_id != found.rule_set_id), status


@bp.route("/periods/<int:period_id>/compute", methods=["POST"])
@requires(PERIOD_MANAGERS)
def compute(period_id: int):
    found = _period(period_id)
    if found.locked:
        return _period_page(found, _("This period is locked: its results can no longer change."), 400)
    job = queue.enqueue("evaluation.compute", {"period_id": found.id}, current_user)
    found.compute_job_id = job.id
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/periods/<int:period_id>/lock", methods=["POST"])
@requires(PERIOD_MANAGERS)
def lock(period_id: int):
    found = _period(period_id)
    try:
        decisions.lock(current_user, found)
    except DomainError as refused:
        return _period_page(found, str(refused), 400)
    flash(_("The period is locked: its results no longer change."), "success")
    return redirect(url_for("evaluation.period", period_id=found.id))


@bp.route("/periods/<int:period_id>/reopen", methods=["POST"])
@requires(ADMINS)
def reopen(period_id: int):
    found = _period(period_id)
    if unstorable_field(request.form) is not None:
        return _period_page(found, str(unstorable_message(_("Reason"))), 400)
    try:
        decisions.reopen(current_user, found, request.form.get("reason", ""))
    except DomainError as refused:
        return _period_page(found, str(refused), 400)
    flash(_("The period is open again: results may be decided and computed anew."), "success")
    return redirect(url_for("evaluation.period", period_id=found.id))


def _period(period_id: int) -> Period:
    period = db.session.get(Period, period_id)
    if period is None:
        abort(404)
    return period


def _rules_page(period: Period, draft: dict[str, str], chosen: set[int], errors: dict[str, str]):
    campaigns = list(db.session.scalars(select(Campaign).order_by(Campaign.opens_on.desc(), Campaign.id.desc())))
    return render_template("evaluation/rules.html", period=period, draft=draft, errors=errors, terms=TERMS,
                           bands=BANDED, campaigns=campaigns, chosen=chosen)


def _field_name(key: str) -> str:
    """rules.validate names fields "weights.completion"; the form "weights-completion"."""
    return key.replace(".", "-")


def _draft_of(definition) -> dict[str, str]:
    draft = {f"weights-{code}": str(definition["weights"].get(code, 0)) for code in TERMS}
    draft.update({f"bands-{level.value}": str(definition["bands"].get(level.value, "")) for level in BANDED})
    quota = (definition.get("quota") or {}).get("excellent_of_good")
    draft["quota-excellent_of_good"] = "" if quota is None else str(quota)
    return draft


def _definition_of(draft: dict[str, str]) -> dict:
    return {"weights": {code: draft[f"weights-{code}"] for code in TERMS},
            "bands": {level.value: draft[f"bands-{level.value}"] for level in BANDED},
            "quota": {"excellent_of_good": draft["quota-excellent_of_good"]}}
