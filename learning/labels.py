"""Display names of stored codes, translated. Codes stay English in the database."""
from flask_babel import lazy_gettext as _l

from learning.lessons.authoring import DOCUMENT_KINDS as KIND_REGISTRY, KINDS

# From the parser's registry of kinds, so that a new kind is added in one place.
DOCUMENT_KINDS = {code: _l(kind.english) for code, kind in KIND_REGISTRY.items()}

LESSON_STATES = {
    "draft": _l("draft"),
    "published": _l("published"),
    "archived": _l("archived"),
}

QUESTION_KINDS = {code: _l(kind.english) for code, kind in KINDS.items()}


STUDY_STATES = {
    "not_started": _l("not started"),
    "reading": _l("reading"),
    "quiz_passed": _l("quiz passed"),
    "reflection_pending": _l("reflection waiting for grading"),
    "complete": _l("complete"),
}


def study_state_label(code: str) -> str:
    return str(STUDY_STATES.get(code, code))


def kind_label(code: str) -> str:
    return str(DOCUMENT_KINDS.get(code, code))


def state_label(code: str) -> str:
    return str(LESSON_STATES.get(code, code))


def question_kind_label(code: str) -> str:
    return str(QUESTION_KINDS.get(code, code))
