"""Reviewers grade reflections: the queue in their units, oldest first, one
reflection per page; leases keep two reviewers off the same one; a grade
completes the member's lesson, a regrade keeps the history, a failing
reflection can go back for rewriting; campaigns set their scale, and a used
scale never changes."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from learning.audit.models import AuditEntry, AuditKind
from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.models import (
    Answer,
    Attempt,
    AttemptAllowance,
    CampaignScale,
    Grade,
    GradingLease,
    LessonProgress,
    Rubric,
)
from learning.review import leases
from learning.study.progress import StudyState, study_state
from tests.conftest import PASSWORD, FormClient
from tests.web.test_study import form_of

REFLECTION_KEY = "thu-hoach-57"
RUBRIC_FORM = {
    "kind": "rubric",
    "rubric-criteria.0.name": "Liên hệ thực tế",
    "rubric-criteria.0.levels.0.name": "Chưa đạt", "rubric-criteria.0.levels.0.points": "0",
    "rubric-criteria.0.levels.1.name": "Đạt", "rubric-criteria.0.levels.1.points": "3",
    "rubric-criteria.0.levels.2.name": "Tốt", "rubric-criteria.0.levels.2.points": "5",
    "rubric-criteria.1.name": "Trình bày",
    "rubric-criteria.1.levels.0.name": "Chưa rõ", "rubric-criteria.1.levels.0.points": "0",
    "rubric-criteria.1.levels.1.name": "Rõ ràng", "rubric-criteria.1.levels.1.points": "5",
    "rubric-pass_points": "5",
}


@pytest.fixture(autouse=True)
def many_sign_ins(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_PER_ADDRESS", "100000 per minute")


@pytest.fixture
def lesson(publish_file):
    return publish_file("57-nq-tw-2024.md")


@pytest.fixture
def signed_in(app):
    def sign_in(user) -> FormClient:
        client = FormClient(app.test_client())
        response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
        assert response.status_code == 302
        return client
    return sign_in


@pytest.fixture
def campaign(lesson, tree, make_user):
    editor = make_user("editor", name="Biên Tập")
    made = campaigns.create_campaign(editor, CampaignInput(
        title="Học tập Nghị quyết 57", description="", opens_on=vietnam_today() - timedelta(days=1),
        closes_on=vietnam_today() + timedelta(days=30), lesson_ids=[lesson.id], unit_ids=[tree["province"].id]))
    db.session.commit()
    return made


@pytest.fixture
def submit_reflection(signed_in, lesson):
    """A member submits the lesson's quiz with everything answered; returns
    their reflection's Answer. `minutes_ago` sets when it was submitted."""
    def submit(member, minutes_ago: int = 0) -> Answer:
        client = signed_in(member)
        client.get(f"/lessons/{lesson.slug}")
        client.submit(f"/lessons/{lesson.slug}/read", token_from=f"/lessons/{lesson.slug}")
        response = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        db.session.expire_all()
        attempt = db.session.scalars(select(Attempt).where(Attempt.user_id == member.id)
                                     .order_by(Attempt.id.desc())).first()
        done = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit"})
        assert done.status_code == 302 and done.headers["Location"].endswith("/result")
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id)
                           .values(submitted_at=utcnow() - timedelta(minutes=minutes_ago)))
        db.session.commit()
        return db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id,
                                                       Answer.question_key == REFLECTION_KEY)).one()
    return submit


@pytest.fixture
def people(make_user, tree):
    return {
        "ann": make_user(name="Lê Thị An"),
        "binh": make_user(name="Trần Văn Bình"),
        "other": make_user(name="Phạm Văn Khác", member_of=tree["cell_b"]),
        "reviewer": make_user("reviewer", unit=tree["cell_a"], name="Bí Thư A"),
        "second": make_user("reviewer", unit=tree["cell_a"], name="Phó Bí Thư A"),
        "outsider": make_user("reviewer", unit=tree["cell_b"], name="Bí Thư B"),
    }


