"""What a member sees on the home page: assigned lessons (now, overdue, done),
each with its state and score, and the year's totals. A handful of queries
whatever the number of lessons: progress rows are read in one go."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from learning.campaigns.binding import due_dates
from learning.core import db
from learning.lessons.catalogue import published_lessons
from learning.lessons.models import Lesson, LessonVersion
from learning.lessons.versions import has_reflection
from learning.org.models import User
from learning.study.models import LessonProgress
from learning.study.progress import StudyState, study_state


@dataclass
class Assignment:
    lesson: Lesson
    version: LessonVersion
    due_on: date
    progress: LessonProgress | None
    state: StudyState


@dataclass
class YearTotals:
    assigned: int = 0
    completed: int = 0
    on_time: int = 0
    average_percent: float | None = None


@dataclass
class Home:
    now: list[Assignment] = field(default_factory=list)
    overdue: list[Assignment] = field(default_factory=list)
    done: list[Assignment] = field(default_factory=list)
    totals: YearTotals = field(default_factory=YearTotals)
    others: list[tuple[Lesson, LessonVersion]] = field(default_factory=list)


def home_for(user: User, today: date) -> Home:
    home = Home()
    published = {lesson.id: (lesson, version) for lesson, version in published_lessons()}
    progress = {p.lesson_id: p for p in db.session.scalars(
        select(LessonProgress).where(LessonProgress.user_id == user.id))}
    assigned = {lesson_id: due for lesson_id, due in due_dates(user.id, today).items() if lesson_id in published}
    for lesson_id, due_on in assigned.items():
        lesson, version = published[lesson_id]
        row = progress.get(lesson_id)
        item = Assignment(lesson, version, due_on, row, study_state(row, has_reflection(version.id)))
        if row is not None and row.completed_at:
            home.done.append(item)
        elif due_on < today:
            home.overdue.append(item)
        else:
            home.now.append(item)
    home.now.sort(key=lambda a: (a.due_on, a.lesson.id))
    home.overdue.sort(key=lambda a: (a.due_on, a.lesson.id))
    home.done.sort(key=lambda a: a.progress.completed_at, reverse=True)
    home.totals = _year_totals(home, today.year)
    home.others = [pair for lesson_id, pair in published.items() if lesson_id not in assigned]
    return home


def _year_totals(home: Home, year: int) -> YearTotals:
    this_year = [a for a in home.now + home.overdue + home.done if a.due_on.year == year]
    done = [a for a in this_year if a.progress and a.progress.completed_at]
    scores = [a.progress.counted_percent for a in done if a.progress.counted_percent is not None]
    return YearTotals(
        assigned=len(this_year),
        completed=len(done),
        on_time=sum(1 for a in done if a.progress.on_time),
        average_percent=round(sum(scores) / len(scores), 1) if scores else None,
    )
