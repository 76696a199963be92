"""Signing in by card number or phone, sessions, cookies and CSRF."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from learning.core import db
from learning.core.db import utcnow
from learning.models import SignIn
from learning.org import accounts
from tests.conftest import PASSWORD, FormClient


def test_sign_in_by_phone_in_any_common_spelling(client, make_user):
    user = make_user(phone="0912345678")
    response = client.submit("/login", {"identifier": "+84 912 345 678", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert user.full_name in client.get("/").get_data(as_text=True)


def test_sign_in_by_party_card_number(client, make_user):
    make_user(party_card_number="79010001")
    response = client.submit("/login", {"identifier": "79010001", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_wrong_password_is_refused_with_a_vietnamese_message(client, make_user):
    make_user(phone="0912345678")
    response = client.submit("/login", {"identifier": "0912345678", "password": "wrong-password"})
    assert response.status_code == 200
    assert "không đúng" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_account_gets_the_same_message(client, make_user):
    response = client.submit("/login", {"identifier": "0999999999", "password": "whatever-1"})
    assert "không đúng" in response.get_data(as_text=True)


def test_deactivated_member_cannot_sign_in_and_is_signed_out(client, make_user, login):
    user = make_user()
    login(user)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302  # the open session ends too
    response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    assert response.status_code == 200


def test_sign_in_redirects_only_to_local_paths(client, make_user):
    user = make_user()
    for target, expected in [("/lessons/x", "/lessons/x"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")]:
        response = client.submit(f"/login?next={target}", {"identifier": user.phone, "password": PASSWORD},
                                 token_from="/login")
        assert response.headers["Location"] == expected, target
        client.submit("/logout", token_from="/")


def test_form_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post("/login", data={"identifier": user.phone, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_session_cookie_flags(client, make_user):
    user = make_user()
    response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in the test


def test_session_cookie_is_secure_over_https(client, make_user):
    user = make_user()
    token = client.csrf_token()
    response = client.post("/login", data={"identifier": user.phone, "password": PASSWORD, "csrf_token": token},
                           base_url="https://localhost", headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_session_survives_a_change_of_ip_address(client, make_user, login):
    login(make_user())
    response = client.get("/", environ_base={"REMOTE_ADDR": "203.0.113.77"},
                          headers={"User-Agent": "another phone"})
    assert response.status_code == 200


def test_passwords_are_stored_as_argon2id(make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_out_needs_a_post_with_token(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    client.submit("/logout", token_from="/")
    assert client.get("/").status_code == 302


def test_sign_in_is_rate_limited(client, make_user):
    user = make_user()
    codes = [client.submit("/login", {"identifier": user.phone, "password": "bad-password"}).status_code
             for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[-1] == 429


def test_every_response_carries_the_content_security_policy(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script found"
    assert " style=" not in html


def test_pages_switch_to_english_and_back(client, make_user, login):
    login(make_user())
    assert "Học tập của tôi" in client.get("/").get_data(as_text=True)
    client.get("/lang/en?next=/")
    english = client.get("/").get_data(as_text=True)
    assert "My study" in english and 'lang="en"' in english
    client.get("/lang/vi")
    assert "Học tập của tôi" in client.get("/").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_static_files_are_versioned_and_cached_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]{10})"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_deactivating_someone_ends_their_session_at_once(client, make_user, login):
    user = make_user()
    login(user)
    assert client.get("/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_session_even_for_a_copy_of_its_cookie(app, client, make_user, login):
    login(make_user())
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    copy = client.get_cookie(cookie_name).value
    client.submit("/logout", token_from="/")
    thief = app.test_client()
    thief.set_cookie(cookie_name, copy)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_on_one_browser_leaves_the_others_signed_in(app, client, make_user, login):
    user = make_user()
    login(user)
    phone = FormClient(app.test_client())
    phone.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    client.submit("/logout", token_from="/")
    assert client.get("/").status_code == 302
    assert phone.get("/").status_code == 200


def test_old_sign_ins_are_forgotten_and_live_ones_kept(app, client, make_user, login):
    user = make_user()
    login(user)
    client.submit("/logout", token_from="/")  # an ended sign-in
    login(user)  # a live one
    db.session.add(SignIn(user_id=user.id, created_at=utcnow() - timedelta(days=31)))  # its cookie has expired
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["user", "forget-sign-ins"])
    assert result.exit_code == 0 and result.output.strip() == "Đã xóa 2 lượt đăng nhập cũ."
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 1
    assert client.get("/").status_code == 200  # the live one still signs in


def test_a_sign_in_lasts_a_sessions_lifetime_however_often_its_cookie_is_rewritten(app, client, make_user, login):
    user = make_user()
    login(user)
    sign_in = db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)).one()
    sign_in.created_at = utcnow() - app.permanent_session_lifetime + timedelta(minutes=1)
    db.session.commit()
    assert client.get("/").status_code == 200  # a minute left
    sign_in.created_at -= timedelta(minutes=2)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert accounts.forget_old_sign_ins() == 1
