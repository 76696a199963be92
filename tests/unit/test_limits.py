"""One set of limits (learning/lessons/authoring/limits.py), enforced by the
parser itself, so the command line, the editor and the live preview refuse
the same sources with the same message."""
from __future__ import annotations

import time
from datetime import date

import pytest

from learning.lessons.authoring import limits, parse_lesson
from tests.unit.test_parser import MINIMAL, edit, line_of, problems, with_question

TODAY = date(2025, 6, 1)
PARAGRAPH = "Đoạn văn về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n\n"


def lesson_of_length(chars: int) -> str:
    """MINIMAL with its body padded so the whole source is exactly `chars` characters."""
    missing = chars - len(MINIMAL)
    assert missing > len(PARAGRAPH)
    padding = (PARAGRAPH * (missing // len(PARAGRAPH) + 1))[:missing - 1] + "\n"
    source = edit(MINIMAL, "Học tập và làm theo.\n", "Học tập và làm theo.\n\n" + padding[:-2] + "\n")
    return source + "x" * (chars - len(source))


def test_the_padding_helper_makes_sources_of_the_length_asked():
    assert len(lesson_of_length(limits.MAX_SOURCE_CHARS)) == limits.MAX_SOURCE_CHARS


def test_a_source_at_the_limit_is_read():
    source = lesson_of_length(limits.MAX_SOURCE_CHARS)
    assert "file.too_large" not in [code for _line, code in problems(source)]


def test_a_source_over_the_limit_is_one_problem_on_the_line_where_it_passes_the_limit():
    source = lesson_of_length(limits.MAX_SOURCE_CHARS + 1)
    result = parse_lesson(source, today=TODAY)
    assert [(p.line, p.code) for p in result.problems] == [
        (source[:limits.MAX_SOURCE_CHARS + 1].count("\n") + 1, "file.too_large")]
    assert str(limits.MAX_SOURCE_CHARS) in result.problems[0].message
    assert str(limits.MAX_SOURCE_CHARS + 1) in result.problems[0].message
    assert result.draft is None


def test_a_huge_source_is_refused_at_once_without_being_parsed():
    huge = lesson_of_length(7_000_000).encode("utf-8")  # as `flask content import` reads a 7 MB file
    started = time.perf_counter()
    result = parse_lesson(huge, filename="to.md", today=TODAY)
    assert time.perf_counter() - started < 1  # parsing it all takes some ten seconds
    assert [p.code for p in result.problems] == ["file.too_large"]


def test_the_limit_counts_characters_not_bytes_nor_line_end_pairs():
    source = lesson_of_length(limits.MAX_SOURCE_CHARS)
    assert len(source.encode("utf-8")) > limits.MAX_SOURCE_CHARS  # Vietnamese takes more bytes than letters
    windows = source.replace("\n", "\r\n").encode("utf-8")
    assert parse_lesson(windows, today=TODAY).problems == []


def _questions(count: int) -> str:
    return "\n".join(f"### Câu {n}. Câu hỏi số {n}?\n- Loại: Đúng sai\n- Mã: q{n}\n- Đáp án: Đúng\n"
                     for n in range(2, count + 1))


def test_a_quiz_may_have_the_maximum_number_of_questions():
    result = parse_lesson(with_question(_questions(limits.MAX_QUESTIONS)), today=TODAY)
    assert result.problems == []
    assert len(result.draft.questions) == limits.MAX_QUESTIONS


def test_one_question_too_many_is_one_problem_on_its_heading():
    source = with_question(_questions(limits.MAX_QUESTIONS + 30))
    result = parse_lesson(source, today=TODAY)
    first_extra = f"### Câu {limits.MAX_QUESTIONS + 1}. "
    assert [(p.line, p.code) for p in result.problems] == [(line_of(source, first_extra), "quiz.too_many")]
    assert str(limits.MAX_QUESTIONS) in result.problems[0].message


def test_a_thousand_questions_are_refused_quickly():
    source = with_question(_questions(1000))
    started = time.perf_counter()
    assert [code for _line, code in problems(source)] == ["quiz.too_many"]
    assert time.perf_counter() - started < 1


def test_short_text_takes_a_bounded_number_of_accepted_answers():
    answers = "".join(f"- Đáp án: cách viết {n}\n" for n in range(limits.MAX_ANSWERS + 1))
    source = with_question(f"### Câu 2. Q\n- Loại: Trả lời ngắn\n- Mã: q2\n{answers}")
    assert problems(source) == [(line_of(source, "### Câu 2."), "question.answer_count")]
    fewer = source.replace(f"- Đáp án: cách viết {limits.MAX_ANSWERS}\n", "")
    assert problems(fewer) == []


def test_an_accepted_answer_must_fit_the_answer_box():
    long_answer = "x" * (limits.MAX_ANSWER + 1)
    source = with_question(f"### Câu 2. Q\n- Loại: Trả lời ngắn\n- Mã: q2\n- Đáp án: {long_answer}")
    assert problems(source) == [(line_of(source, long_answer), "question.answer_length")]
    assert problems(source.replace(long_answer, long_answer[1:])) == []


@pytest.mark.parametrize("count", [limits.MIN_CHOICES - 1, limits.MAX_CHOICES + 1])
def test_choice_count_limits_come_from_the_one_set(count):
    choices = "".join(f"- [{'x' if i == 0 else ' '}] Phương án {i}\n" for i in range(count))
    assert [code for _line, code in problems(with_question(f"### Câu 2. Q\n- Loại: Nhiều lựa chọn\n- Mã: q2\n{choices}"))] \
        == ["question.choice_count"]


def test_the_editor_form_reads_the_same_limit():
    from learning.lessons import views
    assert views.MAX_SOURCE_CHARS == limits.MAX_SOURCE_CHARS
    [length] = [v for v in views.SourceForm.source.kwargs["validators"] if hasattr(v, "max")]
    assert length.max == limits.MAX_SOURCE_CHARS


@pytest.mark.parametrize("count", [limits.MIN_CHOICES, limits.MAX_CHOICES])
def test_a_question_may_have_exactly_the_fewest_or_the_most_choices(count):
    choices = "".join(f"- [{'x' if i == 0 else ' '}] Phương án {i}\n" for i in range(count))
    assert problems(with_question(f"### Câu 2. Q\n- Loại: Nhiều lựa chọn\n- Mã: q2\n{choices}")) == []


def test_the_line_past_the_limit_counts_every_line_before_it_and_none_after():
    # A blank first line, and line ends right after the character past the limit.
    source = "\n" + lesson_of_length(limits.MAX_SOURCE_CHARS) + "\n\nthêm\n"
    assert source[limits.MAX_SOURCE_CHARS + 1] == "\n"
    expected = source[:limits.MAX_SOURCE_CHARS + 1].count("\n") + 1
    assert problems(source) == [(expected, "file.too_large")]


def test_an_over_long_file_is_too_large_even_when_it_is_not_utf8():
    data = lesson_of_length(limits.MAX_SOURCE_CHARS + 10).encode("utf-8") + b"\xff\xfe"
    assert [code for _line, code in problems(data)] == ["file.too_large"]


def test_a_character_no_database_stores_is_found_on_its_line_after_a_blank_first_line():
    assert problems("\n# Bài\x00") == [(2, "file.unstorable")]
