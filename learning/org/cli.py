"""`flask user create|forget-sign-ins`: accounts from the command line; `flask org
create|rename|move|merge|close|grant|revoke`: the organisation tree and roles."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from learning.core import db
from learning.core.errors import DomainError
from learning.core.lifecycle import one_transaction
from learning.core.permissions import Role
from learning.org import accounts, roles, units
from learning.org.models import RoleGrant, Unit, UnitKind, User

user_cli = AppGroup("user", help="Accounts.")


@user_cli.command("forget-sign-ins")
@one_transaction
def user_forget_sign_ins() -> None:
    """Delete sign-ins that ended or whose cookies have expired (for cron, daily)."""
    forgotten = accounts.forget_old_sign_ins()
    click.echo(_("%(n)s old sign-ins deleted.", n=forgotten))


@user_cli.command("create")
@click.option("--name", required=True, help="Full name")
@click.option("--card", default=None, help="Party card number")
@click.option("--phone", default=None, help="Phone number")
@click.option("--role", "roles", multiple=True, type=click.Choice(["member", "editor", "admin"]),
              default=["member"])
@click.password_option()
@one_transaction
def user_create(name: str, card: str | None, phone: str | None, roles: tuple[str, ...], password: str) -> None:
    """Create an account, e.g. the first administrator of a new installation."""
    try:
        accounts.create_user(full_name=name, party_card_number=card, phone=phone, password=password,
                             roles=[(r, None) for r in roles])
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Account created."))


# -- flask org ...: reshaping the tree ---------------------------------------------------

org_cli = AppGroup("org", help="The organisation tree: units and roles. A unit is named by its code or its number.")


def _unit(reference: str) -> Unit:
    unit = units.find_unit(reference)
    if unit is None:
        raise click.ClickException(_("No unit has the code or number %(ref)s.", ref=reference))
    return unit


def _person(login: str) -> User:
    person = accounts.find_by_login(login)
    if person is None:
        raise click.ClickException(_("Nobody has the Party card number or phone number %(login)s.", login=login))
    return person


def _refusing(operation, *args):
    """Run an operation as the command line (an administrator); a refusal is
    a message and a non-zero exit, and nothing is written."""
    try:
        return operation(None, *args)
    except DomainError as error:
        raise click.ClickException(str(error)) from error


@org_cli.command("create")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice([str(kind) for kind in UnitKind]))
@click.option("--parent", default=None, help="Code or number of the parent unit (none: at the top)")
@click.option("--code", default=None, help="A code of its own (stored upper-cased)")
@one_transaction
def org_create(name: str, kind: str, parent: str | None, code: str | None) -> None:
    """Create a unit."""
    unit = _refusing(units.create_unit, name, kind, _unit(parent) if parent else None, code)
    click.echo(_("%(unit)s created (number %(id)s).", unit=unit.name, id=unit.id))


@org_cli.command("rename")
@click.argument("unit")
@click.option("--name", default=None, help="The new name")
@click.option("--code", default=None, help="The new code (\"\" removes it)")
@one_transaction
def org_rename(unit: str, name: str | None, code: str | None) -> None:
    """Rename a unit or change its code."""
    found = _unit(unit)
    _refusing(units.change_unit, found, found.name if name is None else name,
              found.code if code is None else code)
    click.echo(_("The unit was changed."))


@org_cli.command("move")
@click.argument("unit")
@click.argument("parent")
@one_transaction
def org_move(unit: str, parent: str) -> None:
    """Move a unit, with everything beneath it, under another parent."""
    moved, new_parent = _unit(unit), _unit(parent)
    _refusing(units.move_unit, moved, new_parent)
    click.echo(_("%(unit)s is now under %(parent)s.", unit=moved.name, parent=new_parent.name))


@org_cli.command("merge")
@click.argument("source")
@click.argument("target")
@one_transaction
def org_merge(source: str, target: str) -> None:
    """Merge SOURCE into TARGET: its members, units and reviewers move, and SOURCE is closed."""
    merged, into = _unit(source), _unit(target)
    _refusing(units.merge_units, merged, into)
    click.echo(_("%(unit)s was merged into %(target)s and closed.", unit=merged.name, target=into.name))


@org_cli.command("close")
@click.argument("unit")
@one_transaction
def org_close(unit: str) -> None:
    """Close a unit that has no active member and no open unit beneath it."""
    closed = _unit(unit)
    _refusing(units.close_unit, closed)
    click.echo(_("%(unit)s is closed.", unit=closed.name))


_ROLE_CHOICE = click.Choice([str(role) for role in roles.GRANTABLE_ROLES])


@org_cli.command("grant")
@click.argument("person")
@click.argument("role", type=_ROLE_CHOICE)
@click.option("--unit", default=None, help="The unit a reviewer reviews (code or number)")
@one_transaction
def org_grant(person: str, role: str, unit: str | None) -> None:
    """Grant PERSON (card number or phone) a role."""
    who = _person(person)
    _refusing(roles.grant_role, who, role, _unit(unit) if unit else None)
    click.echo(_("%(person)s is now %(role)s.", person=who.full_name, role=Role.label_of(role)))


@org_cli.command("revoke")
@click.argument("person")
@click.argument("role", type=_ROLE_CHOICE)
@click.option("--unit", default=None, help="The unit of the reviewer grant (code or number)")
@one_transaction
def org_revoke(person: str, role: str, unit: str | None) -> None:
    """Revoke a role from PERSON (card number or phone)."""
    who = _person(person)
    scope = _unit(unit) if unit else None
    grant = db.session.scalars(select(RoleGrant).where(
        RoleGrant.user_id == who.id, RoleGrant.role == role,
        RoleGrant.unit_id == scope.id if scope else RoleGrant.unit_id.is_(None))).first()
    if grant is None:
        raise click.ClickException(_("%(person)s does not hold this role.", person=who.full_name))
    _refusing(roles.revoke_role, grant)
    click.echo(_("%(person)s is no longer %(role)s.", person=who.full_name, role=Role.label_of(role)))
