"""The study criterion's arithmetic, pure: a member's evidence and a period's
rules (rules.py, validated) give points out of 100, a suggested level and an
explanation a person can read; an organisation's levels give its quota check.
No database, no request: the same evidence and rules always give the same
result."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from learning.evaluation.rules import BANDED, TERMS, Evidence, Level, Share


@dataclass(frozen=True)
class Part:
    """One term's share of the points: what the explanation shows."""
    term: str
    share: Share
    weight: float  # its weight once the terms left out were shared out (out of 100)
    points: float


@dataclass(frozen=True)
class Result:
    points: float | None  # out of 100, one decimal; None: nothing to rate the member by
    level: Level | None
    parts: list[Part] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # weighted terms with nothing to rate by
    threshold: int | None = None  # the band's lower bound that gave the level

    @property
    def rated(self) -> bool:
        return self.level is not None


def one_decimal(value: float) -> float:
    """Halves away from zero (84.25 → 84.3), as people round; a hair of
    binary error never moves a member across a band."""
    return math.floor(value * 10 + 0.5 + 1e-9) / 10


def level_for(points: float, bands: Mapping[str, int]) -> tuple[Level, int | None]:
    """The best level whose threshold the points reach (and that threshold)."""
    for level in BANDED:
        if points >= bands[level.value]:
            return level, bands[level.value]
    return Level.NOT_COMPLETED, None


def evaluate(evidence: Evidence, rules: Mapping[str, Any]) -> Result:
    """The member's points, suggested level and their explanation under these
    (validated) rules. A term with weight but nothing to rate by is left
    out, its weight shared out over the others in proportion; with nothing
    at all to rate by (no lesson assigned), the member is not rated."""
    weights = rules["weights"]
    # In the registry's order, whatever order the stored rules came back in
    # (PostgreSQL's JSONB keeps none): the explanation reads the same everywhere.
    readings = {code: term.share(evidence) for code, term in TERMS.items() if weights.get(code, 0) > 0}
    counted = {code: share for code, share in readings.items() if share is not None}
    left_out = [code for code, share in readings.items() if share is None]
    total_weight = sum(weights[code] for code in counted)
    if not total_weight:
        return Result(None, None, left_out=left_out)
    parts = []
    for code, share in counted.items():
        weight = weights[code] * 100 / total_weight
        parts.append(Part(code, share, one_decimal(weight), share.value * weight))
    points = one_decimal(sum(part.points for part in parts))
    level, threshold = level_for(points, rules["bands"])
    return Result(points, level, [Part(p.term, p.share, p.weight, one_decimal(p.points)) for p in parts],
                  left_out, threshold)


@dataclass(frozen=True)
class QuotaCheck:
    """Excellent ratings against the quota in one organisation."""
    excellent: int
    good: int
    allowed: int | None  # None: the rules set no quota

    @property
    def exceeded(self) -> bool:
        return self.allowed is not None and self.excellent > self.allowed


def quota_check(levels: Mapping[Level, int], rules: Mapping[str, Any]) -> QuotaCheck:
    """Excellent may be at most the quota's percentage of good (rounded
    down: 20% of 12 good allows 2 excellent)."""
    excellent, good = levels.get(Level.EXCELLENT, 0), levels.get(Level.GOOD, 0)
    percent = (rules.get("quota") or {}).get("excellent_of_good")
    if percent is None:
        return QuotaCheck(excellent, good, None)
    return QuotaCheck(excellent, good, good * percent // 100)
