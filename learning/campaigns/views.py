"""Study campaigns: editors and admins for any unit, reviewers for their own."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from learning.campaigns import operations as campaigns
from learning.campaigns.access import can_manage_campaign, can_view_campaign
from learning.campaigns.models import Campaign
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.input import (
    InvalidInput,
    parse_day,
    storable_form,
    unstorable_field,
    unstorable_message,
    whole_number,
)
from learning.core.permissions import CAMPAIGN_MANAGERS, requires
from learning.lessons.catalogue import published_lessons

bp = Blueprint("campaigns", __name__)


@bp.route("/")
@requires(CAMPAIGN_MANAGERS)
def index():
    return render_template("campaigns/index.html", campaigns=campaigns.visible_campaigns(current_user),
                           today=vietnam_today())


@bp.route("/new", methods=["GET", "POST"])
@requires(CAMPAIGN_MANAGERS)
def new():
    errors: dict[str, str] = {}
    form = request.form
    status = 200
    if request.method == "POST":
        try:
            data = _campaign_input(form)
        except InvalidInput as invalid:  # nothing is written; the form comes back without what was refused
            errors, form, status = _refusal(invalid), storable_form(form), 400
        else:
            try:
                campaign = campaigns.create_campaign(current_user, data)
            except campaigns.CampaignInvalid as invalid:
                errors, status = invalid.errors, 400
            else:
                flash(_("Campaign created."), "success")
                return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/new.html", errors=errors, form=form, lessons=published_lessons(),
                           units=campaigns.assignable_units(current_user), today=vietnam_today()), status


def _labels() -> dict[str, str]:
    return {"title": _("Title"), "description": _("Description"), "opens_on": _("Opens on"),
            "closes_on": _("Due on"), "lessons": _("Lessons"), "units": _("Assigned to")}


def _campaign_input(form) -> campaigns.CampaignInput:
    """The form's fields, or InvalidInput naming the first one at fault."""
    _refuse_unstorable(form)
    return campaigns.CampaignInput(
        title=form.get("title", ""), description=form.get("description", ""),
        opens_on=parse_day(form.get("opens_on")), closes_on=parse_day(form.get("closes_on")),
        lesson_ids=_ids(form, "lessons"), unit_ids=_ids(form, "units"),
    )


def _refusal(invalid: InvalidInput) -> dict[str, str]:
    """Shown on its field, or above the form when the field is none of its own."""
    if invalid.field in _labels():
        return {invalid.field: str(invalid)}
    flash(str(invalid), "error")
    return {}


@bp.route("/<int:campaign_id>")
@requires(CAMPAIGN_MANAGERS)
def show(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_view_campaign(current_user, campaign):
        abort(404)
    return render_template("campaigns/show.html", campaign=campaign, today=vietnam_today(),
                           can_manage=can_manage_campaign(current_user, campaign))


def _managed(campaign_id: int) -> Campaign:
    """The campaign, if the user may manage it; 404 otherwise (as for one they cannot see)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_manage_campaign(current_user, campaign):
        abort(404)
    return campaign


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@requires(CAMPAIGN_MANAGERS)
def edit(campaign_id: int):
    campaign = _managed(campaign_id)
    if request.method == "GET":
        return _edit_page(campaign, _form_of(campaign))
    form = request.form
    try:
        data = _edit_input(form)
    except InvalidInput as invalid:
        return _edit_page(campaign, storable_form(form), _refusal(invalid), 400)
    try:
        changed = campaigns.update_campaign(current_user, campaign, data)
    except campaigns.CampaignInvalid as invalid:
        return _edit_page(campaign, form, invalid.errors, 400)
    flash(_("Campaign saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/extend", methods=["POST"])
@requires(CAMPAIGN_MANAGERS)
def extend(campaign_id: int):
    campaign = _managed(campaign_id)
    try:
        _refuse_unstorable(request.form)
        campaigns.extend_campaign(current_user, campaign, parse_day(request.form.get("closes_on")))
    except InvalidInput as invalid:
        return _edit_page(campaign, _form_of(campaign), {"closes_on": str(invalid)}, 400,
                          closing=storable_form(request.form))
    except campaigns.CampaignInvalid as invalid:
        return _edit_page(campaign, _form_of(campaign), invalid.errors, 400, closing=request.form)
    flash(_("The campaign now closes on %(day)s.", day=campaign.closes_on.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/close", methods=["POST"])
@requires(CAMPAIGN_MANAGERS)
def close(campaign_id: int):
    campaign = _managed(campaign_id)
    try:
        campaigns.close_campaign(current_user, campaign, vietnam_today())
    except campaigns.CampaignInvalid as invalid:
        return _edit_page(campaign, _form_of(campaign), invalid.errors, 400)
    flash(_("Campaign closed."), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


def _edit_page(campaign: Campaign, form, errors: dict[str, str] | None = None, status: int = 200, closing=None):
    return render_template("campaigns/edit.html", campaign=campaign, form=form, errors=errors or {},
                           closing=closing or MultiDict(), lessons=campaigns.editable_lessons(campaign),
                           units=campaigns.assignable_units(current_user), today=vietnam_today()), status


def _form_of(campaign: Campaign) -> MultiDict:
    """The edit form as the campaign stands."""
    return MultiDict([("title", campaign.title), ("description", campaign.description)]
                     + [("lessons", str(lesson.id)) for lesson in campaign.lessons]
                     + [("units", str(unit.id)) for unit in campaign.units])


def _refuse_unstorable(form) -> None:
    refused = unstorable_field(form)
    if refused is not None:
        raise InvalidInput(unstorable_message(_labels().get(refused, _("The form"))), field=refused)


def _edit_input(form) -> campaigns.CampaignEdit:
    _refuse_unstorable(form)
    return campaigns.CampaignEdit(title=form.get("title", ""), description=form.get("description", ""),
                                  lesson_ids=_ids(form, "lessons"), unit_ids=_ids(form, "units"))


def _ids(form, name: str) -> list[int]:
    """The ticked boxes' ids. The page only sends the numbers it lists; an
    empty value is no box."""
    try:
        return [whole_number(value, _labels()[name]) for value in form.getlist(name) if value]
    except InvalidInput as invalid:
        raise InvalidInput(invalid.message, field=name) from None
