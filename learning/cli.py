"""Command line: `flask --app app content check|import`, `db upgrade`, `demo`,
`setup`, `user create|forget-sign-ins`, `attempts close-expired`. Commands
call services and commit once."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import func, select

from learning.core.config import PROJECT_ROOT
from learning.core import db, migrate
from learning.core.clock import vietnam_today
from learning.models import Lesson, Unit
from learning.core.errors import DomainError
from learning.org import accounts
from learning import demo
from learning.lessons import publishing
from learning.study import operations as study

content_cli = AppGroup("content", help="Check and publish lesson files.")
db_cli = AppGroup("db", help="Database migrations.")
user_cli = AppGroup("user", help="Accounts.")
attempts_cli = AppGroup("attempts", help="Quiz attempts.")


@attempts_cli.command("close-expired")
def attempts_close_expired() -> None:
    """Submit, with what was saved, every attempt whose time ran out (for cron)."""
    closed = study.close_all_expired()
    db.session.commit()
    click.echo(_("%(n)s expired attempts submitted.", n=closed))


@user_cli.command("forget-sign-ins")
def user_forget_sign_ins() -> None:
    """Delete sign-ins that ended or whose cookies have expired (for cron, daily)."""
    forgotten = accounts.forget_old_sign_ins()
    db.session.commit()
    click.echo(_("%(n)s old sign-ins deleted.", n=forgotten))


@content_cli.command("check")
@click.argument("paths", nargs=-1, required=True)
def content_check(paths: tuple[str, ...]) -> None:
    """Validate lesson files without writing anything."""
    files = publishing.collect_lesson_files(list(paths))
    drafts, problems = publishing.check_files(files)
    _report(problems)
    click.echo(_("%(ok)s of %(total)s files are ready to publish.", ok=len(drafts), total=len(files)))
    if problems or not files:
        sys.exit(1)


@content_cli.command("import")
@click.argument("paths", nargs=-1, required=True)
def content_import(paths: tuple[str, ...]) -> None:
    """Publish lesson files: all of them, or nothing when any has a problem."""
    files = publishing.collect_lesson_files(list(paths))
    if not files:
        click.echo(_("No lesson files found."), err=True)
        sys.exit(1)
    try:
        results = publishing.import_files(files)
    except publishing.ContentProblems as error:
        db.session.rollback()
        _report(error.problems)
        click.echo(_("Nothing was imported."), err=True)
        sys.exit(1)
    db.session.commit()
    for result in results:
        if result.changed:
            click.echo(_("%(slug)s: published version %(n)s", slug=result.lesson.slug, n=result.version.number))
        else:
            click.echo(_("%(slug)s: unchanged (version %(n)s)", slug=result.lesson.slug, n=result.version.number))


def _report(problems) -> None:
    for filename, problem in problems:
        click.echo(problem.format(filename), err=True)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    migrate.upgrade()


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    migrate.make_revision(message)


@click.command("demo")
def demo_command() -> None:
    """Load the demo organisation (for trying the app, never for production)."""
    if demo.is_loaded():
        raise click.ClickException(_("The demo organisation is already loaded."))
    demo.load_demo_organisation()
    db.session.commit()
    click.echo(_("Demo organisation loaded."))


@click.command("setup")
def setup_command() -> None:
    """What `make run` does before serving: migrate, and on the first run load
    the shipped lessons and the demo organisation."""
    migrate.upgrade()
    first_run = not db.session.scalar(select(func.count()).select_from(Unit))
    if first_run:
        demo.load_demo_organisation()
        click.echo(_("Demo organisation loaded."))
    if not db.session.scalar(select(func.count()).select_from(Lesson)):
        files = publishing.collect_lesson_files([str(PROJECT_ROOT / "content")])
        try:
            results = publishing.import_files(files)
        except publishing.ContentProblems as error:
            _report(error.problems)
            raise click.ClickException(_("The shipped lessons have problems; nothing was imported.")) from error
        click.echo(_("%(n)s lessons published from content/.", n=len(results)))
        if first_run:
            demo.load_demo_campaigns(vietnam_today())
    db.session.commit()


@user_cli.command("create")
@click.option("--name", required=True, help="Full name")
@click.option("--card", default=None, help="Party card number")
@click.option("--phone", default=None, help="Phone number")
@click.option("--role", "roles", multiple=True, type=click.Choice(["member", "editor", "admin"]),
              default=["member"])
@click.password_option()
def user_create(name: str, card: str | None, phone: str | None, roles: tuple[str, ...], password: str) -> None:
    """Create an account, e.g. the first administrator of a new installation."""
    try:
        accounts.create_user(full_name=name, party_card_number=card, phone=phone, password=password,
                             roles=[(r, None) for r in roles])
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(_("Account created."))


def init_app(app: Flask) -> None:
    for command in (content_cli, db_cli, user_cli, attempts_cli, demo_command, setup_command):
        app.cli.add_command(command)
