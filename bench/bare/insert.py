"""The bare Flask app doing one durable PostgreSQL insert per request, which
the load benchmark compares saving and submitting with: what a request that
writes must pay here whatever the app (a round trip, a commit waiting for the
write-ahead log to reach the disk), with none of the app's work.

One connection per gunicorn worker (a sync worker serves one request at a
time), the same driver as the app (psycopg 3), each INSERT committed on its
own, as durable as the app's commits (synchronous_commit stays on).

    BARE_DATABASE_URL=postgresql://... gunicorn bench.bare.insert:app   (bench/load.py starts it)
"""
import os

import psycopg
from flask import Flask

URL = os.environ.get("BARE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
TABLE = "bare_insert_rows"

app = Flask(__name__)
_connection = None


def connection() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(URL, autocommit=True)
    return _connection


def create_table(url: str = URL) -> None:
    """Run once before the workers start (bench/load.py does)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(f"CREATE TABLE {TABLE} (id bigserial PRIMARY KEY, value text NOT NULL, "
                     f"at timestamptz NOT NULL DEFAULT now())")


@app.route("/", methods=["GET", "POST"])
def insert():
    row = connection().execute(f"INSERT INTO {TABLE} (value) VALUES (%s) RETURNING id", ("answer",)).fetchone()
    return {"id": row[0]}
