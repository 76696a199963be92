"""The reviewers' pages, one blueprint per module."""
