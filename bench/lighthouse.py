"""Lighthouse mobile scores of four member pages: home, a lesson, an open quiz
attempt and a quiz result.

How: builds a throwaway SQLite database in a temp dir (migrations, the demo
organisation, the shipped lessons and the demo campaigns), serves it with
gunicorn on a free local port, signs in as demo member 0911000002 over HTTP,
starts a quiz on one lesson and submits an attempt on another. Then runs
Lighthouse 12 (installed into bench/node_modules from bench/package.json when
missing) with Debian's Chromium, default mobile form factor and simulated
slow-4G throttling, passing the session cookie as an extra header. Categories:
performance, accessibility and best practices. Each page is measured RUNS
times; the table shows the median of each figure. The failing accessibility
and best-practices audits, and the performance opportunities and diagnostics,
come from the run with the median performance score.

Gunicorn serves uncompressed responses, so "transfer" is what a phone downloads
without gzip (compare bench/page_sizes.py for the gzipped sizes).

Prints figures; asserts nothing timed. Exits non-zero only when something
could not run (no Chromium, no npm, the server or Lighthouse failing, a page
redirecting elsewhere).
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(PROJECT))

from learning import (
    create_app,  # noqa: E402
    demo,  # noqa: E402
)
from learning.core import db, migrate  # noqa: E402
from learning.core.clock import vietnam_today  # noqa: E402
from learning.core.config import Config  # noqa: E402
from learning.lessons import publishing  # noqa: E402
from learning.lessons.catalogue import published_lessons  # noqa: E402

RUNS = 3
MEMBER_PHONE = demo.demo_phone(1, 2)  # 0911000002
SECRET_KEY = "bench-lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run --disable-quic")
LIGHTHOUSE_TIMEOUT_S = 240
ITEMS_SHOWN_PER_AUDIT = 8


class CannotRun(Exception):
    """Something the benchmark needs is missing or broken: say what, exit 1."""


# --- Tools -------------------------------------------------------------------

def check_browser_and_node() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        raise CannotRun(f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium` "
                        "(or set CHROME_PATH to a Chromium or Chrome binary).")
    if shutil.which("node") is None:
        raise CannotRun("node not found: Lighthouse 12 needs Node.js 18.16+ (`apt-get install -y nodejs npm`).")


def install_lighthouse() -> None:
    """npm ci (or npm install when there is no lock file) into bench/node_modules."""
    if LIGHTHOUSE.exists():
        return
    if shutil.which("npm") is None:
        raise CannotRun("npm not found: it installs Lighthouse (`apt-get install -y npm`).")
    verb = "ci" if (BENCH / "package-lock.json").exists() else "install"
    print(f"installing Lighthouse into {BENCH / 'node_modules'} (npm {verb})", flush=True)
    done = subprocess.run(["npm", verb, "--no-audit", "--no-fund"], cwd=BENCH,
                          capture_output=True, text=True)
    if done.returncode != 0 or not LIGHTHOUSE.exists():
        raise CannotRun(f"npm {verb} failed in {BENCH}:\n{done.stderr[-2000:]}")


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()


# --- The app -----------------------------------------------------------------

@dataclass
class Lessons:
    quiz_slug: str    # an open attempt is measured on this lesson's quiz, and its page
    result_slug: str  # a submitted attempt is measured on this one


def build_database(url: str) -> Lessons:
    """Migrate, load the demo organisation, the shipped lessons and the campaigns."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        demo.load_demo_organisation()
        publishing.import_files(publishing.collect_lesson_files([str(PROJECT / "content")]))
        demo.load_demo_campaigns(vietnam_today())
        db.session.commit()
        return choose_lessons([version for _lesson, version in published_lessons()])


def choose_lessons(versions) -> Lessons:
    """The open attempt goes on the quiz with the longest time limit, so its
    countdown shows yet cannot run out during the benchmark."""
    timed = [v for v in versions if v.settings.get("time_limit_minutes")]
    if not timed:
        raise CannotRun("no published lesson has a timed quiz")
    quiz = max(timed, key=lambda v: v.settings["time_limit_minutes"])
    other = next(v for v in versions if v.lesson_id != quiz.lesson_id)
    return Lessons(quiz_slug=quiz.lesson.slug, result_slug=other.lesson.slug)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_serving(database_url: str, port: int, log_path: Path):
    """Serve app:app with two workers; configuration comes through the environment."""
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY,
               RATELIMIT_STORAGE_URI="database://")
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:app"]
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login", server, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def wait_until_up(url: str, server: subprocess.Popen, log_path: Path, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise CannotRun(f"gunicorn did not serve {url}:\n{log_path.read_text()[-2000:]}")


# --- The member's session ----------------------------------------------------

