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
from sqlalchemy import String, and_, bindparam, cast, func, or_, select, update

from learning.core import db
from learning.lessons.authoring import KINDS
from learning.core.clock import VIETNAM, vietnam_today
from learning.core.db import prebuilt, upsert_insert, utcnow
from learning.core.memo import remembered
from learning.study.grading import attempt_plan, counted_after, counted_percent, grade_attempt
from learning.models import Answer, Attempt, Lesson, LessonProgress, LessonVersion, Question, User
from learning.core.errors import DomainError
from learning.campaigns.operations import campaigns_assigned_to
from learning.org.access import Member, owner_condition
from learning.lessons.versions import has_reflection, quiz_questions, version_settings

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


def save_answers(member: Member, attempt_id: int, incoming: list[IncomingAnswer]) -> SaveReceipt:
    """Store a member's answers to their open attempt. Unknown questions are
    ignored; an answer older than the stored one is acknowledged unchanged.

    Each answer is one statement: an upsert that writes only for the
    attempt's owner (by a live session, on the save route), only while the
    attempt is open and in time, holding a share lock on the attempt row
    until its transaction ends (at once on the save route, which commits every
    statement). Submitting takes that row's exclusive lock first, so a save and
    a submission of one attempt take turns: every stored answer is either
    graded or refused, never stored after grading."""
    facts = attempt_facts(attempt_id)
    if facts is None:
        raise AttemptNotFound()
    questions = quiz_questions(facts.version_id)
    now = utcnow()
    saved, not_written = [], []
    for answer in incoming:
        question = questions.get(answer.key)
        if question is None:
            continue
        response = KINDS[question.kind].read_response(question.data, answer.values)
        written = _upsert_answer(member, attempt_id, answer.key, response, answer.seq, now)
        (saved if written else not_written).append(answer.key)
    # An answer not written was refused because the member may not write to
    # this attempt, the attempt closed (it can close between two answers of one
    # save), or the stored answer is newer; a written one proves the first two
    # false.
    if not_written or not saved:
        state = _attempt_state(member, attempt_id, now)
        if state is None:
            raise AttemptNotFound()
        if state == "closed":
            raise AttemptRefused(_("This attempt is closed; answers can no longer be changed."))
    return SaveReceipt([a for a in incoming if a.key in saved], facts.deadline_at,
                       _stored_seqs(attempt_id, not_written))


@dataclass(frozen=True)
class AttemptFacts:
    """What never changes about an attempt once started (who may write to it
    the save statement itself checks)."""
    version_id: int
    deadline_at: datetime | None


FACTS_CACHE_LIMIT = 50_000  # attempts; a few hundred bytes each


def attempt_facts(attempt_id: int) -> AttemptFacts | None:
    """An attempt's version and deadline, remembered by the worker:
    they are fixed at start, so saving an answer needs no query for them."""
    def load() -> AttemptFacts | None:
        row = db.connection().execute(_facts_query(), {"attempt": attempt_id}).first()
        return AttemptFacts(*row) if row is not None else None

    return remembered("attempt_facts", attempt_id, load, FACTS_CACHE_LIMIT)


@prebuilt
def _facts_query():
    attempts = Attempt.__table__
    return select(attempts.c.version_id, attempts.c.deadline_at).where(
        attempts.c.id == bindparam("attempt"))


def _attempt_state(member: Member, attempt_id: int, now: datetime) -> str | None:
    """"open" (and in time), "closed", or None when it is not this member's."""
    attempts = Attempt.__table__
    row = db.connection().execute(
        select(_open_and_in_time(now - GRACE)).where(
            attempts.c.id == attempt_id, owner_condition(attempts.c.user_id, member.by_session)),
        member.params()).first()
    if row is None:
        return None
    return "open" if row[0] else "closed"


def _open_and_in_time(cutoff):
    attempts = Attempt.__table__
    return and_(attempts.c.status == "open", or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at >= cutoff))


