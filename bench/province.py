"""Province benchmark: the follow-up dashboards of a province-sized tree.

Generates a province (at SCALE=1: 150,000 members, 500 grassroots
organisations, 3,000 cells, 20 lessons, one campaign binding the province,
3,000,000 submitted attempts, one per member and lesson, with their
lesson_progress), builds the units' lines, the member tallies and the
roll-ups from them (`flask study rebuild-rollups` does the same), then times, in the server process through
the Flask test client (no network: the time the app takes to answer, queries
and rendering included), REQUESTS requests of each page a province's
reviewer opens:

- the campaign's top dashboard (one row per grassroots organisation),
- a grassroots organisation's dashboard (one row per cell),
- a cell's page (its members and each lesson's state),
- the lagging cells.

It prints p50 and p95 (target: p95 below 100 ms), on SQLite and on
PostgreSQL, at SCALE and at a third of it, so growth with size shows. It
asserts nothing timed.

    .venv/bin/python bench/province.py        # both databases, SCALE=1 and 1/3
    PROVINCE_DB=sqlite SCALES=0.1 .venv/bin/python bench/province.py
    make bench BENCH=province                 # this one alone, from make

Tuning: PROVINCE_DB (sqlite, postgresql or both), SCALES (comma-separated,
default "1,0.3333"), REQUESTS (default 50), BENCH_DATABASE_URL (PostgreSQL);
PROVINCE_KEEP=1 keeps each generated province (/tmp/bench-province-SCALE.sqlite3,
schema bench_province_SCALE) and measures it again next time without
generating it anew.
Bulk inserts: COPY on PostgreSQL (psycopg), executemany in large
transactions on SQLite.
"""
from __future__ import annotations

import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from learning import create_app  # noqa: E402
from learning.core import db, migrate  # noqa: E402
from learning.core.clock import vietnam_today  # noqa: E402
from learning.core.db import utcnow  # noqa: E402
from learning.lessons import publishing  # noqa: E402
from learning.models import (  # noqa: E402
    Attempt,
    Campaign,
    LessonProgress,
    LessonVersion,
    RoleGrant,
    Unit,
    User,
    campaign_lessons,
    campaign_units,
)
from learning.org import accounts, lineage, tallies  # noqa: E402
from learning.org.names import sort_key  # noqa: E402
from learning.study import rollups  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASES = os.environ.get("PROVINCE_DB", "both")
SCALES = [float(s) for s in os.environ.get("SCALES", "1,0.3333").split(",")]
REQUESTS = int(os.environ.get("REQUESTS", 50))
KEEP = os.environ.get("PROVINCE_KEEP") == "1"
LESSONS = 20
SOURCE = ROOT / "content" / "68-nq-tw-2025.md"
PASSWORD = "bench-password"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến"]


def main() -> None:
    targets = []
    if DATABASES in ("sqlite", "both"):
        targets.append("sqlite")
    if DATABASES in ("postgresql", "both"):
        targets.append("postgresql")
    results = []
    for scale in SCALES:
        for target in targets:
            results.append(run(target, scale))
    print()
    print(f"Follow-up dashboards, server time over {REQUESTS} requests each (Flask test client, in process)")
    print(f"{'database':11} {'members':>8} {'cells':>6} {'attempts':>9}  {'page':32} {'p50 ms':>7} {'p95 ms':>7}")
    for target, size, timings in results:
        for page, (p50, p95) in timings.items():
            print(f"{target:11} {size['members']:8} {size['cells']:6} {size['attempts']:9}  {page:32} "
                  f"{p50:7.1f} {p95:7.1f}")


def run(target: str, scale: float):
    members, grassroots, cells = sizes(scale)
    print(f"== {target}, scale {scale:g}: {members} members, {grassroots} grassroots, {cells} cells, "
          f"{LESSONS} lessons, {members * LESSONS} attempts", flush=True)
    with database(target, scale) as url:
        app = bench_app(url)
        ids = province(app, target, scale)
        timings = measure(app, ids)
        for page, (p50, p95) in timings.items():
            print(f"  {page:32} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms", flush=True)
        db.dispose(app)
    return target, {"members": members, "cells": cells, "attempts": members * LESSONS}, timings


def sizes(scale: float) -> tuple[int, int, int]:
    """Members, grassroots organisations and cells of a province at this scale."""
    return round(150_000 * scale), max(round(500 * scale), 1), max(round(3000 * scale), 1)


def bench_app(url: str):
    """The app on a bench database: no rate limits, cheap password hashes."""
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret", "RATELIMIT_ENABLED": False,
                       "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024,
                       "PASSWORD_HASH_PARALLELISM": 1})


