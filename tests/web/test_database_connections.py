"""When PostgreSQL restarts under the app: a pooled connection that sat idle is
tested and replaced before use, so nobody notices; one in constant use fails
its next request with a 503 that says to try again (the quiz page's script
retries it), and the request after that works.

These tests kill server connections, so they need PostgreSQL: TEST_DATABASE_URL,
or the local server these machines run. Both suite runs (SQLite and
PostgreSQL) exercise them."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from learning import create_app
from learning.core import db
from learning.core import db as database
from learning.core.permissions import PUBLIC, requires
from learning.org import accounts
from tests.conftest import FAST_HASH, PASSWORD, FormClient, migrated_postgres_schema

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="module")
def postgres_url():
    url = os.environ.get("TEST_DATABASE_URL") or LOCAL_POSTGRES
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {url}: start it, or set TEST_DATABASE_URL")
    finally:
        engine.dispose()
    return url


def terminate(url: str, pid: int) -> None:
    """What a database restart does to one server connection."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def backend_pid(connection) -> int:
    return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def test_an_idle_connection_killed_by_a_restart_is_replaced_unnoticed(postgres_url, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0)  # every pooled connection counts as idle
    engine = database.make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            killed = backend_pid(conn)
        terminate(postgres_url, killed)
        with engine.connect() as conn:  # the pool tests it, finds it dead and connects anew
            assert backend_pid(conn) != killed
    finally:
        engine.dispose()


def test_a_busy_connection_killed_by_a_restart_gives_one_503_then_works(postgres_url):
    app = create_app({"DATABASE_URL": postgres_url, "SECRET_KEY": "test-secret", "TESTING": True})
    pids = []

    @requires(PUBLIC)
    def which_backend():
        pids.append(backend_pid(db.session.connection()))
        return str(pids[-1])

    app.add_url_rule("/test-backend", "test_backend", which_backend)
    client = app.test_client()
    try:
        assert client.get("/test-backend").status_code == 200
        terminate(postgres_url, pids[-1])  # the worker used it a moment ago: it is not tested again
        failed = client.get("/test-backend")
        assert failed.status_code == 503 and failed.headers["Retry-After"] == "5"
        assert "thử lại sau vài giây" in failed.get_data(as_text=True)
        again = client.get("/test-backend")
        assert again.status_code == 200 and int(again.get_data(as_text=True)) != pids[0]
    finally:
        db.dispose(app)


@pytest.fixture(scope="module")
def migrated_postgres_url(postgres_url):
    """A schema of this module's own, migrated, for signed-in pages."""
    with migrated_postgres_schema(postgres_url, prefix="t_conn_") as url:
        yield url


@pytest.mark.parametrize("accept, expected, phone", [("text/html", "thử lại sau vài giây", "0912340001"),
                                                     ("application/json", '"error"', "0912340002")])
def test_a_signed_in_member_gets_the_503_too_then_their_page(migrated_postgres_url, accept, expected, phone):
    """The error page itself needs the database (who is signed in): the failed
    work is rolled back first, so it renders, and the next request works."""
    app = create_app({"DATABASE_URL": migrated_postgres_url, "SECRET_KEY": "test-secret", "TESTING": True,
                      **FAST_HASH})
    try:
        with app.app_context():
            accounts.create_user(full_name="Lò Văn Kết", phone=phone, password=PASSWORD)
            db.session.commit()
        client = FormClient(app.test_client())
        assert client.submit("/login", {"identifier": phone, "password": PASSWORD}).status_code == 302
        assert client.get("/").status_code == 200
        with app.app_context():  # the connection the pool will hand out next
            pid = backend_pid(db.session.connection())
            db.session.rollback()
        terminate(migrated_postgres_url, pid)
        failed = client.get("/", headers={"Accept": accept})
        assert failed.status_code == 503 and expected in failed.get_data(as_text=True)
        assert client.get("/").status_code == 200
    finally:
        db.dispose(app)


@pytest.fixture
def database_that_goes_down(postgres_url):
    """A database of its own, migrated, that the test can make refuse every
    connection, as PostgreSQL does while it restarts."""
    import uuid

    from sqlalchemy.engine import make_url
    name = "t_down_" + uuid.uuid4().hex[:10]
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    from learning.core import migrate
    migrate.upgrade(url)

    def go_down():
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                         {"name": name})

    try:
        yield url, go_down
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("language, expected", [(None, "thử lại sau vài giây"), ("en", "try again in a few seconds")])
def test_while_the_database_is_down_a_signed_in_member_gets_the_503_page(database_that_goes_down, language,
                                                                         expected):
    """The error page never touches the database: not to know who is signed
    in, not to choose the language. So while the database refuses every
    connection, a signed-in member still gets the 503 page in their language."""
    url, go_down = database_that_goes_down
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "TESTING": True, **FAST_HASH})
    try:
        with app.app_context():
            accounts.create_user(full_name="Lò Thị Mây", phone="0912340009", password=PASSWORD)
            db.session.commit()
        client = FormClient(app.test_client())
        if language:
            client.get(f"/lang/{language}")
        assert client.submit("/login", {"identifier": "0912340009", "password": PASSWORD}).status_code == 302
        assert client.get("/").status_code == 200
        go_down()
        for page in ("/", "/lessons/no-such-lesson", "/campaigns/"):
            failed = client.get(page)
            assert failed.status_code == 503, page
            assert failed.headers["Retry-After"] == "5"
            assert failed.mimetype == "text/html" and expected in failed.get_data(as_text=True)
    finally:
        db.dispose(app)


def test_a_rollback_that_fails_on_a_broken_connection_still_gives_the_503_page(app, monkeypatch):
    """A backend terminated while a command was on its way can leave the driver
    refusing even the ROLLBACK ("another command is already in progress"):
    the failed work is then dropped with its connection, never raised again."""
    from learning.core.errors import _database_error

    with app.test_request_context("/"):
        session = db.session._get_current_object()
        session.execute(text("SELECT 1"))
        invalidated = []

        def broken_rollback():
            raise OperationalError("ROLLBACK", {}, Exception("another command is already in progress"))

        monkeypatch.setattr(session, "rollback", broken_rollback)
        monkeypatch.setattr(session, "invalidate", lambda: invalidated.append(True))
        body, status, _headers = _database_error(OperationalError("SELECT", {}, Exception("terminating connection")))
        assert status == 503 and invalidated == [True]
