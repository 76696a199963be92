"""Vietnamese is the default language: every string marked for translation in
the code and templates must have a Vietnamese translation, so no member ever
sees an English sentence by accident."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "learning/translations/vi/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def _extracted_msgids() -> set[str]:
    found = set()
    method_map = [("learning/**.py", "python"), ("templates/**.html", "jinja2")]
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _translated() -> dict[str, object]:
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
        for m in catalogue if m.id and not m.fuzzy
    }


def test_every_marked_string_has_a_vietnamese_translation():
    translated = _translated()
    missing = sorted(
        msgid for msgid in _extracted_msgids()
        if not translated.get(msgid) or (isinstance(translated[msgid], tuple) and not all(translated[msgid]))
    )
    assert missing == [], "run `make extract-messages` and translate these in vi/messages.po"


def test_translations_keep_their_placeholders():
    import re
    for msgid, string in _translated().items():
        strings = string if isinstance(string, tuple) else (string,)
        for s in strings:
            assert set(re.findall(r"%\((\w+)\)s", s)) <= set(re.findall(r"%\((\w+)\)s", msgid)) | {"num"}, msgid


def test_each_document_kind_reads_in_vietnamese_as_authors_write_it():
    """The parser's Vietnamese name of a kind (what authors type) and the
    catalogue's translation of its English name (what pages show) agree."""
    from learning.lessons.authoring import DOCUMENT_KINDS
    translated = _translated()
    assert {code: translated.get(kind.english) for code, kind in DOCUMENT_KINDS.items()} == {
        code: kind.label for code, kind in DOCUMENT_KINDS.items()}
