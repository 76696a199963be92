"""Reviewers follow up a member: find them, read what they did in each lesson
a campaign binds them to, give one more attempt or a later due date (with a
reason, in the audit log); campaigns are edited, extended and closed. Every
route is a 404 for a reviewer of another subtree, and refused to members and
to anonymous visitors."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learning.audit.models import AuditEntry
from learning.campaigns import operations as campaigns
from learning.campaigns.binding import due_date, due_dates
from learning.campaigns.extensions import extend_due_date
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.lessons.authoring import KINDS
from learning.lessons.search import fold
from learning.models import Attempt, AttemptAllowance, Campaign, DueDateExtension, LessonProgress, LessonRollup
from learning.org.names import folded
from learning.org.scope import OwnRecord
from learning.study.allowances import grant_extra_attempts
from tests.conftest import PASSWORD
from tests.web.test_study import correct_values, form_of, start

HIDDEN = "chưa hiện đáp án"



def _cell_row(lesson):
    """The roll-up row of the members directly in their cell (not a row beneath a unit above)."""
    return LessonRollup.lesson_id == lesson.id, LessonRollup.beneath.is_(False)

def _day(offset: int) -> str:
    return (vietnam_today() + timedelta(days=offset)).strftime("%d/%m/%Y")


def _campaign(by, lessons, units, opens_in=-3, closes_in=10, title="Đợt học tập Nghị quyết"):
    today = vietnam_today()
    found = campaigns.create_campaign(by, CampaignInput(
        title, "", today + timedelta(days=opens_in), today + timedelta(days=closes_in),
        [lesson.id for lesson in lessons], [unit.id for unit in units]))
    db.session.commit()
    return found


def _wrong(question) -> list[str]:
    """A wrong answer for an automatic question (the reflection gets a real one)."""
    if question.kind in ("single", "multiple"):
        return [next(c["key"] for c in question.data["choices"] if not c["correct"])]
    if question.kind == "true_false":
        return ["false" if question.data["answer"] else "true"]
    if question.kind == "short_text":
        return ["không biết"]
    return correct_values(question)


def _sign_in_as(client, user):
    if client.get("/").status_code == 200:  # someone is signed in: sign out first
        client.submit("/logout", token_from="/")
    response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def people(make_user, tree):
    admin = make_user(role="admin", name="Quản Trị", phone="0977000001")
    return {
        "admin": admin,
        "member": make_user(name="Nguyễn Thị Đào", phone="0977000002", party_card_number="01234567",
                            member_of=tree["cell_a"]),
        "secretary": make_user(role="reviewer", unit=tree["cell_a"], name="Bí Thư A", phone="0977000003"),
        "other_secretary": make_user(role="reviewer", unit=tree["cell_b"], name="Bí Thư B", phone="0977000004"),
        "grassroots_reviewer": make_user(role="reviewer", unit=tree["grassroots"], name="Bí Thư Xã",
                                         phone="0977000005"),
    }


@pytest.fixture
def single_attempt(publish_file, people, tree):
    """66-NQ/TW: one attempt, pass mark 50%, no answers shown; assigned to cell A."""
    lesson = publish_file("66-nq-tw-2025.md")
    _campaign(people["admin"], [lesson], [tree["cell_a"]])
    return lesson


def _failed_once(client, member, lesson):
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, _wrong), "action": "submit_confirmed"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.status == "submitted" and attempt.passed is False
    return attempt


# -- the member's page ---------------------------------------------------------------

def test_the_member_page_shows_the_member_each_bound_lesson_and_each_answer(
        client, people, tree, single_attempt, publish_file):
    member, lesson = people["member"], single_attempt
    attempt = _failed_once(client, member, lesson)
    unbound = publish_file("05-ct-tw-2016.md")  # published, bound by no campaign
    _sign_in_as(client, people["secretary"])
    page = client.get(f"/review/members/{member.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nguyễn Thị Đào" in html and "01234567" in html and "Chi bộ A" in html
    assert "Đảng viên chính thức" in html  # status: full member
    assert f'id="lesson-{lesson.id}"' in html and f'id="lesson-{unbound.id}"' not in html
    assert _day(10) in html  # the due date
    assert "Lần làm bài 1" in html and "chưa đạt" in html  # the attempt, not passed
    # Each answer, as its kind reads it: the chosen choice's text, True/False, the typed text.
    questions = {q.key: q for q in attempt.version.questions}
    for step in attempt.plan:
        question = questions[step["key"]]
        value = _wrong(question)
        response = KINDS[question.kind].read_response(question.data, value)
        text = KINDS[question.kind].response_text(question.data, response)
        assert text and text.split(";")[0].split(". ", 1)[-1][:20] in html, question.kind
    assert html.count('class="mark ko"') == len(attempt.plan)  # every answer wrong


def test_a_graded_reflection_shows_its_grade_and_feedback(client, people, tree, publish_file):
    lesson = publish_file("57-nq-tw-2024.md")  # ends with a reflection
    _campaign(people["admin"], [lesson], [tree["grassroots"]])
    member = people["member"]
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    from learning.models import Answer
    reflection = next(q for q in attempt.version.questions if q.kind == "reflection")
    answer = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id,
                                                     Answer.question_key == reflection.key)).one()
    answer.score, answer.feedback, answer.graded_at = 8, "Bài viết sâu sắc, cần thêm ví dụ.", attempt.started_at
    db.session.commit()
    _sign_in_as(client, people["grassroots_reviewer"])
    html = client.get(f"/review/members/{member.id}").get_data(as_text=True)
    assert "số hoá sổ sách" in html  # the reflection's text
    assert "Điểm chấm: 8 / 10" in html
    assert "Bài viết sâu sắc, cần thêm ví dụ." in html


def test_reviewers_find_members_of_their_units_by_name_without_diacritics_or_card_number(
        client, people, make_user, tree):
    make_user(name="Trần Văn Đức", phone="0977000010", member_of=tree["cell_a"])
    make_user(name="Lê Đức Anh", phone="0977000011", member_of=tree["cell_a"], party_card_number="99887766")
    make_user(name="Phạm Minh Đức", phone="0977000012", member_of=tree["cell_b"])  # another cell
    _sign_in_as(client, people["secretary"])
    html = client.get("/review/members/?q=duc").get_data(as_text=True)
    names = re.findall(r'<span class="card-title">([^<]+)</span>', html)
    assert names == ["Lê Đức Anh", "Trần Văn Đức"]  # Vietnamese order: by given name (Anh, Đức)
    assert "Phạm Minh Đức" not in html
    html = client.get("/review/members/?q=TRAN van").get_data(as_text=True)
    assert re.findall(r'<span class="card-title">([^<]+)</span>', html) == ["Trần Văn Đức"]
    html = client.get("/review/members/?q=998877").get_data(as_text=True)
    assert re.findall(r'<span class="card-title">([^<]+)</span>', html) == ["Lê Đức Anh"]
    _sign_in_as(client, people["grassroots_reviewer"])
    html = client.get("/review/members/?q=đức").get_data(as_text=True)
    assert re.findall(r'<span class="card-title">([^<]+)</span>', html) == ["Lê Đức Anh", "Phạm Minh Đức",
                                                                             "Trần Văn Đức"]


def test_the_member_list_is_paginated_in_vietnamese_order(client, people, make_user, tree, monkeypatch):
    from learning.review import members
    monkeypatch.setattr(members, "PAGE_SIZE", 2)
    for number, name in enumerate(["Vũ Thị Yến", "Đỗ Văn Bình", "Hà Thị Ánh"]):
        make_user(name=name, phone=f"097700002{number}", member_of=tree["cell_b"])
    _sign_in_as(client, people["other_secretary"])  # reviews cell B: these three
    first = client.get("/review/members/").get_data(as_text=True)
    assert re.findall(r'<span class="card-title">([^<]+)</span>', first) == ["Hà Thị Ánh", "Đỗ Văn Bình"]
    assert "page=2" in first
    second = client.get("/review/members/?page=2").get_data(as_text=True)
    assert re.findall(r'<span class="card-title">([^<]+)</span>', second) == ["Vũ Thị Yến"]
    assert "page=3" not in second and "page=1" in second
    assert client.get("/review/members/?page=abc").status_code == 400


def test_the_name_search_folds_as_the_lesson_search_does():
    for text in ("Nguyễn Văn ĐỨC", "Đặng  Thị Ngọc Ánh", "Hoàng Ư Ơ", "Lê\u0301"):
        assert folded(text) == fold(text)


# -- one more attempt -----------------------------------------------------------------

def test_a_member_who_failed_a_single_attempt_quiz_gets_one_more(client, people, single_attempt):
    member, lesson = people["member"], single_attempt
    _failed_once(client, member, lesson)
    refused = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    assert refused.status_code == 302 and db.session.scalar(select(Attempt.number).order_by(Attempt.id.desc())) == 1
    secretary = people["secretary"]
    _sign_in_as(client, secretary)
    url = f"/review/members/{member.id}/lessons/{lesson.id}/extra-attempt"
    without_reason = client.submit(url, {"reason": "   "}, token_from=f"/review/members/{member.id}")
    assert without_reason.status_code == 400
    assert "lý do" in without_reason.get_data(as_text=True).lower()
    assert 'id="extra-reason-%d-error"' % lesson.id in without_reason.get_data(as_text=True)
    granted = client.submit(url, {"reason": "Ốm trong đợt học"}, token_from=f"/review/members/{member.id}")
    assert granted.status_code == 302
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "study.extra_attempt")).all()
    assert (entry.actor_name, entry.subject_name, entry.reason) == ("Bí Thư A", "Nguyễn Thị Đào", "Ốm trong đợt học")
    _sign_in_as(client, member)
    second = start(client, lesson)
    assert second.number == 2 and second.status == "open"
    client.submit(f"/attempts/{second.id}", {**form_of(second), "action": "submit_confirmed"})
    db.session.expire_all()
    assert db.session.get(Attempt, second.id).passed is True
    progress = db.session.scalars(select(LessonProgress)).one()
    assert progress.completed_at is not None and progress.on_time is True
    _sign_in_as(client, secretary)
    html = client.get(f"/review/members/{member.id}").get_data(as_text=True)
    assert "Lần làm bài 2" in html and "2 / 2" in html


# -- a later due date ------------------------------------------------------------------

@pytest.fixture
def overdue(publish_file, people, tree):
    """66-NQ/TW assigned to cell A by a campaign that closed two days ago."""
    lesson = publish_file("66-nq-tw-2025.md")
    _campaign(people["admin"], [lesson], [tree["cell_a"]], opens_in=-10, closes_in=-2)
    return lesson


def _extend(client, people, member, lesson, day, reason="Đi công tác dài ngày"):
    _sign_in_as(client, people["secretary"])
    return client.submit(f"/review/members/{member.id}/lessons/{lesson.id}/due-date",
                         {"due_on": day, "reason": reason}, token_from=f"/review/members/{member.id}")


def test_a_later_due_date_moves_the_members_home_and_lesson_pages(client, people, overdue):
    member, lesson = people["member"], overdue
    _sign_in_as(client, member)
    home = client.get("/").get_data(as_text=True)
    assert f"Đã quá hạn (hạn {_day(-2)})" in home
    assert _extend(client, people, member, lesson, _day(5)).status_code == 302
    _sign_in_as(client, member)
    home = client.get("/").get_data(as_text=True)
    assert f"Hạn hoàn thành {_day(5)}" in home and _day(-2) not in home
    assert _day(5) in client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    assert due_dates(member.id, vietnam_today()) == {lesson.id: vietnam_today() + timedelta(days=5)}
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "study.extension")).all()
    assert entry.before == {"due_on": (vietnam_today() - timedelta(days=2)).isoformat()}
    assert entry.after["due_on"] == (vietnam_today() + timedelta(days=5)).isoformat()
    assert (entry.reason, entry.subject_name, entry.actor_name) == ("Đi công tác dài ngày", "Nguyễn Thị Đào", "Bí Thư A")


def test_a_completion_after_the_old_date_counts_as_on_time_with_a_later_due_date(client, people, overdue):
    member, lesson = people["member"], overdue
    _extend(client, people, member, lesson, _day(3))
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    db.session.expire_all()
    progress = db.session.scalars(select(LessonProgress)).one()
    assert progress.completed_at is not None and progress.on_time is True


def test_without_a_later_due_date_the_same_completion_is_late(client, people, overdue):
    member, lesson = people["member"], overdue
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    db.session.expire_all()
    assert db.session.scalars(select(LessonProgress)).one().on_time is False


def _row_cells(html, name):
    """The text of the cells of the follow-up table's row for `name`."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if name in row:
            return [re.sub(r"<[^>]+>|\s+", " ", cell).strip()
                    for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    raise AssertionError(f"no row for {name}")


def _complete_late(client, member, lesson):
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    db.session.expire_all()
    progress = db.session.scalars(select(LessonProgress)).one()
    assert progress.completed_at is not None and progress.on_time is False
    return progress


def test_a_later_due_date_after_a_late_completion_makes_it_on_time_and_the_dashboard_follows(
        client, people, overdue):
    member, lesson = people["member"], overdue
    _complete_late(client, member, lesson)
    home = client.get("/").get_data(as_text=True)
    assert "trễ hạn" in home and re.search(r"<dt>Đúng hạn</dt><dd>0</dd>", home)
    campaign = db.session.scalars(select(Campaign)).one()
    _sign_in_as(client, people["grassroots_reviewer"])
    dashboard = f"/follow-up/campaigns/{campaign.id}"
    # completion, members, started, complete, on time, average score
    assert _row_cells(client.get(dashboard).get_data(as_text=True), "Chi bộ A")[4:6] == ["1", "0"]

    assert _extend(client, people, member, lesson, _day(3)).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(LessonProgress)).one().on_time is True
    rollup = db.session.scalars(select(LessonRollup).where(*_cell_row(lesson))).one()
    assert (rollup.completed, rollup.on_time) == (1, 1)
    assert _recomputed_on_time() == {(rollup.unit_id, lesson.id): 1}  # as a rebuild from the rows says
    page = client.get(f"/review/members/{member.id}").get_data(as_text=True)
    assert "đúng hạn" in page and "trễ hạn" not in page
    _sign_in_as(client, people["grassroots_reviewer"])
    assert _row_cells(client.get(dashboard).get_data(as_text=True), "Chi bộ A")[4:6] == ["1", "1"]
    _sign_in_as(client, member)
    home = client.get("/").get_data(as_text=True)
    assert "trễ hạn" not in home and re.search(r"<dt>Đúng hạn</dt><dd>1</dd>", home)


