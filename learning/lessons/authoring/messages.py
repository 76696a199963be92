"""The messages authoring writes (problems, kind names), marked for the
catalogue. `_` translates now, into the current locale; `N_` only marks an
English name, translated where it is shown."""
from flask_babel import gettext as _  # noqa: F401


def N_(message: str) -> str:
    """Marks an English name for the message catalogue (`pybabel -k N_`)."""
    return message
