"""Security settings that must hold in production, not only in tests."""
from argon2 import PasswordHasher

from learning.core.config import Config
from learning.core.security import CONTENT_SECURITY_POLICY


def test_password_hashing_is_at_least_owasp_strength():
    # OWASP Password Storage Cheat Sheet: Argon2id, m >= 19 MiB, t >= 2, p >= 1
    # (or an equivalent trade of more memory for fewer passes).
    assert Config.PASSWORD_HASH_MEMORY_KIB >= 19 * 1024
    assert Config.PASSWORD_HASH_TIME_COST >= 2
    assert Config.PASSWORD_HASH_PARALLELISM >= 1
    hasher = PasswordHasher(time_cost=Config.PASSWORD_HASH_TIME_COST,
                            memory_cost=Config.PASSWORD_HASH_MEMORY_KIB,
                            parallelism=Config.PASSWORD_HASH_PARALLELISM)
    assert hasher.hash("x").startswith("$argon2id$")


def test_session_cookie_defaults():
    assert Config.SESSION_COOKIE_HTTPONLY is True
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"


def test_csp_allows_no_inline_script_or_style():
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
