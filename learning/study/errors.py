"""What the study operations refuse, for the views to say."""
from flask_babel import ngettext

from learning.core.errors import DomainError


class AttemptRefused(DomainError):
    """The member may not do this now (attempts used up, attempt closed,
    reflection outside its word limits); the message says why."""


class AttemptNotFound(DomainError):
    """No such attempt for this member."""


class UnansweredQuestions(AttemptRefused):
    """A member's own submission with questions unanswered, not confirmed: it
    changes nothing, and the page asks them first."""

    def __init__(self, missing: list):
        self.missing = missing  # completeness.Unanswered, in the attempt's order
        super().__init__(unanswered_message(len(missing)))


def unanswered_message(count: int) -> str:
    return ngettext("%(num)s question unanswered", "%(num)s questions unanswered", count)
