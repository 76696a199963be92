"""The new-lesson skeleton (templates/lessons/new_lesson.md, what the editor's
“Bài học mới” page starts from) is a to-do list: parsing it reports each
placeholder ‘…’ once, saying what to write, and nothing else; filled in, it
is a lesson without a problem."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from learning.lessons.authoring import parse_lesson

SKELETON = (Path(__file__).resolve().parents[2] / "templates/lessons/new_lesson.md").read_text(encoding="utf-8")
TODAY = date(2025, 6, 1)

# What an editor writes in place of each ‘…’, in the order they appear.
FILLED = [
    "Đột phá phát triển khoa học, công nghệ",          # the title
    "57-NQ/TW",                                         # Số hiệu
    "22/12/2024",                                       # Ngày ban hành
    "Khoa học, công nghệ là đột phá quan trọng hàng đầu.",  # Tóm tắt
    "nghi-quyet-57",                                    # Mã bài học
    "Bối cảnh ra đời của Nghị quyết.",                  # the first section
    "Các nhiệm vụ chính.",                              # the second section
    "Ai ban hành Nghị quyết 57?",                       # the question
    "Quốc hội",                                         # a wrong choice
    "Bộ Chính trị",                                     # the right choice
    "Nghị quyết do Bộ Chính trị ban hành.",             # the explanation
]


def placeholder_lines() -> list[int]:
    return [number for number, line in enumerate(SKELETON.split("\n"), start=1) if "…" in line]


def filled(values: list[str]) -> str:
    parts = SKELETON.split("…")
    assert len(parts) == len(values) + 1, "one value per placeholder"
    return "".join(part + value for part, value in zip(parts, values)) + parts[-1]


def test_the_skeleton_is_plain_text_for_the_template_engine():
    assert "{{" not in SKELETON and "{%" not in SKELETON  # the editor shows it through render_template


def test_the_skeleton_has_a_lesson_id_line():
    assert "- Mã bài học: …" in SKELETON


def test_each_placeholder_is_reported_once_and_nothing_else():
    result = parse_lesson(SKELETON, today=TODAY)  # no file name, as in the browser
    assert [problem.line for problem in result.problems] == placeholder_lines()
    assert all(problem.code.endswith(".placeholder") for problem in result.problems)
    assert all("…" in problem.message for problem in result.problems)


def test_the_placeholder_messages_say_what_to_write():
    messages = {problem.line: problem.message for problem in parse_lesson(SKELETON, today=TODAY).problems}
    by_text = {SKELETON.split("\n")[line - 1]: message for line, message in messages.items()}
    assert "57-NQ/TW" in by_text["- Số hiệu: …"]
    assert "dd/mm/yyyy" in by_text["- Ngày ban hành: …"]
    assert "lesson id" in by_text["- Mã bài học: …"]
    assert "title" in by_text["# …"]
    assert "choice" in by_text["- [x] …"] and "choice" in by_text["- [ ] …"]
    assert "explanation" in by_text["> Giải thích: …"]


def test_the_filled_skeleton_is_a_lesson_without_a_problem():
    result = parse_lesson(filled(FILLED), today=TODAY)
    assert result.problems == []
    draft = result.draft
    assert (draft.slug, draft.number, draft.tags) == ("nghi-quyet-57", "57-NQ/TW", [])
    assert [choice["text"] for choice in draft.questions[0].data["choices"]] == ["Quốc hội", "Bộ Chính trị"]


def test_the_skeleton_in_the_editor_lists_its_placeholders_in_vietnamese(app):
    with app.test_request_context("/"):
        problems = parse_lesson(SKELETON, today=TODAY).problems
    number = next(problem for problem in problems if problem.line == SKELETON.split("\n").index("- Số hiệu: …") + 1)
    assert number.message == "Mục ‘Số hiệu’ vẫn còn ‘…’: ghi số hiệu như trên văn bản gốc, ví dụ 57-NQ/TW"
