"""The evaluation's rules and arithmetic (learning.evaluation), pure: no
database, no request."""
import pytest
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
