"""A reviewer's member page and campaign edit page on a 360 px phone and at
1280 px: nothing wider than the screen, every control a large target, and
the grant forms open without a script."""
from datetime import timedelta

from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from tests.browser.conftest import SCREENSHOTS, no_horizontal_scroll, shot, sign_in
from tests.conftest import PASSWORD

# The visible controls of the main column, with their size.
CONTROLS = """[...document.querySelectorAll('main a, main button, main summary, main input, main textarea')]
  .filter(e => e.checkVisibility() && e.type !== 'hidden')
  .map(e => { const r = e.getBoundingClientRect(); return {text: (e.textContent || e.name).trim().slice(0, 40),
              tag: e.tagName, height: r.height, width: r.width}; })"""


def _screens(page, name: str, count: int = 4) -> None:
    """Screen-sized shots down a long page, as a person scrolls it."""
    shot(page, name)
    for number in range(count):
        page.evaluate(f"window.scrollTo(0, {number} * window.innerHeight)")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{number + 1}.png"))


def _scenario(make_user, publish_file, tree):
    lesson = publish_file("57-nq-tw-2024.md")
    other = publish_file("66-nq-tw-2025.md")
    reviewer = make_user(role="reviewer", unit=tree["grassroots"], name="Bí Thư Xã", phone="0988000001")
    member = make_user(name="Nguyễn Thị Phương Thảo", phone="0988000002", party_card_number="093000123456")
    today = vietnam_today()
    campaign = campaigns.create_campaign(reviewer, CampaignInput(
        "Học tập Nghị quyết 57 và 66", "Quý IV", today - timedelta(days=5), today + timedelta(days=20),
        [lesson.id, other.id], [tree["cell_a"].id]))
    db.session.commit()
    return reviewer, member, lesson, campaign


def _take_quiz(page, base, member, lesson):
    sign_in(page, base, member.phone, PASSWORD)
    page.goto(f"{base}/lessons/{lesson.slug}")
    page.click("form[action$='/quiz'] button[type=submit]")
    page.fill("textarea", "Chi bộ chúng tôi sẽ số hoá sổ sách, họp trực tuyến khi cần và đưa nội dung "
                          "Nghị quyết vào sinh hoạt chi bộ hằng tháng. " * 6)
    page.click("button[value=submit]")
    page.click("#submit-anyway")
    # The result's score, however the page got there: under load, the quiz
    # script's own navigation may supersede the form's, and waiting for the
    # URL then failed on the aborted one.
    page.locator(".score").wait_for(timeout=20000)
    assert page.url.endswith("/result")
    page.context.clear_cookies()


def test_the_member_page_and_the_campaign_edit_page_fit_a_phone(live_server, phone, browser, make_user,
                                                                 publish_file, tree):
    reviewer, member, lesson, campaign = _scenario(make_user, publish_file, tree)
    _take_quiz(phone, live_server, member, lesson)
    sign_in(phone, live_server, reviewer.phone, PASSWORD)
    phone.goto(f"{live_server}/review/members/?q=thao")
    assert phone.locator(".card-title").all_inner_texts() == ["Nguyễn Thị Phương Thảo"]
    shot(phone, "members-360")
    phone.click(".card a")
    phone.click(".attempt summary")
    phone.click(".grant summary >> nth=0")
    assert no_horizontal_scroll(phone)
    small = [c for c in phone.evaluate(CONTROLS) if c["tag"] != "A" and c["height"] < 44]
    assert not small, small
    _screens(phone, "member-360", 5)
    # A refused form comes back open with its message, without a script.
    phone.click(f"#lesson-{lesson.id} .grant >> nth=0 >> button[type=submit]")
    assert phone.locator(f"#extra-reason-{lesson.id}-error").is_visible()
    phone.goto(f"{live_server}/campaigns/{campaign.id}/edit")
    assert no_horizontal_scroll(phone)
    _screens(phone, "campaign-edit-360", 3)

    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN").new_page()
    sign_in(desktop, live_server, reviewer.phone, PASSWORD)
    desktop.goto(f"{live_server}/review/members/{member.id}")
    desktop.click(".attempt summary")
    assert no_horizontal_scroll(desktop)
    _screens(desktop, "member-1280", 3)
    desktop.goto(f"{live_server}/campaigns/{campaign.id}/edit")
    _screens(desktop, "campaign-edit-1280", 2)
    desktop.context.close()
