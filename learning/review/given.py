"""What a reflection's current grade gave, criterion by criterion, read by
its own scale (review.scales): the member's result page (study, which asks
through study.signals.grades_wanted) and the reviewer's member page show it."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from learning.core import db
from learning.review.models import Grade, Rubric
from learning.review.scales import SCALES
from learning.study.reflections import CriterionGiven, GradeGiven
from learning.study.signals import grades_wanted


def given_grades(answer_ids: Iterable[int]) -> dict[int, GradeGiven]:
    """Answer id → its current grade's detail: one query over the grades and their scales."""
    ids = sorted(set(answer_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Grade.answer_id, Grade.levels, Grade.points, Grade.max_points, Rubric.kind, Rubric.definition)
        .join(Rubric, Rubric.id == Grade.rubric_id)
        .where(Grade.answer_id.in_(ids), Grade.is_current.is_(True)))
    found = {}
    for answer_id, levels, points, max_points, kind, definition in rows:
        scale = SCALES.get(kind)
        criteria = tuple(CriterionGiven(*given) for given in scale.given(definition, levels)) \
            if scale is not None and scale.itemised else ()
        found[answer_id] = GradeGiven(criteria, points, max_points)
    return found


def _grades_wanted(_sender=None, answer_ids: Iterable[int] = (), **_extra) -> dict[int, GradeGiven]:
    return given_grades(answer_ids)


grades_wanted.connect(_grades_wanted)
