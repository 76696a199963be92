"""Members study: campaigns assign lessons, attempts never lose an answer,
submitting grades once, time limits hold, progress and completion roll up."""
import itertools
import re
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.lessons.versions import quiz_questions
from learning.models import Answer, Attempt, LessonProgress, SignIn
from learning.org.access import Member
from learning.study import answers as answering
from learning.study import attempts, errors, models, submission
from learning.study.grading import grade_attempt
from tests.conftest import CONTENT


def correct_values(question) -> list[str]:
    """What a member who knows the answer submits, as form values."""
    data = question.data
    if question.kind in ("single", "multiple"):
        return [c["key"] for c in data["choices"] if c["correct"]]
    if question.kind == "true_false":
        return ["true" if data["answer"] else "false"]
    if question.kind == "short_text":
        return [data["answers"][0]]
    return ["Chi bộ chúng tôi sẽ số hoá sổ sách và họp trực tuyến khi cần. " * 12]


def nothing_but_the_reflection(question) -> list[str]:
    """A member who answers no question (the reflection is still required)."""
    return correct_values(question) if question.kind == "reflection" else []


def form_of(attempt, values_for=correct_values, skip=()):
    data = {}
    for question in attempt.version.questions:
        if question.key not in skip:
            data[f"q-{question.key}"] = values_for(question)
    return data


@pytest.fixture
def lesson(publish_file):
    return publish_file("57-nq-tw-2024.md")


@pytest.fixture
def member(make_user):
    return make_user(name="Hoàng Văn Học")


def save_json(client, attempt, token, key, value, seq):
    """What the page's script sends for one answer."""
    return client.post(f"/attempts/{attempt.id}/answers", headers={"X-CSRFToken": token},
                       json={"answers": [{"key": key, "values": [value], "seq": seq}]})


def assert_sent_to_sign_in(client, attempt, token, value_index=0, seq=1):
    """Saving an answer and submitting both go to the sign-in page, and the
    attempt stays open."""
    question, choices = single_choice(attempt)
    for response in (save_json(client, attempt, token, question.key, choices[value_index], seq),
                     client.post(f"/attempts/{attempt.id}/submit", headers={"X-CSRFToken": token})):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "open"


def single_choice(attempt):
    """The attempt's first single-choice question and its choice keys."""
    question = next(q for q in attempt.version.questions if q.kind == "single")
    return question, [c["key"] for c in question.data["choices"]]


def start(client, lesson):
    response = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.session.expire_all()
    return db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()


def test_a_full_attempt_without_javascript(client, login, member, lesson):
    login(member)
    page = client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    assert "57-NQ/TW" in page
    attempt = start(client, lesson)
    quiz = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    # The page never carries the correct answers or explanations before they may be shown.
    version = attempt.version
    for question in version.questions:
        assert not question.explanation_html or question.explanation_html not in quiz
    assert "correct" not in quiz and "Giải thích" not in quiz
    response = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    db.session.expire_all()
    assert attempt.status == "submitted" and attempt.percent == 100.0 and attempt.passed
    result = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "100%" in result and "Đạt" in result
    progress = db.session.scalars(select(LessonProgress)).one()
    assert progress.read_at and progress.quiz_passed_at and progress.reflection_submitted_at
    assert progress.completed_at and progress.counted_percent == 100.0


