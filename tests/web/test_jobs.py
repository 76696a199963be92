"""Background jobs: sent only once the request that created them commits,
run in their own transactions with progress others can see, failed with
nothing kept, run again when asked; their pages are their creator's (and
admins'), refresh themselves while running, and work without JavaScript."""
from __future__ import annotations

from datetime import timedelta

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import func, insert, select, update

from learning import create_app
from learning.audit.models import AuditEntry
from learning.core import db
from learning.core.db import utcnow
from learning.jobs import queue
from learning.jobs.kinds import KINDS, JobKind, register
from learning.models import Job

CALLS: list[dict] = []


@register
class Counting(JobKind):
    """Counts to params["to"], reporting progress; reads its own row's
    progress back through another connection; fails while params["fail"]
    says so, after writing something (which must not stay)."""
    code = "test.counting"
    label = "Counting"

    def run(self, params, job):
        engine = db.engine()
        seen = []
        for n in range(params.get("to", 3)):
            job.progress(n + 1, params.get("to", 3), "counting")
            with engine.connect() as conn:
                seen.append(conn.scalar(select(Job.done).where(Job.id == job.job_id)))
        with engine.connect() as conn:
            status = conn.scalar(select(Job.status).where(Job.id == job.job_id))
        CALLS.append({"job": job.job_id, "status_seen": status, "progress_seen": seen})
        job.writing()
        db.session.execute(insert(AuditEntry), [{"kind": "roster.imported", "actor_name": "test"}])
        if len(CALLS) <= params.get("fail", 0):
            raise RuntimeError("the disk is full")
        return {"counted": params.get("to", 3)}


@pytest.fixture(autouse=True)
def fresh_calls():
    CALLS.clear()


def test_kinds_are_checked_when_registered():
    class NoCode(JobKind):
        label = "x"

        def run(self, params, job):
            return {}

    with pytest.raises(TypeError, match="code"):
        register(NoCode)

    class NoRun(JobKind):
        code, label = "test.no_run", "x"

    with pytest.raises(TypeError, match="run"):
        register(NoRun)

    class Twice(Counting):
        code = "test.counting"

    with pytest.raises(TypeError, match="already registered"):
        register(Twice)
    assert KINDS["test.counting"] is Counting


def test_a_job_runs_once_its_transaction_commits_and_reports_progress(app, make_user):
    user = make_user()
    job = queue.enqueue("test.counting", {"to": 3}, user)
    assert CALLS == []  # not before the commit
    db.session.commit()
    [call] = CALLS
    assert call["status_seen"] == "running"  # the claim was committed before the work began
    # Each report is committed at once (others see it), at most every half second, and always the last.
    assert call["progress_seen"] == [1, 1, 3]
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.status, job.done, job.total, job.result, job.attempts) == ("done", 3, 3, {"counted": 3}, 1)
    assert job.started_at and job.finished_at and job.created_by_id == user.id
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1  # its write committed with it


def test_a_rolled_back_request_sends_nothing(app, make_user):
    queue.enqueue("test.counting", {}, make_user())
    db.session.rollback()
    db.session.commit()
    assert CALLS == [] and db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_failed_job_keeps_nothing_and_says_why_and_can_run_again(app, client, make_user, login):
    user = make_user()
    job = queue.enqueue("test.counting", {"fail": 1}, user)
    db.session.commit()
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == "failed" and "the disk is full" in job.error
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    login(user)
    html = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "the disk is full" in html and f'action="/jobs/{job.id}/again"' in html
    assert 'http-equiv="refresh"' not in html
    response = client.submit(f"/jobs/{job.id}/again", token_from=f"/jobs/{job.id}")
    assert response.status_code == 302
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.status, job.attempts, job.error, job.result) == ("done", 2, None, {"counted": 3})
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_a_finished_job_is_never_run_twice(app, make_user):
    job = queue.enqueue("test.counting", {}, make_user())
    db.session.commit()
    queue.run(app, job.id)  # a duplicate delivery
    assert len(CALLS) == 1


def test_a_running_job_that_lost_its_worker_is_run_again_and_a_live_one_is_not(app, make_user):
    user = make_user()
    now = utcnow()
    db.session.execute(insert(Job), [
        {"kind": "test.counting", "status": "running", "params": {}, "created_by_id": user.id,
         "updated_at": now - queue.STALE_AFTER - timedelta(minutes=1), "attempts": 1},
        {"kind": "test.counting", "status": "running", "params": {}, "created_by_id": user.id,
         "updated_at": now, "attempts": 1}])
    db.session.commit()
    stale, live = db.session.scalars(select(Job.id).order_by(Job.id)).all()
    queue.run(app, live)
    assert CALLS == []
    queue.run(app, stale)
    assert [call["job"] for call in CALLS] == [stale]
    db.session.expire_all()
    assert db.session.get(Job, stale).attempts == 2


def test_the_page_shows_progress_and_refreshes_itself_while_the_job_runs(app, client, make_user, login):
    user = make_user()
    db.session.execute(insert(Job), [{"kind": "test.counting", "status": "running", "params": {}, "done": 40,
                                      "total": 160, "message": "counting", "created_by_id": user.id,
                                      "updated_at": utcnow()}])
    db.session.commit()
    job_id = db.session.scalar(select(Job.id))
    login(user)
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-bar" max="160" value="40">25%</progress>' in html
    assert "<script" not in html and "style=" not in html
    assert f'action="/jobs/{job_id}/again"' not in html  # alive: no second run offered
    db.session.execute(update(Job).values(status="done", done=160, result={"counted": 160}))
    db.session.commit()
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in html and "counted" in html and "160" in html
    listing = client.get("/jobs/").get_data(as_text=True)
    assert f'href="/jobs/{job_id}"' in listing


def test_only_the_creator_and_admins_see_a_job(app, client, make_user, login, tree):
    owner = make_user(name="Chủ Việc")
    job = queue.enqueue("test.counting", {}, owner)
    db.session.commit()
    other = make_user(role="reviewer", unit=tree["cell_b"], name="Người Khác")
    login(other)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.submit(f"/jobs/{job.id}/again", token_from="/").status_code == 404
    assert f'/jobs/{job.id}"' not in client.get("/jobs/").get_data(as_text=True)
    assert client.get("/jobs/999999").status_code == 404
    client.submit("/logout", token_from="/")
    login(make_user(role="admin", name="Quản Trị"))
    assert client.get(f"/jobs/{job.id}").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, app):
    for path in ("/jobs/", "/jobs/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_queue_follows_jobs_url(tmp_path, database_url):
    def huey_for(url, testing=False):
        return create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "TESTING": testing,
                           "JOBS_URL": url}).extensions["huey"]

    assert isinstance(huey_for("", testing=True), MemoryHuey) and huey_for("", testing=True).immediate
    sqlite = huey_for(f"sqlite:///{tmp_path}/q.sqlite3")
    assert isinstance(sqlite, SqliteHuey) and sqlite.storage.filename == f"{tmp_path}/q.sqlite3"
    assert not sqlite.immediate
    assert isinstance(huey_for("redis://127.0.0.1:6379/3"), RedisHuey)
    with pytest.raises(RuntimeError, match="JOBS_URL"):
        huey_for("ftp://nowhere")
