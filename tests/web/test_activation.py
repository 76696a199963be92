"""Activation codes: a reviewer prints them, a member activates with one."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from learning.audit.models import AuditEntry, AuditKind
from learning.core import db
from learning.core.clock import VIETNAM
from learning.core.db import utcnow
from learning.org import activation, codes
from learning.org.models import ActivationCode, SignIn, User
from tests.conftest import PASSWORD, FormClient

NEW_PASSWORD = "mat-khau-moi-2026"
CODE = re.compile(r'class="slip-code">([A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})<')
NOT_VALID = "Mã kích hoạt này không hợp lệ"
EXPIRED = "Mã kích hoạt này đã hết hạn"


@pytest.fixture
def reviewer(make_user, tree):
    return make_user("reviewer", unit=tree["cell_a"], name="Bí Thư Chi Bộ A")


@pytest.fixture
def members(make_user):
    """Three plain members of cell A, none of whom has signed in yet."""
    return [make_user(name=name) for name in ("Trần Văn Bình", "Lê Thị An", "Nguyễn Văn Cường")]


@pytest.fixture
def browser(app):
    """Another phone: the member's, with no one signed in."""
    return FormClient(app.test_client())


def unit_page(tree, cell="cell_a") -> str:
    return f"/org/units/{tree[cell].id}/activation"


def issue_all(client, tree, cell="cell_a"):
    response = client.submit(unit_page(tree, cell), {"who": "inactive"})
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return response


def issue_one(client, tree, member):
    response = client.submit(f"/org/members/{member.id}/activation-code", {}, token_from=unit_page(tree))
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return CODE.findall(response.get_data(as_text=True))


def use(browser, code, password=NEW_PASSWORD, confirm=None):
    return browser.submit("/activate", {"code": code, "password": password,
                                        "confirm": password if confirm is None else confirm})


def test_the_sheet_shows_each_members_code_as_a_qr_code_and_as_text(client, login, reviewer, members, tree):
    login(reviewer)
    page = client.get(unit_page(tree)).get_data(as_text=True)
    assert "chưa kích hoạt" in page and all(m.full_name in page for m in members)
    html = issue_all(client, tree).get_data(as_text=True)
    found = CODE.findall(html)
    assert len(found) == 3  # the reviewer holds a role: an administrator issues theirs
    assert html.count('<svg viewBox=') == 3 and 'class="qr"' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<path" in svg and "style" not in svg and "<script" not in svg
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    for code in found:  # each QR code holds the address that opens the activation page with the code
        expected = activation.qr_svg(f"http://localhost/activate/{code}", "")
        assert re.search(r' d="[^"]+"', expected).group(0) in html
    names = re.findall(r'class="slip-name">([^<]+)<', html)
    assert names == ["Lê Thị An", "Trần Văn Bình", "Nguyễn Văn Cường"]  # Vietnamese order: by given name
    expiry = (utcnow() + timedelta(days=30)).astimezone(VIETNAM)
    assert expiry.strftime("%d/%m/%Y") in html
    stored = db.session.scalars(select(ActivationCode.code_hash)).all()
    assert sorted(stored) == sorted(codes.code_hash(codes.normalise(code)) for code in found)


