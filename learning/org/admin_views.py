"""Organisation pages (/org): the units of a reviewer's scope as a tree, a
unit's page, and the forms that reshape the tree and grant roles. Admins
anywhere; reviewers within their subtree (org.units says who may do what);
a unit, grant or member outside the scope is a 404."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.core import db
from learning.core.errors import DomainError
from learning.core.input import (
    InvalidInput,
    storable_form,
    unstorable_field,
    unstorable_message,
    whole_number,
)
from learning.core.permissions import ADMINS, REVIEWERS, Role, is_admin, requires
from learning.org import roles
from learning.org import units as org
from learning.org.models import UNIT_KINDS, RoleGrant, Unit
from learning.org.scope import outside_scope

bp = Blueprint("org_admin", __name__)

# A scope with more open units than this gets a code field instead of a <select>.
SELECT_LIMIT = 150


def _labels() -> dict[str, str]:
    return {"name": _("Name"), "code": _("Code"), "kind": _("Kind of unit"), "target_id": _("Unit"),
            "target_code": _("Code or number of the unit"), "member": _("Members"), "role": _("Role"),
            "person": _("Party card number or phone number"), "page": _("Page")}


def _unit_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or not org.covers(current_user, unit):
        abort(404)
    return unit


def _checked_form():
    """The form, or InvalidInput naming the first field no database stores."""
    refused = unstorable_field(request.form)
    if refused is not None:
        raise InvalidInput(unstorable_message(_labels().get(refused, _("The form"))), field=refused)
    return request.form


def _target(form) -> Unit:
    """The unit chosen in a form: from the <select> (an id), or typed (a code or a number)."""
    chosen = form.get("target_id", "")
    if chosen:
        unit = db.session.get(Unit, whole_number(chosen, _labels()["target_id"]))
    else:
        typed = form.get("target_code", "")
        if not typed.strip():
            raise InvalidInput(_("%(field)s: choose a unit.", field=_labels()["target_code"]), field="target_code")
        unit = org.find_unit(typed)
    if unit is None or not org.covers(current_user, unit):
        raise InvalidInput(_("%(field)s: no unit among those you review has this code or number.",
                             field=_labels()["target_code"]), field="target_code")
    return unit


# -- pages -------------------------------------------------------------------------

@bp.route("/")
@requires(REVIEWERS)
def index():
    roots = org.reviewed_roots(current_user)
    return render_template("org/index.html", roots=roots,
                           children=org.children_with_counts([u.id for u in roots]),
                           global_grants=roles.global_grants() if is_admin(current_user) else [],
                           admin=is_admin(current_user), kinds=UNIT_KINDS, errors={}, form={})


@bp.route("/find")
@requires(REVIEWERS)
def find():
    """Go to a unit by its code or number (a big scope's shortcut)."""
    code = request.args.get("code", "")
    unit = org.find_unit(code) if len(code) <= 40 and unstorable_field(request.args) is None else None
    if unit is None or not org.covers(current_user, unit):
        flash(_("No unit among those you review has this code or number."), "error")
        return redirect(url_for("org_admin.index"))
    return redirect(url_for("org_admin.unit", unit_id=unit.id))


@bp.route("/units/<int:unit_id>")
@requires(REVIEWERS)
def unit(unit_id: int):
    return _unit_page(_unit_or_404(unit_id))


def _page_number() -> int:
    page = request.args.get("page", "1") or "1"
    return max(1, whole_number(page, _labels()["page"], maximum=100_000))


def _unit_page(unit: Unit, errors: dict[str, str] | None = None, form=None, status: int = 200):
    page = _page_number()
    members, more = org.unit_members(unit, page)
    above = org.ancestors(unit)
    hidden = outside_scope(current_user, [u.id for u in above])
    big = org.scope_size(current_user) > SELECT_LIMIT
    return render_template(
        "org/unit.html", unit=unit, ancestors=[(u, u.id not in hidden) for u in above],
        children=org.children_with_counts([unit.id])[unit.id], members=members, page=page, more=more,
        member_count=org.count_members(unit), holders=roles.role_holders(unit),
        manages=org.manages(current_user, unit), kinds=UNIT_KINDS,
        targets=[] if big else org.scope_units(current_user, SELECT_LIMIT),
        roles=roles.grantable_roles(current_user), errors=errors or {}, form=form or {},
    ), status


def _refused(unit: Unit | None, which: str, error: Exception):
    """The page again, with the message at the form that was sent, and a 400:
    nothing was written."""
    form = storable_form(request.form)
    if unit is None:
        roots = org.reviewed_roots(current_user)
        return render_template("org/index.html", roots=roots, children=org.children_with_counts([u.id for u in roots]),
                               global_grants=roles.global_grants() if is_admin(current_user) else [],
                               admin=is_admin(current_user), kinds=UNIT_KINDS, errors={which: str(error)},
                               form=form), 400
    return _unit_page(unit, errors={which: str(error)}, form=form, status=400)


def _done(message: str, unit: Unit | None):
    flash(message, "success")
    # "#main": the message at the top is in view (not the form's anchor the browser would keep).
    return redirect(url_for("org_admin.unit", unit_id=unit.id, _anchor="main") if unit
                    else url_for("org_admin.index", _anchor="main"))


# -- actions -------------------------------------------------------------------------

@bp.route("/units", methods=["POST"])
@requires(ADMINS)
def create_top():
    """A unit at the top of the tree (a province): admins only."""
    try:
        form = _checked_form()
        created = org.create_unit(current_user, form.get("name", ""), form.get("kind", ""), None, form.get("code"))
    except (InvalidInput, DomainError) as error:
        return _refused(None, "create", error)
    return _done(_("%(unit)s created.", unit=created.name), created)


@bp.route("/units/<int:unit_id>/children", methods=["POST"])
@requires(REVIEWERS)
def create_child(unit_id: int):
    parent = _unit_or_404(unit_id)
    try:
        form = _checked_form()
        created = org.create_unit(current_user, form.get("name", ""), form.get("kind", ""), parent,
                                  form.get("code"))
    except (InvalidInput, DomainError) as error:
        return _refused(parent, "create", error)
    return _done(_("%(unit)s created.", unit=created.name), created)


@bp.route("/units/<int:unit_id>/edit", methods=["POST"])
@requires(REVIEWERS)
def edit(unit_id: int):
    unit = _unit_or_404(unit_id)
    try:
        form = _checked_form()
        org.change_unit(current_user, unit, form.get("name", ""), form.get("code"))
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "edit", error)
    return _done(_("The unit was changed."), unit)


