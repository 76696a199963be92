"""Grading scales: how a reviewer grades a reflection, one class per kind.

Pure: plain data in and out, no database, no request. A scale's
`definition` is what a campaign manager sets (and what a Rubric row stores,
immutably, found by its content hash: review.rubrics); a reviewer's `choice`
is one whole number per criterion the scale shows: the level chosen (its
index), or the points given. Each kind:

- `draft(definition)` and `read_draft(fields)`: the editor's form (strings,
  as typed) to and from a definition, with a message per field at fault;
- `validate(definition)`: the problems of a definition, by field;
- `criteria(definition)`: what the grading page shows, one tap per criterion;
- `read_choice(definition, values)`: the grading form's values, checked;
- `grade(definition, choice)`: points, maximum, percent and passed;
- `given(definition, choice)`: what was given for each criterion (shown when `itemised`).

Field names are the form's own ("criteria.0.levels.1.points"), so the
editor shows each message beside its field. Adding a kind is adding a class
to SCALES; the registry is checked at import, and nothing else branches on
a kind (the templates ask the kind for its template)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

from flask_babel import lazy_gettext as _l

from learning.core.digest import content_digest

MAX_CRITERIA = 10
MIN_LEVELS, MAX_LEVELS = 2, 6
MAX_LEVEL_POINTS = 100
MAX_POINTS = 1000
MAX_NAME = 120


@dataclass(frozen=True)
class Level:
    name: str
    points: int


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[Level, ...]  # empty: a number of points from 0 to `max_points` instead of levels
    max_points: int = 0


class Given(NamedTuple):
    """What a grade gave for one criterion."""
    criterion: str
    level: str | None  # the level chosen; None on a criterion of points
    points: int
    max_points: int  # the criterion's best level, or its maximum


@dataclass(frozen=True)
class Outcome:
    points: float
    max_points: float
    percent: float  # 0..100, two decimals, halves rounded up
    passed: bool


class ChoiceInvalid(Exception):
    """The grading form's value for one criterion cannot be taken."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def percent_of(points: int, max_points: int) -> float:
    """points / max as a percentage with two decimals, exactly (Fraction),
    halves rounded up: 1 of 32 is 3.13, 1 of 3 is 33.33, 2 of 3 is 66.67."""
    exact = Fraction(points * 100, max_points)
    return floor(exact * 100 + Fraction(1, 2)) / 100


def content_hash(kind: str, definition: Mapping[str, Any]) -> str:
    """The same scale always has the same hash (keys sorted, no spaces), so an
    unchanged scale finds its row and a changed one makes a new row."""
    return content_digest({"kind": kind, "definition": definition})


def _whole(text: str | None, low: int, high: int) -> int | None:
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    value = int(text)
    return value if low <= value <= high else None