def _recomputed_on_time():
    from learning.study import rollups
    return {(row[0], row[1]): row[4] for row in db.session.execute(rollups._recomputed(None)).all()}


def test_a_later_due_date_still_before_the_completion_leaves_it_late(client, people, overdue):
    member, lesson = people["member"], overdue
    _complete_late(client, member, lesson)  # today; the campaign closed two days ago
    today = vietnam_today()
    # As if granted three days ago, for yesterday: a due date still before the completion (today).
    extend_due_date(member, lesson, today - timedelta(days=1), "Ốm", people["secretary"], today - timedelta(days=3))
    db.session.commit()
    assert due_date(member.id, lesson.id, today) == today - timedelta(days=1)
    db.session.expire_all()
    assert db.session.scalars(select(LessonProgress)).one().on_time is False
    assert db.session.scalars(select(LessonRollup.on_time).where(*_cell_row(lesson))).one() == 0


def test_a_later_due_date_never_makes_an_on_time_completion_late(client, people, tree, publish_file):
    lesson = publish_file("66-nq-tw-2025.md")
    _campaign(people["admin"], [lesson], [tree["cell_a"]], opens_in=-10, closes_in=5)
    member = people["member"]
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    assert _extend(client, people, member, lesson, _day(9)).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(LessonProgress)).one().on_time is True
    assert db.session.scalars(select(LessonRollup.on_time).where(*_cell_row(lesson))).one() == 1


