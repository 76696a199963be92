"""Shared fixtures: one migrated database per test session (SQLite by default,
TEST_DATABASE_URL for PostgreSQL), emptied after every test; an app and a
client per test; factories for units, people and lessons."""
from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from learning import create_app
from learning.core import db, migrate
from learning.core.db import Base
from learning.lessons import publishing
from learning.org import accounts
from learning.org import units as org

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PASSWORD = "correct-horse-42"

# Cheap hashing in tests only; tests/unit/test_security_config.py checks the
# real defaults meet OWASP's recommendation.
FAST_HASH = {"PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024, "PASSWORD_HASH_PARALLELISM": 1}


def _postgres_url_with_schema(base_url: str, schema: str) -> str:
    joiner = "&" if "?" in base_url else "?"
    return f"{base_url}{joiner}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def migrated_postgres_schema(base_url: str, prefix: str = "t_", revision: str = "head"):
    """A PostgreSQL schema of its own, migrated to head (or `revision`),
    dropped afterwards, so runs never see each other's tables. Yields the URL
    that uses it."""
    schema = prefix + uuid.uuid4().hex[:12]
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_url_with_schema(base_url, schema)
    try:
        migrate.upgrade(url, revision)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database migrated to head with Alembic, for the whole session."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        migrate.upgrade(url)
        yield url
        return
    with migrated_postgres_schema(base) as url:
        yield url


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and database
    session), as in production, even though the test holds one open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        **FAST_HASH,
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.close()
    _empty_all_tables(app)
    db.dispose(app)


def _empty_all_tables(app) -> None:
    engine = app.extensions["db_engine"]
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


class FormClient:
    """The Flask test client plus what a browser does for forms: it reads the
    CSRF token from the page it came from and sends it back."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self, page: str = "/login") -> str:
        html = self.client.get(page).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(token_from or path)
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


@pytest.fixture
def tree(app):
    """Province → grassroots organisation → two cells."""
    province = org.add_unit("Tỉnh ủy Thử nghiệm", "province")
    grassroots = org.add_unit("Đảng bộ xã Thử nghiệm", "grassroots", parent=province)
    cell_a = org.add_unit("Chi bộ A", "cell", parent=grassroots)
    cell_b = org.add_unit("Chi bộ B", "cell", parent=grassroots)
    db.session.commit()
    return {"province": province, "grassroots": grassroots, "cell_a": cell_a, "cell_b": cell_b}


_phone_counter = iter(range(100000, 999999))


@pytest.fixture
def make_user(app, tree):
    def make(role: str = "member", unit=None, name: str = "Nguyễn Văn Thử", **kwargs):
        roles = [("member", None)]
        if role == "reviewer":
            roles.append(("reviewer", unit or tree["cell_a"]))
        elif role != "member":
            roles.append((role, None))
        user = accounts.create_user(
            full_name=name, phone=kwargs.pop("phone", f"0900{next(_phone_counter)}"), password=PASSWORD,
            unit=kwargs.pop("member_of", tree["cell_a"]), roles=roles, **kwargs)
        db.session.commit()
        return user
    return make


@pytest.fixture
def login(client):
    def sign_in(user):
        response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return sign_in


@pytest.fixture
def publish_file(app):
    """Import one shipped lesson file and return its Lesson."""
    def publish(name: str = "57-nq-tw-2024.md"):
        [result] = publishing.import_files([CONTENT / name])
        db.session.commit()
        return result.lesson
    return publish
