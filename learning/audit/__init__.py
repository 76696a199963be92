"""The audit log: who did what, when, to whom, before and after."""