def _grade(client, answer, **fields):
    """Post the grading form as the page would: with the current grade it showed."""
    if "seen" not in fields:
        current = db.session.scalar(select(Grade.id).where(Grade.answer_id == answer.id, Grade.is_current.is_(True)))
        fields["seen"] = str(current or 0)
    return client.submit(f"/review/grading/answers/{answer.id}", fields)


def _progress(member, lesson) -> LessonProgress:
    db.session.expire_all()
    return db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == member.id,
                                                           LessonProgress.lesson_id == lesson.id)).one()


def _next_answer_id(client) -> int | None:
    response = client.get("/review/grading/next")
    assert response.status_code == 302
    location = response.headers["Location"]
    return int(location.rsplit("/", 1)[1]) if "/answers/" in location else None


def test_the_queue_is_the_reviewers_units_oldest_first(people, submit_reflection, signed_in):
    newer = submit_reflection(people["ann"], minutes_ago=5)
    older = submit_reflection(people["binh"], minutes_ago=50)
    submit_reflection(people["other"], minutes_ago=500)  # cell B: not this reviewer's
    client = signed_in(people["reviewer"])
    assert "2 bài thu hoạch" in client.get("/review/grading").get_data(as_text=True)
    assert _next_answer_id(client) == older.id
    page = client.get(f"/review/grading/answers/{older.id}").get_data(as_text=True)
    assert "Trần Văn Bình" in page and "Nêu hai việc làm cụ thể" in page and "số hoá sổ sách" in page
    assert 'type="radio" name="c0"' in page  # pass / not pass by default: one tap
    assert _grade(client, older, c0="1").headers["Location"].endswith("/review/grading/next")
    assert _next_answer_id(client) == newer.id


def _queue_counts(client):
    """The queue page's figures: waiting, graded by the reviewer, of them today."""
    html = client.get("/review/grading").get_data(as_text=True)
    block = re.search(r'<dl class="facts queue-counts">(.*?)</dl>', html, re.S).group(1)
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(\d+)</dd>", block))


def test_the_queue_counts_what_waits_and_what_the_reviewer_graded_today(
        people, submit_reflection, signed_in, make_user, tree):
    answers = [submit_reflection(people[name], minutes_ago=60 - i) for i, name in enumerate(("ann", "binh"))]
    carol = make_user(name="Đỗ Thị Cúc")
    answers.append(submit_reflection(carol, minutes_ago=30))
    submit_reflection(people["other"])  # cell B: neither waiting nor graded in cell A
    reviewer, second = signed_in(people["reviewer"]), signed_in(people["second"])
    assert _queue_counts(reviewer) == {"Đang chờ chấm": "3", "Đồng chí đã chấm": "0", "Trong đó, hôm nay": "0"}
    for answer in answers[:2]:
        reviewer.get(f"/review/grading/answers/{answer.id}")
        assert _grade(reviewer, answer, c0="1").status_code == 302
    reviewer.get(f"/review/grading/answers/{answers[0].id}")
    assert _grade(reviewer, answers[0], c0="0", comment="Cần viết cụ thể hơn.").status_code == 302  # a regrade: once
    second.get(f"/review/grading/answers/{answers[2].id}")
    assert _grade(second, answers[2], c0="1").status_code == 302  # another reviewer's grade
    # One of the reviewer's grades was given yesterday (in Vietnam).
    db.session.execute(update(Grade).where(Grade.answer_id == answers[1].id)
                       .values(graded_at=utcnow() - timedelta(days=1, hours=1)))
    db.session.commit()
    assert _queue_counts(reviewer) == {"Đang chờ chấm": "0", "Đồng chí đã chấm": "2", "Trong đó, hôm nay": "1"}
    assert _queue_counts(second) == {"Đang chờ chấm": "0", "Đồng chí đã chấm": "1", "Trong đó, hôm nay": "1"}
    outsider = signed_in(people["outsider"])  # cell B: its own reflection waits, nothing graded
    assert _queue_counts(outsider) == {"Đang chờ chấm": "1", "Đồng chí đã chấm": "0", "Trong đó, hôm nay": "0"}


SELF_GRADE = "Đồng chí không thể tự chấm bài thu hoạch của mình"


