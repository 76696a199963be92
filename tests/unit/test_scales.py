"""Grading scales, pure: each kind's validation, what the grading form may
send, and the arithmetic (points, percent rounded half up to two decimals,
the pass boundary)."""
import pytest

from learning.review.scales import (
    DEFAULT_KIND,
    MAX_CRITERIA,
    MAX_LEVELS,
    SCALES,
    ChoiceInvalid,
    PassFail,
    Points,
    RegistryError,
    Rubric,
    check_registry,
    content_hash,
    percent_of,
)

RUBRIC = {"criteria": [
    {"name": "Liên hệ", "levels": [{"name": "Chưa đạt", "points": 0}, {"name": "Đạt", "points": 3},
                                   {"name": "Tốt", "points": 5}]},
    {"name": "Trình bày", "levels": [{"name": "Chưa rõ", "points": 0}, {"name": "Rõ", "points": 2}]},
], "pass_points": 4}


def fields(values: dict):
    return values.get


# -- the registry ------------------------------------------------------------------

def test_the_registry_has_each_kind_once_and_the_default_takes_no_settings():
    assert set(SCALES) == {"pass_fail", "points", "rubric"}
    assert DEFAULT_KIND == "pass_fail" and SCALES[DEFAULT_KIND].validate({}) == {}


def test_a_registry_with_two_kinds_of_one_code_or_without_the_default_is_refused():
    with pytest.raises(RegistryError, match="share"):
        check_registry([PassFail(), PassFail()])
    with pytest.raises(RegistryError, match="default"):
        check_registry([Points(), Rubric()])

    class Nameless(Points):
        code = ""
    with pytest.raises(RegistryError, match="no code"):
        check_registry([PassFail(), Nameless()])


def test_the_content_hash_ignores_key_order_and_sees_every_change():
    shuffled = {"pass_points": 4, "criteria": RUBRIC["criteria"]}
    assert content_hash("rubric", RUBRIC) == content_hash("rubric", shuffled)
    changed = {**RUBRIC, "pass_points": 5}
    assert content_hash("rubric", RUBRIC) != content_hash("rubric", changed)
    assert content_hash("points", {}) != content_hash("pass_fail", {})


# -- arithmetic ----------------------------------------------------------------------

@pytest.mark.parametrize(("points", "maximum", "percent"), [
    (0, 10, 0.0), (10, 10, 100.0), (1, 3, 33.33), (2, 3, 66.67), (1, 8, 12.5),
    (1, 32, 3.13),  # 3.125: a half rounds up (round() would give 3.12)
    (1, 6, 16.67), (5, 7, 71.43), (1, 1000, 0.1), (999, 1000, 99.9),
])
def test_percent_is_exact_with_halves_rounded_up(points, maximum, percent):
    assert percent_of(points, maximum) == percent


def test_pass_fail():
    scale = SCALES["pass_fail"]
    passed, failed = scale.grade({}, [1]), scale.grade({}, [0])
    assert (passed.points, passed.max_points, passed.percent, passed.passed) == (1, 1, 100.0, True)
    assert (failed.points, failed.percent, failed.passed) == (0, 0.0, False)
    assert scale.validate({"x": 1})


def test_points_pass_from_the_pass_mark_exactly():
    scale, definition = SCALES["points"], {"max_points": 20, "pass_points": 10}
    assert scale.grade(definition, [10]).passed and not scale.grade(definition, [9]).passed
    assert scale.grade(definition, [20]).percent == 100.0 and scale.grade(definition, [7]).percent == 35.0
    assert scale.grade({"max_points": 3, "pass_points": 0}, [0]).passed  # nothing needed to pass


