"""Study campaigns: editors and admins for any unit, reviewers for their own."""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.core import db
from learning.core.clock import vietnam_today
from learning.campaigns.models import Campaign
from learning.campaigns import operations as campaigns
from learning.lessons.catalogue import published_lessons
from learning.campaigns.access import can_view_campaign
from learning.core.permissions import CAMPAIGN_MANAGERS, requires

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
    if request.method == "POST":
        data = campaigns.CampaignInput(
            title=form.get("title", ""), description=form.get("description", ""),
            opens_on=parse_day(form.get("opens_on")), closes_on=parse_day(form.get("closes_on")),
            lesson_ids=_ints(form.getlist("lessons")), unit_ids=_ints(form.getlist("units")),
        )
        try:
            campaign = campaigns.create_campaign(current_user, data)
        except campaigns.CampaignInvalid as invalid:
            errors = invalid.errors
        else:
            flash(_("Campaign created."), "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/new.html", errors=errors, form=form, lessons=published_lessons(),
                           units=campaigns.assignable_units(current_user), today=vietnam_today())


@bp.route("/<int:campaign_id>")
@requires(CAMPAIGN_MANAGERS)
def show(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_view_campaign(current_user, campaign):
        abort(404)
    return render_template("campaigns/show.html", campaign=campaign)


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


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]