def test_answers_shown_after_the_close_wait_for_the_members_later_due_date(client, people, tree, publish_file):
    lesson = publish_file("366-qd-tw-2025.md")  # answers shown after the campaign closes
    _campaign(people["admin"], [lesson], [tree["cell_a"]], opens_in=-10, closes_in=-1)
    member = people["member"]
    _sign_in_as(client, member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    result = f"/attempts/{attempt.id}/result"
    assert HIDDEN not in client.get(result).get_data(as_text=True)  # due yesterday: shown
    _extend(client, people, member, lesson, _day(4))
    _sign_in_as(client, member)
    assert HIDDEN in client.get(result).get_data(as_text=True)  # due in 4 days for this member: hidden


def test_the_latest_extension_wins_and_none_brings_the_date_before_the_campaigns(client, people, overdue, tree):
    member, lesson = people["member"], overdue
    _extend(client, people, member, lesson, _day(9))
    _extend(client, people, member, lesson, _day(4), reason="Sửa lại: về sớm")
    assert due_date(member.id, lesson.id, vietnam_today()) == vietnam_today() + timedelta(days=4)
    assert len(db.session.scalars(select(DueDateExtension)).all()) == 2  # never deleted
    # The campaign is extended beyond the member's date: the campaign's date holds.
    campaign = db.session.scalars(select(Campaign)).one()
    campaigns.extend_campaign(people["admin"], campaign, vietnam_today() + timedelta(days=20))
    db.session.commit()
    assert due_date(member.id, lesson.id, vietnam_today()) == vietnam_today() + timedelta(days=20)


@pytest.mark.parametrize("values, field, message", [
    ({"due_on": "", "reason": "Ốm"}, "due_on", "dd/mm/yyyy"),
    ({"due_on": "31/02/2030", "reason": "Ốm"}, "due_on", "dd/mm/yyyy"),
    ({"due_on": "OLD", "reason": "Ốm"}, "due_on", "phải sau"),
    ({"due_on": "FUTURE", "reason": "  "}, "reason", "lý do"),
])
def test_a_bad_later_due_date_is_refused_naming_the_field(client, people, overdue, values, field, message):
    member, lesson = people["member"], overdue
    values = {**values, "due_on": {"OLD": _day(-3), "FUTURE": _day(3)}.get(values["due_on"], values["due_on"])}
    response = _extend(client, people, member, lesson, values["due_on"], values["reason"])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    prefix = "due-on" if field == "due_on" else "due-reason"
    assert f'id="{prefix}-{lesson.id}-error"' in html and message in html.lower()
    assert not db.session.scalars(select(DueDateExtension)).all()
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "study.extension")).all()


