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
