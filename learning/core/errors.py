"""Domain errors, and the error pages in the user's language."""
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from learning.core import db


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""


def init_app(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, _page(code))
    app.register_error_handler(CSRFError, lambda e: (render_template("errors/csrf.html", error_page=True), 400))
    app.register_error_handler(DBAPIError, _database_error)


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
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=message), 503, headers
    return render_template("errors/error.html", code=503, error_page=True), 503, headers


def _page(code: int):
    """Error pages never touch the database (`error_page` keeps the
    signed-in menu out, and the language comes without a query), so they
    render even while the database is down."""
    def handler(_error):
        return render_template("errors/error.html", code=code, error_page=True), code

    return handler
