"""Saving a member's answers to their open attempt: the hottest path.

Each answer is one statement: an upsert that writes only for the attempt's
owner (by a live session, on the save route), only while the attempt is open
and in time (its deadline plus GRACE), and, for the page's script, only over
an older sequence number, so a late retry never overwrites a newer answer.
It holds a share lock on the attempt row until its transaction ends (at once
on the save route, which commits every statement); submitting takes that
row's exclusive lock first, so a save and a submission of one attempt take
turns: every stored answer is either graded or refused, never stored after
grading.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, or_, select

from learning.core import db
from learning.core.db import prebuilt, upsert_insert, utcnow
from learning.core.memo import remembered
from learning.lessons.authoring import KINDS
from learning.lessons.versions import quiz_questions
from learning.org.access import Member, owner_condition
from learning.study.errors import AttemptNotFound, AttemptRefused
from learning.study.grading import grade_attempt
from learning.study.models import GRACE, Answer, Attempt, AttemptStatus


@dataclass(frozen=True)
class IncomingAnswer:
    key: str
    values: list[str]
    # The phone's counter for this attempt (script saves). None for a plain form
    # post: what the member sees in the form is what they mean, so it wins.
    seq: int | None = None


@dataclass(frozen=True)
class SaveReceipt:
    saved: list[IncomingAnswer]  # what is now safe on the server
    deadline_at: datetime | None  # as the attempt holds it now (a reviewer may extend it)
    # Answers not written because the server holds a newer save (from another
    # device or tab): key → that save's sequence number, so the phone can resend.
    stale: dict[str, int]


def save_answers(member: Member, attempt_id: int, incoming: list[IncomingAnswer]) -> SaveReceipt:
    """Store a member's answers to their open attempt. Unknown questions are
    ignored; an answer older than the stored one is acknowledged unchanged."""
    version_id = attempt_version(attempt_id)
    if version_id is None:
        raise AttemptNotFound()
    questions = quiz_questions(version_id)
    now = utcnow()
    saved, not_written = [], []
    deadline_at = None
    deadline_returned = db.dialect_name() == "postgresql"  # by the upsert itself (see _answer_upsert)
    for answer in incoming:
        question = questions.get(answer.key)
        if question is None:
            continue
        response = KINDS[question.kind].read_response(question.data, answer.values)
        row = _upsert_answer(member, attempt_id, answer.key, response, answer.seq, now)
        if row is None:
            not_written.append(answer.key)
        else:
            saved.append(answer.key)
            deadline_at = row[0] if deadline_returned else None
    # An answer not written was refused because the member may not write to
    # this attempt, the attempt closed (it can close between two answers of one
    # save), or the stored answer is newer; a written one proves the first two
    # false.
    if saved and not deadline_returned:
        deadline_at = db.connection().execute(_deadline_query(), {"attempt": attempt_id}).scalar()
    if not_written or not saved:
        state = attempt_state(member, attempt_id, now)
        if state is None:
            raise AttemptNotFound()
        is_open, deadline_at = state
        if not is_open:
            raise AttemptRefused(_("This attempt is closed; answers can no longer be changed."))
    return SaveReceipt([a for a in incoming if a.key in saved], deadline_at, _stored_seqs(attempt_id, not_written))


VERSIONS_CACHE_LIMIT = 50_000  # attempts; a few dozen bytes each


def attempt_version(attempt_id: int) -> int | None:
    """The version an attempt answers, remembered by the worker: it is fixed
    at start, so saving an answer needs no query for it. (Only that: the
    deadline can be extended, so the statements read it every time.)"""
    def load() -> int | None:
        return db.connection().execute(_version_query(), {"attempt": attempt_id}).scalar()

    return remembered("attempt_versions", attempt_id, load, VERSIONS_CACHE_LIMIT)


@prebuilt
def _version_query():
    attempts = Attempt.__table__
    return select(attempts.c.version_id).where(attempts.c.id == bindparam("attempt"))


def attempt_state(member: Member, attempt_id: int, now: datetime) -> tuple[bool, datetime | None] | None:
    """(open and in time, deadline), or None when it is not this member's."""
    attempts = Attempt.__table__
    row = db.connection().execute(
        select(open_and_in_time(now - GRACE), attempts.c.deadline_at).where(
            attempts.c.id == attempt_id, owner_condition(attempts.c.user_id, member.by_session)),
        member.params()).first()
    if row is None:
        return None
    return bool(row[0]), row[1]


