"""Every route, every role: who may reach what. A new route must be added to
EXPECTED, so nobody ships a page without deciding who may see it."""
import io

import pytest

from learning.core.permissions import (
    ADMINS,
    ATTEMPT_OWNER,
    CAMPAIGN_MANAGERS,
    EDITORS,
    PUBLIC,
    REVIEWERS,
    SIGNED_IN,
)
from learning.evaluation.access import PERIOD_MANAGERS

EXPECTED = {
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "misc.set_language": PUBLIC,
    "misc.health": PUBLIC,
    "learn.home": SIGNED_IN,
    "learn.lesson": SIGNED_IN,
    "learn.search_page": SIGNED_IN,
    "learn.mark_read": SIGNED_IN,
    "learn.start_quiz": SIGNED_IN,
    "quiz.attempt": SIGNED_IN,
    "quiz.save_answers": ATTEMPT_OWNER,
    "quiz.submit": ATTEMPT_OWNER,
    "quiz.result": SIGNED_IN,
    "campaigns.index": CAMPAIGN_MANAGERS,
    "campaigns.new": CAMPAIGN_MANAGERS,
    "campaigns.show": CAMPAIGN_MANAGERS,
    "grading.queue": REVIEWERS,
    "grading.next_item": REVIEWERS,
    "grading.answer": REVIEWERS,
    "grading.skip": REVIEWERS,
    "scales.edit": CAMPAIGN_MANAGERS,
    "campaigns.edit": CAMPAIGN_MANAGERS,
    "campaigns.extend": CAMPAIGN_MANAGERS,
    "campaigns.close": CAMPAIGN_MANAGERS,
    "members.index": REVIEWERS,
    "members.show": REVIEWERS,
    "members.extra_attempt": REVIEWERS,
    "members.extend_due": REVIEWERS,
    "edit.index": EDITORS,
    "edit.new": EDITORS,
    "edit.lesson": EDITORS,
    "edit.live_preview": EDITORS,
    "edit.archive": EDITORS,
    "edit.restore": EDITORS,
    "edit.versions": EDITORS,
    "edit.version": EDITORS,
    "edit.diff": EDITORS,
    "edit.guide": EDITORS,
    "edit.format_reference": EDITORS,
    "org_admin.index": REVIEWERS,
    "org_admin.find": REVIEWERS,
    "org_admin.unit": REVIEWERS,
    "org_admin.create_top": ADMINS,
    "org_admin.create_child": REVIEWERS,
    "org_admin.edit": REVIEWERS,
    "org_admin.move": REVIEWERS,
    "org_admin.merge": REVIEWERS,
    "org_admin.close": REVIEWERS,
    "org_admin.move_members": REVIEWERS,
    "org_admin.grant": REVIEWERS,
    "org_admin.revoke": REVIEWERS,
    "jobs.index": SIGNED_IN,
    "jobs.show": SIGNED_IN,  # then 404 unless the job is theirs (or they are an admin)
    "jobs.again": SIGNED_IN,
    "roster.upload": REVIEWERS,
    "roster.start_import": REVIEWERS,
    "roster.report_csv": REVIEWERS,  # then 404 unless they may see the dry run
    "roster.sample_csv": REVIEWERS,
    "roster.sample_xlsx": REVIEWERS,
    "audit.log": ADMINS,
    "auth.activate": PUBLIC,
    "auth.activate_with_code": PUBLIC,
    "activation.units": REVIEWERS,
    "activation.unit": REVIEWERS,
    "activation.issue": REVIEWERS,
    "activation.issue_one": REVIEWERS,
    "follow.index": REVIEWERS,
    "follow.campaign": REVIEWERS,
    "follow.lagging": REVIEWERS,
    "evaluation.index": REVIEWERS,
    "evaluation.period": REVIEWERS,
    "evaluation.compute": PERIOD_MANAGERS,
    "evaluation.lock": PERIOD_MANAGERS,
    "evaluation.reopen": ADMINS,
    "evaluation_results.unit": REVIEWERS,
    "evaluation_results.unit_decision": REVIEWERS,
    "evaluation_results.confirm_members": REVIEWERS,
    "evaluation_results.member": REVIEWERS,
    "evaluation_results.member_decision": REVIEWERS,
    "evaluation_results.mine": SIGNED_IN,
    "evaluation.create": PERIOD_MANAGERS,
    "evaluation.rules": PERIOD_MANAGERS,
    "evaluation.save_rules": PERIOD_MANAGERS,
    "follow.print_sheet": REVIEWERS,
    "evaluation_exports.xlsx": REVIEWERS,  # then 404 outside their units
    "evaluation_exports.csv": REVIEWERS,
    "evaluation_exports.print_page": REVIEWERS,
}

