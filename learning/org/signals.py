"""What the organisation tells the areas above it when the tree is reshaped.

org sits below study and campaigns and may not import them; they connect
here instead (blinker, which Flask itself uses for its signals). Receivers
run inside the same transaction as the change, so what they write commits
or rolls back with it.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: None; unit_ids: the units whose members changed (left or joined),
# member_ids: who moved. Roll-ups of those units are recomputed.
members_moved = _signals.signal("members-moved")

# sender: None; source: the unit merged away (now closed), target: the unit
# that took its members and children. Campaigns assigned to the source follow.
unit_merged = _signals.signal("unit-merged")
