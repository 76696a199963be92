"""Database plumbing: engine, one session per app context, the declarative Base.

Operations flush, never commit; the request lifecycle (core.lifecycle)
commits once per request and per CLI command. The session is closed when the
app context ends. One exception, marked with @autocommit: the route that
saves answers, where each statement commits on its own (see autocommit()).
"""
from __future__ import annotations

import functools
import json
import time
from datetime import datetime, timezone
from typing import Any, Callable, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC times only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def make_engine(url: str, echo: bool = False, **options: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 15}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, echo=echo, pool_size=5, max_overflow=5, **options)
    ping_connections_after_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


# A pooled connection unused for this long is tested before use. A busy
# worker reuses its connections within milliseconds, and a test on every use
# (pool_pre_ping) would add a round trip to every request: a quarter of the
# cost of saving an answer. Should the database restart while the workers are
# busy, the first statement on each stale connection fails, SQLAlchemy
# replaces the whole pool, and the request gets a 503 (errors.py).
PING_AFTER_IDLE_SECONDS = 10


def ping_connections_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Pessimistic disconnect handling for idle connections only, with the
    pool's checkout event (SQLAlchemy's recipe): raising DisconnectionError
    makes the pool discard the connection and take another."""

    @event.listens_for(engine, "checkin")
    def remember_checkin(_dbapi_connection, record) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("checked_in_at", 0.0) < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError() from error
            raise


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], app.config.get("SQLALCHEMY_ECHO", False))
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    # Autocommit routes get connections of their own pool, set to autocommit
    # once when opened rather than switched at every checkout. Such a
    # connection never holds a transaction, so the pool does not roll it
    # back each time it comes back (a driver call per request for nothing).
    app.extensions["db_autocommit_engine"] = make_engine(
        app.config["DATABASE_URL"], app.config.get("SQLALCHEMY_ECHO", False), isolation_level="AUTOCOMMIT",
        pool_reset_on_return=None)
    app.teardown_appcontext(_close_session)


def autocommit(view):
    """Run a view's statements without a transaction around them.

    For the hottest route only, where every write is one statement that is
    atomic on its own (saving an answer): PostgreSQL's BEGIN and COMMIT are a
    round trip each, which would triple the database's share of the request.
    A view marked so must not rely on rolling back."""
    view.db_autocommit = True
    return view


def _get_session() -> Session:
    if "db_session" not in g:
        own = _request_connection()
        if own is not None:  # rare on an autocommit route: a refused save's sign-in check
            g.db_session = Session(bind=own, expire_on_commit=False)
        else:
            g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _request_connection() -> Connection | None:
    """On an autocommit route, the request's own connection, opened on first
    need; None elsewhere."""
    if "db_connection" not in g:
        if not _view_wants_autocommit():
            return None
        g.db_connection = current_app.extensions["db_autocommit_engine"].connect()
    return g.db_connection


def connection() -> Connection:
    """Where hot paths run Core statements: the session's connection, inside
    its transaction; on an autocommit route, the request's connection itself,
    with no session at all, whose bookkeeping costs more than the statement."""
    own = _request_connection()
    return own if own is not None else _get_session().connection()


def _view_wants_autocommit() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    return getattr(current_app.view_functions.get(request.endpoint), "db_autocommit", False)


def discard_failed_work() -> None:
    """After a database error: roll back the session and the request's own
    connection, so that what follows (an error page) can use the database."""
    current = g.get("db_session")
    if current is not None:
        try:
            current.rollback()
        except DBAPIError:
            # The connection broke in a way the driver does not report as a
            # disconnect (a backend terminated while a command was on its way:
            # "another command is already in progress"): drop it, unused.
            current.invalidate()
    own_connection = g.get("db_connection")
    if own_connection is not None and own_connection.in_transaction():
        try:
            own_connection.rollback()
        except DBAPIError:
            own_connection.invalidate()


def commit_request() -> None:
    """Commit the request's work, if it did any (core.lifecycle calls this, once)."""
    current = g.get("db_session")
    if current is not None:
        current.commit()


def rollback_request() -> None:
    current = g.get("db_session")
    if current is not None:
        current.rollback()


