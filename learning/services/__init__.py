"""Domain operations. Plain arguments in, domain errors out; flush, never commit."""


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""
