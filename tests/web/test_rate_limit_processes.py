"""Sign-in rate limits hold across gunicorn's worker processes: the real
gunicorn, four sync workers, a migrated database of its own (SQLite, or
PostgreSQL with TEST_DATABASE_URL), counters in that database by default or
in Redis; and gunicorn.conf.py refuses several workers counting in memory.

Every attempt is a new connection, from a loopback address of its own per
test (so no earlier run's counters count), and gunicorn's access log names
the worker that served it, which shows that several workers did."""
from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, select

from learning import create_app
from learning.core import db, migrate
from learning.core.ratelimit import rate_limit_counters
from learning.org import accounts
from tests.conftest import FAST_HASH, PASSWORD, migrated_postgres_schema

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
LIMIT = 10  # Config.LOGIN_RATE_LIMIT: 10 per minute per account and address
WAVES = 8
ATTEMPTS = WAVES * WORKERS
WAVE_PAUSE = 0.3
START_TIMEOUT = 60
REQUEST_TIMEOUT = 20
REDIS_URL = "redis://127.0.0.1:6379"
# Settings of the machine running the suite that would change what gunicorn does.
SCRUBBED = ("RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "DATABASE_URL", "TRUST_PROXY")


@pytest.fixture
def served_database(tmp_path):
    """A database of its own, migrated to head, of the suite's kind."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        with migrated_postgres_schema(base, prefix="t_gunicorn_") as url:
            yield url
        return
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    migrate.upgrade(url)
    yield url


def _create_member(database_url: str) -> str:
    """A member with a phone number no other run uses; returns the phone."""
    phone = "09" + "".join(random.choices("0123456789", k=8))
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "creating", "TESTING": True, **FAST_HASH})
    try:
        with app.app_context():
            accounts.create_user(full_name="Đặng Văn Thử", phone=phone, password=PASSWORD)
            db.session.commit()
    finally:
        db.dispose(app)
    return phone


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn_command(port: int, workers: int, log_dir: Path) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}",
            "--no-control-socket", "--graceful-timeout", "5",
            "--access-logfile", str(log_dir / "access.log"), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
            "--error-logfile", str(log_dir / "error.log"), "app:app"]


def _environment(database_url: str, storage_uri: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(DATABASE_URL=database_url, SECRET_KEY="gunicorn-test-secret")
    if storage_uri is not None:
        env["RATELIMIT_STORAGE_URI"] = storage_uri
    return env


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the master (it stops its workers); if it lingers, SIGKILL to
    its process group (it and its workers: it leads a session of its own, and
    is not reaped yet, so the group is still ours)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(database_url: str, log_dir: Path, storage_uri: str | None = None, workers: int = WORKERS):
    """gunicorn serving app:app from the repository (so with gunicorn.conf.py);
    yields its port once it answers."""
    port = _free_port()
    server = subprocess.Popen(_gunicorn_command(port, workers, log_dir), cwd=ROOT,
                              env=_environment(database_url, storage_uri),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                error_log = log_dir / "error.log"
                pytest.fail("gunicorn exited:\n" + (error_log.read_text()[-3000:] if error_log.exists() else ""))
            assert time.monotonic() < deadline, "gunicorn did not answer in time"
            with contextlib.suppress(OSError):
                if _request(port, "127.0.0.1", "GET", "/healthz")[0] == 200:
                    break
            time.sleep(0.2)
        yield port
    finally:
        _stop(server)


class _Pending:
    """A request sent up to its body on a connection of its own, from
    `source` (a loopback address). A sync worker that accepts it is busy
    until the body comes, so requests pending together are served by
    different workers."""

    def __init__(self, port: int, source: str, method: str, path: str, body: dict | None = None,
                 cookie: str = "") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT,
                                               source_address=(source, 0))
        self.body = urlencode(body).encode() if body is not None else b""
        try:
            self.conn.putrequest(method, path)
            self.conn.putheader("Connection", "close")
            if cookie:
                self.conn.putheader("Cookie", cookie)
            if body is not None:
                self.conn.putheader("Content-Type", "application/x-www-form-urlencoded")
            self.conn.putheader("Content-Length", str(len(self.body)))
            self.conn.endheaders()
        except BaseException:
            self.conn.close()
            raise

    def finish(self) -> tuple[int, str, str]:
        """Send the body; return the status, the page and the cookies it set."""
        try:
            if self.body:
                self.conn.send(self.body)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8")
            jar = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            return response.status, text, "; ".join(f"{name}={m.value}" for name, m in jar.items())
        finally:
            self.conn.close()


def _request(port: int, source: str, method: str, path: str, **kwargs) -> tuple[int, str, str]:
    return _Pending(port, source, method, path, **kwargs).finish()


def _wave(port: int, source: str, method: str, path: str, size: int = WORKERS, **kwargs) -> list:
    """`size` requests pending together, so each goes to a different idle worker."""
    pending = []
    try:
        for _ in range(size):
            pending.append(_Pending(port, source, method, path, **kwargs))
        time.sleep(WAVE_PAUSE)  # each idle worker accepts one and waits for its body
        return [request.finish() for request in pending]
    finally:
        for request in pending:
            request.conn.close()


def _wait_until_every_worker_serves(port: int, log_dir: Path) -> None:
    """Booted workers still load the app: wait until a wave of health checks
    reaches as many workers as there are."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        _wave(port, "127.0.0.1", "GET", "/healthz")
        served = {line.split()[0] for line in (log_dir / "access.log").read_text().splitlines()
                  if " /healthz " in line}
        if len(served) >= WORKERS:
            return
        assert time.monotonic() < deadline, f"only {len(served)} workers answered"
        time.sleep(0.5)


def _a_loopback_address() -> str:
    """The counters are per address too: an address of this run's own
    (Linux routes all of 127.0.0.0/8 to the loopback interface)."""
    return "127.%d.%d.%d" % (random.randrange(1, 255), random.randrange(0, 256), random.randrange(1, 255))


def _wrong_passwords(port: int, phone: str, source: str) -> list[list[int]]:
    """Sign-in's form as a browser submits it (CSRF token and session cookie
    from GET /login), with a wrong password: WAVES waves of WORKERS attempts
    at once. Returns each wave's statuses."""
    status, page, cookie = _request(port, source, "GET", "/login")
    assert status == 200 and cookie
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    waves = []
    for _ in range(WAVES):
        responses = _wave(port, source, "POST", "/login", cookie=cookie,
                          body={"identifier": phone, "password": "wrong-password", "csrf_token": token})
        for status, page, _cookie in responses:
            assert status == 429 or "không đúng" in page, page[:300]  # refused, never a CSRF error
        waves.append(sorted(status for status, _page, _cookie in responses))
    return waves


def _workers_by_status(log_dir: Path) -> dict[int, Counter]:
    """From the access log: for each status of POST /login, how many each worker served."""
    served: dict[int, Counter] = {}
    for line in (log_dir / "access.log").read_text().splitlines():
        pid, method, path, status = line.split()
        if (method, path) == ("POST", "/login"):
            served.setdefault(int(status), Counter())[pid] += 1
    return served


def _assert_the_limit_held_across_workers(waves: list[list[int]], log_dir: Path) -> None:
    # 10 failures in all, the first 10 (waves are sequential), then refusals only;
    # counted per worker, 4 workers would have let all 32 through.
    assert waves == [[200] * 4, [200] * 4, [200, 200, 429, 429]] + [[429] * 4] * (WAVES - 3)
    served = _workers_by_status(log_dir)
    failures, refusals = served[200], served[429]
    assert sum(failures.values()) == LIMIT and sum(refusals.values()) == ATTEMPTS - LIMIT
    # Several workers took the failures, so none saw as many as the limit on
    # its own, and several refused what followed.
    assert len(failures) >= 3 and max(failures.values()) < LIMIT, served
    assert len(refusals) >= 3, served


def test_wrong_passwords_are_limited_across_workers_in_the_database(served_database, tmp_path):
    phone = _create_member(served_database)
    source = _a_loopback_address()
    with gunicorn(served_database, tmp_path) as port:  # RATELIMIT_STORAGE_URI unset: the default
        _wait_until_every_worker_serves(port, tmp_path)
        waves = _wrong_passwords(port, phone, source)
    _assert_the_limit_held_across_workers(waves, tmp_path)
    engine = create_engine(served_database)
    try:
        with engine.connect() as conn:
            counts = dict(conn.execute(select(rate_limit_counters.c.key, rate_limit_counters.c.count)).all())
    finally:
        engine.dispose()
    assert counts[f"LIMITER/{source}|{phone}/auth.login/10/1/minute"] == ATTEMPTS


def _redis_or_skip():
    import redis
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        client.close()
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} under CI=true: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}): start redis-server to run this test")
    return client


