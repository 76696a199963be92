"""What every request pays is kept small (README, "Where the time goes"),
and each shortcut keeps the check it stands in for: a public route loads
nobody, a session cookie verified once is trusted only as long as it would
be, a view's own security header is kept."""
from datetime import timedelta

import pytest
from flask import Response, session
from sqlalchemy import event

from learning.core import db
from learning.core.security import SECURITY_HEADERS, add_security_headers
from tests.conftest import PASSWORD, FormClient


@pytest.fixture
def statements(app):
    """Every SQL statement the app runs, on both of its engines."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engines = [app.extensions["db_engine"], app.extensions["db_autocommit_engine"]]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    yield seen
    for engine in engines:
        event.remove(engine, "before_cursor_execute", record)


def test_the_health_check_answers_without_touching_the_database(client, make_user, login, statements):
    login(make_user())
    statements.clear()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.mimetype == "application/json"
    assert statements == []  # a public route loads no user, even for a signed-in member
    assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "private, no-store"  # a signed-in request's answer


def test_a_public_page_still_knows_who_is_signed_in_when_it_asks(client, make_user, login):
    login(make_user(name="Trần Thị Hoa"))
    page = client.get("/login")  # public; its header names whoever is signed in
    assert page.status_code in (200, 302)
    assert "Trần Thị Hoa" in client.get("/").get_data(as_text=True)


def test_each_security_header_is_added_once_and_a_views_own_is_kept(app):
    with app.test_request_context("/"):
        response = add_security_headers(Response("x", headers={"X-Frame-Options": "SAMEORIGIN"}))
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    for name, value in SECURITY_HEADERS.items():
        if name != "X-Frame-Options":
            assert response.headers.getlist(name) == [value]
    assert "Cache-Control" not in response.headers  # nobody signed in


def test_a_remembered_session_cookie_expires_with_the_session(app, client, make_user, login):
    login(make_user())
    assert client.get("/").status_code == 200  # the cookie is verified and remembered
    assert client.get("/").status_code == 200
    app.permanent_session_lifetime = timedelta(seconds=0)
    response = client.get("/")  # the same cookie, now older than a session lives
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_remembered_cookie_is_refused_once_older_than_a_session_lives(app):
    """The shortcut itself, apart from the sign-in's own expiry in SQL."""
    interface = app.session_interface
    with app.test_request_context("/"):
        cookie = interface.get_signing_serializer(app).dumps({"_user_id": "token"})
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}
    with app.test_request_context("/", headers=headers):
        assert dict(interface.open_session(app, _request())) == {"_user_id": "token"}
    app.permanent_session_lifetime = timedelta(seconds=-1)  # every cookie is now too old
    with app.test_request_context("/", headers=headers):
        assert dict(interface.open_session(app, _request())) == {}


def test_a_tampered_cookie_is_refused_after_the_genuine_one_was_remembered(app, client, make_user, login):
    login(make_user())
    assert client.get("/").status_code == 200
    name = app.config["SESSION_COOKIE_NAME"]
    genuine = client.get_cookie(name).value
    forged = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    client.set_cookie(name, forged)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_what_one_request_does_to_its_session_never_reaches_the_next(app):
    """A session holding a list (flashed messages) is read afresh each time:
    were it shared, a message flashed by one request would show in another."""
    interface = app.session_interface
    with app.test_request_context("/"):
        session["_flashes"] = [("info", "Đã lưu.")]
        session["note"] = "giữ nguyên"
        cookie = interface.get_signing_serializer(app).dumps(dict(session))
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}
    with app.test_request_context("/", headers=headers):
        first = interface.open_session(app, _request())
        first["_flashes"].append(("error", "Một thông báo khác."))
        first["note"] = "đã đổi"
    with app.test_request_context("/", headers=headers):
        second = interface.open_session(app, _request())
    assert second["_flashes"] == [("info", "Đã lưu.")]
    assert second["note"] == "giữ nguyên"


