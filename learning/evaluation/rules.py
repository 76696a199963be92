"""A period's rules as data: the weight of each term of the study criterion,
the thresholds that map points onto the four levels, and the quota of
excellent ratings. Pure: no database, no request.

A definition is a plain mapping (stored as JSON with its rule set):

    {"weights": {"completion": 40, "on_time": 20, "quiz_score": 20,
                 "reflections": 20, "attendance": 0},
     "bands": {"excellent": 90, "good": 70, "completed": 50},
     "quota": {"excellent_of_good": 20}}

Terms are a registry (TERMS): adding a kind of evidence is adding one class
here. Each term turns a member's evidence into a share from 0 to 1, or None
when there is nothing to rate it by (no reflection was asked for, no
conference held): its weight is then shared out over the other terms.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from flask_babel import lazy_gettext as _l

from learning.core.enums import LabelledEnum


class Level(LabelledEnum):
    """The four levels, the same words for members and for organisations, best first."""
    EXCELLENT = "excellent", _l("Completed tasks excellently")
    GOOD = "good", _l("Completed tasks well")
    COMPLETED = "completed", _l("Completed tasks")
    NOT_COMPLETED = "not_completed", _l("Did not complete tasks")


BANDED = (Level.EXCELLENT, Level.GOOD, Level.COMPLETED)  # each has a threshold; below the last: not completed


@dataclass(frozen=True)
class Evidence:
    """What a member did in the period, in the campaigns that count."""
    assigned: int = 0  # lessons due
    completed: int = 0
    on_time: int = 0
    scored: int = 0  # lessons with a counted quiz score ...
    score_sum: float = 0.0  # ... and the sum of those scores (percent)
    reflections_due: int = 0  # lessons whose reflection is asked for
    reflections_passed: int = 0  # graded and passed
    conferences_due: int = 0
    conferences_attended: int = 0


@dataclass(frozen=True)
class Share:
    """A term's reading of the evidence: part of whole (None: nothing to rate by)."""
    part: float
    whole: float

    @property
    def value(self) -> float:
        return min(max(self.part / self.whole, 0.0), 1.0)


class Term:
    """One kind of evidence in the study criterion."""
    code: str
    label: str

    def share(self, evidence: Evidence) -> Share | None:
        raise NotImplementedError


class Completion(Term):
    code, label = "completion", _l("lessons completed")

    def share(self, evidence):
        return Share(evidence.completed, evidence.assigned) if evidence.assigned else None


class OnTime(Term):
    code, label = "on_time", _l("lessons completed on time")

    def share(self, evidence):
        return Share(evidence.on_time, evidence.assigned) if evidence.assigned else None


class QuizScore(Term):
    """The average counted score; a lesson never scored counts as 0 (the
    member was asked to take it)."""
    code, label = "quiz_score", _l("average quiz score")

    def share(self, evidence):
        return Share(evidence.score_sum / 100, evidence.assigned) if evidence.assigned else None


class Reflections(Term):
    code, label = "reflections", _l("reflections passed")

    def share(self, evidence):
        return Share(evidence.reflections_passed, evidence.reflections_due) if evidence.reflections_due else None


class Attendance(Term):
    code, label = "attendance", _l("study conferences attended")

    def share(self, evidence):
        return Share(evidence.conferences_attended, evidence.conferences_due) if evidence.conferences_due else None


class RegistryError(Exception):
    pass


def check_registry(terms: Iterable[Term]) -> dict[str, Term]:
    by_code: dict[str, Term] = {}
    for term in terms:
        if not getattr(term, "code", "") or not str(getattr(term, "label", "")):
            raise RegistryError(f"term {type(term).__name__} has no code or label")
        if term.code in by_code:
            raise RegistryError(f"terms {type(by_code[term.code]).__name__} and {type(term).__name__} "
                                f"share code {term.code!r}")
        by_code[term.code] = term
    return by_code


TERMS: dict[str, Term] = check_registry([Completion(), OnTime(), QuizScore(), Reflections(), Attendance()])

# The rules a first period starts from (a new year copies last year's): a
# 100-point frame, bands as in Quy định 366-QĐ/TW (≥90 / 70–<90 / 50–<70 /
# <50), and excellent at most 20% of good per grassroots organisation, as
# Quy định 124-QĐ/TW set it. Attendance weighs nothing until conferences exist.
DEFAULT_RULES: dict[str, Any] = {
    "weights": {"completion": 40, "on_time": 20, "quiz_score": 20, "reflections": 20, "attendance": 0},
    "bands": {"excellent": 90, "good": 70, "completed": 50},
    "quota": {"excellent_of_good": 20},
}


def default_rules() -> dict[str, Any]:
    return copy.deepcopy(DEFAULT_RULES)


def _whole_number(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 4:
            return None
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def validate(definition: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The definition, normalised (numbers as ints, every term present), and
    its problems: field ("weights.completion", "bands.good", "quota...") →
    message. No problems: the definition can be stored."""
    problems: dict[str, str] = {}
    weights_in = definition.get("weights") if isinstance(definition.get("weights"), Mapping) else {}
    unknown = sorted(set(weights_in) - set(TERMS))
    if unknown:
        problems["weights"] = str(_l("Unknown terms: %(terms)s.", terms=", ".join(map(str, unknown))))
    weights = {}
    for code, term in TERMS.items():
        value = _whole_number(weights_in.get(code, 0), 0, 100)
        if value is None:
            problems[f"weights.{code}"] = str(_l("The weight of “%(term)s”: a whole number from 0 to 100.",
                                                 term=term.label))
        weights[code] = value or 0
    if "weights" not in problems and not any(k.startswith("weights.") for k in problems) \
            and sum(weights.values()) != 100:
        problems["weights"] = str(_l("The weights add up to %(total)s: they must add up to 100.",
                                     total=sum(weights.values())))
    bands_in = definition.get("bands") if isinstance(definition.get("bands"), Mapping) else {}
    bands = {}
    for level in BANDED:
        value = _whole_number(bands_in.get(level.value), 0, 100)
        if value is None:
            problems[f"bands.{level.value}"] = str(_l("The points for “%(level)s”: a whole number from 0 to 100.",
                                                      level=level.label))
        bands[level.value] = value
    given = [bands[level.value] for level in BANDED]
    if None not in given and not all(higher > lower for higher, lower in zip(given, given[1:])):
        problems["bands"] = str(_l("Each level needs more points than the level below it."))
    quota_in = definition.get("quota") if isinstance(definition.get("quota"), Mapping) else {}
    quota = {}
    raw = quota_in.get("excellent_of_good")
    if raw not in (None, ""):
        value = _whole_number(raw, 0, 100)
        if value is None:
            problems["quota.excellent_of_good"] = str(_l("The quota: a whole number from 0 to 100, or empty for none."))
        quota["excellent_of_good"] = value
    return {"weights": weights, "bands": bands, "quota": quota}, problems


def summary(rules: Mapping[str, Any]) -> str:
    """Validated rules in one line, as the audit log keeps them."""
    # In the registry's order, whatever order the stored rules came back in.
    weights = ", ".join(f"{term.label} {rules['weights'][code]}" for code, term in TERMS.items()
                        if rules["weights"].get(code))
    bands = ", ".join(f"{level.label} ≥ {rules['bands'][level.value]}" for level in BANDED)
    quota = (rules.get("quota") or {}).get("excellent_of_good")
    parts = [weights, bands]
    if quota is not None:
        parts.append(str(_l("excellent at most %(percent)s%% of good", percent=quota)))
    return "; ".join(parts)