def test_saving_part_way_keeps_answers_for_later_and_other_devices(client, app, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    first = attempt.version.questions[0]
    client.submit(f"/attempts/{attempt.id}", {f"q-{first.key}": correct_values(first), "action": "save"})
    # Another phone: a fresh client signs in and finds the saved answer checked.
    from tests.conftest import PASSWORD, FormClient
    other = FormClient(app.test_client())
    other.submit("/login", {"identifier": member.phone, "password": PASSWORD})
    page = other.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert _checked(page, f"q-{first.key}", correct_values(first)[0])


def _checked(html, name, value):
    pattern = rf'name="{re.escape(name)}" value="{re.escape(value)}"\s+checked'
    return re.search(pattern, html) is not None


def test_json_saves_are_ordered_by_the_phones_sequence(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    question, keys = single_choice(attempt)
    token = client.csrf_token(f"/attempts/{attempt.id}")

    def save(value, seq):
        return save_json(client, attempt, token, question.key, value, seq)

    assert save(keys[0], 5).get_json()["saved"] == [{"key": question.key, "seq": 5}]
    late = save(keys[1], 3)  # a late retry of an older save: answered, but not as saved
    assert late.status_code == 200 and late.get_json()["saved"] == []
    assert answering.saved_responses(attempt)[question.key] == keys[0]
    save(keys[1], 6)
    assert answering.saved_responses(attempt)[question.key] == keys[1]


def test_double_submit_and_replay_grade_once(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "save"})
    token = client.csrf_token(f"/attempts/{attempt.id}")
    first = client.post(f"/attempts/{attempt.id}/submit", headers={"X-CSRFToken": token, "Accept": "application/json"})
    again = client.post(f"/attempts/{attempt.id}/submit", headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert first.status_code == again.status_code == 200
    db.session.expire_all()
    submitted_at = attempt.submitted_at
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert db.session.scalars(select(LessonProgress)).one().attempts_used == 1  # graded once
    client.post(f"/attempts/{attempt.id}/submit", headers={"X-CSRFToken": token})
    db.session.expire_all()
    assert attempt.submitted_at == submitted_at
    # Saving after submission is refused; nothing changes.
    late = client.post(f"/attempts/{attempt.id}/answers", json={"answers": []}, headers={"X-CSRFToken": token})
    assert late.status_code == 409


def test_time_limit_is_enforced_by_the_server(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    question = next(q for q in attempt.version.questions if q.kind == "true_false")
    client.submit(f"/attempts/{attempt.id}", {f"q-{question.key}": correct_values(question), "action": "save"})
    attempt.deadline_at = attempt.started_at - timedelta(minutes=1)  # the time ran out a while ago
    db.session.commit()
    token = client.csrf_token(f"/lessons/{lesson.slug}")
    late = client.post(f"/attempts/{attempt.id}/answers", headers={"X-CSRFToken": token},
                       json={"answers": [{"key": question.key, "values": ["true"], "seq": 99}]})
    assert late.status_code == 409
    page = client.get(f"/attempts/{attempt.id}")
    assert page.status_code == 302 and page.headers["Location"].endswith("/result")
    db.session.expire_all()
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert attempt.score == question.points  # what was saved before the end counts


def test_answers_within_the_grace_period_are_accepted(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    question = attempt.version.questions[0]
    attempt.deadline_at = db.utcnow() - models.GRACE / 2
    db.session.commit()
    token = client.csrf_token(f"/lessons/{lesson.slug}")
    response = client.post(f"/attempts/{attempt.id}/answers", headers={"X-CSRFToken": token},
                           json={"answers": [{"key": question.key, "values": correct_values(question), "seq": 1}]})
    assert response.status_code == 200


def test_attempts_allowed_are_not_exceeded(client, login, member, lesson):
    login(member)
    allowed = lesson.versions[-1].settings["attempts_allowed"]
    for _ in range(allowed):
        attempt = start(client, lesson)
        client.submit(f"/attempts/{attempt.id}",
                      {**form_of(attempt, nothing_but_the_reflection), "action": "submit_confirmed"})
    response = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/lessons/{lesson.slug}")
    assert "đã dùng hết" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == allowed


def test_concurrent_starts_create_one_attempt(app, member, lesson):
    """Two requests from the same member at once (a double tap on a slow network)."""
    version = lesson.versions[-1]
    barrier = threading.Barrier(4)
    ids, errors = [], []

    def start_in_own_context():
        with app.app_context():
            try:
                user, item = db.session.get(type(member), member.id), db.session.get(type(lesson), lesson.id)
                barrier.wait()
                attempt = attempts.start_attempt(user, item, db.session.get(type(version), version.id))
                db.session.commit()
                ids.append(attempt.id)
            except Exception as error:  # collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=start_in_own_context) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(set(ids)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_saves_racing_a_submission_are_graded_or_refused(app, client, login, member, publish_file):
    """A phone keeps saving while the member submits from another device: each
    acknowledged save is either in the graded answers or refused, never stored
    after grading. Saves alternate right and wrong, so a save landing after
    grading would make the stored answers disagree with the score."""
    login(member)
    token = client.csrf_token("/")
    for path in sorted(CONTENT.glob("*.md")):  # one race per shipped lesson
        lesson = publish_file(path.name)
        attempt = attempts.start_attempt(member, lesson, lesson.versions[-1])
        db.session.commit()
        question, choices = single_choice(attempt)
        right = next(c["key"] for c in question.data["choices"] if c["correct"])
        wrong = next(c for c in choices if c != right)
        acknowledged, refused, started = [], [], threading.Barrier(2)

        def keep_saving():
            started.wait()
            deadline = time.monotonic() + 20
            for seq in itertools.count(1):
                response = save_json(client, attempt, token, question.key, right if seq % 2 else wrong, seq)
                if response.status_code == 409:
                    refused.append(seq)
                    return
                acknowledged.extend(a["seq"] for a in response.get_json()["saved"])
                if time.monotonic() > deadline:
                    return
                time.sleep(0.0005)  # a phone is never this fast, and SQLite's waiting writer needs a gap

        def submit_meanwhile():
            with app.app_context():
                started.wait()
                while len(acknowledged) < 5:
                    time.sleep(0.001)
                submission.submit(Member(user_id=member.id), attempt.id, auto=True)  # as when time runs out: no word limits
                db.session.commit()

        threads = [threading.Thread(target=keep_saving), threading.Thread(target=submit_meanwhile)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        db.session.expire_all()
        stored = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id)).one()
        assert attempt.status == "submitted" and len(acknowledged) >= 5 and refused  # saving stopped at the submission
        assert stored.client_seq == max(acknowledged)  # the last acknowledged save is the one graded
        assert answering.answer_scores(attempt)[question.key] == (question.points if stored.client_seq % 2 else 0)
        regraded = grade_attempt(quiz_questions(attempt.version_id).values(), answering.saved_responses(attempt))
        assert attempt.percent == regraded.percent


def test_an_attempt_closing_between_two_answers_of_one_save_refuses_the_save(app, client, login, member, lesson,
                                                                             monkeypatch):
    """One save carries two answers; the attempt is submitted elsewhere between
    them. The reply says the attempt is closed (not that the second answer is
    old), and the first answer, written before, is in the grade."""
    login(member)
    attempt = start(client, lesson)
    first, second = [q for q in attempt.version.questions if q.kind == "single"][:2]
    write = answering._upsert_answer

    def write_then_submit_elsewhere(*args):
        written = write(*args)
        if args[2] == first.key:
            with app.app_context():  # another request: the member submits on another phone
                submission.submit(Member(user_id=member.id), attempt.id, auto=True)
                db.session.commit()
        return written

    monkeypatch.setattr(answering, "_upsert_answer", write_then_submit_elsewhere)
    token = client.csrf_token(f"/attempts/{attempt.id}")
    right = {q.key: correct_values(q)[0] for q in (first, second)}
    response = client.post(f"/attempts/{attempt.id}/answers", headers={"X-CSRFToken": token}, json={"answers": [
        {"key": first.key, "values": [right[first.key]], "seq": 1},
        {"key": second.key, "values": [right[second.key]], "seq": 2}]})
    assert response.status_code == 409 and response.get_json()["closed"] is True
    db.session.expire_all()
    assert set(answering.saved_responses(attempt)) == {first.key}
    assert answering.answer_scores(attempt)[first.key] == first.points  # graded with the answer written before


def test_progress_written_during_a_submission_is_read_again(client, login, member, lesson, monkeypatch):
    """The roll-up reads the progress row without a lock and writes it only if
    no one wrote it meanwhile; if someone did (here: the lesson page recording
    the reading), it works from the row as it is then."""
    login(member)
    attempt = start(client, lesson)
    progress = LessonProgress.__table__
    db.session.execute(update(progress).values(read_at=None))  # as if the reading were not recorded yet
    db.session.commit()
    read = submission._answers_and_progress

    def read_then_a_page_view_lands(attempt_id, **options):
        found = read(attempt_id, **options)
        db.session.execute(update(progress).values(read_at=utcnow(), revision=progress.c.revision + 1))
        return found

    monkeypatch.setattr(submission, "_answers_and_progress", read_then_a_page_view_lands)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit"})
    db.session.expire_all()
    row = db.session.scalars(select(LessonProgress)).one()
    assert row.attempts_used == 1 and row.quiz_passed_at is not None and row.read_at is not None
    assert row.completed_at is not None  # read, passed and reflected: complete, seen from the fresh row
    assert attempt.status == "submitted" and attempt.percent == 100.0  # the grade, written with the first try


def test_an_attempt_is_only_for_its_member(client, login, member, make_user, lesson):
    login(member)
    attempt = start(client, lesson)
    client.submit("/logout", token_from="/")
    login(make_user(name="Người Khác", phone="0977777777"))
    assert client.get(f"/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/attempts/{attempt.id}/result").status_code == 404
    token = client.csrf_token("/")
    assert client.post(f"/attempts/{attempt.id}/answers", json={"answers": []},
                       headers={"X-CSRFToken": token}).status_code == 404
    question, choices = single_choice(attempt)
    assert save_json(client, attempt, token, question.key, choices[0], 1).status_code == 404
    assert client.post(f"/attempts/{attempt.id}/submit", headers={"X-CSRFToken": token,
                                                              "Accept": "application/json"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "open"
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_the_services_refuse_another_members_attempt_by_id(client, login, member, make_user, lesson):
    """The form page and the cron name the member by id: the statements check that too."""
    login(member)
    attempt = start(client, lesson)
    other = Member(user_id=make_user(name="Người Khác", phone="0977777777").id)
    question, choices = single_choice(attempt)
    with pytest.raises(errors.AttemptNotFound):
        answering.save_answers(other, attempt.id, [answering.IncomingAnswer(question.key, [choices[0]])])
    with pytest.raises(errors.AttemptNotFound):
        submission.submit(other, attempt.id)
    db.session.rollback()
    assert db.session.get(Attempt, attempt.id).status == "open"
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_deactivated_member_can_neither_save_nor_submit(client, login, member, lesson):
    """The save and submit routes do not load the member: their statements
    check the session, so deactivation ends it there at once too."""
    login(member)
    attempt = start(client, lesson)
    token = client.csrf_token(f"/attempts/{attempt.id}")
    question, choices = single_choice(attempt)
    assert save_json(client, attempt, token, question.key, choices[0], 1).status_code == 200
    member.active = False
    db.session.commit()
    assert_sent_to_sign_in(client, attempt, token, value_index=1, seq=2)
    assert db.session.scalars(select(Answer.response)).one() == {"value": choices[0]}


def test_a_copy_of_a_signed_out_cookie_can_neither_save_nor_submit(app, client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    token = client.csrf_token(f"/attempts/{attempt.id}")
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    copy = client.get_cookie(cookie_name).value
    client.submit("/logout", token_from="/")
    client.set_cookie(cookie_name, copy)  # the cookie as it was before signing out
    assert_sent_to_sign_in(client, attempt, token)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_an_expired_sign_in_can_neither_save_nor_submit(app, client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    token = client.csrf_token(f"/attempts/{attempt.id}")
    db.session.execute(update(SignIn).values(created_at=utcnow() - app.permanent_session_lifetime - timedelta(1)))
    db.session.commit()
    assert_sent_to_sign_in(client, attempt, token)


def test_saving_or_submitting_needs_a_session(client, member, lesson, login):
    login(member)
    attempt = start(client, lesson)
    client.submit("/logout", token_from="/")
    token = client.csrf_token("/login")
    assert_sent_to_sign_in(client, attempt, token)


def test_counted_score_follows_the_lessons_rule(client, login, member, lesson):
    login(member)
    wrong = start(client, lesson)
    client.submit(f"/attempts/{wrong.id}",
                  {**form_of(wrong, nothing_but_the_reflection), "action": "submit_confirmed"})  # 0%
    right = start(client, lesson)
    client.submit(f"/attempts/{right.id}", {**form_of(right), "action": "submit"})
    db.session.expire_all()
    progress = db.session.scalars(select(LessonProgress)).one()
    assert lesson.versions[-1].settings["counted_attempt"] == "highest"
    assert progress.counted_percent == 100.0 and progress.attempts_used == 2


def test_the_average_rule_counts_every_attempt(client, login, member, publish_file):
    lesson = publish_file("68-nq-tw-2025.md")
    assert lesson.versions[-1].settings["counted_attempt"] == "average"
    login(member)
    for values_for in (correct_values, nothing_but_the_reflection, correct_values):
        attempt = start(client, lesson)
        client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, values_for), "action": "submit_confirmed"})
    db.session.expire_all()
    percents = db.session.scalars(select(Attempt.percent).order_by(Attempt.number)).all()
    progress = db.session.scalars(select(LessonProgress)).one()
    assert percents[0] == percents[2] == 100.0 and percents[1] < 100.0
    assert progress.attempts_used == 3 and progress.counted_percent == round(sum(percents) / 3, 2)


def test_correct_answers_hidden_when_the_settings_say_so(client, login, member, publish_file):
    lesson = publish_file("66-nq-tw-2025.md")  # show answers: never
    assert lesson.versions[-1].settings["show_answers"] == "never"
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {"action": "submit_confirmed"})
    html = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "chưa hiện đáp án" in html
    assert "Đáp án được chấp nhận" not in html and 'class="tag ok"' not in html
    assert 'class="mark' not in html  # not even which answers were right


def test_campaign_puts_lessons_on_the_members_home(client, login, member, lesson, tree, make_user):
    admin = make_user(role="admin", phone="0966666666")
    today = vietnam_today()
    campaigns.create_campaign(admin, CampaignInput("Đợt 1", "", today, today + timedelta(days=10),
                                                   [lesson.id], [tree["grassroots"].id]))
    db.session.commit()
    login(member)
    home = client.get("/").get_data(as_text=True)
    assert home.index('id="now"') < home.index(lesson.title)
    assert "chưa học" in home
    assert (today + timedelta(days=10)).strftime("%d/%m/%Y") in home


def test_overdue_and_done_sections(client, login, member, lesson, tree, make_user, publish_file):
    admin = make_user(role="admin", phone="0966666666")
    other = publish_file("05-ct-tw-2016.md")
    today = vietnam_today()
    campaigns.create_campaign(admin, CampaignInput("Quá hạn", "", today - timedelta(days=20),
                                                   today - timedelta(days=1), [other.id], [tree["province"].id]))
    campaigns.create_campaign(admin, CampaignInput("Đang mở", "", today, today + timedelta(days=5),
                                                   [lesson.id], [tree["cell_a"].id]))
    db.session.commit()
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit"})
    home = client.get("/").get_data(as_text=True)
    overdue_at, done_at = home.index('id="overdue"'), home.index('id="done"')
    assert overdue_at < home.index(other.title) < done_at < home.index(lesson.title)
    progress = db.session.scalars(select(LessonProgress).where(LessonProgress.lesson_id == lesson.id)).one()
    assert progress.on_time is True


def test_the_campaign_list_says_which_are_closed_or_not_open_yet(client, login, lesson, tree, make_user):
    admin = make_user(role="admin", phone="0966666667")
    today = vietnam_today()
    for title, opens, closes in (("Đã xong", -20, -1), ("Đang mở", 0, 5), ("Sắp tới", 3, 9)):
        campaigns.create_campaign(admin, CampaignInput(title, "", today + timedelta(days=opens),
                                                       today + timedelta(days=closes), [lesson.id], [tree["province"].id]))
    db.session.commit()
    login(admin)
    page = client.get("/campaigns/").get_data(as_text=True)
    cards = {title: page[page.index(title):].split("</li>")[0] for title in ("Đã xong", "Đang mở", "Sắp tới")}
    assert "đã kết thúc" in cards["Đã xong"] and "chưa bắt đầu" in cards["Sắp tới"]
    assert "đã kết thúc" not in cards["Đang mở"] and "chưa bắt đầu" not in cards["Đang mở"]


def test_reviewer_assigns_only_within_their_units(client, login, make_user, lesson, tree):
    reviewer = make_user(role="reviewer", unit=tree["cell_a"], phone="0955555555")
    login(reviewer)
    page = client.get("/campaigns/new").get_data(as_text=True)
    assert tree["cell_a"].name in page and tree["cell_b"].name not in page
    today = vietnam_today()
    form = {"title": "Đợt của chi bộ", "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=3)).isoformat(),
            "lessons": [str(lesson.id)], "units": [str(tree["cell_b"].id)]}
    refused = client.submit("/campaigns/new", form)
    assert refused.status_code == 400 and "đơn vị mình phụ trách" in refused.get_data(as_text=True)
    form["units"] = [str(tree["cell_a"].id)]
    assert client.submit("/campaigns/new", form).status_code == 302


def test_campaign_form_reports_each_field(client, login, make_user):
    login(make_user(role="editor", phone="0944444444"))
    response = client.submit("/campaigns/new", {"title": "", "opens_on": "31/02/2026", "closes_on": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in ("Nhập tiêu đề", "dd/mm/yyyy", "Chọn ít nhất một bài học", "Chọn ít nhất một đơn vị"):
        assert message in html


@pytest.mark.parametrize("query", ["nghi quyet 57", "57-nq", "NGHỊ QUYẾT 57", "57-NQ/TW", "chuyen doi so"])
def test_search_ignores_case_and_diacritics(client, login, member, publish_file, query):
    publish_file("57-nq-tw-2024.md")
    publish_file("05-ct-tw-2016.md")
    login(member)
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "57-NQ/TW" in html


def test_search_finds_nothing_with_a_helpful_message(client, login, member, lesson):
    login(member)
    html = client.get("/search", query_string={"q": "không có văn bản này xyz"}).get_data(as_text=True)
    assert "57-NQ/TW" not in html and "Không có bài học" in html


def test_reading_is_recorded(client, login, member, lesson):
    login(member)
    client.get(f"/lessons/{lesson.slug}")
    progress = db.session.scalars(select(LessonProgress)).one()
    assert progress.started_at and progress.read_at is None
    token = client.csrf_token(f"/lessons/{lesson.slug}")
    assert client.post(f"/lessons/{lesson.slug}/read", headers={"X-CSRFToken": token}).status_code == 200
    db.session.expire_all()
    assert progress.read_at is not None


def test_a_reflection_below_its_word_limit_is_refused_and_nothing_is_lost(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    essay = next(q for q in attempt.version.questions if q.kind == "reflection")
    answers = {**form_of(attempt), f"q-{essay.key}": ["Quá ngắn"], "action": "submit"}
    page = client.submit(f"/attempts/{attempt.id}", answers)
    assert page.status_code == 200 and "2 từ" in page.get_data(as_text=True)
    db.session.expire_all()
    assert attempt.status == "open"
    assert answering.saved_responses(attempt)[essay.key] == "Quá ngắn"  # kept for the member to continue
    token = client.csrf_token(f"/attempts/{attempt.id}")
    refused = client.post(f"/attempts/{attempt.id}/submit", headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert refused.status_code == 422 and "2 từ" in refused.get_json()["error"]


def test_the_last_attempt_running_out_of_time_is_graded_not_stuck(client, login, member, publish_file):
    lesson = publish_file("66-nq-tw-2025.md")  # one attempt only, 12 minutes
    assert lesson.versions[-1].settings["attempts_allowed"] == 1
    login(member)
    attempt = start(client, lesson)
    attempt.deadline_at = attempt.started_at - timedelta(minutes=5)
    db.session.commit()
    again = client.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    assert again.headers["Location"].endswith(f"/attempts/{attempt.id}")
    assert client.get(again.headers["Location"]).headers["Location"].endswith("/result")
    db.session.expire_all()
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert db.session.scalars(select(LessonProgress)).one().attempts_used == 1


def test_expired_attempts_are_closed_by_the_cron_command(app, client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    attempt.deadline_at = attempt.started_at - timedelta(minutes=5)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["attempts", "close-expired"])
    assert result.exit_code == 0 and "1" in result.output
    db.session.expire_all()
    assert attempt.status == "submitted" and attempt.auto_submitted


def test_a_save_older_than_the_stored_one_is_reported_stale_not_saved(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    question, keys = single_choice(attempt)
    token = client.csrf_token(f"/attempts/{attempt.id}")
    save_json(client, attempt, token, question.key, keys[0], 40)
    late = save_json(client, attempt, token, question.key, keys[1], 1).get_json()
    assert late["saved"] == [] and late["stale"] == [{"key": question.key, "seq": 40}]
    assert 'data-seq-floor="40"' in client.get(f"/attempts/{attempt.id}").get_data(as_text=True)


def test_answers_shown_after_the_campaign_closes_only(client, login, member, publish_file, tree, make_user):
    lesson = publish_file("366-qd-tw-2025.md")  # show answers: when the campaign closes
    assert lesson.versions[-1].settings["show_answers"] == "after_close"
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {"action": "submit_confirmed"})
    assert "chưa hiện đáp án" in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)  # no campaign
    admin = make_user(role="admin", phone="0966666666")
    today = vietnam_today()
    campaign = campaigns.create_campaign(admin, CampaignInput("Đã đóng", "", today - timedelta(days=9),
                                                              today - timedelta(days=1), [lesson.id],
                                                              [tree["cell_a"].id]))
    db.session.commit()
    assert "chưa hiện đáp án" not in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    campaign.closes_on = today + timedelta(days=1)
    db.session.commit()
    assert "chưa hiện đáp án" in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)


def test_an_extra_attempt_granted_with_a_reason_reopens_the_quiz_and_is_audited(client, login, member, lesson,
                                                                                make_user):
    from learning.audit.models import AuditEntry
    from learning.study.allowances import grant_extra_attempts

    login(member)
    allowed = lesson.versions[-1].settings["attempts_allowed"]
    for _ in range(allowed):
        attempt = start(client, lesson)
        client.submit(f"/attempts/{attempt.id}",
                      {**form_of(attempt, nothing_but_the_reflection), "action": "submit_confirmed"})
    secretary = make_user("reviewer", name="Bí Thư Chi Bộ")
    with pytest.raises(DomainError):
        grant_extra_attempts(member, lesson, secretary, reason="  ")
    grant_extra_attempts(member, lesson, secretary, reason="Ốm trong đợt học")
    db.session.commit()
    page = client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
    assert "đã dùng hết" not in page
    extra = start(client, lesson)
    assert extra.number == allowed + 1 and extra.status == "open"
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.kind, entry.actor_name, entry.subject_name, entry.reason) == (
        "study.extra_attempt", "Bí Thư Chi Bộ", "Hoàng Văn Học", "Ốm trong đợt học")
    assert entry.before == {"extra_attempts": 0} and entry.after["extra_attempts"] == 1