# -- nobody acts on their own record ---------------------------------------------------

SELF_ATTEMPT = "Đồng chí không thể tự cho mình thêm lượt làm bài"
SELF_DUE = "Đồng chí không thể tự gia hạn cho mình"
OWN_NOTE = "Đây là hồ sơ của chính đồng chí"


def _written_for(user):
    """What was written for the user: allowances, extensions and their audit entries."""
    db.session.expire_all()
    return (db.session.scalars(select(AttemptAllowance).where(AttemptAllowance.user_id == user.id)).all(),
            db.session.scalars(select(DueDateExtension).where(DueDateExtension.user_id == user.id)).all(),
            db.session.scalars(select(AuditEntry).where(AuditEntry.subject_id == user.id)).all())


@pytest.mark.parametrize("who", ["secretary", "admin"])
def test_nobody_gives_themselves_another_attempt_or_a_later_due_date(client, people, single_attempt, who):
    """The cell secretary is a member of the cell they review (and the admin of every unit)."""
    me, lesson = people[who], single_attempt
    extra_url = f"/review/members/{me.id}/lessons/{lesson.id}/extra-attempt"
    due_url = f"/review/members/{me.id}/lessons/{lesson.id}/due-date"
    _failed_once(client, me, lesson)
    _sign_in_as(client, me)
    page = client.get(f"/review/members/{me.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count(OWN_NOTE) == 1  # one line, instead of the forms
    assert f'action="{extra_url}"' not in html and f'action="{due_url}"' not in html and 'name="reason"' not in html
    extra = client.submit(extra_url, {"reason": "Ốm trong đợt học"}, token_from="/")
    assert extra.status_code == 403
    assert SELF_ATTEMPT in extra.get_data(as_text=True) and 'name="reason"' not in extra.get_data(as_text=True)
    due = client.submit(due_url, {"due_on": _day(15), "reason": "Đi công tác dài ngày"}, token_from="/")
    assert due.status_code == 403 and SELF_DUE in due.get_data(as_text=True)
    assert _written_for(me) == ([], [], [])  # nothing written, nothing audited
    assert due_date(me.id, lesson.id, vietnam_today()) == vietnam_today() + timedelta(days=10)
    refused = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    assert refused.status_code == 302 and db.session.scalar(
        select(func.count()).select_from(Attempt).where(Attempt.user_id == me.id)) == 1  # still one attempt
    # Another member's page still has both forms.
    other = people["member"]
    html = client.get(f"/review/members/{other.id}").get_data(as_text=True)
    assert OWN_NOTE not in html
    assert f'action="/review/members/{other.id}/lessons/{lesson.id}/extra-attempt"' in html
    assert f'action="/review/members/{other.id}/lessons/{lesson.id}/due-date"' in html


def test_the_operations_themselves_refuse_ones_own_record(people, single_attempt):
    secretary, lesson = people["secretary"], single_attempt
    with pytest.raises(OwnRecord, match="thêm lượt làm bài"):
        grant_extra_attempts(secretary, lesson, secretary, "Ốm")
    with pytest.raises(OwnRecord, match="gia hạn"):
        extend_due_date(secretary, lesson, vietnam_today() + timedelta(days=15), "Ốm", secretary, vietnam_today())
    db.session.rollback()
    assert _written_for(secretary) == ([], [], [])


def test_a_reviewer_above_gives_the_secretary_another_attempt_and_a_later_due_date(client, people, single_attempt):
    secretary, lesson = people["secretary"], single_attempt
    _failed_once(client, secretary, lesson)
    _sign_in_as(client, people["grassroots_reviewer"])
    page = f"/review/members/{secretary.id}"
    html = client.get(page).get_data(as_text=True)
    assert OWN_NOTE not in html and f'action="{page}/lessons/{lesson.id}/extra-attempt"' in html
    assert client.submit(f"{page}/lessons/{lesson.id}/extra-attempt", {"reason": "Ốm trong đợt học"},
                         token_from=page).status_code == 302
    assert client.submit(f"{page}/lessons/{lesson.id}/due-date", {"due_on": _day(15), "reason": "Đi công tác"},
                         token_from=page).status_code == 302
    allowances, extensions, entries = _written_for(secretary)
    assert len(allowances) == 1 and [e.due_on for e in extensions] == [vietnam_today() + timedelta(days=15)]
    assert sorted((e.kind, e.actor_name, e.subject_name) for e in entries) == [
        ("study.extension", "Bí Thư Xã", "Bí Thư A"), ("study.extra_attempt", "Bí Thư Xã", "Bí Thư A")]
    _sign_in_as(client, secretary)
    assert start(client, lesson).number == 2


# -- campaigns: edit, extend, close -----------------------------------------------------

def test_a_reviewer_edits_their_campaign_within_their_units_and_the_change_is_audited(
        client, people, tree, publish_file):
    first, second = publish_file("66-nq-tw-2025.md"), publish_file("57-nq-tw-2024.md")
    reviewer = people["grassroots_reviewer"]
    campaign = _campaign(reviewer, [first], [tree["cell_a"]])
    _sign_in_as(client, reviewer)
    url = f"/campaigns/{campaign.id}/edit"
    assert url in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)  # their own: a link to edit
    assert client.get(url).status_code == 200
    form = {"title": "Đợt học (sửa)", "description": "Thêm bài", "lessons": [str(first.id), str(second.id)],
            "units": [str(tree["cell_a"].id), str(tree["cell_b"].id)]}
    assert client.submit(url, form).status_code == 302
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    assert campaign.title == "Đợt học (sửa)" and {lesson.id for lesson in campaign.lessons} == {first.id, second.id}
    assert campaign.owner_unit_id == tree["grassroots"].id
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "campaign.changed")).all()
    assert entry.before["title"] == "Đợt học tập Nghị quyết" and entry.after["title"] == "Đợt học (sửa)"
    assert entry.before["units"] == [tree["cell_a"].id]
    assert entry.after["units"] == sorted([tree["cell_a"].id, tree["cell_b"].id])
    assert "closes_on" not in entry.after
    above = client.submit(url, {**form, "units": [str(tree["province"].id)]})
    assert above.status_code == 400 and 'id="units-error"' in above.get_data(as_text=True)
    empty = client.submit(url, {**form, "title": " "})
    assert empty.status_code == 400 and 'id="title-error"' in empty.get_data(as_text=True)
    no_lesson = client.submit(url, {**form, "lessons": []})
    assert no_lesson.status_code == 400 and 'id="lessons-error"' in no_lesson.get_data(as_text=True)
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "campaign.changed")).all()) == 1


