"""Question kinds: one class each, registered in KINDS.

A kind knows how an author names it, what its source may contain (choices,
extra properties), how that source becomes the JSON `data` stored with the
question, and how to grade a response against that data. Adding a kind is
adding a class here and listing it in KINDS; nothing else branches on kinds.

Grading is pure: `grade(data, response)` returns the fraction of the points
earned, in [0, 1], or None when a person must grade (a reflection).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from learning.lessons.authoring.messages import N_, _
from learning.lessons.authoring.model import Problem
from learning.lessons.authoring.render import render_inline
from learning.lessons.authoring.text import comparable, norm_keyword, parse_whole_number, parse_yes_no, word_count

FULL_CREDIT = Fraction(1)
NO_CREDIT = Fraction(0)
MIN_CHOICES, MAX_CHOICES = 2, 10
CHOICE_KEYS = "abcdefghij"  # one per allowed choice, in the author's order
MAX_MIN_WORDS, MAX_MAX_WORDS = 5000, 10000
MAX_TEXT_ANSWER = 100_000  # characters kept of a typed answer (a long reflection fits)


@dataclass(frozen=True)
class PropertySpec:
    """A kind-specific question property. The first key is the Vietnamese one,
    shown in messages; the others are accepted aliases."""

    name: str
    keys: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.keys[0]


ANSWER = PropertySpec("answer", ("Đáp án", "answer"))
IGNORE_DIACRITICS = PropertySpec("ignore_diacritics", ("Bỏ qua dấu", "ignore diacritics"))
MIN_WORDS = PropertySpec("min_words", ("Số từ tối thiểu", "min words"))
MAX_WORDS = PropertySpec("max_words", ("Số từ tối đa", "max words"))


@dataclass(frozen=True)
class Entry:
    """One `Key: value` item of a question, as written."""

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
    """What the parser collected for one question, for its kind to check."""

    line: int  # the question's heading
    extras: Mapping[str, list[Entry]] = field(default_factory=dict)  # by PropertySpec.name
    choices: list[ChoiceEntry] = field(default_factory=list)

    def first(self, spec: PropertySpec) -> Entry | None:
        entries = self.extras.get(spec.name)
        return entries[0] if entries else None


class QuestionKind:
    code: ClassVar[str]  # stored in QuestionDraft.kind
    label: ClassVar[str]  # Vietnamese name, shown in messages
    english: ClassVar[str]  # the display name's msgid, translated where it is shown
    aliases: ClassVar[tuple[str, ...]]  # how authors may write it after `Loại:`
    default_points: ClassVar[int] = 1
    takes_choices: ClassVar[bool] = False
    properties: ClassVar[tuple[PropertySpec, ...]] = ()
    repeatable: ClassVar[frozenset[str]] = frozenset()  # property names allowed more than once
    # Templates templates/quiz/answer/<template>.html, quiz/review/<template>.html and
    # edit/preview/<template>.html show the question: adding a kind adds those three.
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

    def submission_problem(self, data: Mapping[str, Any], response: Any) -> str | None:
        """Why this response cannot be submitted yet (a reflection outside its
        word limits), or None. Time running out submits it anyway."""
        return None


# -- choices -------------------------------------------------------------------

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

    def read_response(self, data: Mapping[str, Any], values: list[str]) -> list[str] | None:
        return self._valid_keys(data, values) or None


def _as_keys(response: Any) -> Iterable[str]:
    if response is None:
        return ()
    return (response,) if isinstance(response, str) else response


# -- true / false --------------------------------------------------------------

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

    def read_response(self, data: Mapping[str, Any], values: list[str]) -> bool | None:
        return {"true": True, "false": False}.get(values[0] if values else "")


# -- short text ----------------------------------------------------------------

class ShortText(QuestionKind):
    code = "short_text"
    template = "short_text"
    label = "Trả lời ngắn"
    english = N_("Short answer")
    aliases = ("trả lời ngắn", "short text", "short answer")
    properties = (ANSWER, IGNORE_DIACRITICS)
    repeatable = frozenset({ANSWER.name})

    def build(self, source: QuestionSource) -> tuple[dict[str, Any], list[Problem]]:
        answers = [entry.value for entry in source.extras.get(ANSWER.name, [])]
        problems = []
        if not answers:
            problems.append(Problem(source.line, "question.answer_missing", _(
                "Add at least one accepted answer: a line ‘- Đáp án: …’ for each")))
        ignore_diacritics, problem = _yes_no(source.first(IGNORE_DIACRITICS))
        problems += problem
        return {"answers": answers, "ignore_diacritics": ignore_diacritics}, problems

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


# -- reflection ----------------------------------------------------------------

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


# -- the registry --------------------------------------------------------------

KINDS: dict[str, QuestionKind] = {kind.code: kind for kind in (
    SingleChoice(), MultipleChoice(), TrueFalse(), ShortText(), Reflection(),
)}

_BY_KEYWORD: dict[str, QuestionKind] = {
    norm_keyword(alias): kind for kind in KINDS.values() for alias in (*kind.aliases, kind.code)
}

# Every kind-specific property, so the parser can tell "not for this kind"
# from "unknown"; a name always means the same keys whichever kind uses it.
EXTRA_PROPERTIES: dict[str, PropertySpec] = {
    spec.name: spec for kind in KINDS.values() for spec in kind.properties
}


def kind_for(keyword: str) -> QuestionKind | None:
    """The kind an author wrote after `Loại:`, e.g. `Một lựa chọn`, `đúng/sai`."""
    return _BY_KEYWORD.get(norm_keyword(keyword))


def kind_labels() -> str:
    """The kinds as an author writes them, for messages: `Một lựa chọn, ...`."""
    return ", ".join(kind.label for kind in KINDS.values())
