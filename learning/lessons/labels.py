"""Display names of the authoring registries' codes, translated where they are
shown. The registries (document kinds, question kinds) hold each name's
English msgid; this is the one place that translates them."""
from flask_babel import gettext

from learning.lessons.authoring import DOCUMENT_KINDS, KINDS


def document_kind_label(code: str) -> str:
    kind = DOCUMENT_KINDS.get(code)
    return gettext(kind.english) if kind else code


def question_kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return gettext(kind.english) if kind else code
