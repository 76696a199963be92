"""Every bound on what a lesson may hold: one set, read by every front end
(the Markdown parser today) and by the editor's form. Each bound keeps a page
readable on a phone and a parse quick; docs/lesson-format.md lists them.

Lengths count characters (code points) of the text as stored: NFC, `\\n` line ends.
"""
from __future__ import annotations

from learning.lessons.authoring.messages import N_

# -- the whole source -----------------------------------------------------------
# A long lesson is some tens of thousands of characters. A source over this is
# refused before it is parsed: no one waits for a 7 MB file to be read.
MAX_SOURCE_CHARS = 200_000
# Shown wherever a source over it is refused (the parser, the editor's form).
SOURCE_TOO_LONG = N_(
    "The lesson is %(length)s characters long, over the limit of %(max)s characters for a lesson: "
    "split it into shorter lessons")

# -- metadata -------------------------------------------------------------------
MAX_TITLE = 300
ISSUING_BODY_LENGTH = (2, 200)
MAX_SUMMARY = 1000
MINUTES_RANGE = (1, 600)
MAX_TAG, MAX_TAGS = 40, 10
EARLIEST_YEAR = 1930  # the Party's founding
MAX_SLUG = 80

# -- quiz settings ----------------------------------------------------------------
PASS_MARK_RANGE = (0, 100)  # per cent
ATTEMPTS_RANGE = (1, 20)
TIME_LIMIT_RANGE = (1, 300)  # minutes

# -- questions --------------------------------------------------------------------
MAX_QUESTIONS = 100  # per quiz: the quiz is one page, answered on a phone
MAX_QUESTION_ID = 40
POINTS_RANGE = (1, 100)
MIN_CHOICES, MAX_CHOICES = 2, 10
MAX_ANSWERS = 20  # accepted answers of a short-text question
MAX_ANSWER = 500  # characters of one accepted answer, and of the member's answer box (ShortText.answer_chars)
MAX_MIN_WORDS, MAX_MAX_WORDS = 5000, 10000  # a reflection's word limits

# -- what a member sends ------------------------------------------------------------
MAX_TEXT_ANSWER = 100_000  # characters kept of a typed answer (a long reflection fits)
