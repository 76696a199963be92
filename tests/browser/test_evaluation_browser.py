"""A cell's secretary decides the year's levels on a 360 px phone, without
JavaScript: the cell's results, a member's criterion, another level with a
reason, every other suggestion confirmed at once; the printed sheet fits too."""
from learning.core import db
from learning.evaluation.compute import compute
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import PASSWORD

TARGETS = """[...document.querySelectorAll('label.choice, button[type=submit]')]
  .filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().height)"""


def test_a_secretary_decides_the_cells_levels_on_a_phone_without_javascript(browser, live_server, year, tree):
    period = year["period"]
    compute(period)
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    phone = context.new_page()
    sign_in(phone, live_server, year["secretary"].phone, PASSWORD)
    phone.goto(f"{live_server}/evaluation/periods/{period.id}/units/{tree['cell_a'].id}")
    assert no_horizontal_scroll(phone)
    shot(phone, "evaluation-cell-360")
    phone.click("a.member-name >> text=Lê Thị Bình")
    assert no_horizontal_scroll(phone)
    assert min(phone.evaluate(TARGETS)) >= 44
    phone.check("input[name=level][value=good]")
    phone.click("button:has-text('Lưu quyết định')")
    assert phone.locator(".error").inner_text().startswith("Hãy ghi lý do")  # another level needs a reason
    assert phone.is_checked("input[name=level][value=good]")  # the choice is kept
    phone.fill("textarea[name=reason]", "Phụ trách đoàn thanh niên thôn")
    phone.click("button:has-text('Lưu quyết định')")
    assert "Quyết định: Hoàn thành tốt nhiệm vụ" in phone.locator("main").inner_text()
    shot(phone, "evaluation-member-360")
    phone.goto(f"{live_server}/evaluation/periods/{period.id}/units/{tree['cell_a'].id}")
    phone.click("button:has-text('Xác nhận mọi mức đề xuất')")
    assert "Đã xác nhận 2 mức đề xuất" in phone.locator(".flash").first.inner_text()
    phone.goto(f"{live_server}/evaluation/periods/{period.id}/units/{tree['cell_a'].id}/print")
    assert no_horizontal_scroll(phone)
    shot(phone, "evaluation-print-360")
    context.close()
