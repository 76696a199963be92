"""Facts that never change once written (a published version's questions and
settings, an attempt's version), remembered by each worker for its lifetime.
Nothing that can change goes here: an attempt's deadline, which a reviewer
may extend, is read by the statements every time.

The memory lives on the app, so each app (and each test) starts empty; it is
bounded, and simply emptied when full (`Bounded`, which the session cookies
and CSRF token pairs a worker has verified use too)."""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

from flask import current_app

V = TypeVar("V")


class Bounded(dict):
    """A worker's memory with a size guard: when full, it is emptied and
    fills again from what the next requests need (cheaper than any
    eviction order for what is found again in one statement or one check)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: Hashable, value: V) -> V:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def remembered(name: str, key: Hashable, load: Callable[[], V | None], limit: int) -> V | None:
    """The value for `key` in the app's memory called `name`, loaded on first
    need. A None from `load` (nothing there) is not remembered."""
    memory = current_app.extensions.get(name)
    if memory is None:
        memory = current_app.extensions[name] = Bounded(limit)
    found = memory.get(key)
    if found is None:
        found = load()
        if found is None:
            return None
        memory.keep(key, found)
    return found
