"""Questions left unanswered: pure, over the attempt's plan and its saved
responses, numbered as the quiz page numbers them.

A response is stored as its kind's `read_response` read it from the form (or
the phone's) values, which gives None for an empty text or no choice ticked:
None, or no stored answer at all, is unanswered. Submitting asks the member
to confirm before leaving questions so (study.submission.submit)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence


@dataclass(frozen=True)
class Unanswered:
    number: int  # the question's place in the attempt, from 1, as the page shows it
    key: str


def is_answered(response: Any) -> bool:
    # "" and [] are never stored today (read_response gives None instead);
    # should one ever be, it is no answer either. False is an answer (true/false).
    return response is not None and response != "" and response != []


def unanswered_questions(plan: Sequence[Mapping[str, Any]], responses: Mapping[str, Any]) -> list[Unanswered]:
    """The attempt's questions without an answer, in the attempt's order."""
    return [Unanswered(number, step["key"]) for number, step in enumerate(plan, start=1)
            if not is_answered(responses.get(step["key"]))]
