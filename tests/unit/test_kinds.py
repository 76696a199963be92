"""Question kinds: how authors name them, what they accept, how they grade."""
from __future__ import annotations

import json
import unicodedata
from fractions import Fraction

import pytest

from learning.lessons.authoring import KINDS, kind_for
from learning.lessons.authoring.kinds.base import ChoiceEntry, Entry, QuestionSource

FULL, NONE = Fraction(1), Fraction(0)


def build(code: str, *, choices=(), **extras: list[str]):
    """kinds[code].build on a source with the given choices ("[x] text") and properties."""
    source = QuestionSource(
        line=10,
        extras={name: [Entry(20 + i, name, value) for i, value in enumerate(values)] for name, values in extras.items()},
        choices=[ChoiceEntry(30 + i, text[4:], correct=text.startswith("[x]")) for i, text in enumerate(choices)],
    )
    data, problems = KINDS[code].build(source)
    json.dumps(data)  # stored as JSON: must serialise
    return data, [(problem.line, problem.code) for problem in problems]


# -- the registry --------------------------------------------------------------

def test_registry_holds_the_five_kinds():
    assert list(KINDS) == ["single", "multiple", "true_false", "short_text", "reflection"]
    assert all(kind.code == code for code, kind in KINDS.items())


@pytest.mark.parametrize(("written", "code"), [
    ("Một lựa chọn", "single"), ("MOT LUA CHON", "single"), ("single", "single"),
    ("Nhiều lựa chọn", "multiple"), ("multiple choice", "multiple"),
    ("Đúng sai", "true_false"), ("đúng/sai", "true_false"), ("true_false", "true_false"), ("True/False", "true_false"),
    ("Trả lời ngắn", "short_text"), ("short text", "short_text"),
    ("Thu hoạch", "reflection"), ("Bài thu hoạch", "reflection"), ("reflection", "reflection"),
    (unicodedata.normalize("NFD", "Nhiều lựa chọn"), "multiple"),
])
def test_kind_aliases(written, code):
    assert kind_for(written).code == code


def test_unknown_kind():
    assert kind_for("Điền khuyết") is None


def test_kind_facts():
    assert [(k.default_points, k.takes_choices) for k in KINDS.values()] == [
        (1, True), (1, True), (1, False), (1, False), (10, False),
    ]


# -- building data -------------------------------------------------------------

def test_choices_get_keys_in_order_and_inline_html():
    data, problems = build("single", choices=["[ ] *Một*", "[x] Hai", "[ ] Ba"])
    assert problems == []
    assert data == {"choices": [
        {"key": "a", "text": "*Một*", "html": "<em>Một</em>", "correct": False},
        {"key": "b", "text": "Hai", "html": "Hai", "correct": True},
        {"key": "c", "text": "Ba", "html": "Ba", "correct": False},
    ]}


def test_choice_html_is_sanitised():
    data, _ = build("single", choices=["[x] <img src=x onerror=alert(1)>Một", "[ ] [Hai](javascript:alert(1))"])
    assert [c["html"] for c in data["choices"]] == ["Một", "<a>Hai</a>"]


@pytest.mark.parametrize(("choices", "expected"), [
    ([], [(10, "question.choice_count")]),
    (["[x] A"], [(10, "question.choice_count")]),
    ([f"[{'x' if i == 0 else ' '}] {i}" for i in range(11)], [(10, "question.choice_count")]),
    (["[ ] A", "[ ] B"], [(10, "question.no_correct")]),
    (["[x] A", "[x] B", "[ ] C"], [(31, "question.single_many_correct")]),
    (["[x] Hà Nội", "[ ] HÀ  NỘI"], [(31, "question.duplicate_choice")]),
])
def test_single_choice_problems(choices, expected):
    assert build("single", choices=choices)[1] == expected


def test_diacritics_make_choices_different():
    assert build("single", choices=["[x] Mã", "[ ] Má", "[ ] Ma"])[1] == []


def test_multiple_choice_allows_several_correct():
    data, problems = build("multiple", choices=["[x] A", "[x] B", "[ ] C"])
    assert problems == []
    assert [c["correct"] for c in data["choices"]] == [True, True, False]


def test_multiple_choice_needs_one_correct():
    assert build("multiple", choices=["[ ] A", "[ ] B"])[1] == [(10, "question.no_correct")]


