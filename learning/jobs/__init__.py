"""Background jobs with progress (roster imports, evaluations, exports)."""
