"""Static files with their content hash in the URL, cached by phones for a
year: on a weak network the CSS and scripts are fetched once, never revalidated."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request, url_for

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)
    digests = {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
               for path in folder.rglob("*") if path.is_file()}

    def asset(filename: str) -> str:
        return url_for("static", filename=filename, v=digests.get(filename, "0"))

    app.jinja_env.globals["asset"] = asset
    default_max_age = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        return ONE_YEAR if request.args.get("v") else default_max_age(filename)

    app.get_send_file_max_age = max_age