@bp.route("/units/<int:unit_id>/move", methods=["POST"])
@requires(REVIEWERS)
def move(unit_id: int):
    unit = _unit_or_404(unit_id)
    try:
        parent = _target(_checked_form())
        org.move_unit(current_user, unit, parent)
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "move", error)
    return _done(_("%(unit)s is now under %(parent)s.", unit=unit.name, parent=parent.name), unit)


@bp.route("/units/<int:unit_id>/merge", methods=["POST"])
@requires(REVIEWERS)
def merge(unit_id: int):
    unit = _unit_or_404(unit_id)
    try:
        target = _target(_checked_form())
        org.merge_units(current_user, unit, target)
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "merge", error)
    return _done(_("%(unit)s was merged into %(target)s and closed.", unit=unit.name, target=target.name), target)


@bp.route("/units/<int:unit_id>/close", methods=["POST"])
@requires(REVIEWERS)
def close(unit_id: int):
    unit = _unit_or_404(unit_id)
    try:
        _checked_form()
        org.close_unit(current_user, unit)
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "close", error)
    return _done(_("%(unit)s is closed.", unit=unit.name), unit)


@bp.route("/units/<int:unit_id>/members/move", methods=["POST"])
@requires(REVIEWERS)
def move_members(unit_id: int):
    """Move the ticked members of this unit to another unit ("move to cell")."""
    unit = _unit_or_404(unit_id)
    try:
        form = _checked_form()
        ids = [whole_number(value, _labels()["member"]) for value in form.getlist("member") if value]
        if not ids:
            raise InvalidInput(_("%(field)s: tick at least one member to move.", field=_labels()["member"]),
                               field="member")
        target = _target(form)
        moved = org.move_members(current_user, ids, target)
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "members", error)
    return _done(_("%(n)s members moved to %(unit)s.", n=len(moved), unit=target.name), unit)


@bp.route("/units/<int:unit_id>/grants", methods=["POST"])
@requires(REVIEWERS)
def grant(unit_id: int):
    """Grant a role: reviewer of this unit; editor or admin (admins only) everywhere."""
    unit = _unit_or_404(unit_id)
    try:
        form = _checked_form()
        role = form.get("role", "")
        if role not in roles.grantable_roles(current_user):
            raise InvalidInput(_("%(field)s: choose a role to grant.", field=_labels()["role"]), field="role")
        person = roles.find_person(current_user, form.get("person", "")[:40])
        roles.grant_role(current_user, person, role, unit)
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "grant", error)
    return _done(_("%(person)s is now %(role)s.", person=person.full_name, role=Role.label_of(role)), unit)


@bp.route("/grants/<int:grant_id>/revoke", methods=["POST"])
@requires(REVIEWERS)
def revoke(grant_id: int):
    role_grant = db.session.get(RoleGrant, grant_id)
    if role_grant is None or not roles.may_revoke(current_user, role_grant):
        abort(404)
    unit = role_grant.unit
    person, role = role_grant.user.full_name, role_grant.role
    try:
        _checked_form()
        roles.revoke_role(current_user, role_grant)
    except (InvalidInput, DomainError) as error:
        return _refused(unit, "grants", error)
    return _done(_("%(person)s is no longer %(role)s.", person=person, role=Role.label_of(role)), unit)

