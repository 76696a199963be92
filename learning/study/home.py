"""What a member sees on the home page: assigned lessons (now, overdue, done),
each with its state and score, and the year's totals. A handful of queries
whatever the number of lessons: progress rows are read in one go."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from learning.core import db
from learning.models import Campaign, Lesson, LessonProgress, LessonVersion, User
from learning.campaigns.operations import campaigns_assigned_to
from learning.lessons.catalogue import published_lessons
from learning.lessons.versions import has_reflection

STATES = ("not_started", "reading", "quiz_passed", "reflection_pending", "complete")


@dataclass
class Assignment:
    lesson: Lesson
    version: LessonVersion
    campaign: Campaign
    due_on: date
    progress: LessonProgress | None
    state: str


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


def lesson_state(progress: LessonProgress | None, version: LessonVersion,
                 reflection_graded: bool = False) -> str:
    if progress is None or progress.started_at is None:
        return "not_started"
    if progress.completed_at:
        pending = has_reflection(version.id) and not reflection_graded
        return "reflection_pending" if pending else "complete"
    if progress.quiz_passed_at:
        return "quiz_passed"
    return "reading"


def home_for(user: User, today: date) -> Home:
    home = Home()
    published = {lesson.id: (lesson, version) for lesson, version in published_lessons()}
    progress = {p.lesson_id: p for p in db.session.scalars(
        select(LessonProgress).where(LessonProgress.user_id == user.id))}
    assigned = _earliest_assignment_per_lesson(user, today, published)
    for lesson_id, campaign in assigned.items():
        lesson, version = published[lesson_id]
        row = progress.get(lesson_id)
        item = Assignment(lesson, version, campaign, campaign.closes_on, row, lesson_state(row, version))
        if row is not None and row.completed_at:
            home.done.append(item)
        elif campaign.closes_on < today:
            home.overdue.append(item)
        else:
            home.now.append(item)
    home.now.sort(key=lambda a: (a.due_on, a.lesson.id))
    home.overdue.sort(key=lambda a: (a.due_on, a.lesson.id))
    home.done.sort(key=lambda a: a.progress.completed_at, reverse=True)
    home.totals = _year_totals(home, today.year)
    home.others = [pair for lesson_id, pair in published.items() if lesson_id not in assigned]
    return home


def _earliest_assignment_per_lesson(user: User, today: date, published) -> dict[int, Campaign]:
    """For each published lesson assigned to the member by an opened campaign,
    the campaign due soonest."""
    chosen: dict[int, Campaign] = {}
    for campaign in campaigns_assigned_to(user):
        if campaign.opens_on > today:
            continue
        for lesson in campaign.lessons:
            if lesson.id in published and (lesson.id not in chosen or campaign.closes_on < chosen[lesson.id].closes_on):
                chosen[lesson.id] = campaign
    return chosen


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
