"""Campaign dates are typed as dd/mm/yyyy, as the page shows and as its
messages ask: not a browser date picker that shows mm/dd/yyyy in English."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learning.core import db
from learning.core.clock import vietnam_today
from learning.models import Campaign


@pytest.fixture
def manager(make_user, login):
    return login(make_user(role="editor", phone="0944444445"))


def _field(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def _form(lesson, tree, opens_on, closes_on):
    return {"title": "Đợt học tháng Năm", "opens_on": opens_on, "closes_on": closes_on,
            "lessons": [str(lesson.id)], "units": [str(tree["grassroots"].id)]}


def test_the_date_fields_ask_for_dd_mm_yyyy_as_typed_text(client, manager):
    html = client.get("/campaigns/new").get_data(as_text=True)
    for name in ("opens_on", "closes_on"):
        field = _field(html, name)
        assert 'type="text"' in field and 'type="date"' not in field
        assert 'placeholder="dd/mm/yyyy"' in field and 'inputmode="numeric"' in field
        assert re.search(r'pattern="[^"]+"', field)
    # The opening date starts at today, written the way the field asks.
    assert f'value="{vietnam_today().strftime("%d/%m/%Y")}"' in _field(html, "opens_on")


def test_a_dd_mm_yyyy_entry_creates_the_campaign(client, manager, publish_file, tree):
    lesson = publish_file()
    opens = vietnam_today() + timedelta(days=1)
    closes = opens + timedelta(days=30)
    response = client.submit("/campaigns/new", _form(lesson, tree, opens.strftime("%d/%m/%Y"), closes.strftime("%d/%m/%Y")))
    assert response.status_code == 302
    campaign = db.session.scalars(select(Campaign)).one()
    assert (campaign.opens_on, campaign.closes_on) == (opens, closes)


@pytest.mark.parametrize("typed, meant", [
    ("5/6/2031", date(2031, 6, 5)),      # no leading zeros
    (" 05/06/2031 ", date(2031, 6, 5)),  # stray spaces
    ("05.06.2031", date(2031, 6, 5)),    # a phone's number pad may have no "/"
    ("05-06-2031", date(2031, 6, 5)),
    ("05062031", date(2031, 6, 5)),
    ("2031-06-05", date(2031, 6, 5)),    # ISO, as a date picker or a script sends it
])
def test_the_usual_ways_of_typing_a_day_are_understood(client, manager, publish_file, tree, typed, meant):
    lesson = publish_file()
    response = client.submit("/campaigns/new", _form(lesson, tree, "01/01/2031", typed))
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalars(select(Campaign)).one().closes_on == meant


@pytest.mark.parametrize("typed", ["31/02/2031", "06/05", "2031/06/05", "ngày mai", "05/06/31"])
def test_a_bad_date_is_refused_with_the_message_on_its_field(client, manager, publish_file, tree, typed):
    lesson = publish_file()
    response = client.submit("/campaigns/new", _form(lesson, tree, "01/01/2031", typed))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    field = _field(html, "closes_on")
    assert 'aria-invalid="true"' in field and 'aria-describedby="closes_on-error' in field
    assert f'value="{typed}"' in field  # what was typed stays, to be corrected
    error = re.search(r'<p class="error" id="closes_on-error">([^<]+)</p>', html).group(1)
    assert "dd/mm/yyyy" in error
    assert db.session.scalars(select(Campaign)).first() is None
