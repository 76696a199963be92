"""Lesson source in Markdown → LessonDraft, as docs/lesson-format.md describes.

A line scanner, not a Markdown AST: every problem must name a line of the
file, and the structure (title, metadata, quiz) is line-shaped anyway.
Markdown proper (body, prompts, explanations) is left to render.py; values
are read by values.py, questions built by their kinds.
The parser never stops at the first problem: an editor fixes them all at once.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from learning.lessons.authoring import values
from learning.lessons.authoring.kinds import (
    EXTRA_PROPERTIES,
    ChoiceEntry,
    Entry,
    PropertySpec,
    QuestionKind,
    QuestionSource,
    kind_for,
    kind_labels,
)
from learning.lessons.authoring.limits import MAX_QUESTIONS, MAX_TITLE, POINTS_RANGE
from learning.lessons.authoring.markdown.lines import (
    Item,
    Line,
    markdown_of,
    text_lines,
    underlines_level_1,
    without_blank_edges,
)
from learning.lessons.authoring.messages import _
from learning.lessons.authoring.model import (
    LessonDraft,
    ParseResult,
    Problem,
    QuestionDraft,
    QuizSettings,
    Section,
)
from learning.lessons.authoring.render import (
    html_to_text,
    render_inline,
    render_markdown,
)
from learning.lessons.authoring.source import read_source
from learning.lessons.authoring.text import norm, norm_keyword
from learning.lessons.authoring.vocabulary import (
    COMMON_PROPERTIES,
    META,
    OPTIONAL_META,
    POINTS,
    QUESTION_ID,
    QUESTION_ID_PATTERN,
    QUESTION_KIND,
    QUESTION_PROPERTIES,
    REQUIRED_META_EXAMPLES,
    SECTION,
    SETTINGS,
    by_keyword,
    is_placeholder,
)

QUIZ_HEADINGS = frozenset({"cau hoi kiem tra", "quiz"})

_CHOICE = re.compile(r"\[([ xX]?)\](?:[ \t]+(.*))?")
_NUMBERING = re.compile(
    r"^(?:(?:câu(?: hỏi)?|cau(?: hoi)?|question)[ \t]*[0-9]+[ \t]*[.:)]|[0-9]+[.)])(?:[ \t]+|$)", re.I)
_EXPLANATION_LABEL = re.compile(
    r"(?:\*\*|__)?(?:giải thích|giai thich|explanation)(?:[ \t]*:[ \t]*(?:\*\*|__)?|(?:\*\*|__)[ \t]*:)[ \t]*", re.I)

_META_BY_KEY = by_keyword(META)
_SETTINGS_BY_KEY = by_keyword(SETTINGS)
_QUESTION_BY_KEY = by_keyword(QUESTION_PROPERTIES)
_KIND_KEYS = frozenset(norm_keyword(key) for key in QUESTION_KIND.keys)


def parse_lesson(source: bytes | str, *, filename: str | None = None, today: date) -> ParseResult:
    """Read a lesson source (docs/lesson-format.md). `today` bounds the issue
    date; `filename` gives the default lesson id (slug)."""
    text, unreadable = read_source(source)
    if unreadable is not None:
        return ParseResult(None, [unreadable])
    lines, unclosed_fence = text_lines(text)
    parser = _LessonParser(lines, filename, today)
    if unclosed_fence is not None:
        parser.problem(unclosed_fence, "fence.unclosed", _(
            "This code block is never closed: add a line with the same fence (e.g. ```) after it"))
    draft = parser.parse()
    problems = sorted(parser.reported(), key=lambda problem: problem.line)
    return ParseResult(draft if not problems else None, problems)


@dataclass
class _Question:
    """A question's lines, split into its parts (see docs/lesson-format.md)."""

    heading: Line
    title: str  # the heading's text, numbering included
    prompt: list[Line] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    explanation_line: int | None = None
    stray: Line | None = None  # the first line that fits no part


