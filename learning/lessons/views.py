"""Editors: the lesson list, writing with preview, publishing, archiving,
version history and diffs, the editors' guide. Every route here is for editors
and admins only."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from learning.core import db
from learning.core.errors import DomainError
from learning.core.input import (
    InvalidInput,
    unstorable_field,
    unstorable_message,
    whole_number,
    without_unstorable,
)
from learning.core.permissions import EDITORS, requires
from learning.lessons import guides, publishing
from learning.lessons.authoring import limits
from learning.lessons.diff import diff_versions
from learning.lessons.models import Lesson, LessonState, LessonVersion

bp = Blueprint("edit", __name__)

NEW_LESSON_TEMPLATE = "lessons/new_lesson.md"
MAX_SOURCE_CHARS = limits.MAX_SOURCE_CHARS  # the parser's own limit, with its message
REMOVED_HERE = _l("A character that cannot be stored was removed from this line.")


def _as_stored(text: str | None) -> str | None:
    """The text as it will be kept, so its length is measured as the parser does."""
    return publishing.normalise_source(text) if text else text


class SourceForm(FlaskForm):
    # Measured as the parser measures it: the stored text (a browser sends \r\n line ends).
    source = TextAreaField(_l("Lesson source (Markdown)"), filters=[_as_stored], validators=[
        Length(max=MAX_SOURCE_CHARS, message=_l(limits.SOURCE_TOO_LONG))])
    revision = HiddenField()


@bp.route("/")
@requires(EDITORS)
def index():
    return render_template("lessons/index.html", lessons=publishing.lessons_for_editors())


@bp.route("/new", methods=["GET", "POST"])
@requires(EDITORS)
def new():
    form = _source_form()
    if request.method == "GET":
        form.source.data = render_template(NEW_LESSON_TEMPLATE)
    return _editor(form, lesson=None)


@bp.route("/<int:lesson_id>", methods=["GET", "POST"])
@requires(EDITORS)
def lesson(lesson_id: int):
    item = _get_lesson(lesson_id)
    form = _source_form()
    if request.method == "GET":
        form.source.data = publishing.editable_source(item)
        form.revision.data = str(item.draft_revision)
    return _editor(form, lesson=item)


def _source_form() -> SourceForm:
    # The form's fields only: Flask-WTF would read a JSON body as the form.
    return SourceForm(formdata=request.form if request.method == "POST" else None)


def _editor(form: SourceForm, lesson: Lesson | None):
    """One page for new and existing lessons: preview, save, publish."""
    if not form.is_submitted():
        return _editor_page(form, lesson, [], None)
    refused = _unstorable(form, lesson)
    if refused is not None:
        return refused
    if not form.validate():
        return _editor_page(form, lesson, [(1, e) for e in form.source.errors], None)
    action = request.form.get("action", "preview")
    try:
        base = whole_number(form.revision.data, _("The draft's revision number")) if form.revision.data else None
    except InvalidInput as damaged:
        flash(str(damaged), "error")
        return _editor_page(form, lesson, [], None), 400
    try:
        outcome = publishing.edit_in_browser(lesson, form.source.data or "", action, current_user, base)
    except publishing.DraftConflict as conflict:
        flash(str(conflict), "error")
        return _editor_page(form, lesson, [], None)
    if outcome.published is not None:
        flash(_publish_message(outcome), "success")
        return redirect(url_for("edit.lesson", lesson_id=outcome.lesson.id))
    if action == "save" and not outcome.problems:
        flash(_("Draft saved."), "success")
        return redirect(url_for("edit.lesson", lesson_id=outcome.lesson.id))
    if outcome.lesson is not None:
        form.revision.data = str(outcome.lesson.draft_revision)
    return _editor_page(form, outcome.lesson, [(p.line, p.message) for p in outcome.problems], outcome.preview,
                        saved=action in ("save", "publish"))


def _unstorable(form: SourceForm, lesson: Lesson | None):
    """Characters no database stores (NUL, lone surrogates): nothing is
    saved, and the editor gets back the text they typed minus those
    characters, each line where one was removed listed as a problem."""
    form.source.data, lines = without_unstorable(form.source.data or "")
    if not lines and unstorable_field(request.form) is None:
        return None
    form.revision.data = without_unstorable(form.revision.data or "")[0]
    if lines:
        flash(_("Nothing was saved: the text contained characters that cannot be stored (NUL or invalid Unicode "
                "characters). They have been removed from the text below: check the lines listed, then send it "
                "again."), "error")
    else:
        flash(unstorable_message(_("The form")), "error")
    return _editor_page(form, lesson, [(line, str(REMOVED_HERE)) for line in lines], None), 400


def _publish_message(outcome) -> str:
    number = outcome.published.version.number
    if not outcome.published.changed:
        return _("Nothing changed since version %(n)s.", n=number)
    if outcome.lesson.state == LessonState.ARCHIVED:
        return _("Published version %(n)s. The lesson stays archived until you publish it again.", n=number)
    return _("Published version %(n)s.", n=number)


def _editor_page(form: SourceForm, lesson: Lesson | None, problems, preview, saved: bool = False):
    """`problems` of a press of Preview, Save or Publish come first on the page,
    above the text box, saying what the press did (`saved`: the draft was kept)."""
    pressed = None
    if form.is_submitted():
        pressed = request.form.get("action") if request.form.get("action") in ("save", "publish") else "preview"
    return render_template("lessons/editor.html", form=form, lesson=lesson, problems=problems, preview=preview,
                           pressed=pressed, saved=saved)


@bp.route("/preview", methods=["POST"])
@requires(EDITORS)
def live_preview():
    """Live preview for the editor's script: the same parse, as JSON."""
    source = request.form.get("source", "")  # the parser refuses one over the limit, with its message
    _cleaned, lines = without_unstorable(source)
    if lines or unstorable_field(request.form) is not None:
        return jsonify(error=str(unstorable_message(_("The text") if lines else _("The form"))),
                       problems=[{"line": line, "message": str(REMOVED_HERE)} for line in lines]), 400
    lesson_id = request.form.get("lesson_id", "")
    try:
        lesson = db.session.get(Lesson, whole_number(lesson_id, "lesson_id")) if lesson_id else None
    except InvalidInput as damaged:
        return jsonify(error=str(damaged)), 400
    result = publishing.parse_for_lesson(lesson, source)
    return jsonify(
        problems=[{"line": p.line, "message": p.message} for p in result.problems],
        html=render_template("lessons/_preview.html", preview=result.draft,
                             problems=[(p.line, p.message) for p in result.problems]),
    )