class Member:
    """A browser-like client: keeps cookies, follows redirects, reads CSRF tokens."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[str, str]:
        """(final path after redirects, HTML)"""
        return self.request(path)

    def post(self, path: str, form: dict[str, str]) -> str:
        """The path the post redirected to."""
        landed, _html = self.request(path, urllib.parse.urlencode(form).encode())
        return landed

    def request(self, path: str, data: bytes | None = None) -> tuple[str, str]:
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=30) as response:
                return urllib.parse.urlsplit(response.url).path, response.read().decode()
        except OSError as error:  # urllib's HTTPError and URLError included
            raise CannotRun(f"{'POST' if data else 'GET'} {path} failed: {error}") from error

    def sign_in(self, phone: str, password: str) -> None:
        _path, html = self.get("/login")
        landed = self.post("/login", {"identifier": phone, "password": password,
                                      "csrf_token": csrf_token(html)})
        if landed != "/":
            raise CannotRun(f"signing in as {phone} ended on {landed}, not the home page")

    def start_quiz(self, slug: str) -> str:
        """The open attempt's path."""
        _path, html = self.get(f"/lessons/{slug}")
        attempt = self.post(f"/lessons/{slug}/quiz", {"csrf_token": csrf_token(html)})
        if not re.fullmatch(r"/attempts/\d+", attempt):
            raise CannotRun(f"starting the quiz of {slug} ended on {attempt}")
        return attempt

    def submit(self, attempt: str) -> str:
        """The submitted attempt's result path."""
        _path, html = self.get(attempt)
        result = self.post(attempt, {"action": "submit_confirmed", "csrf_token": csrf_token(html)})  # nothing answered
        if result != f"{attempt}/result":
            raise CannotRun(f"submitting {attempt} ended on {result}")
        return result

    def session_cookie(self) -> str:
        name = Config.SESSION_COOKIE_NAME
        for cookie in self.cookies:
            if cookie.name == name:
                return f"{name}={cookie.value}"
        raise CannotRun(f"no {name} cookie after signing in")


def csrf_token(html: str) -> str:
    """The value of the page's hidden csrf_token input, whatever its attribute order."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'name="csrf_token"' in tag and (value := re.search(r'value="([^"]+)"', tag)):
            return value.group(1)
    raise CannotRun("no csrf_token input in the page")


def member_pages(base_url: str, lessons: Lessons) -> tuple[str, list[tuple[str, str]]]:
    """Sign in, open one quiz and submit another: (Cookie header, [(name, path)])."""
    member = Member(base_url)
    member.sign_in(MEMBER_PHONE, demo.DEMO_PASSWORD)
    open_attempt = member.start_quiz(lessons.quiz_slug)
    result = member.submit(member.start_quiz(lessons.result_slug))
    pages = [("home", "/"), ("lesson", f"/lessons/{lessons.quiz_slug}"),
             ("quiz attempt", open_attempt), ("result", result)]
    return member.session_cookie(), pages


# --- Lighthouse --------------------------------------------------------------

def lighthouse_report(url: str, cookie: str, output: Path) -> dict:
    """One Lighthouse run, mobile defaults, as its parsed JSON report."""
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
               f"--extra-headers={json.dumps({'Cookie': cookie})}"]
    try:
        done = subprocess.run(command, env=dict(os.environ, CHROME_PATH=CHROMIUM),
                              capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise CannotRun(f"Lighthouse took over {LIGHTHOUSE_TIMEOUT_S} s on {url}") from error
    if done.returncode != 0 or not output.exists():
        raise CannotRun(f"Lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(output.read_text())
    check_report(report, url)
    return report


def check_report(report: dict, url: str) -> None:
    """A redirect (say, to /login) or a runtime error would measure the wrong page."""
    if report.get("runtimeError"):
        raise CannotRun(f"Lighthouse could not load {url}: {report['runtimeError'].get('message')}")
    landed = report.get("finalDisplayedUrl", url)
    if landed != url:
        raise CannotRun(f"{url} redirected to {landed}: measuring it would measure the wrong page")


@dataclass
class Figures:
    performance: float
    accessibility: float
    best_practices: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    transfer_bytes: float


def figures_of(report: dict) -> Figures:
    categories, audits = report["categories"], report["audits"]
    return Figures(
        performance=categories["performance"]["score"] * 100,
        accessibility=categories["accessibility"]["score"] * 100,
        best_practices=categories["best-practices"]["score"] * 100,
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        transfer_bytes=audits["total-byte-weight"]["numericValue"],
    )


def median_figures(runs: list[Figures]) -> Figures:
    fields = Figures.__dataclass_fields__
    return Figures(**{name: statistics.median(getattr(run, name) for run in runs) for name in fields})


def median_run(reports: list[dict]) -> dict:
    """The run with the median performance score."""
    ordered = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])
    return ordered[len(ordered) // 2]


def measure_page(url: str, cookie: str, folder: Path) -> tuple[Figures, dict]:
    """RUNS runs of one page: the median figures, and the median run's report."""
    folder.mkdir()
    reports = [lighthouse_report(url, cookie, folder / f"run-{run}.json") for run in range(RUNS)]
    return median_figures([figures_of(r) for r in reports]), median_run(reports)


