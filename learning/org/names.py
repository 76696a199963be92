"""People's names: tidied as typed or imported, and sorted the Vietnamese way.

A Vietnamese list of people is ordered by the given name (the last word),
then by the rest (family name, middle names), in Vietnamese letter order
(a ă â b c d đ e ê g ... ư v x y), where tone marks only break ties, in the
dictionary's order (none, huyền, hỏi, ngã, sắc, nặng). `sort_key` turns a
name into a string that sorts that way byte by byte, so the database orders
a cell's members with an index, on SQLite and on PostgreSQL alike (the
column uses the C collation there). Pure: no database, no Flask.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"  # the 29 letters of the alphabet, in order
_ENCODING = "23456789ABCDEFGHIJKLMNOPQRSTU"  # one code per letter, ascending in every collation
_END_OF_LETTERS, _BETWEEN_WORDS = "0", "1"  # below every letter: a shorter word sorts first
_OTHER_LETTER = "V"  # f, j, w, z (foreign names) after y; digits and signs after those
_OTHER_SIGN = "W"
# Combining tone marks, in the dictionary's order after "no tone" (0).
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a letter of their own (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_FOREIGN = "fjwz"


def tidy(name: str) -> str:
    """One space between words, none around, composed Unicode (NFC): what a
    roster typed in Excel, or pasted from a decomposed source, becomes."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def folded(text: str) -> str:
    """`Nguyễn  Văn ĐỨC` → `nguyen van duc`: what a name is searched by, and
    what a query is turned into, so typing without diacritics finds it. The
    same folding as lessons.search.fold (authoring.text.comparable with
    ignore_diacritics), which this layer may not import; a test keeps the two
    equal."""
    bare = "".join(c for c in unicodedata.normalize("NFD", tidy(text).casefold()) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d"))


# Vietnamese has a few thousand syllables: a roster of 150,000 names is
# mostly the same ones again, so each is worked out once.
@lru_cache(maxsize=16384)
def _syllable(word: str) -> tuple[str, str]:
    """(letter codes, tone code) of one word."""
    letters, tone = [], "0"
    for char in unicodedata.normalize("NFD", word.casefold()):
        if char in _TONES:
            tone = _TONES[char]
        elif char in _LETTER_MARKS and letters:
            composed = unicodedata.normalize("NFC", letters.pop()[1] + char)
            letters.append(_letter(composed))
        elif not unicodedata.combining(char):
            letters.append(_letter(char))
    return "".join(code for code, _base in letters), tone


def _letter(char: str) -> tuple[str, str]:
    index = _LETTERS.find(char)
    if index >= 0:
        return _ENCODING[index], char
    return (_OTHER_LETTER if char in _FOREIGN else _OTHER_SIGN), char


def sort_key(full_name: str) -> str:
    """The string that sorts `full_name` the Vietnamese way (see above)."""
    words = tidy(full_name).split(" ")
    ordered = words[-1:] + words[:-1]  # the given name first
    syllables = [_syllable(word) for word in ordered if word]
    letters = _BETWEEN_WORDS.join(codes for codes, _tone in syllables)
    tones = "".join(tone for _codes, tone in syllables)
    return f"{letters}{_END_OF_LETTERS}{tones}"[:200]


def name_columns(full_name: str) -> dict[str, str]:
    """The columns a user row derives from the full name: the ORM sets them
    (User's validator), and every Core insert or update of users must too."""
    return {"name_key": sort_key(full_name), "search_name": folded(full_name)[:120]}
