"""Submitting an attempt: grading it once, and the member's progress after it.

Submitting flips the attempt 'open' → 'submitted' in one conditional UPDATE
(the claim), so a double tap, a retry or a replay grades once; the claim
keeps the attempt row locked until commit, so no answer is saved meanwhile.
Then one statement reads the answers with the member's progress row (and,
for the average rule, the earlier scores), and one more (on PostgreSQL; two
on SQLite) writes the grade and the progress. The progress is written
optimistically: only if its revision is unchanged since it was read; should
a page view have written it meanwhile, the row is locked and worked out again.
The rules themselves are pure (study.progress, study.grading).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, and_, bindparam, cast, exists, func, select, update

from learning.campaigns.binding import due_date
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import prebuilt, upsert_insert, utcnow
from learning.lessons.authoring import KINDS
from learning.lessons.authoring.model import CountedAttempt
from learning.lessons.versions import quiz_questions, reviewed_keys, version_settings
from learning.org.access import Member, owner_condition
from learning.study.answers import IncomingAnswer, attempt_state, save_answers
from learning.study.completeness import unanswered_questions
from learning.study.errors import AttemptNotFound, AttemptRefused, UnansweredQuestions
from learning.study.grading import grade_attempt
from learning.study.models import GRACE, Answer, Attempt, AttemptStatus, LessonProgress, past_grace
from learning.study.progress import ROLL_UP_COLUMNS, AttemptOutcome, rolled_up
from learning.study.rollups import apply_change, change_insert, change_params, difference


def answer_by_form(attempt: Attempt, incoming: list[IncomingAnswer], *, submit: bool,
                   confirmed: bool = False) -> None:
    """The quiz's plain form (no script): keep the answers it carries, then
    submit if asked. The answers are kept even when the submission is
    refused (questions unanswered and not confirmed, a reflection outside
    its word limits): submitting changes nothing when it refuses, so the
    request still commits them."""
    save_answers(Member(user_id=attempt.user_id), attempt.id, incoming)
    if submit:
        submit_attempt(attempt, confirmed=confirmed)


def submit_attempt(attempt: Attempt, *, auto: bool = False, confirmed: bool = False) -> Attempt:
    """submit() for a caller holding the attempt object, which it refreshes."""
    submit(Member(user_id=attempt.user_id), attempt.id, auto=auto, confirmed=confirmed)
    db.session.refresh(attempt)
    return attempt


def submit(member: Member, attempt_id: int, *, auto: bool = False, confirmed: bool = False) -> None:
    """Grade a member's attempt once. A second submit (double tap, retry,
    replay) changes nothing. A member's own submission is refused while a
    reflection is outside its word limits (AttemptRefused), then while
    questions are unanswered unless they `confirmed` leaving them so
    (UnansweredQuestions); a refusal changes nothing. Once the deadline has
    passed nothing is asked, and after its grace what was saved is submitted
    as it is, word limits or not.

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
        if attempt_state(member, attempt_id, now) is None:
            raise AttemptNotFound()
        return  # already submitted: nothing to do
    user_id, version_id, lesson_id, plan, deadline_at = claimed
    settings = version_settings(version_id)
    averaged = settings.counted_attempt == CountedAttempt.AVERAGE
    responses, progress, earlier_percents = _answers_and_progress(attempt_id, with_earlier_percents=averaged)
    if past_grace(deadline_at, now):
        auto = True  # time is up: what was saved is submitted as it is, word limits or not
    if not auto:
        problems = submission_problems(version_id, plan, responses)
        if problems:
            _release_claim(attempt_id)
            raise AttemptRefused(" ".join(problems))
        missing = unanswered_questions(plan, responses)
        time_up = deadline_at is not None and now >= deadline_at  # the phone's timer submits: never ask
        if missing and not confirmed and not time_up:
            _release_claim(attempt_id)
            raise UnansweredQuestions(missing)
    grade = grade_attempt(quiz_questions(version_id).values(), responses)
    written = {"attempt": attempt_id, "score": grade.score, "max_score": grade.max_score, "percent": grade.percent,
               "passed": grade.passed(settings.pass_mark)}
    reviewed = reviewed_keys(version_id)
    outcome = AttemptOutcome(user_id, lesson_id, version_id, settings, grade.percent, responses, reviewed,
                             earlier_percents)
    _record_grade_and_progress(written, outcome, progress)


def submission_problems(version_id: int, plan: list[dict], responses: dict[str, Any]) -> list[str]:
    """Why the member may not submit these responses yet (a reflection
    outside its word limits), as messages, in the attempt's order."""
    problems = []
    questions = quiz_questions(version_id)
    in_order = [questions[step["key"]] for step in plan if step["key"] in questions]
    for number, question in enumerate(in_order, start=1):
        problem = KINDS[question.kind].submission_problem(question.data, responses.get(question.key))
        if problem:
            problems.append(_("Question %(n)s: %(problem)s", n=number, problem=problem))
    return problems


@prebuilt
def _claim_statement(by_session: bool):
    attempts = Attempt.__table__
    return (update(attempts)
            .where(attempts.c.id == bindparam("attempt"),
                   owner_condition(attempts.c.user_id, by_session),
                   attempts.c.status == AttemptStatus.OPEN)
            .values(status=AttemptStatus.SUBMITTED, submitted_at=bindparam("now"), auto_submitted=bindparam("auto"))
            .returning(attempts.c.user_id, attempts.c.version_id, attempts.c.lesson_id, attempts.c.plan,
                       attempts.c.deadline_at))


