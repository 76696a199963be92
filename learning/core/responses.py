"""Small JSON answers for the hottest routes (saving an answer).

Flask's jsonify goes through the app's JSON provider (sorted keys, its own
encoder for dates and dataclasses, a trailing newline): a twentieth of
saving an answer. An answer made only of strings, numbers, lists and dicts
needs none of that."""
from __future__ import annotations

import json
from typing import Any

from flask import Response

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def plain_json(payload: dict[str, Any], status: int = 200) -> Response:
    """`payload` (plain JSON values only) as an application/json response."""
    return Response(_ENCODER.encode(payload), status=status, mimetype="application/json")
