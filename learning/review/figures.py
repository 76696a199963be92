"""The arithmetic of the dashboards, pure: figures summed over units, and
the percentages and averages shown from them. No database, no request."""
from __future__ import annotations

import math
from dataclasses import dataclass


def percent(part: int, whole: int) -> float | None:
    """part / whole as a percentage with one decimal, rounded down, so that
    100% is shown only when everything is done (99.96% shows 99.9%). None when
    there is nothing to count."""
    if whole <= 0:
        return None
    if part >= whole:
        return 100.0
    return math.floor(max(part, 0) * 1000 / whole) / 10


def average(total: float, count: int) -> float | None:
    """The mean with one decimal (halves away from zero), or None."""
    if count <= 0:
        return None
    return math.floor(total / count * 10 + 0.5) / 10


@dataclass
class Figures:
    """A unit's (or a subtree's) figures for one campaign. Counts of
    member-lessons: `expected` = members × lessons; a member who completed 3 of
    the campaign's 4 lessons counts 3 completions."""
    members: int = 0  # active, not exempt
    started: int = 0
    completed: int = 0
    on_time: int = 0
    awaiting: int = 0  # reflections waiting for grading
    scored: int = 0
    score_sum: float = 0.0

    def add(self, other: Figures) -> Figures:
        self.members += other.members
        self.started += other.started
        self.completed += other.completed
        self.on_time += other.on_time
        self.awaiting += other.awaiting
        self.scored += other.scored
        self.score_sum += other.score_sum
        return self

    def expected(self, lessons: int) -> int:
        return self.members * lessons

    def completion(self, lessons: int) -> float | None:
        return percent(self.completed, self.expected(lessons))

    def started_share(self, lessons: int) -> float | None:
        return percent(self.started, self.expected(lessons))

    def on_time_share(self) -> float | None:
        return percent(self.on_time, self.completed)

    def not_started(self, lessons: int) -> int:
        return max(self.expected(lessons) - self.started, 0)

    def not_complete(self, lessons: int) -> int:
        return max(self.expected(lessons) - self.completed, 0)

    @property
    def average(self) -> float | None:
        return average(self.score_sum, self.scored)
