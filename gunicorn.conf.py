"""gunicorn's settings for this app; gunicorn reads ./gunicorn.conf.py from
the directory it starts in (run it from the repository's top level, or pass
`-c /path/to/gunicorn.conf.py`).

Several workers must share the sign-in rate limits: a master started with
more than one worker while RATELIMIT_STORAGE_URI is memory:// (counters in
each worker's memory) refuses to start. The default storage (the database)
and redis:// are shared.
"""
from learning.core.ratelimit import per_process_problem

# A sync worker silent this long is killed and its request lost. The
# province's year-end spreadsheet (150,000 rows, /evaluation/.../results.xlsx)
# is written whole before its first byte goes out: about 20 s on a quiet
# 2-core machine (README, "Measured figures"), so gunicorn's default of 30 s
# would cut it under load. The reverse proxy's read timeout must be as long.
timeout = 120


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