def test_removing_a_lesson_members_completed_keeps_their_results(client, people, tree, publish_file):
    first, second = publish_file("66-nq-tw-2025.md"), publish_file("05-ct-tw-2016.md")
    campaign = _campaign(people["admin"], [first, second], [tree["cell_a"]])
    member = people["member"]
    _sign_in_as(client, member)
    attempt = start(client, first)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit_confirmed"})
    _sign_in_as(client, people["admin"])
    form = {"title": campaign.title, "description": "", "lessons": [str(second.id)], "units": [str(tree["cell_a"].id)]}
    assert client.submit(f"/campaigns/{campaign.id}/edit", form).status_code == 302
    db.session.expire_all()
    progress = db.session.scalars(select(LessonProgress).where(LessonProgress.lesson_id == first.id)).one()
    assert progress.completed_at is not None and progress.counted_percent == 100
    assert db.session.get(Attempt, attempt.id).passed is True
    assert set(due_dates(member.id, vietnam_today())) == {second.id}


def test_extending_a_campaign_moves_every_members_due_date(client, people, tree, single_attempt):
    member, lesson = people["member"], single_attempt
    campaign = db.session.scalars(select(Campaign)).one()
    _sign_in_as(client, people["admin"])
    url = f"/campaigns/{campaign.id}/extend"
    same = client.submit(url, {"closes_on": _day(10)}, token_from=f"/campaigns/{campaign.id}/edit")
    assert same.status_code == 400 and 'id="closes_on-error"' in same.get_data(as_text=True)
    bad = client.submit(url, {"closes_on": "hôm nay"}, token_from=f"/campaigns/{campaign.id}/edit")
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.get_data(as_text=True)
    assert client.submit(url, {"closes_on": _day(30)}, token_from=f"/campaigns/{campaign.id}/edit").status_code == 302
    assert due_date(member.id, lesson.id, vietnam_today()) == vietnam_today() + timedelta(days=30)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "campaign.changed")).all()
    assert entry.before == {"closes_on": (vietnam_today() + timedelta(days=10)).isoformat()}
    assert entry.after["closes_on"] == (vietnam_today() + timedelta(days=30)).isoformat()
    assert entry.after["action"] == "extend"


