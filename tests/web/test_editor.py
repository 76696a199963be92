"""Editors write, preview, publish, archive and compare lessons in the browser."""
from sqlalchemy import func, select

from learning.core import db
from learning.models import Lesson, LessonVersion
from tests.conftest import CONTENT

SOURCE = (CONTENT / "57-nq-tw-2024.md").read_text(encoding="utf-8")


def _editor(make_user, login):
    return login(make_user(role="editor", name="Lê Biên Tập"))


def _versions(lesson_id):
    return db.session.scalar(select(func.count()).select_from(LessonVersion).where(LessonVersion.lesson_id == lesson_id))


def test_preview_shows_the_rendered_lesson_and_saves_nothing(client, make_user, login):
    _editor(make_user, login)
    response = client.submit("/edit/new", {"source": SOURCE, "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "57-NQ/TW" in html and "sẵn sàng xuất bản" in html
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_preview_lists_problems_with_their_line(client, make_user, login):
    _editor(make_user, login)
    broken = SOURCE.replace("57-NQ/TW", "57/NQ-TW", 1)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "57/NQ-TW" in text)
    html = client.submit("/edit/new", {"source": broken, "action": "preview"}).get_data(as_text=True)
    assert f'data-line="{line}"' in html
    assert f"Dòng {line}" in html


def test_publish_creates_immutable_versions_and_a_readable_diff(client, make_user, login):
    _editor(make_user, login)
    response = client.submit("/edit/new", {"source": SOURCE, "action": "publish"})
    assert response.status_code == 302
    lesson = db.session.scalars(select(Lesson)).one()
    assert lesson.state == "published" and _versions(lesson.id) == 1
    first_html = lesson.versions[0].body_html

    edited = SOURCE.replace("## ", "## Mục: ", 1)
    client.submit(f"/edit/{lesson.id}", {"source": edited, "action": "publish"})
    db.session.expire_all()
    assert _versions(lesson.id) == 2
    assert lesson.versions[0].body_html == first_html  # version 1 untouched

    # Publishing the same text again makes no new version.
    client.submit(f"/edit/{lesson.id}", {"source": edited, "action": "publish"})
    assert _versions(lesson.id) == 2

    diff = client.get(f"/edit/{lesson.id}/diff?from=1&to=2").get_data(as_text=True)
    assert 'class="added"' in diff and "Mục: " in diff
    assert 'class="removed"' in diff
    history = client.get(f"/edit/{lesson.id}/versions").get_data(as_text=True)
    assert "Phiên bản 2" in history and "Phiên bản 1" in history


def test_publishing_a_broken_draft_keeps_the_text_and_lists_problems(client, make_user, login):
    _editor(make_user, login)
    broken = SOURCE.replace("- [x]", "- [ ]")
    response = client.submit("/edit/new", {"source": broken, "action": "publish"})
    assert response.status_code == 200
    assert 'class="problems"' in response.get_data(as_text=True)
    lesson = db.session.scalars(select(Lesson)).one()
    assert lesson.state == "draft" and lesson.draft_source.strip() == broken.strip()
    assert _versions(lesson.id) == 0
    # The saved draft is what the editor finds when coming back.
    assert "- [ ]" in client.get(f"/edit/{lesson.id}").get_data(as_text=True)


def test_archive_hides_the_lesson_from_members_and_restore_brings_it_back(
        client, make_user, login, publish_file, app):
    lesson = publish_file()
    member = make_user(name="Đảng Viên", phone="0911111111")
    _editor(make_user, login)
    client.submit(f"/edit/{lesson.id}/archive", token_from=f"/edit/{lesson.id}")
    db.session.expire_all()
    assert lesson.state == "archived"
    reader = app.test_client()
    from tests.conftest import FormClient, PASSWORD
    reader = FormClient(reader)
    reader.submit("/login", {"identifier": member.phone, "password": PASSWORD})
    assert reader.get(f"/lessons/{lesson.slug}").status_code == 404
    assert lesson.slug not in reader.get("/").get_data(as_text=True)
    client.submit(f"/edit/{lesson.id}/restore", token_from=f"/edit/{lesson.id}")
    assert reader.get(f"/lessons/{lesson.slug}").status_code == 200


def test_live_preview_returns_problems_as_json(client, make_user, login):
    _editor(make_user, login)
    token = client.csrf_token("/edit/new")
    response = client.post("/edit/preview", data={"source": "no title here"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    body = response.get_json()
    assert body["problems"] and body["problems"][0]["line"] >= 1
    assert "Dòng" in body["html"]


def test_lesson_list_shows_state_and_number(client, make_user, login, publish_file):
    publish_file()
    _editor(make_user, login)
    html = client.get("/edit/").get_data(as_text=True)
    assert "57-NQ/TW" in html and "đã xuất bản" in html
