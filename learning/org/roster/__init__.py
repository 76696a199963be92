"""Importing a roster of members from CSV or XLSX: parse.py reads and
normalises the file (pure), plan.py compares it with the database (created /
updated / unchanged / refused, row by row), apply.py writes a plan in bulk,
jobs.py runs the dry run and the import in the background, operations.py
starts them, views.py is the import page."""
