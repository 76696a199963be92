"""Hostile input never gets a 500: a malformed request gets a clear 400 in the
user's language and changes nothing.

The walk sends every POST route, as a user allowed on it, a set of hostile
bodies: JSON of the wrong shape, arrays nested 10,000 deep, NaN and
Infinity, numbers above the database's 32-bit integers, NUL characters
(PostgreSQL refuses them in text), lone surrogates (no UTF-8 encoding exists
for them), bytes that are not UTF-8, a missing CSRF token. It runs on SQLite
and on PostgreSQL (TEST_DATABASE_URL), where NUL and surrogates fail
differently."""
from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from learning.campaigns import operations as campaigns
from learning.core import db
from learning.core.clock import vietnam_today
from learning.core.db import Base
from learning.core.input import (
    INT32_MAX,
    InvalidInput,
    answers_from_json,
    json_body,
    unstorable_field,
    whole_number,
    without_unstorable,
)
from learning.evaluation import periods
from learning.evaluation.compute import compute
from learning.models import Answer, Attempt, Campaign
from tests.conftest import PASSWORD
from tests.web.test_study import correct_values, form_of

# Every POST route, and who walks it (a user its policy allows). A new POST
# route must be added here, so nobody ships one without hostile bodies sent to it.
POST_ROUTES = {
    "auth.login": "anonymous",
    "auth.logout": "member",
    "learn.mark_read": "member",
    "learn.start_quiz": "member",
    "quiz.attempt": "member",
    "quiz.save_answers": "member",
    "quiz.submit": "member",
    "campaigns.new": "reviewer",
    "grading.answer": "reviewer",
    "grading.skip": "reviewer",
    "scales.edit": "editor",
    "campaigns.edit": "reviewer",
    "campaigns.extend": "reviewer",
    "campaigns.close": "reviewer",
    "members.extra_attempt": "reviewer",
    "members.extend_due": "reviewer",
    "edit.new": "editor",
    "edit.lesson": "editor",
    "edit.live_preview": "editor",
    "edit.archive": "editor",
    "edit.restore": "editor",
    "auth.activate": "anonymous",
    "activation.issue": "reviewer",
    "activation.issue_one": "reviewer",
    "org_admin.create_top": "admin",
    "org_admin.create_child": "reviewer",
    "org_admin.edit": "reviewer",
    "org_admin.move": "admin",
    "org_admin.merge": "admin",
    "org_admin.close": "admin",
    "org_admin.move_members": "admin",
    "org_admin.grant": "reviewer",
    "org_admin.revoke": "admin",
    "jobs.again": "member",
    "roster.upload": "reviewer",
    "roster.start_import": "reviewer",
    "evaluation.create": "admin",
    "evaluation.save_rules": "admin",
    "evaluation.compute": "admin",
    "evaluation.lock": "admin",
    "evaluation.reopen": "admin",
    "evaluation_results.unit_decision": "admin",
    "evaluation_results.confirm_members": "reviewer",
    "evaluation_results.member_decision": "reviewer",
}

NUL = "a\x00b"

