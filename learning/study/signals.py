"""What study asks of the areas above it.

study sits below review and may not import it; review connects here instead
(blinker, as org.signals). A receiver's return value is its answer.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: None; answer_ids: reflections a page shows with their grade.
# A receiver returns {answer_id: study.reflections.GradeGiven} for those whose
# current grade it keeps (review.given: the grades and their scales).
grades_wanted = _signals.signal("grades-wanted")
