"""Computing a period's results: every rated member's study criterion
(evidence.member_evidence, scored by scoring.evaluate under the period's
rule set) and every unit's, the sum of its members' evidence beneath it.

What a computation replaces and what it keeps: the evidence, points,
suggestions and explanations are written afresh; reviewers' decisions are
kept, except a confirmation whose suggestion has since changed (it
confirmed a level the data no longer suggests: it lapses, and the reviewer
decides again). Members no longer rated (moved out, exempt now) lose their
row. From the same data and rules, computing again gives the same results.

Run as a background job (jobs.EvaluationCompute): a province is 150,000
members, read in one grouped query and written in chunks."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any, Callable

from flask_babel import gettext as _
from sqlalchemy import delete, select

from learning.audit.log import record
from learning.audit.models import AuditKind
from learning.core import db
from learning.core.db import utcnow
from learning.core.errors import DomainError
from learning.evaluation.evidence import member_evidence
from learning.evaluation.models import LEVEL_COLUMNS, MemberResult, Period, UnitResult
from learning.evaluation.rules import Evidence
from learning.evaluation.scoring import Result, evaluate
from learning.org.models import Unit

CHUNK = 10_000  # rows per COPY (or INSERT), and how often progress is reported
EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))
DECISION_FIELDS = ("decided", "decided_on", "reason", "decided_by_id", "decided_at")
Progress = Callable[[int, int, str], None]
COUNT_FIELDS = ("members", "members_complete", "members_on_time", *LEVEL_COLUMNS.values(), "undecided")


def explanation_of(result: Result) -> dict[str, Any]:
    """What a person reads beside the points: each term's share and points,
    the terms left out, the threshold that gave the level."""
    return {"parts": [{"term": p.term, "part": p.share.part, "whole": p.share.whole, "weight": p.weight,
                       "points": p.points} for p in result.parts],
            "left_out": list(result.left_out), "threshold": result.threshold}


@dataclass
class _Sums:
    """A unit's rated members beneath it, summed as the unit's evidence."""
    members: int = 0
    members_complete: int = 0
    members_on_time: int = 0
    excellent: int = 0
    good: int = 0
    completed_tasks: int = 0
    not_completed: int = 0
    undecided: int = 0

    def __post_init__(self):
        self.evidence = dict.fromkeys(EVIDENCE_FIELDS, 0)

    def add(self, evidence: Evidence, level: str | None, decided: bool) -> None:
        for name in EVIDENCE_FIELDS:
            self.evidence[name] += getattr(evidence, name)
        if level is None:
            return
        self.members += 1
        self.members_complete += evidence.completed >= evidence.assigned
        self.members_on_time += evidence.on_time >= evidence.assigned
        column = LEVEL_COLUMNS[level]
        setattr(self, column, getattr(self, column) + 1)
        self.undecided += not decided

    def merge(self, other: _Sums) -> None:
        """Add a unit's own members' sums (other) to a unit above."""
        for name in EVIDENCE_FIELDS:
            self.evidence[name] += other.evidence[name]
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _kept_decision(old: dict[str, Any] | None, suggested: str | None) -> dict[str, Any] | None:
    """The decision a new computation keeps: an override stays; a
    confirmation only while the suggestion it confirmed stands."""
    if old is None or old["decided"] is None:
        return None
    confirmed = old["decided"] == old["decided_on"]
    if confirmed and suggested != old["decided_on"]:
        return None
    return old


def _decisions(model, period_id: int) -> dict[int, dict[str, Any]]:
    key = model.user_id if model is MemberResult else model.unit_id
    columns = [getattr(model, name) for name in DECISION_FIELDS]
    return {row[0]: dict(zip(DECISION_FIELDS, row[1:]))
            for row in db.session.execute(select(key, *columns).where(model.period_id == period_id,
                                                                      model.decided.is_not(None)))}


def _line(path: str) -> list[int]:
    """The unit ids of a path ("/1/5/20/"), top first: the unit and those above it."""
    return [int(part) for part in path.strip("/").split("/") if part]


def _values(evidence: Evidence) -> dict[str, Any]:
    """The evidence's columns (dataclasses.asdict deep-copies each field: a
    tenth of a province's computation)."""
    return {name: getattr(evidence, name) for name in EVIDENCE_FIELDS}


def _spread(own: dict[int, _Sums], paths: dict[int, str]) -> dict[int, _Sums]:
    """Each unit's sums from its own members' (own): every unit on a unit's
    line takes them in, once per unit rather than once per member."""
    sums: dict[int, _Sums] = defaultdict(_Sums)
    for unit_id, summed in own.items():
        for line_unit in _line(paths.get(unit_id, "")):
            sums[line_unit].merge(summed)
    return sums