@bp.route("/<int:lesson_id>/archive", methods=["POST"])
@requires(EDITORS)
def archive(lesson_id: int):
    return _change_state(lesson_id, publishing.archive, _l("Lesson archived: members no longer see it."))


@bp.route("/<int:lesson_id>/restore", methods=["POST"])
@requires(EDITORS)
def restore(lesson_id: int):
    return _change_state(lesson_id, publishing.restore, _l("Lesson published again."))


def _change_state(lesson_id: int, operation, message):
    item = _get_lesson(lesson_id)
    try:
        operation(item)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(str(message), "success")
    return redirect(url_for("edit.versions", lesson_id=item.id))


@bp.route("/<int:lesson_id>/versions")
@requires(EDITORS)
def versions(lesson_id: int):
    item = _get_lesson(lesson_id)
    return render_template("lessons/versions.html", lesson=item)


@bp.route("/<int:lesson_id>/versions/<int:number>")
@requires(EDITORS)
def version(lesson_id: int, number: int):
    item = _get_lesson(lesson_id)
    found = _get_version(item, number)
    return render_template("lessons/version.html", lesson=item, version=found)


@bp.route("/<int:lesson_id>/diff")
@requires(EDITORS)
def diff(lesson_id: int):
    item = _get_lesson(lesson_id)
    latest = item.latest_version_number
    new_number = request.args.get("to", latest, type=int)
    old_number = request.args.get("from", max(new_number - 1, 1), type=int)
    old, new = _get_version(item, old_number), _get_version(item, new_number)
    return render_template("lessons/diff.html", lesson=item, old=old, new=new, diff=diff_versions(old, new))


@bp.route("/guide")
@requires(EDITORS)
def guide():
    return _guide_page("guide")


@bp.route("/format")
@requires(EDITORS)
def format_reference():
    return _guide_page("format")


def _guide_page(name: str):
    page = guides.page(name)
    if page is None:
        abort(404)
    return render_template("lessons/guide.html", name=name, language=page.language, title=page.title,
                           body=page.body, sections=page.sections)


def _get_lesson(lesson_id: int) -> Lesson:
    return db.session.get(Lesson, lesson_id) or abort(404)


def _get_version(lesson: Lesson, number: int) -> LessonVersion:
    for candidate in lesson.versions:
        if candidate.number == number:
            return candidate
    abort(404)