def open_and_in_time(cutoff):
    """SQL: the attempt still takes answers (open, and its deadline not past `cutoff`)."""
    attempts = Attempt.__table__
    return and_(attempts.c.status == AttemptStatus.OPEN,
                or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at >= cutoff))


def _stored_seqs(attempt_id: int, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    return dict(db.session.execute(select(Answer.question_key, Answer.client_seq).where(
        Answer.attempt_id == attempt_id, Answer.question_key.in_(keys))).all())


def highest_seq(attempt_id: int) -> int:
    """Where a page's sequence numbers must start, so its saves are never older."""
    return db.session.scalar(select(func.max(Answer.client_seq)).where(Answer.attempt_id == attempt_id)) or 0


def _upsert_answer(member: Member, attempt_id: int, key: str, response: Any, seq: int | None, now: datetime):
    """Write the answer; the row written (with the attempt's deadline), or None
    when the member may not, the attempt is closed or the stored answer
    carries a newer sequence number."""
    params = {**member.params(), "attempt": attempt_id, "cutoff": now - GRACE, "key": key,
              "response": {"value": response}, "seq": seq or 0, "now": now}
    return db.connection().execute(_answer_upsert(seq is not None, member.by_session), params).first()


@prebuilt
def _answer_upsert(ordered: bool, by_session: bool):
    """A save from the page's script (ordered) replaces only an older sequence
    number; a plain form post always replaces: what the member sees is what
    they mean. The script's saves name the member by session, the form's by id.
    Returns the attempt's deadline as the row's `deadline_at`."""
    answers, attempts = Answer.__table__, Attempt.__table__
    # The row to insert comes from the attempt's own row, and only while it is
    # open: FOR SHARE (on PostgreSQL) makes a concurrent submission wait for
    # this save's commit. SQLite runs one writer at a time, which does the same.
    values = (select(attempts.c.id, *(bindparam(name, type_=answers.c[column].type) for name, column in (
        ("key", "question_key"), ("response", "response"), ("seq", "client_seq"), ("now", "saved_at"))))
        .where(attempts.c.id == bindparam("attempt"),
               owner_condition(attempts.c.user_id, by_session),
               open_and_in_time(bindparam("cutoff", type_=attempts.c.deadline_at.type)))
        .with_for_update(read=True))
    insert = upsert_insert(answers).from_select(
        ["attempt_id", "question_key", "response", "client_seq", "saved_at"], values)
    changes = {"response": insert.excluded.response, "saved_at": insert.excluded.saved_at}
    if ordered:
        upsert = insert.on_conflict_do_update(
            index_elements=["attempt_id", "question_key"], set_={**changes, "client_seq": insert.excluded.client_seq},
            where=answers.c.client_seq <= insert.excluded.client_seq)  # no row back: closed, or the stored answer was newer
    else:
        upsert = insert.on_conflict_do_update(index_elements=["attempt_id", "question_key"], set_=changes)
    if db.dialect_name() == "postgresql":
        # The deadline in the same round trip: a write may sit in a WITH clause.
        saved = upsert.returning(answers.c.attempt_id).cte("saved")
        return select(attempts.c.deadline_at).select_from(saved.join(attempts, attempts.c.id == saved.c.attempt_id))
    # SQLite has no write in WITH: save_answers reads the deadline after.
    return upsert.returning(answers.c.id)


@prebuilt
def _deadline_query():
    attempts = Attempt.__table__
    return select(attempts.c.deadline_at).where(attempts.c.id == bindparam("attempt"))


def saved_responses(attempt: Attempt) -> dict[str, Any]:
    return responses_of(attempt.id)


def responses_of(attempt_id: int) -> dict[str, Any]:
    rows = db.session.execute(select(Answer.question_key, Answer.response).where(Answer.attempt_id == attempt_id))
    return {key: response.get("value") for key, response in rows}


def answer_scores(attempt: Attempt) -> dict[str, float | None]:
    """Points per question. Grading is pure and versions never change, so the
    review recomputes them rather than storing a copy at submission."""
    return grade_attempt(quiz_questions(attempt.version_id).values(), saved_responses(attempt)).per_question


def reviewer_grades(attempt: Attempt) -> dict[str, Answer]:
    """The attempt's answers a reviewer has graded (reflections), by question
    key: their copy of the current grade (score, passed, feedback)."""
    return {answer.question_key: answer for answer in db.session.scalars(
        select(Answer).where(Answer.attempt_id == attempt.id, Answer.graded_at.is_not(None)))}