ROLES = ["anonymous", "member", "reviewer", "editor", "admin"]


def test_every_route_declares_the_expected_policy(app):
    declared = {
        endpoint: getattr(view, "access_policy", None)
        for endpoint, view in app.view_functions.items()
        if endpoint != "static"
    }
    assert {e: p.name if p else None for e, p in declared.items()} == {e: p.name for e, p in EXPECTED.items()}


def _routes(app, lesson):
    values = {"lesson_id": lesson.id, "number": 1, "slug": lesson.slug, "code": "vi", "attempt_id": 1,
              "campaign_id": 1, "unit_id": 999_999, "member_id": 1, "grant_id": 999_999, "answer_id": 1,
              "job_id": 1, "upload_id": 1, "period_id": 1, "user_id": 1}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


# Who may reach each policy's routes, written out by hand: the test must not
# ask the code under test what the answer is.
ALLOWED_ROLES = {
    "public": {"anonymous", "member", "reviewer", "editor", "admin"},
    "signed_in": {"member", "reviewer", "editor", "admin"},
    "attempt_owner": {"member", "reviewer", "editor", "admin"},  # then 404 unless the attempt is theirs
    "campaign_managers": {"reviewer", "editor", "admin"},
    "editors": {"editor", "admin"},
    "reviewers": {"reviewer", "admin"},  # then 404 outside their units
    "admins": {"admin"},
    "period_managers": {"admin"},  # and reviewers of a top unit; the walk's reviewer reviews a cell
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_its_policy_allows(app, client, make_user, login, publish_file, role):
    lesson = publish_file()
    if role != "anonymous":
        login(make_user(role=role))
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about access; CSRF has its own tests
    for endpoint, method, url in _routes(app, lesson):
        if endpoint == "auth.logout":
            continue  # it would end the session the rest of the walk needs
        # The save route refuses a malformed body (400) before anything else: send it a well-formed one.
        body = {"json": {"answers": []}} if endpoint == "quiz.save_answers" else {}
        if endpoint == "roster.upload" and method == "POST":  # a file, or the form comes back with a 400
            body = {"data": {"file": (io.BytesIO(b"Full name,Party card number,Cell code,Status\n"), "a.csv")}}
        response = client.open(url, method=method, **body)
        if role in ALLOWED_ROLES[EXPECTED[endpoint].name]:
            # Reached: a page, a redirect within the app, "no such object" (404
            # for an attempt that is not theirs) or a form refused for what it
            # holds (400: this walk sends empty forms), never a refusal or a crash.
            assert response.status_code in (200, 302, 400, 404, 409), \
                f"{role} got {response.status_code} on {method} {url}"
            assert "/login" not in response.headers.get("Location", ""), f"{role} sent to sign in by {url}"
        elif role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], f"{method} {url}"
        else:
            assert response.status_code == 403, f"{role} reached {method} {url}: {response.status_code}"


def test_every_post_route_requires_a_csrf_token(app, client, make_user, login, publish_file):
    lesson = publish_file()
    login(make_user(role="admin"))
    for endpoint, method, url in _routes(app, lesson):
        if method == "POST":
            response = client.post(url, data={})
            assert response.status_code == 400, f"{endpoint} accepted a POST without token"
            assert "biểu mẫu đã hết hạn" in response.get_data(as_text=True).lower(), endpoint