def _close_session(_exc: BaseException | None) -> None:
    s = g.pop("db_session", None)
    own_connection = g.pop("db_connection", None)
    try:
        if s is not None:
            s.close()  # rolls back anything not committed
    finally:
        if own_connection is not None:
            own_connection.close()


def dialect_name() -> str:
    """"postgresql" or "sqlite", without opening a session or a connection."""
    return current_app.extensions["db_engine"].dialect.name


def plan_each_statement() -> None:
    """Plan this transaction's statements for their own parameters. The
    driver prepares a statement it runs often, and after a few runs
    PostgreSQL may keep one generic plan for it: right for the hot paths,
    whose plans never depend on the values, wrong for a report whose prefix
    or unit picks a cell or a province (the lagging cells went from 130 to
    250 ms). SQLite plans each statement anyway."""
    if dialect_name() == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def for_a_large_job() -> None:
    """Give this transaction's big reads room on PostgreSQL: a background
    job joining millions of rows (a province's evaluation) sorts and hashes
    in memory instead of on disk, and skips JIT compilation, which cost it
    more than it saved. Requests keep the server's defaults."""
    if dialect_name() == "postgresql":
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        session.execute(text("SET LOCAL jit = off"))


def insert_many(table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (dicts with the same keys, in the same order) in the current
    transaction: COPY on PostgreSQL, ten times faster than multi-row
    INSERTs for a province's 150,000 rows; an executemany elsewhere. Values
    go through the columns' own conversions (aware UTC datetimes, JSON)."""
    if not rows:
        return
    if dialect_name() != "postgresql":
        session.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    converting = [(i, to) for i, name in enumerate(columns) if (to := _copy_converter(table.c[name].type))]
    cursor = session.connection().connection.dbapi_connection.cursor()
    with cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            values = list(row.values())  # the rows' keys come in the first row's order
            for i, to in converting:
                values[i] = to(values[i])
            copy.write_row(values)


def _copy_converter(column_type) -> Callable[[Any], Any] | None:
    """How COPY must receive a column's value (None: as it is)."""
    if isinstance(column_type, UTCDateTime):
        return lambda value: column_type.process_bind_param(value, None)
    if isinstance(column_type, (JSON, JSONB)):
        return _json_text()
    return None


def _json_text() -> Callable[[Any], str | None]:
    """JSON as text, each object serialised once: rows that share an object
    (a computation's explanations, one per distinct evidence) share its
    text. The objects live in the rows until the COPY ends, so their ids
    stay theirs."""
    done: dict[int, str] = {}

    def text_of(value: Any) -> str | None:
        if value is None:
            return None
        found = done.get(id(value))
        if found is None:
            found = done[id(value)] = json.dumps(value, ensure_ascii=False)
        return found
    return text_of


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def dispose(app: Flask) -> None:
    """Close every pooled connection of the app (tests, forked workers)."""
    app.extensions["db_engine"].dispose()
    app.extensions["db_autocommit_engine"].dispose()


# The session of the current app context (request or CLI command).
session: Session = LocalProxy(_get_session)  # type: ignore[assignment]


def upsert_insert(table):
    """An INSERT that can say ON CONFLICT, in the current database's dialect.

    Both PostgreSQL and SQLite support ON CONFLICT; using it instead of
    catch-and-retry keeps concurrent requests from failing each other."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


StatementT = TypeVar("StatementT", bound=Executable)


def prebuilt(build: Callable[..., StatementT]) -> Callable[..., StatementT]:
    """Build a statement once per database dialect (and per variant: the
    builder's arguments, a few flags), then reuse it.

    For the hottest paths (saving an answer, submitting): building SQLAlchemy
    constructs costs more CPU than running them. A prebuilt statement takes
    its values as bind parameters, passed at execution."""
    statements: dict[tuple, StatementT] = {}

    @functools.wraps(build)
    def statement(*variant) -> StatementT:
        key = (current_app.extensions["db_engine"].dialect.name, *variant)
        if key not in statements:  # a builder may return None: no such statement on this database
            statements[key] = build(*variant)
        return statements[key]

    return statement
