"""Activation codes as text: making one, reading one as typed, showing one.
Pure: no database, no Flask.

A code is 15 characters from an alphabet without look-alikes (no 0/O, no
1/I/L): 31 symbols, so log2(31**15) = 74.3 bits of randomness from
`secrets`. (12 characters would give 59.4 bits, short of the 60 asked.)
It is shown in three groups of five, XXXXX-XXXXX-XXXXX; whoever types it may
use either case, spaces, dashes, or none.

Phones often type Vietnamese: in Telex mode "aa" becomes "â", "dd" "đ", "w"
"ư" and a tone key after a vowel ("as") "á"; in VNI mode "a6" becomes "â",
"d9" "đ" and "a2" "à". `readings` undoes this: it gives the codes the
keyboard could have turned into what was typed (most likely first, at most
MAX_READINGS), and activation looks them all up at once. Trying up to
MAX_READINGS codes per attempt costs log2(64) = 6 bits: 68 remain.

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


# -- undoing a Vietnamese keyboard (Telex, VNI) -------------------------------------

MAX_READINGS = 64
# How many plain letters a mark key may follow its vowel by: Telex and VNI
# place a tone (or a hat) on the syllable's vowel, so "ans" gives "án" and
# "uas" "úa". Bounded, and each letter skipped makes the reading less likely.
MAX_DEFER = 3
MAX_COST = 6
_MAX_STEPS = 10_000  # a bound on the search (a few milliseconds), whatever is typed

# The combining marks (NFD) a keyboard puts on a letter: each a modifier
# (the hat, breve or horn of â ă ơ ư) or a tone, and the key each method
# types for it. Telex types the hat by doubling the letter (None here).
_MODIFIERS = {"\u0302": (None, "6"), "\u0306": ("W", "8"), "\u031b": ("W", "7")}
_TONES = {"\u0301": ("S", "1"), "\u0300": ("F", "2"), "\u0309": ("R", "3"), "\u0303": ("X", "4"),
          "\u0323": ("J", "5")}
_D_BAR = {"Đ": ("D", "9")}  # đ does not decompose: Telex "dd", VNI "d9"
TELEX, VNI = 0, 1
_LETTERS = "".join(c for c in ALPHABET if c.isalpha())


def _tokens(text: str) -> list[tuple[str, list[str]]] | None:
    """Each letter typed with the marks on it, upper-cased; None when a mark
    is not one a Vietnamese keyboard makes."""
    tokens: list[tuple[str, list[str]]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not tokens or (char not in _MODIFIERS and char not in _TONES):
                return None
            tokens[-1][1].append(char)
        else:
            tokens.append((char, []))
    return tokens


def _spellings(base: str, marks: list[str], method: int) -> list[tuple[int, str, list[str]]] | None:
    """How one letter may have been typed with `method`: (cost, the letter
    pressed, the mark keys after it in the order pressed); None if it cannot."""
    if base in _D_BAR:
        return None if marks else [(0, "D", [_D_BAR[base][method]])]
    modifiers = [m for m in marks if m in _MODIFIERS]
    tones = [m for m in marks if m in _TONES]
    if len(modifiers) > 1 or len(tones) > 1 or (tones and base not in "AEIOUY"):
        return None
    keys = []
    if modifiers:
        key = _MODIFIERS[modifiers[0]][method]
        keys.append(key if key is not None else base)
    spellings = []
    if tones:
        tone = _TONES[tones[0]][method]
        spellings.append((0, base, [*keys, tone]))
        if keys:
            spellings.append((1, base, [tone, *keys]))  # "asa" gives "ấ" too
    else:
        spellings.append((0, base, keys))
    if method == TELEX and base == "U" and modifiers == ["\u031b"]:  # "w" alone gives "ư"
        spellings += [(cost, "W", keys[1:]) for cost, _base, keys in list(spellings) if keys[0] == "W"]
    return spellings


def _placements(tokens, index: int, method: int) -> list[tuple[int, str, dict[int, list[str]]]] | None:
    """Where the mark keys of one letter may have been pressed: right after
    it, or after up to MAX_DEFER plain letters that follow it (which letter's
    slot: keys). Cost: one per letter skipped."""
    base, marks = tokens[index]
    if not marks and base not in _D_BAR:
        return [(0, base, {})]
    spellings = _spellings(base, marks, method)
    if spellings is None:
        return None
    room = 0
    while (room < MAX_DEFER and index + room + 1 < len(tokens) and not tokens[index + room + 1][1]
           and tokens[index + room + 1][0] in _LETTERS):
        room += 1
    options = []
    for cost, pressed, keys in spellings:
        if base in _D_BAR:  # "dd" and "d9" are pressed together
            options.append((cost, pressed, {index: keys}))
            continue
        for delays in _delays(len(keys), room):
            slots: dict[int, list[str]] = {}
            for key, delay in zip(keys, delays):
                slots.setdefault(index + delay, []).append(key)
            options.append((cost + sum(delays), pressed, slots))
    return options


def _delays(count: int, room: int) -> list[tuple[int, ...]]:
    """Each key's delay, never earlier than the key pressed before it."""
    if count == 0:
        return [()]
    return [(first, *rest) for first in range(room + 1) for rest in _delays(count - 1, room)
            if all(first <= later for later in rest)]