def test_closing_a_campaign_now_makes_yesterday_its_closing_day(client, people, tree, single_attempt):
    member = people["member"]
    campaign = db.session.scalars(select(Campaign)).one()
    _sign_in_as(client, people["admin"])
    url = f"/campaigns/{campaign.id}/close"
    assert client.submit(url, token_from=f"/campaigns/{campaign.id}/edit").status_code == 302
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    assert campaign.closes_on == vietnam_today() - timedelta(days=1) and campaign.phase(vietnam_today()) == "closed"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "campaign.changed")).all()
    assert entry.after["action"] == "close" and entry.after["closes_on"] == campaign.closes_on.isoformat()
    again = client.submit(url, token_from=f"/campaigns/{campaign.id}/edit")
    assert again.status_code == 400 and 'id="close-error"' in again.get_data(as_text=True)
    _sign_in_as(client, member)
    assert f"Đã quá hạn (hạn {_day(-1)})" in client.get("/").get_data(as_text=True)


def test_a_campaign_closed_on_its_opening_day_can_still_be_edited(client, people, tree, publish_file):
    lesson = publish_file("66-nq-tw-2025.md")
    campaign = _campaign(people["admin"], [lesson], [tree["cell_a"]], opens_in=0, closes_in=9)
    _sign_in_as(client, people["admin"])
    assert client.submit(f"/campaigns/{campaign.id}/close", token_from=f"/campaigns/{campaign.id}/edit"
                         ).status_code == 302
    form = {"title": "Đã đóng, đổi tên", "lessons": [str(lesson.id)], "units": [str(tree["cell_a"].id)]}
    assert client.submit(f"/campaigns/{campaign.id}/edit", form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).title == "Đã đóng, đổi tên"


