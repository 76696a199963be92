"""Signing in and out."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from learning.core.extensions import limiter
from learning.core.input import unstorable_field, unstorable_message, without_unstorable
from learning.core.permissions import PUBLIC, SIGNED_IN, requires
from learning.core.urls import safe_next
from learning.org.accounts import (
    authenticate,
    end_sign_in,
    normalise_login,
    start_sign_in,
)

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    identifier = StringField(_l("Party card number or phone number"),
                             validators=[DataRequired(_l("Enter your Party card number or phone number.")), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_and_account() -> str:
    """Guessing is limited per account and address, not per address alone: a
    whole cell meeting signs in from one Wi-Fi, and carriers share addresses."""
    return f"{get_remote_address()}|{normalise_login(request.form.get('identifier', ''))}"


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"], key_func=_address_and_account)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    # The form's fields only: Flask-WTF would read a JSON body as the form.
    form = LoginForm(formdata=request.form if request.method == "POST" else None)
    refused = unstorable_field(request.form) if request.method == "POST" else None
    if refused is not None:
        return _unstorable(form, refused), 400
    if form.validate_on_submit():
        user = authenticate(form.identifier.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The card number, phone number or password is not right."))
        else:
            session.clear()  # a fresh session on sign-in: no fixation
            session.permanent = True
            start_sign_in(user)
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("org/login.html", form=form)


def _unstorable(form: LoginForm, refused: str):
    """A NUL or an invalid character (no database stores them): the form
    again, with the message on the field at fault, minus those characters."""
    field = form[refused] if refused in ("identifier", "password") else form.identifier
    form.identifier.data = without_unstorable(form.identifier.data or "")[0]
    field.errors = [unstorable_message(field.label.text)]
    return render_template("org/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires(SIGNED_IN)
def logout():
    end_sign_in(current_user.get_id())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
