"""The app's rate limits keep their counters in the database by default,
only sign-in and activation reach the storage, and memory:// is announced loudly."""
import logging

import pytest
from sqlalchemy import select

from learning import create_app
from learning.core import db
from learning.core.extensions import limiter
from learning.core.ratelimit import DatabaseStorage, rate_limit_counters


def test_sign_in_attempts_are_counted_in_the_database_by_default(app, client, make_user):
    assert app.config["RATELIMIT_STORAGE_URI"] == "database://"
    assert isinstance(limiter.storage, DatabaseStorage)
    user = make_user()
    for _ in range(3):
        client.submit("/login", {"identifier": user.phone, "password": "bad-password"})
    counts = dict(db.session.execute(select(rate_limit_counters.c.key, rate_limit_counters.c.count)).all())
    assert counts == {f"LIMITER/127.0.0.1|{user.phone}/auth.login/10/1/minute": 3,  # per account and address
                      "LIMITER/127.0.0.1/auth.login/200/1/minute": 3}  # per address


def test_routes_without_limits_never_reach_the_storage(app, client, make_user, login, monkeypatch):
    calls = []
    storage = limiter.storage
    for name in ("incr", "get", "get_expiry", "clear", "check"):
        original = getattr(storage, name)
        monkeypatch.setattr(storage, name,
                            lambda *args, _original=original, _name=name, **kwargs:
                            calls.append(_name) or _original(*args, **kwargs))
    login(make_user())
    assert "incr" in calls  # signing in pays
    calls.clear()
    saved = client.post("/attempts/999999/answers", json={"answers": []},
                        headers={"X-CSRFToken": client.csrf_token("/")})  # the hottest route
    assert saved.status_code == 404  # past the CSRF check and the limiter, to the view
    client.get("/healthz")
    client.get("/login")  # sign-in's page: only its POST is limited
    client.get("/lang/en?next=/")
    client.submit("/logout", token_from="/")
    assert calls == []


def test_no_request_runs_the_limiter_but_a_limited_route(app, client):
    """Its request hooks are gone (they cost a tenth of a trivial request);
    the sign-in limits are checked by their decorators (test_auth's 429)."""
    hooks = [*app.before_request_funcs[None], *app.after_request_funcs[None],
             *app.teardown_request_funcs.get(None, [])]
    assert hooks and not [hook for hook in hooks if "Limiter" in repr(hook)]


@pytest.mark.parametrize("setting", ["RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION"])
def test_limits_on_every_route_are_refused_rather_than_silently_ignored(setting):
    with pytest.raises(RuntimeError, match="put the limit on the routes"):
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x", setting: "5/minute"})


@pytest.mark.parametrize("settings, warned", [
    ({"RATELIMIT_STORAGE_URI": "memory://"}, True),
    ({"RATELIMIT_STORAGE_URI": "memory://", "TESTING": True}, False),
    ({}, False),  # the database
    ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}, False),
])
def test_memory_storage_is_announced_loudly_outside_tests(database_url, caplog, monkeypatch, settings, warned):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test", **settings})
    db.dispose(app)
    warnings = [r.getMessage() for r in caplog.records if "RATELIMIT_STORAGE_URI" in r.getMessage()]
    assert bool(warnings) == warned
    if warned:
        assert "memory://" in warnings[0] and "!!!!" in warnings[0]
