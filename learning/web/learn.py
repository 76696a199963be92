"""Members: the home page and reading a published lesson."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from learning.services import catalogue
from learning.services.permissions import SIGNED_IN, can_read_lesson, requires

bp = Blueprint("learn", __name__)


@bp.route("/")
@requires(SIGNED_IN)
def home():
    return render_template("learn/home.html", lessons=catalogue.published_lessons())


@bp.route("/lessons/<slug>")
@requires(SIGNED_IN)
def lesson(slug: str):
    found = catalogue.lesson_for_reading(slug)
    if found is None or not can_read_lesson(current_user, found[0]):
        abort(404)
    lesson, version = found
    return render_template("learn/lesson.html", lesson=lesson, version=version)
