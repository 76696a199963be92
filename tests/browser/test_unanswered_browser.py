"""On a 360 px phone, with and without JavaScript, tapping Nộp bài with a
question left blank asks first; confirming reaches the result."""
import pytest

from learning.core import db
from learning.models import Attempt
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.browser.test_quiz_browser import (
    answer,
    open_quiz,
    questions_in_page_order,
    wait_saved,
)
from tests.conftest import PASSWORD


@pytest.fixture
def lesson(publish_file):
    return publish_file("68-nq-tw-2025.md")  # 6 questions, 10 minutes, shuffled questions


@pytest.fixture
def member(make_user):
    return make_user(name="Vi Văn Thắng")


def start_leaving_one_blank(page, base, member, lesson, blank_at=2):
    sign_in(page, base, member.phone, PASSWORD)
    attempt_id = open_quiz(page, base, lesson)
    questions = questions_in_page_order(page, lesson)
    for question in questions[:blank_at] + questions[blank_at + 1:]:
        answer(page, question)
    return attempt_id, questions


def test_the_phone_asks_before_submitting_with_a_question_blank(live_server, phone, member, lesson):
    attempt_id, questions = start_leaving_one_blank(phone, live_server, member, lesson)
    blank = questions[2]
    phone.locator("#submit-button").click()
    warning = phone.locator("#unanswered")
    warning.wait_for(state="visible")
    assert warning.locator("h2").inner_text() == "1 câu chưa trả lời"
    link = warning.locator(".unanswered-list a")
    assert link.count() == 1 and link.inner_text() == "Câu 3"
    assert link.get_attribute("href") == f"#question-{blank.key}"
    assert warning.evaluate("el => el === document.activeElement")  # said at once, and next in the tab order
    assert warning.locator("#submit-anyway").is_visible() and warning.locator("#keep-answering").is_visible()
    assert no_horizontal_scroll(phone)
    shot(phone, "quiz-unanswered-360")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "open"

    warning.locator("#submit-anyway").click()
    phone.wait_for_url("**/result")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "submitted" and attempt.percent < 100.0


def test_keep_answering_goes_to_the_blank_question_then_submit_goes_straight_through(
        live_server, phone, member, lesson):
    attempt_id, questions = start_leaving_one_blank(phone, live_server, member, lesson, blank_at=4)
    blank = questions[4]
    phone.locator("#submit-button").click()
    phone.locator("#unanswered").wait_for(state="visible")
    phone.locator("#keep-answering").click()
    assert phone.locator("#unanswered").is_hidden()
    box = phone.locator(f"#question-{blank.key}")
    assert box.evaluate("el => el.contains(document.activeElement)")  # its first control has the focus
    assert box.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    answer(phone, blank)
    wait_saved(phone, blank)
    phone.locator("#submit-button").click()
    phone.wait_for_url("**/result")
    assert "100%" in phone.locator(".score").inner_text()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).percent == 100.0


def test_without_javascript_submitting_with_questions_blank_asks_first(browser, live_server, member, lesson):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False,
                                  locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, member.phone, PASSWORD)
        attempt_id = open_quiz(page, live_server, lesson)
        questions = questions_in_page_order(page, lesson)
        for question in questions[1:5]:
            answer(page, question)
        page.click("button[value=submit]")
        warning = page.locator("#unanswered")
        assert warning.is_visible()
        assert warning.locator("h2").inner_text() == "2 câu chưa trả lời"
        assert warning.locator(".unanswered-list a").all_inner_texts() == ["Câu 1", "Câu 6"]
        # Every answer given is still there.
        for question in questions[1:5]:
            assert page.locator(f"#question-{question.key} .qstatus").get_attribute("data-status") == "saved"
        assert no_horizontal_scroll(page)
        shot(page, "quiz-unanswered-nojs-360")
        db.session.expire_all()
        assert db.session.get(Attempt, attempt_id).status == "open"
        page.click("#submit-anyway")
        page.wait_for_url("**/result")
        shot(page, "quiz-unanswered-nojs-result-360")
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "submitted"
