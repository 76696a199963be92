"""The digest of a value's content: the same content always has the same
digest (keys sorted, no spaces, text as UTF-8), so content stored once and
never changed (a grading scale, an evaluation's rules) finds its row."""
from __future__ import annotations

import hashlib
import json
from typing import Any


def content_digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
