"""Web-wide security: route policies, addresses no row can have, response headers, session cookies."""
from __future__ import annotations

from flask import Flask, abort, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user

from learning.core.input import INT32_MAX, InvalidInput, is_storable, unstorable_message
from learning.core.permissions import PUBLIC, Policy

# Where Flask-Login keeps the signed-in user's id (our session token) in the
# session cookie; the ATTEMPT_OWNER routes read it without loading the user.
SESSION_USER_KEY = "_user_id"

# No inline script or style anywhere: the sanitiser is the first wall against
# hostile lesson content, this policy the second.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'none'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecureWhenHttpsSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS
    (directly or through a proxy that ProxyFix trusts), or when forced."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("FORCE_SECURE_COOKIES")) or request.is_secure


def enforce_route_policy():
    """Every endpoint must declare who may reach it; undeclared ones are refused."""
    if request.endpoint is None:
        return None  # 404/405: nothing to protect
    view = current_app.view_functions.get(request.endpoint)
    policy: Policy | None = PUBLIC if request.endpoint == "static" else getattr(view, "access_policy", None)
    if policy is None:
        current_app.logger.error("endpoint %s declares no access policy", request.endpoint)
        abort(403)
    if policy.checked_by_statements and _carries_sign_in():
        return None  # the view's statements admit only the owner's live session
    if policy.needs_sign_in and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.is_authenticated and not policy.allows(current_user):
        abort(403)
    return None


def _carries_sign_in() -> bool:
    """Known without loading the user, so ATTEMPT_OWNER routes stay query-free."""
    return bool(session.get(SESSION_USER_KEY))


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if _carries_sign_in() and "Cache-Control" not in response.headers:
        # Pages with personal data must not be kept by shared caches.
        response.headers["Cache-Control"] = "private, no-store"
    return response


def refuse_unstorable_address(_endpoint, values) -> None:
    """An id above the columns' 32-bit range or a NUL in the path names
    nothing that exists: 404, before any query (PostgreSQL would refuse to
    run it). A NUL in the query string is a 400. A few comparisons, on every
    request: werkzeug has already decoded the path."""
    if values:
        for value in values.values():
            if (type(value) is int and value > INT32_MAX) or (type(value) is str and not is_storable(value)):
                abort(404)
    query = request.query_string
    if query and (b"%00" in query or b"\x00" in query):
        raise InvalidInput(unstorable_message(_("The address")))


def init_app(app: Flask) -> None:
    app.session_interface = SecureWhenHttpsSessionInterface()
    app.url_value_preprocessor(refuse_unstorable_address)
    app.before_request(enforce_route_policy)
    app.after_request(add_security_headers)
