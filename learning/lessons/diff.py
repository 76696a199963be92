"""A readable difference between two versions of a lesson: what changed in the
document's details, which questions (by stable id) were added, removed or
edited, and the changed lines of the source with their line numbers."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from learning.lessons.models import LessonVersion

# Fields of a version worth naming in a summary, with their labels.
SUMMARY_FIELDS = (
    ("title", _l("Title")),
    ("doc_number", _l("Number")),
    ("kind", _l("Kind")),
    ("issuing_body", _l("Issuing body")),
    ("issued_on", _l("Issue date")),
    ("summary", _l("Summary")),
    ("minutes", _l("Minutes")),
    ("tags", _l("Tags")),
    ("settings", _l("Quiz settings")),
    ("body_html", _l("Summary text")),
)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same" | "added" | "removed" | "gap"
    old_line: int | None
    new_line: int | None
    text: str


@dataclass
class VersionDiff:
    changed_fields: list[str] = field(default_factory=list)
    added_questions: list[str] = field(default_factory=list)
    removed_questions: list[str] = field(default_factory=list)
    edited_questions: list[str] = field(default_factory=list)
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.lines


def diff_versions(old: LessonVersion, new: LessonVersion, context: int = 3) -> VersionDiff:
    result = VersionDiff()
    result.changed_fields = [str(label) for name, label in SUMMARY_FIELDS
                             if getattr(old, name) != getattr(new, name)]
    old_q = {q.key: _question_fingerprint(q) for q in old.questions}
    new_q = {q.key: _question_fingerprint(q) for q in new.questions}
    result.added_questions = [k for k in new_q if k not in old_q]
    result.removed_questions = [k for k in old_q if k not in new_q]
    result.edited_questions = [k for k in new_q if k in old_q and new_q[k] != old_q[k]]
    result.lines = diff_lines(old.source.splitlines(), new.source.splitlines(), context)
    return result


def diff_lines(old: list[str], new: list[str], context: int = 3) -> list[DiffLine]:
    """Changed lines with `context` unchanged lines around them, numbered."""
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group_index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if group_index:
            lines.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", i + 1, j + 1, old[i]) for i, j in zip(range(i1, i2), range(j1, j2)))
                continue
            lines.extend(DiffLine("removed", i + 1, None, old[i]) for i in range(i1, i2))
            lines.extend(DiffLine("added", None, j + 1, new[j]) for j in range(j1, j2))
    return lines


def _question_fingerprint(q) -> tuple:
    # Position is left out: moving a question is not editing it.
    return (q.kind, q.prompt_html, q.points, q.explanation_html, q.section, repr(sorted(q.data.items())))
