"""Flask extensions, created unbound and initialised in create_app()."""
from flask import Flask, g, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from flask_wtf.csrf import same_origin

from learning.core.memo import Bounded

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


# Token pairs (sent, session's) already found valid, per worker; a guard on size.
VERIFIED_TOKENS_LIMIT = 10_000


def init_csrf(app: Flask) -> None:
    """Flask-WTF's CSRF protection, in Flask-WTF's documented manual mode
    (WTF_CSRF_CHECK_DEFAULT off, protect() called by this hook), for two
    savings on every request:

    - its own hook looks up the view's exemptions before the method, on
      every GET too; this one asks the method first;
    - the quiz page's script sends the same token with every answer it
      saves: a token Flask-WTF found valid for a session is remembered with
      that session's token. With no time limit on tokens
      (WTF_CSRF_TIME_LIMIT = None) the check's outcome depends on nothing
      else, so the next request sending that pair is let through without
      the signature check (a fifth of saving an answer). Only requests
      without a form body (no form field to prefer) and only pairs
      protect() has validated are remembered; HTTPS's referrer check is
      still made every time.
    """
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    methods = app.config["WTF_CSRF_METHODS"]
    verified = Bounded(VERIFIED_TOKENS_LIMIT)  # (sent, session's) → True

    @app.before_request
    def check_csrf_token():
        if request.method not in methods or not app.config["WTF_CSRF_ENABLED"]:
            return
        pair = _scripts_token_pair(app)
        if pair is not None and pair in verified and _referrer_allowed(app):
            g.csrf_valid = True  # as protect() marks it
            return
        csrf.protect(apply_exemptions=True)  # raises CSRFError (a 400) when refused
        if pair is not None and g.get("csrf_valid"):
            verified.keep(pair, True)


# The bodies werkzeug reads form fields from: Flask-WTF prefers a token there.
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _scripts_token_pair(app: Flask) -> tuple[str, str] | None:
    """(the token a script sent in its header, the session's own), for a
    request without a form body (JSON, or none): the token protect() itself
    would read, since it looks at the headers when the form has none."""
    if request.mimetype in _FORM_TYPES:
        return None
    own = session.get(app.config["WTF_CSRF_FIELD_NAME"])
    for header in app.config["WTF_CSRF_HEADERS"]:
        sent = request.headers.get(header)
        if sent:
            return (sent, own) if own else None
    return None


def _referrer_allowed(app: Flask) -> bool:
    """protect()'s own rule: over HTTPS, the request must come from this site."""
    if not (request.is_secure and app.config["WTF_CSRF_SSL_STRICT"]):
        return True
    return bool(request.referrer) and same_origin(request.referrer, f"https://{request.host}/")


def init_limiter(app: Flask) -> None:
    """Flask-Limiter with its storage, without its request hooks.

    Every limit here is a decorator's (sign-in, activation), and the
    decorator checks its limits itself when the view runs. The hooks that
    init_app adds (a check before every request, headers after, a reset at
    teardown) serve only default and application-wide limits, which this app
    has none of; on every other request they cost about a tenth of a
    trivial one. So they are taken off again, and a configuration that
    would need them is refused."""
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        raise RuntimeError("default or application-wide rate limits need Flask-Limiter's request hooks, "
                           "which extensions.init_limiter removes: put the limit on the routes instead")
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    before = [len(registry.get(None, [])) for registry in hooks]
    limiter.init_app(app)
    for registry, count in zip(hooks, before):
        del registry[None][count:]