def province(app, target: str, scale: float) -> dict:
    """The province at this scale in the app's database: the one kept from an
    earlier run (PROVINCE_KEEP=1), or generated now with its units' lines,
    tallies and roll-ups, and the planner's statistics; the pages' ids.
    Other benches (bench/evaluation.py) start from it too."""
    with app.app_context():
        if KEEP and db.session.scalar(select(func.count()).select_from(Campaign)):
            print("  kept from an earlier run", flush=True)
            return kept_ids()
        began = time.perf_counter()
        ids = generate(*sizes(scale))
        print(f"  generated in {time.perf_counter() - began:.0f} s", flush=True)
        began = time.perf_counter()
        lineage.rebuild()
        tallies.recount(None)
        rollups.recompute(None)
        db.session.commit()
        print(f"  units' lines, member tallies and roll-ups rebuilt in {time.perf_counter() - began:.1f} s",
              flush=True)
        analyze(target)
    return ids


def analyze(target: str) -> None:
    """Fresh planner statistics after bulk writes."""
    if target == "postgresql":
        with db.engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


class database:
    """A fresh database migrated to head: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, target: str, scale: float):
        self.target, self.label = target, f"{round(scale * 10000):05d}"

    def __enter__(self) -> str:
        if self.target == "sqlite":
            if KEEP:
                self.path = Path(tempfile.gettempdir()) / f"bench-province-{self.label}.sqlite3"
            else:
                self.path = Path(tempfile.mkdtemp(prefix="bench-province-")) / "province.sqlite3"
            url = f"sqlite:///{self.path}"
        else:
            self.schema = f"bench_province_{self.label}" if KEEP else f"bench_province_{os.getpid()}"
            self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with self.admin.connect() as conn:
                if not KEEP:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {self.schema}"))
            url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{self.schema}"
        migrate.upgrade(url)
        return url

    def __exit__(self, *exc) -> None:
        if KEEP:
            if self.target != "sqlite":
                self.admin.dispose()
        elif self.target == "sqlite":
            for leftover in self.path.parent.iterdir():
                leftover.unlink()
            self.path.parent.rmdir()
        else:
            with self.admin.connect() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            self.admin.dispose()


# -- generating ----------------------------------------------------------------

def generate(members: int, grassroots: int, cells: int) -> dict:
    rng = random.Random(42)
    lessons = publish_lessons()
    versions = {v.lesson_id: v.id for v in db.session.scalars(select(LessonVersion))}
    now = utcnow()
    today = vietnam_today()
    # Units, ids given here so that paths need no second pass.
    units = [{"id": 1, "parent_id": None, "name": "Tỉnh ủy (thử tải)", "kind": "province", "path": "/1/"}]
    grassroots_ids = []
    for g in range(grassroots):
        uid = len(units) + 1
        grassroots_ids.append(uid)
        units.append({"id": uid, "parent_id": 1, "name": f"Đảng bộ xã {g + 1:03d}", "kind": "grassroots",
                      "path": f"/1/{uid}/"})
    cell_ids, cell_paths = [], {}
    for c in range(cells):
        parent = grassroots_ids[c % grassroots]
        uid = len(units) + 1
        cell_ids.append(uid)
        cell_paths[uid] = f"/1/{parent}/{uid}/"
        units.append({"id": uid, "parent_id": parent, "name": f"Chi bộ {c + 1:04d}", "kind": "cell",
                      "path": cell_paths[uid]})
    for row in units:
        row.update(code=None, active=True, created_at=now)
    bulk(Unit.__table__, units)
    # Members, spread over the cells; a few exempt.
    password_hash = accounts.hash_password(PASSWORD)
    people = []
    for i in range(members):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {i}"
        people.append({"id": i + 1, "full_name": name, "name_key": sort_key(name), "party_card_number": None,
                       "phone": f"07{i:08d}", "password_hash": password_hash, "unit_id": cell_ids[i % cells],
                       "birth_date": None, "gender": None, "membership": "full", "exempt": rng.random() < 0.02,
                       "active": True, "locale": None, "created_at": now, "last_login_at": None})
    bulk(User.__table__, people)
    reviewer_id = members + 1
    bulk(User.__table__, [{**people[0], "id": reviewer_id, "full_name": "Bí thư (thử tải)",
                           "name_key": sort_key("Bí thư (thử tải)"), "phone": "0699999999", "unit_id": None}])
    bulk(RoleGrant.__table__, [
        {"id": 1, "user_id": reviewer_id, "role": "member", "unit_id": None, "created_at": now},
        {"id": 2, "user_id": reviewer_id, "role": "reviewer", "unit_id": 1, "created_at": now}])
    campaign = db.session.execute(insert(Campaign).values(
        title="Học tập Nghị quyết (thử tải)", description="", opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=10), owner_unit_id=None, created_at=now).returning(Campaign.id)).scalar()
    db.session.execute(insert(campaign_lessons), [{"campaign_id": campaign, "lesson_id": lid} for lid in lessons])
    db.session.execute(insert(campaign_units), [{"campaign_id": campaign, "unit_id": 1}])
    db.session.commit()
    # One submitted attempt per member and lesson, and the progress after it.
    # Each cell has its own diligence, so that some lag.
    diligence = {cid: rng.uniform(0.3, 1.0) for cid in cell_ids}
    attempt_id = 0
    for start in range(0, members, 5000):
        attempts, progress = [], []
        for person in people[start:start + 5000]:
            keen = diligence[person["unit_id"]]
            for lesson_id in lessons:
                attempt_id += 1
                percent = round(min(100.0, rng.gauss(60 + 35 * keen, 15)), 1)
                passed = percent >= 50
                at = now - timedelta(days=rng.randint(0, 19), minutes=rng.randint(0, 1000))
                attempts.append({"id": attempt_id, "user_id": person["id"], "lesson_id": lesson_id,
                                 "version_id": versions[lesson_id], "number": 1, "status": "submitted", "plan": "[]",
                                 "started_at": at - timedelta(minutes=8), "deadline_at": None, "submitted_at": at,
                                 "auto_submitted": False, "score": percent / 10, "max_score": 10.0,
                                 "percent": percent, "passed": passed})
                progress.append({"id": attempt_id, "user_id": person["id"], "lesson_id": lesson_id,
                                 "started_at": at - timedelta(minutes=20), "read_at": at - timedelta(minutes=9),
                                 "quiz_passed_at": at if passed else None, "reflection_submitted_at": None,
                                 "completed_at": at if passed else None, "attempts_used": 1,
                                 "counted_percent": percent, "on_time": True if passed else None,
                                 "updated_at": at, "revision": 1})
        bulk(Attempt.__table__, attempts)
        bulk(LessonProgress.__table__, progress)
    fix_sequences()
    db.session.commit()
    grassroot = grassroots_ids[0]
    return {"campaign": campaign, "grassroots": grassroot, "cell": cell_ids[0], "reviewer": reviewer_id}


def kept_ids() -> dict:
    """The pages' ids in a province generated earlier (as generate() made them)."""
    campaign = db.session.scalar(select(Campaign.id))
    reviewer = db.session.scalar(select(RoleGrant.user_id).where(RoleGrant.role == "reviewer"))
    grassroots = db.session.scalar(select(func.min(Unit.id)).where(Unit.kind == "grassroots"))
    cell = db.session.scalar(select(func.min(Unit.id)).where(Unit.kind == "cell"))
    return {"campaign": campaign, "grassroots": grassroots, "cell": cell, "reviewer": reviewer}


