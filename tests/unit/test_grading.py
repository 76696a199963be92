"""Grading rules on plain data."""
import random
from dataclasses import dataclass, field

import pytest

from learning.lessons.authoring.text import word_count
from learning.study.grading import attempt_plan, counted_percent, grade_attempt


@dataclass
class Q:
    key: str
    kind: str
    points: int
    data: dict = field(default_factory=dict)


CHOICES = {"choices": [{"key": "a", "correct": False}, {"key": "b", "correct": True}, {"key": "c", "correct": False}]}
QUIZ = [
    Q("one", "single", 2, CHOICES),
    Q("many", "multiple", 1, {"choices": [{"key": "a", "correct": True}, {"key": "b", "correct": True},
                                          {"key": "c", "correct": False}]}),
    Q("tf", "true_false", 1, {"answer": False}),
    Q("short", "short_text", 1, {"answers": ["Hồ Chí Minh"], "ignore_diacritics": True}),
    Q("essay", "reflection", 10, {"min_words": 0, "max_words": None}),
]


def test_all_right_scores_full_marks_and_leaves_the_reflection_to_a_reviewer():
    grade = grade_attempt(QUIZ, {"one": "b", "many": ["a", "b"], "tf": False, "short": "ho chi  minh",
                                 "essay": "Bài viết"})
    assert (grade.score, grade.max_score, grade.percent) == (5.0, 5.0, 100.0)
    assert grade.per_question["essay"] is None
    assert grade.passed(100)


def test_unanswered_and_wrong_answers_earn_nothing():
    grade = grade_attempt(QUIZ, {"one": "a", "many": ["a"], "tf": None})
    assert grade.score == 0 and grade.percent == 0.0
    assert not grade.passed(1)


def test_partial_score_percent_and_pass_mark():
    grade = grade_attempt(QUIZ, {"one": "b", "tf": False})  # 3 of 5 points
    assert grade.percent == 60.0
    assert grade.passed(60) and not grade.passed(61)


def test_a_quiz_of_reflections_only_has_no_percent_and_passes():
    grade = grade_attempt([QUIZ[-1]], {"essay": "x"})
    assert grade.percent is None and grade.passed(100)


@pytest.mark.parametrize("rule, expected", [("highest", 90.0), ("last", 40.0), ("first", 50.0), ("average", 60.0)])
def test_which_attempt_counts(rule, expected):
    assert counted_percent(rule, [50.0, 90.0, 40.0]) == expected


def test_no_graded_attempt_counts_nothing():
    assert counted_percent("highest", [None]) is None


def test_plan_keeps_the_authors_order_unless_shuffling():
    plan = attempt_plan(QUIZ, False, False, random.Random(1))
    assert [p["key"] for p in plan] == ["one", "many", "tf", "short", "essay"]
    assert plan[0]["choices"] == ["a", "b", "c"]


def test_shuffled_plan_is_a_permutation():
    plans = [attempt_plan(QUIZ, True, True, random.Random(seed)) for seed in range(20)]
    assert all(sorted(p["key"] for p in plan) == sorted(q.key for q in QUIZ) for plan in plans)
    assert len({tuple(p["key"] for p in plan) for plan in plans}) > 1
    assert len({tuple(plan[0]["choices"]) for plan in plans if plan[0]["choices"]}) >= 1


def test_word_count():
    assert word_count("  Học tập   và làm theo\nBác ") == 6
    assert word_count(None) == 0


@pytest.mark.parametrize("rule", ["highest", "last", "first"])
def test_counting_one_attempt_at_a_time_agrees_with_counting_them_all(rule):
    from learning.study.grading import counted_after
    history = [50.0, 90.0, None, 40.0, 95.0]
    counted = None
    for index, new in enumerate(history):
        counted = counted_after(rule, counted, index, new)
        assert counted == counted_percent(rule, history[: index + 1]), (rule, index)


def test_average_needs_the_whole_history():
    from learning.study.grading import counted_after
    with pytest.raises(ValueError):
        counted_after("average", 50.0, 1, 70.0)


def test_a_reflection_before_other_questions_leaves_them_counted():
    """A reflection anywhere in the quiz (authors put it first too) skips only itself."""
    quiz = [QUIZ[-1], *QUIZ[:-1]]
    grade = grade_attempt(quiz, {"one": "b", "many": ["a", "b"], "tf": False, "short": "Hồ Chí Minh"})
    assert (grade.score, grade.max_score, grade.percent) == (5.0, 5.0, 100.0)
    assert grade.per_question == {"essay": None, "one": 2.0, "many": 1.0, "tf": 1.0, "short": 1.0}


def test_the_percent_is_rounded_to_two_decimals_and_each_questions_points_are_kept():
    quiz = [Q("one", "single", 1, CHOICES), Q("tf", "true_false", 2, {"answer": True})]
    grade = grade_attempt(quiz, {"one": "b", "tf": False})  # 1 of 3 points
    assert grade.percent == 33.33
    assert grade.per_question == {"one": 1.0, "tf": 0.0}
    two_of_three = grade_attempt(quiz, {"one": "a", "tf": True})
    assert (two_of_three.score, two_of_three.percent) == (2.0, 66.67)


def test_a_reflection_only_quiz_counts_nothing_under_any_rule():
    """No automatically graded question: no percent, so no score counts, and
    counting one attempt at a time agrees."""
    from learning.study.grading import counted_after
    percent = grade_attempt([QUIZ[-1]], {"essay": "Bài viết"}).percent
    for rule in ("highest", "last", "first", "average"):
        assert counted_percent(rule, [percent, percent]) is None, rule
    for rule in ("highest", "last", "first"):
        assert counted_after(rule, None, 0, percent) is None, rule
        assert counted_after(rule, None, 1, percent) is None, rule


def test_an_average_is_rounded_to_two_decimals():
    assert counted_percent("average", [100.0, 0.0, 0.0]) == 33.33
    assert counted_percent("average", [66.67, 66.67, 0.0]) == 44.45  # 44.4466…
