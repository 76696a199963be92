"""Load benchmark: saving answers and submitting attempts, against gunicorn
and PostgreSQL on this machine, beside three yardsticks measured in the same
run, each run through: the app's own trivial endpoint (GET /healthz); a bare
Flask hello world (bench/bare/hello.py), what the hardware, gunicorn and Flask
allow a request; and a bare Flask app doing one durable PostgreSQL insert per
request (bench/bare/insert.py), what a request that writes must pay here. All
three servers run on the same gunicorn settings (gunicorn.conf.py, WORKERS
sync workers), one at a time under load.

Simulated members are wrk connections (two wrk threads, so that the load
generator leaves the CPU to the server); every acknowledgement names what it
acknowledges, which lets the script check the database afterwards. Before the run, the script signs the
members in, publishes the lessons and opens their attempts; afterwards it
checks that every answer and submission the server acknowledged is in the
database. It prints figures and asserts nothing timed.

    make bench                      # all benchmarks
    .venv/bin/python bench/load.py  # this one; BENCH_DATABASE_URL, MEMBERS, SECONDS, RUNS, WORKERS, ONLY tune it
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from bench.bare import insert as bare_insert  # noqa: E402
from learning import create_app  # noqa: E402
from learning.core import db, migrate  # noqa: E402
from learning.lessons import publishing  # noqa: E402
from learning.models import Answer, Attempt, Lesson, LessonProgress, LessonVersion, User  # noqa: E402
from learning.org import accounts  # noqa: E402
from learning.org import units as org
from learning.study.grading import attempt_plan  # noqa: E402

BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SCHEMA = os.environ.get("BENCH_SCHEMA", "bench_load")
MEMBERS = int(os.environ.get("MEMBERS", 200))
SECONDS = int(os.environ.get("SECONDS", 10))
RUNS = int(os.environ.get("RUNS", 3))
WORKERS = int(os.environ.get("WORKERS", 4))
WRK_THREADS = 2  # as in the measurements: wrk must leave the CPU to the server
SUBMIT_LESSONS = int(os.environ.get("SUBMIT_LESSONS", 80))  # open attempts per member for the submit phases
PASSWORD = "bench-password"
SOURCE = ROOT / "content" / "68-nq-tw-2025.md"
LUA = Path(__file__).resolve().parent / "lua"


PACE_MS = int(os.environ.get("PACE_MS", 1000))  # a paced member acts about once a second
ONLY = os.environ.get("ONLY", "")  # e.g. ONLY=submit: the phases whose names contain it, and the yardsticks


@dataclass
class Phase:
    name: str
    script: str
    path: str
    server: str = "app"  # or one of the bare apps: "hello", "insert"
    ids: str = "save.ids"
    pace_ms: int = 0  # 0: as fast as the server answers (saturation)
    every_run: bool = True  # False: the phase uses up what it works on
    attempts: tuple[int, int] = (0, 1)  # submitting: (first, count) of each member's open attempts
    seconds: int = SECONDS


# Each member has SUBMIT_LESSONS open attempts to submit: the warm-up takes the
# first few, then each submit phase a slice of its own, so none replays another's.
WARMUP_ATTEMPTS = 3
if SUBMIT_LESSONS < WARMUP_ATTEMPTS + 2:
    sys.exit(f"SUBMIT_LESSONS must be at least {WARMUP_ATTEMPTS + 2}")
_half = (SUBMIT_LESSONS - WARMUP_ATTEMPTS) // 2
SATURATED_SUBMITS = (WARMUP_ATTEMPTS, _half)
PACED_SUBMITS = (WARMUP_ATTEMPTS + _half, SUBMIT_LESSONS - WARMUP_ATTEMPTS - _half)

BARE_HELLO = "bare Flask hello world"
BARE_INSERT = "bare Flask durable insert"
HEALTHZ = "app's GET /healthz"
# Each yardstick runs just before what is compared with it (this machine's
# speed drifts within a minute): the hello world before /healthz, the
# durable insert before saving and submitting.
PHASES = [
    Phase(BARE_HELLO, "healthz.lua", "/", server="hello"),
    Phase(HEALTHZ, "healthz.lua", "/healthz"),
    Phase(BARE_INSERT, "bare_insert.lua", "/", server="insert"),
    Phase("save an answer", "save.lua", "/"),
    Phase("submit an attempt", "submit.lua", "/", ids="submit.ids", every_run=False, attempts=SATURATED_SUBMITS),
    Phase("save, paced", "save", "/", pace_ms=PACE_MS),
    Phase("submit, paced", "submit", "/", ids="submit.ids", pace_ms=PACE_MS, every_run=False,
          attempts=PACED_SUBMITS),
]

# Unmeasured, before the first run: each worker's first requests compile the
# statements and read the lesson versions into its memory, which a production
# worker does once in its life. Their acknowledgements are checked too.
WARM_UP = [
    Phase("warm-up: submit", "submit.lua", "/", ids="submit.ids", attempts=(0, WARMUP_ATTEMPTS), seconds=2),
    Phase("warm-up: save", "save.lua", "/", seconds=2),
]


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    url = f"{BASE_URL}{'&' if '?' in BASE_URL else '?'}options=-csearch_path%3D{SCHEMA}"
    fresh_schema()
    migrate.upgrade(url)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    secret = "bench-secret"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024, "PASSWORD_HASH_PARALLELISM": 1})
    print(f"preparing {MEMBERS} members, {SUBMIT_LESSONS + 1} lessons ...", flush=True)
    with app.app_context():
        publish_lessons(SUBMIT_LESSONS + 1)
        make_members(MEMBERS)
        db.session.commit()
    # Outside any app context: each sign-in request gets its own, as in production.
    identities = sign_in_all(app)
    with app.app_context():
        lessons = list(db.session.scalars(select(Lesson).order_by(Lesson.id)))
        members = list(db.session.scalars(select(User).order_by(User.id)))
        save_attempts = open_attempts(members, lessons[:1], with_answers=False)
        submit_attempts = open_attempts(members, lessons[1:], with_answers=True)
        db.session.commit()
        questions = question_values(lessons[0])
    write_identities(work / "save.ids", identities, save_attempts, questions)
    write_identities(work / "submit.ids", identities, submit_attempts, questions)

    bare_url = psycopg_url(url)
    bare_insert.create_table(bare_url)
    servers = {"app": start_gunicorn("app:app", {"DATABASE_URL": url, "SECRET_KEY": secret,
                                                  "RATELIMIT_STORAGE_URI": "database://"}),
               "hello": start_gunicorn("bench.bare.hello:app", {}),
               "insert": start_gunicorn("bench.bare.insert:app", {"BARE_DATABASE_URL": bare_url})}
    print("gunicorn: " + ", ".join(f"{name} on port {port}" for name, (_, port) in servers.items()), flush=True)
    try:
        for number, phase in enumerate(WARM_UP):
            run_wrk(phase, servers[phase.server][1], work / phase.ids,
                    work / f"acked-{phase.script.removesuffix('.lua')}-warm-{number}.txt")
        time.sleep(3)
        results = {phase.name: [] for phase in PHASES}
        for run in range(RUNS):
            for number, phase in enumerate(PHASES):
                if phase.name not in YARDSTICKS and ONLY not in phase.name:
                    continue
                if run and not phase.every_run:
                    continue  # each submission is graded once: a second run would only replay them
                acked = work / f"acked-{phase.script.removesuffix('.lua')}-{number}-{run}.txt"
                runner = run_paced if phase.pace_ms else run_wrk
                outcome = runner(phase, servers[phase.server][1], work / phase.ids, acked)
                results[phase.name].append(outcome)
                print(f"  run {run + 1}: {phase.name:26} {outcome['rps']:7.0f} req/s, p95 {outcome['p95']:.1f} ms",
                      flush=True)
                time.sleep(3)  # let the server drain its queue before the next phase
        print_results(results)
    finally:
        for server, _port in servers.values():
            server.send_signal(signal.SIGTERM)
        for server, _port in servers.values():
            server.wait(20)
    with app.app_context():
        check_acknowledged(work)


# -- preparing -----------------------------------------------------------------

def fresh_schema() -> None:
    engine = create_engine(BASE_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


def publish_lessons(count: int) -> list[Lesson]:
    """The same real lesson under `count` ids, with no time limit and unlimited
    attempts, so that attempts stay open for as long as the run lasts."""
    source = SOURCE.read_text(encoding="utf-8")
    source = re.sub(r"^- Thời gian làm bài:.*$", "- Thời gian làm bài: không giới hạn", source, flags=re.M)
    source = re.sub(r"^- Số lần làm:.*$", "- Số lần làm: không giới hạn", source, flags=re.M)
    folder = Path(tempfile.mkdtemp(prefix="bench-lessons-"))
    for i in range(count):
        (folder / f"bench-{i:03d}.md").write_text(source, encoding="utf-8")
    results = publishing.import_files(sorted(folder.glob("*.md")))
    return [r.lesson for r in results]


def make_members(count: int) -> list[User]:
    # A province's depth: each submission updates the cell's roll-up row and
    # the grassroots organisation's (org.lineage; the top keeps none).
    province = org.add_unit("Tỉnh ủy (tải thử)", "province")
    grassroots = org.add_unit("Đảng bộ xã (tải thử)", "grassroots", parent=province)
    cell = org.add_unit("Chi bộ (tải thử)", "cell", parent=grassroots)
    return [accounts.create_user(full_name=f"Đảng viên {i}", phone=f"08{i:08d}", password=PASSWORD, unit=cell)
            for i in range(count)]


def sign_in_all(app) -> dict[int, tuple[str, str]]:
    """Sign every member in through the app itself; keep their cookie and CSRF token."""
    with app.app_context():
        members = [(m.id, m.phone) for m in db.session.scalars(select(User).order_by(User.id))]
    identities = {}
    for member_id, phone in members:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"identifier": phone, "password": PASSWORD, "csrf_token": token})
        page = client.get("/").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
        identities[member_id] = (f"{app.config['SESSION_COOKIE_NAME']}={cookie}", token)
    return identities


def open_attempts(members: list[User], lessons: list[Lesson], with_answers: bool) -> dict[int, list[int]]:
    """Open one attempt per member and lesson, in bulk (setting up, not measuring)."""
    versions = {v.lesson_id: v for v in db.session.scalars(
        select(LessonVersion).where(LessonVersion.lesson_id.in_([lesson.id for lesson in lessons])))}
    rows = []
    for member in members:
        for lesson in lessons:
            version = versions[lesson.id]
            rows.append({"user_id": member.id, "lesson_id": lesson.id, "version_id": version.id, "number": 1,
                         "status": "open", "plan": attempt_plan(version.questions, False, False, None),
                         "started_at": db.utcnow(), "auto_submitted": False})
    ids = db.session.execute(insert(Attempt).returning(Attempt.id, Attempt.user_id), rows).all()
    # As after study.start_attempt: the member opened and read each lesson.
    db.session.execute(insert(LessonProgress), [
        {"user_id": member.id, "lesson_id": lesson.id, "started_at": db.utcnow(), "read_at": db.utcnow(),
         "attempts_used": 0, "updated_at": db.utcnow()} for member in members for lesson in lessons])
    by_member: dict[int, list[int]] = {}
    for attempt_id, user_id in ids:
        by_member.setdefault(user_id, []).append(attempt_id)
    if with_answers:
        questions = versions[lessons[0].id].questions
        db.session.execute(insert(Answer), [
            {"attempt_id": attempt_id, "question_key": q.key, "response": {"value": first_value(q)},
             "client_seq": 1, "saved_at": db.utcnow()}
            for attempt_id, _user in ids for q in questions])
    return by_member


def first_value(question):
    data = question.data
    if question.kind == "multiple":
        return [data["choices"][0]["key"]]
    if question.kind == "single":
        return data["choices"][0]["key"]
    if question.kind == "true_false":
        return True
    return "30"


def question_values(lesson: Lesson) -> list[tuple[str, str]]:
    """For each question, one value a member could send from the form."""
    version = lesson.versions[-1]
    values = []
    for q in version.questions:
        if q.kind in ("single", "multiple"):
            values.append((q.key, q.data["choices"][0]["key"]))
        elif q.kind == "true_false":
            values.append((q.key, "true"))
        else:
            values.append((q.key, "30"))
    return values


def write_identities(path: Path, identities, attempts: dict[int, list[int]], questions) -> None:
    """One line per member. Their attempts (one per lesson) start at a lesson
    that shifts from member to member, so that every slice of the list, the
    warm-up's included, covers all the lessons."""
    with path.open("w") as f:
        for number, (user_id, (cookie, csrf)) in enumerate(identities.items()):
            mine = attempts[user_id]
            shift = number * WARMUP_ATTEMPTS % len(mine)
            qs = ",".join(f"{key}={value}" for key, value in questions)
            f.write(f"{cookie} {csrf} {','.join(map(str, mine[shift:] + mine[:shift]))} {qs}\n")


