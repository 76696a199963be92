"""A rubric's grade on a 360 px phone: the member's result page shows each
criterion, the level chosen and its points, then the total and the comment,
without a script and nothing wider than the screen; the grading queue's
three counts sit side by side."""
from datetime import timedelta

from sqlalchemy import select

from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.models import Answer, Question
from learning.org.access import Member
from learning.review import grading, rubrics
from learning.study import answers as answering
from learning.study import attempts, reading, submission
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import PASSWORD
from tests.web.test_study import correct_values

RUBRIC = {
    "pass_points": "5",
    "criteria.0.name": "Nhận thức đầy đủ, sâu sắc nội dung cốt lõi và những điểm mới của nghị quyết",
    "criteria.0.levels.0.name": "Chưa đạt", "criteria.0.levels.0.points": "0",
    "criteria.0.levels.1.name": "Đạt", "criteria.0.levels.1.points": "3",
    "criteria.0.levels.2.name": "Tốt", "criteria.0.levels.2.points": "5",
    "criteria.1.name": "Liên hệ với thực tế công tác của bản thân",
    "criteria.1.levels.0.name": "Chưa rõ", "criteria.1.levels.0.points": "0",
    "criteria.1.levels.1.name": "Có liên hệ nhưng còn chung chung, chưa nêu việc làm cụ thể",
    "criteria.1.levels.1.points": "3",
    "criteria.1.levels.2.name": "Sâu sắc, cụ thể", "criteria.1.levels.2.points": "5",
}


def test_a_rubric_grade_fits_the_members_phone(live_server, phone, make_user, publish_file, tree):
    lesson = publish_file("57-nq-tw-2024.md")
    reviewer = make_user(role="reviewer", unit=tree["cell_a"], name="Bí Thư A", phone="0988000011")
    member = make_user(name="Nguyễn Thị Phương Thảo", phone="0988000012")
    today = vietnam_today()
    campaign = campaigns.create_campaign(reviewer, CampaignInput(
        "Học tập Nghị quyết 57", "", today - timedelta(days=1), today + timedelta(days=20), [lesson.id],
        [tree["cell_a"].id]))
    rubrics.set_scale(campaign, reviewer, "rubric", RUBRIC.get)
    reading.record_read(member, lesson)
    attempt = attempts.start_attempt(member, lesson, lesson.versions[-1])
    answering.save_answers(Member(user_id=member.id), attempt.id, [
        answering.IncomingAnswer(q.key, correct_values(q)) for q in attempt.version.questions])
    submission.submit_attempt(attempt, confirmed=True)
    reflection = db.session.scalar(select(Answer).join(Question, Question.key == Answer.question_key)
                                   .where(Answer.attempt_id == attempt.id, Question.kind == "reflection",
                                          Question.version_id == attempt.version_id))
    item = grading.open_item(reviewer, reflection.id)
    grading.grade(reviewer, item, ["2", "1"], "Nắm chắc nội dung; phần liên hệ cần nêu việc làm cụ thể hơn.", False)
    db.session.commit()

    sign_in(phone, live_server, member.phone, PASSWORD)
    phone.goto(f"{live_server}/attempts/{attempt.id}/result")
    rows = phone.locator(".given div")
    assert rows.count() == 3
    assert rows.nth(1).locator(".given-level").inner_text().startswith("Có liên hệ nhưng còn chung chung")
    assert rows.nth(1).locator(".given-points").inner_text() == "3 trên 5 điểm"
    assert rows.nth(2).locator("dd").inner_text() == "8 trên 10 điểm"
    assert no_horizontal_scroll(phone)
    # Each criterion's points stay whole and on the screen, right of (or under) the level chosen.
    boxes = phone.evaluate("""[...document.querySelectorAll('.given .given-points')].map(e => {
      const r = e.getBoundingClientRect(); return {right: r.right, height: r.height}; })""")
    line = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.given .given-points')).lineHeight)")
    assert all(b["right"] <= 360 and b["height"] <= line * 1.2 for b in boxes), boxes
    comment = phone.locator(".reflection-grade >> text=phần liên hệ cần nêu")
    assert comment.bounding_box()["y"] > rows.nth(2).bounding_box()["y"]  # the comment after the total
    phone.locator(".reflection-grade").scroll_into_view_if_needed()
    shot(phone, "grade-rubric-member-360")

    phone.context.clear_cookies()  # signed out
    sign_in(phone, live_server, reviewer.phone, PASSWORD)
    phone.goto(f"{live_server}/review/grading")
    tops = phone.evaluate("[...document.querySelectorAll('.queue-counts div')].map(e => e.getBoundingClientRect().top)")
    assert len(tops) == 3 and max(tops) - min(tops) < 1, tops  # one row
    assert no_horizontal_scroll(phone)
    shot(phone, "grading-queue-360")
