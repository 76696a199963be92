"""Members: the home page, reading a lesson, starting its quiz, search."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.campaigns.binding import due_date
from learning.core.clock import vietnam_today
from learning.core.permissions import SIGNED_IN, requires
from learning.lessons import catalogue, search
from learning.lessons.access import can_read_lesson
from learning.lessons.models import LessonState
from learning.lessons.versions import has_reflection
from learning.study import attempts, errors, reading
from learning.study.home import home_for
from learning.study.progress import study_state

bp = Blueprint("learn", __name__)


@bp.route("/")
@requires(SIGNED_IN)
def home():
    return render_template("study/home.html", home=home_for(current_user, vietnam_today()))


@bp.route("/search")
@requires(SIGNED_IN)
def search_page():
    query = request.args.get("q", "")[:200]
    results = search.search_lessons(query) if query.strip() else []
    return render_template("study/search.html", query=query, results=results)


@bp.route("/lessons/<slug>")
@requires(SIGNED_IN)
def lesson(slug: str):
    lesson, version = _readable(slug)
    if lesson.state == LessonState.PUBLISHED:
        progress = reading.record_opened(current_user, lesson)
    else:
        progress = None
    return render_template("study/lesson.html", lesson=lesson, version=version, progress=progress,
                           quiz=attempts.quiz_status(current_user, lesson, version),
                           state=study_state(progress, has_reflection(version.id)) if progress else None,
                           due_on=due_date(current_user.id, lesson.id, vietnam_today()))


@bp.route("/lessons/<slug>/read", methods=["POST"])
@requires(SIGNED_IN)
def mark_read(slug: str):
    """Sent by the page's script when the reader reaches the end."""
    lesson, _version = _readable(slug, published_only=True)
    reading.record_read(current_user, lesson)
    return {"read": True}


@bp.route("/lessons/<slug>/quiz", methods=["POST"])
@requires(SIGNED_IN)
def start_quiz(slug: str):
    lesson, version = _readable(slug, published_only=True)
    try:
        attempt = attempts.start_attempt(current_user, lesson, version)
    except errors.AttemptRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("learn.lesson", slug=slug))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


def _readable(slug: str, published_only: bool = False):
    found = catalogue.lesson_for_reading(slug)
    if found is None or not can_read_lesson(current_user, found[0]):
        abort(404)
    if published_only and found[0].state != LessonState.PUBLISHED:
        abort(404)
    return found
