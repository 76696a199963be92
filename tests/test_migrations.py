"""The Alembic migrations build exactly the schema the models describe, on
whichever database the suite runs (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
import contextlib
import os
from datetime import datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from learning import create_app
from learning.core import db, migrate
from learning.core.db import Base
from learning.core.migrate import alembic_config
from learning.org import accounts
from tests.conftest import migrated_postgres_schema


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


@contextlib.contextmanager
def _database_at(revision: str, tmp_path):
    """A database of its own at an older revision, of the suite's kind."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        with migrated_postgres_schema(base, prefix="t_upgrade_", revision=revision) as url:
            yield url
        return
    url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    migrate.upgrade(url, revision)
    yield url


def test_the_upgrade_to_sign_ins_signs_nobody_out_and_can_be_undone(tmp_path):
    with _database_at("0002", tmp_path) as url:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO users (full_name, password_hash, session_token, membership, exempt, active, "
                    "created_at) VALUES ('Lò Văn Cũ', 'x', 'token-before-upgrade', 'full', :no, :yes, :now)"),
                    {"no": False, "yes": True, "now": datetime(2026, 1, 1)})
            migrate.upgrade(url)
            app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test"})
            with app.app_context():
                user = accounts.load_by_session_token("token-before-upgrade")
                assert user is not None and user.full_name == "Lò Văn Cũ"
            db.dispose(app)
            with engine.begin() as conn:  # later: a newer sign-in that ended, and a user never signed in
                old_id = conn.execute(text("SELECT id FROM users")).scalar()
                conn.execute(text("INSERT INTO sign_ins (token, user_id, created_at, ended_at) "
                                  "VALUES ('ended-token', :u, :now, :now)"), {"u": old_id, "now": datetime(2026, 2, 1)})
                conn.execute(text(
                    "INSERT INTO users (full_name, name_key, password_hash, membership, exempt, active, created_at) "
                    "VALUES ('Lò Thị Mới', '', 'x', 'full', :no, :yes, :now)"),
                    {"no": False, "yes": True, "now": datetime(2026, 2, 1)})
            command.downgrade(alembic_config(url), "0002")
            with engine.connect() as conn:
                tokens = dict(conn.execute(text("SELECT full_name, session_token FROM users")).all())
            assert tokens["Lò Văn Cũ"] == "token-before-upgrade"  # the newest open sign-in
            assert tokens["Lò Thị Mới"] and tokens["Lò Thị Mới"] != "token-before-upgrade"
        finally:
            engine.dispose()


def test_the_upgrade_to_name_keys_sorts_existing_members_the_vietnamese_way(tmp_path):
    with _database_at("0005", tmp_path) as url:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                for name in ("Trần Văn Bình", "Lê Thị Ánh", "Nguyễn An"):
                    conn.execute(text(
                        "INSERT INTO users (full_name, password_hash, membership, exempt, active, created_at) "
                        "VALUES (:name, 'x', 'full', :no, :yes, :now)"),
                        {"name": name, "no": False, "yes": True, "now": datetime(2026, 1, 1)})
            migrate.upgrade(url, "0006")
            with engine.connect() as conn:
                ordered = conn.execute(text("SELECT full_name FROM users ORDER BY name_key")).scalars().all()
            assert ordered == ["Nguyễn An", "Lê Thị Ánh", "Trần Văn Bình"]  # by given name: An, Ánh, Bình
            command.downgrade(alembic_config(url), "0005")
        finally:
            engine.dispose()
