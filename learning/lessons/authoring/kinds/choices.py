"""Single and multiple choice: `[ ]` / `[x]` items, keys a, b, c… in the author's order."""
from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from learning.lessons.authoring.kinds.base import (
    FULL_CREDIT,
    NO_CREDIT,
    ChoiceEntry,
    QuestionKind,
    QuestionSource,
)
from learning.lessons.authoring.limits import MAX_CHOICES, MIN_CHOICES
from learning.lessons.authoring.messages import N_, _
from learning.lessons.authoring.model import Problem
from learning.lessons.authoring.render import render_inline
from learning.lessons.authoring.text import comparable

CHOICE_KEYS = string.ascii_lowercase[:MAX_CHOICES]  # one per allowed choice, in the author's order


class _ChoiceKind(QuestionKind):
    takes_choices = True
    template = "choices"

    def build(self, source: QuestionSource) -> tuple[dict[str, Any], list[Problem]]:
        choices = source.choices
        problems = _choice_count_problems(source) + _duplicate_choice_problems(choices)
        correct = [choice for choice in choices if choice.correct]
        if choices and not correct:
            problems.append(Problem(source.line, "question.no_correct", _(
                "No choice is marked correct: write [x] before the right choice")))
        problems += self._correct_count_problems(correct)
        data = {"choices": [
            {"key": key, "text": choice.text, "html": render_inline(choice.text), "correct": choice.correct}
            for key, choice in zip(CHOICE_KEYS, choices)
        ]}
        return data, problems

    def _correct_count_problems(self, correct: list[ChoiceEntry]) -> list[Problem]:
        return []

    @staticmethod
    def _valid_keys(data: Mapping[str, Any], values: list[str]) -> list[str]:
        known = {choice["key"] for choice in data["choices"]}
        return sorted({value for value in values if value in known})

    def response_text(self, data: Mapping[str, Any], response: Any) -> str:
        """The chosen choices' texts, in the author's order, each after its letter."""
        chosen = set(_as_keys(response))
        return "; ".join(f"{choice['key']}. {choice['text']}" for choice in data["choices"] if choice["key"] in chosen)

    @staticmethod
    def correct_keys(data: Mapping[str, Any]) -> set[str]:
        return {choice["key"] for choice in data["choices"] if choice["correct"]}


def _choice_count_problems(source: QuestionSource) -> list[Problem]:
    count = len(source.choices)
    if MIN_CHOICES <= count <= MAX_CHOICES:
        return []
    return [Problem(source.line, "question.choice_count", _(
        "Write %(min)s to %(max)s choices ‘- [ ] …’, with ‘- [x] …’ for the right ones "
        "(this question has %(count)s)",
        count=count, min=MIN_CHOICES, max=MAX_CHOICES))]


def _duplicate_choice_problems(choices: list[ChoiceEntry]) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems = []
    for choice in choices:
        text = comparable(choice.text)
        if text in first_line:
            problems.append(Problem(choice.line, "question.duplicate_choice", _(
                "Choice ‘%(text)s’ repeats the choice on line %(line)s",
                text=choice.text, line=first_line[text])))
        else:
            first_line[text] = choice.line
    return problems


class SingleChoice(_ChoiceKind):
    code = "single"
    label = "Một lựa chọn"
    english = N_("Single choice")
    aliases = ("một lựa chọn", "single", "single choice")

    def _correct_count_problems(self, correct: list[ChoiceEntry]) -> list[Problem]:
        return [Problem(choice.line, "question.single_many_correct", _(
            "A ‘Một lựa chọn’ question has exactly one right choice, but ‘%(text)s’ is also marked [x]: "
            "change it to [ ], or write ‘Loại: Nhiều lựa chọn’",
            text=choice.text)) for choice in correct[1:]]

    def grade(self, data: Mapping[str, Any], response: Any) -> Fraction:
        """`response` is the key of the chosen choice ("a", "b"...), or None."""
        return FULL_CREDIT if response in self.correct_keys(data) else NO_CREDIT

    def model_values(self, data: Mapping[str, Any]) -> list[str]:
        return sorted(self.correct_keys(data))[:1]

    def read_response(self, data: Mapping[str, Any], values: list[str]) -> str | None:
        keys = self._valid_keys(data, values[:1])
        return keys[0] if keys else None


class MultipleChoice(_ChoiceKind):
    code = "multiple"
    label = "Nhiều lựa chọn"
    english = N_("Multiple choice")
    many_answers = True
    aliases = ("nhiều lựa chọn", "multiple", "multiple choice")

    def grade(self, data: Mapping[str, Any], response: Any) -> Fraction:
        """`response` is the set of chosen keys. All or nothing: full credit only
        for exactly the right set. Partial credit would reward ticking every
        box, and the paper quizzes members know are marked this way."""
        chosen = set(_as_keys(response))
        return FULL_CREDIT if chosen == self.correct_keys(data) else NO_CREDIT

    def model_values(self, data: Mapping[str, Any]) -> list[str]:
        return sorted(self.correct_keys(data))

    def read_response(self, data: Mapping[str, Any], values: list[str]) -> list[str] | None:
        return self._valid_keys(data, values) or None


def _as_keys(response: Any) -> Iterable[str]:
    if response is None:
        return ()
    return (response,) if isinstance(response, str) else response
