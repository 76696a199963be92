"""Follow-up (theo dõi): a campaign's dashboard for a reviewer's units, drill-
down to a cell's members, the lagging units, a cell's sheet to print. Every
unit and campaign is checked against the reviewer's scope: outside it, 404."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from learning.campaigns.access import can_view_campaign
from learning.campaigns.models import Campaign
from learning.campaigns.operations import visible_campaigns
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.permissions import REVIEWERS, requires
from learning.org.models import UnitKind
from learning.review import dashboards
from learning.review.charts import bar_chart, value_text
from learning.study.progress import StudyState

bp = Blueprint("follow", __name__)
CHART_BARS = 40


@bp.app_template_filter("share")
def _share(value: float | None) -> str:
    """A percentage as the follow-up pages show it: 33.3%, 50%, or – (nothing to count)."""
    return value_text(value)


@bp.app_template_filter("score")
def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_view_campaign(current_user, campaign):
        abort(404)
    return campaign


def _unit(unit_id: int | None, campaign: Campaign | None = None):
    if unit_id is None:
        unit = dashboards.top_unit(current_user, campaign)
    else:
        unit = dashboards.unit_in_scope(current_user, unit_id)
    if unit is None:
        abort(404)
    return unit


@bp.route("/")
@requires(REVIEWERS)
def index():
    return render_template("review/index.html", campaigns=visible_campaigns(current_user), today=vietnam_today())


@bp.route("/campaigns/<int:campaign_id>")
@bp.route("/campaigns/<int:campaign_id>/units/<int:unit_id>")
@requires(REVIEWERS)
def campaign(campaign_id: int, unit_id: int | None = None):
    found = _campaign(campaign_id)
    page = dashboards.campaign_dashboard(current_user, found, _unit(unit_id, found), vietnam_today())
    charted = page.rows
    if len(charted) > CHART_BARS:  # a province's 500 organisations: the chart shows those lagging most
        charted = sorted(charted, key=lambda row: row.figures.completion(page.lesson_count) or 0.0)[:CHART_BARS]
    unit_url = _unit_links(found.id)
    chart = bar_chart([(row.unit.name, row.figures.completion(page.lesson_count), unit_url(row.unit.id))
                       for row in charted])
    return render_template("review/dashboard.html", page=page, chart=chart, charted_all=charted is page.rows,
                           today=vietnam_today(), lesson_states=_lesson_states(page), unit_url=unit_url,
                           member_url=_links("members.show", "member_id"))


@bp.route("/campaigns/<int:campaign_id>/lagging")
@bp.route("/campaigns/<int:campaign_id>/units/<int:unit_id>/lagging")
@requires(REVIEWERS)
def lagging(campaign_id: int, unit_id: int | None = None):
    found = _campaign(campaign_id)
    kind = request.args.get("level", UnitKind.CELL.value)
    if kind not in {k.value for k in dashboards.LAGGING_KINDS}:
        kind = UnitKind.CELL.value
    page = dashboards.lagging_units(found, _unit(unit_id, found), kind)
    return render_template("review/lagging.html", page=page, kinds=dashboards.LAGGING_KINDS,
                           unit_url=_unit_links(found.id))


@bp.route("/units/<int:unit_id>/print")
@requires(REVIEWERS)
def print_sheet(unit_id: int):
    unit = _unit(unit_id)
    chosen = {int(c) for c in request.args.getlist("campaign") if c.isdigit() and len(c) < 10}
    pages = dashboards.meeting_sheet(current_user, unit, chosen, vietnam_today())
    wide = max((page.lesson_count for page in pages), default=0) > 6
    return render_template("review/print.html", unit=unit, pages=pages, today=vietnam_today(),
                           state_names=_state_names(), marks=dashboards.STATE_MARKS, wide=wide)


def _links(endpoint: str, key: str, **values):
    """id → the address of `endpoint` with that id as `key`: built once and
    completed per row (a province's page links 500 units, a cell's page 50
    members; url_for for each cost a fifth of the page)."""
    stem = url_for(endpoint, **values, **{key: 0})
    assert stem.endswith("/0")
    stem = stem[:-1]

    def link(object_id: int) -> str:
        return f"{stem}{int(object_id)}"
    return link


def _unit_links(campaign_id: int):
    """unit id → the address of the campaign's page of that unit."""
    return _links("follow.campaign", "unit_id", campaign_id=campaign_id)


def _badges() -> dict[StudyState, Markup]:
    """Each state's badge, made once per page: a cell's page shows one per member and lesson."""
    return {state: Markup('<span class="state state-{}">{}</span>').format(state.value, str(state.label))
            for state in StudyState}


def _lesson_states(page: dashboards.Dashboard):
    """A member's lessons with their states, as the cell's page lists them:
    each (lesson, state) item made once per page and joined per member (50
    members × 20 lessons are 1,000 items, too many for a template loop)."""
    badges = _badges()
    items = [{state: Markup("<li>{} {}</li>").format(version.doc_number, badge) for state, badge in badges.items()}
             for _lesson, version in page.lessons]

    def states(row: dashboards.MemberRow) -> Markup:
        return Markup("").join([items[i][state] for i, state in enumerate(row.states)])
    return states


def _state_names() -> dict[StudyState, str]:
    """Each state's name, translated once per page (a cell's page shows one per member and lesson)."""
    return {state: str(state.label) for state in StudyState}
