"""The bare Flask app the load benchmark compares with: a hello world, and
nothing else (no session, no user, no limiter, no headers). What the
hardware, gunicorn and Flask themselves allow for a trivial request.

    gunicorn bench.bare.hello:app      (from the top level; bench/load.py starts it)
"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
