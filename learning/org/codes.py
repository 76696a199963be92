"""Activation codes as text: making one, reading one as typed, showing one.
Pure: no database, no Flask.

A code is 15 characters from an alphabet without look-alikes (no 0/O, no
1/I/L): 31 symbols, so log2(31**15) = 74.3 bits of randomness from
`secrets`. (12 characters would give 59.4 bits, short of the 60 asked.)
It is shown in three groups of five, XXXXX-XXXXX-XXXXX; whoever types it may
use either case, spaces, dashes, or none.

Only a SHA-256 of the compact code is stored. A slow password hash (argon2)
is for secrets people choose, which an attacker can guess from a list; a
code drawn with 74 bits of randomness cannot be guessed from any list, and
even at 10^10 SHA-256 hashes a second, finding one code from a leaked hash
would take about 2.5 million years on average. A fast hash lets the code be
found by one indexed look-up, with no salt to try row by row.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0, 1, I, L, O
GROUP_SIZE = 5
GROUPS = 3
LENGTH = GROUP_SIZE * GROUPS

# What people type between the characters, or phones add: spaces of any kind,
# ASCII and typographic dashes, dots, underscores.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._]+")
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    """A fresh code, compact (no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str | None) -> str | None:
    """The compact code in what was typed, or None when it cannot be one:
    full-width letters read as letters (NFKC), case and separators ignored."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed or "")).upper()
    return compact if _CODE.fullmatch(compact) else None


def grouped(code: str) -> str:
    """XXXXX-XXXXX-XXXXX, as printed."""
    return "-".join(code[i:i + GROUP_SIZE] for i in range(0, len(code), GROUP_SIZE))


def code_hash(code: str) -> str:
    """What is stored: the SHA-256 of the compact code (see the module's docstring)."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def typed_hash(typed: str | None) -> str:
    """A stable stand-in for whatever was typed, e.g. as a rate-limit key:
    the stored hash when it is a code, else a hash of the text itself, so no
    code reaches a counter table in clear."""
    code = normalise(typed)
    if code is not None:
        return code_hash(code)
    return hashlib.sha256((typed or "").encode("utf-8", "surrogatepass")).hexdigest()
