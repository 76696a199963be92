"""The words of a lesson document, whatever its syntax: kinds of document and
their type codes, the document number, the lesson's and the quiz's `Key: value`
properties and their accepted values, the properties every question has.

Everything a front end (Markdown today, Moodle GIFT tomorrow) needs to read
the same things into the same LessonDraft. Bounds are in limits.py, value
readers in values.py, question kinds in kinds/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from learning.lessons.authoring.kinds import EXTRA_PROPERTIES, PropertySpec
from learning.lessons.authoring.limits import MAX_QUESTION_ID, MAX_SLUG
from learning.lessons.authoring.messages import N_
from learning.lessons.authoring.model import CountedAttempt, ShowAnswers
from learning.lessons.authoring.text import norm_keyword, strip_diacritics

# -- document kinds -----------------------------------------------------------

@dataclass(frozen=True)
class DocumentKind:
    code: str  # stored, e.g. "resolution"; also its English alias
    label: str  # Vietnamese name, as authors write it and members read it
    type_code: str  # in the document number: 57-NQ/TW
    english: str  # the display name's msgid; its Vietnamese translation is `label` (a test checks)


# The one list of document kinds: the parser, search and the pages all read it.
DOCUMENT_KINDS: dict[str, DocumentKind] = {kind.code: kind for kind in (
    DocumentKind("resolution", "Nghị quyết", "NQ", N_("Resolution")),
    DocumentKind("directive", "Chỉ thị", "CT", N_("Directive")),
    DocumentKind("conclusion", "Kết luận", "KL", N_("Conclusion")),
    DocumentKind("regulation", "Quy định", "QĐ", N_("Regulation")),
    DocumentKind("decision", "Quyết định", "QĐ", N_("Decision")),
    DocumentKind("guidance", "Hướng dẫn", "HD", N_("Guidance")),
    DocumentKind("plan", "Kế hoạch", "KH", N_("Plan")),
    DocumentKind("programme", "Chương trình", "CTr", N_("Programme")),
    DocumentKind("scheme", "Đề án", "ĐA", N_("Scheme")),
    DocumentKind("dispatch", "Công văn", "CV", N_("Dispatch")),
    DocumentKind("notice", "Thông báo", "TB", N_("Notice")),
    DocumentKind("report", "Báo cáo", "BC", N_("Report")),
)}
KIND_LABELS: dict[str, str] = {code: kind.label for code, kind in DOCUMENT_KINDS.items()}
TYPE_CODES: tuple[str, ...] = tuple(dict.fromkeys(kind.type_code for kind in DOCUMENT_KINDS.values()))

_KIND_BY_KEYWORD = {
    norm_keyword(word): kind for kind in DOCUMENT_KINDS.values() for word in (kind.label, kind.code)
}


def document_kind_for(word: str) -> DocumentKind | None:
    """The kind an author wrote after `Loại văn bản:`, Vietnamese or English."""
    return _KIND_BY_KEYWORD.get(norm_keyword(word))


# -- identifiers ----------------------------------------------------------------

NUMBER_PATTERN = re.compile(r"([0-9]{1,4})-(%s)/([A-ZĐ][A-ZĐ0-9]{0,11})" % "|".join(TYPE_CODES))
# Type codes as typed without Đ or in the wrong case ("QD", "ctr"), to suggest the right one.
TYPE_CODE_BY_FOLDED = {strip_diacritics(code).upper(): code for code in TYPE_CODES}
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,%d}" % (MAX_SLUG - 1))
QUESTION_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,%d}" % (MAX_QUESTION_ID - 1))

# What a skeleton leaves for the author to fill (templates/lessons/new_lesson.md):
# a value, a heading or a line that is only this is still to be written.
PLACEHOLDERS = frozenset({"…", "..."})


def is_placeholder(text: str) -> bool:
    return text.strip() in PLACEHOLDERS


# -- the lesson's properties -------------------------------------------------------

META = {spec.name: spec for spec in (
    PropertySpec("kind", ("Loại văn bản", "Loại", "kind"), N_(
        "write the kind of document, e.g. Nghị quyết")),
    PropertySpec("number", ("Số hiệu", "Số", "number"), N_(
        "write the document number as on the original, e.g. 57-NQ/TW")),
    PropertySpec("issuing_body", ("Cơ quan ban hành", "Nơi ban hành", "issuer", "issued by"), N_(
        "write who issued the document, e.g. Bộ Chính trị")),
    PropertySpec("issued_on", ("Ngày ban hành", "Ngày", "date"), N_(
        "write the date of issue as dd/mm/yyyy, e.g. 22/12/2024")),
    PropertySpec("summary", ("Tóm tắt", "summary"), N_(
        "write one short paragraph saying what the document is about")),
    PropertySpec("minutes", ("Thời gian học", "Thời lượng", "minutes"), N_(
        "write how many minutes the lesson takes to study, e.g. 30 phút")),
    PropertySpec("tags", ("Từ khóa", "Từ khoá", "tags"), N_(
        "write keywords separated by commas, or leave it empty")),
    PropertySpec("slug", ("Mã bài học", "Mã bài", "slug"), N_(
        "write the lesson id in lower-case letters without accents, digits and hyphens, "
        "e.g. nghi-quyet-57-2024; it cannot change once the lesson is published")),
)}
REQUIRED_META = ("kind", "number", "issuing_body", "issued_on", "summary", "minutes")
OPTIONAL_META = frozenset(META) - frozenset(REQUIRED_META)  # an empty value is as if absent
# What to write for each required item, shown when it is missing.
REQUIRED_META_EXAMPLES = {
    "kind": "Nghị quyết",
    "number": "57-NQ/TW",
    "issuing_body": "Bộ Chính trị",
    "issued_on": "22/12/2024",
    "summary": "…",
    "minutes": "30 phút",
}
MINUTE_UNITS = ("minutes", "mins", "phut", "min")


# -- the quiz's settings ---------------------------------------------------------------

SETTINGS = {spec.name: spec for spec in (
    PropertySpec("pass_mark", ("Điểm đạt", "pass mark")),
    PropertySpec("attempts_allowed", ("Số lần làm", "attempts")),
    PropertySpec("time_limit_minutes", ("Thời gian làm bài", "time limit")),
    PropertySpec("shuffle_questions", ("Xáo trộn câu hỏi", "shuffle questions")),
    PropertySpec("shuffle_choices", ("Xáo trộn phương án", "shuffle choices")),
    PropertySpec("counted_attempt", ("Lần được tính", "counted attempt")),
    PropertySpec("show_answers", ("Hiện đáp án", "show answers")),
)}
COUNTED_ATTEMPTS = {
    "cao nhất": CountedAttempt.HIGHEST, "lần cuối": CountedAttempt.LAST, "lần đầu": CountedAttempt.FIRST,
    "trung bình": CountedAttempt.AVERAGE,
}
SHOW_ANSWERS = {
    "sau khi nộp": ShowAnswers.AFTER_SUBMIT, "khi đạt": ShowAnswers.AFTER_PASS,
    "khi hết lượt": ShowAnswers.AFTER_LAST_ATTEMPT, "khi kết thúc đợt": ShowAnswers.AFTER_CLOSE,
    "không": ShowAnswers.NEVER,
}
UNLIMITED_WORDS = frozenset({"khong gioi han", "unlimited"})


# -- every question's properties ------------------------------------------------------

QUESTION_KIND = PropertySpec("kind", ("Loại", "kind"))
QUESTION_ID = PropertySpec("id", ("Mã", "id"))
POINTS = PropertySpec("points", ("Điểm", "points"))
SECTION = PropertySpec("section", ("Phần", "section"))
COMMON_PROPERTIES = frozenset({QUESTION_KIND.name, QUESTION_ID.name, POINTS.name, SECTION.name})
QUESTION_PROPERTIES = {spec.name: spec for spec in (
    QUESTION_KIND, QUESTION_ID, POINTS, SECTION, *EXTRA_PROPERTIES.values())}


def by_keyword(specs: dict[str, PropertySpec]) -> dict[str, PropertySpec]:
    """The specs by each of their keys, as compared (norm_keyword)."""
    return {norm_keyword(key): spec for spec in specs.values() for key in spec.keys}
