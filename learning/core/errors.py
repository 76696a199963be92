"""Domain errors, and the error pages in the user's language."""
from flask import Flask, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from learning.core import db
from learning.core.input import InvalidInput


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""


def init_app(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, _page(code))
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(InvalidInput, _invalid_input)
    app.register_error_handler(DBAPIError, _database_error)


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _csrf_error(_error: CSRFError):
    if _wants_json():
        return jsonify(error=_("The form has expired")), 400
    return render_template("errors/csrf.html", error_page=True), 400


def _invalid_input(error: InvalidInput):
    """Malformed input (core.input) that a view did not show in its own form:
    a 400 saying what was wrong; the request changed nothing (the lifecycle
    rolls an error response back, and the checks run before any write).
    A page that has a GET of its own links back to it."""
    # `invalid`: resending the same will not help; `invalid_keys`: the answers
    # at fault, when known (the quiz script refuses those and resends the rest).
    if _wants_json():
        return jsonify(error=str(error), invalid=True, invalid_keys=[error.field] if error.field else []), 400
    rule = request.url_rule
    back = request.path if rule is not None and "GET" in rule.methods else url_for("learn.home")
    return render_template("errors/invalid_input.html", message=str(error), back=back, error_page=True), 400


def _database_error(error: DBAPIError):
    """The database was unreachable or dropped the connection (a restart, a
    failover): SQLAlchemy has already replaced the pool, so trying again
    works. Say so with a 503, which the quiz page's script retries; any other
    database error is a plain 500."""
    if not (error.connection_invalidated or isinstance(error, OperationalError)):
        raise error
    db.discard_failed_work()  # so that the next statement of this worker starts clean
    message = _("The service is briefly unavailable: please try again in a few seconds")
    headers = {"Retry-After": "5"}
    if _wants_json():
        return jsonify(error=message), 503, headers
    return render_template("errors/error.html", code=503, error_page=True), 503, headers


def _page(code: int):
    """Error pages never touch the database (`error_page` keeps the
    signed-in menu out, and the language comes without a query), so they
    render even while the database is down."""
    def handler(_error):
        return render_template("errors/error.html", code=code, error_page=True), code

    return handler
