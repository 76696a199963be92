"""True or false: a statement and `Đáp án: Đúng` or `Sai`."""
from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from learning.lessons.authoring.kinds.base import (
    ANSWER,
    FULL_CREDIT,
    NO_CREDIT,
    QuestionKind,
    QuestionSource,
)
from learning.lessons.authoring.messages import N_, _
from learning.lessons.authoring.model import Problem
from learning.lessons.authoring.text import norm_keyword

_TRUE_FALSE_WORDS = {"dung": True, "true": True, "sai": False, "false": False}


class TrueFalse(QuestionKind):
    code = "true_false"
    template = "true_false"
    label = "Đúng sai"
    english = N_("True or false")
    aliases = ("đúng sai", "true false")
    properties = (ANSWER,)

    def build(self, source: QuestionSource) -> tuple[dict[str, Any], list[Problem]]:
        entry = source.first(ANSWER)
        if entry is None:
            return {}, [Problem(source.line, "question.answer_missing", _(
                "Add the answer: a line ‘- Đáp án: Đúng’ or ‘- Đáp án: Sai’"))]
        answer = _TRUE_FALSE_WORDS.get(norm_keyword(entry.value))
        if answer is None:
            return {}, [Problem(entry.line, "question.value", _(
                "‘Đáp án: %(value)s’: write Đúng or Sai", value=entry.value))]
        return {"answer": answer}, []

    def grade(self, data: Mapping[str, Any], response: Any) -> Fraction:
        """`response` is True or False; anything else (no answer) earns nothing."""
        return FULL_CREDIT if isinstance(response, bool) and response == data["answer"] else NO_CREDIT

    def response_text(self, data: Mapping[str, Any], response: Any) -> str:
        if not isinstance(response, bool):
            return ""
        return _("True") if response else _("False")
    def model_values(self, data: Mapping[str, Any]) -> list[str]:
        return ["true" if data["answer"] else "false"]

    def read_response(self, data: Mapping[str, Any], values: list[str]) -> bool | None:
        return {"true": True, "false": False}.get(values[0] if values else "")