def test_a_code_activates_the_account_once(client, login, reviewer, members, tree, browser):
    login(reviewer)
    [code] = issue_one(client, tree, members[0])
    page = browser.get(f"/activate/{code}")
    assert page.status_code == 200 and f'value="{code}"' in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert 'action="/activate"' in page.get_data(as_text=True)  # the code is posted in the body, not the path
    response = use(browser, code.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    home = browser.get("/")
    assert home.status_code == 200 and "Mật khẩu của đồng chí đã được đặt" in home.get_data(as_text=True)
    # The new password signs in; the old one does not.
    other = FormClient(browser.application.test_client())
    assert other.submit("/login", {"identifier": members[0].phone, "password": PASSWORD}).status_code == 200
    assert other.submit("/login", {"identifier": members[0].phone, "password": NEW_PASSWORD}).status_code == 302
    # Used: refused, with the message that says nothing about why.
    again = use(FormClient(browser.application.test_client()), code, "another-password-1")
    assert again.status_code == 400 and NOT_VALID in again.get_data(as_text=True)
    assert db.session.scalar(select(ActivationCode.used_at)) is not None


def test_an_expired_code_says_so_and_changes_nothing(client, login, reviewer, members, tree, browser):
    login(reviewer)
    [code] = issue_one(client, tree, members[0])
    db.session.execute(update(ActivationCode).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    response = use(browser, code)
    assert response.status_code == 400 and EXPIRED in response.get_data(as_text=True)
    assert db.session.scalar(select(ActivationCode.used_at)) is None
    db.session.expire_all()
    assert db.session.get(User, members[0].id).last_login_at is None


def test_a_new_code_revokes_the_earlier_unused_one(client, login, reviewer, members, tree, browser):
    login(reviewer)
    [first] = issue_one(client, tree, members[0])
    [second] = issue_one(client, tree, members[0])
    refused = use(browser, first)
    assert refused.status_code == 400 and NOT_VALID in refused.get_data(as_text=True)
    assert EXPIRED not in refused.get_data(as_text=True)
    assert use(browser, second).status_code == 302


def test_a_wrong_code_is_refused_with_the_same_message(browser, members):
    for typed in (codes.grouped(codes.new_code()), "NOT-A-CODE", "ABCDE-12345-FGHIJ", "ĐẤ2ỀƯ7ĂK", "ÔBCDE-23456-FGHJ"):
        response = use(browser, typed)
        assert response.status_code == 400 and NOT_VALID in response.get_data(as_text=True), typed
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0


@pytest.mark.parametrize("typed", ["ĐẤ2ỀƯ7ĂK", "đấ2-ềư7ăk"])  # DDAAS2EEFUW7AWK on a phone in Telex mode
def test_a_code_typed_with_a_vietnamese_keyboard_activates(client, login, reviewer, members, tree, browser,
                                                           monkeypatch, typed):
    monkeypatch.setattr(codes, "new_code", lambda: "DDAAS2EEFUW7AWK")
    login(reviewer)
    assert issue_one(client, tree, members[0]) == ["DDAAS-2EEFU-W7AWK"]
    response = use(browser, typed)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert db.session.scalar(select(ActivationCode.used_at)) is not None
    again = use(FormClient(browser.application.test_client()), "ĐẤ2ỀƯ7ĂK")
    assert again.status_code == 400 and NOT_VALID in again.get_data(as_text=True)


def test_the_password_rules_hold_and_a_refused_password_keeps_the_code_usable(client, login, reviewer, members,
                                                                              tree, browser):
    login(reviewer)
    [code] = issue_one(client, tree, members[0])
    short = use(browser, code, "short")
    assert short.status_code == 400 and "ít nhất 8 ký tự" in short.get_data(as_text=True)
    mismatch = use(browser, code, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert mismatch.status_code == 400 and "Hai mật khẩu không giống nhau" in mismatch.get_data(as_text=True)
    assert code in mismatch.get_data(as_text=True)  # what was typed is kept
    assert use(browser, code).status_code == 302


def test_activating_ends_every_other_sign_in_of_the_member(client, login, reviewer, make_user, tree, browser):
    member = make_user(name="Phạm Thị Dung")
    member_phone = FormClient(browser.application.test_client())
    assert member_phone.submit("/login", {"identifier": member.phone, "password": PASSWORD}).status_code == 302
    assert member_phone.get("/").status_code == 200
    login(reviewer)
    [code] = issue_one(client, tree, member)  # signed in once: a forgotten password, say
    assert use(browser, code).status_code == 302
    assert member_phone.get("/").status_code == 302  # signed out
    assert browser.get("/").status_code == 200
    live = db.session.scalar(select(func.count()).select_from(SignIn)
                             .where(SignIn.user_id == member.id, SignIn.ended_at.is_(None)))
    assert live == 1


def test_code_attempts_are_rate_limited_per_code(browser):
    code = codes.grouped(codes.new_code())
    statuses = [use(browser, code).status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


def test_code_attempts_are_rate_limited_per_address(app, browser):
    app.config["ACTIVATION_RATE_LIMIT_PER_ADDRESS"] = "4 per minute"
    statuses = [use(browser, codes.grouped(codes.new_code())).status_code for _ in range(5)]
    assert statuses == [400] * 4 + [429]
    assert browser.get("/activate").status_code == 200  # only attempts count


def test_code_attempts_are_rate_limited_everywhere_together(app, browser):
    app.config["ACTIVATION_RATE_LIMIT"] = "6 per minute"
    assert [use(browser, codes.grouped(codes.new_code())).status_code for _ in range(3)] == [400] * 3
    elsewhere = FormClient(app.test_client())
    token = elsewhere.csrf_token("/activate")
    statuses = [elsewhere.post("/activate", data={"code": codes.new_code(), "password": "x", "confirm": "x",
                                                  "csrf_token": token},
                               environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_a_reviewer_of_another_subtree_gets_404_everywhere(client, login, make_user, members, tree):
    login(make_user("reviewer", unit=tree["cell_b"], member_of=tree["cell_b"], name="Bí Thư B"))
    assert client.get(unit_page(tree)).status_code == 404
    token = client.csrf_token(unit_page(tree, "cell_b"))
    for path, data in ((unit_page(tree), {"who": "inactive"}),
                       (unit_page(tree), {"who": "selected", "member": str(members[0].id)}),
                       (f"/org/members/{members[0].id}/activation-code", {})):
        assert client.post(path, data={**data, "csrf_token": token}).status_code == 404, path
    assert tree["cell_a"].name not in client.get("/org/activation").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == 0


def test_a_reviewer_above_the_cell_issues_for_it(client, login, make_user, members, tree):
    login(make_user("reviewer", unit=tree["grassroots"], member_of=tree["grassroots"], name="Bí Thư Đảng Ủy"))
    overview = client.get("/org/activation").get_data(as_text=True)
    assert tree["cell_a"].name in overview and tree["cell_b"].name in overview
    assert len(CODE.findall(issue_all(client, tree).get_data(as_text=True))) == 3


def test_members_and_anonymous_visitors_cannot_issue(client, login, make_user, members, tree):
    anonymous = [client.get("/org/activation"), client.get(unit_page(tree))]
    assert all(r.status_code == 302 and "/login" in r.headers["Location"] for r in anonymous)
    login(members[0])
    token = client.csrf_token("/")
    assert client.get("/org/activation").status_code == 403
    assert client.get(unit_page(tree)).status_code == 403
    assert client.post(unit_page(tree), data={"who": "inactive", "csrf_token": token}).status_code == 403
    assert client.post(f"/org/members/{members[1].id}/activation-code",
                       data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == 0


def test_issuing_needs_the_forms_token(client, login, reviewer, members, tree):
    login(reviewer)
    assert client.post(unit_page(tree), data={"who": "inactive"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == 0


def test_only_an_administrator_issues_codes_to_accounts_with_roles(client, login, reviewer, make_user, tree):
    other_reviewer = make_user("reviewer", unit=tree["cell_a"], name="Phó Bí Thư")
    login(reviewer)
    response = client.submit(f"/org/members/{other_reviewer.id}/activation-code", {}, token_from=unit_page(tree))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == 0
    admin_client = FormClient(client.application.test_client())
    admin = make_user("admin", name="Quản Trị")
    assert admin_client.submit("/login", {"identifier": admin.phone, "password": PASSWORD}).status_code == 302
    page = admin_client.submit(f"/org/members/{other_reviewer.id}/activation-code", {}, token_from=unit_page(tree))
    assert len(CODE.findall(page.get_data(as_text=True))) == 1


def test_selected_members_only(client, login, reviewer, members, tree):
    login(reviewer)
    html = client.submit(unit_page(tree), {"who": "selected", "member": [str(members[0].id), str(members[2].id)]})
    names = re.findall(r'class="slip-name">([^<]+)<', html.get_data(as_text=True))
    assert names == ["Trần Văn Bình", "Nguyễn Văn Cường"]
    nothing = client.submit(unit_page(tree), {"who": "selected"})
    assert nothing.status_code == 400 and "Đánh dấu" in nothing.get_data(as_text=True)
    stranger = client.submit(unit_page(tree), {"who": "selected", "member": "999999"})
    assert stranger.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == 2


def test_the_unit_page_tells_who_has_activated(client, login, reviewer, members, tree, browser):
    login(reviewer)
    [code] = issue_one(client, tree, members[0])
    use(browser, code)
    page = client.get(unit_page(tree)).get_data(as_text=True)
    row = page.split("Trần Văn Bình")[1].split("</li>")[0]
    assert "đã kích hoạt" in row and "đã dùng mã ngày" in row
    assert "(2)" in page  # two members still to activate


def test_audit_entries_name_the_member_and_never_the_code(client, login, reviewer, members, tree, browser):
    login(reviewer)
    html = issue_all(client, tree).get_data(as_text=True)
    found = CODE.findall(html)
    assert use(browser, found[0]).status_code == 302
    issued = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.ACTIVATION_ISSUED)).all()
    assert sorted(e.subject_id for e in issued) == sorted(m.id for m in members)
    assert {e.actor_id for e in issued} == {reviewer.id} and {e.unit_id for e in issued} == {tree["cell_a"].id}
    [used] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.ACTIVATION_USED)).all()
    assert used.actor_id == used.subject_id
    everything = json.dumps([[e.before, e.after, e.reason, e.object_type] for e in issued + [used]])
    for code in found:
        assert code not in everything and codes.normalise(code) not in everything
        assert codes.code_hash(codes.normalise(code)) not in everything


def test_the_sign_in_page_sends_members_to_activation(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/activate"' in html and "mã kích hoạt" in html


def test_activating_on_the_secretarys_phone_signs_the_member_in_there(client, login, reviewer, members, tree):
    login(reviewer)
    [code] = issue_one(client, tree, members[0])
    page = client.get(f"/activate/{code}").get_data(as_text=True)
    assert reviewer.full_name in page  # the page says whose sign-in it replaces
    assert use(client, code).status_code == 302
    assert members[0].full_name in client.get("/").get_data(as_text=True)
    assert client.get(unit_page(tree)).status_code == 403  # the member is no reviewer
    live = db.session.scalars(select(SignIn.user_id).where(SignIn.ended_at.is_(None))).all()
    assert live == [members[0].id]  # the secretary's sign-in in that browser has ended