@pytest.mark.parametrize(("answer", "value"), [("Đúng", True), ("đúng", True), ("true", True), ("Sai", False), ("FALSE", False)])
def test_true_false_answer(answer, value):
    assert build("true_false", answer=[answer]) == ({"answer": value}, [])


def test_true_false_problems():
    assert build("true_false")[1] == [(10, "question.answer_missing")]
    assert build("true_false", answer=["Có"])[1] == [(20, "question.value")]


def test_short_text_data():
    assert build("short_text", answer=["Hà Nội", "Ha Noi"], ignore_diacritics=["có"]) == (
        {"answers": ["Hà Nội", "Ha Noi"], "ignore_diacritics": True}, [])
    assert build("short_text", answer=["x"])[0]["ignore_diacritics"] is False


def test_short_text_problems():
    assert build("short_text")[1] == [(10, "question.answer_missing")]
    assert build("short_text", answer=["x"], ignore_diacritics=["hơi hơi"])[1] == [(20, "question.value")]


def test_reflection_data():
    assert build("reflection") == ({"min_words": 0, "max_words": None}, [])
    assert build("reflection", min_words=["100"], max_words=["100"]) == ({"min_words": 100, "max_words": 100}, [])


def test_reflection_word_limits_hold_at_their_bounds():
    """0 and 5,000 words at least, 1 and 10,000 at most: each bound itself is accepted."""
    assert build("reflection", min_words=["0"]) == ({"min_words": 0, "max_words": None}, [])
    assert build("reflection", min_words=["5000"]) == ({"min_words": 5000, "max_words": None}, [])
    assert build("reflection", max_words=["1"]) == ({"min_words": 0, "max_words": 1}, [])
    assert build("reflection", max_words=["10000"]) == ({"min_words": 0, "max_words": 10000}, [])


@pytest.mark.parametrize(("extras", "code"), [
    ({"min_words": ["5001"]}, "question.range"),
    ({"min_words": ["-1"]}, "question.value"),
    ({"max_words": ["0"]}, "question.range"),
    ({"max_words": ["10001"]}, "question.range"),
    ({"min_words": ["300"], "max_words": ["299"]}, "question.range"),
])
def test_reflection_problems(extras, code):
    assert [c for _line, c in build("reflection", **extras)[1]] == [code]


def test_each_kind_accepts_only_its_properties():
    accepted = {code: {spec.name for spec in kind.properties} for code, kind in KINDS.items()}
    assert accepted == {
        "single": set(), "multiple": set(), "true_false": {"answer"},
        "short_text": {"answer", "ignore_diacritics"}, "reflection": {"min_words", "max_words"},
    }
    assert [code for code, kind in KINDS.items() if kind.repeatable] == ["short_text"]


# -- grading -------------------------------------------------------------------

CHOICES = {"choices": [
    {"key": "a", "text": "A", "html": "A", "correct": True},
    {"key": "b", "text": "B", "html": "B", "correct": False},
    {"key": "c", "text": "C", "html": "C", "correct": True},
]}


@pytest.mark.parametrize(("response", "score"), [("a", FULL), ("b", NONE), ("z", NONE), (None, NONE)])
def test_grade_single(response, score):
    single = {"choices": [dict(c, correct=c["key"] == "a") for c in CHOICES["choices"]]}
    assert KINDS["single"].grade(single, response) == score


@pytest.mark.parametrize(("response", "score"), [
    ({"a", "c"}, FULL),
    (["c", "a"], FULL),
    ({"a"}, NONE),  # all or nothing: a missing right choice earns nothing
    ({"a", "b", "c"}, NONE),  # ticking every box earns nothing
    (set(), NONE),
    (None, NONE),
])
def test_grade_multiple_is_all_or_nothing(response, score):
    assert KINDS["multiple"].grade(CHOICES, response) == score


@pytest.mark.parametrize(("answer", "response", "score"), [
    (True, True, FULL), (True, False, NONE), (False, False, FULL), (False, True, NONE),
    (False, None, NONE), (True, "true", NONE), (True, 1, NONE),
])
def test_grade_true_false(answer, response, score):
    assert KINDS["true_false"].grade({"answer": answer}, response) == score


STRICT = {"answers": ["Hà Nội", "Thủ đô Hà Nội"], "ignore_diacritics": False}
FOLDED = dict(STRICT, ignore_diacritics=True)