# -- running -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app: str, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """A gunicorn master serving `app` from the top level (so with the app's
    gunicorn.conf.py), on WORKERS sync workers; (the process, its port)."""
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--backlog", "2048", "--log-level", "warning", app],
        cwd=ROOT, env={**os.environ, **env})
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if app == "app:app"
                                   else f"http://127.0.0.1:{port}/", timeout=1)
            return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not start {app}")


def psycopg_url(url: str) -> str:
    """The SQLAlchemy URL as psycopg takes it (same database, same schema)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


_seq_base = 0


def next_seq_base() -> int:
    """Sequence numbers rise from run to run, as a phone's do: a save numbered
    below what the server holds is (rightly) ignored and would measure nothing."""
    global _seq_base
    _seq_base += 1_000_000
    return _seq_base


def run_wrk(phase: Phase, port: int, ids: Path, acked: Path) -> dict:
    env = {**os.environ, "BENCH_LUA": str(LUA), "BENCH_IDS": str(ids), "BENCH_ACKED": str(acked),
           "BENCH_THREADS": str(WRK_THREADS), "BENCH_SEQ_BASE": str(next_seq_base()),
           "BENCH_FIRST": str(phase.attempts[0]), "BENCH_COUNT": str(phase.attempts[1])}
    output = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{MEMBERS}", f"-d{phase.seconds}s", "--timeout", "5s",
         "-s", str(LUA / phase.script), f"http://127.0.0.1:{port}{phase.path}"],
        stdout=subprocess.PIPE, text=True, env=env, check=True).stdout
    return parse_wrk(output)


