"""A campaign's grading scale: its manager sets or changes it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.campaigns.access import within_scope
from learning.campaigns.models import Campaign
from learning.core import db
from learning.core.input import storable_form, unstorable_field, unstorable_message
from learning.core.permissions import CAMPAIGN_MANAGERS, requires
from learning.review import rubrics
from learning.review.scales import DEFAULT_KIND, MAX_CRITERIA, MAX_LEVELS, SCALES

bp = Blueprint("scales", __name__)


@bp.route("/campaigns/<int:campaign_id>/scale", methods=["GET", "POST"])
@requires(CAMPAIGN_MANAGERS)
def edit(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not within_scope(current_user, campaign):
        abort(404)
    may_edit = rubrics.may_set_scale(current_user, campaign)
    current = rubrics.campaign_rubric(campaign.id)
    kind = current.kind if current is not None else DEFAULT_KIND
    drafts = {code: scale.draft(current.definition if current is not None and current.kind == code else {})
              for code, scale in SCALES.items()}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not may_edit:
            abort(403)
        form = request.form
        kind = form.get("kind", "")
        fields = _fields_of(form, kind)
        refused = unstorable_field(form)
        if refused is not None:
            errors, status = {refused.removeprefix(f"{kind}-"): str(unstorable_message(_("This field")))}, 400
            drafts[kind] = SCALES[kind].read_draft(_fields_of(storable_form(form), kind))[0] if kind in SCALES else {}
        elif form.get("action") == "more":  # one more empty criterion, nothing saved
            drafts[kind] = SCALES[kind].read_draft(fields)[0] if kind in SCALES else {}
            return _page(campaign, kind, drafts, errors, may_edit, extra_rows=2)
        else:
            try:
                rubrics.set_scale(campaign, current_user, kind, fields)
            except rubrics.ScaleInvalid as invalid:
                errors, status = invalid.errors, 400
                if kind in SCALES:
                    drafts[kind] = invalid.draft
            else:
                flash(_("Grading scale saved."), "success")
                return redirect(url_for("scales.edit", campaign_id=campaign.id))
    return _page(campaign, kind, drafts, errors, may_edit), status


def _fields_of(form, kind: str):
    """Each kind's fields are named after it on the page ("points-max_points")."""
    return lambda name: form.get(f"{kind}-{name}")


def _page(campaign, kind, drafts, errors, may_edit, extra_rows: int = 1):
    return render_template("review/scale.html", campaign=campaign, kind=kind, drafts=drafts, errors=errors,
                           scales=SCALES, may_edit=may_edit, extra_rows=extra_rows, max_criteria=MAX_CRITERIA,
                           max_levels=MAX_LEVELS)
