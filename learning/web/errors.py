"""Error pages in the user's language."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError


def init_app(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _page(code))
    app.register_error_handler(CSRFError, lambda e: (render_template("errors/csrf.html"), 400))


def _page(code: int):
    def handler(_error):
        return render_template("errors/error.html", code=code), code

    return handler
