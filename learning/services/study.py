"""A member's study: reading, quiz attempts, grading and the progress roll-up.

Attempts are loss-proof and race-proof by construction:
- starting inserts with ON CONFLICT DO NOTHING against a unique index that
  allows one open attempt per member and lesson, so two concurrent starts
  yield one attempt, never more than the attempts allowed;
- answers are upserted, and a save carrying an older phone-side sequence
  number than the stored one is ignored, so a late retry never overwrites;
- submitting flips status 'open' → 'submitted' in one conditional UPDATE,
  so a double tap or a replay grades once.
"""
from __future__ import annotations

import random
from types import SimpleNamespace
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from learning import db
from learning.authoring import KINDS
from learning.clock import VIETNAM, vietnam_today
from learning.db import upsert_insert, utcnow
from learning.grading import attempt_plan, counted_after, counted_percent, grade_attempt, word_count
from learning.models import Answer, Attempt, Lesson, LessonProgress, LessonVersion, Question, User
from learning.services import DomainError
from learning.services.campaigns import campaigns_assigned_to
from learning.services.versions import has_reflection, quiz_questions, version_settings

# Answers already on their way when the time runs out are still accepted.
GRACE = timedelta(seconds=30)


class AttemptRefused(DomainError):
    pass


# -- progress ------------------------------------------------------------------

def progress_for(user_id: int, lesson_id: int) -> LessonProgress:
    """The member's progress row for a lesson, created on first need, in one
    round trip and safely under concurrency (the unique pair decides)."""
    insert = upsert_insert(LessonProgress).values(
        user_id=user_id, lesson_id=lesson_id, attempts_used=0, updated_at=utcnow())
    statement = insert.on_conflict_do_update(
        index_elements=["user_id", "lesson_id"], set_={"user_id": insert.excluded.user_id},
    ).returning(LessonProgress)
    return db.session.scalars(statement, execution_options={"populate_existing": True}).one()


def record_opened(user: User, lesson: Lesson) -> LessonProgress:
    progress = progress_for(user.id, lesson.id)
    if progress.started_at is None:
        progress.started_at = progress.updated_at = utcnow()
    return progress


def record_read(user: User, lesson: Lesson) -> LessonProgress:
    progress = record_opened(user, lesson)
    if progress.read_at is None:
        progress.read_at = progress.updated_at = utcnow()
        _refresh_completion(user, lesson.id, current_version_id(lesson), progress)
    return progress


# -- attempts ------------------------------------------------------------------

