"""`flask user create|forget-sign-ins`: accounts from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from learning.core.errors import DomainError
from learning.core.lifecycle import one_transaction
from learning.org import accounts

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
