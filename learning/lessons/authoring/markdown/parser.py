"""Lesson source in Markdown → LessonDraft, as docs/lesson-format.md describes.

A line scanner, not a Markdown AST: every problem must name a line of the
file, and the structure (title, metadata, quiz) is line-shaped anyway.
Markdown proper (body, prompts, explanations) is left to render.py; values
are read by values.py, questions built by their kinds.
Questions are read by questions.py and problems collected by report.py; the
parser never stops at the first problem: an editor fixes them all at once.
"""
from __future__ import annotations

from datetime import date

from learning.lessons.authoring import values
from learning.lessons.authoring.limits import MAX_QUESTIONS, MAX_TITLE
from learning.lessons.authoring.markdown.lines import (
    Item,
    Line,
    markdown_of,
    text_lines,
    underlines_level_1,
    without_blank_edges,
)
from learning.lessons.authoring.markdown.questions import QuestionReader, split_question
from learning.lessons.authoring.markdown.report import Report
from learning.lessons.authoring.messages import _
from learning.lessons.authoring.model import (
    LessonDraft,
    ParseResult,
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
    META,
    OPTIONAL_META,
    REQUIRED_META_EXAMPLES,
    SETTINGS,
    by_keyword,
    is_placeholder,
)

QUIZ_HEADINGS = frozenset({"cau hoi kiem tra", "quiz"})

_META_BY_KEY = by_keyword(META)
_SETTINGS_BY_KEY = by_keyword(SETTINGS)


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


class _LessonParser(Report):
    """The whole file: title, metadata, body and quiz; questions are read by
    a QuestionReader reporting into the same Report."""

    def __init__(self, lines: list[Line], filename: str | None, today: date):
        super().__init__()
        self.lines = lines
        self.filename = filename
        self.today = today
        self.questions = QuestionReader(self)

    # -- helpers --

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
            question = self.questions.question(split_question(self.lines, start, end), anchors, ids)
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



def _is_quiz_heading(line: Line) -> bool:
    heading = line.heading()
    return heading is not None and heading[0] == 2 and norm_keyword(heading[1]) in QUIZ_HEADINGS


def _plain_text(markdown_text: str) -> str:
    """What a reader sees of a one-line Markdown text: `**Điều 1**` → `Điều 1`."""
    return html_to_text(render_inline(markdown_text)).strip()


