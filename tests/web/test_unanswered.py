"""Submitting with questions unanswered asks first: the plain form comes back
with a warning (how many, which, submit anyway or keep answering) and every
answer kept; the script's JSON route refuses until the member confirms;
time running out never asks."""
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from learning.core import db
from learning.models import LessonProgress
from learning.study.answers import saved_responses
from learning.study.models import GRACE
from tests.web.test_study import _checked, correct_values, form_of, start

JSON = {"Accept": "application/json"}


@pytest.fixture
def lesson(publish_file):
    return publish_file("57-nq-tw-2024.md")  # 7 questions, shuffled, two of them true or false


@pytest.fixture
def member(make_user):
    return make_user(name="Đinh Thị Mai")


def true_false_keys(attempt):
    """The questions this member leaves blank: the two true-or-false ones."""
    return [q.key for q in attempt.version.questions if q.kind == "true_false"]


def numbers(attempt):
    """Each question's number on the page: its place in the attempt's order."""
    return {step["key"]: number for number, step in enumerate(attempt.plan, start=1)}


def warning(html):
    """The warning's opening tag and its contents."""
    match = re.search(r'(<section[^>]*id="unanswered"[^>]*>)(.*?)</section>', html, re.S)
    assert match, "no unanswered warning in the page"
    return match.group(1), match.group(2)


def shown(html) -> bool:
    tag, _body = warning(html)
    return not re.search(r"\shidden[\s>]", tag)


def submitted(attempt) -> bool:
    db.session.expire_all()
    return attempt.status == "submitted"


def test_submit_with_questions_unanswered_asks_first_and_keeps_every_answer(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    blank = true_false_keys(attempt)
    page = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=blank), "action": "submit"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert shown(html)
    _tag, body = warning(html)
    assert "2 câu chưa trả lời" in body
    for key in sorted(blank, key=numbers(attempt).get):  # named by number, linked to their fieldsets
        assert f'<a href="#question-{key}">Câu {numbers(attempt)[key]}</a>' in body
        assert f'id="question-{key}"' in html
    assert re.search(r'<button[^>]*form="quiz-form"[^>]*value="submit_confirmed"[^>]*>Vẫn nộp bài</button>', body)
    first_blank = min(blank, key=numbers(attempt).get)
    assert f'href="/attempts/{attempt.id}#question-{first_blank}">Tiếp tục làm bài</a>' in body
    # Nothing submitted; every answer of the post is saved and shown again.
    assert not submitted(attempt)
    assert db.session.scalars(select(LessonProgress)).one().attempts_used == 0
    saved = saved_responses(attempt)
    for question in attempt.version.questions:
        assert (saved.get(question.key) is None) == (question.key in blank), question.key
        if question.kind == "single":
            assert _checked(html, f"q-{question.key}", correct_values(question)[0])
    essay = next(q for q in attempt.version.questions if q.kind == "reflection")
    assert correct_values(essay)[0].strip() in html


def test_submit_anyway_submits_with_questions_unanswered(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    blank = true_false_keys(attempt)
    response = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=blank), "action": "submit_confirmed"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    assert submitted(attempt) and not attempt.auto_submitted
    assert attempt.percent < 100.0  # the blank questions earned nothing


def test_every_question_answered_submits_without_asking(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    response = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "submit"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    assert submitted(attempt) and attempt.percent == 100.0


def test_keep_answering_reopens_the_quiz_at_the_first_blank_question_without_the_warning(
        client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    blank = true_false_keys(attempt)
    html = client.submit(f"/attempts/{attempt.id}",
                         {**form_of(attempt, skip=blank), "action": "submit"}).get_data(as_text=True)
    link = re.search(r'href="([^"]+)">Tiếp tục làm bài', warning(html)[1]).group(1)
    path, _hash, fragment = link.partition("#")
    page = client.get(path).get_data(as_text=True)
    assert f'id="{fragment}"' in page and not shown(page)
    single = next(q for q in attempt.version.questions if q.kind == "single")
    assert _checked(page, f"q-{single.key}", correct_values(single)[0])
    assert not submitted(attempt)


def test_a_page_without_the_warning_has_it_hidden_with_the_scripts_texts(client, login, member, lesson):
    """The script fills the same element: the texts for every count come with it."""
    login(member)
    attempt = start(client, lesson)
    tag, _body = warning(client.get(f"/attempts/{attempt.id}").get_data(as_text=True))
    assert re.search(r"\shidden[\s>]", tag)
    counts = json.loads(re.search(r"data-tcounts='([^']*)'", tag).group(1))
    assert counts == [f"{n} câu chưa trả lời" for n in range(1, len(attempt.plan) + 1)]
    assert 'data-tquestion="Câu {n}"' in tag


def test_in_english_the_count_takes_its_plural(client, login, member, lesson):
    login(member)
    client.get("/lang/en")
    attempt = start(client, lesson)
    blank = true_false_keys(attempt)
    two = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=blank), "action": "submit"})
    assert "2 questions unanswered" in warning(two.get_data(as_text=True))[1]
    one = client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=blank[:1]), "action": "submit"})
    assert "1 question unanswered" in warning(one.get_data(as_text=True))[1]
    counts = json.loads(re.search(r"data-tcounts='([^']*)'", warning(one.get_data(as_text=True))[0]).group(1))
    assert counts[:2] == ["1 question unanswered", "2 questions unanswered"]