# What each form route reads, with values it accepts; a NUL in any of them
# must be refused with a 400.
def _forms(ctx) -> dict[str, dict[str, list[str]]]:
    questions = {f"q-{q.key}": correct_values(q) for q in ctx["attempt"].version.questions}
    source = "# Bài học\n\nDòng hai.\n"
    return {
        "auth.login": {"identifier": [ctx["member"].phone], "password": [PASSWORD]},
        "quiz.attempt": {**questions, "action": ["save"]},
        "campaigns.new": {"title": ["Đợt học"], "description": ["Mô tả"], "opens_on": ["2030-01-01"],
                          "closes_on": ["2030-02-01"], "lessons": [str(ctx["lesson"].id)],
                          "units": [str(ctx["tree"]["cell_a"].id)]},
        "grading.answer": {"c0": ["1"], "comment": ["Bài viết tốt"], "seen": ["0"]},
        "scales.edit": {"kind": ["points"], "points-max_points": ["10"], "points-pass_points": ["5"]},
        "campaigns.edit": {"title": ["Đợt học (sửa)"], "description": ["Mô tả"], "lessons": [str(ctx["lesson"].id)],
                           "units": [str(ctx["tree"]["cell_a"].id)]},
        "campaigns.extend": {"closes_on": ["2031-01-01"]},
        "members.extra_attempt": {"reason": ["Ốm trong đợt học"]},
        "members.extend_due": {"due_on": ["2031-01-01"], "reason": ["Đi công tác"]},
        "edit.new": {"source": [source], "action": ["save"], "revision": [""]},
        "edit.lesson": {"source": [source], "action": ["save"], "revision": [str(ctx["lesson"].draft_revision)]},
        "edit.live_preview": {"source": [source], "lesson_id": [str(ctx["lesson"].id)]},
        "auth.activate": {"code": ["ABCDE-23456-FGHJK"], "password": [PASSWORD], "confirm": [PASSWORD]},
        "activation.issue": {"who": ["selected"], "member": [str(ctx["member"].id)]},
        "org_admin.create_top": {"name": ["Tỉnh ủy Mới"], "kind": ["province"], "code": ["tm"]},
        "org_admin.create_child": {"name": ["Tổ đảng 1"], "kind": ["group"], "code": ["td1"]},
        "org_admin.edit": {"name": ["Chi bộ A mới"], "code": ["cba"]},
        "org_admin.move": {"target_id": [str(ctx["tree"]["province"].id)]},
        "org_admin.merge": {"target_code": [str(ctx["tree"]["cell_b"].id)]},
        "org_admin.move_members": {"member": [str(ctx["member"].id)], "target_id": [str(ctx["tree"]["cell_b"].id)]},
        "org_admin.grant": {"person": [ctx["member"].phone], "role": ["reviewer"]},
        "evaluation.create": {"name": ["Đánh giá năm 2026"], "year": ["2026"], "starts_on": ["01/01/2026"],
                              "ends_on": ["31/12/2026"]},
        "evaluation.save_rules": {"weights-completion": ["30"], "weights-on_time": ["20"], "weights-quiz_score": ["20"],
                                  "weights-reflections": ["20"], "weights-attendance": ["10"],
                                  "bands-excellent": ["90"], "bands-good": ["70"], "bands-completed": ["50"],
                                  "quota-excellent_of_good": ["20"], "campaign": [str(ctx["campaign"].id)]},
        "evaluation.reopen": {"reason": ["Chi bộ báo cáo thiếu"]},
        "evaluation_results.unit_decision": {"level": ["good"], "reason": ["Có tiến bộ"]},
        "evaluation_results.member_decision": {"level": ["good"], "reason": ["Tích cực"]},
    }


HOSTILE_VALUES = {
    "NUL": NUL,
    "only NUL": "\x00",
    "a huge number": "9" * 5000,
    "above 32 bits": str(INT32_MAX + 1),
    "above 64 bits": "99999999999999999999",
    "negative": "-1",
    "a superscript digit": "²",
    "Arabic-Indic digits": "١٢",
    "1e400": "1e400",
    "empty": "",
    "very long": "x" * 300_000,
}

# Bytes a browser never sends: percent-encoded text that is not UTF-8 (a
# surrogate's would-be encoding, a stray byte) and an encoded NUL.
RAW_FORM_VALUES = {"surrogate bytes": "%ed%a0%80", "invalid byte": "%ff", "encoded NUL": "%00"}


def _answer(key="k", values=("a",), seq=1) -> dict:
    return {"key": key, "values": list(values), "seq": seq}