def start_attempt(user: User, lesson: Lesson, version: LessonVersion, rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt, or start the next one if any is left."""
    record_read(user, lesson)  # reaching the quiz means the lesson was read
    open_attempt = _open_attempt(user.id, lesson.id)
    if open_attempt is not None and not close_if_expired(open_attempt):
        return open_attempt
    used = _attempt_count(user.id, lesson.id)
    allowed = version.settings.get("attempts_allowed")
    if allowed is not None and used >= allowed:
        if open_attempt is not None:
            return open_attempt  # its time had run out: now submitted, the caller shows its result
        raise AttemptRefused(_("You have used all %(n)s attempts at this quiz.", n=allowed))
    now = utcnow()
    limit = version.settings.get("time_limit_minutes")
    plan = attempt_plan(version.questions, version.settings.get("shuffle_questions", False),
                        version.settings.get("shuffle_choices", False), rng or random.SystemRandom())
    db.session.execute(
        upsert_insert(Attempt).values(
            user_id=user.id, lesson_id=lesson.id, version_id=version.id, number=used + 1, status="open",
            plan=plan, started_at=now, deadline_at=now + timedelta(minutes=limit) if limit else None,
            auto_submitted=False,
        ).on_conflict_do_nothing()
    )
    started = _open_attempt(user.id, lesson.id)
    if started is None:  # a concurrent request started and already submitted one
        raise AttemptRefused(_("Another attempt was just started; reload the page."))
    return started


def _open_attempt(user_id: int, lesson_id: int) -> Attempt | None:
    return db.session.scalars(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.lesson_id == lesson_id, Attempt.status == "open")
    ).first()


def _attempt_count(user_id: int, lesson_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id, Attempt.lesson_id == lesson_id)
    )


def time_left(attempt: Attempt, now: datetime | None = None) -> timedelta | None:
    if attempt.deadline_at is None:
        return None
    return max(attempt.deadline_at - (now or utcnow()), timedelta(0))


def seconds_until(deadline_at: datetime | None) -> int | None:
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - utcnow()).total_seconds()))


@dataclass(frozen=True)
class IncomingAnswer:
    key: str
    values: list[str]
    # The phone's counter for this attempt (script saves). None for a plain form
    # post: what the member sees in the form is what they mean, so it wins.
    seq: int | None = None


class AttemptNotFound(DomainError):
    """No such attempt for this member."""


@dataclass(frozen=True)
class SaveReceipt:
    saved: list[IncomingAnswer]  # what is now safe on the server
    deadline_at: datetime | None
    # Answers not written because the server holds a newer save (from another
    # device or tab): key → that save's sequence number, so the phone can resend.
    stale: dict[str, int]


def save_answers(user_id: int, attempt_id: int, incoming: list[IncomingAnswer]) -> SaveReceipt:
    """Store a member's answers to their open attempt. Unknown questions are
    ignored; an answer older than the stored one is acknowledged unchanged.

    The attempt row is written first (its last_saved_at), in the same
    transaction: a save and a submission of one attempt therefore take turns
    on that row, so every stored answer is either graded or refused, never
    stored after grading."""
    now = utcnow()
    attempts = Attempt.__table__  # Core statements on the session's connection: this runs on every answer
    row = db.session.connection().execute(
        update(attempts)
        .where(attempts.c.id == attempt_id, attempts.c.user_id == user_id, attempts.c.status == "open",
               or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at >= now - GRACE))
        .values(last_saved_at=now)
        .returning(attempts.c.version_id, attempts.c.deadline_at)
    ).first()
    if row is None:
        _explain_refusal(user_id, attempt_id)
    version_id, deadline_at = row
    questions = quiz_questions(version_id)
    saved, stale = [], []
    for answer in incoming:
        question = questions.get(answer.key)
        if question is None:
            continue
        response = KINDS[question.kind].read_response(question.data, answer.values)
        (saved if _upsert_answer(attempt_id, answer.key, response, answer.seq) else stale).append(answer.key)
    return SaveReceipt([a for a in incoming if a.key in saved], deadline_at, _stored_seqs(attempt_id, stale))


def _stored_seqs(attempt_id: int, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    return dict(db.session.execute(select(Answer.question_key, Answer.client_seq).where(
        Answer.attempt_id == attempt_id, Answer.question_key.in_(keys))).all())


def highest_seq(attempt_id: int) -> int:
    """Where a page's sequence numbers must start, so its saves are never older."""
    return db.session.scalar(select(func.max(Answer.client_seq)).where(Answer.attempt_id == attempt_id)) or 0


def _explain_refusal(user_id: int, attempt_id: int) -> None:
    owner = db.session.scalar(select(Attempt.user_id).where(Attempt.id == attempt_id))
    if owner != user_id:
        raise AttemptNotFound()
    raise AttemptRefused(_("This attempt is closed; answers can no longer be changed."))


def _upsert_answer(attempt_id: int, key: str, response: Any, seq: int | None) -> bool:
    """Write the answer; False when the stored one carries a newer sequence number."""
    params = {"attempt_id": attempt_id, "question_key": key, "response": {"value": response},
              "client_seq": seq or 0, "saved_at": utcnow()}
    return db.session.connection().execute(_answer_upsert(ordered=seq is not None), params).first() is not None


_UPSERTS: dict[tuple[str, bool], Any] = {}


def _answer_upsert(ordered: bool):
    """The answer upsert, built once per dialect: saving is the hottest path.
    `ordered` saves (from the page's script) only replace an older sequence
    number; form posts always replace."""
    dialect = db.session.get_bind().dialect.name
    statement = _UPSERTS.get((dialect, ordered))
    if statement is None:
        answers = Answer.__table__
        insert = upsert_insert(answers)
        changes = {"response": insert.excluded.response, "saved_at": insert.excluded.saved_at}
        if ordered:
            statement = insert.on_conflict_do_update(
                index_elements=["attempt_id", "question_key"],
                set_={**changes, "client_seq": insert.excluded.client_seq},
                where=answers.c.client_seq <= insert.excluded.client_seq)
        else:
            statement = insert.on_conflict_do_update(index_elements=["attempt_id", "question_key"], set_=changes)
        statement = statement.returning(answers.c.id)  # no row back: the stored answer was newer
        _UPSERTS[(dialect, ordered)] = statement
    return statement


def saved_responses(attempt: Attempt) -> dict[str, Any]:
    return _responses(attempt.id)


def answer_scores(attempt: Attempt) -> dict[str, float | None]:
    """Points per question. Grading is pure and versions never change, so the
    review recomputes them rather than storing a copy at submission."""
    return grade_attempt(quiz_questions(attempt.version_id).values(), saved_responses(attempt)).per_question


def reflection_length_problems(version_id: int, plan: list[dict], responses: dict[str, Any]) -> list[str]:
    """Reflections shorter or longer than the lesson asks, as messages."""
    problems = []
    questions = quiz_questions(version_id)
    in_order = [questions[step["key"]] for step in plan if step["key"] in questions]
    for number, question in enumerate(in_order, start=1):
        if question.kind != "reflection":
            continue
        words = word_count(responses.get(question.key))
        low, high = question.data.get("min_words") or 0, question.data.get("max_words")
        if words < low or (high and words > high):
            problems.append(_("Question %(n)s: your reflection has %(words)s words; write %(range)s words.", n=number,
                              words=words, range=f"{low}–{high}" if high else _("at least %(n)s", n=low)))
    return problems


def submit_attempt(attempt: Attempt, *, auto: bool = False) -> Attempt:
    """submit() for a caller holding the attempt object, which it refreshes."""
    submit(attempt.user_id, attempt.id, auto=auto)
    db.session.refresh(attempt)
    return attempt


def submit(user_id: int, attempt_id: int, *, auto: bool = False) -> None:
    """Grade a member's attempt once. A second submit (double tap, retry,
    replay) changes nothing. A member's own submission is refused while a
    reflection is outside its word limits (the caller rolls back); when the
    time runs out, what was saved is submitted as it is.

    Core statements, one round trip each: claim the attempt (its row stays
    locked, so no answer can be saved meanwhile), read its answers, write the
    grade, update the member's progress."""
    attempts = Attempt.__table__
    now = utcnow()
    claimed = db.session.execute(
        update(attempts)
        .where(attempts.c.id == attempt_id, attempts.c.user_id == user_id, attempts.c.status == "open")
        .values(status="submitted", submitted_at=now, auto_submitted=auto)
        .returning(attempts.c.version_id, attempts.c.lesson_id, attempts.c.plan, attempts.c.deadline_at)
    ).first()
    if claimed is None:
        if db.session.scalar(select(attempts.c.user_id).where(attempts.c.id == attempt_id)) != user_id:
            raise AttemptNotFound()
        return  # already submitted: nothing to do
    version_id, lesson_id, plan, deadline_at = claimed
    responses = _responses(attempt_id)
    if deadline_at is not None and now > deadline_at + GRACE:
        auto = True  # time is up: what was saved is submitted as it is, word limits or not
    if not auto and has_reflection(version_id):
        problems = reflection_length_problems(version_id, plan, responses)
        if problems:
            raise AttemptRefused(" ".join(problems))
    settings = version_settings(version_id)
    grade = grade_attempt(quiz_questions(version_id).values(), responses)
    passed = grade.passed(settings.get("pass_mark", 70))
    db.session.execute(update(attempts).where(attempts.c.id == attempt_id).values(
        score=grade.score, max_score=grade.max_score, percent=grade.percent, passed=passed))
    _update_progress_after(user_id, lesson_id, version_id, settings, grade.percent, responses)


def _responses(attempt_id: int) -> dict[str, Any]:
    rows = db.session.execute(select(Answer.question_key, Answer.response).where(Answer.attempt_id == attempt_id))
    return {key: response.get("value") for key, response in rows}


def close_all_expired(now: datetime | None = None) -> int:
    """Submit every open attempt whose time ran out (members who never came
    back), so progress and reports see them. Run from cron via the CLI."""
    cutoff = (now or utcnow()) - GRACE
    expired = db.session.execute(select(Attempt.user_id, Attempt.id).where(
        Attempt.status == "open", Attempt.deadline_at.is_not(None), Attempt.deadline_at < cutoff)).all()
    for user_id, attempt_id in expired:
        submit(user_id, attempt_id, auto=True)
    return len(expired)


def close_if_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit, with what was saved, an attempt whose time (and grace) ran out."""
    if attempt.status == "open" and attempt.deadline_at and (now or utcnow()) > attempt.deadline_at + GRACE:
        submit_attempt(attempt, auto=True)
        return True
    return False


def _update_progress_after(user_id: int, lesson_id: int, version_id: int, settings: dict,
                           percent: float | None, responses: dict[str, Any]) -> None:
    """The progress roll-up after a graded attempt, in two Core statements:
    create-or-read the row, then write what changed. The same rules as the
    ORM path (_refresh_scores, _refresh_completion) apply to a plain copy."""
    table = LessonProgress.__table__
    insert = upsert_insert(table).values(user_id=user_id, lesson_id=lesson_id, attempts_used=0, updated_at=utcnow())
    row = db.session.connection().execute(insert.on_conflict_do_update(
        index_elements=["user_id", "lesson_id"], set_={"user_id": insert.excluded.user_id},
    ).returning(*table.c)).mappings().one()
    progress = SimpleNamespace(**row)
    _refresh_scores(progress, settings, user_id, lesson_id, percent, responses, version_id)
    _refresh_completion(None, lesson_id, version_id, progress, user_id=user_id)
    changes = {name: value for name, value in vars(progress).items() if row[name] != value}
    db.session.connection().execute(update(table).where(table.c.id == row["id"]).values(**changes))


def _refresh_scores(progress: LessonProgress, settings: dict, user_id: int, lesson_id: int,
                    new_percent: float | None, responses: dict[str, Any], version_id: int) -> None:
    rule = settings.get("counted_attempt", "highest")
    if rule == "average":  # the only rule that needs every earlier score
        percents = db.session.scalars(
            select(Attempt.percent).where(Attempt.user_id == user_id, Attempt.lesson_id == lesson_id,
                                          Attempt.status == "submitted").order_by(Attempt.number)).all()
        progress.counted_percent = counted_percent(rule, percents)
    else:
        progress.counted_percent = counted_after(rule, progress.counted_percent, progress.attempts_used,
                                                 new_percent)
    progress.attempts_used += 1
    pass_mark = settings.get("pass_mark", 70)
    passed = progress.counted_percent is None or progress.counted_percent >= pass_mark
    now = utcnow()
    if passed and progress.quiz_passed_at is None:
        progress.quiz_passed_at = now
    elif not passed:
        progress.quiz_passed_at = None
    reflections = [q.key for q in quiz_questions(version_id).values() if q.kind == "reflection"]
    if reflections and all(responses.get(key) for key in reflections) and progress.reflection_submitted_at is None:
        progress.reflection_submitted_at = now
    progress.updated_at = now


def _refresh_completion(user: User | None, lesson_id: int, version_id: int, progress: LessonProgress,
                        user_id: int | None = None) -> None:
    complete = (progress.read_at and progress.quiz_passed_at
                and (progress.reflection_submitted_at or not has_reflection(version_id)))
    if not complete and progress.completed_at is not None:
        # Under the "last" or "average" rule a later attempt can bring the
        # counted score below the pass mark: the lesson is no longer complete.
        progress.completed_at = progress.on_time = None
    if complete and progress.completed_at is None:
        progress.completed_at = utcnow()
        member = user or db.session.get(User, user_id)
        due = due_date(member, lesson_id)
        progress.on_time = None if due is None else progress.completed_at.astimezone(VIETNAM).date() <= due


def current_version_id(lesson: Lesson) -> int:
    return db.session.scalar(select(LessonVersion.id).where(
        LessonVersion.lesson_id == lesson.id, LessonVersion.number == lesson.latest_version_number))


def due_date(user: User, lesson_id: int, today: date | None = None) -> date | None:
    """The earliest closing date among the member's opened campaigns with this
    lesson (the same rule as the home page)."""
    today = today or vietnam_today()
    dates = [c.closes_on for c in campaigns_assigned_to(user)
             if c.opens_on <= today and any(l.id == lesson_id for l in c.lessons)]
    return min(dates) if dates else None


def planned_questions(attempt: Attempt) -> list[tuple[Question, list[dict[str, Any]]]]:
    """The attempt's questions in its fixed order, each with its choices in order."""
    by_key = {q.key: q for q in attempt.version.questions}
    planned = []
    for step in attempt.plan:
        question = by_key[step["key"]]
        choices = {c["key"]: c for c in question.data.get("choices", [])}
        planned.append((question, [choices[k] for k in step["choices"]]))
    return planned


@dataclass(frozen=True)
class QuizStatus:
    """What the lesson page says about its quiz for one member."""
    open_attempt: Attempt | None
    submitted: list[Attempt]
    attempts_left: int | None  # None: unlimited

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


def quiz_status(user: User, lesson: Lesson, version: LessonVersion) -> QuizStatus:
    attempts = attempts_of(user, lesson)
    allowed = version.settings.get("attempts_allowed")
    return QuizStatus(
        open_attempt=next((a for a in attempts if a.status == "open"), None),
        submitted=[a for a in attempts if a.status == "submitted"],
        attempts_left=None if allowed is None else max(0, allowed - len(attempts)),
    )


def attempts_of(user: User, lesson: Lesson) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.lesson_id == lesson.id).order_by(Attempt.number)))


def may_show_answers(user: User, attempt: Attempt, today: date | None = None) -> bool:
    """Whether the correct answers and explanations may be shown for a submitted
    attempt, following the lesson's `show_answers` setting."""
    if attempt.status != "submitted":
        return False
    rule = attempt.version.settings.get("show_answers", "after_submit")
    if rule == "after_submit":
        return True
    if rule == "after_pass":
        return bool(attempt.passed)
    if rule == "after_last_attempt":
        allowed = attempt.version.settings.get("attempts_allowed")
        return allowed is not None and _attempt_count(user.id, attempt.lesson_id) >= allowed
    if rule == "after_close":
        closing = [c.closes_on for c in campaigns_assigned_to(user)
                   if any(l.id == attempt.lesson_id for l in c.lessons)]
        # Without a campaign there is no closing date: keep the answers hidden,
        # or a member studying on their own could pass them to those still studying.
        return bool(closing) and (today or vietnam_today()) > max(closing)
    return False