class _Scorer:
    """scoring.evaluate under one period's rules, once per distinct evidence:
    many members did exactly the same (every lesson, full marks), and a
    province's 150,000 members have a fifth as many distinct evidences."""

    def __init__(self, rules: dict[str, Any]):
        self.rules = rules
        self._known: dict[Evidence, tuple[float | None, str | None, dict[str, Any]]] = {}

    def __call__(self, evidence: Evidence) -> tuple[float | None, str | None, dict[str, Any]]:
        """(points, suggested level's code, explanation); the same explanation
        object for the same evidence (insert_many serialises it once)."""
        known = self._known.get(evidence)
        if known is None:
            result = evaluate(evidence, self.rules)
            known = (result.points, result.level.value if result.level else None, explanation_of(result))
            self._known[evidence] = known
        return known


def compute(period: Period, actor=None, progress: Progress | None = None,
            before_writing: Callable[[], None] | None = None) -> dict[str, int]:
    """Compute the period's results for the whole tree (see the module's
    docstring); the counts of what it did."""
    if period.locked:
        raise DomainError(_("This period is locked: its results can no longer change."))
    report = progress or (lambda done, total, step: None)
    report(0, 0, "reading")
    db.for_a_large_job()
    tops = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None), Unit.path != "")
                                   .order_by(Unit.path)))
    rows = [row for top in tops for row in member_evidence(period, top)]
    paths = dict(db.session.execute(select(Unit.id, Unit.path).where(Unit.path != "")).all())
    old_members, old_units = _decisions(MemberResult, period.id), _decisions(UnitResult, period.id)
    if before_writing is not None:
        before_writing()
    db.session.execute(delete(MemberResult).where(MemberResult.period_id == period.id))
    db.session.execute(delete(UnitResult).where(UnitResult.period_id == period.id))
    written = _Written(period, _Scorer(period.rule_set.definition), utcnow())
    own = written.members(rows, old_members, report)
    units = written.units(_spread(own, paths), old_units)
    period.computed_at, period.computed_rule_set_id = written.now, period.rule_set_id
    db.session.flush()
    record(AuditKind.PERIOD_COMPUTED, actor=actor, object_type="evaluation_period", object_id=period.id,
           after={"period": period.name, "members": len(rows), "units": units, "lapsed": written.lapsed})
    return {"members": len(rows), "units": units, "kept": written.kept, "lapsed": written.lapsed}


class _Written:
    """One computation's writes: the members' rows in chunks (each unit's own
    members summed on the way), then the units' rows; decisions carried over."""

    def __init__(self, period: Period, score: _Scorer, now):
        self.period_id, self.rule_set_id, self.score, self.now = period.id, period.rule_set_id, score, now
        self.kept = self.lapsed = 0

    def _row(self, key: dict[str, Any], evidence: dict[str, Any], scored, old) -> dict[str, Any]:
        points, suggested, explanation = scored
        decision = _kept_decision(old, suggested)
        self.lapsed += old is not None and decision is None
        self.kept += decision is not None
        return {"period_id": self.period_id, **key, "rule_set_id": self.rule_set_id, **evidence, "points": points,
                "suggested": suggested, "explanation": explanation, "computed_at": self.now,
                **(decision or dict.fromkeys(DECISION_FIELDS))}

    def members(self, rows, old_members, report: Progress) -> dict[int, _Sums]:
        own: dict[int, _Sums] = defaultdict(_Sums)  # each unit's own members; spread along the lines later
        for start in range(0, len(rows), CHUNK):
            chunk = []
            for user_id, unit_id, evidence in rows[start:start + CHUNK]:
                row = self._row({"user_id": user_id, "unit_id": unit_id}, _values(evidence), self.score(evidence),
                                old_members.get(user_id))
                chunk.append(row)
                own[unit_id].add(evidence, row["decided"] or row["suggested"], row["decided"] is not None)
            db.insert_many(MemberResult.__table__, chunk)
            report(start + len(chunk), len(rows), "writing")
        return own

    def units(self, sums: dict[int, _Sums], old_units) -> int:
        """The units' rows; how many. A unit's decision is its own: it does
        not count in the kept and lapsed of the members'."""
        kept, lapsed = self.kept, self.lapsed
        rows = [self._row({"unit_id": unit_id, **{name: getattr(summed, name) for name in COUNT_FIELDS}},
                          summed.evidence, self.score(Evidence(**summed.evidence)), old_units.get(unit_id))
                for unit_id, summed in sorted(sums.items())]
        self.kept, self.lapsed = kept, lapsed
        for start in range(0, len(rows), CHUNK):
            db.insert_many(UnitResult.__table__, rows[start:start + CHUNK])
        return len(rows)