def test_a_campaign_not_open_yet_cannot_be_closed(client, people, tree, publish_file):
    campaign = _campaign(people["admin"], [publish_file()], [tree["cell_a"]], opens_in=3, closes_in=9)
    _sign_in_as(client, people["admin"])
    response = client.submit(f"/campaigns/{campaign.id}/close", token_from=f"/campaigns/{campaign.id}/edit")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).closes_on == vietnam_today() + timedelta(days=9)


def test_a_campaign_the_commission_assigned_is_not_the_cell_reviewers_to_change(client, people, single_attempt):
    campaign = db.session.scalars(select(Campaign)).one()  # made by the admin, for cell A
    _sign_in_as(client, people["secretary"])
    shown = client.get(f"/campaigns/{campaign.id}")
    assert shown.status_code == 200 and f"/campaigns/{campaign.id}/edit" not in shown.get_data(as_text=True)
    assert client.get(f"/campaigns/{campaign.id}/edit").status_code == 404
    token = client.csrf_token(f"/campaigns/{campaign.id}")
    for action in ("edit", "extend", "close"):
        response = client.post(f"/campaigns/{campaign.id}/{action}", data={"csrf_token": token, "closes_on": _day(40)})
        assert response.status_code == 404, action


# -- who may reach these routes --------------------------------------------------------