def publish_lessons() -> list[int]:
    source = SOURCE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="bench-province-lessons-") as name:
        folder = Path(name)
        for i in range(LESSONS):
            (folder / f"province-{i:02d}.md").write_text(
                re.sub(r"^# ", f"# ({i + 1}) ", source, count=1, flags=re.M), encoding="utf-8")
        results = publishing.import_files(sorted(folder.glob("*.md")))
    db.session.commit()
    return [r.lesson.id for r in results]


def bulk(table, rows: list[dict]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    columns = list(rows[0])
    if db.dialect_name() == "postgresql":
        raw = db.session.connection().connection.dbapi_connection
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_pg_value(row[c]) for c in columns])
    else:  # the DB-API's executemany over tuples: SQLAlchemy's per-row work would cost more than SQLite's
        raw = db.session.connection().connection.dbapi_connection
        raw.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        [tuple(_sqlite_value(row[c]) for c in columns) for row in rows])


def _sqlite_value(value):
    """As SQLAlchemy stores it on SQLite: UTC datetimes without a zone, as text."""
    if isinstance(value, datetime):
        return _pg_value(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _pg_value(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None) - (value.utcoffset() or timedelta(0))
    return value


def fix_sequences() -> None:
    """Ids were given by hand: PostgreSQL's sequences must start after them."""
    if db.dialect_name() != "postgresql":
        return
    for table in (Unit.__table__, User.__table__, RoleGrant.__table__, Attempt.__table__, LessonProgress.__table__):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"(SELECT max(id) FROM {table.name}))"))


# -- measuring -----------------------------------------------------------------

def measure(app, ids: dict) -> dict[str, tuple[float, float]]:
    """Sign the province's reviewer in (a sign-in row, as the login page
    makes), then time each page."""
    with app.app_context():
        reviewer = db.session.get(User, ids["reviewer"])
        token = accounts.start_sign_in(reviewer)
        db.session.commit()
        counted = db.session.scalar(select(func.count()).select_from(Attempt))
        assert counted == db.session.scalar(select(func.count()).select_from(LessonProgress))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    campaign = ids["campaign"]
    pages = {
        "top dashboard (province)": f"/follow-up/campaigns/{campaign}",
        "grassroots dashboard": f"/follow-up/campaigns/{campaign}/units/{ids['grassroots']}",
        "cell page (members)": f"/follow-up/campaigns/{campaign}/units/{ids['cell']}",
        "lagging cells (province)": f"/follow-up/campaigns/{campaign}/lagging?level=cell",
    }
    timings = {}
    for name, path in pages.items():
        for _warm in range(3):
            assert client.get(path).status_code == 200, path
        if os.environ.get("PROFILE"):  # where one request's time goes
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        times = []
        for _request in range(REQUESTS):
            began = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        cut = statistics.quantiles(times, n=20)
        timings[name] = (statistics.median(times), cut[18])
    return timings


if __name__ == "__main__":
    main()
