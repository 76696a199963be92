"""Flask extensions, created unbound and initialised in create_app()."""
from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _route_without_limits() -> bool:
    """Skip the limiter's work on routes that declare no limit (all but
    sign-in): it costs a few percent of saving an answer. Flask-Limiter marks
    the views its decorator wraps (test_auth's 429 test fails if that mark
    changes). Remove this filter if default or application-wide limits are
    ever configured: it would skip them."""
    view = current_app.view_functions.get(request.endpoint or "")
    return not hasattr(view, "__wrapper-limiter-instance")
