"""A source as a front end receives it (bytes from a file, text from the
editor) → the text every front end reads: UTF-8 decoded, NFC, `\\n` line ends,
no BOM; refused at once when it is over the size limit, or when it holds a
character no database stores (NUL, a lone surrogate)."""
from __future__ import annotations

import re
import unicodedata

from learning.lessons.authoring.limits import MAX_SOURCE_CHARS, SOURCE_TOO_LONG
from learning.lessons.authoring.messages import _
from learning.lessons.authoring.model import Problem

# What no database stores in text: NUL (PostgreSQL refuses it) and lone
# surrogates (not UTF-8). The web's edge refuses the same (learning/core/input.py).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def read_source(source: bytes | str) -> tuple[str | None, Problem | None]:
    """The text of a source, or the one problem why it cannot be read: over
    the size limit (found without reading the rest), not UTF-8, or holding
    a character no database stores."""
    too_large = _size_problem(source)
    if too_large is not None:
        return None, too_large
    text, problem = _decode(source)
    if text is not None and (found := UNSTORABLE.search(text)) is not None:
        line = text.count("\n", 0, found.start()) + 1
        return None, Problem(line, "file.unstorable", _(
            "This line holds a character that cannot be stored (a NUL character or an invalid Unicode "
            "character): remove it"))
    return text, problem


def _size_problem(source: bytes | str) -> Problem | None:
    # A character is at least one byte: a source this short, in bytes or in
    # characters, fits. Only a longer one is measured as the stored text.
    if len(source) <= MAX_SOURCE_CHARS:
        return None
    text = source.decode("utf-8", errors="replace") if isinstance(source, bytes) else source
    text = normalised(text)
    if len(text) <= MAX_SOURCE_CHARS:
        return None
    line = text.count("\n", 0, MAX_SOURCE_CHARS + 1) + 1  # where the text passes the limit
    return Problem(line, "file.too_large", _(SOURCE_TOO_LONG, length=len(text), max=MAX_SOURCE_CHARS))


def _decode(source: bytes | str) -> tuple[str | None, Problem | None]:
    if isinstance(source, bytes):
        raw = source.removeprefix(b"\xef\xbb\xbf")
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            return None, Problem(line, "file.encoding", _(
                "The file is not UTF-8 text (first bad byte on this line): save it again as UTF-8"))
    return normalised(source), None


def normalised(text: str) -> str:
    """The text as stored and compared: NFC, `\\n` line ends, no BOM."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Some systems save Vietnamese decomposed (NFD); every comparison assumes NFC.
    return unicodedata.normalize("NFC", text)
