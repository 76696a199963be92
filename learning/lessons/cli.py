"""`flask content check|import`: lesson files from the command line."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from learning.core.lifecycle import one_transaction
from learning.lessons import publishing

content_cli = AppGroup("content", help="Check and publish lesson files.")


@content_cli.command("check")
@click.argument("paths", nargs=-1, required=True)
def content_check(paths: tuple[str, ...]) -> None:
    """Validate lesson files without writing anything."""
    files = publishing.collect_lesson_files(list(paths))
    drafts, problems = publishing.check_files(files)
    report(problems)
    click.echo(_("%(ok)s of %(total)s files are ready to publish.", ok=len(drafts), total=len(files)))
    if problems or not files:
        sys.exit(1)


@content_cli.command("import")
@click.argument("paths", nargs=-1, required=True)
@one_transaction
def content_import(paths: tuple[str, ...]) -> None:
    """Publish lesson files: all of them, or nothing when any has a problem."""
    files = publishing.collect_lesson_files(list(paths))
    if not files:
        click.echo(_("No lesson files found."), err=True)
        sys.exit(1)
    try:
        results = publishing.import_files(files)
    except publishing.ContentProblems as error:
        report(error.problems)
        click.echo(_("Nothing was imported."), err=True)
        sys.exit(1)
    for result in results:
        if result.changed:
            click.echo(_("%(slug)s: published version %(n)s", slug=result.lesson.slug, n=result.version.number))
        else:
            click.echo(_("%(slug)s: unchanged (version %(n)s)", slug=result.lesson.slug, n=result.version.number))


def report(problems) -> None:
    for filename, problem in problems:
        click.echo(problem.format(filename), err=True)
