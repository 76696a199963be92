"""Following up one member: finding them in the reviewer's scope, and what
they did in each lesson a campaign binds them to (state, due date, attempts
and their answers, reflections with their grade, criterion by criterion).

Scope is a path prefix in SQL (org.scope): a member of a unit outside the
reviewer's subtree is never loaded, so the page is a 404 for them. Due dates
come from campaigns.binding, states from study.progress, and each answer is
read through its question kind (lessons.authoring.kinds): nothing here
branches on a kind."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from learning.campaigns.binding import bound
from learning.campaigns.extensions import extensions_of
from learning.campaigns.models import Campaign, DueDateExtension
from learning.core import db
from learning.core.enums import LabelledEnum
from learning.lessons.authoring import KINDS
from learning.lessons.models import Lesson, LessonVersion, Question
from learning.lessons.versions import quiz_questions, reviewed_keys
from learning.org.models import Unit, User
from learning.org.names import folded
from learning.org.scope import covers
from learning.review.given import given_grades
from learning.study.allowances import attempts_allowed, extra_attempts
from learning.study.grading import grade_attempt
from learning.study.models import Answer, Attempt, AttemptStatus, LessonProgress
from learning.study.progress import StudyState, study_state
from learning.study.reflections import GradeGiven

PAGE_SIZE = 25
MAX_TERMS = 6


class Membership(LabelledEnum):
    """A member's status (users.membership)."""
    FULL = "full", _l("full member")
    PROBATIONARY = "probationary", _l("probationary member")


def member_in_scope(reviewer, member_id: int) -> User | None:
    """The member, if their unit lies in the reviewer's scope; None otherwise."""
    return db.session.scalars(select(User).join(Unit, Unit.id == User.unit_id)
                              .where(User.id == member_id, covers(reviewer, Unit.path))).first()


@dataclass(frozen=True)
class MemberPage:
    members: list[tuple[User, Unit]]
    page: int
    has_next: bool


