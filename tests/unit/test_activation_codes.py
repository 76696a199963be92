"""Activation codes as text (learning/org/codes.py): made, read as typed, shown."""
import hashlib
import math
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning.org import codes


def test_a_new_code_has_at_least_60_bits_and_no_look_alikes():
    assert math.log2(len(codes.ALPHABET)) * codes.LENGTH >= 60
    assert not set("01ILO") & set(codes.ALPHABET)
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET)
    code = codes.new_code()
    assert len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET)
    assert len({codes.new_code() for _ in range(200)}) == 200


def test_codes_are_shown_in_groups_and_read_back_however_typed():
    code = "ABCDE23456FGHJK"
    shown = codes.grouped(code)
    assert shown == "ABCDE-23456-FGHJK"
    for typed in (shown, shown.lower(), " abcde 23456 fghjk ", "abcde–23456—fghjk", "ABCDE.23456_FGHJK",
                  "ＡＢＣＤＥ２３４５６ＦＧＨＪＫ", "abcde-\n23456-fghjk"):
        assert codes.normalise(typed) == code, typed


def test_what_cannot_be_a_code_is_refused():
    for typed in ("", None, "ABCDE-23456-FGHJ", "ABCDE-23456-FGHJKM", "ABCDE-23456-FGHJ0", "OBCDE-23456-FGHJK",
                  "ABCDE-23456-FGHJ1", "ABCDE-23456-FGHJL", "ABCDE-23456-FGHJI", "ABCDE/23456/FGHJK", "ÀBCDE23456FGHJK"):
        assert codes.normalise(typed) is None, typed


def test_only_a_hash_is_kept_and_typed_hash_never_holds_the_code():
    code = codes.new_code()
    digest = codes.code_hash(code)
    assert re.fullmatch("[0-9a-f]{64}", digest) and code not in digest
    assert codes.typed_hash(codes.grouped(code).lower()) == digest
    assert codes.typed_hash("not a code") != digest
    assert re.fullmatch("[0-9a-f]{64}", codes.typed_hash("\x00\ud800"))


@given(st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH))
def test_grouping_then_normalising_gives_the_code_back(code):
    assert codes.normalise(codes.grouped(code)) == code
    assert codes.normalise(codes.grouped(code).lower().replace("-", " ")) == code


# -- codes typed on a phone whose keyboard is in Telex or VNI mode -------------------

_TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"
_KEYBOARDS = {
    # (tone keys, what a key does to the letter before it)
    "telex": (dict(zip("SFRXJ", _TONE_MARKS)), {("A", "A"): "Â", ("E", "E"): "Ê", ("A", "W"): "Ă", ("U", "W"): "Ư"}),
    "vni": (dict(zip("12345", _TONE_MARKS)), {("A", "6"): "Â", ("E", "6"): "Ê", ("A", "8"): "Ă", ("U", "7"): "Ư"}),
}


def typed_with(keyboard: str, keys: str, free_tone: bool = False) -> str:
    """What a phone in Telex or VNI mode shows when `keys` are pressed: a mark
    key changes the vowel before it (or, with `free_tone`, the vowel before a
    final consonant or two: "ans" gives "án"); "dd" / "d9" give "đ"; in Telex
    a "w" that changes nothing gives "ư"."""
    tones, hats = _KEYBOARDS[keyboard]
    shown: list[str] = []
    for key in keys:
        if shown and shown[-1] == "D" and key == ("D" if keyboard == "telex" else "9"):
            shown[-1] = "Đ"
            continue
        changed = False
        for back in range(1, min(len(shown), 3 if free_tone else 1) + 1):
            letter = unicodedata.normalize("NFD", shown[-back])
            base = unicodedata.normalize("NFC", letter.rstrip(_TONE_MARKS))
            tone = letter[len(letter.rstrip(_TONE_MARKS)):]
            if key in tones and not tone and base in "AĂÂEÊUƯY":
                shown[-back], changed = unicodedata.normalize("NFC", base + tones[key]), True
            elif (base, key) in hats:
                shown[-back], changed = unicodedata.normalize("NFC", hats[base, key] + tone), True
            if changed or base not in "CGHMNPT":
                break
        if not changed:
            shown.append("Ư" if keyboard == "telex" and key == "W" else key)
    return "".join(shown)


def test_the_test_keyboards_type_as_phones_do():
    assert typed_with("telex", "DDAAS2EEFUW7AWK") == "ĐẤ2ỀƯ7ĂK"
    assert typed_with("telex", "W2ANS", free_tone=True) == "Ư2ÁN"
    assert typed_with("vni", "D9A63EE6U7A8Y2K") == "ĐẨEÊƯĂỲK"


@pytest.mark.parametrize("keyboard, code", [("telex", "DDAAS2EEFUW7AWK"), ("telex", "W2ANSYJEERAWXUW"),
                                            ("vni", "D9A63EE6U7A8Y2K"), ("vni", "KA6N2E64U75A8MH")])