def run_paced(phase: Phase, port: int, ids: Path, acked: Path) -> dict:
    """Members who think between requests: each opens a connection when it has
    something to send, as phones do (wrk keeps idle connections open, which a
    sync worker would wait on; in production a proxy buffers them)."""
    return asyncio.run(_paced(phase, port, ids, acked))


async def _paced(phase: Phase, port: int, ids: Path, acked: Path) -> dict:
    members = [line.split() for line in ids.read_text().splitlines()]
    latencies: list[float] = []
    errors = ignored = 0
    acks: list[str] = []
    deadline = time.monotonic() + SECONDS
    base = next_seq_base()

    async def member(cookie: str, csrf: str, attempts: str, questions: str) -> None:
        nonlocal errors, ignored
        attempt_ids = attempts.split(",")
        pairs = [q.split("=", 1) for q in questions.split(",")]
        turn = 0
        await asyncio.sleep(random.uniform(0, phase.pace_ms / 1000))
        while time.monotonic() < deadline:
            turn += 1
            if phase.script == "save":
                key, value = pairs[turn % len(pairs)]
                path = f"/attempts/{attempt_ids[0]}/answers"
                body = json.dumps({"answers": [{"key": key, "values": [value], "seq": base + turn}]})
            else:
                first, count = phase.attempts
                path = f"/attempts/{attempt_ids[first + (turn - 1) % count]}/submit"
                body = "{}"  # as the page sends it
            started = time.perf_counter()
            status, text = await _post(port, path, body, cookie, csrf)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors += 1
            elif phase.script == "save":
                data = json.loads(text)
                acks.extend(f"{data['attempt']} {a['key']} {a['seq']}\n" for a in data["saved"])
                ignored += len(data.get("stale", []))
            else:
                acks.append(re.search(r"/attempts/(\d+)/result", text).group(1) + "\n")
            await asyncio.sleep(random.uniform(0.5, 1.5) * phase.pace_ms / 1000)

    began = time.monotonic()
    await asyncio.gather(*(member(*m) for m in members))
    acked.write_text("".join(acks))
    cut = statistics.quantiles(latencies, n=100)
    if ignored:
        print(f"  warning: {ignored} saves were older than the stored ones and not written")
    return {"rps": len(latencies) / (time.monotonic() - began), "p50": cut[49], "p95": cut[94], "p99": cut[98],
            "errors": errors, "requests": len(latencies)}


