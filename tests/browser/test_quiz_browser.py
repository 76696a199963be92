"""A member answers on a 360 px phone over a flaky network and loses nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from learning.core import db
from learning.core.db import utcnow
from learning.models import Answer, Attempt, LessonProgress
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import PASSWORD
from tests.web.test_study import correct_values


@pytest.fixture
def lesson(publish_file):
    return publish_file("68-nq-tw-2025.md")  # 6 questions, 10 minutes, shuffled questions


@pytest.fixture
def member(make_user):
    return make_user(name="Lường Thị Hoa")


def open_quiz(page, base, lesson):
    page.goto(f"{base}/lessons/{lesson.slug}")
    page.locator("#quiz button[type=submit]").click()
    page.wait_for_url("**/attempts/*")
    return int(page.url.rstrip("/").split("/")[-1])


def answer(page, question):
    """Give the right answer to one question the way a member does: tap or type."""
    box = page.locator(f"#question-{question.key}")
    values = correct_values(question)
    if question.kind in ("short_text", "reflection"):
        box.locator("input[type=text], textarea").fill(values[0])
        box.locator("input[type=text], textarea").blur()
    else:
        for value in values:
            box.locator(f"input[value='{value}']").check()


def status(page, question):
    return page.locator(f"#question-{question.key} .qstatus").get_attribute("data-status")


def wait_saved(page, question):
    # A locator, not wait_for_function: the page's CSP forbids evaluating strings.
    page.locator(f"#question-{question.key} .qstatus[data-status=saved]").wait_for(timeout=15000)


def questions_in_page_order(page, lesson):
    by_key = {q.key: q for q in lesson.versions[-1].questions}
    keys = page.eval_on_selector_all("fieldset.question", "els => els.map(e => e.dataset.key)")
    return [by_key[k] for k in keys]


def start_with_one_answer_saved(page, base, member, lesson):
    """Sign in, open the quiz, answer its first question and wait until it is saved."""
    sign_in(page, base, member.phone, PASSWORD)
    attempt_id = open_quiz(page, base, lesson)
    questions = questions_in_page_order(page, lesson)
    answer(page, questions[0])
    wait_saved(page, questions[0])
    return attempt_id, questions


def test_losing_the_network_mid_quiz_loses_no_answer(live_server, phone, member, lesson):
    sign_in(phone, live_server, member.phone, PASSWORD)
    attempt_id = open_quiz(phone, live_server, lesson)
    questions = questions_in_page_order(phone, lesson)
    assert no_horizontal_scroll(phone)

    for question in questions[:2]:
        answer(phone, question)
        wait_saved(phone, question)

    phone.context.set_offline(True)
    for question in questions[2:4]:
        answer(phone, question)
    phone.wait_for_timeout(500)
    assert [status(phone, q) for q in questions[2:4]] == ["pending", "pending"]
    assert phone.locator("#sync").get_attribute("data-state") == "offline"
    shot(phone, "quiz-offline-360")

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    for question in questions[2:4]:
        wait_saved(phone, question)
    for question in questions[4:]:
        answer(phone, question)
    phone.locator("#submit-button").click()
    phone.wait_for_url("**/result")
    shot(phone, "quiz-result-360")
    assert "100%" in phone.locator(".score").inner_text()
    assert phone.evaluate("localStorage.length") == 0  # nothing of a finished attempt stays on the phone
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "submitted" and attempt.percent == 100.0
    assert len(db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)).all()) == len(questions)


def test_answers_survive_a_reload_while_the_server_is_unreachable(live_server, phone, member, lesson):
    attempt_id, questions = start_with_one_answer_saved(phone, live_server, member, lesson)
    # The save endpoint fails (a weak network drops the request)...
    phone.route("**/answers", lambda route: route.abort())
    answer(phone, questions[1])
    phone.wait_for_timeout(500)
    assert status(phone, questions[1]) == "pending"
    # ...the member reloads; the phone still holds the answer and sends it.
    phone.unroute("**/answers")
    phone.reload()
    wait_saved(phone, questions[1])
    assert status(phone, questions[0]) == "saved"
    saved = {a.question_key for a in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id))}
    assert {questions[0].key, questions[1].key} <= saved


def test_two_tabs_of_one_attempt_lose_no_answer(live_server, phone, member, lesson):
    """Both tabs keep their unsent answers in the phone's one storage: each
    takes in what the other wrote, so a tab the browser drops loses nothing."""
    attempt_id, questions = start_with_one_answer_saved(phone, live_server, member, lesson)
    other_tab = phone.context.new_page()
    other_tab.goto(phone.url)
    phone.context.set_offline(True)
    answer(other_tab, questions[1])
    other_tab.wait_for_timeout(300)
    answer(phone, questions[2])  # written after the other tab's answer
    phone.wait_for_timeout(300)
    # The other tab's answer shows here too, kept on the phone (a send may be
    # under way and failing: wait for it to settle).
    phone.locator(f"#question-{questions[1].key} .qstatus[data-status=pending]").wait_for(timeout=5000)
    shot(phone, "quiz-two-tabs-360")
    other_tab.close()  # phones drop background tabs before they get to send
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    for question in questions[1:3]:
        wait_saved(phone, question)
    db.session.expire_all()
    saved = {a.question_key for a in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id))}
    assert {q.key for q in questions[:3]} <= saved


def test_double_tap_on_submit_grades_once(live_server, phone, member, lesson):
    sign_in(phone, live_server, member.phone, PASSWORD)
    attempt_id = open_quiz(phone, live_server, lesson)
    questions = questions_in_page_order(phone, lesson)
    for question in questions:
        answer(phone, question)
    phone.locator("#submit-button").dblclick()
    phone.wait_for_url("**/result")
    db.session.expire_all()
    attempts = db.session.scalars(select(Attempt)).all()
    assert [a.id for a in attempts] == [attempt_id]
    assert attempts[0].percent == 100.0
    assert db.session.scalars(select(LessonProgress)).one().attempts_used == 1  # graded once


def test_time_running_out_submits_what_was_saved(live_server, phone, member, lesson):
    attempt_id, questions = start_with_one_answer_saved(phone, live_server, member, lesson)
    attempt = db.session.get(Attempt, attempt_id)
    attempt.deadline_at = utcnow() + timedelta(seconds=2)
    db.session.commit()
    phone.reload()  # the countdown now shows two seconds
    phone.wait_for_url("**/result", timeout=20000)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "submitted"
    assert attempt.score == questions[0].points


def test_quiz_works_without_javascript(browser, live_server, member, lesson):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, member.phone, PASSWORD)
        attempt_id = open_quiz(page, live_server, lesson)
        questions = questions_in_page_order(page, lesson)
        answer(page, questions[0])
        page.click("button[value=save]")
        assert page.locator(f"#question-{questions[0].key} .qstatus").get_attribute("data-status") == "saved"
        for question in questions[1:]:
            answer(page, question)
        page.click("button[value=submit]")
        page.wait_for_url("**/result")
        assert "100%" in page.locator(".score").inner_text()
        shot(page, "quiz-result-nojs-360")
    finally:
        context.close()
    assert db.session.get(Attempt, attempt_id).status == "submitted"