def test_a_code_typed_in_telex_or_vni_reads_back(keyboard, code):
    for free_tone in (False, True):
        typed = typed_with(keyboard, code, free_tone)
        assert typed != code and codes.normalise(typed) is None
        for shown in (typed, typed.lower(), f" {typed[:4]}-{typed[4:8]} {typed[8:]} "):
            assert code in codes.readings(shown), (keyboard, shown)
        assert codes.typed_hash(typed) == codes.code_hash(codes.readings(typed)[0])


@given(st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH),
       st.sampled_from(sorted(_KEYBOARDS)), st.booleans())
def test_any_code_typed_in_telex_or_vni_reads_back(code, keyboard, free_tone):
    readings = codes.readings(typed_with(keyboard, code, free_tone))
    assert code in readings and len(readings) <= codes.MAX_READINGS


def test_what_no_keyboard_makes_of_a_code_is_still_refused():
    for typed in ("ÀBCDE23456FGHJK", "ÔBCDE-23456-FGHJ", "ƠBCDE23456FGHJ", "ĐĐBCDE23456FGHJ", "A\u0301\u0301BCDE23456FGHJK",
                  "ÁBCDE23456FGH0", "ÇBCDE23456FGHJ", "ấ", "đ" * 16, "Á" * 200):
        assert codes.readings(typed) == [], typed
    assert len(codes.readings("ẦBẦBẦBẦ")) == codes.MAX_READINGS  # bounded, however many ways it could be read


@pytest.mark.parametrize("typed", [
    "\u0301BCDE23456FGHJK",  # a tone mark on nothing
    "ÇBCDE23456FGHJK",  # a cedilla: no Vietnamese keyboard's
    "Đ\u0301BCDE23456FGHJ",  # a tone on đ
    "M\u0301BCDE23456FGHJ",  # a tone on a consonant
    "Â\u0306BCDE23456FGHJ",  # a hat and a breve on one letter
    "A\u0301\u0301BCDE23456FGHJ",  # two tones on one letter
    "ĂBCDE23456FGHJK",  # ă is "aw" (or "a8"), never "w" alone: 16 keys
])
def test_a_mark_no_keyboard_puts_there_reads_as_no_code(typed):
    assert codes.readings(typed) == []


def test_a_mark_key_comes_after_plain_letters_only_and_at_most_three_late():
    # Telex then VNI, marks right after their letter first; never after a digit
    assert codes.readings("ÀB3CDE4567FGHJ") == ["AFB3CDE4567FGHJ", "A2B3CDE4567FGHJ",
                                                "ABF3CDE4567FGHJ", "AB23CDE4567FGHJ"]
    assert codes.readings("À3BCDE4567FGHJ") == ["AF3BCDE4567FGHJ", "A23BCDE4567FGHJ"]
    found = codes.readings("ÀBCDE23456FGHJ")
    assert "ABCDFE23456FGHJ" in found and "ABCDEF23456FGHJ" not in found  # three letters late; not four
    assert "CDE23456FGHJANF" in codes.readings("CDE23456FGHJÀN")  # after the last letter too


def test_a_code_with_many_marked_letters_typed_as_it_goes_reads_back():
    for keyboard, code in (("telex", "AAEEAWUWAAEEAWK"), ("telex", "ASEFARYXAJESAFK"), ("telex", "DDDDDDDDDDDDDDK"),
                           ("vni", "D9D9D9D9D9D9D9K")):
        typed = typed_with(keyboard, code)
        assert code in codes.readings(typed), typed


def test_keys_pressed_in_another_order_read_back():
    typed = typed_with("telex", "ASAASAASAASA234")  # "asa" gives "ấ" as "aas" does
    assert typed == "ẤẤẤẤ234"
    found = codes.readings(typed)
    assert found[0] == "AASAASAASAAS234" and "ASAASAASAASA234" in found


def test_marks_pressed_late_cost_one_per_letter_skipped_and_at_most_six_in_all():
    assert "ANGHSENGHS23456" in codes.readings("ÁNGHÉNGH23456")  # 3 + 3
    found = codes.readings("ÁNGHÉNGHÝN45")
    assert "ANGHSENGHSYSN45" in found and "ANGHSENGHSYNS45" not in found  # 3 + 3 + 0, but not 3 + 3 + 1


def test_the_search_stops_after_its_bound_of_steps(monkeypatch):
    # A step is one letter placed. The first Telex reading of these 14 letters,
    # each mark right after its letter, takes 15 steps (14 letters and the end);
    # with a bound of 15 steps, nothing more is tried.
    monkeypatch.setattr(codes, "_MAX_STEPS", 15)
    assert codes.readings("ÀBCDE23456FGHJ") == ["AFBCDE23456FGHJ"]


def test_typed_hash_tells_apart_different_texts_that_are_no_code():
    assert codes.typed_hash("abc") != codes.typed_hash("xyz")
    assert codes.typed_hash(None) == codes.typed_hash("") == hashlib.sha256(b"").hexdigest()
