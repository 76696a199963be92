"""gunicorn's settings for this app; gunicorn reads ./gunicorn.conf.py from
the directory it starts in (run it from the repository's top level, or pass
`-c /path/to/gunicorn.conf.py`).

Several workers must share the sign-in rate limits: a master started with
more than one worker while RATELIMIT_STORAGE_URI is memory:// (counters in
each worker's memory) refuses to start. The default storage (the database)
and redis:// are shared.
"""
from learning.core.ratelimit import per_process_problem


def on_starting(server):
    problem = per_process_problem(server.cfg.workers)
    if problem:
        if server.pidfile is not None:
            server.pidfile.unlink()
        raise RuntimeError("refusing to start: " + problem)  # gunicorn prints "Error: ..." and exits 1


def nworkers_changed(server, new_value, old_value):
    """More workers added to a running master (SIGTTIN) cannot be refused: say it loudly."""
    problem = old_value is not None and per_process_problem(new_value)
    if problem:
        server.log.error(problem)
