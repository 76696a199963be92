"""Configuration: defaults, then environment overrides.

Secrets never live in the repository: SECRET_KEY comes from the environment
or is generated once into the instance folder (which git ignores).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Config:
    # Filled in by load_config(); listed here so the names are discoverable.
    SECRET_KEY: str = ""
    DATABASE_URL: str = ""
    SQLALCHEMY_ECHO = False

    # Sessions: HttpOnly and SameSite=Lax always; Secure is decided per
    # request (see core.security.SecureWhenHttpsSessionInterface).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "hoctap_session"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30  # members stay signed in on their phone
    SESSION_REFRESH_EACH_REQUEST = False  # no new cookie on every answer saved
    FORCE_SECURE_COOKIES = False
    TRUST_PROXY = False  # behind nginx: honour X-Forwarded-For/-Proto from one proxy

    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session: slow readers must not lose a form

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    # Argon2id. OWASP (2024) minimum: m=19 MiB, t=2, p=1. We use RFC 9106's
    # second recommended option, which is stronger on every axis.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_KIB = 65536
    PASSWORD_HASH_PARALLELISM = 4

    # Rate limits are shared between app processes: in the app's database by
    # default (learning/core/ratelimit.py), in Redis when set to redis://...
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_STRATEGY = "fixed-window"  # the only strategy database:// supports
    # No X-RateLimit headers: they would cost the database a read per sign-in
    # (and on the 429 page), and describe only one of the two sign-in limits.
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "10 per minute"  # per account and address
    LOGIN_RATE_LIMIT_PER_ADDRESS = "200 per minute"
    # Activation codes (org.activation): how long a printed code lasts, and
    # how often codes may be tried (a whole cell meeting activates from one
    # Wi-Fi; a code has 74 bits of randomness, so the limits only bound load).
    ACTIVATION_CODE_DAYS = 30
    ACTIVATION_RATE_LIMIT_PER_ADDRESS = "60 per minute"
    ACTIVATION_RATE_LIMIT_PER_CODE = "5 per minute"  # one code, from any address
    ACTIVATION_RATE_LIMIT = "600 per minute"  # every code attempt, from everywhere

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # a lesson source is a few tens of KB


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the settings for one app: class defaults < environment < overrides."""
    settings = {k: v for k, v in vars(Config).items() if k.isupper()}
    env = os.environ
    settings["DATABASE_URL"] = env.get("DATABASE_URL") or _default_sqlite_url(instance_path)
    if env.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = env["RATELIMIT_STORAGE_URI"]
    for flag in ("FORCE_SECURE_COOKIES", "TRUST_PROXY"):
        if env.get(flag):
            settings[flag] = env[flag].lower() in ("1", "true", "yes")
    settings.update(overrides or {})
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = env.get("SECRET_KEY") or _instance_secret(instance_path)
    return settings


def _default_sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "hoctap.sqlite3")


def _instance_secret(instance_path: str) -> str:
    """Generate the secret key once and keep it in instance/, readable by us only."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker process won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key
