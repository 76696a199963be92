"""Drafts, publishing and archiving of lessons.

A LessonVersion is immutable once written: publishing never edits one, it adds
the next. Re-publishing a source identical to the latest version is a no-op.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.lessons.authoring import Problem, parse_lesson
from learning.lessons.authoring.model import LessonDraft, ParseResult
from learning.lessons.authoring.source import normalised
from learning.lessons.models import Lesson, LessonState, LessonVersion, Question
from learning.lessons.search import search_text_for
from learning.org.models import User


class ContentProblems(DomainError):
    """The source(s) have problems; nothing was written."""

    def __init__(self, problems: list[tuple[str | None, Problem]]):
        self.problems = problems
        super().__init__("\n".join(p.format(f) for f, p in problems))


@dataclass(frozen=True)
class PublishResult:
    lesson: Lesson
    version: LessonVersion  # the new version, or the latest one when unchanged
    changed: bool


def normalise_source(source: str) -> str:
    """The text as stored and compared, as every front end reads it."""
    return normalised(source)


def source_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lesson_by_slug(slug: str) -> Lesson | None:
    return db.session.scalars(select(Lesson).where(Lesson.slug == slug)).first()


# -- files (CLI) ---------------------------------------------------------------

def collect_lesson_files(paths: list[str]) -> list[Path]:
    """Expand folders into their .md files, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files.extend(sorted(path.glob("*.md")) if path.is_dir() else [path])
    return files


def check_files(files: list[Path]) -> tuple[list[tuple[Path, LessonDraft, str]], list[tuple[str, Problem]]]:
    """Parse every file; return the good drafts and every problem of every file."""
    drafts: list[tuple[Path, LessonDraft, str]] = []
    problems: list[tuple[str, Problem]] = []
    first_file_of_slug: dict[str, Path] = {}
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as error:
            problems.append((str(path), Problem(1, "file.unreadable", _(
                "Cannot read the file: %(error)s", error=_read_error_reason(error)))))
            continue
        result = parse_lesson(raw, filename=path.name, today=vietnam_today())
        problems.extend((str(path), p) for p in result.problems)
        if result.draft is None:
            continue
        slug = result.draft.slug
        if slug in first_file_of_slug:
            problems.append((str(path), Problem(1, "slug.duplicate_in_import", _(
                "Lesson id %(slug)s is also used by %(other)s", slug=slug, other=first_file_of_slug[slug]))))
            continue
        first_file_of_slug[slug] = path
        drafts.append((path, result.draft, normalise_source(raw.decode("utf-8"))))
    return drafts, problems


def _read_error_reason(error: OSError) -> str:
    """Why a file cannot be read, in the user's language (the system's own
    words, error.strerror, are English)."""
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return _("no such file or folder")
    if isinstance(error, PermissionError):
        return _("permission to read this file is denied")
    if isinstance(error, IsADirectoryError):
        return _("this is a folder, not a file")
    return _("the system could not read this file")


def import_files(files: list[Path], by: User | None = None) -> list[PublishResult]:
    """Publish every file, or nothing at all when any file has a problem."""
    drafts, problems = check_files(files)
    if problems:
        raise ContentProblems(problems)
    return [_publish_draft(draft, text, by, lesson_by_slug(draft.slug)) for _path, draft, text in drafts]


# -- the browser ---------------------------------------------------------------

def parse_for_lesson(lesson: Lesson | None, source: str) -> ParseResult:
    """Parse a browser draft. Once a lesson has been published its id (slug) is
    fixed, so a source without an explicit id keeps the lesson's."""
    filename = f"{lesson.slug}.md" if lesson is not None and lesson.latest_version_number else None
    return parse_lesson(source, filename=filename, today=vietnam_today())


class DraftConflict(DomainError):
    """Someone else saved this lesson since the editor opened it."""


@dataclass
class EditOutcome:
    lesson: Lesson | None
    problems: list[Problem]
    preview: LessonDraft | None
    published: PublishResult | None = None


def edit_in_browser(lesson: Lesson | None, source: str, action: str, by: User,
                    base_revision: int | None) -> EditOutcome:
    """The editor's three buttons. `preview` writes nothing; `save` keeps the
    text whatever its problems; `publish` saves, then publishes if the text has
    no problems. The caller commits once: a refused publish still keeps the draft."""
    if action in ("save", "publish"):
        lesson = save_draft(lesson, source, by, base_revision)
    if action == "publish":
        try:
            return EditOutcome(lesson, [], None, publish_draft(lesson, by))
        except ContentProblems as error:
            return EditOutcome(lesson, [p for _f, p in error.problems], None)
    result = parse_for_lesson(lesson, source)
    return EditOutcome(lesson, result.problems, result.draft)


def save_draft(lesson: Lesson | None, source: str, by: User, base_revision: int | None = None) -> Lesson:
    """Keep the editor's text whatever its problems: nothing typed is lost.
    Refuse to overwrite a draft someone else saved after `base_revision`."""
    text = normalise_source(source)
    if lesson is None:
        lesson = Lesson(slug=_provisional_slug(), state=LessonState.DRAFT, latest_version_number=0, draft_revision=0,
                        created_by_id=by.id)
        db.session.add(lesson)
    elif base_revision is not None and base_revision != lesson.draft_revision:
        raise DraftConflict(_("Another editor saved this lesson while you were writing. Your text is still "
                              "in the box below: copy it, reload the page, and merge the two."))
    lesson.draft_source = text
    lesson.draft_revision = (lesson.draft_revision or 0) + 1
    lesson.draft_updated_at = lesson.updated_at = utcnow()
    result = parse_for_lesson(lesson, text)
    if result.draft is not None and lesson.latest_version_number == 0:
        lesson.title, lesson.doc_number = result.draft.title, result.draft.number
    elif lesson.latest_version_number == 0:
        lesson.title = lesson.title or _first_line_title(text)
    db.session.flush()
    return lesson


