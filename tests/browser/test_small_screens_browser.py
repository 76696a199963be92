"""What an editor and a member see first on a 360 px phone, and the page
width at 1280 px: one-row menu, whole search hint, failures above the text."""
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import CONTENT, PASSWORD

SOURCE = (CONTENT / "05-ct-tw-2016.md").read_text(encoding="utf-8")
TWO_PROBLEMS = SOURCE.replace("05-CT/TW", "05-CT/tw", 1).replace("- [x]", "- [ ]", 1)

# The menu's controls a person can see (closed <details> content is laid out
# in Chromium but not shown: checkVisibility tells them apart).
VISIBLE_MENU_CONTROLS = """[...document.querySelectorAll('.menu a, .menu button, .menu summary')]
  .filter(e => e.checkVisibility())
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent.trim(), top: r.top, bottom: r.bottom, width: r.width, height: r.height}; })"""


def test_the_editors_menu_is_one_row_of_large_targets_at_360(live_server, phone, make_user):
    editor = make_user(role="editor")
    sign_in(phone, live_server, editor.phone, PASSWORD)
    for language in ("vi", "en"):
        phone.goto(f"{live_server}/lang/{language}?next=/")
        controls = phone.evaluate(VISIBLE_MENU_CONTROLS)
        assert len(controls) >= 2
        assert max(c["top"] for c in controls) - min(c["top"] for c in controls) < 1, controls  # one row
        assert all(c["height"] >= 44 and c["width"] >= 44 for c in controls), controls
        assert no_horizontal_scroll(phone)
    shot(phone, "menu-360")
    # Everything else is one tap away, without JavaScript's help: a <details>.
    phone.click(".menu summary")
    opened = {c["text"]: c for c in phone.evaluate(VISIBLE_MENU_CONTROLS)}
    for label in ("Campaigns", "Editing", "Guide", "Sign out"):
        assert opened[label]["height"] >= 44, opened
    shot(phone, "menu-open-360")
    phone.click(".menu-panel >> text=Guide")
    assert phone.locator("h1").inner_text() == "Hướng dẫn soạn bài học"
    assert no_horizontal_scroll(phone)


def _placeholder_fits(page) -> bool:
    """The search hint shows whole: the box is as wide as its text would be
    (a placeholder is not counted by scrollWidth, so its text is measured as a value)."""
    return page.evaluate("""(() => {
      const box = document.getElementById('q');
      if (box.scrollWidth > box.clientWidth) return false;
      const probe = box.cloneNode(); probe.removeAttribute('id');
      probe.type = 'text'; probe.value = box.placeholder;  // a search box with a value grows a clear button
      probe.style.position = 'absolute'; probe.style.width = box.getBoundingClientRect().width + 'px';
      probe.style.flex = 'none'; document.body.append(probe);  // same width, outside the form's layout
      const fits = probe.scrollWidth <= probe.clientWidth; probe.remove();
      return fits; })()""")


def test_the_search_hint_shows_whole_at_360(live_server, phone, make_user, publish_file):
    publish_file()
    member = make_user()
    sign_in(phone, live_server, member.phone, PASSWORD)
    for language in ("vi", "en"):
        phone.goto(f"{live_server}/lang/{language}?next=/")
        assert phone.get_attribute("#q", "placeholder")
        assert _placeholder_fits(phone), phone.get_attribute("#q", "placeholder")
        phone.goto(f"{live_server}/search")
        assert _placeholder_fits(phone), phone.get_attribute("#q", "placeholder")
    phone.goto(f"{live_server}/lang/vi?next=/search")
    shot(phone, "search-360")


def test_a_refused_publish_is_the_first_thing_seen_on_a_phone(live_server, phone, make_user):
    editor = make_user(role="editor")
    sign_in(phone, live_server, editor.phone, PASSWORD)
    phone.goto(f"{live_server}/edit/new")
    phone.fill("#source", TWO_PROBLEMS)
    phone.click("button[value=publish]")
    phone.wait_for_selector("#outcome")
    outcome = phone.locator("#outcome").bounding_box()
    box = phone.locator("#source").bounding_box()
    assert 0 <= outcome["y"] and outcome["y"] + outcome["height"] <= 800, outcome  # in view on load
    assert outcome["y"] + outcome["height"] <= box["y"]  # above the text box
    assert phone.locator("#outcome h2").inner_text() == "Chưa xuất bản: 2 lỗi"
    shot(phone, "editor-refused-publish-360")
    # A line in the summary selects that line in the text box.
    phone.locator("#outcome a[data-line='4']").click()
    selected = phone.evaluate("(() => { const s = document.getElementById('source');"
                              " return [document.activeElement.id, s.value.slice(s.selectionStart, s.selectionEnd)]; })()")
    assert selected == ["source", "- Số hiệu: 05-CT/tw"]


