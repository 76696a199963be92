"""Error pages in the user's language."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError


def init_app(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, _page(code))
    app.register_error_handler(CSRFError, lambda e: (render_template("errors/csrf.html"), 400))
    app.register_error_handler(DBAPIError, _database_error)


def _database_error(error: DBAPIError):
    """A connection lost mid-request (the database restarted): SQLAlchemy has
    already replaced the pool, so trying again works. Say so with a 503, which
    the quiz page's script retries; anything else is a plain 500."""
    if not error.connection_invalidated:
        raise error
    return render_template("errors/error.html", code=503), 503, {"Retry-After": "5"}


def _page(code: int):
    def handler(_error):
        return render_template("errors/error.html", code=code), code

    return handler
