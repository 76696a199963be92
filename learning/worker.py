"""The background worker's entry point: `huey_consumer learning.worker.huey`
(`make run` starts it beside the web server; see README, Operations).

It builds the app once, as the web process does, so every area registers
its job kinds and the worker reads the same configuration (DATABASE_URL,
JOBS_URL). A top-level module, like learning/cli.py: it may import every
area, which learning/jobs (below them all) may not."""
from learning import create_app

app = create_app()
huey = app.extensions["huey"]
