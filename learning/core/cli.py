"""`flask db upgrade|revision`: migrations."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from learning.core import migrate

db_cli = AppGroup("db", help="Database migrations.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    migrate.upgrade()


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    migrate.make_revision(message)
