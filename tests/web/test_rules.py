"""The rules asked by several pages, each kept in one place: which campaigns
bind a member to a lesson and by when (campaigns.binding), which units a
reviewer covers (org.scope), and an attempt's deadline read afresh."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from learning.campaigns import operations as campaigns
from learning.campaigns.binding import due_date, due_dates
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.models import Attempt
from learning.org.scope import reviews_unit
from tests.web.test_study import form_of, save_json, single_choice, start

HIDDEN = "chưa hiện đáp án"


def _campaign(admin, lesson, unit, opens_in: int, closes_in: int, title="Đợt"):
    today = vietnam_today()
    found = campaigns.create_campaign(admin, CampaignInput(
        title, "", today + timedelta(days=opens_in), today + timedelta(days=closes_in), [lesson.id], [unit.id]))
    db.session.commit()
    return found


def test_the_due_date_is_the_earliest_closing_of_the_opened_campaigns_above_the_member(
        publish_file, tree, make_user):
    lesson = publish_file()
    admin = make_user(role="admin", phone="0966000001")
    member = make_user(phone="0966000002", member_of=tree["cell_a"])
    today = vietnam_today()
    _campaign(admin, lesson, tree["province"], -5, 20)  # above the member's cell: binds
    _campaign(admin, lesson, tree["grassroots"], -1, 9)  # binds, and is due sooner
    _campaign(admin, lesson, tree["cell_b"], -9, 2)  # another cell: does not bind
    _campaign(admin, lesson, tree["cell_a"], 3, 5)  # not open yet: does not bind yet
    assert due_date(member.id, lesson.id, today) == today + timedelta(days=9)
    assert due_dates(member.id, today) == {lesson.id: today + timedelta(days=9)}
    assert due_date(member.id, lesson.id, today + timedelta(days=3)) == today + timedelta(days=5)
    outsider = make_user(phone="0966000003", member_of=tree["cell_b"])
    assert due_date(outsider.id, lesson.id, today) == today + timedelta(days=2)


@pytest.fixture
def submitted_after_close(client, login, publish_file, make_user):
    """A member's submitted attempt at a lesson that shows its answers only
    after the campaign closes; the lesson; an admin to make campaigns."""
    lesson = publish_file("366-qd-tw-2025.md")
    login(make_user(phone="0966000004"))
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit"})
    return f"/attempts/{attempt.id}/result", lesson, make_user(role="admin", phone="0966000005")


def test_answers_shown_after_close_follow_the_due_date(client, tree, submitted_after_close):
    """`after_close` shows the answers once the member's due date has passed:
    the earliest closing of the opened campaigns, not the latest, and a
    campaign not yet open does not hold them back."""
    result, lesson, admin = submitted_after_close
    _campaign(admin, lesson, tree["cell_a"], -9, -1, "Đã đóng")  # due yesterday
    _campaign(admin, lesson, tree["grassroots"], -3, 7, "Còn mở")  # closes later
    _campaign(admin, lesson, tree["province"], 5, 30, "Sắp mở")  # not open yet
    assert HIDDEN not in client.get(result).get_data(as_text=True)


def test_answers_after_close_stay_hidden_while_the_due_date_is_ahead(client, tree, submitted_after_close):
    result, lesson, admin = submitted_after_close
    _campaign(admin, lesson, tree["cell_a"], -9, 1, "Còn mở")
    _campaign(admin, lesson, tree["province"], -20, -10, "Của chi bộ khác")  # binds: province is above
    assert HIDDEN not in client.get(result).get_data(as_text=True)
    db.session.execute(update(campaigns.Campaign).where(campaigns.Campaign.title == "Của chi bộ khác")
                       .values(opens_on=vietnam_today() + timedelta(days=1), closes_on=vietnam_today() + timedelta(days=2)))
    db.session.commit()
    assert HIDDEN in client.get(result).get_data(as_text=True)


def test_an_extended_deadline_reaches_the_next_save(client, login, publish_file, make_user):
    """Nothing a reviewer may change is remembered by a worker: after the
    deadline moves, the next save reports the new time left."""
    lesson = publish_file()  # 15-minute time limit
    login(make_user(phone="0966000008"))
    attempt = start(client, lesson)
    question, keys = single_choice(attempt)
    token = client.csrf_token(f"/attempts/{attempt.id}")
    first = save_json(client, attempt, token, question.key, keys[0], 1).get_json()
    assert 0 < first["seconds_left"] <= 15 * 60
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id)
                       .values(deadline_at=utcnow() + timedelta(minutes=45)))
    db.session.commit()
    second = save_json(client, attempt, token, question.key, keys[1], 2).get_json()
    assert second["saved"] == [{"key": question.key, "seq": 2}]
    assert 44 * 60 < second["seconds_left"] <= 45 * 60


def test_a_reviewer_covers_their_unit_and_everything_beneath_it_only(tree, make_user):
    reviewer = make_user(role="reviewer", unit=tree["grassroots"], phone="0966000009")
    assert reviews_unit(reviewer, tree["grassroots"]) and reviews_unit(reviewer, tree["cell_a"])
    assert not reviews_unit(reviewer, tree["province"])
    cell_reviewer = make_user(role="reviewer", unit=tree["cell_a"], phone="0966000010")
    assert reviews_unit(cell_reviewer, tree["cell_a"]) and not reviews_unit(cell_reviewer, tree["cell_b"])
    assert not reviews_unit(cell_reviewer, tree["grassroots"])


def test_a_unit_whose_path_extends_another_number_is_not_beneath_it(app, tree, make_user):
    """Paths end with a slash: the unit /1/ does not cover /12/."""
    from learning.org.units import add_unit
    first = tree["province"]
    sibling = add_unit("Tỉnh ủy khác", "province")
    sibling.path = first.path.rstrip("/") + "2/"  # e.g. /1/ and /12/
    db.session.commit()
    reviewer = make_user(role="reviewer", unit=first, phone="0966000011")
    assert not reviews_unit(reviewer, sibling)


def test_a_reviewers_campaign_belongs_to_the_nearest_unit_of_theirs_that_covers_it(tree, publish_file, make_user):
    from learning.core.permissions import Role
    from learning.models import RoleGrant
    lesson = publish_file()
    reviewer = make_user(role="reviewer", unit=tree["grassroots"], phone="0966000012")
    reviewer.grants.append(RoleGrant(role=Role.REVIEWER, unit=tree["cell_a"]))
    db.session.commit()
    today = vietnam_today()
    own_cell = campaigns.create_campaign(reviewer, CampaignInput(
        "Chi bộ", "", today, today + timedelta(days=5), [lesson.id], [tree["cell_a"].id]))
    both_cells = campaigns.create_campaign(reviewer, CampaignInput(
        "Hai chi bộ", "", today, today + timedelta(days=5), [lesson.id], [tree["cell_a"].id, tree["cell_b"].id]))
    assert own_cell.owner_unit_id == tree["cell_a"].id
    assert both_cells.owner_unit_id == tree["grassroots"].id
    try:
        campaigns.create_campaign(reviewer, CampaignInput(
            "Tỉnh", "", today, today + timedelta(days=5), [lesson.id], [tree["province"].id]))
    except campaigns.CampaignInvalid as invalid:
        assert "units" in invalid.errors
    else:
        raise AssertionError("a unit above the reviewer's scope was accepted")