def _written_on(answer):
    """Grades, leases, allowances and audit entries on the answer's member."""
    db.session.expire_all()
    member_id = db.session.get(Attempt, answer.attempt_id).user_id
    return (db.session.scalars(select(Grade).where(Grade.answer_id == answer.id)).all(),
            db.session.scalars(select(GradingLease).where(GradingLease.answer_id == answer.id)).all(),
            db.session.scalars(select(AttemptAllowance).where(AttemptAllowance.user_id == member_id)).all(),
            db.session.scalars(select(AuditEntry).where(AuditEntry.subject_id == member_id)).all())


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_nobody_is_offered_or_grades_their_own_reflection(people, submit_reflection, signed_in, make_user, who):
    """The cell secretary is a member of the cell they review (and an admin of every unit)."""
    me = people[who] if who in people else make_user("admin", name="Quản Trị")
    mine = submit_reflection(me, minutes_ago=90)  # the oldest: first in the queue, were it offered
    theirs = submit_reflection(people["ann"], minutes_ago=10)
    client = signed_in(me)
    queue = client.get("/review/grading").get_data(as_text=True)
    assert _queue_counts(client)["Đang chờ chấm"] == "1" and "1 bài thu hoạch" in queue
    assert _next_answer_id(client) == theirs.id
    page = client.get(f"/review/grading/answers/{mine.id}")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert SELF_GRADE in html and 'class="stack grade-form"' not in html and 'name="c0"' not in html
    url = f"/review/grading/answers/{mine.id}"
    for fields in ({"c0": "1", "seen": "0"}, {"c0": "0", "comment": "Viết lại.", "return": "yes", "seen": "0"}):
        refused = client.submit(url, fields, token_from="/")
        assert refused.status_code == 403 and SELF_GRADE in refused.get_data(as_text=True)
    skipped = client.submit(f"{url}/skip", {}, token_from="/")
    assert skipped.status_code == 403 and SELF_GRADE in skipped.get_data(as_text=True)
    assert _written_on(mine) == ([], [], [], [])  # no grade, no hold on it, no extra attempt, nothing audited
    assert _grade(client, theirs, c0="1").status_code == 302
    assert _next_answer_id(client) is None  # only one's own is left: nothing to grade
    assert _queue_counts(client)["Đang chờ chấm"] == "0"


def test_a_reviewer_above_grades_the_secretarys_reflection_who_cannot_regrade_it(
        people, submit_reflection, signed_in, make_user, tree):
    secretary = people["reviewer"]
    mine = submit_reflection(secretary)
    above = signed_in(make_user("reviewer", unit=tree["grassroots"], name="Bí Thư Xã"))
    assert _queue_counts(above)["Đang chờ chấm"] == "1"
    assert _next_answer_id(above) == mine.id
    assert _grade(above, mine, c0="0", comment="Cần nêu việc làm cụ thể.", **{"return": "yes"}).status_code == 302
    grades, _leases, allowances, entries = _written_on(mine)
    assert [(g.passed, g.returned) for g in grades] == [(False, True)]
    assert [a.user_id for a in allowances] == [secretary.id]
    assert {(e.kind, e.actor_name) for e in entries} == {(AuditKind.GRADE, "Bí Thư Xã"),
                                                         (AuditKind.RETURNED, "Bí Thư Xã"),
                                                         (AuditKind.EXTRA_ATTEMPT, "Bí Thư Xã")}
    # The secretary cannot regrade it themselves.
    client = signed_in(secretary)
    refused = _grade(client, mine, c0="1")
    assert refused.status_code == 403 and SELF_GRADE in refused.get_data(as_text=True)
    assert [g.passed for g in _written_on(mine)[0]] == [False]


def test_two_reviewers_never_get_the_same_reflection(people, submit_reflection, signed_in):
    first = submit_reflection(people["ann"], minutes_ago=20)
    second = submit_reflection(people["binh"], minutes_ago=10)
    one, two = signed_in(people["reviewer"]), signed_in(people["second"])
    assert _next_answer_id(one) == first.id
    assert _next_answer_id(two) == second.id
    assert _next_answer_id(one) == first.id  # the one it holds, again
    # The other's page says who holds it and offers no form; a grade posted anyway is refused.
    page = two.get(f"/review/grading/answers/{first.id}").get_data(as_text=True)
    assert "Bí Thư A" in page and "Chấm và sang bài tiếp" not in page
    refused = _grade(two, first, c0="1", token_from=f"/review/grading/answers/{second.id}")
    assert refused.status_code == 409
    assert "Bí Thư A" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 0


