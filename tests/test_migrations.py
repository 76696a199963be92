"""The Alembic migrations build exactly the schema the models describe, on
whichever database the suite runs (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from learning.db import Base
from learning.migrate import alembic_config


def test_migrations_produce_the_models_schema(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], "models and migrations differ; write a migration: flask db revision -m ..."


def test_database_is_at_the_single_head(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
    heads = ScriptDirectory.from_config(alembic_config(database_url)).get_heads()
    assert len(heads) == 1, "migrations have branched: merge them"
    assert set(current) == set(heads)
