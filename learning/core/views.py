"""Small public endpoints: language choice and a health check."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request

from learning.core.i18n import LANG_COOKIE
from learning.core.permissions import PUBLIC, requires
from learning.core.urls import safe_next

bp = Blueprint("misc", __name__)


@bp.route("/lang/<code>")
@requires(PUBLIC)
def set_language(code: str):
    response = redirect(safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


HEALTHY = b'{"status":"ok"}\n'


@bp.route("/healthz")
@requires(PUBLIC)
def health():
    """For the load balancer, many times a second: a ready-made body, no
    JSON encoder. It answers whether the worker serves, not whether the
    database does (a failed statement elsewhere is a 503, errors.py)."""
    return Response(HEALTHY, mimetype="application/json")