def test_a_reflection_outside_its_limits_is_said_before_asking_about_blank_questions(client, login, member, lesson):
    """Asking first would have the member confirm a submission that is then refused."""
    login(member)
    attempt = start(client, lesson)
    essay = next(q for q in attempt.version.questions if q.kind == "reflection")
    blank = true_false_keys(attempt)[:1]
    answers = {**form_of(attempt, skip=blank), f"q-{essay.key}": ["Quá ngắn"]}
    html = client.submit(f"/attempts/{attempt.id}", {**answers, "action": "submit"}).get_data(as_text=True)
    assert "2 từ" in html and not shown(html)
    answers[f"q-{essay.key}"] = correct_values(essay)
    html = client.submit(f"/attempts/{attempt.id}", {**answers, "action": "submit"}).get_data(as_text=True)
    assert shown(html) and "1 câu chưa trả lời" in warning(html)[1]
    assert not submitted(attempt)


def test_the_scripts_submission_is_refused_with_the_count_until_confirmed(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    blank = true_false_keys(attempt)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=blank), "action": "save"})
    token = client.csrf_token(f"/attempts/{attempt.id}")
    headers = {**JSON, "X-CSRFToken": token}
    refused = client.post(f"/attempts/{attempt.id}/submit", headers=headers, json={})
    assert refused.status_code == 409
    assert refused.get_json() == {
        "error": "2 câu chưa trả lời",
        "unanswered": [{"number": numbers(attempt)[key], "key": key}
                       for key in sorted(blank, key=numbers(attempt).get)]}
    assert not submitted(attempt)
    assert client.post(f"/attempts/{attempt.id}/submit", headers=headers, json={"confirm": 0}).status_code == 409
    confirmed = client.post(f"/attempts/{attempt.id}/submit", headers=headers, json={"confirm": 1})
    assert confirmed.status_code == 200 and confirmed.get_json()["result"].endswith("/result")
    assert submitted(attempt)


def test_an_empty_json_body_submits_an_attempt_fully_answered(client, login, member, lesson):
    """A client that sends no body (as the load benchmark does) is not
    refused as malformed: an empty body confirms nothing, and nothing needs
    confirming."""
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt), "action": "save"})
    token = client.csrf_token(f"/attempts/{attempt.id}")
    done = client.post(f"/attempts/{attempt.id}/submit", data=b"", content_type="application/json",
                       headers={**JSON, "X-CSRFToken": token})
    assert done.status_code == 200 and submitted(attempt)


def test_a_plain_post_to_submit_with_questions_unanswered_goes_back_to_the_quiz(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=true_false_keys(attempt)), "action": "save"})
    back = client.submit(f"/attempts/{attempt.id}/submit", token_from=f"/attempts/{attempt.id}")
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/attempts/{attempt.id}")
    assert "2 câu chưa trả lời" in client.get(back.headers["Location"]).get_data(as_text=True)
    assert not submitted(attempt)
    done = client.submit(f"/attempts/{attempt.id}/submit", {"confirm": "1"}, token_from=f"/attempts/{attempt.id}")
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    assert submitted(attempt)


@pytest.mark.parametrize("way", ["form", "script"])
def test_once_the_time_is_up_submitting_never_asks(client, login, member, lesson, way):
    """In the grace period after the deadline the member's own submission
    goes through with what was saved, as the timer's would."""
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=true_false_keys(attempt)), "action": "save"})
    attempt.deadline_at = db.utcnow() - GRACE / 2
    db.session.commit()
    if way == "form":
        response = client.submit(f"/attempts/{attempt.id}", {"action": "submit"})
        assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    else:
        token = client.csrf_token(f"/lessons/{lesson.slug}")
        response = client.post(f"/attempts/{attempt.id}/submit", headers={**JSON, "X-CSRFToken": token}, json={})
        assert response.status_code == 200
    assert submitted(attempt)


def test_an_attempt_past_its_grace_is_submitted_as_saved_without_asking(client, login, member, lesson):
    login(member)
    attempt = start(client, lesson)
    client.submit(f"/attempts/{attempt.id}", {**form_of(attempt, skip=true_false_keys(attempt)), "action": "save"})
    attempt.deadline_at = db.utcnow() - GRACE - timedelta(seconds=5)
    db.session.commit()
    response = client.submit(f"/attempts/{attempt.id}", {"action": "submit"}, token_from=f"/lessons/{lesson.slug}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    assert submitted(attempt) and attempt.auto_submitted
