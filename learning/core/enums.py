"""Stored codes with a translated name: states, phases, roles, kinds of unit.

The code (English, lower case) is what the database holds; members compare
equal to it, so a row's string and the enum agree. The name shown to people
is the member's `label`, translated when it is read."""
from __future__ import annotations

from enum import Enum


class LabelledEnum(str, Enum):
    """Members are written `CODE = "code", _l("Display name")`."""

    def __new__(cls, code: str, label=None):
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label if label is not None else code
        return member

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return str(self._label)

    @classmethod
    def label_of(cls, code: str) -> str:
        """The display name of a stored code; the code itself if unknown."""
        try:
            return cls(code).label
        except ValueError:
            return code
