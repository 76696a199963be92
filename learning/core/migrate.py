"""Alembic, driven from the app: `flask db upgrade`, `flask db revision`.

No alembic.ini: the script location and the database URL come from here, so
there is one source of truth for the URL (the app's config).
"""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from flask import current_app

from learning.core.config import PROJECT_ROOT


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def make_revision(message: str) -> None:
    command.revision(alembic_config(), message=message, autogenerate=True)
