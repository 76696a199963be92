"""One question of the quiz: its lines sorted into prompt, items and
explanation, then its kind, common properties and choices read, and its
kind's own data built (authoring.kinds). See docs/lesson-format.md."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from learning.lessons.authoring import values
from learning.lessons.authoring.kinds import (
    EXTRA_PROPERTIES,
    ChoiceEntry,
    Entry,
    QuestionKind,
    QuestionSource,
    kind_for,
    kind_labels,
)
from learning.lessons.authoring.limits import POINTS_RANGE
from learning.lessons.authoring.markdown.lines import (
    Item,
    Line,
    markdown_of,
    without_blank_edges,
)
from learning.lessons.authoring.markdown.report import Report
from learning.lessons.authoring.messages import _
from learning.lessons.authoring.model import QuestionDraft
from learning.lessons.authoring.render import (
    html_to_text,
    render_inline,
    render_markdown,
)
from learning.lessons.authoring.text import norm, norm_keyword
from learning.lessons.authoring.vocabulary import (
    COMMON_PROPERTIES,
    POINTS,
    QUESTION_ID,
    QUESTION_ID_PATTERN,
    QUESTION_KIND,
    QUESTION_PROPERTIES,
    SECTION,
    by_keyword,
    is_placeholder,
)

_CHOICE = re.compile(r"\[([ xX]?)\](?:[ \t]+(.*))?")
_NUMBERING = re.compile(
    r"^(?:(?:câu(?: hỏi)?|cau(?: hoi)?|question)[ \t]*[0-9]+[ \t]*[.:)]|[0-9]+[.)])(?:[ \t]+|$)", re.I)
_EXPLANATION_LABEL = re.compile(
    r"(?:\*\*|__)?(?:giải thích|giai thich|explanation)(?:[ \t]*:[ \t]*(?:\*\*|__)?|(?:\*\*|__)[ \t]*:)[ \t]*", re.I)

_QUESTION_BY_KEY = by_keyword(QUESTION_PROPERTIES)
_KIND_KEYS = frozenset(norm_keyword(key) for key in QUESTION_KIND.keys)


@dataclass
class QuestionLines:
    """A question's lines, split into its parts (see docs/lesson-format.md)."""

    heading: Line
    title: str  # the heading's text, numbering included
    prompt: list[Line] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    explanation_line: int | None = None
    stray: Line | None = None  # the first line that fits no part


def split_question(lines: list[Line], start: int, end: int) -> QuestionLines:
    """Sort a question's lines into prompt, items and explanation, in that order."""
    heading = lines[start]
    question = QuestionLines(heading, title=(heading.heading() or (3, ""))[1])
    part, after_blank = "prompt", False
    for line in lines[start + 1:end]:
        item, quote = line.item(), line.quote()
        if line.heading():
            continue  # reported by question_starts
        if line.blank:
            if part == "prompt":
                question.prompt.append(line)
            elif part == "explanation":
                question.explanation.append("")
        elif item is not None and part == "explanation":
            question.stray = question.stray or line  # the list must come before the explanation
        elif item is not None:
            part = "items"
            question.items.append(Item(line.number, item))
        elif quote is not None and part == "prompt" and _EXPLANATION_LABEL.match(quote):
            # An explanation above the list would be shown with the question, giving the answer away.
            question.stray = question.stray or line
        elif quote is not None and part == "prompt":
            question.prompt.append(line)  # a quotation the question is about
        elif quote is not None:
            part = "explanation"
            question.explanation_line = question.explanation_line or line.number
            question.explanation.append(quote)
        elif part == "prompt":
            question.prompt.append(line)
        elif part == "items" and (line.indented or not after_blank):
            question.items[-1].continue_with(line)
        elif part == "explanation" and not after_blank:
            question.explanation.append(line.text.strip())  # a lazy continuation of the quote
        else:
            question.stray = question.stray or line
        after_blank = line.blank
    return question


