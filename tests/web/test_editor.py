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
    from tests.conftest import PASSWORD, FormClient
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


# Two problems: the document number's form (line 4) and a question with no right choice.
TWO_PROBLEMS = SOURCE.replace("57-NQ/TW", "57/NQ-TW", 1).replace("- [x]", "- [ ]", 1)


def _outcome(html):
    """The failure summary, and whether it comes before the text box."""
    start = html.index('id="outcome"')
    end = html.index("</section>", start)
    return html[start:end], start < html.index("<textarea")


def test_a_refused_publish_says_so_first_above_the_text_box(client, make_user, login):
    _editor(make_user, login)
    response = client.submit("/edit/new", {"source": TWO_PROBLEMS, "action": "publish"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    summary, above = _outcome(html)
    assert above, "the failure must be seen before the 24-row text box"
    assert "Chưa xuất bản: 2 lỗi" in summary
    # Each problem is listed there with its line, a link to the text box.
    assert summary.count('href="#source" data-line=') == 2
    assert 'href="#source" data-line="4"' in summary and "Dòng 4" in summary
    # The draft being kept is said too, but after the failure.
    assert summary.index("Chưa xuất bản") < summary.index("Bản nháp đã được lưu")
    assert "Đã lưu nháp" not in html[:html.index('id="outcome"')]


def test_a_refused_publish_in_english(client, make_user, login):
    _editor(make_user, login)
    client.get("/lang/en")
    html = client.submit("/edit/new", {"source": TWO_PROBLEMS, "action": "publish"}).get_data(as_text=True)
    summary, above = _outcome(html)
    assert above and "Not published: 2 problems" in summary and "Line 4" in summary


def test_saving_a_text_with_problems_keeps_it_and_says_it_cannot_be_published(client, make_user, login):
    _editor(make_user, login)
    response = client.submit("/edit/new", {"source": TWO_PROBLEMS, "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    summary, above = _outcome(html)
    assert above and "Chưa thể xuất bản: 2 lỗi" in summary
    assert summary.index("Chưa thể xuất bản") < summary.index("Bản nháp đã được lưu")
    lesson = db.session.scalars(select(Lesson)).one()
    assert lesson.draft_source.strip() == TWO_PROBLEMS.strip() and _versions(lesson.id) == 0
    # The next press goes to the lesson just created, not to a second new one.
    assert f'action="/edit/{lesson.id}"' in html


def test_previewing_a_text_with_problems_lists_them_first_and_says_nothing_was_saved(client, make_user, login):
    _editor(make_user, login)
    html = client.submit("/edit/new", {"source": TWO_PROBLEMS, "action": "preview"}).get_data(as_text=True)
    summary, above = _outcome(html)
    assert above and "Chưa thể xuất bản: 2 lỗi" in summary and "Dòng 4" in summary
    assert summary.index("Chưa thể xuất bản") < summary.index("chưa lưu")
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_a_clean_save_still_redirects_with_no_failure_summary(client, make_user, login):
    _editor(make_user, login)
    response = client.submit("/edit/new", {"source": SOURCE, "action": "save"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu bản nháp" in page and 'id="outcome"' not in page


def test_editors_read_the_guide_and_the_format_reference_in_the_browser(client, make_user, login):
    _editor(make_user, login)
    editor_page = client.get("/edit/new").get_data(as_text=True)
    assert 'href="/edit/guide"' in editor_page and 'href="/edit/format"' in editor_page
    assert "docs/authoring.md" not in editor_page  # a file a browser cannot open
    guide = client.get("/edit/guide")
    html = guide.get_data(as_text=True)
    assert guide.status_code == 200
    assert "<h1>Hướng dẫn soạn bài học</h1>" in html
    assert '<h2 id="s-1-tep-bai-hoc-la-gi">1. Tệp bài học là gì</h2>' in html  # rendered, with its anchors
    assert 'href="#s-1-tep-bai-hoc-la-gi"' in html  # contents
    assert 'href="/edit/format"' in html  # the menu and the guide's own mention of the reference
    reference = client.get("/edit/format").get_data(as_text=True)
    assert "<h1>Lesson source format — technical reference</h1>" in reference
    assert '<article class="guide" lang="en">' in reference


def test_members_are_refused_the_editors_guide(client, make_user, login):
    login(make_user())
    assert client.get("/edit/guide").status_code == 403
    assert client.get("/edit/format").status_code == 403
    assert 'href="/edit/guide"' not in client.get("/").get_data(as_text=True)


def test_the_editors_menu_links_the_guide(client, make_user, login):
    _editor(make_user, login)
    home = client.get("/").get_data(as_text=True)
    start = home.index('<nav class="menu')
    menu = home[start:home.index("</nav>", start)]
    assert 'href="/edit/guide"' in menu


def test_a_text_too_long_to_keep_says_not_published_and_nothing_saved(client, make_user, login):
    from learning.lessons.views import MAX_SOURCE_CHARS
    _editor(make_user, login)
    too_long = SOURCE + "\n" + "x" * MAX_SOURCE_CHARS
    html = client.submit("/edit/new", {"source": too_long, "action": "publish"}).get_data(as_text=True)
    summary, above = _outcome(html)
    assert above and "Chưa xuất bản" in summary and "Chưa lưu gì." in summary
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0