def publish_draft(lesson: Lesson, by: User) -> PublishResult:
    """Publish the lesson's saved draft as its next version."""
    text = lesson.draft_source or ""
    result = parse_for_lesson(lesson, text)
    problems = list(result.problems)
    if result.draft is not None:
        owner = lesson_by_slug(result.draft.slug)
        if owner is not None and owner.id != lesson.id:
            problems.append(Problem(1, "slug.taken", _(
                "Lesson id %(slug)s is already used by another lesson", slug=result.draft.slug)))
        elif lesson.latest_version_number and result.draft.slug != lesson.slug:
            problems.append(Problem(1, "slug.changed", _(
                "A published lesson keeps its id: use %(slug)s", slug=lesson.slug)))
    if problems:
        raise ContentProblems([(None, p) for p in problems])
    return _publish_draft(result.draft, text, by, lesson)


def editable_source(lesson: Lesson) -> str:
    """What the editor finds in the box: the draft, else the latest version."""
    if lesson.draft_source is not None:
        return lesson.draft_source
    return lesson.versions[-1].source if lesson.versions else ""


def lessons_for_editors() -> list[Lesson]:
    return list(db.session.scalars(select(Lesson).order_by(Lesson.updated_at.desc())))


def archive(lesson: Lesson) -> None:
    """Hide a published lesson from members; nothing is deleted."""
    _move(lesson, LessonState.PUBLISHED, LessonState.ARCHIVED, _("Only a published lesson can be archived."))


def restore(lesson: Lesson) -> None:
    _move(lesson, LessonState.ARCHIVED, LessonState.PUBLISHED, _("Only an archived lesson can be published again."))


def _move(lesson: Lesson, from_state: LessonState, to_state: LessonState, refusal: str) -> None:
    if lesson.state != from_state:
        raise DomainError(refusal)
    lesson.state = to_state
    lesson.updated_at = utcnow()
    db.session.flush()


# -- shared --------------------------------------------------------------------

def _publish_draft(draft: LessonDraft, text: str, by: User | None, lesson: Lesson | None) -> PublishResult:
    """Add the next version unless the text is the latest one already.

    An editor's draft survives unless it is exactly what was published, and an
    archived lesson stays archived (only `restore` brings it back), so a
    routine `content import` never undoes work done in the browser."""
    digest = source_digest(text)
    if lesson is None:
        lesson = Lesson(slug=draft.slug, state=LessonState.DRAFT, latest_version_number=0,
                        created_by_id=by.id if by else None)
        db.session.add(lesson)
        db.session.flush()
    else:
        # Serialise publishers of one lesson: the version number is read, then written.
        db.session.refresh(lesson, with_for_update=True)
    lesson.slug = draft.slug
    latest = lesson.versions[-1] if lesson.versions else None
    if latest is not None and latest.source_sha256 == digest:
        _drop_draft_if_published(lesson, text)
        db.session.flush()
        return PublishResult(lesson, latest, changed=False)
    version = _new_version(lesson, draft, text, digest, by)
    if lesson.state == LessonState.DRAFT:
        lesson.state = LessonState.PUBLISHED
    lesson.title, lesson.doc_number = draft.title, draft.number
    lesson.latest_version_number = version.number
    _drop_draft_if_published(lesson, text)
    lesson.updated_at = utcnow()
    db.session.flush()
    return PublishResult(lesson, version, changed=True)


def _drop_draft_if_published(lesson: Lesson, published_text: str) -> None:
    if lesson.draft_source is not None and normalise_source(lesson.draft_source) == published_text:
        lesson.draft_source = None


def _new_version(lesson: Lesson, draft: LessonDraft, text: str, digest: str, by: User | None) -> LessonVersion:
    version = LessonVersion(
        lesson=lesson,
        number=lesson.latest_version_number + 1,
        source=text,
        source_sha256=digest,
        title=draft.title,
        kind=draft.kind,
        doc_number=draft.number,
        type_code=draft.type_code,
        issuer_code=draft.issuer_code,
        issuing_body=draft.issuing_body,
        issued_on=draft.issued_on,
        summary=draft.summary,
        minutes=draft.minutes,
        tags=list(draft.tags),
        body_html=draft.body_html,
        search_text=search_text_for(draft),
        sections=[{"anchor": s.anchor, "title": s.title, "level": s.level} for s in draft.sections],
        settings=draft.settings.as_dict(),
        published_by_id=by.id if by else None,
    )
    for position, q in enumerate(draft.questions, start=1):
        version.questions.append(Question(
            key=q.key, position=position, kind=q.kind, prompt=q.prompt, prompt_html=q.prompt_html,
            points=q.points, explanation_html=q.explanation_html, section=q.section, data=q.data,
        ))
    db.session.add(version)
    return version


def _provisional_slug() -> str:
    return "nhap-" + secrets.token_hex(4)


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:300]
    return ""
