"""Small text helpers shared by the parser, the renderer and the graders.

Vietnamese text arrives in many shapes: composed or decomposed (macOS saves
NFD), with or without diacritics, in any case. Matching keys, keywords and
short answers must not depend on those accidents of typing.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_KEYWORD_PUNCTUATION = re.compile(r"[_/\-]+")
_DIGITS = re.compile(r"[0-9]{1,9}")

_YES = frozenset({"co", "yes"})
_NO = frozenset({"khong", "no"})


def fold_spaces(text: str) -> str:
    """Collapse every run of white space into one space, and trim."""
    return _SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """`Đảng viên` → `Dang vien`. đ has no decomposition, so it is mapped by hand."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def norm(text: str) -> str:
    """The form keys and keywords are compared in: `SỐ  HIỆU ` → `so hieu`."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return fold_spaces(strip_diacritics(folded))


def norm_keyword(text: str) -> str:
    """norm(), also reading `_`, `/` and `-` as spaces: `đúng/sai`, `true_false`
    and `đúng - sai` all become the same keyword."""
    return fold_spaces(_KEYWORD_PUNCTUATION.sub(" ", norm(text)))


def comparable(text: str, *, ignore_diacritics: bool = False) -> str:
    """The form short answers are compared in: NFC, casefolded, spaces folded,
    and without diacritics when the question says so."""
    folded = fold_spaces(unicodedata.normalize("NFC", text).casefold())
    return strip_diacritics(folded) if ignore_diacritics else folded


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: `Nghị quyết 57` → `nghi-quyet-57`."""
    ascii_text = unicodedata.normalize("NFKD", norm(text)).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text).strip("-")


def word_count(text: str | None) -> int:
    """Words as a reader counts them: runs of letters between spaces."""
    return len(text.split()) if text else 0


def parse_yes_no(text: str) -> bool | None:
    """`có`/`yes` → True, `không`/`no` → False, anything else → None."""
    word = norm(text)
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def parse_whole_number(text: str) -> int | None:
    """`42` → 42; anything else (signs, decimals, other digits like `²`) → None."""
    value = text.strip()
    return int(value) if _DIGITS.fullmatch(value) else None
