"""Rate-limit counters that every app process shares.

Flask-Limiter counts sign-in attempts in a `limits` storage. Its memory://
storage counts in each process: with four gunicorn workers, each worker lets
an account make its ten attempts a minute. Redis
(`RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379`) is shared; without it the
default, `database://`, keeps the counters in the app's own database
(`DATABASE_URL`), one row per key, whose window restarts when it has expired:

    INSERT INTO rate_limit_counters (key, count, expires_at) VALUES (:key, :amount, :expires_at)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_counters.expires_at <= :now THEN excluded.count
                   ELSE rate_limit_counters.count + excluded.count END,
      expires_at = CASE WHEN rate_limit_counters.expires_at <= :now THEN excluded.expires_at
                        ELSE rate_limit_counters.expires_at END
    RETURNING count

One statement, on the app's autocommit pool: atomic on PostgreSQL (ON
CONFLICT locks the row, and a waiting writer sees the committed count) and on
SQLite (one writer at a time). Only the fixed-window strategy (the app's) is
supported. Only routes with a limit reach the storage (sign-in,
activation): their decorators check the limits, and the limiter has no
request hooks (extensions.init_limiter).

Expired rows are deleted by whichever process increments a counter, at most
once a minute per process, so the table holds about a minute's keys.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import urlparse

from flask import Flask, current_app
from limits.errors import ConfigurationError
from limits.storage import Storage
from sqlalchemy import Column, Integer, String, Table, bindparam, case, delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from learning.core.db import Base, UTCDateTime, utcnow
from learning.core.input import is_storable

SETTING = "RATELIMIT_STORAGE_URI"
MAX_KEY_LENGTH = 255

rate_limit_counters = Table(
    "rate_limit_counters", Base.metadata,
    Column("key", String(MAX_KEY_LENGTH), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False, index=True),
)


def stored_key(key: str) -> str:
    """The key as stored. The sign-in key holds what was typed as the
    identifier, before the form is validated: a key too long for the column
    keeps its beginning and ends with a hash of the whole, and one with a
    character no database stores (NUL, a lone surrogate) is its hash alone,
    so each still counts alone."""
    if not is_storable(key):
        return "#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    if len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{key[:MAX_KEY_LENGTH - len(digest) - 1]}#{digest}"


class DatabaseStorage(Storage):
    """A `limits` storage in a SQL table (PostgreSQL or SQLite), for the
    fixed-window strategy. `database://` means the current Flask app's
    database, through its autocommit pool; tests pass an `engine`."""

    STORAGE_SCHEME = ["database"]
    CLEANUP_EVERY_SECONDS = 60.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, engine: Engine | None = None,
                 cleanup_every: float = CLEANUP_EVERY_SECONDS, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._engine = engine
        self._cleanup_every = float(cleanup_every)
        self._next_cleanup = 0.0  # time.monotonic() after which the next increment deletes expired rows
        self._upserts: dict[str, object] = {}

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @property
    def engine(self) -> Engine:
        if self._engine is not None:
            return self._engine
        return current_app.extensions["db_autocommit_engine"]

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's count and return the new count; a window
        that has expired (or a new key) starts again at `amount`, expiring
        `expiry` seconds from now."""
        now = utcnow()
        with self.engine.begin() as conn:
            count = conn.execute(self._upsert(conn), {
                "key": stored_key(key), "amount": amount, "now": now,
                "expires_at": now + timedelta(seconds=expiry),
            }).scalar_one()
        if time.monotonic() >= self._next_cleanup:
            self._next_cleanup = time.monotonic() + self._cleanup_every
            self.delete_expired(now)
        return count

    def get(self, key: str) -> int:
        with self.engine.begin() as conn:
            count = conn.execute(select(rate_limit_counters.c.count).where(*self._live(key))).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (a Unix time); now if it has none."""
        with self.engine.begin() as conn:
            expires_at = conn.execute(select(rate_limit_counters.c.expires_at).where(*self._live(key))).scalar()
        return expires_at.timestamp() if expires_at is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.execute(select(rate_limit_counters.c.key).limit(1)).all()
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Delete every counter; return how many there were."""
        with self.engine.begin() as conn:
            return conn.execute(delete(rate_limit_counters)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limit_counters).where(rate_limit_counters.c.key == stored_key(key)))

    def delete_expired(self, now: datetime | None = None) -> int:
        """Delete the counters whose window has ended; return how many."""
        with self.engine.begin() as conn:
            return conn.execute(delete(rate_limit_counters).where(
                rate_limit_counters.c.expires_at <= (now or utcnow()))).rowcount

    @staticmethod
    def _live(key: str):
        return rate_limit_counters.c.key == stored_key(key), rate_limit_counters.c.expires_at > utcnow()

    def _upsert(self, conn: Connection):
        name = conn.dialect.name
        if name not in self._upserts:
            self._upserts[name] = _build_upsert(name)
        return self._upserts[name]


def _build_upsert(dialect_name: str):
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise ConfigurationError(f"database:// rate limits need PostgreSQL or SQLite, not {dialect_name}")
    table = rate_limit_counters
    statement = insert(table).values(
        key=bindparam("key"), count=bindparam("amount"), expires_at=bindparam("expires_at", type_=UTCDateTime()))
    expired = table.c.expires_at <= bindparam("now", type_=UTCDateTime())
    return statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "count": case((expired, statement.excluded["count"]), else_=table.c.count + statement.excluded["count"]),
            "expires_at": case((expired, statement.excluded.expires_at), else_=table.c.expires_at),
        },
    ).returning(table.c.count)


# -- configuration checks -------------------------------------------------------

def counts_per_process(uri: str | None) -> bool:
    """Whether counters in this storage live in each process's own memory."""
    return urlparse(uri or "memory://").scheme in ("memory", "async+memory")


def storage_uri_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The storage an app created from the environment uses (as load_config does)."""
    from learning.core.config import Config
    return environ.get(SETTING) or Config.RATELIMIT_STORAGE_URI


def per_process_problem(workers: int, environ: Mapping[str, str] = os.environ) -> str | None:
    """Why `workers` processes must not serve with this environment's storage, or None."""
    uri = storage_uri_from_environment(environ)
    if workers <= 1 or not counts_per_process(uri):
        return None
    return (f"{SETTING}={uri} keeps rate-limit counters in each worker's memory: with {workers} workers "
            f"an account gets {workers} times its sign-in attempts. Unset {SETTING} (the counters then live "
            f"in the database), or set {SETTING}=redis://127.0.0.1:6379, or run a single worker.")


MEMORY_WARNING = (
    "\n" + "!" * 78 + "\n"
    f"{SETTING}=%s: rate-limit counters live in this process's memory. Each process\n"
    "counts sign-in attempts on its own, so several processes multiply the limit.\n"
    f"Unset {SETTING} (the database then holds the counters) or use redis://.\n"
    + "!" * 78
)


def init_app(app: Flask) -> None:
    """Warn at start-up when the counters would live in process memory."""
    uri = app.config.get(SETTING)
    if counts_per_process(uri) and not app.testing and app.config.get("RATELIMIT_ENABLED", True):
        app.logger.warning(MEMORY_WARNING, uri or "memory://")