def _json_bodies(key: str) -> dict[str, bytes]:
    """Hostile JSON, raw: Python's json would refuse to write some of it."""
    one = lambda **kw: json.dumps({"answers": [_answer(key, **kw)]}).encode()  # noqa: E731
    deep = b"[" * 10_000 + b"]" * 10_000
    return {
        "a JSON array": b"[]",
        "an array of answers": json.dumps([_answer(key)]).encode(),
        "null": b"null",
        "a number": b"5",
        "no answers": b"{}",
        "answers null": b'{"answers": null}',
        "answers an object": b'{"answers": {}}',
        "answers a string": b'{"answers": "abc"}',
        "an answer not an object": b'{"answers": [5]}',
        "values a number": one(values=()).replace(b"[]", b"5"),
        "values a string": one(values=()).replace(b"[]", b'"true"'),
        "values null": one(values=()).replace(b"[]", b"null"),
        "a value a number": one(values=()).replace(b"[]", b"[5]"),
        "a value a list": one(values=()).replace(b"[]", b'[["a"]]'),
        "too many values": one(values=["a"] * 1000),
        "key a number": json.dumps({"answers": [{"key": 5, "values": ["a"], "seq": 1}]}).encode(),
        "key missing": json.dumps({"answers": [{"values": ["a"], "seq": 1}]}).encode(),
        "key too long": one().replace(key.encode(), b"k" * 10_000),
        "seq 1e400": one(seq=7).replace(b"7}", b"1e400}"),
        "seq Infinity": one(seq=7).replace(b"7}", b"Infinity}"),
        "seq -Infinity": one(seq=7).replace(b"7}", b"-Infinity}"),
        "seq NaN": one(seq=7).replace(b"7}", b"NaN}"),
        "seq above 32 bits": one(seq=INT32_MAX + 1),
        "seq above 64 bits": one(seq=2 ** 64),
        "seq with 5000 digits": one(seq=7).replace(b"7}", b"9" * 5000 + b"}"),
        "seq negative": one(seq=-1),
        "seq a float": one(seq=1.5),
        "seq a whole float": one(seq=2.0),
        "seq true": one(seq=True),
        "seq a string": one(seq="5"),
        "seq null": one(seq=None),
        "seq missing": json.dumps({"answers": [{"key": key, "values": ["a"]}]}).encode(),
        "nested 10,000 deep": b'{"answers": ' + deep + b"}",
        "a value nested 10,000 deep": one(values=()).replace(b"[]", deep),
        "a bare nested array": deep,
        "NUL in a value": one(values=[NUL]),
        "NUL in the key": one().replace(key.encode(), b"k\\u0000"),
        "a lone surrogate in a value": one(values=["x"]).replace(b'"x"', b'"\\ud800"'),
        "a lone low surrogate in a value": one(values=["x"]).replace(b'"x"', b'"a\\udfffb"'),
        "a lone surrogate in the key": one().replace(key.encode(), b"\\ud800"),
        "bytes that are not UTF-8": b'{"answers": [{"key": "\xff", "values": [], "seq": 1}]}',
        "a raw control character": b'{"answers": [{"key": "k\x00", "values": [], "seq": 1}]}',
        "not JSON at all": b"answers=1",
        "empty": b"",
    }



@pytest.fixture
def walk(app, client, make_user, tree, publish_file, monkeypatch):
    """A published lesson, a member with an open attempt and one saved
    answer, an editor, a reviewer with a campaign of their cell; and sign-in limits high enough for the
    walk's hundreds of sign-ins, still counted (what was typed is in the
    counter's key, so the storage sees the hostile input too)."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_PER_ADDRESS", "1000000 per minute")
    for limit in ("ACTIVATION_RATE_LIMIT", "ACTIVATION_RATE_LIMIT_PER_ADDRESS", "ACTIVATION_RATE_LIMIT_PER_CODE"):
        monkeypatch.setitem(app.config, limit, "1000000 per minute")
    lesson = publish_file()
    users = {role: make_user(role=role, name=f"Người {role}") for role in ("member", "reviewer", "editor", "admin")}
    signed_in = _sign_in(client, users["member"])
    signed_in.submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    attempt = db.session.scalars(select(Attempt)).one()
    question = next(q for q in attempt.version.questions if q.kind == "single")
    saved = signed_in.submit(f"/attempts/{attempt.id}", {f"q-{question.key}": correct_values(question),
                                                       "action": "save"})
    assert saved.status_code == 200
    client.submit("/logout", token_from="/")
    today = vietnam_today()
    campaign = campaigns.create_campaign(users["reviewer"], campaigns.CampaignInput(
        "Đợt học", "", today, today + timedelta(days=30), [lesson.id], [tree["cell_a"].id]))
    period = periods.create_period(users["admin"], "Đánh giá", today.year, date(today.year, 1, 1),
                                   date(today.year, 12, 31))
    periods.set_rules(users["admin"], period, period.rule_set.definition, [campaign.id])
    compute(period)  # the results the decisions act on
    db.session.commit()
    return {"app": app, "client": client, "users": users, "member": users["member"], "lesson": lesson,
            "period": period,
            "attempt": attempt, "tree": tree, "question": question, "campaign": campaign, "make_user": make_user,
            "text_question": next(q for q in attempt.version.questions if q.kind == "short_text")}


def _add_grading_objects(ctx) -> None:
    """A reflection submitted in the reviewer's cell: what the grading routes
    act on (only their walks make it)."""
    client, lesson = ctx["client"], ctx["lesson"]
    writer = ctx["make_user"](name="Người viết")
    _sign_in(client, writer).submit(f"/lessons/{lesson.slug}/quiz", token_from=f"/lessons/{lesson.slug}")
    written = db.session.scalars(select(Attempt).where(Attempt.user_id == writer.id)).one()
    client.submit(f"/attempts/{written.id}", {**form_of(written), "action": "submit"})
    client.submit("/logout", token_from="/")
    ctx["reflection"] = db.session.scalars(select(Answer).where(Answer.attempt_id == written.id,
                                                                Answer.question_key == "thu-hoach-57")).one()


def _sign_in(client, user):
    response = client.submit("/login", {"identifier": user.phone, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _url(app, endpoint: str, ctx) -> str:
    reviewer_grant = next(g for g in ctx["users"]["reviewer"].grants if g.role == "reviewer")
    values = {"lesson_id": ctx["lesson"].id, "slug": ctx["lesson"].slug, "attempt_id": ctx["attempt"].id,
              "campaign_id": ctx["campaign"].id, "unit_id": ctx["tree"]["cell_a"].id, "member_id": ctx["member"].id,
              "grant_id": reviewer_grant.id, "job_id": 1, "upload_id": 1, "period_id": ctx["period"].id,
              "user_id": ctx["member"].id}
    if "reflection" in ctx:
        values["answer_id"] = ctx["reflection"].id
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    return rule.build({arg: values[arg] for arg in rule.arguments})[1]


# A refused sign-in still counts against the sign-in limit: that is the point.
COUNTS_REFUSALS = {"rate_limit_counters"}


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table: what "changes nothing" means."""
    with app.extensions["db_engine"].connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(select(table)).all()))
                for table in Base.metadata.sorted_tables if table.name not in COUNTS_REFUSALS}


