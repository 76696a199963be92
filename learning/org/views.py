"""Signing in and out; activation codes."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
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
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from learning.core.errors import DomainError
from learning.core.extensions import limiter
from learning.core.input import (
    InvalidInput,
    unstorable_field,
    unstorable_message,
    whole_number,
    without_unstorable,
)
from learning.core.permissions import PUBLIC, REVIEWERS, SIGNED_IN, requires
from learning.core.urls import safe_next
from learning.org import activation, codes
from learning.org.accounts import (
    MIN_PASSWORD_LENGTH,
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


# -- activation codes (org.activation) --------------------------------------------
# Reviewers print codes for their units' members (blueprint `activation`); a
# member opens /activate with one (the QR code holds /activate/<code>) and
# chooses a password (blueprint `auth`, with signing in).

activation_bp = Blueprint("activation", __name__)


class ActivateForm(FlaskForm):
    code = StringField(_l("Activation code"), validators=[DataRequired(_l("Enter your activation code.")),
                                                          Length(max=60)])
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password.")), Length(max=200)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Type the password again.")), EqualTo("password", _l("The two passwords are not the same."))])

    def validate_code(self, field) -> None:
        if not codes.readings(field.data):
            raise ValidationError(activation.not_valid_message())

    def validate_password(self, field) -> None:
        if len(field.data or "") < MIN_PASSWORD_LENGTH:
            raise ValidationError(_("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))


def _activation_limit(setting: str):
    return lambda: current_app.config[setting]


def _typed_code() -> str:
    """Attempts at one code count together from every address (its hash: no code reaches the counters' table)."""
    return "activation-code|" + codes.typed_hash(request.form.get("code", ""))


@bp.route("/activate", methods=["GET", "POST"])
@bp.route("/activate/<code>", methods=["GET"], endpoint="activate_with_code")
@requires(PUBLIC)
@limiter.limit(_activation_limit("ACTIVATION_RATE_LIMIT_PER_ADDRESS"), methods=["POST"])
@limiter.limit(_activation_limit("ACTIVATION_RATE_LIMIT_PER_CODE"), methods=["POST"], key_func=_typed_code)
@limiter.limit(_activation_limit("ACTIVATION_RATE_LIMIT"), methods=["POST"], key_func=lambda: "activation-codes")
def activate(code: str | None = None):
    """The code travels in the path only on the GET the QR code opens; the
    form posts it in the body to /activate. The page sends no Referer
    (its stylesheet and icon requests would otherwise carry the code into
    access logs) and is kept by no cache."""
    form = ActivateForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "GET" and code is not None:
        form.code.data = codes.grouped(codes.normalise(code)) if codes.normalise(code) else code
    refused = unstorable_field(request.form) if request.method == "POST" else None
    if refused is not None:
        field = form[refused] if refused in ("code", "password", "confirm") else form.code
        form.code.data = without_unstorable(form.code.data or "")[0]
        field.errors = [unstorable_message(field.label.text)]
        status = 400
    elif request.method == "POST":
        if form.validate_on_submit():
            try:
                member = activation.activate(form.code.data, form.password.data,
                                             current_user.get_id() if current_user.is_authenticated else None)
            except activation.CodeRefused as refusal:
                form.code.errors.append(str(refusal))
            except DomainError as error:
                form.password.errors.append(str(error))
            else:
                logout_user()
                session.clear()  # a fresh session: no fixation
                session.permanent = True
                start_sign_in(member)
                login_user(member)
                flash(_("Your password is set and you are signed in. Welcome!"), "success")
                return _private(redirect(url_for("learn.home")))
        status = 400
    page = render_template("org/activate.html", form=form, min_length=MIN_PASSWORD_LENGTH)
    return _private(make_response(page, status))


def _private(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@activation_bp.route("/org/activation")
@requires(REVIEWERS)
def units():
    return render_template("org/activation_units.html", units=activation.units_overview(current_user))


@activation_bp.route("/org/units/<int:unit_id>/activation")
@requires(REVIEWERS)
def unit(unit_id: int):
    found = activation.reviewed_unit(current_user, unit_id)
    if found is None:
        abort(404)
    return _unit_page(found)


def _unit_page(unit, error: str | None = None, status: int = 200):
    return render_template("org/activation_unit.html", unit=unit, error=error,
                           rows=activation.unit_members(current_user, unit),
                           below=activation.units_below(current_user, unit)), status


@activation_bp.route("/org/units/<int:unit_id>/activation", methods=["POST"])
@requires(REVIEWERS)
def issue(unit_id: int):
    """The sheet of codes, printed from this response: the codes are never shown again."""
    found = activation.reviewed_unit(current_user, unit_id)
    if found is None:
        abort(404)
    if unstorable_field(request.form) is not None:
        raise InvalidInput(unstorable_message(_("The form")))
    chosen = None
    if request.form.get("who") == "selected":
        chosen = [whole_number(value, _("Members")) for value in request.form.getlist("member") if value]
        if not chosen:
            return _unit_page(found, _("Tick the members who need a new code."), 400)
    try:
        members = activation.select_members(found, chosen)
    except DomainError as error:
        return _unit_page(found, str(error), 400)
    issued = activation.issue_codes(current_user, members)
    if not issued.codes:
        flash(_("Every member of this unit has activated their account.") if not issued.skipped else
              _("These members hold a role: an administrator issues their codes."), "info")
        return redirect(url_for("activation.unit", unit_id=found.id))
    return _sheet(found, issued)


@activation_bp.route("/org/members/<int:member_id>/activation-code", methods=["POST"])
@requires(REVIEWERS)
def issue_one(member_id: int):
    """A forgotten password: one new code, on a slip of its own."""
    member = activation.reviewed_member(current_user, member_id)
    if member is None:
        abort(404)
    issued = activation.issue_codes(current_user, [member])
    if not issued.codes:
        flash(_("These members hold a role: an administrator issues their codes."), "error")
        return redirect(url_for("activation.unit", unit_id=member.unit_id))
    return _sheet(member.unit, issued)


def _sheet(unit, issued):
    return render_template("org/activation_sheet.html", unit=unit, issue=issued, qr=activation.qr_svg)