@pytest.mark.parametrize(("response", "strict", "folded"), [
    ("Hà Nội", FULL, FULL),
    ("  HÀ   NỘI ", FULL, FULL),  # case and spacing never matter
    ("hà\tnội", FULL, FULL),
    (unicodedata.normalize("NFD", "Hà Nội"), FULL, FULL),  # nor the Unicode form
    ("thủ đô hà nội", FULL, FULL),
    ("Ha Noi", NONE, FULL),  # diacritics matter unless the question ignores them
    ("THU DO HA NOI", NONE, FULL),
    ("Hà Nam", NONE, NONE),
    ("Hà", NONE, NONE),
    ("", NONE, NONE),
    (None, NONE, NONE),
])
def test_grade_short_text(response, strict, folded):
    assert KINDS["short_text"].grade(STRICT, response) == strict
    assert KINDS["short_text"].grade(FOLDED, response) == folded


def test_grade_short_text_folds_d_with_stroke():
    data = {"answers": ["Đảng"], "ignore_diacritics": True}
    assert KINDS["short_text"].grade(data, "dang") == FULL
    assert KINDS["short_text"].grade(dict(data, ignore_diacritics=False), "dang") == NONE


def test_reflection_is_graded_by_a_person():
    assert KINDS["reflection"].grade({"min_words": 0, "max_words": None}, "Bài viết dài.") is None


def test_scores_are_fractions_in_the_unit_interval():
    scores = [
        KINDS["single"].grade(CHOICES, "a"), KINDS["multiple"].grade(CHOICES, {"b"}),
        KINDS["true_false"].grade({"answer": True}, True), KINDS["short_text"].grade(STRICT, "x"),
    ]
    assert all(isinstance(score, Fraction) and 0 <= score <= 1 for score in scores)


# -- reading what a member submitted -------------------------------------------

def test_read_response_keeps_only_values_that_belong_to_the_question():
    data = {"choices": [{"key": "a", "correct": True}, {"key": "b", "correct": False}]}
    assert KINDS["single"].read_response(data, ["b"]) == "b"
    assert KINDS["single"].read_response(data, ["z"]) is None
    assert KINDS["single"].read_response(data, []) is None
    assert KINDS["multiple"].read_response(data, ["b", "a", "a", "q"]) == ["a", "b"]
    assert KINDS["multiple"].read_response(data, []) is None
    assert KINDS["true_false"].read_response({"answer": True}, ["false"]) is False
    assert KINDS["true_false"].read_response({"answer": True}, ["maybe"]) is None
    assert KINDS["short_text"].read_response({}, ["  30%  "]) == "30%"
    assert KINDS["short_text"].read_response({}, ["   "]) is None
    assert KINDS["reflection"].read_response({}, ["x" * 200_000]) == "x" * 100_000


def test_every_kind_has_its_three_templates():
    """Adding a kind is adding its class and its templates, nothing else."""
    from pathlib import Path
    templates = Path(__file__).resolve().parents[2] / "templates"
    for kind in KINDS.values():
        for folder in ("study/quiz/answer", "study/quiz/review", "lessons/preview"):
            assert (templates / folder / f"{kind.template}.html").is_file(), (kind.code, folder)


# -- model answers (demo data, benchmarks) -----------------------------------------

@pytest.mark.parametrize(("code", "sources"), [
    ("single", {"choices": ("[ ] Hai", "[x] Ba", "[ ] Bốn")}),
    ("multiple", {"choices": ("[x] Một", "[ ] Hai", "[x] Ba")}),
    ("true_false", {"answer": ["Sai"]}),
    ("true_false", {"answer": ["Đúng"]}),
    ("short_text", {"answer": ["Nghị quyết 57"]}),
])
def test_a_kinds_model_values_earn_full_credit(code, sources):
    # The parameters are shared by every run of the test (mutmut runs it many
    # times in one process): read them, never pop from them.
    extras = {name: values for name, values in sources.items() if name != "choices"}
    data, problems = build(code, choices=sources.get("choices", ()), **extras)
    assert problems == []
    kind = KINDS[code]
    assert kind.grade(data, kind.read_response(data, kind.model_values(data))) == FULL


def test_a_reflection_has_no_model_answer():
    assert KINDS["reflection"].model_values({"min_words": 0, "max_words": 500}) == []


# -- what a problem says -------------------------------------------------------------
# Without a translator installed, a message is the English text with its values.