def _raw_form(fields: dict[str, list[str]], token: str, raw: dict[str, str]) -> bytes:
    """A urlencoded body, with some values written as raw escapes."""
    pairs = [("csrf_token", quote(token, safe=""))]
    for name, values in fields.items():
        for value in values:
            pairs.append((quote(name, safe=""), raw.get(name) or quote(value, safe="")))
    return "&".join(f"{k}={v}" for k, v in pairs).encode("ascii")


def _hostile_requests(ctx, endpoint: str, tokens: dict):
    """(label, request kwargs, whether a 400 is required). The session's
    CSRF token is read as each request is made: signing in changes it."""
    form = _forms(ctx).get(endpoint, {})
    for label, body in _json_bodies(ctx["text_question"].key).items():
        # The save route reads JSON: every body above is malformed for it.
        headers = {"X-CSRFToken": tokens["csrf"], "Accept": "application/json"}
        yield f"JSON: {label}", {"data": body, "content_type": "application/json", "headers": headers}, \
            endpoint == "quiz.save_answers"
    yield "no CSRF token", {"data": {name: values for name, values in form.items()}}, True
    yield "no CSRF token (JSON)", {"json": {"answers": []}, "headers": {"Accept": "application/json"}}, True
    yield "a bad CSRF token", {"data": {**form, "csrf_token": NUL}}, True
    fields = dict(form) or {"field": ["value"]}
    for name in fields:
        for label, value in HOSTILE_VALUES.items():
            must_refuse = name in form and "NUL" in label
            yield f"{name}: {label}", {"data": {**fields, name: [value], "csrf_token": tokens["csrf"]}}, must_refuse
        yield f"{name}: twice", {"data": {**fields, name: fields[name] * 2 + [NUL], "csrf_token": tokens["csrf"]}}, \
            name in form
        yield f"{name}: missing", {"data": {**{k: v for k, v in fields.items() if k != name},
                                           "csrf_token": tokens["csrf"]}}, False
        for label, raw in RAW_FORM_VALUES.items():
            yield f"{name}: {label} (urlencoded)", {
                "data": _raw_form(fields, tokens["csrf"], {name: raw}),
                "content_type": "application/x-www-form-urlencoded"}, name in form and "NUL" in label
        yield f"{name}: surrogate bytes (multipart)", {"data": _multipart(fields, tokens["csrf"], name),
                                                       "content_type": "multipart/form-data; boundary=XyZ"}, False
    yield "every field NUL", {"data": {**{k: [NUL] for k in fields}, "csrf_token": tokens["csrf"]}}, bool(form)
    yield "a field name with NUL", {"data": {**fields, "x\x00y": ["1"], "csrf_token": tokens["csrf"]}}, bool(form)
    if endpoint in ("quiz.attempt",):
        yield "submitting with NUL", {"data": {**{k: [NUL] for k in form if k.startswith("q-")},
                                               "action": ["submit"], "csrf_token": tokens["csrf"]}}, True
    if endpoint in ("edit.new", "edit.lesson"):
        for action in ("preview", "publish"):
            yield f"{action} with NUL", {"data": {**form, "source": [NUL], "action": [action],
                                                   "csrf_token": tokens["csrf"]}}, True