def _routes(member, lesson, campaign):
    return [
        ("GET", f"/review/members/{member.id}", {}),
        ("POST", f"/review/members/{member.id}/lessons/{lesson.id}/extra-attempt", {"reason": "Ốm"}),
        ("POST", f"/review/members/{member.id}/lessons/{lesson.id}/due-date", {"due_on": _day(20), "reason": "Ốm"}),
        ("GET", f"/campaigns/{campaign.id}/edit", {}),
        ("POST", f"/campaigns/{campaign.id}/edit", {"title": "X", "lessons": [str(lesson.id)], "units": ["1"]}),
        ("POST", f"/campaigns/{campaign.id}/extend", {"closes_on": _day(40)}),
        ("POST", f"/campaigns/{campaign.id}/close", {}),
    ]


def test_a_reviewer_of_another_subtree_gets_404_on_every_route(client, people, tree, publish_file):
    lesson = publish_file("66-nq-tw-2025.md")
    campaign = _campaign(people["secretary"], [lesson], [tree["cell_a"]])  # cell A's own campaign
    _sign_in_as(client, people["other_secretary"])
    token = client.csrf_token("/review/members/")
    for method, url, data in _routes(people["member"], lesson, campaign):
        response = client.open(url, method=method, data={**data, "csrf_token": token} if method == "POST" else None)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
    assert "Nguyễn Thị Đào" not in client.get("/review/members/?q=dao").get_data(as_text=True)
    assert not db.session.scalars(select(AuditEntry)).all()
    # The same routes, for cell A's own reviewer: reached.
    _sign_in_as(client, people["secretary"])
    token = client.csrf_token("/review/members/")
    for method, url, data in _routes(people["member"], lesson, campaign)[:3]:
        response = client.open(url, method=method, data={**data, "csrf_token": token} if method == "POST" else None)
        assert response.status_code in (200, 302), f"{method} {url}: {response.status_code}"


def test_members_and_anonymous_visitors_are_refused(client, people, tree, publish_file):
    lesson = publish_file("66-nq-tw-2025.md")
    campaign = _campaign(people["admin"], [lesson], [tree["cell_a"]])
    routes = [("GET", "/review/members/", {})] + _routes(people["member"], lesson, campaign)
    for method, url, data in routes:
        response = client.open(url, method=method, data=data)
        if method == "GET":
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        else:
            assert response.status_code in (302, 400), url  # sent to sign in, or no CSRF token
    _sign_in_as(client, people["member"])
    token = client.csrf_token("/")
    for method, url, data in routes:
        response = client.open(url, method=method, data={**data, "csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert not db.session.scalars(select(AuditEntry)).all()
