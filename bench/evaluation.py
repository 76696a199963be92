"""Evaluation benchmark: the year's evaluation of a province-sized tree.

Starts from bench/province.py's province (generated, or the one it kept:
at SCALE=1, 150,000 members, 500 grassroots organisations, 3,000 cells, 20
lessons, 3,000,000 submitted attempts), makes an evaluation period over its
campaign (as an admin, evaluation.periods.create_period), then times:

- the whole tree's computation, evaluation.compute.compute and its commit
  (target: below 10 s on PostgreSQL at 150,000 members), split into reading
  (the evidence query, the units' paths, the decisions kept) and writing
  (scoring, the inserts, the commit);
- the same again once a cell's secretary-style confirmation of its members
  stands (evaluation.decisions.confirm_unit_members): a recompute over
  existing results, which must keep those decisions (it prints how many it
  kept);
- the whole province's XLSX export (/evaluation/periods/<id>/units/<top>/
  results.xlsx), in a fresh process of its own so that its peak memory
  (VmHWM) is the download's: the time to read the whole body and the
  peak RSS (targets: below 30 s, below 300 MB);
- REQUESTS requests of a grassroots organisation's results page
  (/evaluation/periods/<id>/units/<grassroots>) as the province's reviewer,
  in process through the Flask test client like province.py: p50 and p95
  (target: p95 below 100 ms).

A page or download the app does not answer with 200 (a route not written
yet: 404) is printed "not available (status)". It asserts nothing timed.

    .venv/bin/python bench/evaluation.py     # both databases, SCALE=1 and 1/3
    EVAL_DB=sqlite SCALES=0.1 .venv/bin/python bench/evaluation.py
    PROVINCE_KEEP=1 EVAL_DB=postgresql SCALES=1 .venv/bin/python bench/evaluation.py
    make bench BENCH=evaluation              # this one alone, from make

Tuning: EVAL_DB (sqlite, postgresql or both; PROVINCE_DB if unset, default
both), SCALES (comma-separated, default "1,0.3333"), REQUESTS (default 50),
BENCH_DATABASE_URL (PostgreSQL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test: only schemas
bench_province_* are made there), PROVINCE_KEEP=1 (as province.py: reuse
the province kept at /tmp/bench-province-SCALE.sqlite3 / schema
bench_province_SCALE, or keep the one generated; the bench's period is
made afresh each run), PROFILE=1 (cProfile of the first computation, the
25 most costly calls by cumulative time).

The export's child process: bench/evaluation.py export DATABASE_URL PATH USER_ID
(any path: it prints JSON with the status, seconds, bytes and peak RSS).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import province  # noqa: E402  (bench/province.py: the province and its database)
from sqlalchemy import delete, func, select  # noqa: E402

from learning.core import db  # noqa: E402
from learning.evaluation import decisions, periods  # noqa: E402
from learning.evaluation.compute import compute  # noqa: E402
from learning.evaluation.models import MemberResult, Period, UnitResult, period_campaigns  # noqa: E402
from learning.models import Campaign, RoleGrant, Unit, User  # noqa: E402
from learning.org import accounts  # noqa: E402

DATABASES = os.environ.get("EVAL_DB") or os.environ.get("PROVINCE_DB") or "both"
PERIOD_NAME = "Đánh giá năm (thử tải)"
ADMIN_PHONE = "0698888888"


def main() -> None:
    targets = [t for t in ("sqlite", "postgresql") if DATABASES in (t, "both")]
    results = [run(target, scale) for scale in province.SCALES for target in targets]
    print()
    print(f"Evaluation of the whole tree; export in a process of its own; results page over {province.REQUESTS} "
          "requests (Flask test client, in process)")
    print(f"{'database':11} {'members':>8} {'units':>6} {'compute s':>9} {'read s':>6} {'write s':>7} "
          f"{'again s':>7} {'kept':>5}  {'xlsx s':>7} {'xlsx MB':>7}  {'page p50':>8} {'p95 ms':>7}")
    for row in results:
        first, again, export, page = row["first"], row["again"], row["export"], row["page"]
        xlsx = (f"{export['seconds']:7.1f} {export['peak_mb']:7.0f}" if export["status"] == 200
                else f"{'n/a (' + str(export['status']) + ')':>15}")
        timed = f"{page[0]:8.1f} {page[1]:7.1f}" if isinstance(page, tuple) else f"{'n/a (' + str(page) + ')':>16}"
        print(f"{row['target']:11} {first['members']:8} {first['units']:6} {first['seconds']:9.1f} "
              f"{first['reading']:6.1f} {first['writing']:7.1f} {again['seconds']:7.1f} {again['kept']:5}  "
              f"{xlsx}  {timed}")


def run(target: str, scale: float) -> dict:
    members, grassroots, cells = province.sizes(scale)
    print(f"== {target}, scale {scale:g}: {members} members, {grassroots} grassroots, {cells} cells", flush=True)
    with province.database(target, scale) as url:
        app = province.bench_app(url)
        ids = province.province(app, target, scale)
        with app.app_context():
            admin_id = bench_admin()
            period_id = fresh_period(admin_id, ids["campaign"])
            top = db.session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)))
            first = timed_compute(period_id, admin_id, profile=bool(os.environ.get("PROFILE")))
            report("computed", first)
            confirmed = confirm_a_cell(period_id, ids["reviewer"], ids["cell"])
            again = timed_compute(period_id, admin_id)
            report(f"computed again ({confirmed} confirmed in a cell)", again)
            assert again["kept"] == confirmed and not again["lapsed"], "the same data keeps every confirmation"
            province.analyze(target)  # the results' tables are new to the planner
        export = export_in_child(url, f"/evaluation/periods/{period_id}/units/{top}/results.xlsx", admin_id)
        if export["status"] == 200:
            print(f"  whole province's XLSX: {export['seconds']:.1f} s, {export['bytes'] / 1e6:.1f} MB, "
                  f"peak RSS {export['peak_mb']:.0f} MB (before the request {export['start_mb']:.0f} MB)", flush=True)
        else:
            print(f"  whole province's XLSX: not available ({export['status']})", flush=True)
        page = time_page(app, ids["reviewer"], f"/evaluation/periods/{period_id}/units/{ids['grassroots']}")
        if isinstance(page, tuple):
            print(f"  grassroots results page: p50 {page[0]:6.1f} ms  p95 {page[1]:6.1f} ms", flush=True)
        else:
            print(f"  grassroots results page: not available ({page})", flush=True)
        db.dispose(app)
    return {"target": target, "first": first, "again": again, "export": export, "page": page}


def report(what: str, timed: dict) -> None:
    print(f"  {what}: {timed['members']} members, {timed['units']} units in {timed['seconds']:.1f} s "
          f"(reading {timed['reading']:.1f} s, scoring and writing {timed['writing']:.1f} s); "
          f"decisions kept {timed['kept']}, lapsed {timed['lapsed']}", flush=True)


# -- the period and its computation ---------------------------------------------

def bench_admin() -> int:
    """The admin who makes and computes the period (made once per province)."""
    found = db.session.scalar(select(RoleGrant.user_id).where(RoleGrant.role == "admin"))
    if found is None:
        found = accounts.create_user(full_name="Quản trị (thử tải)", phone=ADMIN_PHONE, password=province.PASSWORD,
                                     unit=None, roles=[("member", None), ("admin", None)]).id
        db.session.commit()
    return found


def fresh_period(admin_id: int, campaign_id: int) -> int:
    """A period over the province's campaign, made anew: an earlier run's
    (a kept province) goes first with its results, so the first computation
    finds none."""
    for old in db.session.scalars(select(Period.id).where(Period.name == PERIOD_NAME)).all():
        for table in (MemberResult.__table__, UnitResult.__table__, period_campaigns):
            db.session.execute(delete(table).where(table.c.period_id == old))
        db.session.execute(delete(Period).where(Period.id == old))
    closes_on = db.session.get(Campaign, campaign_id).closes_on
    period = periods.create_period(db.session.get(User, admin_id), PERIOD_NAME, closes_on.year,
                                   date(closes_on.year, 1, 1), date(closes_on.year, 12, 31))
    db.session.commit()
    assert [c.id for c in period.campaigns] == [campaign_id], "the period counts the province's campaign"
    return period.id


def timed_compute(period_id: int, admin_id: int, profile: bool = False) -> dict:
    """compute() and its commit, timed; reading is until compute starts
    writing (its before_writing hook)."""
    period, admin = db.session.get(Period, period_id), db.session.get(User, admin_id)
    marks = {}
    began = time.perf_counter()

    def run():
        counts = compute(period, admin, before_writing=lambda: marks.setdefault("read", time.perf_counter()))
        db.session.commit()
        return counts

    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        counts = profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        counts = run()
    ended = time.perf_counter()
    return {**counts, "seconds": ended - began, "reading": marks["read"] - began, "writing": ended - marks["read"]}


def confirm_a_cell(period_id: int, reviewer_id: int, cell_id: int) -> int:
    """The province's reviewer confirms a cell's suggestions: decisions the
    recompute must keep."""
    period, reviewer = db.session.get(Period, period_id), db.session.get(User, reviewer_id)
    confirmed = decisions.confirm_unit_members(reviewer, period, db.session.get(Unit, cell_id))
    db.session.commit()
    decided = db.session.scalar(select(func.count()).select_from(MemberResult).where(
        MemberResult.period_id == period_id, MemberResult.decided.is_not(None)))
    assert decided == confirmed
    return confirmed


# -- the export, in a process of its own ----------------------------------------

def export_in_child(url: str, path: str, user_id: int) -> dict:
    """Run export_child in a fresh interpreter: its peak RSS is the app's
    and this download's alone, not the generation's."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "export", url, path, str(user_id)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the export's process failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_child(url: str, path: str, user_id: str) -> None:
    """GET path as this user and read the whole body (streamed or not,
    without keeping it); print the status, seconds, bytes and peak RSS as JSON."""
    app = province.bench_app(url)
    client = signed_in(app, int(user_id))
    start_mb = _peak_mb()
    began = time.perf_counter()
    response = client.get(path, buffered=False)
    size = 0
    for chunk in response.iter_encoded():
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - began
    print(json.dumps({"status": response.status_code, "seconds": seconds, "bytes": size,
                      "start_mb": start_mb, "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux
    carries it over from the parent through fork and exec, so a child of
    the big benchmark process would start at the parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the results page ------------------------------------------------------------

def signed_in(app, user_id: int):
    """A test client signed in as this user (a sign-in row, as the login page makes)."""
    with app.app_context():
        token = accounts.start_sign_in(db.session.get(User, user_id))
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def time_page(app, user_id: int, path: str) -> tuple[float, float] | int:
    """p50 and p95 in ms over REQUESTS requests, after three to warm up; the
    status instead if the page does not answer 200."""
    client = signed_in(app, user_id)
    for _warm in range(3):
        status = client.get(path).status_code
        if status != 200:
            return status
    times = []
    for _request in range(province.REQUESTS):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


if __name__ == "__main__":
    if sys.argv[1:2] == ["export"]:
        export_child(*sys.argv[2:5])
    else:
        main()
