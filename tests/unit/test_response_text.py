"""Each question kind says how a stored response reads to a reviewer (the
member's page shows answers through it, never by branching on the kind)."""
import pytest

from learning.lessons.authoring import KINDS

CHOICES = {"choices": [{"key": "a", "text": "Đổi mới", "correct": True},
                       {"key": "b", "text": "Giữ nguyên", "correct": False},
                       {"key": "c", "text": "Chuyển đổi số", "correct": True}]}

# kind → (data, stored response, what a reviewer reads). A new kind must add its line.
SAMPLES = {
    "single": (CHOICES, "b", "b. Giữ nguyên"),
    "multiple": (CHOICES, ["c", "a"], "a. Đổi mới; c. Chuyển đổi số"),
    "true_false": ({"answer": True}, False, "False"),
    "short_text": ({"answers": ["57"]}, "57-NQ/TW", "57-NQ/TW"),
    "reflection": ({"min_words": 0, "max_words": None}, "Chi bộ sẽ số hoá sổ sách.", "Chi bộ sẽ số hoá sổ sách."),
}


def test_every_kind_has_a_sample():
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_a_response_reads_as_text_and_no_response_as_nothing(code):
    data, response, text = SAMPLES[code]
    assert KINDS[code].response_text(data, response) == text
    assert KINDS[code].response_text(data, None) == ""
