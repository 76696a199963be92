"""Which storages count per process, and when several workers must refuse
them (what gunicorn.conf.py asks before starting)."""
import pytest

from learning.core.ratelimit import (
    counts_per_process,
    per_process_problem,
    storage_uri_from_environment,
)


@pytest.mark.parametrize("workers, environ, refused", [
    (4, {}, False),  # the default: the database
    (4, {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}, False),
    (4, {"RATELIMIT_STORAGE_URI": "database://"}, False),
    (1, {"RATELIMIT_STORAGE_URI": "memory://"}, False),  # one process counts alone anyway
    (2, {"RATELIMIT_STORAGE_URI": "memory://"}, True),
    (4, {"RATELIMIT_STORAGE_URI": ""}, False),  # empty is unset, as in load_config
])
def test_several_workers_refuse_per_process_counters(workers, environ, refused):
    problem = per_process_problem(workers, environ)
    assert bool(problem) == refused
    if refused:
        assert "RATELIMIT_STORAGE_URI=memory://" in problem and f"{workers} workers" in problem


def test_the_environment_decides_the_storage_as_the_app_does():
    assert storage_uri_from_environment({}) == "database://"
    assert storage_uri_from_environment({"RATELIMIT_STORAGE_URI": "redis://h:6379"}) == "redis://h:6379"
    assert counts_per_process("memory://") and counts_per_process(None)
    assert not counts_per_process("database://") and not counts_per_process("redis://h:6379")
