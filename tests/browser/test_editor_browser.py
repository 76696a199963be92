"""An editor writes, previews, publishes and compares a lesson on a phone."""
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import CONTENT, PASSWORD

SOURCE = (CONTENT / "05-ct-tw-2016.md").read_text(encoding="utf-8")


def test_editor_writes_previews_publishes_and_diffs_on_a_phone(live_server, phone, make_user):
    editor = make_user(role="editor", name="Lê Thị Biên Tập")
    sign_in(phone, live_server, editor.phone, PASSWORD)
    phone.click(".menu summary")  # on a phone the menu folds its editors' items into "Thêm"
    phone.click(".menu-panel >> text=Biên tập")
    phone.click("text=Bài học mới")
    phone.fill("#source", SOURCE.replace("05-CT/TW", "05-CT/tw", 1))
    phone.click("button[value=preview]")
    problem = phone.locator(".problems li").first
    assert "Dòng" in problem.inner_text()
    shot(phone, "editor-problems-360")
    problem.locator("a").click()  # jumps to the line at fault (with JavaScript)
    assert phone.evaluate("document.activeElement.id") == "source"

    phone.fill("#source", SOURCE)
    phone.wait_for_selector(".preview h1")  # live preview, no button pressed
    phone.click("button[value=preview]")
    assert phone.locator(".preview h1").inner_text().strip()
    assert no_horizontal_scroll(phone)
    shot(phone, "editor-preview-360")

    phone.click("button[value=publish]")
    assert "Đã xuất bản phiên bản 1" in phone.locator(".flash").inner_text()
    edited = SOURCE.replace("- Thời gian học: 15", "- Thời gian học: 20").replace(
        "\n## Câu hỏi kiểm tra", "\nMột đoạn mới được thêm vào.\n\n## Câu hỏi kiểm tra")
    assert edited.count("Thời gian học: 20") == 1
    phone.fill("#source", edited)
    phone.click("button[value=publish]")
    assert "phiên bản 2" in phone.locator(".flash").inner_text()

    phone.click("text=Lịch sử")
    phone.click("button:has-text('So sánh')")
    assert phone.locator(".diff .added").count() >= 1
    assert phone.locator(".diff .removed").count() >= 1
    assert no_horizontal_scroll(phone)
    shot(phone, "editor-diff-360")


def test_editor_page_without_javascript_still_previews(browser, live_server, make_user):
    editor = make_user(role="editor")
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, editor.phone, PASSWORD)
        page.goto(f"{live_server}/edit/new")
        page.fill("#source", SOURCE)
        page.click("button[value=preview]")
        assert page.locator(".preview h1").inner_text().strip()
    finally:
        context.close()


def test_editor_desktop_layout(live_server, desktop, make_user, publish_file):
    lesson = publish_file("05-ct-tw-2016.md")
    editor = make_user(role="editor")
    sign_in(desktop, live_server, editor.phone, PASSWORD)
    desktop.goto(f"{live_server}/edit/{lesson.id}")
    desktop.click("button[value=preview]")
    shot(desktop, "editor-desktop")
    desktop.goto(f"{live_server}/edit/")
    shot(desktop, "editor-list-desktop")
