"""The Markdown front end: a lesson written in Markdown (docs/lesson-format.md) → LessonDraft."""
from learning.lessons.authoring.markdown.parser import parse_lesson

__all__ = ["parse_lesson"]
