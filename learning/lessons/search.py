"""Searching published lessons by number, title and text, insensitive to case
and Vietnamese diacritics, identically on SQLite and PostgreSQL: both the
stored text and the query are folded the same way, and matched with LIKE."""
from __future__ import annotations

import re

from sqlalchemy import select

from learning.core import db
from learning.lessons.authoring import KIND_LABELS, html_to_text
from learning.lessons.authoring.model import LessonDraft
from learning.lessons.authoring.text import comparable
from learning.lessons.models import Lesson, LessonState, LessonVersion

MAX_RESULTS = 30
MAX_TERMS = 8


def fold(text: str) -> str:
    return comparable(text, ignore_diacritics=True)


def search_text_for(draft: LessonDraft) -> str:
    """What a version is found by; its kind in Vietnamese so `nghi quyet 57` works."""
    parts = [KIND_LABELS.get(draft.kind, draft.kind), draft.number, draft.title, draft.summary,
             " ".join(draft.tags), draft.issuing_body, html_to_text(draft.body_html)]
    return fold(" ".join(parts))


def query_terms(query: str) -> list[str]:
    """`Nghị quyết  57` → ["nghi", "quyet", "57"]; punctuation inside a term
    (57-nq, 57/tw) is kept, since numbers are written with it."""
    terms = [t.strip(".,;:!?\"'()") for t in fold(query).split()]
    return [t for t in terms if t][:MAX_TERMS]


def _like_pattern(term: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"


def search_lessons(query: str) -> list[tuple[Lesson, LessonVersion]]:
    terms = query_terms(query)
    if not terms:
        return []
    statement = (
        select(Lesson, LessonVersion)
        .join(LessonVersion, (LessonVersion.lesson_id == Lesson.id)
              & (LessonVersion.number == Lesson.latest_version_number))
        .where(Lesson.state == LessonState.PUBLISHED)
    )
    for term in terms:
        statement = statement.where(LessonVersion.search_text.like(_like_pattern(term), escape="\\"))
    statement = statement.order_by(LessonVersion.issued_on.desc(), Lesson.id).limit(200)
    rows = [(lesson, version) for lesson, version in db.session.execute(statement)]
    rows.sort(key=lambda row: _rank(row[1], terms))
    return rows[:MAX_RESULTS]


def _rank(version: LessonVersion, terms: list[str]) -> tuple:
    """Number and title matches first, then the newest document."""
    heading = fold(f"{version.doc_number} {version.title}")
    in_heading = sum(term in heading for term in terms)
    return (-in_heading, -version.issued_on.toordinal(), version.lesson_id)
