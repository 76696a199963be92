"""The evaluation's rules and arithmetic (learning.evaluation), pure: no
database, no request."""
import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given
from hypothesis import strategies as st

from learning.evaluation.rules import (
    DEFAULT_RULES,
    TERMS,
    Evidence,
    Level,
    RegistryError,
    Term,
    check_registry,
    default_rules,
    summary,
    validate,
)
from learning.evaluation.scoring import evaluate, level_for, one_decimal, quota_check

RULES, _ = validate(DEFAULT_RULES)


def test_the_default_rules_are_valid_and_a_copy_each_time():
    rules, problems = validate(default_rules())
    assert problems == {} and rules == RULES
    copy = default_rules()
    copy["weights"]["completion"] = 0
    assert DEFAULT_RULES["weights"]["completion"] == 40


@pytest.mark.parametrize("change, field", [
    ({"weights": {"completion": 50}}, "weights"),  # adds up to 110
    ({"weights": {"completion": -1}}, "weights.completion"),
    ({"weights": {"completion": "bốn mươi"}}, "weights.completion"),
    ({"weights": {"completion": True}}, "weights.completion"),
    ({"weights": {"charisma": 10}}, "weights"),
    ({"bands": {"good": 95}}, "bands"),  # good above excellent
    ({"bands": {"excellent": None}}, "bands.excellent"),
    ({"bands": {"completed": 101}}, "bands.completed"),
    ({"quota": {"excellent_of_good": "hai mươi"}}, "quota.excellent_of_good"),
])
def test_a_bad_rule_is_refused_by_its_field(change, field):
    definition = default_rules()
    for key, values in change.items():
        definition[key].update(values)
    _rules, problems = validate(definition)
    assert field in problems and problems[field]


def test_numbers_typed_in_a_form_are_read_and_no_quota_is_allowed():
    definition = {"weights": {"completion": "60", "on_time": " 40 "}, "bands": {"excellent": "90", "good": "70",
                                                                                  "completed": "50"},
                  "quota": {"excellent_of_good": ""}}
    rules, problems = validate(definition)
    assert problems == {}
    assert rules["weights"] == {"completion": 60, "on_time": 40, "quiz_score": 0, "reflections": 0, "attendance": 0}
    assert rules["quota"] == {} and quota_check({Level.EXCELLENT: 9, Level.GOOD: 1}, rules).exceeded is False


def test_a_member_who_did_everything_is_excellent_and_the_explanation_adds_up():
    evidence = Evidence(assigned=4, completed=4, on_time=4, scored=4, score_sum=400, reflections_due=2,
                        reflections_passed=2)
    result = evaluate(evidence, RULES)
    assert (result.points, result.level, result.threshold) == (100.0, Level.EXCELLENT, 90)
    assert [p.term for p in result.parts] == ["completion", "on_time", "quiz_score", "reflections"]
    assert sum(p.points for p in result.parts) == 100
    assert result.left_out == []  # attendance weighs nothing: not "left out"


def test_the_bands_of_quy_dinh_366():
    bands = RULES["bands"]
    assert [level_for(p, bands)[0] for p in (90, 89.9, 70, 69.9, 50, 49.9, 0)] == [
        Level.EXCELLENT, Level.GOOD, Level.GOOD, Level.COMPLETED, Level.COMPLETED, Level.NOT_COMPLETED,
        Level.NOT_COMPLETED]


def test_a_term_with_nothing_to_rate_by_shares_its_weight_out():
    """No reflection asked for: completion, on time and scores share its 20
    points in proportion (40:20:20 of 80 → 50, 25, 25)."""
    evidence = Evidence(assigned=2, completed=2, on_time=1, scored=2, score_sum=160)
    result = evaluate(evidence, RULES)
    assert result.left_out == ["reflections"]
    assert {p.term: p.weight for p in result.parts} == {"completion": 50.0, "on_time": 25.0, "quiz_score": 25.0}
    assert result.points == one_decimal(50 + 12.5 + 20) == 82.5 and result.level == Level.GOOD


def test_a_lesson_never_scored_counts_as_zero_and_nothing_assigned_is_not_rated():
    half = evaluate(Evidence(assigned=2, completed=1, on_time=1, scored=1, score_sum=100), RULES)
    assert {p.term: p.share.value for p in half.parts}["quiz_score"] == 0.5
    nothing = evaluate(Evidence(), RULES)
    assert (nothing.points, nothing.level, nothing.rated) == (None, None, False)


def test_points_round_half_up_to_one_decimal():
    assert one_decimal(84.25) == 84.3 and one_decimal(89.94999) == 89.9 and one_decimal(0.05) == 0.1


@given(st.integers(0, 30), st.data())
def test_points_are_within_the_frame_and_more_done_never_rates_lower(assigned, data):
    completed = data.draw(st.integers(0, assigned))
    on_time = data.draw(st.integers(0, completed))
    score_sum = data.draw(st.floats(0, 100)) * completed
    evidence = Evidence(assigned=assigned, completed=completed, on_time=on_time, scored=completed,
                        score_sum=score_sum)
    result = evaluate(evidence, RULES)
    if not assigned:
        assert not result.rated
        return
    assert 0 <= result.points <= 100
    if on_time < completed:  # one more lesson on time can only help
        better = evaluate(Evidence(assigned=assigned, completed=completed, on_time=on_time + 1,
                                   scored=completed, score_sum=score_sum), RULES)
        assert better.points >= result.points


def test_the_quota_of_excellent_against_good_rounds_down():
    check = quota_check({Level.EXCELLENT: 3, Level.GOOD: 12, Level.COMPLETED: 5}, RULES)
    assert (check.allowed, check.exceeded) == (2, True)
    assert quota_check({Level.EXCELLENT: 2, Level.GOOD: 12}, RULES).exceeded is False
    assert quota_check({Level.EXCELLENT: 1}, RULES).exceeded is True  # no one good: none may be excellent