def _release_claim(attempt_id: int) -> None:
    """A refusal changes nothing: the attempt is open again before anyone can
    see it was claimed (its row is still locked by this transaction)."""
    db.connection().execute(_release_claim_statement(), {"attempt": attempt_id})


@prebuilt
def _release_claim_statement():
    attempts = Attempt.__table__
    return (update(attempts).where(attempts.c.id == bindparam("attempt"))
            .values(status=AttemptStatus.OPEN, submitted_at=None, auto_submitted=False))


@prebuilt
def _grade_statement():
    attempts = Attempt.__table__
    return (update(attempts).where(attempts.c.id == bindparam("attempt"))
            .values(score=bindparam("score"), max_score=bindparam("max_score"), percent=bindparam("percent"),
                    passed=bindparam("passed"))
            .returning(attempts.c.id))


@prebuilt
def _grade_and_progress_statement():
    """The grade, the progress row and its unit's roll-up in one round trip,
    where a write can sit in a WITH clause (PostgreSQL; each runs whatever
    the main statement finds): the roll-up changes only if the progress row
    was written. It returns how many progress rows were written (0 or 1).
    None elsewhere: separate statements."""
    if db.dialect_name() != "postgresql":
        return None
    table = LessonProgress.__table__
    progressed = _progress_update_statement().returning(table.c.id).cte("progressed")
    rolled = change_insert(exists(select(progressed.c.id))).cte("rolled")
    return (select(func.count()).select_from(progressed)
            .add_cte(_grade_statement().cte("graded")).add_cte(rolled))

# What the roll-up needs of the progress row (started_at and updated_at it does not).
ROLL_UP_READS = ("id", "revision", "read_at", "quiz_passed_at", "reflection_submitted_at", "reflection_graded_at",
                 "reflection_passed", "reflection_returned_reason", "completed_at", "attempts_used",
                 "counted_percent", "on_time")


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
                       earlier.c.status == AttemptStatus.SUBMITTED, earlier.c.id != attempts.c.id,
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


def close_all_expired(now: datetime | None = None) -> int:
    """Submit every open attempt whose time ran out (members who never came
    back), so progress and reports see them. Run from cron via the CLI."""
    cutoff = (now or utcnow()) - GRACE
    expired = db.session.execute(select(Attempt.user_id, Attempt.id).where(
        Attempt.status == AttemptStatus.OPEN, Attempt.deadline_at.is_not(None), Attempt.deadline_at < cutoff)).all()
    for user_id, attempt_id in expired:
        submit(Member(user_id=user_id), attempt_id, auto=True)
    return len(expired)


def close_if_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit, with what was saved, an attempt whose time (and grace) ran out."""
    if attempt.status == AttemptStatus.OPEN and past_grace(attempt.deadline_at, now or utcnow()):
        submit_attempt(attempt, auto=True)
        return True
    return False


def _record_grade_and_progress(grade: dict[str, Any], outcome: AttemptOutcome,
                               progress: dict[str, Any] | None) -> None:
    """Write the attempt's grade and the progress after it. The progress is
    written optimistically first: the row as read, only if its revision is
    unchanged. Should a page view of the same lesson have written it meanwhile
    (or the row not exist yet), lock the row (creating it if need be) and work
    from what it holds then."""
    connection = db.connection()
    together = _grade_and_progress_statement()
    values: dict[str, Any] | None = None
    if progress is not None and together is not None:
        values = _rolled_up(progress, outcome)
        change = change_params(outcome.user_id, outcome.lesson_id, difference(progress, values))
        written = connection.execute(together, {**grade, **_progress_params(progress, values), **change}).scalar() == 1
        if written:
            _expire_orm_copy(progress["id"])
            return
    else:
        connection.execute(_grade_statement(), grade)
        if progress is not None:
            values = _rolled_up(progress, outcome)
        written = values is not None and _write_progress(progress, values)
    if not written:
        progress = _locked_progress(outcome.user_id, outcome.lesson_id)
        values = _rolled_up(progress, outcome)
        if not _write_progress(progress, values):
            raise RuntimeError("lesson progress changed under its lock")
    # The roll-up of the member's unit: one more statement in this transaction
    # (none when the counts do not change).
    apply_change(outcome.user_id, outcome.lesson_id, difference(progress, values))
    _expire_orm_copy(progress["id"])


def _expire_orm_copy(progress_id: int) -> None:
    """An ORM copy of the progress row in this session is now out of date."""
    orm_copy = db.session.identity_map.get(db.session.identity_key(LessonProgress, progress_id))
    if orm_copy is not None:
        db.session.expire(orm_copy)


def _rolled_up(progress: dict[str, Any], outcome: AttemptOutcome) -> dict[str, Any]:
    """The progress columns after the attempt, by the rules of study.progress."""
    return rolled_up(progress, outcome, lambda: due_date(outcome.user_id, outcome.lesson_id, vietnam_today()),
                     utcnow())


def _progress_params(progress: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "row": progress["id"], "seen": progress["revision"]}


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