# --- Printing ----------------------------------------------------------------

TABLE_HEADER = (f"{'page':34} {'perf':>5} {'a11y':>5} {'b-p':>5} {'LCP ms':>7} {'TBT ms':>7} "
                f"{'CLS':>6} {'transfer':>9}")


def table_row(name: str, f: Figures) -> str:
    return (f"{name:34} {f.performance:>5.0f} {f.accessibility:>5.0f} {f.best_practices:>5.0f} "
            f"{f.lcp_ms:>7.0f} {f.tbt_ms:>7.0f} {f.cls:>6.3f} {f.transfer_bytes / 1024:>6.1f} KiB")


def failing_audits(report: dict, category: str, group: str | None = None) -> list[dict]:
    """Audits of the category (optionally one group of it) that scored below 1
    or could not run; manual and not-applicable ones are left out."""
    audits = report["audits"]
    found = (audits[ref["id"]] for ref in report["categories"][category]["auditRefs"]
             if group is None or ref.get("group") == group)
    return [a for a in found if a.get("scoreDisplayMode") == "error"
            or (a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings") and a["score"] < 1)]


def item_label(item: dict) -> str:
    """What one row of an audit's details names: an element, a URL or a reason."""
    node = item.get("node")
    if isinstance(node, dict):
        return node_label(node) + "".join(f"\n        related: {node_label(sub['relatedNode'])}"
                                          for sub in (item.get("subItems") or {}).get("items", [])
                                          if isinstance(sub.get("relatedNode"), dict))
    if item.get("url"):
        savings = [f"{item['wastedBytes'] / 1024:.1f} KiB" if item.get("wastedBytes") else "",
                   f"{item['wastedMs']:.0f} ms" if item.get("wastedMs") else ""]
        return f"{item['url']}  {' '.join(s for s in savings if s)}".rstrip()
    return str(item.get("reason") or item.get("description") or json.dumps(item, ensure_ascii=False)[:200])


def node_label(node: dict) -> str:
    return f"{node.get('selector', '')}  {node.get('snippet', '')}  ({node.get('nodeLabel', '')})"


def audit_lines(audit: dict) -> list[str]:
    value = audit.get("displayValue") or audit.get("errorMessage")
    lines = [f"  {audit['id']}: {audit['title']}" + (f" [{value}]" if value else "")]
    items = (audit.get("details") or {}).get("items")
    if not isinstance(items, list):
        return lines
    lines += [f"      {item_label(item)}" for item in items[:ITEMS_SHOWN_PER_AUDIT]]
    if len(items) > ITEMS_SHOWN_PER_AUDIT:
        lines.append(f"      ... and {len(items) - ITEMS_SHOWN_PER_AUDIT} more")
    return lines


def print_findings(name: str, report: dict) -> None:
    sections = [("accessibility", failing_audits(report, "accessibility")),
                ("best-practices", failing_audits(report, "best-practices")),
                ("performance opportunities and diagnostics", failing_audits(report, "performance", "diagnostics"))]
    print(f"\n{name} ({urllib.parse.urlsplit(report['finalDisplayedUrl']).path})")
    for title, audits in sections:
        print(f" {title}:" + ("" if audits else " none failing"))
        for audit in audits:
            print("\n".join(audit_lines(audit)))


# --- Main --------------------------------------------------------------------

def run_benchmark(folder: Path) -> None:
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    lessons = build_database(database_url)
    with gunicorn_serving(database_url, free_port(), folder / "gunicorn.log") as base_url:
        cookie, pages = member_pages(base_url, lessons)
        print(f"Lighthouse {lighthouse_version()}, {RUNS} runs per page, mobile, simulated slow 4G; medians. "
              f"b-p = best practices, transfer = total byte weight.")
        print(TABLE_HEADER)
        median_reports = []
        for number, (name, path) in enumerate(pages):
            figures, report = measure_page(base_url + path, cookie, folder / f"page-{number}")
            print(table_row(f"{name} {path}", figures), flush=True)
            median_reports.append((name, report))
    for name, report in median_reports:
        print_findings(name, report)


def main() -> int:
    try:
        check_browser_and_node()
        install_lighthouse()
        with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder:
            run_benchmark(Path(folder))
    except CannotRun as problem:
        print(f"bench/lighthouse.py could not run: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    status = main()
    if status:  # bench/run.py runs us in-process: even sys.exit(0) would stop the scripts after us
        sys.exit(status)