def test_a_plain_session_read_twice_is_two_separate_sessions(app):
    interface = app.session_interface
    with app.test_request_context("/"):
        cookie = interface.get_signing_serializer(app).dumps({"_user_id": "token", "csrf_token": "abc"})
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}
    with app.test_request_context("/", headers=headers):
        first = interface.open_session(app, _request())
        first["_user_id"] = "changed"
    with app.test_request_context("/", headers=headers):
        second = interface.open_session(app, _request())
    assert dict(second) == {"_user_id": "token", "csrf_token": "abc"}
    assert not second.modified


def test_saving_an_answer_still_needs_the_csrf_token(client, make_user, login):
    login(make_user())
    refused = client.post("/attempts/1/answers", json={"answers": []})
    assert refused.status_code == 400
    wrong = client.post("/attempts/1/answers", json={"answers": []}, headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 400
    db.session.rollback()


def test_signing_in_sets_the_session_cookie_and_no_remember_cookie(app, client, make_user):
    """Flask-Login's remember-me hook is off (README): nobody is remembered
    beyond the session, and signing out still ends it."""
    user = make_user()
    response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    cookies = [value.split("=", 1)[0] for value in response.headers.getlist("Set-Cookie")]
    assert cookies == [app.config["SESSION_COOKIE_NAME"]]
    client.submit("/logout", token_from="/")
    assert client.get("/").status_code == 302


def _save(client, token, **kwargs):
    """A save from the page's script (to an attempt that is nobody's: past
    the CSRF check, the answer is a 404; refused by it, a 400)."""
    return client.post("/attempts/999999/answers", json={"answers": []}, headers={"X-CSRFToken": token, **kwargs})


def test_a_scripts_token_is_trusted_only_with_the_session_it_was_made_for(app, make_user, login):
    first, second = FormClient(app.test_client()), FormClient(app.test_client())
    login_as(first, make_user(name="Người Một"))
    login_as(second, make_user(name="Người Hai"))
    first_token, second_token = first.csrf_token("/"), second.csrf_token("/")
    for _ in range(2):  # checked, then remembered
        assert _save(first, first_token).status_code == 404
        assert _save(second, second_token).status_code == 404
    assert _save(first, second_token).status_code == 400  # both pairs remembered, but not crossed
    assert _save(second, first_token).status_code == 400
    assert _save(first, first_token + "x").status_code == 400


def test_a_form_post_is_checked_by_its_own_field_whatever_was_remembered(client, make_user, login):
    login(make_user())
    token = client.csrf_token("/")
    assert _save(client, token).status_code == 404  # the pair is remembered
    forged = client.post("/attempts/999999/submit", data={"csrf_token": "forged"}, headers={"X-CSRFToken": token})
    assert forged.status_code == 400  # Flask-WTF reads the form's field first, and so does the check
    submitted = client.post("/attempts/999999/submit", headers={"X-CSRFToken": token})  # no body: the header
    assert submitted.status_code == 404


def test_over_https_a_remembered_token_still_needs_the_sites_own_referrer(client, make_user, login):
    login(make_user())
    token = client.csrf_token("/")
    assert _save(client, token).status_code == 404  # over plain HTTP: checked and remembered
    https = {"base_url": "https://localhost"}
    refused = client.post("/attempts/999999/answers", json={"answers": []}, **https,
                          headers={"X-CSRFToken": token, "Referer": "https://evil.example/quiz"})
    assert refused.status_code == 400
    assert client.post("/attempts/999999/answers", json={"answers": []}, **https,
                       headers={"X-CSRFToken": token}).status_code == 400  # no referrer at all
    allowed = client.post("/attempts/999999/answers", json={"answers": []}, **https,
                          headers={"X-CSRFToken": token, "Referer": "https://localhost/attempts/1"})
    assert allowed.status_code == 404


def login_as(client, user):
    response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    assert response.status_code == 302


def _request():
    from flask import request
    return request
