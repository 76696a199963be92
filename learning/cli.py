"""The command line: each area's commands (`flask content|db|user|org|attempts ...`),
and the two that span areas: `setup` (what `make run` does before serving)
and `demo`. Every command that writes commits once (core.lifecycle)."""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import func, select

from learning import demo
from learning.core import db, migrate
from learning.core.cli import db_cli
from learning.core.clock import vietnam_today
from learning.core.config import PROJECT_ROOT
from learning.core.lifecycle import one_transaction
from learning.lessons import publishing
from learning.lessons.cli import content_cli, report
from learning.lessons.models import Lesson
from learning.org.cli import org_cli, user_cli
from learning.study.cli import attempts_cli, study_cli


@click.command("demo")
@one_transaction
def demo_command() -> None:
    """Load the demo organisation (for trying the app, never for production)."""
    if demo.is_loaded():
        raise click.ClickException(_("The demo organisation is already loaded."))
    demo.load_demo_organisation()
    if db.session.scalar(select(func.count()).select_from(Lesson)):
        demo.load_demo_campaigns(vietnam_today())
        demo.load_demo_study()
        demo.load_demo_period(vietnam_today())
    click.echo(_("Demo organisation loaded."))


@click.command("setup")
@click.option("--demo", "with_demo", is_flag=True,
              help="Also load the demo organisation, whose accounts share a published password "
                   "(make run asks for it; never on a real installation).")
@one_transaction
def setup_command(with_demo: bool) -> None:
    """Migrate, and publish the shipped lessons into an empty database; with
    --demo, also load the demo organisation once."""
    migrate.upgrade()
    if not db.session.scalar(select(func.count()).select_from(Lesson)):
        files = publishing.collect_lesson_files([str(PROJECT_ROOT / "content")])
        try:
            results = publishing.import_files(files)
        except publishing.ContentProblems as error:
            report(error.problems)
            raise click.ClickException(_("The shipped lessons have problems; nothing was imported.")) from error
        click.echo(_("%(n)s lessons published from content/.", n=len(results)))
    if with_demo and not demo.is_loaded():
        demo.load_demo_organisation()
        demo.load_demo_campaigns(vietnam_today())
        demo.load_demo_study()
        demo.load_demo_period(vietnam_today())
        click.echo(_("Demo organisation loaded."))


def init_app(app: Flask) -> None:
    for command in (content_cli, db_cli, user_cli, org_cli, attempts_cli, study_cli, demo_command, setup_command):
        app.cli.add_command(command)
