"""What every question kind is made of: the kind's interface, and what a
front end hands a kind to build a question from.

A kind knows how an author names it, what its source may contain (choices,
extra properties), how that source becomes the JSON `data` stored with the
question, how to grade a response against that data, how to read a response
from a submitted form, and why a response cannot be submitted yet. Grading is
pure: `grade(data, response)` returns the fraction of the points earned, in
[0, 1], or None when a person must grade (a reflection).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from learning.lessons.authoring.limits import MAX_TEXT_ANSWER
from learning.lessons.authoring.model import Problem

FULL_CREDIT = Fraction(1)
NO_CREDIT = Fraction(0)


@dataclass(frozen=True)
class PropertySpec:
    """A `Key: value` property (of a lesson, a quiz or a question). The first
    key is the Vietnamese one, shown in messages; the others are accepted
    aliases. `hint` (an English msgid, translated where shown) says what to
    write when the value is missing or still a placeholder."""

    name: str
    keys: tuple[str, ...]
    hint: str = ""

    @property
    def label(self) -> str:
        return self.keys[0]


# A property more than one kind takes: a name always means the same keys.
ANSWER = PropertySpec("answer", ("Đáp án", "answer"))


@dataclass(frozen=True)
class Entry:
    """One `Key: value` item, as written, and its line in the source."""

    line: int
    key: str
    value: str


@dataclass(frozen=True)
class ChoiceEntry:
    """One `[ ] text` / `[x] text` item of a question."""

    line: int
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionSource:
    """What a front end collected for one question, for its kind to check."""

    line: int  # the question's heading
    extras: Mapping[str, list[Entry]] = field(default_factory=dict)  # by PropertySpec.name
    choices: list[ChoiceEntry] = field(default_factory=list)

    def first(self, spec: PropertySpec) -> Entry | None:
        entries = self.extras.get(spec.name)
        return entries[0] if entries else None


class QuestionKind:
    """One kind of question. Subclass it in a module of this package and list
    an instance in KINDS (kinds/__init__.py); the registry is checked at import."""

    code: ClassVar[str]  # stored in QuestionDraft.kind
    label: ClassVar[str]  # Vietnamese name, shown in messages
    english: ClassVar[str]  # the display name's msgid, translated where it is shown
    aliases: ClassVar[tuple[str, ...]]  # how authors may write it after `Loại:`
    default_points: ClassVar[int] = 1
    takes_choices: ClassVar[bool] = False
    properties: ClassVar[tuple[PropertySpec, ...]] = ()
    repeatable: ClassVar[frozenset[str]] = frozenset()  # property names allowed more than once
    # Templates templates/study/quiz/answer/<template>.html, study/quiz/review/<template>.html and
    # lessons/preview/<template>.html show the question: adding a kind adds those three.
    template: ClassVar[str]
    auto_graded: ClassVar[bool] = True  # False: a reviewer grades it (and the lesson waits for a response)
    many_answers: ClassVar[bool] = False  # the member may pick several (checkboxes, not radios)

    def build(self, source: QuestionSource) -> tuple[dict[str, Any], list[Problem]]:
        """The question's `data`, and what is wrong with the source."""
        raise NotImplementedError

    def grade(self, data: Mapping[str, Any], response: Any) -> Fraction | None:
        raise NotImplementedError

    def read_response(self, data: Mapping[str, Any], values: list[str]) -> Any:
        """The response a member gave, from the submitted form values (or the
        phone's saved ones), in the shape `grade` takes; None when unanswered
        or when the values do not belong to this question."""
        text = (values[0] if values else "").strip()
        return text[:MAX_TEXT_ANSWER] or None

    def response_text(self, data: Mapping[str, Any], response: Any) -> str:
        """A stored response as a reviewer reads it (plain text; "" when
        unanswered). Text kinds give the text itself."""
        return response if isinstance(response, str) else ""
    def model_values(self, data: Mapping[str, Any]) -> list[str]:
        """Form values that answer the question rightly (demo data, benchmarks);
        [] when no answer is right or wrong (a reflection)."""
        return []

    def submission_problem(self, data: Mapping[str, Any], response: Any) -> str | None:
        """Why this response cannot be submitted yet (a reflection outside its
        word limits), or None. Time running out submits it anyway."""
        return None
