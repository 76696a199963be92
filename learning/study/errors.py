"""What the study operations refuse, for the views to say."""
from learning.core.errors import DomainError


class AttemptRefused(DomainError):
    """The member may not do this now (attempts used up, attempt closed,
    reflection outside its word limits); the message says why."""


class AttemptNotFound(DomainError):
    """No such attempt for this member."""