def _stored_seqs(attempt_id: int, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    return dict(db.session.execute(select(Answer.question_key, Answer.client_seq).where(
        Answer.attempt_id == attempt_id, Answer.question_key.in_(keys))).all())


def highest_seq(attempt_id: int) -> int:
    """Where a page's sequence numbers must start, so its saves are never older."""
    return db.session.scalar(select(func.max(Answer.client_seq)).where(Answer.attempt_id == attempt_id)) or 0


def _upsert_answer(member: Member, attempt_id: int, key: str, response: Any, seq: int | None,
                   now: datetime) -> bool:
    """Write the answer; False when the member may not, the attempt is closed
    or the stored answer carries a newer sequence number."""
    params = {**member.params(), "attempt": attempt_id, "cutoff": now - GRACE, "key": key,
              "response": {"value": response}, "seq": seq or 0, "now": now}
    return db.connection().execute(_answer_upsert(seq is not None, member.by_session), params).first() is not None


@prebuilt
def _answer_upsert(ordered: bool, by_session: bool):
    """A save from the page's script (ordered) replaces only an older sequence
    number; a plain form post always replaces: what the member sees is what
    they mean. The script's saves name the member by session, the form's by id."""
    answers, attempts = Answer.__table__, Attempt.__table__
    # The row to insert comes from the attempt's own row, and only while it is
    # open: FOR SHARE (on PostgreSQL) makes a concurrent submission wait for
    # this save's commit. SQLite runs one writer at a time, which does the same.
    values = (select(attempts.c.id, *(bindparam(name, type_=answers.c[column].type) for name, column in (
        ("key", "question_key"), ("response", "response"), ("seq", "client_seq"), ("now", "saved_at"))))
        .where(attempts.c.id == bindparam("attempt"),
               owner_condition(attempts.c.user_id, by_session),
               _open_and_in_time(bindparam("cutoff", type_=attempts.c.deadline_at.type)))
        .with_for_update(read=True))
    insert = upsert_insert(answers).from_select(
        ["attempt_id", "question_key", "response", "client_seq", "saved_at"], values)
    changes = {"response": insert.excluded.response, "saved_at": insert.excluded.saved_at}
    if ordered:
        return insert.on_conflict_do_update(
            index_elements=["attempt_id", "question_key"], set_={**changes, "client_seq": insert.excluded.client_seq},
            where=answers.c.client_seq <= insert.excluded.client_seq,
        ).returning(answers.c.id)  # no row back: closed, or the stored answer was newer
    return insert.on_conflict_do_update(index_elements=["attempt_id", "question_key"], set_=changes
                                        ).returning(answers.c.id)


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
        problem = KINDS[question.kind].submission_problem(question.data, responses.get(question.key))
        if problem:
            problems.append(_("Question %(n)s: %(problem)s", n=number, problem=problem))
    return problems


def answer_by_form(attempt: Attempt, incoming: list[IncomingAnswer], submit: bool) -> None:
    """The quiz's plain form (no script): keep the answers it carries, then
    submit if asked. The answers are kept even when the submission is
    refused (a reflection outside its word limits): submitting changes
    nothing when it refuses, so the request still commits them."""
    save_answers(Member(user_id=attempt.user_id), attempt.id, incoming)
    if submit:
        submit_attempt(attempt)


def submit_attempt(attempt: Attempt, *, auto: bool = False) -> Attempt:
    """submit() for a caller holding the attempt object, which it refreshes."""
    submit(Member(user_id=attempt.user_id), attempt.id, auto=auto)
    db.session.refresh(attempt)
    return attempt


def submit(member: Member, attempt_id: int, *, auto: bool = False) -> None:
    """Grade a member's attempt once. A second submit (double tap, retry,
    replay) changes nothing. A member's own submission is refused while a
    reflection is outside its word limits, and the refusal changes nothing; when the
    time runs out, what was saved is submitted as it is.

    Prebuilt Core statements, one round trip each: claim the attempt (its
    row stays locked until commit, so no answer can be saved meanwhile), read
    its answers with the member's progress, then write the grade and the
    progress (one statement on PostgreSQL, two on SQLite)."""
    db.session.flush()  # the ORM's pending changes (a progress row) go first
    connection = db.connection()
    now = utcnow()
    claimed = connection.execute(_claim_statement(member.by_session), {
        **member.params(), "attempt": attempt_id, "now": now, "auto": auto}).first()
    if claimed is None:
        if _attempt_state(member, attempt_id, now) is None:
            raise AttemptNotFound()
        return  # already submitted: nothing to do
    user_id, version_id, lesson_id, plan, deadline_at = claimed
    settings = version_settings(version_id)
    averaged = settings.get("counted_attempt") == "average"
    responses, progress, earlier_percents = _answers_and_progress(attempt_id, with_earlier_percents=averaged)
    if deadline_at is not None and now > deadline_at + GRACE:
        auto = True  # time is up: what was saved is submitted as it is, word limits or not
    if not auto and has_reflection(version_id):
        problems = reflection_length_problems(version_id, plan, responses)
        if problems:
            # A refusal changes nothing: the attempt is open again before
            # anyone can see it was claimed (its row is still locked by us).
            connection.execute(_release_claim_statement(), {"attempt": attempt_id})
            raise AttemptRefused(" ".join(problems))
    grade = grade_attempt(quiz_questions(version_id).values(), responses)
    written = {"attempt": attempt_id, "score": grade.score, "max_score": grade.max_score, "percent": grade.percent,
               "passed": grade.passed(settings.get("pass_mark", 70))}
    outcome = AttemptOutcome(user_id, lesson_id, version_id, settings, grade.percent, responses, earlier_percents)
    _record_grade_and_progress(written, outcome, progress)


@prebuilt
def _claim_statement(by_session: bool):
    attempts = Attempt.__table__
    return (update(attempts)
            .where(attempts.c.id == bindparam("attempt"),
                   owner_condition(attempts.c.user_id, by_session),
                   attempts.c.status == "open")
            .values(status="submitted", submitted_at=bindparam("now"), auto_submitted=bindparam("auto"))
            .returning(attempts.c.user_id, attempts.c.version_id, attempts.c.lesson_id, attempts.c.plan,
                       attempts.c.deadline_at))


@prebuilt
def _release_claim_statement():
    attempts = Attempt.__table__
    return (update(attempts).where(attempts.c.id == bindparam("attempt"))
            .values(status="open", submitted_at=None, auto_submitted=False))


@prebuilt
def _grade_statement():
    attempts = Attempt.__table__
    return (update(attempts).where(attempts.c.id == bindparam("attempt"))
            .values(score=bindparam("score"), max_score=bindparam("max_score"), percent=bindparam("percent"),
                    passed=bindparam("passed"))
            .returning(attempts.c.id))


@prebuilt
def _grade_and_progress_statement():
    """The grade and the progress row in one round trip, where a write can
    sit in a WITH clause (PostgreSQL; it runs whatever the main statement
    finds). None elsewhere: two statements."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return _progress_update_statement().add_cte(_grade_statement().cte("graded"))


# What the roll-up needs of the progress row (started_at and updated_at it does not).
ROLL_UP_READS = ("id", "revision", "read_at", "quiz_passed_at", "reflection_submitted_at", "completed_at",
                 "attempts_used", "counted_percent", "on_time")


def _answers_and_progress_select(*extra):
    """One row per answer (or one row for none), each with the progress row."""
    attempts, answers, progress = Attempt.__table__, Answer.__table__, LessonProgress.__table__
    return (select(answers.c.question_key, answers.c.response, *(progress.c[name] for name in ROLL_UP_READS), *extra)
            .select_from(attempts
                         .outerjoin(answers, answers.c.attempt_id == attempts.c.id)
                         .outerjoin(progress, and_(progress.c.user_id == attempts.c.user_id,
                                                   progress.c.lesson_id == attempts.c.lesson_id)))
            .where(attempts.c.id == bindparam("attempt")))


@prebuilt
def _answers_and_progress_query():
    return _answers_and_progress_select()


@prebuilt
def _answers_progress_and_percents_query():
    """The same, plus the member's earlier scores on the lesson as text
    ("66.67,100.0"), for the average rule: no query of its own."""
    attempts = Attempt.__table__
    earlier = attempts.alias("earlier")
    percents = (select(func.aggregate_strings(cast(earlier.c.percent, String), ","))
                .where(earlier.c.user_id == attempts.c.user_id, earlier.c.lesson_id == attempts.c.lesson_id,
                       earlier.c.status == "submitted", earlier.c.id != attempts.c.id,
                       earlier.c.percent.is_not(None))
                .scalar_subquery())
    return _answers_and_progress_select(percents.label("earlier_percents"))


def _answers_and_progress(attempt_id: int, with_earlier_percents: bool = False
                          ) -> tuple[dict[str, Any], dict[str, Any] | None, list[float]]:
    query = _answers_progress_and_percents_query() if with_earlier_percents else _answers_and_progress_query()
    rows = db.connection().execute(query, {"attempt": attempt_id}).all()
    responses = {row[0]: row[1].get("value") for row in rows if row[0] is not None}
    first = rows[0] if rows else None
    progress = None
    if first is not None and first[2] is not None:
        progress = dict(zip(ROLL_UP_READS, first[2:2 + len(ROLL_UP_READS)]))
    text = first[2 + len(ROLL_UP_READS)] if with_earlier_percents and first is not None else None
    return responses, progress, [float(p) for p in text.split(",")] if text else []


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
        submit(Member(user_id=user_id), attempt_id, auto=True)
    return len(expired)


def close_if_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit, with what was saved, an attempt whose time (and grace) ran out."""
    if attempt.status == "open" and attempt.deadline_at and (now or utcnow()) > attempt.deadline_at + GRACE:
        submit_attempt(attempt, auto=True)
        return True
    return False


# -- the progress roll-up ------------------------------------------------------

@dataclass(frozen=True)
class AttemptOutcome:
    """What a graded attempt brings to the member's progress on its lesson."""
    user_id: int
    lesson_id: int
    version_id: int
    settings: dict[str, Any]
    percent: float | None
    responses: dict[str, Any]
    earlier_percents: list[float]  # the member's earlier scores on the lesson (read for the average rule only)


# The columns a graded attempt changes; the others (started_at, read_at) belong to reading.
ROLL_UP_COLUMNS = ("counted_percent", "attempts_used", "quiz_passed_at", "reflection_submitted_at",
                   "completed_at", "on_time", "updated_at")


def _record_grade_and_progress(grade: dict[str, Any], outcome: AttemptOutcome,
                               progress: dict[str, Any] | None) -> None:
    """Write the attempt's grade and the progress after it. The progress is
    written optimistically first: the row as read, only if its revision is
    unchanged. Should a page view of the same lesson have written it meanwhile
    (or the row not exist yet), lock the row (creating it if need be) and work
    from what it holds then."""
    connection = db.connection()
    together = _grade_and_progress_statement()
    if progress is not None and together is not None:
        written = connection.execute(together, {**grade, **_progress_params(progress, outcome)}).rowcount == 1
    else:
        connection.execute(_grade_statement(), grade)
        written = progress is not None and _write_progress(progress, _rolled_up(progress, outcome))
    if not written:
        progress = _locked_progress(outcome.user_id, outcome.lesson_id)
        if not _write_progress(progress, _rolled_up(progress, outcome)):
            raise RuntimeError("lesson progress changed under its lock")
    # An ORM copy of the row in this session is now out of date.
    orm_copy = db.session.identity_map.get(db.session.identity_key(LessonProgress, progress["id"]))
    if orm_copy is not None:
        db.session.expire(orm_copy)


def _rolled_up(progress: dict[str, Any], outcome: AttemptOutcome) -> dict[str, Any]:
    """The progress columns after the attempt, by the same rules as reading's."""
    state = SimpleNamespace(**progress)
    _refresh_scores(state, outcome)
    _refresh_completion(None, outcome.lesson_id, outcome.version_id, state, user_id=outcome.user_id)
    return {name: getattr(state, name) for name in ROLL_UP_COLUMNS}


def _progress_params(progress: dict[str, Any], outcome: AttemptOutcome) -> dict[str, Any]:
    return {**_rolled_up(progress, outcome), "row": progress["id"], "seen": progress["revision"]}


def _write_progress(progress: dict[str, Any], values: dict[str, Any]) -> bool:
    result = db.connection().execute(
        _progress_update_statement(), {**values, "row": progress["id"], "seen": progress["revision"]})
    return result.rowcount == 1


@prebuilt
def _progress_update_statement():
    table = LessonProgress.__table__
    return (update(table).where(table.c.id == bindparam("row"), table.c.revision == bindparam("seen"))
            .values(**{name: bindparam(name) for name in ROLL_UP_COLUMNS},
                    revision=table.c.revision + 1))


def _locked_progress(user_id: int, lesson_id: int) -> dict[str, Any]:
    """The member's progress row, created if missing, locked until commit (the
    upsert takes the row lock on PostgreSQL; SQLite has one writer anyway)."""
    return dict(db.connection().execute(_lock_progress_statement(), {
        "member": user_id, "lesson": lesson_id, "now": utcnow()}).mappings().one())


@prebuilt
def _lock_progress_statement():
    table = LessonProgress.__table__
    insert = upsert_insert(table).values(user_id=bindparam("member"), lesson_id=bindparam("lesson"),
                                         attempts_used=0, revision=0, updated_at=bindparam("now"))
    return insert.on_conflict_do_update(
        index_elements=["user_id", "lesson_id"], set_={"user_id": insert.excluded.user_id},
    ).returning(*table.c)


def _refresh_scores(progress: SimpleNamespace, outcome: AttemptOutcome) -> None:
    rule = outcome.settings.get("counted_attempt", "highest")
    if rule == "average":  # the only rule that needs every earlier score, read with the answers
        progress.counted_percent = counted_percent(rule, [*outcome.earlier_percents, outcome.percent])
    else:
        progress.counted_percent = counted_after(rule, progress.counted_percent, progress.attempts_used,
                                                 outcome.percent)
    progress.attempts_used += 1
    pass_mark = outcome.settings.get("pass_mark", 70)
    passed = progress.counted_percent is None or progress.counted_percent >= pass_mark
    now = utcnow()
    if passed and progress.quiz_passed_at is None:
        progress.quiz_passed_at = now
    elif not passed:
        progress.quiz_passed_at = None
    reflections = [q.key for q in quiz_questions(outcome.version_id).values() if not KINDS[q.kind].auto_graded]
    if (reflections and all(outcome.responses.get(key) for key in reflections)
            and progress.reflection_submitted_at is None):
        progress.reflection_submitted_at = now
    progress.updated_at = now


def _refresh_completion(user: User | None, lesson_id: int, version_id: int,
                        progress: LessonProgress | SimpleNamespace, user_id: int | None = None) -> None:
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
