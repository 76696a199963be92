"""Reviewers: dashboards on roll-ups, follow-up of members, grading reflections."""