def _like(term: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"


def search_members(reviewer, query: str, page: int = 1) -> MemberPage:
    """Members in the reviewer's scope whose name holds every word of the query
    (without case or diacritics), or whose card number holds it; all of them
    when the query is empty. In Vietnamese order, PAGE_SIZE a page."""
    statement = (select(User, Unit).join(Unit, Unit.id == User.unit_id).where(covers(reviewer, Unit.path)))
    terms = folded(query).split()[:MAX_TERMS]
    if terms:
        by_name = [User.search_name.like(_like(term), escape="\\") for term in terms]
        card = query.strip().replace(" ", "")
        statement = statement.where(or_(
            *([User.party_card_number.like(_like(card), escape="\\")] if card else []),
            and_(*by_name)))
    page = max(page, 1)
    rows = db.session.execute(statement.order_by(User.name_key, User.id)
                              .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return MemberPage([(user, unit) for user, unit in rows[:PAGE_SIZE]], page, len(rows) > PAGE_SIZE)


# -- the follow-up page --------------------------------------------------------------

@dataclass
class AnswerView:
    number: int
    prompt_html: str
    kind: str
    text: str  # the response as the kind reads it ("" unanswered)
    points: int
    earned: float | None  # automatic questions' points; None for a reviewer's
    score: float | None = None  # a reviewer's grade (reflections)
    feedback: str | None = None
    graded_at: Any = None
    given: GradeGiven | None = None  # the current grade criterion by criterion (review.given)

    @property
    def auto_graded(self) -> bool:
        return KINDS[self.kind].auto_graded


@dataclass
class AttemptView:
    attempt: Attempt
    answers: list[AnswerView] = field(default_factory=list)


@dataclass
class LessonFollowup:
    lesson: Lesson
    version: LessonVersion
    due_on: date
    campaign_due_on: date
    extension: DueDateExtension | None
    campaigns: list[Campaign]
    progress: LessonProgress | None
    state: StudyState
    attempts: list[AttemptView]
    attempts_allowed: int | None  # None: unlimited
    extra_attempts: int
    overdue: bool


@dataclass
class Followup:
    member: User
    unit: Unit | None
    membership: str
    lessons: list[LessonFollowup]


def followup(member: User, today: date) -> Followup:
    """Everything the member page shows, in a fixed number of queries."""
    by_lesson: dict[int, list[int]] = defaultdict(list)
    due_on: dict[int, date] = {}  # the member's (campaigns.binding: the earliest)
    by_campaigns: dict[int, date] = {}  # what the campaigns alone say
    for binding in bound(member.id, today):
        by_lesson[binding.lesson_id].append(binding.campaign_id)
        due_on[binding.lesson_id] = min(due_on.get(binding.lesson_id, binding.due_on), binding.due_on)
        by_campaigns[binding.lesson_id] = min(by_campaigns.get(binding.lesson_id, binding.closes_on),
                                              binding.closes_on)
    lesson_ids = list(by_lesson)
    if not lesson_ids:
        return Followup(member, member.unit, Membership.label_of(member.membership), [])
    campaigns = {c.id: c for c in db.session.scalars(select(Campaign).where(
        Campaign.id.in_({cid for ids in by_lesson.values() for cid in ids})))}
    lessons = {lesson.id: lesson for lesson in db.session.scalars(select(Lesson).where(Lesson.id.in_(lesson_ids)))}
    versions = {v.lesson_id: v for v in db.session.scalars(
        select(LessonVersion).join(Lesson, (Lesson.id == LessonVersion.lesson_id)
                                   & (LessonVersion.number == Lesson.latest_version_number))
        .where(Lesson.id.in_(lesson_ids)))}
    progress = {p.lesson_id: p for p in db.session.scalars(select(LessonProgress).where(
        LessonProgress.user_id == member.id, LessonProgress.lesson_id.in_(lesson_ids)))}
    attempts = list(db.session.scalars(select(Attempt).where(
        Attempt.user_id == member.id, Attempt.lesson_id.in_(lesson_ids)).order_by(Attempt.lesson_id, Attempt.number)))
    answers = _answers_of([a.id for a in attempts if a.status == AttemptStatus.SUBMITTED])
    given = given_grades(answer.id for found in answers.values() for answer in found.values()
                         if answer.graded_at is not None)
    prompts = _prompts({a.version_id for a in attempts})
    extensions = extensions_of(member.id)
    items = []
    for lesson_id in lesson_ids:
        lesson, version = lessons[lesson_id], versions.get(lesson_id)
        if version is None:
            continue
        views = [_attempt_view(a, answers.get(a.id, {}), prompts, given) for a in attempts if a.lesson_id == lesson_id]
        row = progress.get(lesson_id)
        items.append(LessonFollowup(
            lesson=lesson, version=version, due_on=due_on[lesson_id], campaign_due_on=by_campaigns[lesson_id],
            extension=extensions.get(lesson_id) if due_on[lesson_id] > by_campaigns[lesson_id] else None,
            campaigns=[campaigns[cid] for cid in dict.fromkeys(by_lesson[lesson_id])],
            progress=row, state=study_state(row, bool(reviewed_keys(version.id))), attempts=views,
            attempts_allowed=attempts_allowed(member.id, lesson_id, version.quiz_settings),
            extra_attempts=extra_attempts(member.id, lesson_id),
            overdue=today > due_on[lesson_id] and not (row and row.completed_at)))
    items.sort(key=lambda item: (item.due_on, item.lesson.id))
    return Followup(member, member.unit, Membership.label_of(member.membership), items)


def _answers_of(attempt_ids: list[int]) -> dict[int, dict[str, Answer]]:
    found: dict[int, dict[str, Answer]] = defaultdict(dict)
    if attempt_ids:
        for answer in db.session.scalars(select(Answer).where(Answer.attempt_id.in_(attempt_ids))):
            found[answer.attempt_id][answer.question_key] = answer
    return found


def _prompts(version_ids: set[int]) -> dict[tuple[int, str], str]:
    if not version_ids:
        return {}
    rows = db.session.execute(select(Question.version_id, Question.key, Question.prompt_html)
                              .where(Question.version_id.in_(version_ids)))
    return {(version_id, key): html for version_id, key, html in rows}


def _attempt_view(attempt: Attempt, answers: dict[str, Answer], prompts: dict[tuple[int, str], str],
                  given: dict[int, GradeGiven]) -> AttemptView:
    view = AttemptView(attempt)
    if attempt.status != AttemptStatus.SUBMITTED:
        return view  # an open attempt's answers are the member's until they submit
    questions = quiz_questions(attempt.version_id)
    responses = {key: answer.response.get("value") for key, answer in answers.items()}
    earned = grade_attempt(questions.values(), responses).per_question
    for number, step in enumerate(attempt.plan, start=1):
        question = questions.get(step["key"])
        if question is None:
            continue
        answer = answers.get(question.key)
        view.answers.append(AnswerView(
            number=number, prompt_html=prompts.get((attempt.version_id, question.key), ""), kind=question.kind,
            text=KINDS[question.kind].response_text(question.data, responses.get(question.key)),
            points=question.points, earned=earned.get(question.key),
            score=answer.score if answer is not None else None,
            feedback=answer.feedback if answer is not None else None,
            graded_at=answer.graded_at if answer is not None else None,
            given=given.get(answer.id) if answer is not None else None))
    return view
