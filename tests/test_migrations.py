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


def test_the_upgrade_to_unit_lines_fills_lines_tallies_and_the_rows_beneath(tmp_path):
    """0014 builds each unit's line, counts members, and sums the cells'
    roll-ups into the rows of the units above them (but the top)."""
    with _database_at("0011", tmp_path) as url:
        engine = create_engine(url)
        now = datetime(2026, 1, 1)
        try:
            with engine.begin() as conn:
                for unit_id, parent, kind, path in [(1, None, "province", "/1/"), (2, 1, "grassroots", "/1/2/"),
                                                    (3, 2, "cell", "/1/2/3/"), (4, 2, "cell", "/1/2/4/")]:
                    conn.execute(text("INSERT INTO units (id, parent_id, name, kind, path, active, created_at) "
                                      "VALUES (:i, :p, :n, :k, :path, :yes, :now)"),
                                 {"i": unit_id, "p": parent, "n": f"Đơn vị {unit_id}", "k": kind, "path": path,
                                  "yes": True, "now": now})
                for name, unit_id, exempt in [("An", 3, False), ("Bình", 3, True), ("Cường", 4, False)]:
                    conn.execute(text(
                        "INSERT INTO users (full_name, name_key, password_hash, membership, exempt, active, "
                        "unit_id, created_at) VALUES (:n, '', 'x', 'full', :exempt, :yes, :u, :now)"),
                        {"n": name, "exempt": exempt, "yes": True, "u": unit_id, "now": now})
                conn.execute(text("INSERT INTO lessons (id, slug, state, title, doc_number, draft_revision, "
                                  "latest_version_number, created_at, updated_at) "
                                  "VALUES (1, 'bai', 'published', 'Bài', '1-NQ', 0, 1, :now, :now)"), {"now": now})
                for unit_id, started in [(3, 1), (4, 1)]:
                    conn.execute(text("INSERT INTO lesson_rollups (unit_id, lesson_id, started, completed, on_time, "
                                      "reflected, awaiting, scored, score_sum) VALUES (:u, 1, :s, 1, 1, 0, 0, 1, 80)"),
                                 {"u": unit_id, "s": started})
            migrate.upgrade(url)
            with engine.connect() as conn:
                lines = set(conn.execute(text("SELECT unit_id, ancestor_id, depth FROM unit_ancestors")).all())
                tallies = dict(((u, bool(b)), m) for u, b, m in conn.execute(
                    text("SELECT unit_id, beneath, members FROM member_tallies")).all())
                beneath = conn.execute(text("SELECT unit_id, started, completed, score_sum FROM lesson_rollups "
                                            "WHERE beneath")).all()
        finally:
            engine.dispose()
    assert lines == {(1, 1, 0), (2, 2, 0), (3, 3, 0), (3, 2, 1), (4, 4, 0), (4, 2, 1)}
    assert tallies == {(3, False): 1, (4, False): 1, (2, True): 2}
    assert [tuple(row) for row in beneath] == [(2, 2, 2, 160.0)]
