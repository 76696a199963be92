"""Reviewers: dashboards on roll-ups, follow-up of members, grading reflections.
Importing the area connects its receivers of study's signals (a grade's
detail for the member's page: given.py)."""
from learning.review import given  # noqa: F401
