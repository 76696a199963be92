"""Study campaigns. Importing the area connects its receivers of the
organisation's signals (campaigns follow a merged unit: follow.py)."""
from learning.campaigns import follow  # noqa: F401
