"""What the Markdown front end reports: every problem with its line, and
the `Key: value` items of a list, read against the keys a place accepts.
The parser never stops at the first problem: an editor fixes them all at once."""
from __future__ import annotations

from collections.abc import Callable

from learning.lessons.authoring.kinds import Entry, PropertySpec
from learning.lessons.authoring.markdown.lines import Item
from learning.lessons.authoring.messages import _
from learning.lessons.authoring.model import Problem
from learning.lessons.authoring.text import norm_keyword
from learning.lessons.authoring.vocabulary import is_placeholder


class Report:
    """The problems found so far; a placeholder (‘…’) is the one problem of its line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.placeholder_lines: set[int] = set()

    def problem(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(line, code, message))

    def placeholder(self, line: int, code: str, message: str) -> None:
        """A ‘…’ still to fill: the one problem of its line (what else is
        wrong there, e.g. two ‘…’ choices alike, is not news)."""
        self.placeholder_lines.add(line)
        self.problem(line, code, message)

    def reported(self) -> list[Problem]:
        return [problem for problem in self.problems
                if problem.line not in self.placeholder_lines or problem.code.endswith(".placeholder")]

    def entries(self, items: list[Item], keys: dict[str, PropertySpec], area: str,
                repeatable: Callable[[str], bool] = lambda _name: False,
                optional: frozenset[str] = frozenset(), given: set[str] | None = None) -> dict[str, list[Entry]]:
        """`Key: value` items by field name. Malformed, unknown, empty,
        placeholder and repeated items are reported and left out; an empty
        `optional` item is as if absent. `given` collects the names written,
        with a value or not."""
        found: dict[str, list[Entry]] = {}
        for item in items:
            entry = item.entry()
            spec = keys.get(norm_keyword(entry.key)) if entry else None
            if spec is not None and given is not None:
                given.add(spec.name)
            if entry is None:
                self.problem(item.line, f"{area}.item_format", _(
                    "‘%(text)s’ is not a ‘Key: value’ item; write it like ‘- %(example)s’",
                    text=item.text, example=_example_item(keys)))
            elif spec is None:
                self.problem(entry.line, f"{area}.unknown_key", _(
                    "Unknown item ‘%(key)s’; the items here are: %(keys)s",
                    key=entry.key, keys=_key_list(keys)))
            elif not entry.value and spec.name in optional:
                continue
            elif not entry.value:
                if spec.hint:
                    message = _("‘%(key)s’ has no value: %(hint)s", key=entry.key, hint=_(spec.hint))
                else:
                    message = _("‘%(key)s’ has no value: write it after the colon", key=entry.key)
                self.problem(entry.line, f"{area}.empty", message)
            elif is_placeholder(entry.value):
                if spec.hint:
                    message = _("‘%(key)s’ is still ‘…’: %(hint)s", key=entry.key, hint=_(spec.hint))
                else:
                    message = _("‘%(key)s’ is still ‘…’: write its value in place of ‘…’", key=entry.key)
                self.placeholder(entry.line, f"{area}.placeholder", message)
            elif spec.name in found and not repeatable(spec.name):
                self.problem(entry.line, f"{area}.duplicate", _(
                    "‘%(key)s’ is already given on line %(line)s; keep only one",
                    key=entry.key, line=found[spec.name][0].line))
            else:
                found.setdefault(spec.name, []).append(entry)
        return found


def _example_item(keys: dict[str, PropertySpec]) -> str:
    return f"{next(iter(keys.values())).label}: …"


def _key_list(keys: dict[str, PropertySpec]) -> str:
    return ", ".join(dict.fromkeys(spec.label for spec in keys.values()))
