"""Roster import benchmark: a province's roster (150,000 members, and
50,000) checked and imported end to end, on SQLite and on PostgreSQL.

Each run builds a province with 500 cells in a fresh database, has a
reviewer of the province upload the file, and times the three steps a
reviewer waits for: the dry run (read, normalise, compare with the
database), the import (the same check again, then the bulk writes and one
audit entry per member), and a second dry run of the same file (every row
unchanged). Jobs run inline here (JOBS_URL=memory://), as the worker runs them.

    make bench                             # every benchmark
    .venv/bin/python bench/roster_import.py   # this one; ROWS=150000,50000 FORMATS=csv,xlsx DATABASES=sqlite,postgresql
"""
from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from learning import create_app  # noqa: E402
from learning.core import db, migrate  # noqa: E402
from learning.models import AuditEntry, Job, User  # noqa: E402
from learning.org import accounts  # noqa: E402
from learning.org import units as org  # noqa: E402
from learning.org.roster import operations  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CELLS = 500
RUNS = [  # (rows, format)
    (int(rows), fmt) for rows, fmt in (item.split(":") for item in os.environ.get(
        "RUNS", "150000:csv,50000:csv,50000:xlsx").split(","))
]
CPU: list[float] = []  # this process's CPU time per step: the app's share, whatever the machine's load
DATABASES = os.environ.get("DATABASES", "sqlite,postgresql").split(",")
HEADER = ["STT", "Họ và tên", "Số thẻ đảng viên", "Ngày sinh", "Giới tính", "Mã chi bộ", "Điện thoại",
          "Trạng thái", "Ngày vào Đảng"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
         "Ngân", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"]
STATUSES = ["Chính thức"] * 8 + ["Dự bị", "Miễn sinh hoạt"]


def rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    for n in range(count):
        birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
        admitted = birth + timedelta(days=365 * 19 + rng.randrange(0, 365 * 20))
        phone = f"09{n:08d}"
        yield [n + 1, f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", f"{10_000_000 + n}",
               birth, "Nữ" if rng.random() < 0.4 else "Nam", f"CB{n % CELLS:04d}",
               f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}" if n % 3 == 0 else phone, rng.choice(STATUSES),
               admitted if admitted < date(2026, 1, 1) else None]


def as_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(count):
        writer.writerow([value.strftime("%d/%m/%Y") if isinstance(value, date) else value for value in row])
    return out.getvalue().encode()


def as_xlsx(count: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)  # real date cells
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _database(kind: str):
    """(url, cleanup) of an empty migrated database."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-roster-")
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        return url, lambda: None
    schema = "bench_roster_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    migrate.upgrade(url)

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return url, drop


def _timed(step):
    start, cpu = time.perf_counter(), time.process_time()
    job = step()
    db.session.commit()  # the job runs as the transaction commits (inline here)
    elapsed = time.perf_counter() - start
    CPU.append(time.process_time() - cpu)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    if job.status != "done":
        raise SystemExit(f"job {job.kind} {job.status}: {job.error}")
    return elapsed, job


def bench(kind: str, count: int, fmt: str, data: bytes) -> dict:
    url, drop = _database(kind)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "JOBS_URL": "memory://",
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024, "PASSWORD_HASH_PARALLELISM": 1})
    try:
        with app.app_context():
            province = org.add_unit("Tỉnh ủy Bench", "province")
            parents = [org.add_unit(f"Đảng bộ {n}", "grassroots", parent=province) for n in range(50)]
            for n in range(CELLS):
                org.add_unit(f"Chi bộ {n}", "cell", parent=parents[n % 50], code=f"CB{n:04d}")
            reviewer = accounts.create_user(full_name="Bí Thư Tỉnh", phone="0899000001", password="bench-password",
                                            unit=province, roles=[("member", None), ("reviewer", province)])
            db.session.commit()
            check, job = _timed(lambda: operations.start_check(reviewer, f"roster.{fmt}", data))
            assert job.result["counts"]["created"] == count, job.result["counts"]
            upload_id = job.result["upload_id"]
            upload = operations.visible_upload(reviewer, upload_id)
            imported, job = _timed(lambda: operations.start_import(reviewer, upload))
            assert job.result["imported"], job.result["counts"]
            again, job = _timed(lambda: operations.start_check(reviewer, f"roster.{fmt}", data))
            assert job.result["counts"]["unchanged"] == count, job.result["counts"]
            members = db.session.scalar(select(func.count()).select_from(User)) - 1
            entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
            assert members == count and entries == count + 1, (members, entries)
    finally:
        db.dispose(app)
        drop()
    return {"check": check, "import": imported, "again": again}


def main() -> None:
    print(f"Roster import ({CELLS} cells; the import includes its own check, the bulk writes and "
          f"one audit entry per member); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| database | rows | file | size | dry run | import | dry run again | import rows/s | app CPU (dry run, import) |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, fmt in RUNS:
        data = as_csv(count) if fmt == "csv" else as_xlsx(count)
        for kind in DATABASES:
            CPU.clear()
            try:
                figures = bench(kind, count, fmt, data)
            except Exception as error:  # noqa: BLE001 - PostgreSQL not running: say so, go on
                print(f"| {kind} | {count:,} | {fmt} | — | failed: {error!r:.120} |")
                continue
            print(f"| {kind} | {count:,} | {fmt} | {len(data) / 2 ** 20:.1f} MB | {figures['check']:.1f} s "
                  f"| {figures['import']:.1f} s | {figures['again']:.1f} s "
                  f"| {count / figures['import']:,.0f} | {CPU[0]:.1f} s, {CPU[1]:.1f} s |", flush=True)


if __name__ == "__main__":
    main()
