"""The year's evaluation (đánh giá, xếp loại): the study criterion of each
member and unit, computed by a period's rules (data, never code), with its
evidence, a suggested level and a reviewer's decision.

So far: the rules and the arithmetic, pure (rules.py, scoring.py). Periods,
results, decisions, the lock and the exports come next (issue 10)."""
