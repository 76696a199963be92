"""The registry of job kinds: one class per kind, checked when its module is
imported. A kind says its code, its name, how it runs, and which template
shows its result; nothing else branches on a kind.

The areas that own the work (org for the roster import...) define and
register their kinds; this area only runs them."""
from __future__ import annotations

from typing import Any, ClassVar, Protocol


class JobKind:
    code: ClassVar[str]
    label: ClassVar[Any]  # lazy_gettext: the job's name on its page
    # Shown under the progress bar once done, with `job` and `result`;
    # "" shows the result as a list of its values.
    result_template: ClassVar[str] = ""
    # The names of the steps a kind reports in `progress(message=...)`.
    steps: ClassVar[dict[str, Any]] = {}

    def run(self, params: dict[str, Any], job: "JobRun") -> dict[str, Any]:
        """Do the work in the current session and return the result (plain
        JSON). Reading needs nothing; before its first write a kind calls
        `job.writing()`, and what it writes then commits with the job's final
        state, or not at all. Must be safe to run again: a job whose worker
        died runs again from the start."""
        raise NotImplementedError


class JobRun(Protocol):
    """What a running kind gets: progress reports, and a say in how they are written."""
    job_id: int
    created_by_id: int | None

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """How far the work got, shown on the job's page within a second."""

    def writing(self) -> None:
        """From here on the kind writes: its writes commit with the job's end."""


KINDS: dict[str, type[JobKind]] = {}


def register(kind: type[JobKind]) -> type[JobKind]:
    """Class decorator: add a kind to the registry, checking it first."""
    code = getattr(kind, "code", None)
    if not isinstance(code, str) or not code or len(code) > 40:
        raise TypeError(f"{kind.__name__}: a job kind needs a code of 1 to 40 characters")
    if code in KINDS and KINDS[code] is not kind:
        raise TypeError(f"{kind.__name__}: job kind {code!r} is already registered by {KINDS[code].__name__}")
    if getattr(kind, "label", None) is None:
        raise TypeError(f"{kind.__name__}: a job kind needs a label")
    if kind.run is JobKind.run:
        raise TypeError(f"{kind.__name__}: a job kind must define run()")
    KINDS[code] = kind
    return kind


def kind_of(code: str) -> type[JobKind] | None:
    return KINDS.get(code)


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def step_label(code: str, step: str) -> str:
    kind = KINDS.get(code)
    return str(kind.steps.get(step, step)) if kind else step
