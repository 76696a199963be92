"""Short answer: the member types a word or a number, compared with each accepted answer."""
from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from learning.lessons.authoring.kinds.base import (
    ANSWER,
    FULL_CREDIT,
    NO_CREDIT,
    Entry,
    PropertySpec,
    QuestionKind,
    QuestionSource,
)
from learning.lessons.authoring.limits import MAX_ANSWER, MAX_ANSWERS
from learning.lessons.authoring.messages import N_, _
from learning.lessons.authoring.model import Problem
from learning.lessons.authoring.text import comparable, parse_yes_no

IGNORE_DIACRITICS = PropertySpec("ignore_diacritics", ("Bỏ qua dấu", "ignore diacritics"))


class ShortText(QuestionKind):
    code = "short_text"
    template = "short_text"
    label = "Trả lời ngắn"
    english = N_("Short answer")
    aliases = ("trả lời ngắn", "short text", "short answer")
    properties = (ANSWER, IGNORE_DIACRITICS)
    repeatable = frozenset({ANSWER.name})
    answer_chars = MAX_ANSWER  # the member's answer box takes as much as an accepted answer may hold

    def build(self, source: QuestionSource) -> tuple[dict[str, Any], list[Problem]]:
        entries = source.extras.get(ANSWER.name, [])
        answers = [entry.value for entry in entries]
        problems = []
        if not answers:
            problems.append(Problem(source.line, "question.answer_missing", _(
                "Add at least one accepted answer: a line ‘- Đáp án: …’ for each")))
        elif len(answers) > MAX_ANSWERS:
            problems.append(Problem(source.line, "question.answer_count", _(
                "This question lists %(count)s accepted answers; keep at most %(max)s",
                count=len(answers), max=MAX_ANSWERS)))
        problems += [Problem(entry.line, "question.answer_length", _(
            "This accepted answer is %(length)s characters long, but the answer box takes at most %(max)s",
            length=len(entry.value), max=MAX_ANSWER)) for entry in entries if len(entry.value) > MAX_ANSWER]
        ignore_diacritics, problem = _yes_no(source.first(IGNORE_DIACRITICS))
        problems += problem
        return {"answers": answers, "ignore_diacritics": ignore_diacritics}, problems

    def model_values(self, data: Mapping[str, Any]) -> list[str]:
        return [data["answers"][0]]

    def grade(self, data: Mapping[str, Any], response: Any) -> Fraction:
        """`response` is the member's text. Case, spacing and the Unicode form
        never matter; diacritics only matter unless the question ignores them."""
        if not isinstance(response, str):
            return NO_CREDIT
        fold = data["ignore_diacritics"]
        given = comparable(response, ignore_diacritics=fold)
        accepted = {comparable(answer, ignore_diacritics=fold) for answer in data["answers"]}
        return FULL_CREDIT if given in accepted else NO_CREDIT


def _yes_no(entry: Entry | None) -> tuple[bool, list[Problem]]:
    if entry is None:
        return False, []
    value = parse_yes_no(entry.value)
    if value is None:
        return False, [Problem(entry.line, "question.value", _(
            "‘%(key)s: %(value)s’: write có or không", key=entry.key, value=entry.value))]
    return value, []
