"""Pure grading rules: an attempt's score from its answers, and which score of
several attempts counts. No database, no request: tested on plain data."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Mapping, Protocol, Sequence

from learning.lessons.authoring import KINDS
from learning.lessons.authoring.model import CountedAttempt


class GradableQuestion(Protocol):
    key: str
    kind: str
    points: int
    data: Mapping[str, Any]


@dataclass(frozen=True)
class AttemptGrade:
    score: float  # points earned on automatically graded questions
    max_score: float  # points of those questions
    percent: float | None  # None when nothing is graded automatically
    per_question: dict[str, float | None]  # points per question; None: a reviewer grades it

    def passed(self, pass_mark: int) -> bool:
        return self.percent is None or self.percent >= pass_mark


def grade_attempt(questions: Iterable[GradableQuestion], responses: Mapping[str, Any]) -> AttemptGrade:
    score, max_score = Fraction(0), Fraction(0)
    per_question: dict[str, float | None] = {}
    for question in questions:
        fraction = KINDS[question.kind].grade(question.data, responses.get(question.key))
        if fraction is None:
            per_question[question.key] = None
            continue
        earned = fraction * question.points
        per_question[question.key] = float(earned)
        score += earned
        max_score += question.points
    percent = round(float(score * 100 / max_score), 2) if max_score else None
    return AttemptGrade(float(score), float(max_score), percent, per_question)


def counted_percent(rule: str, percents_in_order: Sequence[float | None]) -> float | None:
    """The score that counts among submitted attempts, oldest first:
    highest, last, first, or average (as the lesson's settings say)."""
    scores = [p for p in percents_in_order if p is not None]
    if not scores:
        return None
    if rule == CountedAttempt.LAST:
        return scores[-1]
    if rule == CountedAttempt.FIRST:
        return scores[0]
    if rule == CountedAttempt.AVERAGE:  # fsum: exact, whatever order the scores come in
        return round(math.fsum(scores) / len(scores), 2)
    return max(scores)


def counted_after(rule: str, counted: float | None, attempts_before: int, new: float | None) -> float | None:
    """The counted score after one more attempt, from the counted score before
    it, for the rules that need no history (highest, last, first)."""
    if rule == CountedAttempt.LAST:
        return new if new is not None else counted
    if rule == CountedAttempt.FIRST:
        return new if attempts_before == 0 else counted
    if rule == CountedAttempt.HIGHEST:
        scores = [p for p in (counted, new) if p is not None]
        return max(scores) if scores else None
    raise ValueError(f"{rule} needs every score: use counted_percent")


def attempt_plan(questions: Sequence[GradableQuestion], shuffle_questions: bool, shuffle_choices: bool,
                 rng: random.Random) -> list[dict[str, Any]]:
    """The order of questions and of each question's choices, fixed at start."""
    order = list(questions)
    if shuffle_questions:
        rng.shuffle(order)
    plan = []
    for question in order:
        keys = [choice["key"] for choice in question.data.get("choices", [])]
        if shuffle_choices:
            rng.shuffle(keys)
        plan.append({"key": question.key, "choices": keys})
    return plan
