"""Follow-up dashboards (review.dashboards): the figures of a small tree with
known progress, drill-down to a cell's members, the lagging units, the
meeting sheet, the campaigns a secretary sees, and who may open what."""
import re
from datetime import timedelta

import pytest

from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.org import units as org
from learning.org.access import Member
from learning.org.models import RoleGrant
from learning.study import answers as answering
from learning.study import attempts, reading, submission
from tests.web.test_study import correct_values


def _complete(member, lesson):
    """The member reads the lesson and passes its quiz with every answer right."""
    attempt = attempts.start_attempt(member, lesson, lesson.versions[-1])
    answering.save_answers(Member(user_id=member.id), attempt.id, [
        answering.IncomingAnswer(q.key, correct_values(q)) for q in attempt.version.questions])
    submission.submit_attempt(attempt, confirmed=True)


@pytest.fixture
def world(tree, make_user, publish_file):
    """Province → grassroots → cells A and B; one lesson, one campaign that the
    province's committee (an admin) assigned to the whole province.
    Cell A: An complete, Bình opened it, Cường nothing, Dũng exempt (complete);
    cell B: Em complete, Giang nothing."""
    lesson = publish_file("366-qd-tw-2025.md")
    admin = make_user(role="admin", name="Quản trị", member_of=None)
    today = vietnam_today()
    campaign = campaigns.create_campaign(admin, CampaignInput(
        "Học tập Quy định 366", "", today - timedelta(days=3), today + timedelta(days=10), [lesson.id],
        [tree["province"].id]))
    db.session.commit()
    people = {}
    for name, cell, exempt in [("Cường", "cell_a", False), ("An", "cell_a", False), ("Bình", "cell_a", False),
                               ("Dũng", "cell_a", True), ("Em", "cell_b", False), ("Giang", "cell_b", False)]:
        people[name] = make_user(name=f"Nguyễn Văn {name}", member_of=tree[cell], exempt=exempt)
    for name in ("An", "Dũng", "Em"):
        _complete(people[name], lesson)
    reading.record_opened(people["Bình"], lesson)
    db.session.commit()
    return {"lesson": lesson, "campaign": campaign, "people": people, "admin": admin, **tree}


def _reviewer(make_user, unit, name="Bí thư", **kwargs):
    return make_user(role="reviewer", unit=unit, name=name, member_of=None, **kwargs)  # a member of no unit here


def _cells(html):
    """The text of every table cell, tags stripped, for rows containing `name`."""
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)]


def _row(html, name):
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if name in row:
            return _cells(row)
    raise AssertionError(f"no row for {name}")


def test_the_grassroots_dashboard_counts_each_cell_from_the_roll_ups(client, login, make_user, world):
    login(_reviewer(make_user, world["grassroots"]))
    html = client.get(f"/follow-up/campaigns/{world['campaign'].id}").get_data(as_text=True)
    # completion, members, started, complete, on time, average score
    assert _row(html, "Chi bộ A")[1:] == ["33.3%", "3", "2", "1", "1", "100.0"]
    assert _row(html, "Chi bộ B")[1:] == ["50%", "2", "1", "1", "1", "100.0"]
    assert re.search(r"<dt>[^<]*</dt><dd>5</dd>", html), "five members counted, the exempt one not"
    assert "40%" in html  # 2 of 5
    assert "<svg" in html and "<title" in html and "Chi bộ A: 33.3%" in html  # the chart, with text


def test_a_province_reviewer_starts_at_the_top_and_drills_down_to_a_cells_members(client, login, make_user, world):
    login(_reviewer(make_user, world["province"]))
    campaign = world["campaign"].id
    top = client.get(f"/follow-up/campaigns/{campaign}").get_data(as_text=True)
    assert _row(top, "Đảng bộ xã Thử nghiệm")[1:] == ["40%", "5", "3", "2", "2", "100.0"]
    down = f"/follow-up/campaigns/{campaign}/units/{world['grassroots'].id}"
    assert down in top
    middle = client.get(down).get_data(as_text=True)
    cell = f"/follow-up/campaigns/{campaign}/units/{world['cell_a'].id}"
    assert cell in middle
    page = client.get(cell).get_data(as_text=True)
    names = re.findall(r'class="member-name" href="/review/members/[0-9]+">Nguyễn Văn (\w+)<', page)
    assert names == ["An", "Bình", "Cường"]  # Vietnamese order; the exempt member apart
    assert "Nguyễn Văn Dũng" in page.split("member-name")[-1]  # listed as exempt, after the members
    not_started = page.split("<h2>", 3)[-1]
    assert "Nguyễn Văn Cường" in not_started and "Nguyễn Văn Bình" not in not_started.split("</ul>")[0]