class _LessonParser:
    def __init__(self, lines: list[Line], filename: str | None, today: date):
        self.lines = lines
        self.filename = filename
        self.today = today
        self.problems: list[Problem] = []
        self.placeholder_lines: set[int] = set()

    # -- helpers --

    def problem(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(line, code, message))

    def placeholder(self, line: int, code: str, message: str) -> None:
        """A ‘…’ still to fill: the one problem of its line (what else is
        wrong there, e.g. two ‘…’ choices alike, is not news)."""
        self.placeholder_lines.add(line)
        self.problem(line, code, message)

    def reported(self) -> list[Problem]:
        return [problem for problem in self.problems
                if problem.line not in self.placeholder_lines or problem.code.endswith(".placeholder")]

    def next_nonblank(self, start: int) -> int:
        while start < len(self.lines) and self.lines[start].blank:
            start += 1
        return start

    def starts_list(self, index: int) -> bool:
        """Whether lines[index] is a list item. A title written without ‘#’ is
        still taken as the title line, so the metadata under it is read."""
        return index < len(self.lines) and self.lines[index].item() is not None

    def line_number(self, index: int) -> int:
        """The file line of lines[index], or of the last line past the end."""
        return self.lines[min(index, len(self.lines) - 1)].number

    def entries(self, items: list[Item], keys: dict[str, PropertySpec], area: str,
                repeatable: Callable[[str], bool] = lambda _name: False,
                optional: frozenset[str] = frozenset(), given: set[str] | None = None) -> dict[str, list[Entry]]:
        """`Key: value` items by field name. Malformed, unknown, empty,
        placeholder and repeated items are reported and left out; an empty
        `optional` item is as if absent. `given` collects the names written,
        with a value or not."""
        found: dict[str, list[Entry]] = {}
        for item in items:
            entry = item.entry()
            spec = keys.get(norm_keyword(entry.key)) if entry else None
            if spec is not None and given is not None:
                given.add(spec.name)
            if entry is None:
                self.problem(item.line, f"{area}.item_format", _(
                    "‘%(text)s’ is not a ‘Key: value’ item; write it like ‘- %(example)s’",
                    text=item.text, example=_example_item(keys)))
            elif spec is None:
                self.problem(entry.line, f"{area}.unknown_key", _(
                    "Unknown item ‘%(key)s’; the items here are: %(keys)s",
                    key=entry.key, keys=_key_list(keys)))
            elif not entry.value and spec.name in optional:
                continue
            elif not entry.value:
                if spec.hint:
                    message = _("‘%(key)s’ has no value: %(hint)s", key=entry.key, hint=_(spec.hint))
                else:
                    message = _("‘%(key)s’ has no value: write it after the colon", key=entry.key)
                self.problem(entry.line, f"{area}.empty", message)
            elif is_placeholder(entry.value):
                if spec.hint:
                    message = _("‘%(key)s’ is still ‘…’: %(hint)s", key=entry.key, hint=_(spec.hint))
                else:
                    message = _("‘%(key)s’ is still ‘…’: write its value in place of ‘…’", key=entry.key)
                self.placeholder(entry.line, f"{area}.placeholder", message)
            elif spec.name in found and not repeatable(spec.name):
                self.problem(entry.line, f"{area}.duplicate", _(
                    "‘%(key)s’ is already given on line %(line)s; keep only one",
                    key=entry.key, line=found[spec.name][0].line))
            else:
                found.setdefault(spec.name, []).append(entry)
        return found

    # -- the whole file --

    def parse(self) -> LessonDraft | None:
        title_index = self.next_nonblank(0)
        title = self.title(title_index)
        meta_start = self.next_nonblank(title_index + (0 if self.starts_list(title_index) else 1))
        meta_items, body_start = self.list_block(meta_start)
        meta = self.metadata(meta_items, meta_start, body_start)
        self.check_level_1_headings(title_index)
        quiz_index = self.quiz_heading(body_start)
        body_markdown, body_html, sections = self.body(body_start, quiz_index)
        settings, questions = self.quiz(quiz_index, sections) if quiz_index is not None else (None, [])
        if self.problems:
            return None
        return LessonDraft(
            title=title, body_markdown=body_markdown, body_html=body_html, sections=sections,
            settings=settings, questions=questions, **meta,
        )

    def title(self, index: int) -> str | None:
        heading = self.lines[index].heading() if index < len(self.lines) else None
        if heading is None or heading[0] != 1:
            self.problem(self.line_number(index), "title.missing", _(
                "The file must start with the lesson title on a line ‘# Title’"))
            return None
        title = _plain_text(heading[1])
        if is_placeholder(title):
            self.placeholder(self.line_number(index), "title.placeholder", _(
                "Write the lesson title in place of ‘…’: what the document is about, "
                "e.g. Đột phá phát triển khoa học, công nghệ"))
        elif not title:
            self.problem(self.line_number(index), "title.missing", _(
                "The title line ‘#’ is empty: write the lesson title after ‘# ’"))
        elif len(title) > MAX_TITLE:
            self.problem(self.line_number(index), "title.length", _(
                "The title is %(length)s characters long; keep it to %(max)s", length=len(title), max=MAX_TITLE))
        return title

    def list_block(self, start: int) -> tuple[list[Item], int]:
        """The bullet list starting at lines[start], up to the first blank line
        (or a heading or fence); and the index just after it."""
        items: list[Item] = []
        index = start
        while index < len(self.lines):
            line = self.lines[index]
            if line.blank or line.in_code or line.heading():
                break
            text = line.item()
            if text is not None:
                items.append(Item(line.number, text))
            elif items:
                items[-1].continue_with(line)  # indented or lazy continuation, as Markdown reads it
            else:
                break
            index += 1
        return items, index

    def check_level_1_headings(self, title_index: int) -> None:
        after_title = self.lines[title_index + 1:]
        for previous, line in zip([None, *after_title], after_title):
            heading = line.heading()
            if (heading and heading[0] == 1) or underlines_level_1(previous, line):
                self.problem(line.number, "heading.level1", _(
                    "Only the title may be a level-1 heading; write this one with ‘##’"))

    # -- metadata --

    def metadata(self, items: list[Item], list_index: int, end: int) -> dict:
        given: set[str] = set()
        entries = self.entries(items, _META_BY_KEY, "meta", optional=OPTIONAL_META, given=given)
        given |= self.items_cut_off(end, given)
        list_line = self.line_number(list_index)
        for name, example in REQUIRED_META_EXAMPLES.items():
            if name not in given:
                key = META[name].label
                self.problem(list_line, "meta.missing", _(
                    "Missing ‘%(key)s’: add a line ‘- %(key)s: %(example)s’ to the list under the title",
                    key=key, example=example))
        first = {name: found[0] for name, found in entries.items()}
        return values.lesson_fields(first, filename=self.filename, today=self.today, line=list_line,
                                    report=self.problem)

    def items_cut_off(self, end: int, given: set[str]) -> set[str]:
        """A blank line ends a Markdown list: when the list under the title is
        followed, past a blank line, by more items naming lesson information
        not given above, say so once, on that blank line, rather than report
        each of them missing. Returns the names of those items."""
        names: set[str] = set()
        index = end
        while index < len(self.lines) and self.lines[index].blank:
            block, after = self.list_block(self.next_nonblank(index))
            specs = [_META_BY_KEY.get(norm_keyword(entry.key)) if entry else None
                     for entry in (item.entry() for item in block)]
            if not block or None in specs:
                break  # not a list, or not only lesson information: the lesson text
            names |= {spec.name for spec in specs}
            index = after
        if names - given:
            self.problem(self.lines[end].number, "meta.blank_line", _(
                "This blank line ends the list under the title, so the items below it (%(keys)s) were not "
                "read: remove the blank line", keys=", ".join(META[name].label for name in META if name in names)))
            return names
        return set()

    # -- body --

    def quiz_heading(self, start: int) -> int | None:
        found = [index for index in range(start, len(self.lines)) if _is_quiz_heading(self.lines[index])]
        for index in found[1:]:
            self.problem(self.lines[index].number, "quiz.duplicate", _(
                "A second ‘## Câu hỏi kiểm tra’ heading: a lesson has one quiz; remove this heading"))
        if not found:
            self.problem(self.line_number(len(self.lines)), "quiz.missing", _(
                "The quiz is missing: add a heading ‘## Câu hỏi kiểm tra’ after the lesson text, then the questions"))
            return None
        return found[0]

    def body(self, start: int, end: int | None) -> tuple[str, str, list[Section]]:
        lines = without_blank_edges(self.lines[start:end])
        if not lines:
            self.problem(self.line_number(start if end is None else end), "body.empty", _(
                "The lesson text is empty: write the summary between the list under the title "
                "and ‘## Câu hỏi kiểm tra’"))
            return "", "", []
        for line in lines:
            heading = line.heading()
            if heading and is_placeholder(heading[1]):
                self.placeholder(line.number, "body.placeholder", _("Write this heading in place of ‘…’"))
            elif not heading and not line.in_code and is_placeholder(line.text):
                self.placeholder(line.number, "body.placeholder", _("Write the lesson text here in place of ‘…’"))
        markdown_text = markdown_of(lines)
        body_html, sections = render_markdown(markdown_text)
        return markdown_text, body_html, sections

    # -- quiz --

    def quiz(self, quiz_index: int, sections: list[Section]) -> tuple[QuizSettings, list[QuestionDraft]]:
        starts = self.question_starts(quiz_index + 1)
        settings = self.settings(quiz_index + 1, starts[0] if starts else len(self.lines))
        if not starts:
            self.problem(self.lines[quiz_index].number, "quiz.empty", _(
                "The quiz has no question: add one heading ‘### Câu 1. …’ per question after this heading"))
        if len(starts) > MAX_QUESTIONS:
            # Reported once; the questions past the limit are not read.
            self.problem(self.lines[starts[MAX_QUESTIONS]].number, "quiz.too_many", _(
                "This is question %(n)s, but a quiz has at most %(max)s questions: "
                "move the rest to another lesson", n=MAX_QUESTIONS + 1, max=MAX_QUESTIONS))
        anchors: dict[str, str] = {}
        for section in sections:
            anchors.setdefault(norm(section.title), section.anchor)
        ids: dict[str, int] = {}
        questions = []
        for start, end in list(zip(starts, [*starts[1:], len(self.lines)]))[:MAX_QUESTIONS]:
            question = self.question(self.split_question(start, end), anchors, ids)
            if question is not None:
                questions.append(question)
        return settings, questions

    def question_starts(self, start: int) -> list[int]:
        """Indices of the ### headings; any other heading in the quiz is reported."""
        starts = []
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            heading = line.heading()
            if heading is None or heading[0] == 1 or _is_quiz_heading(line):
                continue  # not a heading, or already reported
            if heading[0] == 3:
                starts.append(index)
            else:
                self.problem(line.number, "quiz.heading", _(
                    "‘%(text)s’: in the quiz only questions have headings, written ‘### Câu 1. …’; "
                    "move this heading above ‘## Câu hỏi kiểm tra’", text=line.text.strip()))
        return starts

    def settings(self, start: int, end: int) -> QuizSettings:
        """The optional settings list; blank lines between its items are allowed."""
        items: list[Item] = []
        after_blank = False
        for line in self.lines[start:end]:
            text = line.item()
            if line.blank or line.heading():  # a stray heading is reported by question_starts
                after_blank = True
                continue
            if text is not None:
                items.append(Item(line.number, text))
            elif items and (line.indented or not after_blank):
                items[-1].continue_with(line)
            else:
                self.problem(line.number, "quiz.text", _(
                    "‘%(text)s’: between ‘## Câu hỏi kiểm tra’ and the first question only the settings list "
                    "‘- Key: value’ may appear", text=line.text.strip()))
            after_blank = False
        entries = self.entries(items, _SETTINGS_BY_KEY, "settings")
        return values.quiz_settings({name: found[0] for name, found in entries.items()}, self.problem)

    # -- questions --

    def split_question(self, start: int, end: int) -> _Question:
        """Sort a question's lines into prompt, items and explanation, in that order."""
        heading = self.lines[start]
        question = _Question(heading, title=(heading.heading() or (3, ""))[1])
        part, after_blank = "prompt", False
        for line in self.lines[start + 1:end]:
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

    def question(self, source: _Question, anchors: dict[str, str], ids: dict[str, int]) -> QuestionDraft | None:
        heading = source.heading
        prompt = _NUMBERING.sub("", source.title, count=1).strip()
        self.question_placeholders(source, prompt)
        if not prompt:
            self.problem(heading.number, "question.prompt", _(
                "‘%(text)s’ has no question text: write the question after the number", text=heading.text.strip()))
        if source.stray is not None:
            self.problem(source.stray.number, "question.text", _(
                "‘%(text)s’ is out of place: a question is its text, then the ‘- …’ list, then the "
                "explanation ‘> …’", text=source.stray.text.strip()))
        choices, items = self.choices(source.items)
        kind, common, extras = self.properties(heading.number, items)
        key = self.question_id(heading.number, common.get(QUESTION_ID.name), ids)
        points = self.points(common.get(POINTS.name), kind)
        section = self.section(common.get(SECTION.name), anchors)
        if kind is not None and choices and not kind.takes_choices:
            self.problem(choices[0].line, "question.choices_not_allowed", _(
                "A ‘%(kind)s’ question has no choices: remove the ‘[ ]’/‘[x]’ lines or change ‘Loại’",
                kind=kind.label))
        if kind is None:
            return None
        data, problems = kind.build(QuestionSource(heading.number, extras, choices))
        self.problems += problems
        if self.problems:
            return None  # the draft is dropped anyway; skip rendering
        prompt_inline = render_inline(prompt)
        return QuestionDraft(
            key=key, kind=kind.code, prompt=html_to_text(prompt_inline).strip(),
            prompt_html=_prompt_html(prompt_inline, source.prompt),
            points=points, explanation_html=_explanation_html(source.explanation), section=section,
            data=data, line=heading.number,
        )

    def question_placeholders(self, source: _Question, prompt: str) -> None:
        if is_placeholder(prompt):
            self.placeholder(source.heading.number, "question.placeholder", _(
                "Write the question in place of ‘…’"))
        for line in source.prompt:
            if not line.in_code and is_placeholder(line.text):
                self.placeholder(line.number, "question.placeholder", _(
                    "Write the question in place of ‘…’"))
        explanation = _EXPLANATION_LABEL.sub("", "\n".join(source.explanation).strip(), count=1)
        if source.explanation_line is not None and is_placeholder(explanation):
            self.placeholder(source.explanation_line, "question.placeholder", _(
                "Write the explanation of the answer in place of ‘…’, or remove this line"))

    def choices(self, items: list[Item]) -> tuple[list[ChoiceEntry], list[Item]]:
        """The `[ ]`/`[x]` items as choices, and the `Key: value` items."""
        choices, properties = [], []
        for item in items:
            match = _CHOICE.fullmatch(item.text)
            if match is None and item.entry() is None:
                self.problem(item.line, "question.item_format", _(
                    "‘%(text)s’ is neither a choice ‘[ ] …’ / ‘[x] …’ nor a property ‘Key: value’",
                    text=item.text))
            elif match is None:
                properties.append(item)
            elif not (match[2] or "").strip():
                self.problem(item.line, "question.choice_empty", _(
                    "This choice has no text: write it after ‘%(box)s’", box=f"[{match[1]}]"))
            else:
                if is_placeholder(match[2]):
                    self.placeholder(item.line, "question.placeholder", _("Write this choice in place of ‘…’"))
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
        found = self.entries(items, _QUESTION_BY_KEY, "question",
                             repeatable=lambda name: name in (kind.repeatable if kind else EXTRA_PROPERTIES))
        if kind_entry is None:
            self.problem(line, "question.kind_missing", _(
                "Add the question type: a line ‘- Loại: …’ with one of %(kinds)s", kinds=kind_labels()))
        elif kind is None and kind_entry.value:  # an empty value is reported as question.empty
            self.problem(kind_entry.line, "question.kind_unknown", _(
                "‘%(key)s: %(value)s’ is not a question type; write one of %(kinds)s",
                key=kind_entry.key, value=kind_entry.value, kinds=kind_labels()))
        for name in found.keys() - COMMON_PROPERTIES - accepted:
            for entry in found[name]:
                self.problem(entry.line, "question.property_not_allowed", _(
                    "‘%(key)s’ does not apply to a ‘%(kind)s’ question; remove this line",
                    key=entry.key, kind=kind.label))
        common = {name: found[name][0] for name in COMMON_PROPERTIES & found.keys()}
        extras = {name: entries for name, entries in found.items() if name in accepted}
        return kind, common, extras

    def question_id(self, line: int, entry: Entry | None, ids: dict[str, int]) -> str | None:
        if entry is None:
            self.problem(line, "question.id_missing", _(
                "Add the question's id: a line ‘- Mã: …’ with lower-case letters, digits and hyphens, "
                "e.g. muc-tieu-2030"))
            return None
        if not QUESTION_ID_PATTERN.fullmatch(entry.value):
            self.problem(entry.line, "question.id_format", _(
                "‘%(key)s: %(value)s’: use 1 to 40 lower-case letters, digits and hyphens, e.g. muc-tieu-2030",
                key=entry.key, value=entry.value))
        elif entry.value in ids:
            self.problem(entry.line, "question.duplicate_id", _(
                "Question id ‘%(value)s’ is already used by the question on line %(line)s; ids must be unique",
                value=entry.value, line=ids[entry.value]))
        else:
            ids[entry.value] = line
        return entry.value

    def points(self, entry: Entry | None, kind: QuestionKind | None) -> int | None:
        if entry is None:
            return kind.default_points if kind else None
        return values.read(entry, lambda found: values.whole_number(found, *POINTS_RANGE, "question"), self.problem)

    def section(self, entry: Entry | None, anchors: dict[str, str]) -> str | None:
        if entry is None:
            return None
        anchor = anchors.get(norm(entry.value))
        if anchor is None:
            self.problem(entry.line, "question.unknown_section", _(
                "‘%(key)s: %(value)s’ matches no heading of the lesson text; copy the text of a ‘##’ heading",
                key=entry.key, value=entry.value))
        return anchor


def _is_quiz_heading(line: Line) -> bool:
    heading = line.heading()
    return heading is not None and heading[0] == 2 and norm_keyword(heading[1]) in QUIZ_HEADINGS


def _plain_text(markdown_text: str) -> str:
    """What a reader sees of a one-line Markdown text: `**Điều 1**` → `Điều 1`."""
    return html_to_text(render_inline(markdown_text)).strip()


def _example_item(keys: dict[str, PropertySpec]) -> str:
    return f"{next(iter(keys.values())).label}: …"


def _key_list(keys: dict[str, PropertySpec]) -> str:
    return ", ".join(dict.fromkeys(spec.label for spec in keys.values()))


def _prompt_html(heading_html: str, more: list[Line]) -> str:
    """The heading's inline HTML as a paragraph, then the extra prompt paragraphs."""
    extra = without_blank_edges(more)
    extra_html = render_markdown(markdown_of(extra))[0] if extra else ""
    return f"<p>{heading_html}</p>{extra_html}"


def _explanation_html(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    return render_markdown(_EXPLANATION_LABEL.sub("", text, count=1))[0] if text else ""
