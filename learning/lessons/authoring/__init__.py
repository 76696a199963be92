"""Lesson sources → lesson drafts; question kinds; HTML rendering and sanitising.

Pure: no database, no request, no Flask (messages.py translates through the
translator the application installs). See docs/lesson-format.md.

- vocabulary.py: the words of a lesson (document kinds, keys, accepted values);
- limits.py: every bound on what a lesson may hold;
- values.py: reading `Key: value` values into LessonDraft fields;
- kinds/: the question kinds, one module each, registered in KINDS;
- markdown/: the Markdown front end (parse_lesson);
- model.py: what a front end produces (LessonDraft, Problem...).
"""
from learning.lessons.authoring.kinds import KINDS, QuestionKind, kind_for
from learning.lessons.authoring.markdown import parse_lesson
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
from learning.lessons.authoring.sanitize import sanitize_html
from learning.lessons.authoring.vocabulary import (
    DOCUMENT_KINDS,
    KIND_LABELS,
    TYPE_CODES,
    DocumentKind,
)

__all__ = [
    "DOCUMENT_KINDS", "KINDS", "KIND_LABELS", "TYPE_CODES",
    "DocumentKind", "LessonDraft", "ParseResult", "Problem", "QuestionDraft", "QuestionKind",
    "QuizSettings", "Section",
    "html_to_text", "kind_for", "parse_lesson", "render_inline", "render_markdown", "sanitize_html",
]
