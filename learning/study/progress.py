"""The rules of a member's progress on a lesson, as pure functions over plain
data: the state a lesson is in for them, and what a graded attempt or a
finished reading changes. No database, no request: the operations (reading,
submission) read the rows, ask these rules, and write the result.

A lesson is complete when it was read, its quiz passed (by the counted score:
highest, last, first or average, as the lesson says) and its reflection (if
any) written and not found wanting; completion records whether it was on time
against the member's due date (campaigns.binding), when the member did their
part: a reflection waiting for grading already counts as done on time, and
is shown as "waiting for grading" until a reviewer passes it. A reflection
graded as not passing undoes the completion; a new one (after it was
returned for rewriting) waits for grading again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, Callable, Mapping

from flask_babel import lazy_gettext as _l

from learning.core.clock import VIETNAM
from learning.core.enums import LabelledEnum
from learning.lessons.authoring.model import CountedAttempt, QuizSettings
from learning.study.grading import counted_after, counted_percent


class StudyState(LabelledEnum):
    """Where a member stands on one lesson."""
    NOT_STARTED = "not_started", _l("not started")
    READING = "reading", _l("reading")
    QUIZ_PASSED = "quiz_passed", _l("quiz passed")
    REFLECTION_PENDING = "reflection_pending", _l("reflection waiting for grading")
    REFLECTION_NOT_PASSED = "reflection_not_passed", _l("reflection not passed")
    REFLECTION_RETURNED = "reflection_returned", _l("reflection returned for rewriting")
    COMPLETE = "complete", _l("complete")


def study_state(progress, needs_reflection: bool) -> StudyState:
    """`progress` is the member's progress row (or None: never opened)."""
    if progress is None or progress.started_at is None:
        return StudyState.NOT_STARTED
    if progress.completed_at:
        pending = needs_reflection and progress.reflection_graded_at is None
        return StudyState.REFLECTION_PENDING if pending else StudyState.COMPLETE
    if needs_reflection and progress.reflection_passed is False:
        return StudyState.REFLECTION_RETURNED if progress.reflection_returned_reason else StudyState.REFLECTION_NOT_PASSED
    if progress.quiz_passed_at:
        return StudyState.QUIZ_PASSED
    return StudyState.READING


@dataclass(frozen=True)
class AttemptOutcome:
    """What a graded attempt brings to the member's progress on its lesson."""
    user_id: int
    lesson_id: int
    version_id: int
    settings: QuizSettings
    percent: float | None
    responses: Mapping[str, Any]
    reviewed_keys: tuple[str, ...]  # the questions a reviewer grades (reflections)
    earlier_percents: list[float]  # the member's earlier scores on the lesson (read for the average rule only)


# The columns a graded attempt changes; the others (started_at, read_at) belong to reading.
ROLL_UP_COLUMNS = ("counted_percent", "attempts_used", "quiz_passed_at", "reflection_submitted_at",
                   "reflection_graded_at", "reflection_passed", "reflection_returned_reason",
                   "completed_at", "on_time", "updated_at")


def rolled_up(progress: Mapping[str, Any], outcome: AttemptOutcome, due_on: Callable[[], date | None],
              now: datetime) -> dict[str, Any]:
    """The progress columns after the attempt. `due_on` is asked only when
    the lesson becomes complete (it costs a query)."""
    state = SimpleNamespace(**progress)
    count_attempt(state, outcome, now)
    refresh_completion(state, bool(outcome.reviewed_keys), due_on, now)
    return {name: getattr(state, name) for name in ROLL_UP_COLUMNS}


def count_attempt(progress, outcome: AttemptOutcome, now: datetime) -> None:
    """The counted score, the attempts used, the quiz passed or not, the
    reflection written or not, after one more graded attempt."""
    rule = outcome.settings.counted_attempt
    if rule == CountedAttempt.AVERAGE:  # the only rule that needs every earlier score, read with the answers
        progress.counted_percent = counted_percent(rule, [*outcome.earlier_percents, outcome.percent])
    else:
        progress.counted_percent = counted_after(rule, progress.counted_percent, progress.attempts_used,
                                                 outcome.percent)
    progress.attempts_used += 1
    passed = progress.counted_percent is None or progress.counted_percent >= outcome.settings.pass_mark
    if passed and progress.quiz_passed_at is None:
        progress.quiz_passed_at = now
    elif not passed:
        progress.quiz_passed_at = None
    if (outcome.reviewed_keys and all(outcome.responses.get(key) for key in outcome.reviewed_keys)
            and (progress.reflection_submitted_at is None or progress.reflection_passed is False)):
        # The first reflection, or one written again after a grade that did not pass: it waits for grading.
        progress.reflection_submitted_at = now
        progress.reflection_graded_at = progress.reflection_passed = progress.reflection_returned_reason = None
    progress.updated_at = now


def grade_reflection(progress, passed: bool, returned_reason: str | None, needs_reflection: bool,
                     due_on: Callable[[], date | None], now: datetime) -> None:
    """A reviewer's verdict on the member's reflection: passing completes the
    lesson (if the rest is done), not passing undoes the completion."""
    progress.reflection_graded_at = now
    progress.reflection_passed = passed
    progress.reflection_returned_reason = None if passed else (returned_reason or None)
    progress.updated_at = now
    refresh_completion(progress, needs_reflection, due_on, now)


def refresh_completion(progress, needs_reflection: bool, due_on: Callable[[], date | None], now: datetime) -> None:
    """Complete when read, passed and (if asked) reflected, the reflection not
    graded as failing; on time against the due date."""
    reflected = progress.reflection_submitted_at and progress.reflection_passed is not False
    complete = progress.read_at and progress.quiz_passed_at and (reflected or not needs_reflection)
    if not complete and progress.completed_at is not None:
        # Under the "last" or "average" rule a later attempt can bring the
        # counted score below the pass mark: the lesson is no longer complete.
        progress.completed_at = progress.on_time = None
    if complete and progress.completed_at is None:
        progress.completed_at = now
        due = due_on()
        progress.on_time = None if due is None else now.astimezone(VIETNAM).date() <= due


def completed_on(progress) -> date | None:
    """The day (in Vietnam) the lesson was completed, None if it is not."""
    return progress.completed_at.astimezone(VIETNAM).date() if progress.completed_at else None


def recheck_on_time(progress, due: date | None) -> None:
    """A later due date given after the lesson was completed: a late
    completion on or before it becomes on time. A due date only ever moves
    later here, so an on-time completion never becomes late."""
    day = completed_on(progress)
    if day is None or progress.on_time or due is None:
        return
    if day <= due:
        progress.on_time = True