def test_lagging_units_come_lowest_completion_first(client, login, make_user, world):
    login(_reviewer(make_user, world["province"]))
    html = client.get(f"/follow-up/campaigns/{world['campaign'].id}/lagging?level=cell").get_data(as_text=True)
    assert html.index("Chi bộ A") < html.index("Chi bộ B")  # 33.3% before 50%
    assert _row(html, "Chi bộ A")[2] == "33.3%"


def test_the_meeting_sheet_lists_each_member_and_the_totals(client, login, make_user, world):
    login(_reviewer(make_user, world["cell_a"]))
    response = client.get(f"/follow-up/units/{world['cell_a'].id}/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Học tập Quy định 366" in html and vietnam_today().strftime("%d/%m/%Y") in html
    assert [c for c in _row(html, "Nguyễn Văn An")][-1] == "1/1"
    assert _row(html, "Nguyễn Văn Cường")[-1] == "0/1"
    assert "1/3 (33.3%)" in html


def test_a_secretary_sees_the_campaigns_created_above_their_cell(client, login, make_user, world, tree):
    other_province = org.add_unit("Tỉnh ủy Khác", "province")
    db.session.commit()
    today = vietnam_today()
    campaigns.create_campaign(world["admin"], CampaignInput(
        "Của tỉnh khác", "", today, today + timedelta(days=5), [world["lesson"].id], [other_province.id]))
    campaigns.create_campaign(world["admin"], CampaignInput(
        "Của chi bộ B", "", today, today + timedelta(days=5), [world["lesson"].id], [tree["cell_b"].id]))
    db.session.commit()
    login(_reviewer(make_user, tree["cell_a"]))
    for page in ("/campaigns/", "/follow-up/"):
        html = client.get(page).get_data(as_text=True)
        assert "Học tập Quy định 366" in html, page  # assigned to the province, above the cell
        assert "Của tỉnh khác" not in html and "Của chi bộ B" not in html, page
    assert client.get(f"/campaigns/{world['campaign'].id}").status_code == 200


def _routes(world):
    campaign, cell, grassroots = world["campaign"].id, world["cell_a"].id, world["grassroots"].id
    return [f"/follow-up/campaigns/{campaign}", f"/follow-up/campaigns/{campaign}/units/{grassroots}",
            f"/follow-up/campaigns/{campaign}/units/{cell}", f"/follow-up/campaigns/{campaign}/lagging",
            f"/follow-up/campaigns/{campaign}/units/{cell}/lagging", f"/follow-up/units/{cell}/print"]


def test_every_page_opens_for_a_reviewer_of_the_subtree(client, login, make_user, world):
    login(_reviewer(make_user, world["grassroots"]))
    assert client.get("/follow-up/").status_code == 200
    for url in _routes(world):
        assert client.get(url).status_code == 200, url


def test_a_reviewer_of_another_subtree_gets_404_on_every_page(client, login, make_user, world):
    other = org.add_unit("Tỉnh ủy Khác", "province")
    db.session.commit()
    login(_reviewer(make_user, other, name="Bí thư khác"))
    for url in _routes(world):
        assert client.get(url).status_code == 404, url


def test_a_reviewer_of_a_sibling_cell_gets_404_on_the_other_cells_pages(client, login, make_user, world):
    login(_reviewer(make_user, world["cell_b"], name="Bí thư B"))
    campaign, cell, grassroots = world["campaign"].id, world["cell_a"].id, world["grassroots"].id
    assert client.get(f"/follow-up/campaigns/{campaign}").status_code == 200  # their own cell
    for url in (f"/follow-up/campaigns/{campaign}/units/{cell}", f"/follow-up/campaigns/{campaign}/units/{grassroots}",
                f"/follow-up/campaigns/{campaign}/units/{cell}/lagging", f"/follow-up/units/{cell}/print"):
        assert client.get(url).status_code == 404, url


def test_members_are_refused_and_anonymous_visitors_sent_to_sign_in(client, login, make_user, world):
    for url in ["/follow-up/", *_routes(world)]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    login(make_user(name="Đảng viên", member_of=world["cell_a"]))
    for url in ["/follow-up/", *_routes(world)]:
        assert client.get(url).status_code == 403, url


def test_the_menu_offers_follow_up_to_reviewers_only(client, login, make_user, world):
    login(make_user(name="Đảng viên", member_of=world["cell_a"]))
    assert "/follow-up/" not in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    login(_reviewer(make_user, world["cell_a"]))
    assert "/follow-up/" in client.get("/").get_data(as_text=True)


def test_a_reviewer_of_several_units_starts_where_the_campaign_binds(client, login, make_user, world, tree):
    other = org.add_unit("Tỉnh ủy Khác", "province")
    db.session.commit()
    today = vietnam_today()
    only_b = campaigns.create_campaign(world["admin"], CampaignInput(
        "Của chi bộ B", "", today, today + timedelta(days=5), [world["lesson"].id], [tree["cell_b"].id]))
    db.session.commit()
    reviewer = _reviewer(make_user, other, name="Hai nơi")
    db.session.add(RoleGrant(user_id=reviewer.id, role="reviewer", unit_id=tree["cell_b"].id))
    db.session.commit()
    login(reviewer)
    html = client.get(f"/follow-up/campaigns/{only_b.id}").get_data(as_text=True)
    assert "<h1>Chi bộ B</h1>" in html and "Nguyễn Văn Em" in html


def test_a_cells_page_gives_each_member_the_state_study_state_gives_their_progress_row(
        tree, make_user, publish_file, monkeypatch):
    """The cell's page reads a few columns of each progress row, not the row:
    every state, reflections' included, must come out as from the full row."""
    from learning.core.db import utcnow
    from learning.models import LessonProgress
    from learning.review import dashboards
    from learning.study.progress import StudyState, study_state

    lesson = publish_file("366-qd-tw-2025.md")
    now = utcnow()
    rows = {"never": None, "opened": {"started_at": now},
            "quiz": {"started_at": now, "quiz_passed_at": now},
            "failed": {"started_at": now, "reflection_submitted_at": now, "reflection_graded_at": now,
                       "reflection_passed": False},
            "returned": {"started_at": now, "reflection_submitted_at": now, "reflection_graded_at": now,
                         "reflection_passed": False, "reflection_returned_reason": "Viết thêm"},
            "waiting": {"started_at": now, "quiz_passed_at": now, "completed_at": now, "counted_percent": 80.0},
            "done": {"started_at": now, "quiz_passed_at": now, "completed_at": now, "reflection_graded_at": now,
                     "reflection_passed": True, "counted_percent": 90.0}}
    people = {}
    for name, columns in rows.items():
        people[name] = make_user(name=f"Trần Văn {name}", member_of=tree["cell_a"])
        if columns is not None:
            db.session.add(LessonProgress(user_id=people[name].id, lesson_id=lesson.id, **columns))
    db.session.flush()
    monkeypatch.setattr(dashboards, "has_reflection", lambda version_id: True)
    members, _exempt = dashboards._members(tree["cell_a"], [(lesson, lesson.versions[-1])])
    got = {row.member.id: (row.states[0], row.progress[0] and row.progress[0].counted_percent) for row in members}
    full = {p.user_id: p for p in db.session.query(LessonProgress)}
    expected = {person.id: (study_state(full.get(person.id), True), full[person.id].counted_percent
                            if person.id in full else None) for person in people.values()}
    assert got == expected
    assert {state for state, _percent in got.values()} == set(StudyState)  # every state was tried


def test_on_postgresql_the_dashboards_plan_each_statement_for_its_parameters(world, make_user):
    """A generic plan cached for a prefix that picks one cell is wrong for one
    that picks a province: the dashboards ask PostgreSQL for custom plans."""
    from sqlalchemy import text

    from learning.review import dashboards
    if db.dialect_name() != "postgresql":
        pytest.skip("plan caching is PostgreSQL's; SQLite plans every statement (the suite's PostgreSQL run checks)")
    reviewer = _reviewer(make_user, world["province"])
    for page in (lambda: dashboards.campaign_dashboard(reviewer, world["campaign"], world["province"], vietnam_today()),
                 lambda: dashboards.lagging_units(world["campaign"], world["province"], "cell")):
        db.session.commit()
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "auto"
        page()
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    db.session.commit()
