"""A later due date given after a completion (study.progress.recheck_on_time),
on plain data: the completion's day in Vietnam against the new date; late
can become on time, never the reverse."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from learning.study.progress import completed_on, recheck_on_time


def _completed(at, on_time):
    return SimpleNamespace(completed_at=at, on_time=on_time)


# 20:30 UTC on 9 March is 03:30 on 10 March in Vietnam (UTC+7).
LATE_EVENING_UTC = datetime(2026, 3, 9, 20, 30, tzinfo=timezone.utc)


def test_the_completion_day_is_the_day_in_vietnam():
    assert completed_on(_completed(LATE_EVENING_UTC, False)) == date(2026, 3, 10)
    assert completed_on(_completed(None, None)) is None


@pytest.mark.parametrize("due, on_time", [
    (date(2026, 3, 10), True),  # due on the day it was completed there: on time
    (date(2026, 3, 12), True),
    (date(2026, 3, 9), False),  # the UTC day would say on time; Vietnam's says late
    (None, False),
])
def test_a_late_completion_becomes_on_time_when_the_new_date_covers_its_day(due, on_time):
    progress = _completed(LATE_EVENING_UTC, False)
    recheck_on_time(progress, due)
    assert progress.on_time is on_time


def test_an_on_time_completion_stays_on_time_and_an_open_lesson_stays_open():
    progress = _completed(LATE_EVENING_UTC, True)
    recheck_on_time(progress, date(2026, 1, 1))
    assert progress.on_time is True
    open_lesson = _completed(None, None)
    recheck_on_time(open_lesson, date(2026, 12, 31))
    assert open_lesson.on_time is None and open_lesson.completed_at is None