def _messages(code: str, **kwargs) -> list[tuple[int, str]]:
    source = QuestionSource(
        line=10,
        extras={name: [Entry(20 + i, key, value) for i, value in enumerate(values)]
                for name, (key, values) in kwargs.pop("extras", {}).items()},
        choices=[ChoiceEntry(30 + i, text[4:], correct=text.startswith("[x]")) for i, text in
                 enumerate(kwargs.pop("choices", ()))],
    )
    return [(problem.line, problem.message) for problem in KINDS[code].build(source)[1]]


def test_choice_messages_say_what_to_write():
    assert _messages("single", choices=["[x] A"]) == [
        (10, "Write 2 to 10 choices ‘- [ ] …’, with ‘- [x] …’ for the right ones (this question has 1)")]
    assert _messages("multiple", choices=["[ ] A", "[ ] B"]) == [
        (10, "No choice is marked correct: write [x] before the right choice")]
    assert _messages("single", choices=["[x] Hà Nội", "[ ] Huế", "[ ] HÀ  NỘI"]) == [
        (32, "Choice ‘HÀ  NỘI’ repeats the choice on line 30")]
    assert _messages("single", choices=["[x] A", "[x] B", "[ ] C"]) == [
        (31, "A ‘Một lựa chọn’ question has exactly one right choice, but ‘B’ is also marked [x]: "
             "change it to [ ], or write ‘Loại: Nhiều lựa chọn’")]


def test_answer_messages_say_what_to_write():
    assert _messages("true_false") == [(10, "Add the answer: a line ‘- Đáp án: Đúng’ or ‘- Đáp án: Sai’")]
    assert _messages("true_false", extras={"answer": ("Đáp án", ["Có"])}) == [
        (20, "‘Đáp án: Có’: write Đúng or Sai")]
    assert _messages("short_text") == [(10, "Add at least one accepted answer: a line ‘- Đáp án: …’ for each")]
    assert _messages("short_text", extras={"answer": ("Đáp án", [f"a{i}" for i in range(21)])}) == [
        (10, "This question lists 21 accepted answers; keep at most 20")]
    assert _messages("short_text", extras={"answer": ("Đáp án", ["ngắn", "x" * 501])}) == [
        (21, "This accepted answer is 501 characters long, but the answer box takes at most 500")]
    assert _messages("short_text", extras={"answer": ("Đáp án", ["x"]),
                                           "ignore_diacritics": ("Bỏ qua dấu", ["hơi hơi"])}) == [
        (20, "‘Bỏ qua dấu: hơi hơi’: write có or không")]
    assert _messages("reflection", extras={"min_words": ("Số từ tối thiểu", ["300"]),
                                           "max_words": ("Số từ tối đa", ["299"])}) == [
        (20, "‘Số từ tối đa: 299’: write a whole number from 300 to 10000")]


def test_a_radio_form_answers_with_its_first_value():
    data = {"choices": [{"key": "a", "correct": True}, {"key": "b", "correct": False}]}
    assert KINDS["single"].read_response(data, ["b", "a"]) == "b"


def test_no_value_submitted_is_no_response():
    assert KINDS["short_text"].read_response({}, []) is None
    assert KINDS["reflection"].read_response({}, []) is None
    assert KINDS["true_false"].read_response({"answer": True}, []) is None
    assert KINDS["true_false"].read_response({"answer": False}, ["true"]) is True


@pytest.mark.parametrize(("data", "words", "problem"), [
    ({"min_words": 3, "max_words": 5}, 3, None),
    ({"min_words": 3, "max_words": 5}, 5, None),
    ({"min_words": 3, "max_words": 5}, 2, "your reflection has 2 words; write 3–5 words."),
    ({"min_words": 3, "max_words": 5}, 6, "your reflection has 6 words; write 3–5 words."),
    ({"min_words": 3, "max_words": None}, 2, "your reflection has 2 words; write at least 3 words."),
    ({"min_words": 0, "max_words": None}, 0, None),
    ({"min_words": 0, "max_words": None}, 5000, None),
])
def test_a_reflection_outside_its_word_limits_cannot_be_submitted(data, words, problem):
    response = " ".join(["chữ"] * words) or None
    assert KINDS["reflection"].submission_problem(data, response) == problem


def test_other_kinds_can_always_be_submitted():
    for code in ("single", "multiple", "true_false", "short_text"):
        assert KINDS[code].submission_problem({}, None) is None


def test_a_true_false_response_reads_as_true_or_false():
    assert KINDS["true_false"].response_text({"answer": False}, True) == "True"
    assert KINDS["true_false"].response_text({"answer": True}, False) == "False"
