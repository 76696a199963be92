"""Lesson sources (Markdown + quiz syntax) → lesson drafts; HTML sanitising.

Pure: no database, no request. See docs/lesson-format.md.
"""
from learning.lessons.authoring.kinds import KINDS, QuestionKind, kind_for
from learning.lessons.authoring.model import LessonDraft, ParseResult, Problem, QuestionDraft, QuizSettings, Section
from learning.lessons.authoring.parser import DOCUMENT_KINDS, KIND_LABELS, TYPE_CODES, DocumentKind, parse_lesson
from learning.lessons.authoring.render import html_to_text, render_inline, render_markdown
from learning.lessons.authoring.sanitize import sanitize_html

__all__ = [
    "DOCUMENT_KINDS", "KINDS", "KIND_LABELS", "TYPE_CODES",
    "DocumentKind", "LessonDraft", "ParseResult", "Problem", "QuestionDraft", "QuestionKind",
    "QuizSettings", "Section",
    "html_to_text", "kind_for", "parse_lesson", "render_inline", "render_markdown", "sanitize_html",
]
