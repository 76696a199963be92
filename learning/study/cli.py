"""`flask attempts close-expired`: for cron."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from learning.core.lifecycle import one_transaction
from learning.org import lineage, tallies
from learning.study import rollups, submission

attempts_cli = AppGroup("attempts", help="Quiz attempts.")


@attempts_cli.command("close-expired")
@one_transaction
def attempts_close_expired() -> None:
    """Submit, with what was saved, every attempt whose time ran out (for cron)."""
    closed = submission.close_all_expired()
    click.echo(_("%(n)s expired attempts submitted.", n=closed))


study_cli = AppGroup("study", help="Members' study.")


@study_cli.command("rebuild-rollups")
@one_transaction
def study_rebuild_rollups() -> None:
    """Rebuild the units' lines, member counts and progress roll-ups from the
    tree, the members and lesson_progress (after a bulk import or a repair)."""
    lineage.rebuild()
    tallies.recount(None)
    rollups.recompute(None)
    click.echo(_("Units' lines, member counts and progress roll-ups rebuilt."))
