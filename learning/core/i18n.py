"""Language and time: Vietnamese first, English too; dates dd/mm/yyyy in
Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g, request
from flask_babel import format_datetime, format_number, get_locale
from sqlalchemy import inspect

LANG_COOKIE = "lang"


def select_locale() -> str:
    """The language cookie, else the signed-in member's language if the
    request has already loaded them, else Vietnamese. Choosing never queries
    the database: an error page (the database down) must render too."""
    languages = current_app.config["LANGUAGES"]
    if request:
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen in languages:
            return chosen
        preferred = _loaded_user_locale()
        if preferred in languages:
            return preferred
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _loaded_user_locale() -> str | None:
    """The locale of the user Flask-Login has loaded for this request, read
    from what the row already holds (an expired row is not read again)."""
    user = g.get("_login_user")
    if user is None or not user.is_authenticated:
        return None
    return inspect(user).dict.get("locale")


def format_day(value: date | datetime | None) -> str:
    """dd/mm/yyyy; a datetime is first shown in Vietnam's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return value.strftime("%d/%m/%Y")


def format_moment(value: datetime | None) -> str:
    """dd/mm/yyyy HH:mm in Vietnam's time zone."""
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def format_count(value: int | None) -> str:
    """A count as the language writes it: 150.000 in Vietnamese, 150,000 in English."""
    return "–" if value is None else format_number(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["number"] = format_count
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