def test_an_expired_lease_is_taken_over_and_the_late_grade_refused(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    one, two = signed_in(people["reviewer"]), signed_in(people["second"])
    assert _next_answer_id(one) == answer.id
    token = one.csrf_token(f"/review/grading/answers/{answer.id}")
    db.session.execute(update(GradingLease).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _next_answer_id(two) == answer.id  # it ran out: the second reviewer takes it
    late = one.post(f"/review/grading/answers/{answer.id}", data={"c0": "1", "csrf_token": token})
    assert late.status_code == 409
    assert "Phó Bí Thư A" in late.get_data(as_text=True) and "không được ghi nhận" in late.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 0
    assert _grade(two, answer, c0="1").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(GradingLease)) == 0  # given back on grading


def test_an_expired_lease_nobody_took_still_lets_its_reviewer_grade(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    one = signed_in(people["reviewer"])
    assert _next_answer_id(one) == answer.id
    db.session.execute(update(GradingLease).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert _grade(one, answer, c0="1").status_code == 302


def test_skip_gives_the_next_one_and_frees_the_skipped(people, submit_reflection, signed_in):
    first = submit_reflection(people["ann"], minutes_ago=20)
    second = submit_reflection(people["binh"], minutes_ago=10)
    one, two = signed_in(people["reviewer"]), signed_in(people["second"])
    assert _next_answer_id(one) == first.id
    skipped = one.submit(f"/review/grading/answers/{first.id}/skip", {"c0": ""},
                         token_from=f"/review/grading/answers/{first.id}")
    assert skipped.headers["Location"].endswith("/review/grading/next")
    assert _next_answer_id(one) == second.id
    assert _next_answer_id(two) == first.id  # no longer held


def test_grading_moves_the_lesson_from_waiting_to_complete(people, lesson, campaign, submit_reflection, signed_in):
    member = people["ann"]
    answer = submit_reflection(member)
    progress = _progress(member, lesson)
    assert study_state(progress, True) == StudyState.REFLECTION_PENDING and progress.completed_at
    member_client = signed_in(member)
    assert "chờ chấm" in member_client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    assert _grade(reviewer, answer, c0="1", comment="Bài viết sát thực tế.").status_code == 302
    progress = _progress(member, lesson)
    assert study_state(progress, True) == StudyState.COMPLETE
    assert progress.reflection_passed is True and progress.completed_at and progress.on_time is True
    home = member_client.get("/").get_data(as_text=True)
    assert "đã hoàn thành" in home and "chờ chấm" not in home
    db.session.expire_all()
    stored = db.session.get(Answer, answer.id)
    assert stored.score == 10 and stored.passed and stored.feedback == "Bài viết sát thực tế."


def test_a_failing_grade_undoes_completion_and_the_member_sees_grade_and_comment(
        people, lesson, submit_reflection, signed_in):
    member = people["ann"]
    answer = submit_reflection(member)
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    assert _grade(reviewer, answer, c0="0", comment="Chưa nêu việc làm cụ thể.").status_code == 302
    progress = _progress(member, lesson)
    assert progress.completed_at is None and study_state(progress, True) == StudyState.REFLECTION_NOT_PASSED
    member_client = signed_in(member)
    attempt = db.session.get(Attempt, answer.attempt_id)
    result = member_client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Đã chấm: 0 trên 10 điểm" in result and "Chưa nêu việc làm cụ thể." in result
    assert "Chưa đạt" in result


def test_a_regrade_adds_a_grade_and_keeps_the_earlier_one(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    _grade(reviewer, answer, c0="0", comment="Còn chung chung.")
    page = reviewer.get(f"/review/grading/answers/{answer.id}").get_data(as_text=True)
    assert "Điểm hiện tại" in page and "Còn chung chung." in page
    assert _grade(reviewer, answer, c0="1", comment="Đã xem lại: đạt.").status_code == 302
    db.session.expire_all()
    grades = list(db.session.scalars(select(Grade).where(Grade.answer_id == answer.id).order_by(Grade.id)))
    assert [(g.passed, g.is_current) for g in grades] == [(False, False), (True, True)]
    assert grades[0].superseded_by_id == grades[1].id and grades[0].comment == "Còn chung chung."
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "answer")
                                      .order_by(AuditEntry.id)))
    assert [e.kind for e in entries] == [AuditKind.GRADE, AuditKind.REGRADE]
    assert entries[0].actor_name == "Bí Thư A" and entries[0].subject_name == "Lê Thị An"
    assert entries[0].after["points"] == 0 and entries[0].after["levels"] == "Kết luận: Chưa đạt"
    assert entries[1].before == {"points": 0.0, "max_points": 1.0, "levels": "Kết luận: Chưa đạt", "passed": False,
                                 "rubric": grades[0].rubric_id}
    assert entries[1].after["points"] == 1 and entries[1].after["levels"] == "Kết luận: Đạt"
    assert "Lịch sử: 2 lần chấm" in reviewer.get(f"/review/grading/answers/{answer.id}").get_data(as_text=True)


def test_returned_for_rewriting_gives_one_more_attempt_and_shows_the_reason(
        people, lesson, submit_reflection, signed_in):
    member = people["ann"]
    answer = submit_reflection(member)
    member_client = signed_in(member)
    assert "Còn 2 lần làm bài" in member_client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    reason = "Đồng chí cần nêu hai việc làm cụ thể của chi bộ."
    assert _grade(reviewer, answer, c0="0", comment=reason, **{"return": "yes"}).status_code == 302
    page = member_client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    assert f"Trả lại để viết lại: {reason}" in page and "Còn 3 lần làm bài" in page
    [allowance] = db.session.scalars(select(AttemptAllowance)).all()
    assert allowance.user_id == member.id and allowance.reason == reason
    kinds = [e.kind for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert AuditKind.RETURNED in kinds and AuditKind.EXTRA_ATTEMPT in kinds
    assert study_state(_progress(member, lesson), True) == StudyState.REFLECTION_RETURNED
    # The rewritten reflection waits for grading again, and is the one in the queue.
    rewritten = submit_reflection(member)
    progress = _progress(member, lesson)
    assert progress.reflection_returned_reason is None and study_state(progress, True) == StudyState.REFLECTION_PENDING
    assert _next_answer_id(reviewer) == rewritten.id


def test_only_a_failing_reflection_can_be_returned(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    refused = _grade(reviewer, answer, c0="1", comment="Tốt", **{"return": "yes"})
    assert refused.status_code == 400
    assert "Chỉ bài chưa đạt mới trả lại" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AttemptAllowance)) == 0


def test_bad_grading_input_is_a_400_naming_the_field_and_keeps_the_comment(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    for fields, message in (({"comment": "Giữ lại lời nhận xét này"}, "Kết luận: hãy chọn một mức."),
                            ({"c0": "7", "comment": "Giữ lại lời nhận xét này"}, "Kết luận: hãy chọn một mức."),
                            ({"c0": "0", "comment": "  "}, "Hãy nói vì sao bài thu hoạch chưa đạt"),
                            ({"c0": "1", "comment": "a\x00b"}, "Lời nhận xét")):
        response = _grade(reviewer, answer, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        assert message in page, fields
        if "Giữ lại" in fields["comment"]:
            assert "Giữ lại lời nhận xét này" in page
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 0


def test_a_campaigns_rubric_grades_per_criterion(people, campaign, submit_reflection, signed_in, make_user):
    editor = signed_in(make_user("editor", name="Biên Tập Hai"))
    assert editor.submit(f"/review/campaigns/{campaign.id}/scale", RUBRIC_FORM).status_code == 302
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    page = reviewer.get(f"/review/grading/answers/{answer.id}").get_data(as_text=True)
    assert "Liên hệ thực tế" in page and 'name="c1"' in page and "5 điểm" in page
    assert _grade(reviewer, answer, c0="1", c1="1").status_code == 302  # 3 + 5 of 10
    db.session.expire_all()
    grade = db.session.scalars(select(Grade)).one()
    assert (grade.points, grade.max_points, grade.percent, grade.passed, grade.levels) == (8, 10, 80.0, True, [1, 1])
    assert db.session.get(Answer, answer.id).score == 8.0


def _given(html):
    """(criterion, level, points) of each row of a grade's criteria, and the total row."""
    block = re.search(r'<dl class="given"[^>]*>(.*?)</dl>', html, re.S)
    assert block, "no criteria shown"
    rows = []
    for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block.group(1), re.S):
        level = re.search(r'<span class="given-level">(.*?)</span>', dd)
        points = re.search(r'<span class="given-points">(.*?)</span>', dd)
        rows.append((dt, level.group(1) if level else None, points.group(1) if points else dd.strip()))
    return rows


def test_the_member_and_the_reviewer_see_the_level_chosen_for_each_criterion(
        people, campaign, submit_reflection, signed_in, make_user):
    editor = signed_in(make_user("editor", name="Biên Tập Hai"))
    assert editor.submit(f"/review/campaigns/{campaign.id}/scale", RUBRIC_FORM).status_code == 302
    member = people["ann"]
    answer = submit_reflection(member)
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    assert _grade(reviewer, answer, c0="2", c1="0", comment="Liên hệ tốt, trình bày cần rõ hơn.").status_code == 302
    expected = [("Liên hệ thực tế", "Tốt", "5 trên 5 điểm"), ("Trình bày", "Chưa rõ", "0 trên 5 điểm"),
                ("Tổng theo thang chấm", None, "5 trên 10 điểm")]
    result = signed_in(member).get(f"/attempts/{answer.attempt_id}/result").get_data(as_text=True)
    assert _given(result) == expected
    # then the comment, after the criteria and their total
    assert result.index("Tổng theo thang chấm") < result.index("Liên hệ tốt, trình bày cần rõ hơn.")
    page = reviewer.get(f"/review/members/{member.id}").get_data(as_text=True)
    assert _given(page) == expected and "Liên hệ tốt, trình bày cần rõ hơn." in page
    # A regrade: both pages show the levels of the current grade only.
    assert _grade(reviewer, answer, c0="1", c1="1").status_code == 302
    result = signed_in(member).get(f"/attempts/{answer.attempt_id}/result").get_data(as_text=True)
    assert _given(result) == [("Liên hệ thực tế", "Đạt", "3 trên 5 điểm"), ("Trình bày", "Rõ ràng", "5 trên 5 điểm"),
                              ("Tổng theo thang chấm", None, "8 trên 10 điểm")]


def test_a_pass_or_not_pass_grade_shows_no_criteria_apart(people, campaign, submit_reflection, signed_in):
    member = people["ann"]
    answer = submit_reflection(member)
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    assert _grade(reviewer, answer, c0="1").status_code == 302
    result = signed_in(member).get(f"/attempts/{answer.attempt_id}/result").get_data(as_text=True)
    assert "Đã chấm: 10 trên 10 điểm" in result and 'class="given"' not in result


def test_a_used_rubric_never_changes_an_edit_makes_a_new_one(people, campaign, submit_reflection, signed_in,
                                                              make_user):
    editor = signed_in(make_user("editor", name="Biên Tập Hai"))
    editor.submit(f"/review/campaigns/{campaign.id}/scale", RUBRIC_FORM)
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    _grade(reviewer, answer, c0="2", c1="0")
    db.session.expire_all()
    used = db.session.scalars(select(Grade)).one().rubric
    definition = dict(used.definition)
    changed = {**RUBRIC_FORM, "rubric-criteria.0.levels.2.points": "6"}
    assert editor.submit(f"/review/campaigns/{campaign.id}/scale", changed).status_code == 302
    db.session.expire_all()
    link = db.session.get(CampaignScale, campaign.id)
    assert link.rubric_id != used.id and link.rubric.definition["criteria"][0]["levels"][2]["points"] == 6
    assert db.session.get(Rubric, used.id).definition == definition
    assert db.session.scalars(select(Grade)).one().rubric_id == used.id
    # The same content again finds its row rather than making one more.
    editor.submit(f"/review/campaigns/{campaign.id}/scale", RUBRIC_FORM)
    db.session.expire_all()
    assert db.session.get(CampaignScale, campaign.id).rubric_id == used.id
    created = db.session.scalar(select(func.count()).select_from(AuditEntry)
                                .where(AuditEntry.kind == AuditKind.RUBRIC_CREATED, AuditEntry.after["kind"]
                                       .as_string() == "rubric"))
    assert created == 2
    page = editor.get(f"/review/campaigns/{campaign.id}/scale").get_data(as_text=True)
    assert 'value="Liên hệ thực tế"' in page


def test_the_scale_editor_names_each_field_at_fault_and_keeps_what_was_typed(campaign, signed_in, make_user):
    editor = signed_in(make_user("editor", name="Biên Tập Hai"))
    url = f"/review/campaigns/{campaign.id}/scale"
    bad = {**RUBRIC_FORM, "rubric-criteria.0.levels.1.points": "ba", "rubric-criteria.1.name": "",
           "rubric-pass_points": "99"}
    response = editor.submit(url, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="criteria.0.levels.1.points-error"' in page and "Điểm: một số nguyên từ 0 đến 100." in page
    assert 'id="criteria.1.name-error"' in page and 'value="ba"' in page and 'value="Liên hệ thực tế"' in page
    points = editor.submit(url, {"kind": "points", "points-max_points": "0", "points-pass_points": "1"})
    assert points.status_code == 400 and 'id="max_points-error"' in points.get_data(as_text=True)
    assert editor.submit(url, {"kind": "stars"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(CampaignScale)) == 0
    more = editor.submit(url, {**RUBRIC_FORM, "action": "more"})
    assert more.status_code == 200 and 'name="rubric-criteria.2.name"' in more.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CampaignScale)) == 0
    ok = editor.submit(url, {"kind": "points", "points-max_points": "20", "points-pass_points": "10"})
    assert ok.status_code == 302
    assert db.session.get(CampaignScale, campaign.id).rubric.definition == {"max_points": 20, "pass_points": 10}


def test_a_campaign_without_a_scale_grades_pass_or_not_pass(people, campaign, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    page = reviewer.get(f"/review/grading/answers/{answer.id}").get_data(as_text=True)
    assert "Đạt" in page and "Chưa đạt" in page and 'name="c1"' not in page
    assert db.session.scalar(select(func.count()).select_from(Rubric)) == 0  # showing the page wrote no scale
    assert _grade(reviewer, answer, c0="1").status_code == 302
    db.session.expire_all()
    [created] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.RUBRIC_CREATED)).all()
    assert created.actor_name == "Bí Thư A" and created.after == {"kind": "pass_fail", "definition": "Kết luận: Chưa đạt (0), Đạt (1)"}
    assert db.session.scalars(select(Grade)).one().rubric.kind == "pass_fail"


def test_another_subtree_is_a_404_on_every_route(people, campaign, submit_reflection, signed_in, make_user, tree):
    answer = submit_reflection(people["ann"])
    outsider = signed_in(people["outsider"])
    token = outsider.csrf_token("/")
    assert _next_answer_id(outsider) is None
    for method, url in (("GET", f"/review/grading/answers/{answer.id}"),
                        ("POST", f"/review/grading/answers/{answer.id}"),
                        ("POST", f"/review/grading/answers/{answer.id}/skip")):
        response = outsider.open(url, method=method, data={"c0": "1", "csrf_token": token})
        assert response.status_code == 404, (method, url)
    # A campaign of cell A's reviewer: its scale page is a 404 to cell B's reviewer.
    own = campaigns.create_campaign(people["reviewer"], CampaignInput(
        title="Đợt của chi bộ A", description="", opens_on=vietnam_today(), closes_on=vietnam_today(),
        lesson_ids=[campaign.lessons[0].id], unit_ids=[tree["cell_a"].id]))
    db.session.commit()
    for method in ("GET", "POST"):
        response = outsider.open(f"/review/campaigns/{own.id}/scale", method=method,
                                 data={"kind": "pass_fail", "csrf_token": token})
        assert response.status_code == 404, method
    # Its own reviewer may set it; nobody's grade or lease was written by the outsider.
    assert signed_in(people["reviewer"]).submit(f"/review/campaigns/{own.id}/scale",
                                                {"kind": "pass_fail"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 0


def test_a_reviewer_may_not_change_the_scale_of_a_commission_campaign(people, campaign, signed_in):
    reviewer = signed_in(people["reviewer"])
    url = f"/review/campaigns/{campaign.id}/scale"
    province_reviewer_page = reviewer.get(url)
    assert province_reviewer_page.status_code == 404  # the campaign reaches beyond cell A
    assert reviewer.submit(url, {"kind": "pass_fail"}, token_from="/").status_code == 404


def test_members_and_anonymous_users_are_refused(people, submit_reflection, signed_in, app):
    answer = submit_reflection(people["ann"])
    member = signed_in(people["binh"])
    for url in ("/review/grading", "/review/grading/next", f"/review/grading/answers/{answer.id}"):
        assert member.get(url).status_code == 403
        anonymous = app.test_client().get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_a_grade_made_on_a_page_someone_else_has_since_graded_is_refused(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    one, two = signed_in(people["reviewer"]), signed_in(people["second"])
    page = one.get(f"/review/grading/answers/{answer.id}").get_data(as_text=True)
    assert 'name="seen" value="0"' in page
    token = one.csrf_token(f"/review/grading/answers/{answer.id}")
    db.session.execute(update(GradingLease).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _grade(two, answer, c0="1").status_code == 302  # took the expired hold, graded, gave it back
    late = one.post(f"/review/grading/answers/{answer.id}", data={"c0": "0", "comment": "Chưa đạt", "seen": "0",
                                                                  "csrf_token": token})
    assert late.status_code == 409 and "Phó Bí Thư A đã chấm bài thu hoạch này" in late.get_data(as_text=True)
    db.session.expire_all()
    [grade] = db.session.scalars(select(Grade)).all()
    assert grade.passed and grade.grader_id == people["second"].id


def test_returning_the_same_reflection_twice_gives_one_more_attempt_once(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    reviewer = signed_in(people["reviewer"])
    reviewer.get(f"/review/grading/answers/{answer.id}")
    for comment in ("Viết lại phần liên hệ.", "Viết lại phần liên hệ, nêu thời hạn."):
        assert _grade(reviewer, answer, c0="0", comment=comment, **{"return": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AttemptAllowance)) == 1
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 2


def test_reviewers_taking_one_reflection_at_the_same_moment_only_one_holds_it(app, people, submit_reflection):
    answer = submit_reflection(people["ann"])
    barrier = threading.Barrier(3)
    taken, errors = {}, []

    def take(reviewer_id: int):
        with app.app_context():
            try:
                barrier.wait()
                taken[reviewer_id] = leases.take(answer.id, reviewer_id)
                db.session.commit()
            except Exception as error:  # collected and asserted below
                errors.append(error)

    ids = [people[name].id for name in ("reviewer", "second", "outsider")]
    threads = [threading.Thread(target=take, args=(reviewer_id,)) for reviewer_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and sorted(taken.values()) == [False, False, True]
    db.session.expire_all()
    [lease] = db.session.scalars(select(GradingLease)).all()
    assert taken[lease.reviewer_id] is True


def test_skipped_reflections_come_back_when_asked(people, submit_reflection, signed_in):
    answer = submit_reflection(people["ann"])
    one = signed_in(people["reviewer"])
    assert _next_answer_id(one) == answer.id
    one.submit(f"/review/grading/answers/{answer.id}/skip", {}, token_from=f"/review/grading/answers/{answer.id}")
    assert _next_answer_id(one) is None
    queue = one.get("/review/grading").get_data(as_text=True)
    assert "ngoài những bài đồng chí đã bỏ qua" in queue and "Gồm cả những bài tôi đã bỏ qua" in queue
    again = one.get("/review/grading/next?again=1")
    assert again.headers["Location"].endswith(f"/review/grading/answers/{answer.id}")
