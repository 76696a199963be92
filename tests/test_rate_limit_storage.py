"""The database:// rate-limit storage (learning/core/ratelimit.py) on the
suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL): counting,
fixed windows that restart once expired, clearing, and increments that stay
atomic when threads race, on connections of their own."""
import threading
import time
from datetime import timedelta

import pytest
from limits import RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import create_engine, delete, insert, select, update

from learning.core.db import make_engine, utcnow
from learning.core.ratelimit import (
    MAX_KEY_LENGTH,
    DatabaseStorage,
    rate_limit_counters,
    stored_key,
)

THREADS = 8
EACH = 25


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url, isolation_level="AUTOCOMMIT")
    yield engine
    with engine.begin() as conn:
        conn.execute(delete(rate_limit_counters))
    engine.dispose()


@pytest.fixture
def storage(engine):
    return DatabaseStorage("database://", engine=engine)


def _rows(engine) -> dict[str, int]:
    with engine.begin() as conn:
        return dict(conn.execute(select(rate_limit_counters.c.key, rate_limit_counters.c.count)).all())


def _expire(engine, key: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(rate_limit_counters).where(rate_limit_counters.c.key == key)
                     .values(expires_at=utcnow() - timedelta(seconds=1)))


def test_the_scheme_names_this_storage(engine):
    assert isinstance(storage_from_string("database://", engine=engine), DatabaseStorage)


def test_increments_count_from_one_and_by_the_amount_given(storage):
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("k", 60, amount=5) == 8
    assert storage.get("k") == 8
    assert storage.get("never-hit") == 0


def test_keys_count_apart(storage):
    storage.incr("a", 60)
    storage.incr("a", 60)
    storage.incr("b", 60)
    assert (storage.get("a"), storage.get("b")) == (2, 1)


def test_the_window_is_fixed_by_its_first_hit(storage, engine):
    before = time.time()
    storage.incr("k", 60)
    first_expiry = storage.get_expiry("k")
    assert before + 60 <= first_expiry <= time.time() + 60
    storage.incr("k", 3600)  # later hits in the window neither extend nor shorten it
    assert storage.get_expiry("k") == pytest.approx(first_expiry, abs=1e-3)
    assert storage.get_expiry("never-hit") == pytest.approx(time.time(), abs=5)


def test_an_expired_window_restarts_in_the_same_statement(storage, engine):
    for _ in range(5):
        storage.incr("k", 60)
    _expire(engine, "k")
    assert storage.get("k") == 0  # expired counts are not counted
    assert _rows(engine) == {"k": 5}  # though the row is still there
    before = time.time()
    assert storage.incr("k", 60, amount=2) == 2
    assert storage.get_expiry("k") >= before + 60


def test_a_real_one_second_window_expires(storage):
    assert storage.incr("k", 1) == 1
    assert storage.incr("k", 1) == 2
    time.sleep(1.1)
    assert storage.get("k") == 0
    assert storage.incr("k", 1) == 1


def test_clear_forgets_one_key_and_reset_all(storage, engine):
    for key in ("a", "b", "c"):
        storage.incr(key, 60)
    storage.clear("a")
    assert storage.get("a") == 0 and set(_rows(engine)) == {"b", "c"}
    assert storage.reset() == 2
    assert _rows(engine) == {}


def test_long_keys_fit_the_column_and_still_count_apart(storage, engine):
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"
    assert storage.incr(long_a, 60) == 1
    assert storage.incr(long_b, 60) == 1
    assert storage.incr(long_a, 60) == 2
    assert all(len(key) == MAX_KEY_LENGTH for key in _rows(engine))
    assert stored_key("short") == "short"
    storage.clear(long_a)
    assert (storage.get(long_a), storage.get(long_b)) == (0, 1)


def test_expired_counters_are_deleted_as_the_app_goes(engine):
    storage = DatabaseStorage("database://", engine=engine, cleanup_every=3600)
    past, future = utcnow() - timedelta(seconds=1), utcnow() + timedelta(seconds=60)
    with engine.begin() as conn:
        conn.execute(insert(rate_limit_counters), [
            {"key": "old-1", "count": 3, "expires_at": past},
            {"key": "old-2", "count": 1, "expires_at": past},
            {"key": "live", "count": 7, "expires_at": future}])
    storage.incr("new", 60)  # the first increment of a process cleans up
    assert _rows(engine) == {"live": 7, "new": 1}
    with engine.begin() as conn:
        conn.execute(insert(rate_limit_counters), {"key": "old-3", "count": 1, "expires_at": past})
    storage.incr("new", 60)  # and then not before cleanup_every seconds
    assert "old-3" in _rows(engine)
    assert storage.delete_expired() == 1
    assert _rows(engine) == {"live": 7, "new": 2}


def test_check_says_whether_the_database_answers(storage, tmp_path):
    assert storage.check() is True
    unreachable = create_engine(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    try:
        assert DatabaseStorage(engine=unreachable).check() is False
        with pytest.raises(StorageError):  # what Flask-Limiter asks for with wrap_exceptions
            DatabaseStorage(engine=unreachable, wrap_exceptions=True).get("k")
    finally:
        unreachable.dispose()


def test_the_fixed_window_strategy_runs_on_it(storage):
    limiter = FixedWindowRateLimiter(storage)
    item = RateLimitItemPerMinute(3)
    assert [limiter.hit(item, "someone") for _ in range(4)] == [True, True, True, False]
    assert limiter.test(item, "someone") is False
    assert limiter.test(item, "someone else") is True
    reset_at, remaining = limiter.get_window_stats(item, "someone")
    assert remaining == 0 and time.time() < reset_at <= time.time() + 60


def _race(work, threads: int = THREADS) -> list:
    """Run `work` in threads started together; return what they returned, in one list."""
    start = threading.Barrier(threads)
    results: list = []
    errors: list = []
    lock = threading.Lock()

    def run():
        try:
            start.wait(timeout=10)
            mine = work()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
            return
        with lock:
            results.extend(mine)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers), "a thread is stuck"
    assert errors == []
    return results


def test_concurrent_increments_lose_none_and_never_repeat_a_count(storage):
    counts = _race(lambda: [storage.incr("shared", 60) for _ in range(EACH)])
    assert sorted(counts) == list(range(1, THREADS * EACH + 1))
    assert storage.get("shared") == THREADS * EACH


def test_threads_racing_on_an_expired_window_restart_it_once(storage, engine):
    with engine.begin() as conn:
        conn.execute(insert(rate_limit_counters),
                     {"key": "shared", "count": 1000, "expires_at": utcnow() - timedelta(seconds=1)})
    counts = _race(lambda: [storage.incr("shared", 60) for _ in range(EACH)])
    assert sorted(counts) == list(range(1, THREADS * EACH + 1))  # one reset, then counting on from it


def test_the_migration_adds_the_table_and_can_be_undone(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from learning.core import migrate
    from learning.core.migrate import alembic_config
    from tests.test_migrations import _database_at

    with _database_at("0003", tmp_path) as url:
        engine = create_engine(url)
        try:
            migrate.upgrade(url)
            assert "rate_limit_counters" in inspect(engine).get_table_names()
            command.downgrade(alembic_config(url), "0003")
            assert "rate_limit_counters" not in inspect(engine).get_table_names()
        finally:
            engine.dispose()
