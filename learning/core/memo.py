"""Facts that never change once written (a published version's questions and
settings, an attempt's version), remembered by each worker for its lifetime.
Nothing that can change goes here: an attempt's deadline, which a reviewer
may extend, is read by the statements every time.

The memory lives on the app, so each app (and each test) starts empty; it is
bounded, and simply emptied when full."""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

from flask import current_app

V = TypeVar("V")


def remembered(name: str, key: Hashable, load: Callable[[], V | None], limit: int) -> V | None:
    """The value for `key` in the app's memory called `name`, loaded on first
    need. A None from `load` (nothing there) is not remembered."""
    memory: dict[Hashable, V] = current_app.extensions.setdefault(name, {})
    found = memory.get(key)
    if found is None:
        found = load()
        if found is None:
            return None
        if len(memory) >= limit:
            memory.clear()
        memory[key] = found
    return found