def test_wrong_passwords_are_limited_across_workers_in_redis(served_database, tmp_path):
    client = _redis_or_skip()
    phone = _create_member(served_database)
    source = _a_loopback_address()
    try:
        with gunicorn(served_database, tmp_path, storage_uri=REDIS_URL) as port:
            _wait_until_every_worker_serves(port, tmp_path)
            waves = _wrong_passwords(port, phone, source)
        _assert_the_limit_held_across_workers(waves, tmp_path)
        assert int(client.get(f"LIMITS:LIMITER/{source}|{phone}/auth.login/10/1/minute")) == ATTEMPTS
        engine = create_engine(served_database)
        try:
            with engine.connect() as conn:  # nothing counted in the database
                assert conn.execute(select(rate_limit_counters.c.key)).all() == []
        finally:
            engine.dispose()
    finally:
        for key in client.scan_iter(match=f"LIMITS:LIMITER/{source}[|/]*"):  # this run's own keys only
            client.delete(key)
        client.close()


def test_several_workers_refuse_to_start_with_counters_in_memory(served_database, tmp_path):
    port = _free_port()
    result = subprocess.run(_gunicorn_command(port, 2, tmp_path), cwd=ROOT,
                            env=_environment(served_database, "memory://"),
                            capture_output=True, text=True, timeout=START_TIMEOUT)
    assert result.returncode != 0
    assert "RATELIMIT_STORAGE_URI=memory://" in result.stderr and "refusing to start" in result.stderr
    with socket.socket() as sock:  # and nothing listens
        assert sock.connect_ex(("127.0.0.1", port)) != 0
