"""Which questions of an attempt are unanswered, on plain data."""
import pytest

from learning.lessons.authoring import KINDS
from learning.study.completeness import Unanswered, unanswered_questions

CHOICES = {"choices": [{"key": "a", "correct": True}, {"key": "b", "correct": False}]}
DATA = {
    "single": CHOICES,
    "multiple": CHOICES,
    "true_false": {"answer": False},
    "short_text": {"answers": ["60"], "ignore_diacritics": False},
    "reflection": {"min_words": 0, "max_words": None},
}
GIVEN = {"single": ["b"], "multiple": ["a", "b"], "true_false": ["false"], "short_text": ["60"],
         "reflection": ["Chi bộ họp trực tuyến."]}
# The attempt's order (shuffled), not the lesson's.
PLAN = [{"key": "tf", "choices": []}, {"key": "one", "choices": ["b", "a"]}, {"key": "essay", "choices": []}]


def test_nothing_saved_leaves_every_question_unanswered_numbered_as_the_page_shows_them():
    assert unanswered_questions(PLAN, {}) == [Unanswered(1, "tf"), Unanswered(2, "one"), Unanswered(3, "essay")]


def test_false_is_an_answer_and_none_is_not():
    responses = {"tf": False, "one": None, "essay": "Một ý kiến"}
    assert unanswered_questions(PLAN, responses) == [Unanswered(2, "one")]


def test_every_question_answered_leaves_none():
    assert unanswered_questions(PLAN, {"tf": True, "one": "a", "essay": "Một ý kiến"}) == []


def test_answers_to_questions_outside_the_plan_count_for_nothing():
    assert unanswered_questions(PLAN, {"other": "a", "tf": True}) == [Unanswered(2, "one"), Unanswered(3, "essay")]


# What a member sends for a question left alone (or tampered with), per kind.
NO_ANSWER = [(kind, values) for kind in sorted(KINDS) for values in (
    [[], [""], ["   "]] if kind in ("short_text", "reflection") else [[], [""], ["not-a-choice"]])]


@pytest.mark.parametrize("kind, values", NO_ANSWER)
def test_what_a_kind_reads_as_no_answer_is_unanswered(kind, values):
    """Responses are stored as the kind's read_response reads the form's (or
    the phone's) values: an empty text, no choice ticked."""
    response = KINDS[kind].read_response(DATA[kind], values)
    assert unanswered_questions([{"key": "q", "choices": []}], {"q": response}) == [Unanswered(1, "q")]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_what_a_kind_reads_as_an_answer_is_answered(kind):
    response = KINDS[kind].read_response(DATA[kind], GIVEN[kind])
    assert unanswered_questions([{"key": "q", "choices": []}], {"q": response}) == []
