"""A campaign's phase on a given day: both dates count as open."""
from datetime import date

import pytest

from learning.models import Campaign


@pytest.mark.parametrize("today, phase", [
    (date(2026, 2, 28), "upcoming"),
    (date(2026, 3, 1), "open"),
    (date(2026, 3, 31), "open"),
    (date(2026, 4, 1), "closed"),
])
def test_phase_counts_both_dates_as_open(today, phase):
    campaign = Campaign(title="Học tập Nghị quyết 57", opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31))
    assert campaign.phase(today) == phase