@pytest.mark.parametrize(("definition", "field"), [
    ({"max_points": 0, "pass_points": 0}, "max_points"),
    ({"max_points": 1001, "pass_points": 0}, "max_points"),
    ({"max_points": 10, "pass_points": 11}, "pass_points"),
    ({"max_points": 10, "pass_points": -1}, "pass_points"),
    ({"max_points": 10.0, "pass_points": 5}, "max_points"),
    ({"max_points": True, "pass_points": 0}, "max_points"),
    ({"max_points": 10}, "kind"),
])
def test_points_validation(definition, field):
    assert field in SCALES["points"].validate(definition)


def test_rubric_sums_the_levels_chosen_against_the_best_levels():
    scale = SCALES["rubric"]
    assert scale.validate(RUBRIC) == {}
    outcome = scale.grade(RUBRIC, [1, 1])  # 3 + 2 of 5 + 2
    assert (outcome.points, outcome.max_points, outcome.percent, outcome.passed) == (5, 7, 71.43, True)
    assert scale.grade(RUBRIC, [2, 0]).passed  # 5 >= 4
    assert not scale.grade(RUBRIC, [1, 0]).passed  # 3 < 4: one below the boundary
    assert scale.grade(RUBRIC, [0, 0]).percent == 0.0
    assert scale.given(RUBRIC, [2, 1]) == [("Liên hệ", "Tốt", 5, 5), ("Trình bày", "Rõ", 2, 2)]
    assert scale.given(RUBRIC, [0, 1])[0] == ("Liên hệ", "Chưa đạt", 0, 5)  # a level worth nothing is still named
    assert scale.itemised and not SCALES["pass_fail"].itemised and not SCALES["points"].itemised


