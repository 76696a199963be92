"""Questions left unanswered, and submitting only once the member has said
they mean to leave them so.

`unanswered_questions` is pure: the attempt's plan and its saved responses
in, the questions with no answer out, numbered as the quiz page numbers them.
A response is stored as its kind's `read_response` read it from the form (or
the phone's) values, and that gives None for an empty text or no choice
ticked: None, or no stored answer at all, is unanswered.

The operations below hold the rule for both ways of submitting (the plain
form and the page's script): a member's own submission with questions
unanswered is refused until they confirm; time running out never asks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from flask_babel import ngettext
from sqlalchemy import and_, bindparam, select

from learning.core import db
from learning.core.db import prebuilt, utcnow
from learning.models import Answer, Attempt
from learning.org.access import Member, owner_condition
from learning.study import operations as study


@dataclass(frozen=True)
class Unanswered:
    number: int  # the question's place in the attempt, from 1, as the page shows it
    key: str


def is_answered(response: Any) -> bool:
    # "" and [] are never stored today (read_response gives None instead);
    # should one ever be, it is no answer either. False is an answer (true/false).
    return response is not None and response != "" and response != []


def unanswered_questions(plan: Sequence[Mapping[str, Any]], responses: Mapping[str, Any]) -> list[Unanswered]:
    """The attempt's questions without an answer, in the attempt's order."""
    return [Unanswered(number, step["key"]) for number, step in enumerate(plan, start=1)
            if not is_answered(responses.get(step["key"]))]


class UnansweredQuestions(study.AttemptRefused):
    """A member's submission with questions unanswered, not confirmed: it
    changes nothing, and the page asks them first."""

    def __init__(self, missing: list[Unanswered]):
        self.missing = missing
        super().__init__(unanswered_message(len(missing)))


def unanswered_message(count: int) -> str:
    return ngettext("%(num)s question unanswered", "%(num)s questions unanswered", count)


# -- operations ----------------------------------------------------------------

def answer_by_form(attempt: Attempt, incoming: list[study.IncomingAnswer], *, submit: bool,
                   confirmed: bool) -> None:
    """The quiz's plain form: keep the answers it carries, then submit if
    asked. With questions still unanswered once they are kept, submitting
    waits for the member's confirmation (UnansweredQuestions); the answers
    are kept either way, as when a submission is refused for a reflection's
    length."""
    study.answer_by_form(attempt, incoming, submit=False)
    if submit:
        if not confirmed:
            refuse_if_unanswered(Member(user_id=attempt.user_id), attempt.id)
        study.submit_attempt(attempt)


def submit(member: Member, attempt_id: int, *, confirmed: bool) -> None:
    """study.submit for the member's own press on Submit: refused while
    questions are unanswered, unless they confirmed."""
    if not confirmed:
        refuse_if_unanswered(member, attempt_id)
    study.submit(member, attempt_id)


def refuse_if_unanswered(member: Member, attempt_id: int) -> None:
    """Raise UnansweredQuestions if the member's open attempt has questions
    without a saved answer. Once its time is up it never asks: what was saved
    is submitted. Nor while a reflection is outside its word limits:
    study.submit refuses that, saying why, and asking first would only have
    the member confirm a submission that is then refused. An attempt that is
    not the member's, or no longer open, is left to study.submit to refuse
    or ignore.

    One round trip: the attempt's plan and deadline with its answers. On
    PostgreSQL it locks the attempt's row (as the claim that follows in the
    same transaction would), so no answer can be saved between this count
    and the submission."""
    rows = db.connection().execute(_plan_and_answers_query(member.by_session),
                                   {**member.params(), "attempt": attempt_id}).all()
    if not rows:
        return
    version_id, plan, deadline_at = rows[0][:3]
    if deadline_at is not None and utcnow() >= deadline_at:
        return
    responses = {row.question_key: row.response.get("value") for row in rows if row.question_key is not None}
    missing = unanswered_questions(plan, responses)
    if missing and not study.reflection_length_problems(version_id, plan, responses):
        raise UnansweredQuestions(missing)


@prebuilt
def _plan_and_answers_query(by_session: bool):
    attempts, answers = Attempt.__table__, Answer.__table__
    return (select(attempts.c.version_id, attempts.c.plan, attempts.c.deadline_at, answers.c.question_key,
                   answers.c.response)
            .select_from(attempts.outerjoin(answers, answers.c.attempt_id == attempts.c.id))
            .where(and_(attempts.c.id == bindparam("attempt"), attempts.c.status == "open",
                        owner_condition(attempts.c.user_id, by_session)))
            .with_for_update(of=attempts))
