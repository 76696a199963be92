"""Reflection: the member writes a short essay, graded later by a reviewer."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from learning.lessons.authoring.kinds.base import (
    Entry,
    PropertySpec,
    QuestionKind,
    QuestionSource,
)
from learning.lessons.authoring.limits import MAX_MAX_WORDS, MAX_MIN_WORDS
from learning.lessons.authoring.messages import N_, _
from learning.lessons.authoring.model import Problem
from learning.lessons.authoring.text import parse_whole_number, word_count

MIN_WORDS = PropertySpec("min_words", ("Số từ tối thiểu", "min words"))
MAX_WORDS = PropertySpec("max_words", ("Số từ tối đa", "max words"))


class Reflection(QuestionKind):
    code = "reflection"
    template = "reflection"
    auto_graded = False
    label = "Thu hoạch"
    english = N_("Reflection")
    aliases = ("thu hoạch", "bài thu hoạch", "reflection", "essay")
    default_points = 10
    properties = (MIN_WORDS, MAX_WORDS)

    def build(self, source: QuestionSource) -> tuple[dict[str, Any], list[Problem]]:
        min_words, problems = _word_count(source.first(MIN_WORDS), 0, MAX_MIN_WORDS)
        max_words, max_problems = _word_count(source.first(MAX_WORDS), max(min_words or 0, 1), MAX_MAX_WORDS)
        return {"min_words": min_words or 0, "max_words": max_words}, problems + max_problems

    def grade(self, data: Mapping[str, Any], response: Any) -> None:
        """A reflection is graded by a reviewer, never automatically."""
        return None

    def submission_problem(self, data: Mapping[str, Any], response: Any) -> str | None:
        words = word_count(response)
        low, high = data.get("min_words") or 0, data.get("max_words")
        if low <= words and not (high and words > high):
            return None
        wanted = f"{low}–{high}" if high else _("at least %(n)s", n=low)
        return _("your reflection has %(words)s words; write %(range)s words.", words=words, range=wanted)


def _word_count(entry: Entry | None, low: int, high: int) -> tuple[int | None, list[Problem]]:
    if entry is None:
        return None, []
    count = parse_whole_number(entry.value)
    if count is None or not low <= count <= high:
        return None, [Problem(entry.line, "question.range" if count is not None else "question.value", _(
            "‘%(key)s: %(value)s’: write a whole number from %(low)s to %(high)s",
            key=entry.key, value=entry.value, low=low, high=high))]
    return count, []