def _is_whole(value: Any, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


class ScaleKind:
    code: str = ""
    label = None
    template: str = ""  # templates/review/scales/<template>.html (editor) and review/grade/<template>.html
    # A grade is shown criterion by criterion (each level chosen) to the member
    # and on the reviewer's pages; otherwise its total says it all.
    itemised: bool = False

    def draft(self, definition: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    def read_draft(self, fields: Callable[[str], str | None]) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
        """(draft as typed, definition, problems by field)."""
        return {}, {}, {}

    def validate(self, definition: Mapping[str, Any]) -> dict[str, str]:
        raise NotImplementedError

    def criteria(self, definition: Mapping[str, Any]) -> list[Criterion]:
        raise NotImplementedError

    def read_choice(self, definition: Mapping[str, Any], values: Sequence[str | None]) -> list[int]:
        """One whole number per criterion, or ChoiceInvalid naming the first one at fault."""
        chosen = []
        for index, criterion in enumerate(self.criteria(definition)):
            value = values[index] if index < len(values) else None
            field = f"c{index}"
            if criterion.levels:
                number = _whole(value, 0, len(criterion.levels) - 1)
                if number is None:
                    raise ChoiceInvalid(field, _l("%(criterion)s: choose one level.", criterion=criterion.name))
            else:
                number = _whole(value, 0, criterion.max_points)
                if number is None:
                    raise ChoiceInvalid(field, _l("%(criterion)s: give a whole number of points from 0 to %(max)s.",
                                                  criterion=criterion.name, max=criterion.max_points))
            chosen.append(number)
        return chosen

    def points(self, definition: Mapping[str, Any], choice: Sequence[int]) -> tuple[int, int]:
        """(points earned, points possible) of a checked choice."""
        earned = possible = 0
        for criterion, value in zip(self.criteria(definition), choice, strict=True):
            if criterion.levels:
                earned += criterion.levels[value].points
                possible += max(level.points for level in criterion.levels)
            else:
                earned += value
                possible += criterion.max_points
        return earned, possible

    def passes(self, definition: Mapping[str, Any], earned: int, possible: int) -> bool:
        return earned >= definition["pass_points"]

    def grade(self, definition: Mapping[str, Any], choice: Sequence[int]) -> Outcome:
        earned, possible = self.points(definition, choice)
        return Outcome(float(earned), float(possible), percent_of(earned, possible),
                       self.passes(definition, earned, possible))

    def summary(self, definition: Mapping[str, Any]) -> str:
        """The scale in one line, as the audit log shows it: each criterion
        with its levels and their points, then the points to pass."""
        parts = ["{}: {}".format(c.name, ", ".join(f"{level.name} ({level.points})" for level in c.levels)
                                 if c.levels else f"0–{c.max_points}") for c in self.criteria(definition)]
        if definition.get("pass_points") is not None:
            parts.append(str(_l("pass from %(points)s points", points=definition["pass_points"])))
        return "; ".join(parts)

    def chosen(self, definition: Mapping[str, Any], choice: Sequence[int]) -> str:
        """What a grade chose, in one line (criterion: level), for the audit log."""
        return "; ".join(f"{g.criterion}: {g.level}" if g.level is not None else f"{g.criterion}: {g.points}"
                         for g in self.given(definition, choice))

    def given(self, definition: Mapping[str, Any], choice: Sequence[int]) -> list[Given]:
        """What was given for each criterion (the level chosen and its points,
        or the points given): what the member's and the reviewer's pages show."""
        shown = []
        for criterion, value in zip(self.criteria(definition), choice):
            if criterion.levels:
                level = criterion.levels[value]
                shown.append(Given(criterion.name, level.name, level.points,
                                   max(lv.points for lv in criterion.levels)))
            else:
                shown.append(Given(criterion.name, None, value, criterion.max_points))
        return shown


class PassFail(ScaleKind):
    """Pass or not pass: the default when a campaign sets no scale."""
    code = "pass_fail"
    label = _l("Pass / not pass")
    template = "pass_fail"

    def validate(self, definition):
        return {} if dict(definition) == {} else {"kind": str(_l("A pass / not pass scale has no settings."))}

    def criteria(self, definition):
        return [Criterion(str(_l("Verdict")), (Level(str(_l("Not passed")), 0), Level(str(_l("Passed")), 1)))]

    def passes(self, definition, earned, possible):
        return earned == possible


class Points(ScaleKind):
    """A number of points from 0 to a maximum, passing from a number of them."""
    code = "points"
    label = _l("Points")
    template = "points"

    def draft(self, definition):
        return {"max_points": str(definition.get("max_points", "")), "pass_points": str(definition.get("pass_points", ""))}

    def read_draft(self, fields):
        draft = {"max_points": (fields("max_points") or "").strip(), "pass_points": (fields("pass_points") or "").strip()}
        problems: dict[str, str] = {}
        maximum = _whole(draft["max_points"], 1, MAX_POINTS)
        if maximum is None:
            problems["max_points"] = str(_l("Maximum points: a whole number from 1 to %(max)s.", max=MAX_POINTS))
        passing = _whole(draft["pass_points"], 0, maximum if maximum is not None else MAX_POINTS)
        if passing is None:
            problems["pass_points"] = str(_l("Points to pass: a whole number from 0 to the maximum."))
        definition = {"max_points": maximum, "pass_points": passing}
        return draft, definition, problems or self.validate(definition)

    def validate(self, definition):
        problems = {}
        if set(definition) != {"max_points", "pass_points"}:
            return {"kind": str(_l("A points scale has a maximum and the points to pass."))}
        if not _is_whole(definition["max_points"], 1, MAX_POINTS):
            problems["max_points"] = str(_l("Maximum points: a whole number from 1 to %(max)s.", max=MAX_POINTS))
        elif not _is_whole(definition["pass_points"], 0, definition["max_points"]):
            problems["pass_points"] = str(_l("Points to pass: a whole number from 0 to the maximum."))
        return problems

    def criteria(self, definition):
        return [Criterion(str(_l("Points")), (), definition["max_points"])]


class Rubric(ScaleKind):
    """Criteria, each with its levels and their points; passing from a total."""
    code = "rubric"
    label = _l("Rubric (criteria and levels)")
    template = "rubric"
    itemised = True

    def draft(self, definition):
        return {"pass_points": str(definition.get("pass_points", "")), "criteria": [
            {"name": c["name"], "levels": [{"name": lv["name"], "points": str(lv["points"])} for lv in c["levels"]]}
            for c in definition.get("criteria", [])]}

    def read_draft(self, fields):
        """Rows left blank are dropped and the rest numbered afresh, so that a
        message's field is the row the page shows again."""
        criteria = []
        for i in range(MAX_CRITERIA + 5):
            name = (fields(f"criteria.{i}.name") or "").strip()
            levels = []
            for j in range(MAX_LEVELS + 5):
                level_name = (fields(f"criteria.{i}.levels.{j}.name") or "").strip()
                points = (fields(f"criteria.{i}.levels.{j}.points") or "").strip()
                if level_name or points:
                    levels.append({"name": level_name, "points": points})
            if name or levels:
                criteria.append({"name": name, "levels": levels})
        draft = {"pass_points": (fields("pass_points") or "").strip(), "criteria": criteria}
        problems: dict[str, str] = {}
        definition_criteria = []
        for i, criterion in enumerate(criteria):
            levels = []
            for j, level in enumerate(criterion["levels"]):
                points = _whole(level["points"], 0, MAX_LEVEL_POINTS)
                if points is None:
                    problems[f"criteria.{i}.levels.{j}.points"] = str(_l(
                        "Points: a whole number from 0 to %(max)s.", max=MAX_LEVEL_POINTS))
                levels.append({"name": level["name"], "points": points if points is not None else 0})
            definition_criteria.append({"name": criterion["name"], "levels": levels})
        passing = _whole(draft["pass_points"], 0, MAX_CRITERIA * MAX_LEVEL_POINTS)
        if passing is None:
            problems["pass_points"] = str(_l("Points to pass: a whole number from 0 to the total of the best levels."))
        definition = {"criteria": definition_criteria, "pass_points": passing if passing is not None else 0}
        typed_wrong = {field.rsplit(".levels.", 1)[0] for field in problems if ".levels." in field}
        for field, message in self.validate(definition).items():
            if field.removesuffix(".levels") not in typed_wrong:  # not a consequence of a number mistyped
                problems.setdefault(field, message)
        return draft, definition, problems

    def validate(self, definition):
        problems: dict[str, str] = {}
        if set(definition) != {"criteria", "pass_points"} or not isinstance(definition["criteria"], list):
            return {"kind": str(_l("A rubric has criteria and the points to pass."))}
        criteria = definition["criteria"]
        if not 1 <= len(criteria) <= MAX_CRITERIA:
            problems["criteria"] = str(_l("Give from 1 to %(max)s criteria.", max=MAX_CRITERIA))
        names = set()
        best_total = 0
        for i, criterion in enumerate(criteria):
            if not isinstance(criterion, dict) or set(criterion) != {"name", "levels"}:
                problems[f"criteria.{i}.name"] = str(_l("A criterion has a name and levels."))
                continue
            name = criterion["name"]
            if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
                problems[f"criteria.{i}.name"] = str(_l("Name the criterion (at most %(max)s characters).",
                                                         max=MAX_NAME))
            elif name.strip().casefold() in names:
                problems[f"criteria.{i}.name"] = str(_l("Two criteria have this name."))
            else:
                names.add(name.strip().casefold())
            levels = criterion["levels"]
            if not isinstance(levels, list) or not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
                problems[f"criteria.{i}.levels"] = str(_l("Give from %(low)s to %(high)s levels.",
                                                           low=MIN_LEVELS, high=MAX_LEVELS))
                continue
            level_names = set()
            for j, level in enumerate(levels):
                if not isinstance(level, dict) or set(level) != {"name", "points"}:
                    problems[f"criteria.{i}.levels.{j}.name"] = str(_l("A level has a name and points."))
                    continue
                level_name = level["name"]
                if not isinstance(level_name, str) or not level_name.strip() or len(level_name) > MAX_NAME:
                    problems.setdefault(f"criteria.{i}.levels.{j}.name", str(_l(
                        "Name the level (at most %(max)s characters).", max=MAX_NAME)))
                elif level_name.strip().casefold() in level_names:
                    problems.setdefault(f"criteria.{i}.levels.{j}.name", str(_l("Two levels have this name.")))
                else:
                    level_names.add(level_name.strip().casefold())
                if not _is_whole(level["points"], 0, MAX_LEVEL_POINTS):
                    problems.setdefault(f"criteria.{i}.levels.{j}.points", str(_l(
                        "Points: a whole number from 0 to %(max)s.", max=MAX_LEVEL_POINTS)))
            if all(isinstance(lv, dict) and _is_whole(lv.get("points"), 0, MAX_LEVEL_POINTS) for lv in levels):
                best = max(lv["points"] for lv in levels)
                if best == 0:
                    problems.setdefault(f"criteria.{i}.levels", str(_l("At least one level must be worth points.")))
                best_total += best
        if not problems and not _is_whole(definition["pass_points"], 0, best_total):
            problems["pass_points"] = str(_l("Points to pass: a whole number from 0 to %(max)s (the total of the "
                                             "best levels).", max=best_total))
        return problems

    def criteria(self, definition):
        return [Criterion(c["name"], tuple(Level(lv["name"], lv["points"]) for lv in c["levels"]))
                for c in definition["criteria"]]


class RegistryError(Exception):
    """The scale kinds listed cannot make a registry."""


def check_registry(kinds: Iterable[ScaleKind]) -> dict[str, ScaleKind]:
    by_code: dict[str, ScaleKind] = {}
    for kind in kinds:
        name = type(kind).__name__
        if not kind.code or not kind.template or kind.label is None:
            raise RegistryError(f"scale kind {name} has no code, label or template")
        if kind.code in by_code:
            raise RegistryError(f"scale kinds {type(by_code[kind.code]).__name__} and {name} share {kind.code!r}")
        by_code[kind.code] = kind
    if DEFAULT_KIND not in by_code or by_code[DEFAULT_KIND].validate({}):
        raise RegistryError(f"the default scale kind {DEFAULT_KIND!r} must take an empty definition")
    return by_code


DEFAULT_KIND = PassFail.code  # a campaign that sets no scale: pass / not pass
SCALES: dict[str, ScaleKind] = check_registry([PassFail(), Points(), Rubric()])


def scale(code: str) -> ScaleKind:
    return SCALES[code]
