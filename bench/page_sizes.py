"""Compressed size of what a phone downloads for each member page: the HTML
plus the CSS and scripts it references (fetched once, then cached).

Runs the app in-process on a throwaway SQLite database with the demo
organisation and the shipped lessons. Prints figures; asserts nothing.
"""
from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from learning import (
    create_app,  # noqa: E402
    demo,  # noqa: E402
)
from learning.core import db, migrate  # noqa: E402
from learning.core.clock import vietnam_today  # noqa: E402
from learning.lessons import publishing  # noqa: E402
from learning.lessons.catalogue import published_lessons  # noqa: E402

BUDGET = 20 * 1024  # issue 3's target for HTML+CSS+JS, lesson text aside


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        demo.load_demo_organisation()
        publishing.import_files(publishing.collect_lesson_files([str(Path(app.root_path).parent / "content")]))
        demo.load_demo_campaigns(vietnam_today())
        db.session.commit()
        lessons = [lesson.slug for lesson, _v in published_lessons()]
    client = app.test_client()
    pages = [("sign-in", "/login"), ("home", "/"), ("search", "/search?q=nghi+quyet+57")]
    pages += [(f"lesson {slug}", f"/lessons/{slug}") for slug in lessons]

    assets: dict[str, int] = {}
    print(f"{'page':38} {'HTML':>8} {'HTML gz':>8} {'assets gz':>9} {'total gz':>9}")
    for name, path in pages:
        measure(client, name, path, assets)
        if name == "sign-in":
            client.post("/login", data={"identifier": demo.demo_phone(1, 2), "password": demo.DEMO_PASSWORD})
    for name, path in quiz_pages(client, lessons[0]):
        measure(client, name, path, assets)
    print("assets (gzip):", ", ".join(f"{k} {v} B" for k, v in sorted(assets.items())))


def quiz_pages(client, slug: str):
    """An open attempt's page, then (once it is submitted) its result page."""
    token = re.search(rb'name="csrf_token" value="([^"]+)"', client.get(f"/lessons/{slug}").get_data()).group(1)
    attempt = client.post(f"/lessons/{slug}/quiz", data={"csrf_token": token.decode()}).headers["Location"]
    yield f"quiz {slug}", attempt
    client.post(f"{attempt}/submit", data={"csrf_token": token.decode(), "confirm": "1"})  # nothing answered
    yield f"result {slug}", f"{attempt}/result"


def measure(client, name: str, path: str, assets: dict[str, int]) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data()
    asset_total = 0
    for ref in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        ref = ref.decode()
        if ref not in assets:
            assets[ref] = gz(client.get(ref).get_data())
        asset_total += assets[ref]
    total = gz(html) + asset_total
    flag = "" if total <= BUDGET else "  over 20 KB"
    print(f"{name:38} {len(html):>8} {gz(html):>8} {asset_total:>9} {total:>9}{flag}")


if __name__ == "__main__":
    main()