def test_the_contents_numbers_sit_on_the_first_line_of_wrapped_items(live_server, phone, make_user, publish_file):
    lesson = publish_file()
    member = make_user()
    sign_in(phone, live_server, member.phone, PASSWORD)
    phone.goto(f"{live_server}/lessons/{lesson.slug}")
    lines = phone.evaluate("""[...document.querySelectorAll('.toc li')].map(li => {
      const link = li.querySelector('a');
      // A zero-width mark at the very start of the item sits on the line that carries the number.
      const mark = document.createElement('span'); li.prepend(mark);
      const numberLine = mark.getBoundingClientRect(); mark.remove();
      const first = document.createRange(); first.setStart(link.firstChild, 0); first.setEnd(link.firstChild, 1);
      const textLine = first.getBoundingClientRect();
      const rects = [...link.getClientRects()];
      return {wrapped: link.getBoundingClientRect().height > 1.5 * textLine.height,
              numberOnFirstLine: Math.abs(numberLine.bottom - textLine.bottom) < 4,
              lefts: rects.map(r => Math.round(r.left)), textLeft: Math.round(textLine.left)}; })""")
    wrapped = [line for line in lines if line["wrapped"]]
    assert wrapped, "the 360 px contents should have wrapped items to check"
    for line in wrapped:
        assert line["numberOnFirstLine"], line
        assert set(line["lefts"]) == {line["textLeft"]}, line  # every line starts under the text
    shot(phone, "lesson-contents-360")


def test_the_editor_and_the_header_share_one_width_at_1280(browser, live_server, make_user, publish_file):
    lesson = publish_file("05-ct-tw-2016.md")
    editor = make_user(role="editor")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, editor.phone, PASSWORD)
        page.goto(f"{live_server}/edit/{lesson.id}")
        edges = page.evaluate("""['.bar', '.menu', 'main'].map(s => {
          const e = document.querySelector(s), r = e.getBoundingClientRect(), c = getComputedStyle(e);
          return [Math.round(r.left + parseFloat(c.paddingLeft)), Math.round(r.right - parseFloat(c.paddingRight))]; })""")
        assert edges[0] == edges[1] == edges[2], edges
        assert edges[2][1] - edges[2][0] > 1000  # the editor does use the wide screen
        shot(page, "editor-1280")
    finally:
        context.close()


def test_campaign_days_are_typed_as_the_page_says_in_an_english_chromium(browser, live_server, make_user, publish_file):
    publish_file()
    editor = make_user(role="editor")
    context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, live_server, editor.phone, PASSWORD)
        page.goto(f"{live_server}/campaigns/new")
        assert page.get_attribute("#closes_on", "placeholder") == "dd/mm/yyyy"
        assert page.evaluate("document.getElementById('closes_on').type") == "text"  # no mm/dd/yyyy picker
        # The pattern is one the browser accepts (an invalid one would be ignored).
        page.fill("#closes_on", "15/05")
        assert page.evaluate("document.getElementById('closes_on').validity.patternMismatch")
        page.fill("#closes_on", "15/05/2031")
        assert not page.evaluate("document.getElementById('closes_on').validity.patternMismatch")
        page.fill("#title", "Đợt học thử")
        page.locator("input[name=lessons]").first.check()
        page.locator("input[name=units]").first.check()
        shot(page, "campaign-new-360-en-US")
        page.click("button.primary")
        assert "15/05/2031" in page.locator(".facts").inner_text()
        assert no_horizontal_scroll(page)
    finally:
        context.close()


def test_an_admins_menu_is_one_row_at_360_and_at_1280(browser, live_server, make_user):
    """An admin holds every role: the bar keeps three of their links on a wide
    screen and folds the rest (all of them on a phone) into "More"."""
    admin = make_user(role="admin")
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
        page = context.new_page()
        try:
            sign_in(page, live_server, admin.phone, PASSWORD)
            controls = page.evaluate(VISIBLE_MENU_CONTROLS)
            assert max(c["top"] for c in controls) - min(c["top"] for c in controls) < 1, controls
            assert len(controls) == (2 if width == 360 else 5), controls
            assert all(c["height"] >= 44 for c in controls), controls
            page.click(".menu summary")
            opened = [c["text"] for c in page.evaluate(VISIBLE_MENU_CONTROLS)]
            assert "Nhật ký thao tác" in opened and "Đăng xuất" in opened
            assert ("Theo dõi" in opened[opened.index("Thêm"):]) == (width == 360)  # not twice on a wide screen
        finally:
            context.close()
