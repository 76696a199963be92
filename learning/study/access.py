"""Who may see, answer and submit an attempt."""
from __future__ import annotations


def owns_attempt(user_id: int, owner_id: int | None) -> bool:
    """Only the member who started an attempt may see, answer or submit it.
    Ids, not objects: the hot paths check an attempt without loading it (their
    statements say the same in SQL: org.access.owner_condition)."""
    return owner_id is not None and owner_id == user_id
