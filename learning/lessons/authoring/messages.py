"""The messages authoring writes (problems, kind names), marked for the
catalogue (`pybabel extract` finds the `_` and `N_` calls).

Pure: no Flask here. `_` translates through the translator the application
installs once at start-up (the app factory, learning/__init__.py, installs flask_babel's
gettext, which picks the current locale); until then, and in a script that
installs none, `_` returns the English message with its `%(name)s` filled in.
`N_` only marks an English name, translated where it is shown.
"""
from __future__ import annotations

from collections.abc import Callable

Translator = Callable[..., str]  # (message, **variables) -> translated text, variables filled in


def untranslated(message: str, **variables: object) -> str:
    """The message itself, formatted as gettext does: `%` only when given variables."""
    return message % variables if variables else message


_translate: Translator = untranslated


def install_translator(translate: Translator | None) -> None:
    """Route every `_` through `translate` (None: back to untranslated)."""
    global _translate
    _translate = translate or untranslated


def _(message: str, **variables: object) -> str:
    """`message` in the current language, its `%(name)s` filled from `variables`."""
    return _translate(message, **variables)


def N_(message: str) -> str:
    """Marks an English name for the message catalogue (`pybabel -k N_`)."""
    return message
