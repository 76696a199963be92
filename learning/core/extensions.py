"""Flask extensions, created unbound and initialised in create_app()."""
from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])




def init_csrf(app: Flask) -> None:
    """Flask-WTF's CSRF protection, checked only where it can fail: its own
    hook looks up the view's exemptions before it looks at the method, on
    every GET too. This hook, in the same place, asks the method first and
    then runs the same check (Flask-WTF's documented manual mode)."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    methods = app.config["WTF_CSRF_METHODS"]

    @app.before_request
    def check_csrf_token():
        if request.method in methods and app.config["WTF_CSRF_ENABLED"]:
            csrf.protect(apply_exemptions=True)


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
