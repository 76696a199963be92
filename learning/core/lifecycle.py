"""The request lifecycle: load → check → one operation → one commit.

Every view runs inside `unit_of_work` (applied to all of them at start-up):
when it returns a response below 400 the request's session commits, once; an
exception, or an error response, rolls everything back. So views and
operations never commit: operations flush, and an operation that refuses
(raises a DomainError the view turns into a message) must leave nothing half
done (see study.submission.submit, which releases its claim when it refuses).
indico's RH.process is the model. CLI commands get the same contract from
`one_transaction`.

Autocommit routes (@db.autocommit) have no transaction around their
statements: each commits on its own, and there is nothing left to commit.
"""
from __future__ import annotations

import functools

from flask import Flask, current_app

from learning.core import db
from learning.core.memo import Bounded


class StudyApp(Flask):
    """Flask, asking once per function rather than on every request whether
    a view or hook is a coroutine function (inspect, about seven times a
    request): Flask's documented place to change how views are run."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._runnable = Bounded(10_000)  # views and hooks: a few hundred; a guard, never reached

    def ensure_sync(self, func):
        runnable = self._runnable.get(func)
        if runnable is None:
            runnable = self._runnable.keep(func, super().ensure_sync(func))
        return runnable


def unit_of_work(view):
    @functools.wraps(view)
    def run(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            db.rollback_request()
            raise
        if response.status_code < 400:
            db.commit_request()
        else:
            db.rollback_request()
        return response

    return run


def wrap_every_view(app: Flask) -> None:
    """Put every endpoint (but static files) inside the unit of work."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = unit_of_work(view)


def one_transaction(command):
    """A CLI command commits once when it ends normally, and rolls back when
    it fails (an exception, click's errors, sys.exit)."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            db.rollback_request()
            raise
        db.commit_request()
        return result

    return run
