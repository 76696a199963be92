"""A member's study. Importing the area connects its receivers of the signals
of the areas below (a later due date rechecks a completion: lateness.py;
roll-ups follow moved members: rollups.py)."""
from learning.study import lateness  # noqa: F401
