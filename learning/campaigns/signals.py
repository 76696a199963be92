"""What campaigns tell the areas above them when a member's due date moves.

campaigns sits below study and may not import it; study connects here
instead (blinker, as org.signals). Receivers run inside the same
transaction as the change, so what they write commits or rolls back with it.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: None; member_id, lesson_id: a reviewer gave the member a later due
# date for the lesson (campaigns.extensions). A completion already recorded
# as late that the new date covers becomes on time (study.lateness).
due_date_extended = _signals.signal("due-date-extended")
