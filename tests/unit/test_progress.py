"""A member's progress on a lesson (study.progress), on plain data: the state
shown for it, what a graded attempt and a reviewer's verdict change, and when
the lesson is complete and on time (the day in Vietnam against the due date)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from learning.lessons.authoring.model import QuizSettings
from learning.study.progress import (
    ROLL_UP_COLUMNS,
    AttemptOutcome,
    StudyState,
    count_attempt,
    grade_reflection,
    refresh_completion,
    rolled_up,
    study_state,
)

# 20:30 UTC on 9 March is 03:30 on 10 March in Vietnam (UTC+7).
NOW = datetime(2026, 3, 9, 20, 30, tzinfo=timezone.utc)
EARLIER = NOW - timedelta(days=2)


def _progress(**values) -> SimpleNamespace:
    row = dict(started_at=EARLIER, read_at=EARLIER, counted_percent=None, attempts_used=0, quiz_passed_at=None,
               reflection_submitted_at=None, reflection_graded_at=None, reflection_passed=None,
               reflection_returned_reason=None, completed_at=None, on_time=None, updated_at=EARLIER)
    row.update(values)
    return SimpleNamespace(**row)


def _outcome(percent, *, rule="highest", pass_mark=70, reviewed=(), responses=None, earlier=()) -> AttemptOutcome:
    return AttemptOutcome(user_id=1, lesson_id=2, version_id=3,
                          settings=QuizSettings(pass_mark=pass_mark, counted_attempt=rule), percent=percent,
                          responses=responses or {}, reviewed_keys=tuple(reviewed), earlier_percents=list(earlier))


def _never_asked():
    raise AssertionError("the due date is read only when the lesson becomes complete")


# -- the state shown ---------------------------------------------------------------------

@pytest.mark.parametrize(("values", "needs_reflection", "state"), [
    ({"started_at": None}, False, StudyState.NOT_STARTED),
    ({}, False, StudyState.READING),
    ({"quiz_passed_at": EARLIER}, False, StudyState.QUIZ_PASSED),
    ({"quiz_passed_at": EARLIER, "completed_at": EARLIER}, False, StudyState.COMPLETE),
    ({"completed_at": EARLIER, "reflection_submitted_at": EARLIER}, True, StudyState.REFLECTION_PENDING),
    ({"completed_at": EARLIER, "reflection_graded_at": EARLIER, "reflection_passed": True}, True,
     StudyState.COMPLETE),
    ({"quiz_passed_at": EARLIER, "reflection_passed": False}, True, StudyState.REFLECTION_NOT_PASSED),
    ({"quiz_passed_at": EARLIER, "reflection_passed": False, "reflection_returned_reason": "Viết cụ thể hơn"}, True,
     StudyState.REFLECTION_RETURNED),
    ({"quiz_passed_at": EARLIER, "reflection_passed": False}, False, StudyState.QUIZ_PASSED),
    ({"reflection_passed": None}, True, StudyState.READING),
])
def test_the_state_of_a_lesson_for_a_member(values, needs_reflection, state):
    assert study_state(_progress(**values), needs_reflection) is state


def test_a_lesson_never_opened_is_not_started():
    assert study_state(None, True) is StudyState.NOT_STARTED


def test_each_state_has_its_code_and_a_name():
    assert [(s.value, s.label) for s in StudyState] == [
        ("not_started", "not started"), ("reading", "reading"), ("quiz_passed", "quiz passed"),
        ("reflection_pending", "reflection waiting for grading"), ("reflection_not_passed", "reflection not passed"),
        ("reflection_returned", "reflection returned for rewriting"), ("complete", "complete")]


# -- a graded attempt ----------------------------------------------------------------------

def test_an_attempt_at_the_pass_mark_passes_the_quiz_and_completes_a_read_lesson():
    columns = rolled_up(vars(_progress()), _outcome(70.0), lambda: date(2026, 3, 10), NOW)
    assert set(columns) == set(ROLL_UP_COLUMNS)
    assert columns == {"counted_percent": 70.0, "attempts_used": 1, "quiz_passed_at": NOW,
                       "reflection_submitted_at": None, "reflection_graded_at": None, "reflection_passed": None,
                       "reflection_returned_reason": None, "completed_at": NOW, "on_time": True, "updated_at": NOW}


def test_an_attempt_below_the_pass_mark_neither_passes_nor_completes():
    columns = rolled_up(vars(_progress()), _outcome(69.99), _never_asked, NOW)
    assert (columns["counted_percent"], columns["attempts_used"], columns["quiz_passed_at"],
            columns["completed_at"], columns["on_time"]) == (69.99, 1, None, None, None)


def test_a_lesson_not_yet_read_is_not_complete_though_its_quiz_is_passed():
    columns = rolled_up(vars(_progress(read_at=None)), _outcome(100.0), _never_asked, NOW)
    assert columns["quiz_passed_at"] == NOW and columns["completed_at"] is None


def test_a_quiz_with_no_score_to_count_is_passed():
    # A quiz of reflections only: nothing is graded automatically.
    progress = _progress()
    count_attempt(progress, _outcome(None), NOW)
    assert (progress.counted_percent, progress.quiz_passed_at) == (None, NOW)


def test_passing_again_keeps_the_first_day_it_was_passed():
    progress = _progress(counted_percent=80.0, attempts_used=1, quiz_passed_at=EARLIER)
    count_attempt(progress, _outcome(90.0), NOW)
    assert (progress.counted_percent, progress.attempts_used, progress.quiz_passed_at, progress.updated_at) == (
        90.0, 2, EARLIER, NOW)


@pytest.mark.parametrize(("rule", "counted"), [("highest", 80.0), ("last", 50.0), ("first", 80.0), ("average", 65.0)])
def test_the_counted_score_follows_the_lessons_rule(rule, counted):
    progress = _progress(counted_percent=80.0, attempts_used=1, quiz_passed_at=EARLIER)
    count_attempt(progress, _outcome(50.0, rule=rule, earlier=[80.0]), NOW)
    assert progress.counted_percent == counted
    assert progress.quiz_passed_at == (EARLIER if counted >= 70 else None)


def test_the_average_rule_counts_every_earlier_score():
    progress = _progress(counted_percent=60.0, attempts_used=2)
    count_attempt(progress, _outcome(90.0, rule="average", earlier=[40.0, 80.0]), NOW)
    assert (progress.counted_percent, progress.attempts_used, progress.quiz_passed_at) == (70.0, 3, NOW)


def test_a_later_score_below_the_pass_mark_undoes_the_completion():
    progress = _progress(counted_percent=80.0, attempts_used=1, quiz_passed_at=EARLIER, completed_at=EARLIER,
                         on_time=True)
    columns = rolled_up(vars(progress), _outcome(40.0, rule="last"), _never_asked, NOW)
    assert (columns["quiz_passed_at"], columns["completed_at"], columns["on_time"]) == (None, None, None)


def test_a_reflection_written_waits_for_grading_and_the_lesson_counts_as_done():
    outcome = _outcome(80.0, reviewed=["thu-hoach"], responses={"thu-hoach": "Bài viết."})
    columns = rolled_up(vars(_progress()), outcome, lambda: date(2026, 3, 10), NOW)
    assert (columns["reflection_submitted_at"], columns["reflection_graded_at"], columns["reflection_passed"],
            columns["completed_at"], columns["on_time"]) == (NOW, None, None, NOW, True)
    assert study_state(SimpleNamespace(**{**vars(_progress()), **columns}), True) is StudyState.REFLECTION_PENDING


def test_without_its_reflection_a_lesson_that_asks_for_one_is_not_complete():
    outcome = _outcome(80.0, reviewed=["thu-hoach"], responses={"thu-hoach": ""})
    columns = rolled_up(vars(_progress()), outcome, _never_asked, NOW)
    assert (columns["quiz_passed_at"], columns["reflection_submitted_at"], columns["completed_at"]) == (
        NOW, None, None)


def test_every_reflection_of_the_quiz_must_be_written():
    outcome = _outcome(80.0, reviewed=["a", "b"], responses={"a": "Bài viết."})
    progress = _progress()
    count_attempt(progress, outcome, NOW)
    assert progress.reflection_submitted_at is None


def test_a_reflection_already_waiting_or_passed_is_not_submitted_again():
    for passed, graded in ((None, None), (True, EARLIER)):
        progress = _progress(reflection_submitted_at=EARLIER, reflection_graded_at=graded, reflection_passed=passed)
        count_attempt(progress, _outcome(80.0, reviewed=["r"], responses={"r": "Lần hai."}), NOW)
        assert (progress.reflection_submitted_at, progress.reflection_graded_at, progress.reflection_passed) == (
            EARLIER, graded, passed)


def test_a_reflection_written_again_after_not_passing_waits_for_grading_again():
    progress = _progress(reflection_submitted_at=EARLIER, reflection_graded_at=EARLIER, reflection_passed=False,
                         reflection_returned_reason="Viết cụ thể hơn")
    count_attempt(progress, _outcome(80.0, reviewed=["r"], responses={"r": "Viết lại."}), NOW)
    assert (progress.reflection_submitted_at, progress.reflection_graded_at, progress.reflection_passed,
            progress.reflection_returned_reason) == (NOW, None, None, None)


# -- completion and the due date -------------------------------------------------------------

@pytest.mark.parametrize(("due", "on_time"), [
    (date(2026, 3, 10), True),  # the day in Vietnam: on time
    (date(2026, 3, 9), False),  # the UTC day would say on time
    (None, None),  # no due date: neither on time nor late
])
def test_completion_is_on_time_by_the_day_in_vietnam(due, on_time):
    progress = _progress(quiz_passed_at=EARLIER)
    refresh_completion(progress, False, lambda: due, NOW)
    assert (progress.completed_at, progress.on_time) == (NOW, on_time)


def test_a_completed_lesson_keeps_its_day_and_verdict():
    progress = _progress(quiz_passed_at=EARLIER, completed_at=EARLIER, on_time=False)
    refresh_completion(progress, False, _never_asked, NOW)
    assert (progress.completed_at, progress.on_time) == (EARLIER, False)


# -- a reviewer's verdict ----------------------------------------------------------------------

def test_a_passing_reflection_completes_the_lesson():
    progress = _progress(quiz_passed_at=EARLIER, reflection_submitted_at=EARLIER)
    grade_reflection(progress, True, "ignored", True, lambda: date(2026, 3, 10), NOW)
    assert (progress.reflection_graded_at, progress.reflection_passed, progress.reflection_returned_reason,
            progress.updated_at, progress.completed_at, progress.on_time) == (NOW, True, None, NOW, NOW, True)


def test_a_reflection_not_passing_undoes_the_completion_and_keeps_the_reason():
    progress = _progress(quiz_passed_at=EARLIER, reflection_submitted_at=EARLIER, completed_at=EARLIER, on_time=True)
    grade_reflection(progress, False, "Viết cụ thể hơn", True, _never_asked, NOW)
    assert (progress.reflection_graded_at, progress.reflection_passed, progress.reflection_returned_reason,
            progress.completed_at, progress.on_time) == (NOW, False, "Viết cụ thể hơn", None, None)
    assert study_state(progress, True) is StudyState.REFLECTION_RETURNED


def test_a_reflection_not_passing_without_a_reason_is_not_returned():
    progress = _progress(quiz_passed_at=EARLIER, reflection_submitted_at=EARLIER)
    grade_reflection(progress, False, "", True, _never_asked, NOW)
    assert progress.reflection_returned_reason is None
    assert study_state(progress, True) is StudyState.REFLECTION_NOT_PASSED


def test_the_first_attempt_sets_the_score_under_the_first_rule():
    progress = _progress()
    count_attempt(progress, _outcome(60.0, rule="first"), NOW)
    assert (progress.counted_percent, progress.attempts_used, progress.quiz_passed_at) == (60.0, 1, None)