class QuestionReader:
    """Reads the quiz's questions into drafts, reporting into the parser's Report."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def question(self, source: QuestionLines, anchors: dict[str, str], ids: dict[str, int]) -> QuestionDraft | None:
        heading = source.heading
        prompt = _NUMBERING.sub("", source.title, count=1).strip()
        self.question_placeholders(source, prompt)
        if not prompt:
            self.report.problem(heading.number, "question.prompt", _(
                "‘%(text)s’ has no question text: write the question after the number", text=heading.text.strip()))
        if source.stray is not None:
            self.report.problem(source.stray.number, "question.text", _(
                "‘%(text)s’ is out of place: a question is its text, then the ‘- …’ list, then the "
                "explanation ‘> …’", text=source.stray.text.strip()))
        choices, items = self.choices(source.items)
        kind, common, extras = self.properties(heading.number, items)
        key = self.question_id(heading.number, common.get(QUESTION_ID.name), ids)
        points = self.points(common.get(POINTS.name), kind)
        section = self.section(common.get(SECTION.name), anchors)
        if kind is not None and choices and not kind.takes_choices:
            self.report.problem(choices[0].line, "question.choices_not_allowed", _(
                "A ‘%(kind)s’ question has no choices: remove the ‘[ ]’/‘[x]’ lines or change ‘Loại’",
                kind=kind.label))
        if kind is None:
            return None
        data, problems = kind.build(QuestionSource(heading.number, extras, choices))
        self.report.problems += problems
        if self.report.problems:
            return None  # the draft is dropped anyway; skip rendering
        prompt_inline = render_inline(prompt)
        return QuestionDraft(
            key=key, kind=kind.code, prompt=html_to_text(prompt_inline).strip(),
            prompt_html=_prompt_html(prompt_inline, source.prompt),
            points=points, explanation_html=_explanation_html(source.explanation), section=section,
            data=data, line=heading.number,
        )

    def question_placeholders(self, source: QuestionLines, prompt: str) -> None:
        if is_placeholder(prompt):
            self.report.placeholder(source.heading.number, "question.placeholder", _(
                "Write the question in place of ‘…’"))
        for line in source.prompt:
            if not line.in_code and is_placeholder(line.text):
                self.report.placeholder(line.number, "question.placeholder", _(
                    "Write the question in place of ‘…’"))
        explanation = _EXPLANATION_LABEL.sub("", "\n".join(source.explanation).strip(), count=1)
        if source.explanation_line is not None and is_placeholder(explanation):
            self.report.placeholder(source.explanation_line, "question.placeholder", _(
                "Write the explanation of the answer in place of ‘…’, or remove this line"))

    def choices(self, items: list[Item]) -> tuple[list[ChoiceEntry], list[Item]]:
        """The `[ ]`/`[x]` items as choices, and the `Key: value` items."""
        choices, properties = [], []
        for item in items:
            match = _CHOICE.fullmatch(item.text)
            if match is None and item.entry() is None:
                self.report.problem(item.line, "question.item_format", _(
                    "‘%(text)s’ is neither a choice ‘[ ] …’ / ‘[x] …’ nor a property ‘Key: value’",
                    text=item.text))
            elif match is None:
                properties.append(item)
            elif not (match[2] or "").strip():
                self.report.problem(item.line, "question.choice_empty", _(
                    "This choice has no text: write it after ‘%(box)s’", box=f"[{match[1]}]"))
            else:
                if is_placeholder(match[2]):
                    self.report.placeholder(item.line, "question.placeholder", _("Write this choice in place of ‘…’"))
                choices.append(ChoiceEntry(item.line, match[2].strip(), correct=match[1] in ("x", "X")))
        return choices, properties

    def properties(
        self, line: int, items: list[Item],
    ) -> tuple[QuestionKind | None, dict[str, Entry], dict[str, list[Entry]]]:
        """The kind, the properties every kind has, and the kind's own ones."""
        kind_entry = next((entry for entry in (item.entry() for item in items)
                           if entry and norm_keyword(entry.key) in _KIND_KEYS), None)
        kind = kind_for(kind_entry.value) if kind_entry else None
        accepted = {spec.name for spec in kind.properties} if kind else set(EXTRA_PROPERTIES)
        # Whether an extra may repeat depends on the kind; without one, do not judge.
        found = self.report.entries(items, _QUESTION_BY_KEY, "question",
                             repeatable=lambda name: name in (kind.repeatable if kind else EXTRA_PROPERTIES))
        if kind_entry is None:
            self.report.problem(line, "question.kind_missing", _(
                "Add the question type: a line ‘- Loại: …’ with one of %(kinds)s", kinds=kind_labels()))
        elif kind is None and kind_entry.value:  # an empty value is reported as question.empty
            self.report.problem(kind_entry.line, "question.kind_unknown", _(
                "‘%(key)s: %(value)s’ is not a question type; write one of %(kinds)s",
                key=kind_entry.key, value=kind_entry.value, kinds=kind_labels()))
        for name in found.keys() - COMMON_PROPERTIES - accepted:
            for entry in found[name]:
                self.report.problem(entry.line, "question.property_not_allowed", _(
                    "‘%(key)s’ does not apply to a ‘%(kind)s’ question; remove this line",
                    key=entry.key, kind=kind.label))
        common = {name: found[name][0] for name in COMMON_PROPERTIES & found.keys()}
        extras = {name: entries for name, entries in found.items() if name in accepted}
        return kind, common, extras

    def question_id(self, line: int, entry: Entry | None, ids: dict[str, int]) -> str | None:
        if entry is None:
            self.report.problem(line, "question.id_missing", _(
                "Add the question's id: a line ‘- Mã: …’ with lower-case letters, digits and hyphens, "
                "e.g. muc-tieu-2030"))
            return None
        if not QUESTION_ID_PATTERN.fullmatch(entry.value):
            self.report.problem(entry.line, "question.id_format", _(
                "‘%(key)s: %(value)s’: use 1 to 40 lower-case letters, digits and hyphens, e.g. muc-tieu-2030",
                key=entry.key, value=entry.value))
        elif entry.value in ids:
            self.report.problem(entry.line, "question.duplicate_id", _(
                "Question id ‘%(value)s’ is already used by the question on line %(line)s; ids must be unique",
                value=entry.value, line=ids[entry.value]))
        else:
            ids[entry.value] = line
        return entry.value

    def points(self, entry: Entry | None, kind: QuestionKind | None) -> int | None:
        if entry is None:
            return kind.default_points if kind else None
        return values.read(entry, lambda found: values.whole_number(found, *POINTS_RANGE, "question"), self.report.problem)

    def section(self, entry: Entry | None, anchors: dict[str, str]) -> str | None:
        if entry is None:
            return None
        anchor = anchors.get(norm(entry.value))
        if anchor is None:
            self.report.problem(entry.line, "question.unknown_section", _(
                "‘%(key)s: %(value)s’ matches no heading of the lesson text; copy the text of a ‘##’ heading",
                key=entry.key, value=entry.value))
        return anchor


def _prompt_html(heading_html: str, more: list[Line]) -> str:
    """The heading's inline HTML as a paragraph, then the extra prompt paragraphs."""
    extra = without_blank_edges(more)
    extra_html = render_markdown(markdown_of(extra))[0] if extra else ""
    return f"<p>{heading_html}</p>{extra_html}"


def _explanation_html(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    return render_markdown(_EXPLANATION_LABEL.sub("", text, count=1))[0] if text else ""