async def _post(port: int, path: str, body: str, cookie: str, csrf: str) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = body.encode()
    writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nX-CSRFToken: {csrf}\r\n"
                  f"Content-Type: application/json\r\nAccept: application/json\r\n"
                  f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n").encode() + payload)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), rest.decode("utf-8", "replace")


def parse_wrk(output: str) -> dict:
    if "LATENCY_MS" not in output:
        sys.exit(f"wrk did not report (a script error?):\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95, p99 = map(float, re.search(r"LATENCY_MS p50=([\d.]+) p95=([\d.]+) p99=([\d.]+)", output).groups())
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures = int(errors.group(1)) if errors else 0
    failures += sum(map(int, socket_errors.groups())) if socket_errors else 0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50": p50, "p95": p95, "p99": p99, "errors": failures, "requests": requests}


YARDSTICKS = (BARE_HELLO, BARE_INSERT, HEALTHZ)

# The targets (README, "Measured figures"): each endpoint's share of a
# bare app's rate, measured in the same run.
TARGETS = [(HEALTHZ, BARE_HELLO, 0.85), ("save an answer", BARE_INSERT, 0.75),
           ("submit an attempt", BARE_INSERT, 0.40)]


def print_results(results: dict[str, list[dict]]) -> None:
    """Medians over runs. A phase's share of a yardstick is taken run by run,
    against the yardstick measured in the same run, then the median of
    those: this machine's speed drifts between runs, and a ratio of
    neighbours cancels most of the drift. (Submitting runs once: its shares
    are of the first run's yardsticks.)"""
    yardsticks = {name: [r["rps"] for r in results[name]] for name in YARDSTICKS}
    print(f"\n{MEMBERS} concurrent members, {WORKERS} gunicorn workers, {SECONDS}s per run, "
          f"median of {RUNS} runs (submit: 1 run, every submission graded once); "
          f"paced: each member sends one request, waits {PACE_MS} ms, and so on")
    print(f"{'endpoint':26} {'req/s':>7} {'of hello':>9} {'of insert':>9} {'of healthz':>10} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    shares: dict[tuple[str, str], float] = {}
    for name, runs in results.items():
        if not runs:
            continue
        med = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95", "p99")}
        for yardstick in YARDSTICKS:
            shares[name, yardstick] = statistics.median(
                r["rps"] / base for r, base in zip(runs, yardsticks[yardstick]))
        hello, insert_, healthz = (f"{shares[name, y]:.0%}" for y in YARDSTICKS)
        errors = sum(r["errors"] for r in runs)
        print(f"{name:26} {med['rps']:7.0f} {hello:>9} {insert_:>9} {healthz:>10} "
              f"{med['p50']:7.1f} {med['p95']:7.1f} {med['p99']:7.1f} {errors:6d}")
    print("\ntargets (share of a bare app, same run):")
    for name, yardstick, target in TARGETS:
        if (name, yardstick) in shares:
            share = shares[name, yardstick]
            print(f"  {name:26} {share:5.0%} of the {yardstick}, target {target:.0%}: "
                  f"{'met' if share >= target else 'NOT MET'}")


# -- checking ------------------------------------------------------------------

def check_acknowledged(work: Path) -> None:
    """Every answer the server acknowledged is stored (with that save or a later
    one), and every acknowledged submission is graded."""
    expected: dict[tuple[int, str], int] = {}
    for path in work.glob("acked-save-*.txt"):
        for line in path.read_text().splitlines():
            attempt_id, key, seq = line.split()
            expected[(int(attempt_id), key)] = max(expected.get((int(attempt_id), key), 0), int(seq))
    stored = {(a, k): s for a, k, s in db.session.execute(
        select(Answer.attempt_id, Answer.question_key, Answer.client_seq)
        .where(Answer.attempt_id.in_({a for a, _k in expected})))}
    missing = [key for key, seq in expected.items() if stored.get(key, -1) < seq]
    submitted = {int(x) for path in work.glob("acked-submit-*.txt") for x in path.read_text().split()}
    for path in sorted(work.glob("acked-submit-*.txt")):
        ids = path.read_text().split()
        if len(ids) > len(set(ids)) and "-warm-" not in path.name:
            # A member went through their whole slice and started again: the
            # replays are cheap no-ops, so the phase's rate is overstated.
            print(f"warning: {path.name} acknowledges {len(ids) - len(set(ids))} replayed submissions; "
                  f"raise SUBMIT_LESSONS (now {SUBMIT_LESSONS}) and run again")
    graded = set(db.session.scalars(select(Attempt.id).where(
        Attempt.id.in_(submitted), Attempt.status == "submitted", Attempt.percent.is_not(None))))
    print(f"\nacknowledged answers checked: {len(expected)} (latest per question), missing: {len(missing)}")
    print(f"acknowledged submissions checked: {len(submitted)}, not graded: {len(submitted - graded)}")


if __name__ == "__main__":
    main()