def _multipart(fields: dict[str, list[str]], token: str, hostile: str) -> bytes:
    parts = [("csrf_token", token.encode())]
    for name, values in fields.items():
        for value in values:
            parts.append((name, b"a\xed\xa0\x80b\xff" if name == hostile else value.encode()))
    body = b"".join(b'--XyZ\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n"
                    for name, value in parts)
    return body + b"--XyZ--\r\n"


def test_the_walk_covers_every_post_route(app):
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts == set(POST_ROUTES)


@pytest.mark.parametrize("endpoint", sorted(POST_ROUTES))
def test_no_hostile_body_gets_a_500_and_a_refused_one_changes_nothing(walk, endpoint):
    app, client = walk["app"], walk["client"]
    role = POST_ROUTES[endpoint]
    if endpoint.split(".")[0] == "grading":
        _add_grading_objects(walk)

    def sign_in() -> str:
        if role == "anonymous":
            return client.csrf_token("/login")
        _sign_in(client, walk["users"][role])
        return client.csrf_token("/")

    tokens = {"csrf": sign_in()}
    url = _url(app, endpoint, walk)
    failures = []
    before = snapshot(app)
    for label, request, must_refuse in _hostile_requests(walk, endpoint, tokens):
        try:
            response = client.post(url, **request)
        except Exception as error:  # noqa: BLE001 - TESTING propagates what would be a 500
            failures.append(f"{label}: raised {error!r:.200}")
            before = snapshot(app)
            continue
        after = snapshot(app)
        status = response.status_code
        if status >= 500:
            failures.append(f"{label}: {status}")
        elif status >= 400 and after != before:
            changed = [t for t in after if after[t] != before[t]]
            failures.append(f"{label}: refused with {status} but changed {changed}")
        elif must_refuse and status != 400:
            failures.append(f"{label}: {status}, not refused with a 400")
        if status == 400 and response.is_json and not isinstance(
                (response.get_json(silent=True) or {}).get("error"), str):
            failures.append(f"{label}: a JSON 400 without an error message")
        if status == 302 and endpoint in ("auth.login", "auth.logout"):
            if endpoint == "auth.login":  # accepted: signed in; sign out for the next body
                client.submit("/logout", token_from="/")
            tokens["csrf"] = sign_in()  # the walk goes on as the route's user
            after = snapshot(app)
        before = after
    assert not failures, "\n".join(failures)


# -- addresses -------------------------------------------------------------------

HOSTILE_URL_VALUES = [
    {"lesson_id": INT32_MAX + 1, "number": INT32_MAX + 1, "attempt_id": INT32_MAX + 1, "campaign_id": INT32_MAX + 1,
     "unit_id": INT32_MAX + 1, "member_id": INT32_MAX + 1, "grant_id": INT32_MAX + 1, "answer_id": INT32_MAX + 1,
     "slug": "a\x00b", "code": "\x00",
     "job_id": INT32_MAX + 1, "upload_id": INT32_MAX + 1, "period_id": INT32_MAX + 1, "user_id": INT32_MAX + 1},
    {"lesson_id": 2 ** 70, "number": 2 ** 70, "attempt_id": 2 ** 70, "campaign_id": 2 ** 70, "unit_id": 2 ** 70,
     "member_id": 2 ** 70, "grant_id": 2 ** 70, "answer_id": 2 ** 70, "slug": "\x00", "code": "vi",
     "job_id": 2 ** 70, "upload_id": 2 ** 70, "period_id": 2 ** 70, "user_id": 2 ** 70},
]
HOSTILE_QUERY = "?q=a%00b&to=%00&from=99999999999999999999&next=/%00"


