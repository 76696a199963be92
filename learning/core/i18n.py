"""Language and time: Vietnamese first, English too; dates dd/mm/yyyy in
Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, request
from flask_babel import format_datetime, get_locale
from flask_login import current_user


LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if request:
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen in languages:
            return chosen
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


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


def init_app(app: Flask) -> None:
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