def untype(typed: str | None) -> list[str]:
    """The codes a Telex or VNI keyboard may have turned into `typed`, most
    likely first (marks right after their letter), at most MAX_READINGS.
    A keyboard types in one method, so the two are not mixed in one code."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed or "")).upper()
    if text.isascii() or len(text) > LENGTH:
        return []
    tokens = _tokens(text)
    if tokens is None or len(tokens) > LENGTH or any(b not in ALPHABET and b not in _D_BAR for b, _marks in tokens):
        return []
    found: list[str] = []
    steps = [0]
    by_method = {}
    for method in (TELEX, VNI):
        options = [_placements(tokens, i, method) for i in range(len(tokens))]
        if all(o is not None for o in options):
            by_method[method] = options
    for budget in range(MAX_COST + 1):
        for options in by_method.values():
            for code in _combine(options, budget, steps):
                if code not in found:
                    found.append(code)
                    if len(found) == MAX_READINGS:
                        return found
    return found


def _combine(options, budget: int, steps: list[int]):
    """The valid codes whose placements cost exactly `budget`, in order."""
    lengths = [[len(pressed) + sum(len(keys) for keys in slots.values()) for _cost, pressed, slots in choices]
               for choices in options]
    least = [0] * (len(options) + 1)
    most = [0] * (len(options) + 1)
    for i in range(len(options) - 1, -1, -1):
        least[i], most[i] = least[i + 1] + min(lengths[i]), most[i + 1] + max(lengths[i])

    def walk(i: int, left: int, length: int, pressed: list[str], slots: dict[int, list[str]]):
        steps[0] += 1
        if steps[0] > _MAX_STEPS or length + least[i] > LENGTH or length + most[i] < LENGTH:
            return
        if i == len(options):
            if left == 0:
                code = "".join(p + "".join(slots.get(j, ())) for j, p in enumerate(pressed))
                if _CODE.fullmatch(code):
                    yield code
            return
        for (cost, letter, own), size in zip(options[i], lengths[i]):
            if cost > left or any(j in slots for j in own):
                continue
            yield from walk(i + 1, left - cost, length + size, [*pressed, letter], {**slots, **own})

    yield from walk(0, budget, 0, [], {})


def readings(typed: str | None) -> list[str]:
    """The codes what was typed may be: the code itself when it reads as one
    (normalise), else what a Vietnamese keyboard may have made of one
    (untype). Empty when it can be no code."""
    code = normalise(typed)
    return [code] if code is not None else untype(typed)


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
    found = readings(typed)
    if found:
        return code_hash(found[0])
    return hashlib.sha256((typed or "").encode("utf-8", "surrogatepass")).hexdigest()