def test_the_terms_are_a_registry_checked_at_import():
    assert set(TERMS) == set(DEFAULT_RULES["weights"])

    class Twin(Term):
        code, label = "completion", "again"
    with pytest.raises(RegistryError):
        check_registry([*TERMS.values(), Twin()])


# -- each bound and each message (mutation testing found them unchecked) -------------

def _with(**parts):
    definition = default_rules()
    for key, values in parts.items():
        definition[key] = {**definition[key], **values} if isinstance(values, dict) else values
    return validate(definition)


def test_every_bound_of_the_rules_is_accepted_and_one_past_it_refused():
    assert _with(weights={"completion": 100, "on_time": 0, "quiz_score": 0, "reflections": 0})[1] == {}
    assert "weights.completion" in _with(weights={"completion": 101})[1]
    assert "weights.completion" in _with(weights={"completion": "12345"})[1]  # five digits, read as no number
    assert _with(weights={"completion": "0040"})[0]["weights"]["completion"] == 40  # four digits are read
    assert _with(bands={"completed": 0})[1] == {}
    assert _with(bands={"excellent": 100})[1] == {}
    assert "bands" in _with(bands={"good": 90})[1]  # a level needs more points than the one below, not as many
    for quota in (0, 100):
        assert _with(quota={"excellent_of_good": quota})[0]["quota"] == {"excellent_of_good": quota}
    assert "quota.excellent_of_good" in _with(quota={"excellent_of_good": 101})[1]


def test_parts_that_are_not_mappings_are_read_as_empty_not_crashed_on():
    assert "weights" in _with(weights=[40, 20])[1]  # no weight at all: they do not add up to 100
    assert "bands.excellent" in _with(bands=[90, 70, 50])[1]
    rules, problems = _with(quota=["20"])
    assert problems == {} and rules["quota"] == {}  # no quota


def test_the_messages_name_what_is_wrong():
    app = Flask(__name__)  # the messages are lazy strings, rendered in a request's language
    Babel(app)
    with app.test_request_context():
        assert "charisma" in _with(weights={"charisma": 10})[1]["weights"]
        assert "110" in _with(weights={"completion": 50})[1]["weights"]
        assert str(TERMS["completion"].label) in _with(weights={"completion": -1})[1]["weights.completion"]
        assert str(Level.GOOD.label) in _with(bands={"good": "bảy mươi"})[1]["bands.good"]
        assert _with(bands={"good": 95})[1]["bands"]
        assert _with(quota={"excellent_of_good": "hai mươi"})[1]["quota.excellent_of_good"]


def test_a_term_without_a_code_or_a_label_is_refused_by_the_registry():
    class Nameless(Term):
        code, label = "", "không tên"

    class Unlabelled(Term):
        code, label = "unlabelled", ""
    for term in (Nameless(), Unlabelled()):
        with pytest.raises(RegistryError):
            check_registry([term])
    assert check_registry(TERMS.values()) == TERMS  # each code to its own term


def test_only_weighted_terms_are_read_and_a_weight_of_one_counts():
    result = evaluate(Evidence(assigned=2, completed=2, on_time=2, scored=2, score_sum=200.0), RULES)
    assert result.left_out == ["reflections"]  # asked for none; attendance weighs nothing, so is not listed
    rules, _ = _with(weights={"completion": 99, "on_time": 1, "quiz_score": 0, "reflections": 0})
    parts = evaluate(Evidence(assigned=1, completed=1), rules).parts
    assert [(p.term, p.weight) for p in parts] == [("completion", 99.0), ("on_time", 1.0)]


def test_nothing_to_rate_by_lists_every_weighted_term_left_out():
    assert evaluate(Evidence(), RULES).left_out == ["completion", "on_time", "quiz_score", "reflections"]


def test_the_quota_counts_absent_levels_as_none_and_rounds_down_a_hundred():
    check = quota_check({Level.GOOD: 10}, RULES)
    assert (check.excellent, check.good, check.allowed) == (0, 10, 2)
    assert (quota_check({}, RULES).excellent, quota_check({}, RULES).good) == (0, 0)
    assert quota_check({Level.GOOD: 100}, RULES).allowed == 20
    unlimited = quota_check({Level.EXCELLENT: 3, Level.GOOD: 5}, {"quota": {}})
    assert (unlimited.excellent, unlimited.good, unlimited.allowed, unlimited.exceeded) == (3, 5, None, False)


def test_the_audit_logs_summary_names_each_weighted_term_band_and_the_quota_in_order():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        shuffled = {**RULES, "weights": dict(reversed(list(RULES["weights"].items())))}  # as JSONB may return it
        text = summary(shuffled)
        assert text == ("lessons completed 40, lessons completed on time 20, average quiz score 20, "
                        "reflections passed 20; Completed tasks excellently ≥ 90, Completed tasks well ≥ 70, "
                        "Completed tasks ≥ 50; excellent at most 20% of good")
        assert "attendance" not in text  # a weight of 0 is not named
        assert summary({**RULES, "quota": {}}).endswith("Completed tasks ≥ 50")


def test_a_weight_typed_as_letters_or_thousands_of_digits_is_refused_not_crashed_on():
    for typed in ("abc", "9" * 5000, "4O", "", " "):
        assert "weights.completion" in _with(weights={"completion": typed})[1], typed


def test_a_term_class_that_forgot_its_code_or_label_is_refused_by_the_registry():
    class NoCode(Term):
        label = "không mã"

    class NoLabel(Term):
        code = "no_label"
    for term in (NoCode(), NoLabel()):
        with pytest.raises(RegistryError):
            check_registry([term])
