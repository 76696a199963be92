"""Members are listed the Vietnamese way: given name first, then the rest, in
Vietnamese letter order, tone marks breaking ties only."""
import unicodedata

from learning.org.names import sort_key, tidy


def ordered(*names):
    return sorted(names, key=sort_key)


def test_the_given_name_orders_before_the_family_name():
    assert ordered("Trần Văn Bình", "Nguyễn Thị An") == ["Nguyễn Thị An", "Trần Văn Bình"]


def test_the_rest_of_the_name_breaks_ties_between_given_names():
    assert ordered("Trần Văn An", "Lê Thị An") == ["Lê Thị An", "Trần Văn An"]


def test_vietnamese_letters_follow_their_base_letter():
    # a < ă < â < b and d < đ < e < ê < g, o < ô < ơ, u < ư < v
    assert ordered("X Bình", "X Âu", "X Ăn", "X An") == ["X An", "X Ăn", "X Âu", "X Bình"]
    assert ordered("X Giang", "X Êm", "X Em", "X Đức", "X Dũng") == ["X Dũng", "X Đức", "X Em", "X Êm", "X Giang"]
    assert ordered("X Vân", "X Ưng", "X Uyên", "X Ơn", "X Ông", "X Oanh") == [
        "X Oanh", "X Ông", "X Ơn", "X Uyên", "X Ưng", "X Vân"]


def test_tone_marks_only_break_ties_in_the_dictionary_order():
    tones = ["X Ma", "X Mà", "X Mả", "X Mã", "X Má", "X Mạ"]
    assert ordered(*reversed(tones)) == tones
    assert ordered("X Mạnh", "X Mai") == ["X Mai", "X Mạnh"]  # letters before tones


def test_a_shorter_word_sorts_before_a_longer_one():
    assert ordered("X Anh", "X An") == ["X An", "X Anh"]
    assert ordered("Lê Văn An", "Lê An") == ["Lê An", "Lê Văn An"]


def test_a_decomposed_name_with_stray_spaces_sorts_and_tidies_like_the_typed_one():
    typed = "Nguyễn Thị Ánh"
    pasted = "  " + unicodedata.normalize("NFD", "Nguyễn  Thị   Ánh") + " "
    assert tidy(pasted) == typed
    assert sort_key(pasted) == sort_key(typed)


def test_case_does_not_change_the_order():
    assert sort_key("NGUYỄN VĂN AN") == sort_key("Nguyễn Văn An")


def test_keys_use_only_characters_that_sort_alike_in_every_collation():
    key = sort_key("Đặng Thị Wendy-Ngọc 2")
    assert key.isascii() and key.isalnum() and key == key.upper()
