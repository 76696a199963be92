"""Activation codes as text (learning/org/codes.py): made, read as typed, shown."""
import math
import re

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
