"""Question kinds: one module each, one instance each in KINDS.

Each kind has one home for everything about it (building its data, grading,
reading a response, saying why a response cannot be submitted, showing a
response to a reviewer as text). Adding a
kind is adding its module and listing it here, plus its three templates;
nothing else branches on kinds. The registry is checked when this module is
imported, so a kind without a name or with an alias another kind uses stops
the application at start-up rather than confusing an author later.
"""
from __future__ import annotations

from collections.abc import Iterable

from learning.lessons.authoring.kinds.base import (
    ANSWER,
    FULL_CREDIT,
    NO_CREDIT,
    ChoiceEntry,
    Entry,
    PropertySpec,
    QuestionKind,
    QuestionSource,
)
from learning.lessons.authoring.kinds.choices import MultipleChoice, SingleChoice
from learning.lessons.authoring.kinds.reflection import Reflection
from learning.lessons.authoring.kinds.short_text import ShortText
from learning.lessons.authoring.kinds.true_false import TrueFalse
from learning.lessons.authoring.text import norm_keyword

_NAMES = ("code", "label", "english", "template")


class RegistryError(Exception):
    """The kinds listed cannot make a registry; the message names the kind at fault."""


def check_registry(kinds: Iterable[QuestionKind]) -> dict[str, QuestionKind]:
    """The kinds by code, after checking each has a code, a label, an English
    name and a template; that no two share a code, an alias or their label
    (authors could not tell them apart); and that a property name means the
    same keys whichever kind uses it. Raises RegistryError otherwise."""
    by_code: dict[str, QuestionKind] = {}
    by_keyword: dict[str, QuestionKind] = {}
    properties: dict[str, PropertySpec] = {}
    for kind in kinds:
        name = type(kind).__name__
        for attribute in _NAMES:
            value = getattr(kind, attribute, None)
            if not isinstance(value, str) or not value.strip():
                raise RegistryError(f"question kind {name} has no {attribute}")
        if kind.code in by_code:
            raise RegistryError(f"question kinds {type(by_code[kind.code]).__name__} and {name} share code {kind.code!r}")
        by_code[kind.code] = kind
        for alias in (*getattr(kind, "aliases", ()), kind.code, kind.label):
            keyword = norm_keyword(alias)
            other = by_keyword.setdefault(keyword, kind)
            if not keyword or other is not kind:
                raise RegistryError(f"question kind {name}: alias {alias!r} is empty or also names "
                                    f"{type(other).__name__}")
        for spec in kind.properties:
            if properties.setdefault(spec.name, spec) != spec:
                raise RegistryError(f"question kind {name}: property {spec.name!r} has other keys in another kind")
        unknown = kind.repeatable - {spec.name for spec in kind.properties}
        if unknown:
            raise RegistryError(f"question kind {name} repeats properties it does not take: {sorted(unknown)}")
    return by_code


KINDS: dict[str, QuestionKind] = check_registry((
    SingleChoice(), MultipleChoice(), TrueFalse(), ShortText(), Reflection(),
))

_BY_KEYWORD: dict[str, QuestionKind] = {
    norm_keyword(alias): kind for kind in KINDS.values() for alias in (*kind.aliases, kind.code, kind.label)
}

# Every kind-specific property, so a front end can tell "not for this kind"
# from "unknown"; a name always means the same keys whichever kind uses it.
EXTRA_PROPERTIES: dict[str, PropertySpec] = {
    spec.name: spec for kind in KINDS.values() for spec in kind.properties
}


def kind_for(keyword: str) -> QuestionKind | None:
    """The kind an author wrote after `Loại:`, e.g. `Một lựa chọn`, `đúng/sai`."""
    return _BY_KEYWORD.get(norm_keyword(keyword))


def kind_labels() -> str:
    """The kinds as an author writes them, for messages: `Một lựa chọn, ...`."""
    return ", ".join(kind.label for kind in KINDS.values())


__all__ = [
    "ANSWER", "EXTRA_PROPERTIES", "FULL_CREDIT", "KINDS", "NO_CREDIT",
    "ChoiceEntry", "Entry", "PropertySpec", "QuestionKind", "QuestionSource", "RegistryError",
    "check_registry", "kind_for", "kind_labels",
]