def _rubric(**changes):
    definition = {"criteria": [dict(c, levels=[dict(lv) for lv in c["levels"]]) for c in RUBRIC["criteria"]],
                  "pass_points": RUBRIC["pass_points"]}
    for change in changes.values():
        change(definition)
    return definition


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.update(criteria=[]), "criteria"),
    (lambda d: d.update(criteria=d["criteria"] * (MAX_CRITERIA // 2 + 1)), "criteria"),
    (lambda d: d["criteria"][1].update(name="  "), "criteria.1.name"),
    (lambda d: d["criteria"][1].update(name="liên hệ"), "criteria.1.name"),  # the same name, another case
    (lambda d: d["criteria"][0].update(levels=d["criteria"][0]["levels"][:1]), "criteria.0.levels"),
    (lambda d: d["criteria"][0].update(levels=[{"name": f"m{i}", "points": i} for i in range(MAX_LEVELS + 1)]),
     "criteria.0.levels"),
    (lambda d: d["criteria"][0]["levels"][1].update(name=""), "criteria.0.levels.1.name"),
    (lambda d: d["criteria"][0]["levels"][2].update(name="đạt"), "criteria.0.levels.2.name"),
    (lambda d: d["criteria"][0]["levels"][1].update(points=101), "criteria.0.levels.1.points"),
    (lambda d: d["criteria"][0]["levels"][1].update(points=-1), "criteria.0.levels.1.points"),
    (lambda d: d["criteria"][0]["levels"][1].update(points=2.5), "criteria.0.levels.1.points"),
    (lambda d: [lv.update(points=0) for lv in d["criteria"][1]["levels"]], "criteria.1.levels"),
    (lambda d: d.update(pass_points=8), "pass_points"),  # above the best total, 7
    (lambda d: d.pop("pass_points"), "kind"),
])
def test_rubric_validation_names_the_field(change, field):
    assert field in SCALES["rubric"].validate(_rubric(c=change))


def test_the_best_total_is_a_valid_pass_mark():
    assert SCALES["rubric"].validate(_rubric(c=lambda d: d.update(pass_points=7))) == {}


# -- the grading form ----------------------------------------------------------------

def test_read_choice_takes_one_level_per_criterion():
    scale = SCALES["rubric"]
    assert scale.read_choice(RUBRIC, ["2", "0"]) == [2, 0]
    for values, field in ((["3", "0"], "c0"), (["1"], "c1"), (["1", ""], "c1"), (["-1", "0"], "c0"),
                          (["١", "0"], "c0"), (["1.0", "0"], "c0"), ([None, None], "c0")):
        with pytest.raises(ChoiceInvalid) as refused:
            scale.read_choice(RUBRIC, values)
        assert refused.value.field == field, values


def test_read_choice_takes_points_within_the_maximum():
    scale, definition = SCALES["points"], {"max_points": 20, "pass_points": 10}
    assert scale.read_choice(definition, ["0"]) == [0] and scale.read_choice(definition, [" 20 "]) == [20]
    for value in ("21", "-1", "x", "", "²", "9" * 50):
        with pytest.raises(ChoiceInvalid):
            scale.read_choice(definition, [value])


# -- the editor's form ----------------------------------------------------------------

def test_the_rubric_form_drops_blank_rows_and_numbers_the_rest_afresh():
    form = {"criteria.0.name": "", "criteria.1.name": "Nội dung",
            "criteria.1.levels.0.name": "Yếu", "criteria.1.levels.0.points": "0",
            "criteria.1.levels.3.name": "Tốt", "criteria.1.levels.3.points": "4", "pass_points": "2"}
    draft, definition, problems = SCALES["rubric"].read_draft(fields(form))
    assert problems == {}
    assert definition == {"criteria": [{"name": "Nội dung", "levels": [{"name": "Yếu", "points": 0},
                                                                       {"name": "Tốt", "points": 4}]}],
                          "pass_points": 2}
    assert draft["criteria"][0]["levels"][1] == {"name": "Tốt", "points": "4"}


def test_the_rubric_form_keeps_what_was_typed_and_names_each_field():
    form = {"criteria.0.name": "Nội dung", "criteria.0.levels.0.name": "Yếu", "criteria.0.levels.0.points": "không",
            "criteria.0.levels.1.name": "", "criteria.0.levels.1.points": "3", "pass_points": ""}
    draft, _definition, problems = SCALES["rubric"].read_draft(fields(form))
    assert set(problems) >= {"criteria.0.levels.0.points", "criteria.0.levels.1.name", "pass_points"}
    assert draft["criteria"][0]["levels"][0]["points"] == "không"


def test_the_points_form():
    scale = SCALES["points"]
    _draft, definition, problems = scale.read_draft(fields({"max_points": "10", "pass_points": "5"}))
    assert (definition, problems) == ({"max_points": 10, "pass_points": 5}, {})
    _draft, _definition, problems = scale.read_draft(fields({"max_points": "10", "pass_points": "11"}))
    assert set(problems) == {"pass_points"}
    _draft, _definition, problems = scale.read_draft(fields({"max_points": "abc", "pass_points": "1"}))
    assert "max_points" in problems


def test_a_draft_shows_a_definition_as_its_form_does():
    draft = SCALES["rubric"].draft(RUBRIC)
    assert draft["pass_points"] == "4" and draft["criteria"][0]["levels"][2] == {"name": "Tốt", "points": "5"}
    again = {"pass_points": "4"}
    for i, criterion in enumerate(draft["criteria"]):
        again[f"criteria.{i}.name"] = criterion["name"]
        for j, level in enumerate(criterion["levels"]):
            again[f"criteria.{i}.levels.{j}.name"] = level["name"]
            again[f"criteria.{i}.levels.{j}.points"] = level["points"]
    assert SCALES["rubric"].read_draft(fields(again))[1] == RUBRIC


# -- what each kind says and shows -------------------------------------------------------
# Outside a request the messages are the English source texts (flask_babel
# without an app): the tests read them for the numbers and names they give.

POINTS = {"max_points": 20, "pass_points": 10}


def _criteria(count: int) -> list[dict]:
    return [{"name": f"Tiêu chí {i}", "levels": [{"name": "Chưa đạt", "points": 0}, {"name": "Đạt", "points": 1}]}
            for i in range(count)]


def test_a_refused_choice_names_the_criterion_and_the_bound():
    with pytest.raises(ChoiceInvalid) as refused:
        SCALES["rubric"].read_choice(RUBRIC, ["1", "2"])
    assert (refused.value.field, str(refused.value.message)) == ("c1", "Trình bày: choose one level.")
    assert str(refused.value) == "Trình bày: choose one level."
    with pytest.raises(ChoiceInvalid) as refused:
        SCALES["points"].read_choice(POINTS, ["21"])
    assert refused.value.field == "c0"
    assert str(refused.value.message) == str(refused.value) == "Points: give a whole number of points from 0 to 20."


def test_a_choice_has_at_most_six_digits():
    definition = {"max_points": 1000, "pass_points": 0}
    assert SCALES["points"].read_choice(definition, ["001000"]) == [1000]
    with pytest.raises(ChoiceInvalid):
        SCALES["points"].read_choice(definition, ["0001000"])


def test_a_grade_needs_one_value_per_criterion():
    with pytest.raises(ValueError):
        SCALES["rubric"].grade(RUBRIC, [1])
    with pytest.raises(ValueError):
        SCALES["rubric"].grade(RUBRIC, [1, 1, 1])


def test_a_kind_with_several_criteria_of_points_adds_them_up():
    from learning.review.scales import Criterion, ScaleKind

    class TwoParts(ScaleKind):
        code, label, template = "two_parts", "Two parts", "points"

        def criteria(self, definition):
            return [Criterion("Nội dung", (), 10), Criterion("Trình bày", (), 5)]

    outcome = TwoParts().grade({"pass_points": 9}, [6, 4])
    assert (outcome.points, outcome.max_points, outcome.percent, outcome.passed) == (10, 15, 66.67, True)
    assert TwoParts().given({}, [6, 4]) == [("Nội dung", None, 6, 10), ("Trình bày", None, 4, 5)]


def test_what_each_kind_gave_per_criterion():
    assert SCALES["points"].given(POINTS, [7]) == [("Points", None, 7, 20)]
    assert SCALES["pass_fail"].given({}, [1]) == [("Verdict", "Passed", 1, 1)]
    assert SCALES["pass_fail"].given({}, [0]) == [("Verdict", "Not passed", 0, 1)]


def test_the_audit_log_lines_of_a_scale_and_of_a_grade():
    assert SCALES["rubric"].summary(RUBRIC) == (
        "Liên hệ: Chưa đạt (0), Đạt (3), Tốt (5); Trình bày: Chưa rõ (0), Rõ (2); pass from 4 points")
    assert SCALES["points"].summary(POINTS) == "Points: 0–20; pass from 10 points"
    assert SCALES["pass_fail"].summary({}) == "Verdict: Not passed (0), Passed (1)"
    assert SCALES["rubric"].chosen(RUBRIC, [2, 0]) == "Liên hệ: Tốt; Trình bày: Chưa rõ"
    assert SCALES["points"].chosen(POINTS, [7]) == "Points: 7"
    assert SCALES["pass_fail"].chosen({}, [1]) == "Verdict: Passed"


def test_a_pass_fail_scale_with_settings_says_it_has_none():
    assert SCALES["pass_fail"].validate({"x": 1}) == {"kind": "A pass / not pass scale has no settings."}


def test_the_points_scale_bounds_and_messages():
    scale = SCALES["points"]
    assert scale.validate({"max_points": 1, "pass_points": 0}) == {}
    assert scale.validate({"max_points": 1, "pass_points": 1}) == {}
    assert scale.validate({"max_points": 1000, "pass_points": 1000}) == {}
    assert scale.validate({"max_points": 0, "pass_points": 0}) == {
        "max_points": "Maximum points: a whole number from 1 to 1000."}
    assert scale.validate({"max_points": 10, "pass_points": 11}) == {
        "pass_points": "Points to pass: a whole number from 0 to the maximum."}
    assert scale.validate({"max_points": 10}) == {"kind": "A points scale has a maximum and the points to pass."}


def test_the_points_form_bounds_and_messages():
    scale = SCALES["points"]
    _draft, definition, problems = scale.read_draft(fields({"max_points": "1", "pass_points": "0"}))
    assert (definition, problems) == ({"max_points": 1, "pass_points": 0}, {})
    _draft, _definition, problems = scale.read_draft(fields({"max_points": "1001", "pass_points": "x"}))
    assert problems == {"max_points": "Maximum points: a whole number from 1 to 1000.",
                        "pass_points": "Points to pass: a whole number from 0 to the maximum."}
    _draft, _definition, problems = scale.read_draft(fields({"max_points": "10", "pass_points": "11"}))
    assert problems == {"pass_points": "Points to pass: a whole number from 0 to the maximum."}


def test_an_empty_definition_gives_an_empty_form():
    assert SCALES["points"].draft({}) == {"max_points": "", "pass_points": ""}
    assert SCALES["rubric"].draft({}) == {"pass_points": "", "criteria": []}
    assert SCALES["points"].draft(POINTS) == {"max_points": "20", "pass_points": "10"}


def test_the_rubric_form_reads_fifteen_rows_of_criteria_and_eleven_of_levels():
    form = {"pass_points": "0"}
    for i in (0, 14, 15):
        form[f"criteria.{i}.name"] = f"Tiêu chí {i}"
        for j in (0, 10, 11):
            form[f"criteria.{i}.levels.{j}.name"] = f"Mức {j}"
            form[f"criteria.{i}.levels.{j}.points"] = str(j)
    draft, definition, problems = SCALES["rubric"].read_draft(fields(form))
    assert [c["name"] for c in draft["criteria"]] == ["Tiêu chí 0", "Tiêu chí 14"]
    assert [lv["name"] for lv in draft["criteria"][0]["levels"]] == ["Mức 0", "Mức 10"]
    assert problems == {} and definition["pass_points"] == 0


def test_the_rubric_form_keeps_a_criterion_with_a_name_only_or_levels_only():
    form = {"criteria.0.name": "Nội dung", "criteria.1.levels.0.name": "Yếu", "criteria.1.levels.0.points": "0",
            "criteria.1.levels.1.name": "Tốt", "criteria.1.levels.1.points": "2", "pass_points": "1"}
    draft, _definition, problems = SCALES["rubric"].read_draft(fields(form))
    assert len(draft["criteria"]) == 2
    assert problems == {"criteria.0.levels": "Give from 2 to 6 levels.",
                        "criteria.1.name": "Name the criterion (at most 120 characters)."}


def test_a_mistyped_number_is_one_message_and_reads_as_zero():
    form = {"criteria.0.name": "Nội dung", "criteria.0.levels.0.name": "Yếu", "criteria.0.levels.0.points": "0",
            "criteria.0.levels.1.name": "Tốt", "criteria.0.levels.1.points": "hai", "pass_points": "một"}
    _draft, definition, problems = SCALES["rubric"].read_draft(fields(form))
    # not also "at least one level must be worth points": that follows from the mistyped number
    assert problems == {"criteria.0.levels.1.points": "Points: a whole number from 0 to 100.",
                        "pass_points": "Points to pass: a whole number from 0 to the total of the best levels."}
    assert definition == {"criteria": [{"name": "Nội dung", "levels": [{"name": "Yếu", "points": 0},
                                                                       {"name": "Tốt", "points": 0}]}],
                          "pass_points": 0}


def test_the_rubric_bounds_are_allowed():
    rubric = SCALES["rubric"]
    assert rubric.validate({"criteria": _criteria(MAX_CRITERIA), "pass_points": 0}) == {}
    six = [{"name": f"Mức {i}", "points": i} for i in range(MAX_LEVELS)]
    assert rubric.validate({"criteria": [{"name": "N" * 120, "levels": six}], "pass_points": 5}) == {}
    long_level = [{"name": "M" * 120, "points": 0}, {"name": "Tốt", "points": 100}]
    assert rubric.validate({"criteria": [{"name": "Nội dung", "levels": long_level}], "pass_points": 100}) == {}
    assert rubric.validate({"criteria": [{"name": "N" * 121, "levels": long_level}], "pass_points": 0}) == {
        "criteria.0.name": "Name the criterion (at most 120 characters)."}


def test_the_rubric_messages_give_the_bounds():
    rubric = SCALES["rubric"]
    assert rubric.validate({"criteria": "x", "pass_points": 0}) == {
        "kind": "A rubric has criteria and the points to pass."}
    assert rubric.validate({"criteria": [], "pass_points": 0}) == {"criteria": "Give from 1 to 10 criteria."}
    assert rubric.validate(_rubric(c=lambda d: d["criteria"][1].update(name="liên hệ"))) == {
        "criteria.1.name": "Two criteria have this name."}
    assert rubric.validate(_rubric(c=lambda d: d["criteria"][0]["levels"][2].update(name="đạt"))) == {
        "criteria.0.levels.2.name": "Two levels have this name."}
    assert rubric.validate(_rubric(c=lambda d: d["criteria"][0]["levels"][1].update(name=" "))) == {
        "criteria.0.levels.1.name": "Name the level (at most 120 characters)."}
    assert rubric.validate(_rubric(c=lambda d: d["criteria"][0]["levels"][1].update(points=101))) == {
        "criteria.0.levels.1.points": "Points: a whole number from 0 to 100."}
    assert rubric.validate(_rubric(c=lambda d: [lv.update(points=0) for lv in d["criteria"][1]["levels"]])) == {
        "criteria.1.levels": "At least one level must be worth points."}
    assert rubric.validate(_rubric(c=lambda d: d.update(pass_points=8))) == {
        "pass_points": "Points to pass: a whole number from 0 to 7 (the total of the best levels)."}


def test_every_malformed_criterion_and_level_is_named_not_only_the_first():
    good = RUBRIC["criteria"][0]
    definition = {"criteria": [{**good, "note": "x"}, {"name": "Hai", "levels": good["levels"][:1]},
                               {"name": " ", "levels": good["levels"]}], "pass_points": 0}
    assert SCALES["rubric"].validate(definition) == {
        "criteria.0.name": "A criterion has a name and levels.",
        "criteria.1.levels": "Give from 2 to 6 levels.",
        "criteria.2.name": "Name the criterion (at most 120 characters)."}
    levels = [{"name": "Yếu", "points": 0, "note": "x"}, {"name": "", "points": 1}, {"name": "Tốt", "points": "3"}]
    assert SCALES["rubric"].validate({"criteria": [{"name": "Một", "levels": levels}], "pass_points": 0}) == {
        "criteria.0.levels.0.name": "A level has a name and points.",
        "criteria.0.levels.1.name": "Name the level (at most 120 characters).",
        "criteria.0.levels.2.points": "Points: a whole number from 0 to 100."}


def test_a_registry_gives_each_kind_by_its_code_and_names_a_faulty_kind():
    pass_fail, points = PassFail(), Points()
    assert check_registry([pass_fail, points]) == {"pass_fail": pass_fail, "points": points}

    class Unlabelled(Points):
        code, label = "unlabelled", None
    with pytest.raises(RegistryError, match="scale kind Unlabelled has no code, label or template"):
        check_registry([PassFail(), Unlabelled()])
    with pytest.raises(RegistryError, match="scale kinds PassFail and PassFail share 'pass_fail'"):
        check_registry([PassFail(), PassFail()])

    class Strict(PassFail):
        def validate(self, definition):
            return {"kind": "no"}
    with pytest.raises(RegistryError, match="default"):
        check_registry([Strict()])
