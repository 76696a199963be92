"""Web-wide security: route policies, addresses no row can have, response headers, session cookies."""
from __future__ import annotations

import time

from flask import Flask, abort, current_app, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from learning.core.input import INT32_MAX, InvalidInput, is_storable, unstorable_message
from learning.core.memo import Bounded
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
_HEADERS_BY_LOWER_NAME = [(name.lower(), name, value) for name, value in SECURITY_HEADERS.items()]


class SecureWhenHttpsSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with four changes:

    - the cookie is marked Secure whenever the request came over HTTPS
      (directly or through a proxy that ProxyFix trusts), or when forced;
    - the signing serializer is built once per app and set of keys, not
      twice per request as Flask does;
    - a cookie this worker has verified is remembered with what it holds, so
      a member's next save is not verified again (a signature check, a
      decompression and a JSON parse: a tenth of a trivial request). Only
      the exact cookie string is remembered, and its age is still checked
      against the session's lifetime every time; a session holding anything
      but plain values (flashed messages are a list) is not remembered, so
      no request can change what another one reads;
    - a session left as it came is not written back, and Flask's cookie
      settings are not read for it.
    """

    OPENED_LIMIT = 5_000  # cookies; about a kilobyte each

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._opened: Bounded = Bounded(self.OPENED_LIMIT)  # cookie → (what it holds, when signed)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("FORCE_SECURE_COOKIES")) or request.is_secure

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        known = self._opened.get(cookie)
        if known is not None and time.time() - known[1] <= max_age:
            return self.session_class(known[0])
        try:
            data, signed_at = serializer.loads(cookie, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(type(value) in _PLAIN for value in data.values()):
            self._opened.keep(cookie, (data, signed_at.timestamp()))
        return self.session_class(data)

    def save_session(self, app: Flask, session, response) -> None:
        """Most responses leave the session as it came: say so at once,
        before Flask reads the seven cookie settings it would not use."""
        if not session.modified and not (session and self.should_set_cookie(app, session)):
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


_PLAIN = (str, int, bool, float, type(None))


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
    if policy.checks_roles and current_user.is_authenticated and not policy.allows(current_user):
        abort(403)
    return None


def _carries_sign_in() -> bool:
    """Known without loading the user, so ATTEMPT_OWNER routes stay query-free."""
    return bool(session.get(SESSION_USER_KEY))


def add_security_headers(response):
    """Each header a view has not set itself. One pass over the response's
    few headers: six setdefault calls, a scan each, cost a tenth of a
    trivial request."""
    present = {name.lower() for name in response.headers.keys()}
    response.headers.extend([(name, value) for lower, name, value in _HEADERS_BY_LOWER_NAME if lower not in present])
    if "cache-control" not in present and _carries_sign_in():
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