@pytest.mark.parametrize("role", ["member", "editor"])
def test_no_address_gets_a_500(walk, role):
    """Ids above the columns' range and NUL in a path or a query name
    nothing that exists; PostgreSQL would refuse to even look them up."""
    app, client = walk["app"], walk["client"]
    _sign_in(client, walk["users"][role])
    token = client.csrf_token("/")
    before = snapshot(app)
    failures = []
    for values in HOSTILE_URL_VALUES:
        for rule in app.url_map.iter_rules():
            if rule.endpoint in ("static", "auth.logout"):
                continue
            url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for query in ("", HOSTILE_QUERY):
                    try:
                        response = client.open(url + query, method=method, headers={"X-CSRFToken": token})
                    except Exception as error:  # noqa: BLE001 - TESTING propagates what would be a 500
                        failures.append(f"{method} {url}{query}: raised {error!r:.200}")
                        continue
                    if response.status_code >= 500:
                        failures.append(f"{method} {url}{query}: {response.status_code}")
                    elif response.status_code >= 400 and snapshot(app) != before:
                        failures.append(f"{method} {url}{query}: refused but changed something")
                    before = snapshot(app)
    assert not failures, "\n".join(failures)


# -- the answer-save route ---------------------------------------------------------

VIETNAMESE = set("ơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ")


@pytest.fixture
def member_attempt(walk):
    _sign_in(walk["client"], walk["member"])
    token = walk["client"].csrf_token(f"/attempts/{walk['attempt'].id}")
    return walk, token


def test_a_malformed_save_is_refused_in_json_in_the_members_language(member_attempt):
    walk, token = member_attempt
    url = f"/attempts/{walk['attempt'].id}/answers"
    before = snapshot(walk["app"])
    failures = []
    for label, body in _json_bodies(walk["text_question"].key).items():
        response = walk["client"].post(url, data=body, content_type="application/json",
                                       headers={"X-CSRFToken": token})
        reply = response.get_json(silent=True) or {}
        error = reply.get("error") or ""
        # `invalid` tells the quiz script that resending the same will not help.
        if response.status_code != 400 or not VIETNAMESE & set(error) or reply.get("invalid") is not True:
            failures.append(f"{label}: {response.status_code} {error!r}")
    assert not failures, "\n".join(failures)
    assert snapshot(walk["app"]) == before
    # A save in a form's encoding is not JSON either.
    response = walk["client"].post(url, data={"answers": "[]"},
                                   headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"] == "Dữ liệu gửi lên không phải là JSON hợp lệ."


def test_one_bad_answer_refuses_the_whole_save(member_attempt):
    """Nothing is written by a refused request, even the good answers before
    the bad one (each answer of a save commits on its own)."""
    walk, token = member_attempt
    questions = [q for q in walk["attempt"].version.questions if q.kind != "single"]
    good = [_answer(q.key, correct_values(q), seq=5) for q in questions]
    before = snapshot(walk["app"])
    response = walk["client"].post(f"/attempts/{walk['attempt'].id}/answers", headers={"X-CSRFToken": token},
                                   json={"answers": [*good, _answer(walk["question"].key, [NUL], seq=6)]})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"Câu trả lời {len(good) + 1} có ký tự không thể lưu")
    # The script refuses that answer only, and sends the good ones again.
    assert response.get_json()["invalid_keys"] == [walk["question"].key]
    assert snapshot(walk["app"]) == before


def test_sequence_numbers_go_up_to_the_columns_limit(member_attempt):
    walk, token = member_attempt
    key = walk["question"].key
    choice = correct_values(walk["question"])[0]
    response = walk["client"].post(f"/attempts/{walk['attempt'].id}/answers", headers={"X-CSRFToken": token},
                                   json={"answers": [_answer(key, [choice], seq=INT32_MAX)]})
    assert response.status_code == 200 and response.get_json()["saved"] == [{"key": key, "seq": INT32_MAX}]
    assert db.session.scalar(select(Answer.client_seq).where(Answer.question_key == key)) == INT32_MAX
    response = walk["client"].post(f"/attempts/{walk['attempt'].id}/answers", headers={"X-CSRFToken": token},
                                   json={"answers": [_answer(key, [choice], seq=INT32_MAX + 1)]})
    assert response.status_code == 400
    assert response.get_json()["error"] == f"Câu trả lời 1: seq phải là số nguyên từ 0 đến {INT32_MAX}."


def test_text_answers_keep_every_other_character(member_attempt):
    """Emoji (a surrogate pair in JSON), control characters other than NUL and
    right-to-left text are answers like any other."""
    walk, token = member_attempt
    question = walk["text_question"]
    text = "Đảng 😀 \t\x01 \u202e שלום"
    body = json.dumps({"answers": [_answer(question.key, [text], seq=3)]}).encode()
    assert b"\\ud83d\\ude00" in body  # the emoji as a pair of escapes
    response = walk["client"].post(f"/attempts/{walk['attempt'].id}/answers", data=body,
                                   content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["saved"] == [{"key": question.key, "seq": 3}]
    db.session.expire_all()
    assert db.session.scalar(select(Answer.response).where(Answer.question_key == question.key)) == {"value": text}


def test_a_save_without_its_token_is_refused_in_json(member_attempt):
    walk, _token = member_attempt
    response = walk["client"].post(f"/attempts/{walk['attempt'].id}/answers", json={"answers": []},
                                   headers={"Accept": "application/json"})
    assert response.status_code == 400 and "biểu mẫu" in response.get_json()["error"].lower()


# -- the plain quiz form -------------------------------------------------------

def test_the_quiz_form_refuses_nul_and_keeps_the_saved_answers(member_attempt):
    walk, _token = member_attempt
    client, attempt, saved_question = walk["client"], walk["attempt"], walk["question"]
    short = walk["text_question"]
    number = [step["key"] for step in attempt.plan].index(short.key) + 1
    before = snapshot(walk["app"])
    for action in ("save", "submit"):
        response = client.submit(f"/attempts/{attempt.id}", {f"q-{short.key}": [NUL], "action": action})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert f"Câu {number} có ký tự không thể lưu" in page
        assert f'href="/attempts/{attempt.id}"' in page  # back to the quiz, where the saved answers are
        assert snapshot(walk["app"]) == before
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "open"
    again = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    choice = correct_values(saved_question)[0]
    assert f'name="q-{saved_question.key}" value="{choice}"\n         checked' in again


# -- the editor ----------------------------------------------------------------

@pytest.fixture
def editor(walk):
    _sign_in(walk["client"], walk["users"]["editor"])
    return walk


def test_the_editor_removes_nul_shows_the_lines_and_saves_nothing(editor):
    app, client, lesson = editor["app"], editor["client"], editor["lesson"]
    typed = "Dòng một\nDòng hai có \x00 ở giữa\nDòng ba\x00"
    before = snapshot(app)
    for url, revision in (("/edit/new", ""), (f"/edit/{lesson.id}", str(lesson.draft_revision))):
        for action in ("save", "preview", "publish"):
            response = client.submit(url, {"source": typed, "action": action, "revision": revision})
            assert response.status_code == 400, (url, action)
            page = response.get_data(as_text=True)
            assert "Dòng hai có  ở giữa\nDòng ba</textarea>" in page  # what was typed, minus what was refused
            assert "\x00" not in page
            assert "Chưa lưu gì: văn bản có ký tự không thể lưu" in page  # at the top
            assert page.count("Đã xóa khỏi dòng này một ký tự không thể lưu.") == 2
            assert 'data-line="2"' in page and 'data-line="3"' in page
            assert snapshot(app) == before


def test_a_damaged_revision_is_refused(editor):
    app, client, lesson = editor["app"], editor["client"], editor["lesson"]
    before = snapshot(app)
    for revision in ("²", "9" * 5000, str(2 ** 70), "-1", "a\x00"):
        response = client.submit(f"/edit/{lesson.id}", {"source": "# x", "action": "save", "revision": revision})
        assert response.status_code == 400, revision
        assert "# x</textarea>" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_the_live_preview_refuses_nul_and_damaged_numbers_in_json(editor):
    client = editor["client"]
    token = client.csrf_token("/edit/new")
    response = client.post("/edit/preview", data={"source": "a\nb\x00", "lesson_id": ""},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Văn bản có ký tự không thể lưu")
    assert [p["line"] for p in response.get_json()["problems"]] == [2]
    for lesson_id in (str(2 ** 70), "9" * 5000, "²", "-1"):
        response = client.post("/edit/preview", data={"source": "# x", "lesson_id": lesson_id},
                               headers={"X-CSRFToken": token})
        assert response.status_code == 400 and "lesson_id phải là số nguyên" in response.get_json()["error"]


# -- signing in, campaigns --------------------------------------------------------

def test_sign_in_with_nul_gives_the_form_back_with_a_message(walk):
    app, client, member = walk["app"], walk["client"], walk["member"]
    before = snapshot(app)
    for field, label in (("identifier", "Số thẻ đảng viên hoặc số điện thoại"), ("password", "Mật khẩu")):
        response = client.submit("/login", {"identifier": member.phone, "password": PASSWORD, field: "0\x00"})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert f'<p class="error" id="{field}-error">{label} có ký tự không thể lưu' in page
        assert 'name="identifier"' in page and "\x00" not in page
    assert snapshot(app) == before
    assert client.get("/").status_code == 302  # not signed in


def test_a_campaign_with_nul_gives_the_form_back_with_a_message(walk):
    client = walk["client"]
    _sign_in(client, walk["users"]["reviewer"])
    form = _forms(walk)["campaigns.new"]
    campaigns_before = db.session.scalar(select(func.count()).select_from(Campaign))  # the walk's own
    for field in form:
        response = client.submit("/campaigns/new", {**form, field: [NUL]})
        assert response.status_code == 400, field
        page = response.get_data(as_text=True)
        assert f'id="{field}-error">' in page and "có ký tự không thể lưu" in page, field
        assert 'value="Đợt học"' in page or field == "title"  # the rest is kept
        assert "\x00" not in page
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == campaigns_before
    assert client.submit("/campaigns/new", form).status_code == 302  # the same form, clean, is taken


def test_a_campaign_with_a_damaged_lesson_or_unit_number_is_refused(walk):
    client = walk["client"]
    _sign_in(client, walk["users"]["reviewer"])
    form = _forms(walk)["campaigns.new"]
    campaigns_before = db.session.scalar(select(func.count()).select_from(Campaign))  # the walk's own
    for value in ("²", "9" * 5000, str(2 ** 70), "١", "abc"):
        for field in ("lessons", "units"):
            response = client.submit("/campaigns/new", {**form, field: [value]})
            assert response.status_code == 400, (field, value)
            assert f'id="{field}-error">' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == campaigns_before


# -- the checks themselves (pure) -----------------------------------------------------

@pytest.mark.parametrize("seq", [0, 1, INT32_MAX])
def test_a_sequence_number_in_range_is_taken(seq):
    assert answers_from_json({"answers": [_answer("k", ["a"], seq)]}) == [("k", ["a"], seq)]


@pytest.mark.parametrize("seq", [-1, INT32_MAX + 1, 1.0, 1.5, True, False, "1", None, float("inf"), float("nan")])
def test_a_sequence_number_out_of_range_or_of_another_type_is_refused(seq):
    with pytest.raises(InvalidInput):
        answers_from_json({"answers": [_answer("k", ["a"], seq)]})


def test_json_body_refuses_what_pythons_json_would_take():
    for body in (b"NaN", b"[Infinity]", b"[-Infinity]", b"[" * 10_000 + b"]" * 10_000, b"\xff", b'"\xed\xa0\x80"'):
        with pytest.raises(InvalidInput):
            json_body(body)
    assert json_body(b'{"a": [1, "\\ud83d\\ude00"]}') == {"a": [1, "😀"]}


def test_without_unstorable_names_the_lines():
    assert without_unstorable("a\nb\x00c\n\ud800\nd") == ("a\nbc\n\nd", [2, 3])
    assert without_unstorable("plain\n") == ("plain\n", [])


def test_unstorable_field_names_the_first_field_at_fault():
    from werkzeug.datastructures import MultiDict
    assert unstorable_field(MultiDict([("a", "ok"), ("b", "ok"), ("b", "x\x00")])) == "b"
    assert unstorable_field(MultiDict([("a\ud800", "ok")])) == "a\ud800"
    assert unstorable_field(MultiDict([("a", "Đảng 😀")])) is None


@pytest.mark.parametrize("text", ["²", "١", "-1", "1.0", " 1", "9" * 11, str(INT32_MAX + 1), ""])
def test_whole_number_takes_only_ascii_digits_in_range(text):
    with pytest.raises(InvalidInput):
        whole_number(text, "x")
    assert whole_number("0", "x") == 0 and whole_number(str(INT32_MAX), "x") == INT32_MAX
