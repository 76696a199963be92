"""The lesson source format (docs/lesson-format.md), as editors rely on it."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from learning.lessons.authoring import (
    KIND_LABELS,
    TYPE_CODES,
    ParseResult,
    QuizSettings,
    Section,
    parse_lesson,
)
from learning.lessons.authoring.text import (
    fold_spaces,
    norm,
    norm_keyword,
    parse_yes_no,
    slugify,
)

TODAY = date(2025, 6, 1)

FULL_LESSON = """\
# Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ

- Loại văn bản: Nghị quyết
- Số hiệu: 57-NQ/TW
- Cơ quan ban hành: Bộ Chính trị
- Ngày ban hành: 22/12/2024
- Tóm tắt: Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo
  và chuyển đổi số quốc gia.
- Thời gian học: 30 phút
- Từ khóa: khoa học, công nghệ, chuyển đổi số
- Mã bài học: nghi-quyet-57

## Mục tiêu đến năm 2030

Tiềm lực khoa học **đạt mức tiên tiến**.

| Chỉ tiêu | Giá trị |
|:--|--:|
| R&D | 2% GDP |

```
## Câu hỏi kiểm tra
```

### Nhiệm vụ, giải pháp

3. Nâng cao nhận thức.
4. Hoàn thiện thể chế.

## Câu hỏi kiểm tra

- Điểm đạt: 80%
- Số lần làm: không giới hạn
- Thời gian làm bài: 15 phút
- Xáo trộn câu hỏi: có
- Xáo trộn phương án: không
- Lần được tính: lần cuối
- Hiện đáp án: khi đạt

### Câu 1. Đến năm 2030, chi cho *R&D* đạt bao nhiêu?

Theo Nghị quyết:

> Kinh phí chi cho nghiên cứu phát triển đạt 2% GDP.

- Loại: Một lựa chọn
- Mã: chi-rd-2030
- Phần: mục tiêu đến năm 2030
- [ ] 1% GDP
- [x] 2% GDP
- [ ] 3% GDP

> Giải thích: Xem mục **Mục tiêu**.

### Câu 2: Những nhiệm vụ nào có trong Nghị quyết?
- Loại: Nhiều lựa chọn
- Mã: nhiem-vu
- Điểm: 2
- Phần: Nhiệm vụ, giải pháp
- [x] Nâng cao nhận thức
- [X] Hoàn thiện thể chế
- [ ] Giảm đầu tư

### Question 3. Nghị quyết do Bộ Chính trị ban hành.
- Kind: true/false
- ID: ban-hanh
- Answer: Sai

### Câu 4. Viết số hiệu của Nghị quyết.
- Loại: Trả lời ngắn
- Mã: so-hieu
- Đáp án: 57-NQ/TW
- Đáp án: Nghị quyết 57
- Bỏ qua dấu: có

### Câu 5. Điều gì trong Nghị quyết là mới nhất với đồng chí?
- Loại: Bài thu hoạch
- Mã: thu-hoach
- Số từ tối thiểu: 200
- Số từ tối đa: 1000
"""

# The smallest lesson without a problem; tests break one thing at a time.
MINIMAL = """\
# Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh

- Loại văn bản: Chỉ thị
- Số hiệu: 05-CT/TW
- Cơ quan ban hành: Bộ Chính trị
- Ngày ban hành: 15/05/2016
- Tóm tắt: Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.
- Thời gian học: 20

## Nội dung chính

Học tập và làm theo.

## Câu hỏi kiểm tra

### Câu 1. Chỉ thị 05 do ai ban hành?
- Loại: Một lựa chọn
- Mã: co-quan
- [x] Bộ Chính trị
- [ ] Quốc hội
"""


def parse(source: str | bytes, filename: str | None = None) -> ParseResult:
    return parse_lesson(source, filename=filename, today=TODAY)


def edit(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, f"the test's source has no single {old!r}"
    return source.replace(old, new)


def line_of(source: str, fragment: str) -> int:
    """The 1-based line of the only line containing fragment."""
    found = [number for number, line in enumerate(source.split("\n"), start=1) if fragment in line]
    assert len(found) == 1, f"{fragment!r} is on lines {found}"
    return found[0]


def problems(source: str | bytes, filename: str | None = None) -> list[tuple[int, str]]:
    result = parse(source, filename)
    assert (result.draft is None) == bool(result.problems)
    return [(problem.line, problem.code) for problem in result.problems]


def one_problem(source: str, at: str, code: str) -> None:
    assert problems(source) == [(line_of(source, at), code)]


# -- a complete lesson -------------------------------------------------------

@pytest.fixture
def draft():
    # Per test, not per module: mutmut maps each function of the parser to the
    # tests that run it, and a module-wide fixture runs it for the first test only.
    result = parse(FULL_LESSON, filename="ignored-because-the-source-names-its-slug.md")
    assert result.problems == []
    assert result.ok
    return result.draft


def test_metadata_fields(draft):
    assert draft.slug == "nghi-quyet-57"
    assert draft.title == "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ"
    assert (draft.kind, draft.number, draft.type_code, draft.issuer_code) == ("resolution", "57-NQ/TW", "NQ", "TW")
    assert draft.issuing_body == "Bộ Chính trị"
    assert draft.issued_on == date(2024, 12, 22)
    assert draft.summary == "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia."
    assert draft.minutes == 30
    assert draft.tags == ["khoa học", "công nghệ", "chuyển đổi số"]


def test_body_excludes_title_metadata_and_quiz(draft):
    assert draft.body_markdown.startswith("## Mục tiêu đến năm 2030")
    assert draft.body_markdown.endswith("4. Hoàn thiện thể chế.")
    assert "Nghị quyết 57-NQ/TW về" not in draft.body_html
    assert "Bộ Chính trị" not in draft.body_html
    assert "Điểm đạt" not in draft.body_html


def test_body_html_is_rendered_markdown(draft):
    html = draft.body_html
    assert '<h2 id="s-muc-tieu-den-nam-2030">Mục tiêu đến năm 2030</h2>' in html
    assert "<strong>đạt mức tiên tiến</strong>" in html
    assert '<th align="left">Chỉ tiêu</th>' in html and '<td align="right">2% GDP</td>' in html
    assert '<ol start="3">' in html
    assert "<pre><code>## Câu hỏi kiểm tra\n</code></pre>" in html


def test_sections_are_the_body_headings(draft):
    assert draft.sections == [
        Section("s-muc-tieu-den-nam-2030", "Mục tiêu đến năm 2030", 2),
        Section("s-nhiem-vu-giai-phap", "Nhiệm vụ, giải pháp", 3),
    ]


def test_quiz_settings(draft):
    assert draft.settings == QuizSettings(
        pass_mark=80, attempts_allowed=None, time_limit_minutes=15, shuffle_questions=True,
        shuffle_choices=False, counted_attempt="last", show_answers="after_pass",
    )


def test_questions_in_order_with_kind_points_and_line(draft):
    summary = [(q.key, q.kind, q.points, q.line) for q in draft.questions]
    assert summary == [
        ("chi-rd-2030", "single", 1, line_of(FULL_LESSON, "### Câu 1.")),
        ("nhiem-vu", "multiple", 2, line_of(FULL_LESSON, "### Câu 2:")),
        ("ban-hanh", "true_false", 1, line_of(FULL_LESSON, "### Question 3.")),
        ("so-hieu", "short_text", 1, line_of(FULL_LESSON, "### Câu 4.")),
        ("thu-hoach", "reflection", 10, line_of(FULL_LESSON, "### Câu 5.")),
    ]


def test_prompt_drops_numbering_and_keeps_vietnamese(draft):
    assert [q.prompt for q in draft.questions] == [
        "Đến năm 2030, chi cho R&D đạt bao nhiêu?",
        "Những nhiệm vụ nào có trong Nghị quyết?",
        "Nghị quyết do Bộ Chính trị ban hành.",
        "Viết số hiệu của Nghị quyết.",
        "Điều gì trong Nghị quyết là mới nhất với đồng chí?",
    ]


def test_prompt_html_has_heading_text_then_extra_paragraphs(draft):
    assert draft.questions[0].prompt_html == (
        "<p>Đến năm 2030, chi cho <em>R&amp;D</em> đạt bao nhiêu?</p>"
        "<p>Theo Nghị quyết:</p>\n<blockquote>\n<p>Kinh phí chi cho nghiên cứu phát triển đạt 2% GDP.</p>\n</blockquote>"
    )
    assert draft.questions[1].prompt_html == "<p>Những nhiệm vụ nào có trong Nghị quyết?</p>"


def test_explanation_drops_its_label(draft):
    assert draft.questions[0].explanation_html == "<p>Xem mục <strong>Mục tiêu</strong>.</p>"
    assert draft.questions[1].explanation_html == ""


def test_section_property_gives_the_heading_anchor(draft):
    assert [q.section for q in draft.questions] == [
        "s-muc-tieu-den-nam-2030", "s-nhiem-vu-giai-phap", None, None, None,
    ]


def test_question_data_per_kind(draft):
    single, multiple, true_false, short_text, reflection = (q.data for q in draft.questions)
    assert single == {"choices": [
        {"key": "a", "text": "1% GDP", "html": "1% GDP", "correct": False},
        {"key": "b", "text": "2% GDP", "html": "2% GDP", "correct": True},
        {"key": "c", "text": "3% GDP", "html": "3% GDP", "correct": False},
    ]}
    assert [c["correct"] for c in multiple["choices"]] == [True, True, False]
    assert true_false == {"answer": False}
    assert short_text == {"answers": ["57-NQ/TW", "Nghị quyết 57"], "ignore_diacritics": True}
    assert reflection == {"min_words": 200, "max_words": 1000}


def test_defaults_when_optional_items_are_absent():
    result = parse(MINIMAL, filename="content/chi-thi-05.md")
    assert result.problems == []
    assert result.draft.slug == "chi-thi-05"
    assert result.draft.tags == []
    assert result.draft.minutes == 20
    assert result.draft.settings == QuizSettings()
    question = result.draft.questions[0]
    assert (question.points, question.section, question.explanation_html) == (1, None, "")


def test_slug_defaults_to_number_and_year_without_a_filename():
    assert parse(MINIMAL).draft.slug == "05-ct-tw-2016"


def test_slug_from_a_vietnamese_filename_is_ascii():
    assert parse(MINIMAL, filename="Chỉ thị 05 (2016).md").draft.slug == "chi-thi-05-2016"


def test_english_keys_and_any_case_or_diacritics():
    source = MINIMAL
    for old, new in [
        ("- Loại văn bản: Chỉ thị", "- KIND: directive"),
        ("- Số hiệu:", "- so hieu:"),
        ("- Cơ quan ban hành:", "- Issued by:"),
        ("- Ngày ban hành: 15/05/2016", "- NGÀY BAN HÀNH: 5/5/2016"),
        ("- Thời gian học: 20", "- Minutes: 20 min"),
    ]:
        source = edit(source, old, new)
    result = parse(source)
    assert result.problems == []
    assert (result.draft.kind, result.draft.issued_on, result.draft.minutes) == ("directive", date(2016, 5, 5), 20)


def test_every_kind_has_a_label_and_a_known_type_code():
    assert len(KIND_LABELS) == 12
    assert KIND_LABELS["resolution"] == "Nghị quyết"
    assert set(TYPE_CODES) == {"NQ", "CT", "KL", "QĐ", "HD", "KH", "CTr", "ĐA", "CV", "TB", "BC"}


@pytest.mark.parametrize(("kind", "number", "type_code", "issuer"), [
    ("Quy định", "366-QĐ/TW", "QĐ", "TW"),
    ("Quyết định", "124-QĐ/TW", "QĐ", "TW"),
    ("Hướng dẫn", "43-HD/BTCTW", "HD", "BTCTW"),
    ("Đề án", "07-ĐA/TU", "ĐA", "TU"),
    ("Chương trình", "12-CTr/ĐU", "CTr", "ĐU"),
])
def test_official_numbers(kind, number, type_code, issuer):
    source = edit(edit(MINIMAL, "Loại văn bản: Chỉ thị", f"Loại văn bản: {kind}"), "05-CT/TW", number)
    draft = parse(source).draft
    assert (draft.number, draft.type_code, draft.issuer_code) == (number, type_code, issuer)


# -- reading the file --------------------------------------------------------

def test_bytes_with_a_bom_and_crlf_line_ends():
    result = parse(("\ufeff" + MINIMAL).replace("\n", "\r\n").encode("utf-8"))
    assert result.problems == []
    assert result.draft.questions[0].line == line_of(MINIMAL, "### Câu 1.")


def test_non_utf8_bytes_are_one_problem_on_the_line_of_the_first_bad_byte():
    # As if this line had been pasted from a Windows-1252 file.
    source = MINIMAL.encode("utf-8").replace("Tóm".encode("utf-8"), "Tóm".encode("cp1252"))
    result = parse(source)
    assert [(p.line, p.code) for p in result.problems] == [(line_of(MINIMAL, "Tóm tắt"), "file.encoding")]
    assert result.draft is None


def test_decomposed_unicode_is_normalised():
    result = parse(unicodedata.normalize("NFD", FULL_LESSON))
    assert result.problems == []
    assert result.draft.title == "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ"
    assert unicodedata.is_normalized("NFC", result.draft.body_html)
    assert result.draft.questions[3].data["answers"] == ["57-NQ/TW", "Nghị quyết 57"]


def test_quiz_heading_inside_fenced_code_is_not_the_quiz():
    fenced = "```markdown\n## Câu hỏi kiểm tra\n\n### Câu 9. Giả\n```\n\n## Câu hỏi kiểm tra"
    source = edit(MINIMAL, "## Câu hỏi kiểm tra", fenced)
    result = parse(source)
    assert result.problems == []
    assert "### Câu 9. Giả" in result.draft.body_markdown
    assert [q.key for q in result.draft.questions] == ["co-quan"]


def test_unclosed_fence_is_reported_where_it_opens():
    source = edit(MINIMAL, "Học tập và làm theo.", "```\nHọc tập và làm theo.")
    assert problems(source) == [(line_of(source, "```"), "fence.unclosed"), (source.count("\n"), "quiz.missing")]


# -- title and structure -----------------------------------------------------

def test_title_missing():
    source = edit(MINIMAL, "# Chỉ thị 05 về", "Chỉ thị 05 về")
    one_problem(source, "Chỉ thị 05 về", "title.missing")


def test_title_empty():
    source = edit(MINIMAL, "# Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh", "#")
    assert problems(source) == [(1, "title.missing")]


def test_title_too_long():
    source = edit(MINIMAL, "# Chỉ thị 05 về", "# " + "x" * 300 + " về")
    assert problems(source) == [(1, "title.length")]


@pytest.mark.parametrize("heading", ["# Phần một", "Phần một\n========"])
def test_level_1_heading_in_the_body(heading):
    source = edit(MINIMAL, "Học tập và làm theo.", f"{heading}\n\nHọc tập và làm theo.")
    marker = "# Phần một" if heading.startswith("#") else "========"
    one_problem(source, marker, "heading.level1")


def test_body_empty():
    source = edit(MINIMAL, "## Nội dung chính\n\nHọc tập và làm theo.\n\n", "")
    one_problem(source, "## Câu hỏi kiểm tra", "body.empty")


def test_quiz_missing_is_reported_on_the_last_line():
    source = MINIMAL[: MINIMAL.index("## Câu hỏi kiểm tra")] + "Hết."
    assert problems(source) == [(source.count("\n") + 1, "quiz.missing")]


def test_quiz_heading_may_be_english():
    assert parse(edit(MINIMAL, "## Câu hỏi kiểm tra", "## Quiz")).problems == []


def test_second_quiz_heading():
    source = MINIMAL + "\n## Câu hỏi kiểm tra\n"
    assert problems(source) == [(source.count("\n"), "quiz.duplicate")]


def test_quiz_without_questions():
    source = MINIMAL[: MINIMAL.index("### Câu 1.")]
    one_problem(source, "## Câu hỏi kiểm tra", "quiz.empty")


def test_other_heading_in_the_quiz():
    source = edit(MINIMAL, "- Mã: co-quan", "- Mã: co-quan\n\n#### Gợi ý")
    one_problem(source, "#### Gợi ý", "quiz.heading")


def test_text_between_quiz_heading_and_first_question():
    source = edit(MINIMAL, "### Câu 1.", "Chúc các đồng chí làm bài tốt.\n\n### Câu 1.")
    one_problem(source, "Chúc các đồng chí", "quiz.text")


# -- metadata ----------------------------------------------------------------

@pytest.mark.parametrize("item", [
    "- Loại văn bản: Chỉ thị", "- Số hiệu: 05-CT/TW", "- Cơ quan ban hành: Bộ Chính trị",
    "- Ngày ban hành: 15/05/2016", "- Tóm tắt: Đẩy mạnh", "- Thời gian học: 20",
])
def test_each_required_item(item):
    line = next(line for line in MINIMAL.split("\n") if line.startswith(item))
    source = edit(MINIMAL, line + "\n", "")
    assert problems(source) == [(3, "meta.missing")]


def test_no_metadata_list_reports_every_required_item():
    source = MINIMAL[: MINIMAL.index("- Loại văn bản")] + MINIMAL[MINIMAL.index("## Nội dung chính"):]
    assert problems(source) == [(3, "meta.missing")] * 6


def test_metadata_key_errors():
    source = edit(MINIMAL, "- Thời gian học: 20", (
        "- Thời gian học: 20\n"
        "- Màu sắc: đỏ\n"
        "- Số: 06-CT/TW\n"
        "- Ngày:\n"
        "- học tập"
    ))
    assert problems(source) == [
        (line_of(source, "Màu sắc"), "meta.unknown_key"),
        (line_of(source, "- Số: 06"), "meta.duplicate"),
        (line_of(source, "- Ngày:"), "meta.empty"),
        (line_of(source, "- học tập"), "meta.item_format"),
    ]


def test_metadata_messages_name_the_item():
    source = edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 20\n- Màu sắc: đỏ")
    [problem] = parse(source).problems
    assert "Màu sắc" in problem.message and "Số hiệu" in problem.message


def test_a_blank_line_inside_the_metadata_list_is_named_as_the_cause():
    # Markdown ends the list at a blank line: the items below it are not read.
    source = edit(MINIMAL, "- Cơ quan ban hành:", "\n- Cơ quan ban hành:")
    blank = line_of(source, "- Số hiệu:") + 1
    result = parse(source)
    assert [(p.line, p.code) for p in result.problems] == [(blank, "meta.blank_line")]
    message = result.problems[0].message
    assert "blank line" in message and "Cơ quan ban hành" in message and "Thời gian học" in message


def test_after_a_blank_line_in_the_list_what_is_missing_from_both_parts_is_still_reported():
    source = edit(edit(MINIMAL, "- Thời gian học: 20\n", "\n- Thời gian học: 20\n"), "- Tóm tắt: Đẩy mạnh", "- Ghi chú: Đẩy mạnh")
    assert sorted(problems(source)) == [
        (3, "meta.missing"),  # Tóm tắt: in neither part
        (line_of(source, "Ghi chú"), "meta.unknown_key"),
        (line_of(source, "- Thời gian học") - 1, "meta.blank_line"),
    ]


def test_an_optional_item_below_a_blank_line_is_not_silently_lesson_text():
    source = edit(MINIMAL, "- Thời gian học: 20\n", "- Thời gian học: 20\n\n- Từ khóa: học tập\n")
    assert problems(source) == [(line_of(source, "- Từ khóa") - 1, "meta.blank_line")]


def test_a_lesson_text_starting_with_a_list_is_not_taken_for_metadata():
    source = edit(MINIMAL, "## Nội dung chính\n\n", "- Học tập: suốt đời\n- Làm theo: hằng ngày\n\n## Nội dung chính\n\n")
    assert parse(source).problems == []


def test_an_optional_item_left_empty_is_as_if_absent():
    source = edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 20\n- Từ khóa:\n- Mã bài học:")
    result = parse(source)
    assert result.problems == []
    assert (result.draft.tags, result.draft.slug) == ([], "05-ct-tw-2016")


def test_a_required_item_left_empty_is_one_problem_on_its_line():
    source = edit(MINIMAL, "- Số hiệu: 05-CT/TW", "- Số hiệu:")
    result = parse(source)
    assert [(p.line, p.code) for p in result.problems] == [(line_of(source, "- Số hiệu:"), "meta.empty")]
    assert "57-NQ/TW" in result.problems[0].message  # says what to write


@pytest.mark.parametrize(("item", "hint"), [
    ("- Số hiệu: …", "57-NQ/TW"), ("- Ngày ban hành: ...", "dd/mm/yyyy"), ("- Tóm tắt: …", "paragraph"),
])
def test_a_placeholder_value_is_one_problem_saying_what_to_write(item, hint):
    key = item.split(":")[0]
    line = next(line for line in MINIMAL.split("\n") if line.startswith(key + ":"))
    source = edit(MINIMAL, line, item)
    result = parse(source)
    assert [(p.line, p.code) for p in result.problems] == [(line_of(source, item), "meta.placeholder")]
    assert hint in result.problems[0].message


@pytest.mark.parametrize(("old", "new", "at"), [
    ("Học tập và làm theo.", "…", "…"),
    ("Chỉ thị 05 do ai ban hành?", "…", "### Câu 1. …"),
    ("- [ ] Quốc hội", "- [ ] …", "- [ ] …"),
    ("- [ ] Quốc hội", "- [ ] Quốc hội\n\n> Giải thích: …", "> Giải thích: …"),
])
def test_placeholders_in_the_text_and_the_quiz(old, new, at):
    source = edit(MINIMAL, old, new)
    code = "body.placeholder" if at == "…" else "question.placeholder"
    one_problem(source, at, code)


def test_two_placeholder_choices_are_not_reported_as_the_same_choice():
    source = edit(MINIMAL, "- [x] Bộ Chính trị\n- [ ] Quốc hội", "- [x] …\n- [ ] …")
    assert [code for _line, code in problems(source)] == ["question.placeholder", "question.placeholder"]


def test_unknown_document_kind():
    source = edit(MINIMAL, "Loại văn bản: Chỉ thị", "Loại văn bản: Thư ngỏ")
    one_problem(source, "Thư ngỏ", "kind.unknown")


@pytest.mark.parametrize(("number", "hint"), [
    ("05/CT-TW", "57-NQ/TW"),
    ("05 - CT/TW", "spaces"),
    ("05-ct/tw", "05-CT/TW"),
    ("366-QD/TW", "366-QĐ/TW"),
    ("07-DA/TU", "07-ĐA/TU"),
    ("12-CTR/TU", "12-CTr/TU"),
    ("05-CT", "issuing body"),
    ("05-XY/TW", "57-NQ/TW"),
])
def test_number_format_with_a_helpful_hint(number, hint):
    source = edit(MINIMAL, "Số hiệu: 05-CT/TW", f"Số hiệu: {number}")
    result = parse(source)
    assert [(p.line, p.code) for p in result.problems] == [(line_of(source, "Số hiệu"), "number.format")]
    assert number in result.problems[0].message and hint in result.problems[0].message


def test_number_type_must_match_the_kind():
    source = edit(MINIMAL, "Số hiệu: 05-CT/TW", "Số hiệu: 57-NQ/TW")
    one_problem(source, "Số hiệu", "number.kind_mismatch")
    message = parse(source).problems[0].message
    assert "57-NQ/TW" in message and "CT" in message


@pytest.mark.parametrize(("value", "code"), [
    ("2016-05-15", "date.format"),
    ("15/5/16", "date.format"),
    ("31/02/2016", "date.invalid"),
    ("15/05/1929", "date.range"),
    ("02/06/2025", "date.future"),
])
def test_issue_date(value, code):
    source = edit(MINIMAL, "Ngày ban hành: 15/05/2016", f"Ngày ban hành: {value}")
    one_problem(source, "Ngày ban hành", code)


def test_issue_date_may_be_today():
    assert parse(edit(MINIMAL, "15/05/2016", "1/6/2025")).problems == []


@pytest.mark.parametrize(("item", "code"), [
    ("- Cơ quan ban hành: X", "issuing_body.length"),
    ("- Cơ quan ban hành: " + "x" * 201, "issuing_body.length"),
    ("- Tóm tắt: " + "x" * 1001, "summary.length"),
    ("- Thời gian học: nửa giờ", "minutes.value"),
    ("- Thời gian học: 0", "minutes.range"),
    ("- Thời gian học: 601 phút", "minutes.range"),
    ("- Từ khóa: " + ", ".join(f"t{i}" for i in range(11)), "tags.count"),
    ("- Từ khóa: " + "x" * 41, "tags.length"),
    ("- Mã bài học: Chi_Thi", "slug.format"),
    ("- Mã bài học: x", "slug.format"),
])
def test_metadata_values(item, code):
    source = with_meta(item)
    one_problem(source, item.split(":")[0], code)


def with_meta(item: str) -> str:
    """MINIMAL with the metadata item replaced, or added when absent."""
    key = item.split(":")[0] + ":"
    present = [line for line in MINIMAL.split("\n") if line.startswith(key)]
    if present:
        return edit(MINIMAL, present[0], item)
    return edit(MINIMAL, "- Thời gian học: 20", f"- Thời gian học: 20\n{item}")


def test_optional_metadata_values():
    source = edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 20\n- Từ khóa: a, b,, a\n- Mã bài học: x")
    assert problems(source) == [(line_of(source, "Mã bài học"), "slug.format")]
    source = edit(source, "- Mã bài học: x", "- Mã bài học: ct-05")
    assert parse(source).draft.tags == ["a", "b"]


def test_slug_that_cannot_be_made_from_the_filename():
    assert problems(MINIMAL, filename="x.md") == [(3, "slug.default")]


def test_continuation_lines_join_the_summary():
    source = edit(MINIMAL, "Hồ Chí Minh.\n", "Hồ Chí Minh.\n    Thêm một dòng.\nDòng lười.\n")
    assert parse(source).draft.summary.endswith("Hồ Chí Minh. Thêm một dòng. Dòng lười.")


# -- quiz settings -------------------------------------------------------------

def settings_of(items: str) -> QuizSettings:
    result = parse(edit(MINIMAL, "## Câu hỏi kiểm tra\n", f"## Câu hỏi kiểm tra\n\n{items}\n"))
    assert result.problems == []
    return result.draft.settings


def test_settings_english_aliases():
    assert settings_of(
        "- pass mark: 50\n- attempts: 7\n- time limit: 10 min\n- shuffle questions: yes\n\n"
        "- shuffle choices: yes\n- counted attempt: average\n- show answers: after_close"
    ) == QuizSettings(pass_mark=50, attempts_allowed=7, time_limit_minutes=10, shuffle_questions=True,
                      shuffle_choices=True, counted_attempt="average", show_answers="after_close")


@pytest.mark.parametrize(("item", "field", "value"), [
    ("Điểm đạt: 0", "pass_mark", 0),
    ("Điểm đạt: 100 %", "pass_mark", 100),
    ("Số lần làm: 20", "attempts_allowed", 20),
    ("Thời gian làm bài: không giới hạn", "time_limit_minutes", None),
    ("Lần được tính: Cao nhất", "counted_attempt", "highest"),
    ("Lần được tính: lần đầu", "counted_attempt", "first"),
    ("Hiện đáp án: sau khi nộp", "show_answers", "after_submit"),
    ("Hiện đáp án: khi hết lượt", "show_answers", "after_last_attempt"),
    ("Hiện đáp án: khi kết thúc đợt", "show_answers", "after_close"),
    ("Hiện đáp án: không", "show_answers", "never"),
])
def test_setting_values(item, field, value):
    assert getattr(settings_of(f"- {item}"), field) == value


@pytest.mark.parametrize(("item", "code"), [
    ("- Điểm đạt: 101", "settings.range"),
    ("- Điểm đạt: bảy mươi", "settings.value"),
    ("- Số lần làm: 0", "settings.range"),
    ("- Số lần làm: 21", "settings.range"),
    ("- Thời gian làm bài: 301 phút", "settings.range"),
    ("- Xáo trộn câu hỏi: có lẽ", "settings.value"),
    ("- Lần được tính: tốt nhất", "settings.value"),
    ("- Hiện đáp án: luôn luôn", "settings.value"),
    ("- Độ khó: cao", "settings.unknown_key"),
    ("- Điểm đạt:", "settings.empty"),
    ("- xáo trộn", "settings.item_format"),
])
def test_setting_problems(item, code):
    source = edit(MINIMAL, "## Câu hỏi kiểm tra\n", f"## Câu hỏi kiểm tra\n\n{item}\n")
    one_problem(source, item, code)


def test_duplicate_setting():
    source = edit(MINIMAL, "## Câu hỏi kiểm tra\n", "## Câu hỏi kiểm tra\n- Điểm đạt: 50\n- pass mark: 60\n")
    one_problem(source, "pass mark", "settings.duplicate")


# -- questions -----------------------------------------------------------------

def with_question(lines: str) -> str:
    return MINIMAL + "\n" + lines + "\n"


def test_question_without_text():
    one_problem(with_question("### Câu 2.\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng"), "### Câu 2.", "question.prompt")


@pytest.mark.parametrize(("heading", "prompt"), [
    ("### Câu 2: Thủ đô?", "Thủ đô?"),
    ("### CÂU HỎI 2) Thủ đô?", "Thủ đô?"),
    ("### 2. Thủ đô?", "Thủ đô?"),
    ("### Thủ đô 3.5 triệu dân?", "Thủ đô 3.5 triệu dân?"),
    ("### Câu 2. `x` **đậm**", "x đậm"),
])
def test_numbering_is_dropped_from_prompts(heading, prompt):
    result = parse(with_question(f"{heading}\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng"))
    assert result.problems == []
    assert result.draft.questions[1].prompt == prompt


def test_kind_missing():
    one_problem(with_question("### Câu 2. Q\n- Mã: q2\n- Đáp án: Đúng"), "### Câu 2.", "question.kind_missing")


def test_kind_unknown():
    one_problem(with_question("### Câu 2. Q\n- Loại: Điền khuyết\n- Mã: q2"), "Điền khuyết", "question.kind_unknown")


def test_id_missing():
    one_problem(with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Đáp án: Đúng"), "### Câu 2.", "question.id_missing")


@pytest.mark.parametrize("value", ["Co-Quan", "co quan", "-dau", "x" * 41])
def test_id_format(value):
    one_problem(with_question(f"### Câu 2. Q\n- Loại: Đúng sai\n- Mã: {value}\n- Đáp án: Đúng"), "- Mã: " + value,
                "question.id_format")


def test_duplicate_id_names_the_first_question():
    source = with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: co-quan\n- Đáp án: Đúng")
    result = parse(source)
    assert [(p.line, p.code) for p in result.problems] == [(source.count("\n") - 1, "question.duplicate_id")]
    assert str(line_of(source, "### Câu 1.")) in result.problems[0].message


@pytest.mark.parametrize(("points", "code"), [("0", "question.range"), ("101", "question.range"), ("hai", "question.value")])
def test_points(points, code):
    one_problem(with_question(f"### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2\n- Điểm: {points}\n- Đáp án: Đúng"),
                "- Điểm:", code)


def test_unknown_section():
    one_problem(with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2\n- Phần: Phần không có\n- Đáp án: Đúng"),
                "- Phần:", "question.unknown_section")


def test_property_problems():
    source = with_question(
        "### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2\n- Mã: q3\n- Độ khó: cao\n- Điểm:\n- Đáp án: Đúng\n- ghi chú")
    assert problems(source) == [
        (line_of(source, "- Mã: q3"), "question.duplicate"),
        (line_of(source, "- Độ khó"), "question.unknown_key"),
        (line_of(source, "- Điểm:"), "question.empty"),
        (line_of(source, "- ghi chú"), "question.item_format"),
    ]


@pytest.mark.parametrize(("kind", "item"), [
    ("Một lựa chọn", "Đáp án: A"),
    ("Đúng sai", "Bỏ qua dấu: có"),
    ("Trả lời ngắn", "Số từ tối thiểu: 10"),
    ("Thu hoạch", "Đáp án: A"),
])
def test_property_of_another_kind(kind, item):
    choices = "- [x] A\n- [ ] B\n" if kind == "Một lựa chọn" else ""
    answer = {"Đúng sai": "- Đáp án: Đúng\n", "Trả lời ngắn": "- Đáp án: A\n"}.get(kind, "")
    source = with_question(f"### Câu 2. Q\n- Loại: {kind}\n- Mã: q2\n{choices}{answer}- {item}")
    one_problem(source, "- " + item, "question.property_not_allowed")


@pytest.mark.parametrize("kind", ["Đúng sai", "Trả lời ngắn", "Thu hoạch"])
def test_choices_on_a_kind_without_them(kind):
    answer = {"Đúng sai": "- Đáp án: Đúng\n", "Trả lời ngắn": "- Đáp án: A\n"}.get(kind, "")
    source = with_question(f"### Câu 2. Q\n- Loại: {kind}\n- Mã: q2\n{answer}- [x] A\n- [ ] B")
    one_problem(source, "- [x] A", "question.choices_not_allowed")


def test_choice_without_text():
    source = with_question("### Câu 2. Q\n- Loại: Một lựa chọn\n- Mã: q2\n- [x] A\n- [ ] B\n- []")
    one_problem(source, "- []", "question.choice_empty")


@pytest.mark.parametrize("count", [0, 1, 11])
def test_choice_count(count):
    choices = "".join(f"- [{'x' if i == 0 else ' '}] Phương án {i}\n" for i in range(count))
    one_problem(with_question(f"### Câu 2. Q\n- Loại: Nhiều lựa chọn\n- Mã: q2\n{choices}"), "### Câu 2.",
                "question.choice_count")


def test_duplicate_choice_text():
    source = with_question("### Câu 2. Q\n- Loại: Một lựa chọn\n- Mã: q2\n- [x] Hà Nội\n- [ ]  hà   nội")
    one_problem(source, "hà   nội", "question.duplicate_choice")


def test_no_correct_choice():
    one_problem(with_question("### Câu 2. Q\n- Loại: Nhiều lựa chọn\n- Mã: q2\n- [ ] A\n- [ ] B"), "### Câu 2.",
                "question.no_correct")


def test_single_choice_with_two_correct():
    source = with_question("### Câu 2. Q\n- Loại: Một lựa chọn\n- Mã: q2\n- [x] Một\n- [x] Hai\n- [ ] Ba")
    one_problem(source, "- [x] Hai", "question.single_many_correct")


def test_true_false_without_answer():
    one_problem(with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2"), "### Câu 2.", "question.answer_missing")


def test_true_false_answer_must_be_dung_or_sai():
    one_problem(with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Có"), "Đáp án", "question.value")


def test_short_text_without_answer():
    one_problem(with_question("### Câu 2. Q\n- Loại: Trả lời ngắn\n- Mã: q2"), "### Câu 2.", "question.answer_missing")


@pytest.mark.parametrize(("items", "at", "code"), [
    ("- Số từ tối thiểu: 5001", "tối thiểu", "question.range"),
    ("- Số từ tối đa: 10001", "tối đa", "question.range"),
    ("- Số từ tối thiểu: 300\n- Số từ tối đa: 200", "tối đa", "question.range"),
    ("- Số từ tối thiểu: nhiều", "tối thiểu", "question.value"),
])
def test_reflection_word_limits(items, at, code):
    one_problem(with_question(f"### Câu 2. Q\n- Loại: Thu hoạch\n- Mã: q2\n{items}"), at, code)


def test_reflection_defaults():
    result = parse(with_question("### Câu 2. Q\n- Loại: thu hoạch\n- Mã: q2"))
    assert result.draft.questions[1].data == {"min_words": 0, "max_words": None}
    assert result.draft.questions[1].points == 10


def test_list_after_the_explanation_is_out_of_place():
    source = with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2\n\n> Vì vậy.\n\n- Đáp án: Đúng")
    assert problems(source) == [
        (line_of(source, "### Câu 2."), "question.answer_missing"),
        (line_of(source, "- Đáp án"), "question.text"),
    ]


def test_explanation_above_the_list_is_out_of_place():
    # It would be shown with the question and give the answer away.
    source = with_question("### Câu 2. Q\n\n> Giải thích: vì Đúng.\n\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng")
    one_problem(source, "> Giải thích", "question.text")


def test_a_quotation_before_the_list_is_part_of_the_prompt():
    source = with_question("### Câu 2. Q\n\n> Trích dẫn.\n\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng")
    question = parse(source).draft.questions[1]
    assert "<blockquote>" in question.prompt_html and question.explanation_html == ""


def test_every_problem_of_a_broken_file_is_reported_at_once():
    source = MINIMAL
    for old, new in [
        ("05-CT/TW", "05-CT/tw"),
        ("15/05/2016", "15-05-2016"),
        ("- Mã: co-quan", "- Mã: co quan"),
        ("- [ ] Quốc hội", "- [x] Quốc hội"),
    ]:
        source = edit(source, old, new)
    assert [code for _line, code in problems(source)] == [
        "number.format", "date.format", "question.id_format", "question.single_many_correct",
    ]


def test_problem_lines_are_sorted_and_messages_are_text():
    result = parse(edit(edit(MINIMAL, "- Mã: co-quan", "- Mã: X"), "15/05/2016", "x"))
    assert [p.line for p in result.problems] == sorted(p.line for p in result.problems)
    assert all(isinstance(p.message, str) and p.message for p in result.problems)
    assert result.problems[0].format("a.md").startswith(f"a.md:{result.problems[0].line}: ")


# -- text helpers the parser matches with ------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Số hiệu", "so hieu"),
    ("  SỐ   HIỆU ", "so hieu"),
    (unicodedata.normalize("NFD", "Số hiệu"), "so hieu"),
    ("Đảng ĐOÀN", "dang doan"),
    ("Từ khoá", "tu khoa"),
])
def test_norm(text, expected):
    assert norm(text) == expected


def test_norm_keyword_reads_separators_as_spaces():
    assert norm_keyword("Đúng/Sai") == norm_keyword("đúng_sai") == norm_keyword("đúng - sai") == "dung sai"


@pytest.mark.parametrize(("text", "expected"), [
    ("Nghị quyết 57-NQ/TW", "nghi-quyet-57-nq-tw"),
    ("  Đề án -- 07 ", "de-an-07"),
    ("Café straße", "cafe-strasse"),
    ("★", ""),
])
def test_slugify(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("có", True), ("Có", True), ("yes", True), ("co", True),
    ("không", False), ("KHÔNG", False), ("no", False),
    ("đúng", None), ("", None), ("có lẽ", None),
])
def test_parse_yes_no(text, expected):
    assert parse_yes_no(text) is expected


def test_fold_spaces():
    assert fold_spaces(" a \t b\n c ") == "a b c"


# -- bounds and forms the quiet regressions hide in --------------------------------

def test_a_lesson_with_a_problem_yields_no_draft():
    result = parse(edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 0"))
    assert [p.code for p in result.problems] == ["minutes.range"]
    assert result.draft is None


def test_old_mac_line_ends_read_as_lines():
    result = parse(MINIMAL.replace("\n", "\r"))
    assert result.problems == []
    assert result.draft.questions[0].line == line_of(MINIMAL, "### Câu 1.")


def test_list_items_inside_a_code_fence_are_lesson_text_not_metadata_nor_choices():
    fenced = "```\n- Loại văn bản: Nghị quyết\n- [x] Không phải phương án\n```\n\nHọc tập và làm theo."
    result = parse(edit(MINIMAL, "Học tập và làm theo.", fenced))
    assert result.problems == []
    assert result.draft.kind == "directive"  # the fenced "Nghị quyết" is text, not the kind
    assert "- [x] Không phải phương án" in result.draft.body_markdown
    assert [len(q.data["choices"]) for q in result.draft.questions] == [2]


def test_the_earliest_year_and_the_tag_limits_are_allowed_at_their_bounds():
    assert parse(edit(MINIMAL, "15/05/2016", "01/01/1930")).problems == []
    ten_tags = ", ".join(f"t{i}" for i in range(10))
    assert parse(with_meta(f"- Từ khóa: {ten_tags}")).draft.tags == [f"t{i}" for i in range(10)]
    assert parse(with_meta("- Từ khóa: " + "x" * 40)).draft.tags == ["x" * 40]


# -- what each problem says: the item as written and the bounds -------------------------------
# Without a translator installed, a message is the English text with its values.

def message_of(source: str) -> str:
    [problem] = parse(source).problems
    return problem.message


@pytest.mark.parametrize(("item", "message"), [
    ("- Thời gian học: nửa giờ", "‘Thời gian học: nửa giờ’: write a whole number from 1 to 600"),
    ("- Thời gian học: 601 phút", "‘Thời gian học: 601 phút’: write a whole number from 1 to 600"),
    ("- Cơ quan ban hành: X", "‘Cơ quan ban hành’ is 1 characters long; write 2 to 200"),
    ("- Tóm tắt: " + "x" * 1001, "‘Tóm tắt’ is 1001 characters long; write 1 to 1000"),
    ("- Loại văn bản: Thư ngỏ", "‘Loại văn bản: Thư ngỏ’ is not a known kind of document; write one of "
                                + ", ".join(KIND_LABELS.values())),
    ("- Ngày ban hành: 2016-05-15", "‘Ngày ban hành: 2016-05-15’: write the date as dd/mm/yyyy, e.g. 30/08/2025"),
    ("- Ngày ban hành: 31/02/2016",
     "‘Ngày ban hành: 31/02/2016’ is not a real date: check the day and the month (dd/mm/yyyy)"),
    ("- Ngày ban hành: 15/05/1929", "‘Ngày ban hành: 15/05/1929’: the year must be 1930 or later"),
    ("- Ngày ban hành: 02/06/2025", "‘Ngày ban hành: 02/06/2025’ is after today (01/06/2025): check the date"),
    ("- Từ khóa: ngắn, " + "x" * 41, f"Keyword ‘{'x' * 41}’ is longer than 40 characters; shorten it"),
    ("- Từ khóa: " + ", ".join(f"t{i}" for i in range(11)), "‘Từ khóa’ lists 11 keywords; keep at most 10"),
    ("- Mã bài học: Chi_Thi", "‘Mã bài học: Chi_Thi’: use 2 to 80 lower-case letters, digits and hyphens, "
                              "e.g. nghi-quyet-57"),
])
def test_a_metadata_message_names_the_item_the_value_and_the_bounds(item, message):
    assert message_of(with_meta(item)) == message


@pytest.mark.parametrize(("item", "message"), [
    ("- Điểm đạt: 101", "‘Điểm đạt: 101’: write a whole number from 0 to 100"),
    ("- Số lần làm: 21", "‘Số lần làm: 21’: write a whole number from 1 to 20, or ‘không giới hạn’"),
    ("- Thời gian làm bài: nửa giờ",
     "‘Thời gian làm bài: nửa giờ’: write a whole number from 1 to 300, or ‘không giới hạn’"),
    ("- Xáo trộn câu hỏi: có lẽ", "‘Xáo trộn câu hỏi: có lẽ’: write có or không"),
    ("- Lần được tính: tốt nhất", "‘Lần được tính: tốt nhất’: write one of cao nhất, lần cuối, lần đầu, trung bình"),
])
def test_a_setting_message_names_the_item_the_value_and_the_choices(item, message):
    assert message_of(edit(MINIMAL, "## Câu hỏi kiểm tra\n", f"## Câu hỏi kiểm tra\n\n{item}\n")) == message


def test_the_kind_mismatch_message_gives_both_type_codes():
    source = edit(MINIMAL, "Số hiệu: 05-CT/TW", "Số hiệu: 57-NQ/TW")
    assert message_of(source) == (
        "Document number 57-NQ/TW has type NQ, but a Chỉ thị is numbered with CT, e.g. 05-CT/TW: "
        "correct the number or ‘Loại văn bản’")


def test_a_correction_is_offered_only_when_it_is_a_number_in_the_official_form():
    message = message_of(edit(MINIMAL, "Số hiệu: 05-CT/TW", "Số hiệu: 05-ct/tw-x"))
    assert message == "Document number 05-ct/tw-x is not in the official form, e.g. 57-NQ/TW"


def test_length_bounds_are_allowed():
    assert parse(with_meta("- Cơ quan ban hành: BT")).problems == []
    assert parse(with_meta("- Cơ quan ban hành: " + "x" * 200)).problems == []
    assert parse(with_meta("- Tóm tắt: x")).draft.summary == "x"
    assert parse(with_meta("- Tóm tắt: " + "x" * 1000)).problems == []


def test_a_lesson_id_made_from_a_long_filename_does_not_end_with_a_hyphen():
    result = parse(MINIMAL, filename="a" * 79 + "-" + "b" * 20 + ".md")
    assert result.problems == [] and result.draft.slug == "a" * 79


def test_the_message_of_a_lesson_id_that_cannot_be_made_names_the_file():
    assert message_of_file(MINIMAL, "x.md") == (
        "Cannot make a lesson id from ‘x’: add a line ‘- Mã bài học: …’ (lower-case letters, digits and hyphens)")


def message_of_file(source: str, filename: str) -> str:
    [problem] = parse(source, filename).problems
    return problem.message


# -- what each problem of the Markdown front end says, and where ---------------------------------

KINDS_WRITTEN = "Một lựa chọn, Nhiều lựa chọn, Đúng sai, Trả lời ngắn, Thu hoạch"
META_KEYS = "Loại văn bản, Số hiệu, Cơ quan ban hành, Ngày ban hành, Tóm tắt, Thời gian học, Từ khóa, Mã bài học"
TRUE_FALSE_2 = "### Câu 2. Q\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng"


def _quiz_items(items: str) -> str:
    return edit(MINIMAL, "## Câu hỏi kiểm tra\n", f"## Câu hỏi kiểm tra\n\n{items}\n")


@pytest.mark.parametrize(("source", "at", "code", "message"), [
    (edit(MINIMAL, "# Chỉ thị 05 về", "Chỉ thị 05 về"), "Chỉ thị 05 về", "title.missing",
     "The file must start with the lesson title on a line ‘# Title’"),
    (edit(MINIMAL, "# Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh", "#"), 1, "title.missing",
     "The title line ‘#’ is empty: write the lesson title after ‘# ’"),
    (edit(MINIMAL, "# Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh", "# …"), "# …", "title.placeholder",
     "Write the lesson title in place of ‘…’: what the document is about, e.g. Đột phá phát triển khoa học, công nghệ"),
    (edit(MINIMAL, "# Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh", "# " + "x" * 301), "# x",
     "title.length", "The title is 301 characters long; keep it to 300"),
    (edit(MINIMAL, "Học tập và làm theo.", "# Phần một\n\nHọc tập và làm theo."), "# Phần một", "heading.level1",
     "Only the title may be a level-1 heading; write this one with ‘##’"),
    (edit(MINIMAL, "- Số hiệu: 05-CT/TW\n", ""), "- Loại văn bản", "meta.missing",
     "Missing ‘Số hiệu’: add a line ‘- Số hiệu: 57-NQ/TW’ to the list under the title"),
    (edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 20\n- học tập"), "- học tập", "meta.item_format",
     "‘học tập’ is not a ‘Key: value’ item; write it like ‘- Loại văn bản: …’"),
    (edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 20\n- Màu sắc: đỏ"), "Màu sắc", "meta.unknown_key",
     f"Unknown item ‘Màu sắc’; the items here are: {META_KEYS}"),
    (edit(MINIMAL, "- Số hiệu: 05-CT/TW", "- Số hiệu:"), "- Số hiệu:", "meta.empty",
     "‘Số hiệu’ has no value: write the document number as on the original, e.g. 57-NQ/TW"),
    (edit(MINIMAL, "- Số hiệu: 05-CT/TW", "- Số hiệu: …"), "- Số hiệu:", "meta.placeholder",
     "‘Số hiệu’ is still ‘…’: write the document number as on the original, e.g. 57-NQ/TW"),
    (edit(MINIMAL, "- Thời gian học: 20", "- Thời gian học: 20\n- Số: 06-CT/TW"), "- Số: 06", "meta.duplicate",
     "‘Số’ is already given on line 4; keep only one"),
    (edit(MINIMAL, "## Nội dung chính\n\nHọc tập và làm theo.\n\n", ""), "## Câu hỏi kiểm tra", "body.empty",
     "The lesson text is empty: write the summary between the list under the title and ‘## Câu hỏi kiểm tra’"),
    (edit(MINIMAL, "Học tập và làm theo.", "…"), "…", "body.placeholder", "Write the lesson text here in place of ‘…’"),
    (edit(MINIMAL, "## Nội dung chính", "## …"), "## …", "body.placeholder", "Write this heading in place of ‘…’"),
    (MINIMAL[: MINIMAL.index("### Câu 1.")], "## Câu hỏi kiểm tra", "quiz.empty",
     "The quiz has no question: add one heading ‘### Câu 1. …’ per question after this heading"),
    (MINIMAL + "\n## Quiz\n", "## Quiz", "quiz.duplicate",
     "A second ‘## Câu hỏi kiểm tra’ heading: a lesson has one quiz; remove this heading"),
    (edit(MINIMAL, "- Mã: co-quan", "- Mã: co-quan\n\n#### Gợi ý"), "#### Gợi ý", "quiz.heading",
     "‘#### Gợi ý’: in the quiz only questions have headings, written ‘### Câu 1. …’; "
     "move this heading above ‘## Câu hỏi kiểm tra’"),
    (edit(MINIMAL, "- Mã: co-quan", "- Mã: co-quan\n\n## Gợi ý"), "## Gợi ý", "quiz.heading",
     "‘## Gợi ý’: in the quiz only questions have headings, written ‘### Câu 1. …’; "
     "move this heading above ‘## Câu hỏi kiểm tra’"),
    (edit(MINIMAL, "### Câu 1.", "Chúc các đồng chí làm bài tốt.\n\n### Câu 1."), "Chúc các", "quiz.text",
     "‘Chúc các đồng chí làm bài tốt.’: between ‘## Câu hỏi kiểm tra’ and the first question only the settings "
     "list ‘- Key: value’ may appear"),
    (_quiz_items("- Điểm đạt:"), "- Điểm đạt:", "settings.empty", "‘Điểm đạt’ has no value: write it after the colon"),
    (_quiz_items("- Điểm đạt: …"), "- Điểm đạt:", "settings.placeholder",
     "‘Điểm đạt’ is still ‘…’: write its value in place of ‘…’"),
    (_quiz_items("- Điểm đạt: 50\n- pass mark: 60"), "pass mark", "settings.duplicate",
     "‘pass mark’ is already given on line 16; keep only one"),
    (with_question("### Câu 2.\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng"), "### Câu 2.", "question.prompt",
     "‘### Câu 2.’ has no question text: write the question after the number"),
    (with_question(TRUE_FALSE_2 + "\n\n> Vì vậy.\n\nChữ lạc."), "Chữ lạc.", "question.text",
     "‘Chữ lạc.’ is out of place: a question is its text, then the ‘- …’ list, then the explanation ‘> …’"),
    (with_question(TRUE_FALSE_2 + "\n- [x] A\n- [ ] B"), "- [x] A", "question.choices_not_allowed",
     "A ‘Đúng sai’ question has no choices: remove the ‘[ ]’/‘[x]’ lines or change ‘Loại’"),
    (with_question("### Câu 2. …\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng"), "### Câu 2.", "question.placeholder",
     "Write the question in place of ‘…’"),
    (with_question("### Câu 2. Q\n\n…\n\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng"), "…", "question.placeholder",
     "Write the question in place of ‘…’"),
    (with_question(TRUE_FALSE_2 + "\n\n> Giải thích: …"), "> Giải thích", "question.placeholder",
     "Write the explanation of the answer in place of ‘…’, or remove this line"),
    (edit(MINIMAL, "- [ ] Quốc hội", "- [ ] …"), "- [ ] …", "question.placeholder", "Write this choice in place of ‘…’"),
    (with_question(TRUE_FALSE_2 + "\n- ghi chú"), "- ghi chú", "question.item_format",
     "‘ghi chú’ is neither a choice ‘[ ] …’ / ‘[x] …’ nor a property ‘Key: value’"),
    (edit(MINIMAL, "- [ ] Quốc hội", "- [ ] Quốc hội\n- [x]"), 21, "question.choice_empty",
     "This choice has no text: write it after ‘[x]’"),
    (with_question("### Câu 2. Q\n- Mã: q2\n- Đáp án: Đúng"), "### Câu 2.", "question.kind_missing",
     f"Add the question type: a line ‘- Loại: …’ with one of {KINDS_WRITTEN}"),
    (with_question("### Câu 2. Q\n- Loại: Điền khuyết\n- Mã: q2\n- Đáp án: A\n- Đáp án: B"), "Điền khuyết",
     "question.kind_unknown", f"‘Loại: Điền khuyết’ is not a question type; write one of {KINDS_WRITTEN}"),
    (with_question(TRUE_FALSE_2 + "\n- Bỏ qua dấu: có"), "Bỏ qua dấu", "question.property_not_allowed",
     "‘Bỏ qua dấu’ does not apply to a ‘Đúng sai’ question; remove this line"),
    (with_question(TRUE_FALSE_2 + "\n- Điểm:"), "- Điểm:", "question.empty", "‘Điểm’ has no value: write it after the colon"),
    (with_question(TRUE_FALSE_2 + "\n- Đáp án: Sai"), "- Đáp án: Sai", "question.duplicate",
     "‘Đáp án’ is already given on line 25; keep only one"),
    (with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Đáp án: Đúng"), "### Câu 2.", "question.id_missing",
     "Add the question's id: a line ‘- Mã: …’ with lower-case letters, digits and hyphens, e.g. muc-tieu-2030"),
    (with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: co quan\n- Đáp án: Đúng"), "- Mã: co quan",
     "question.id_format", "‘Mã: co quan’: use 1 to 40 lower-case letters, digits and hyphens, e.g. muc-tieu-2030"),
    (with_question("### Câu 2. Q\n- Loại: Đúng sai\n- Mã: co-quan\n- Đáp án: Đúng"), 24,
     "question.duplicate_id", "Question id ‘co-quan’ is already used by the question on line 16; ids must be unique"),
    (with_question(TRUE_FALSE_2 + "\n- Phần: Phần không có"), "- Phần:", "question.unknown_section",
     "‘Phần: Phần không có’ matches no heading of the lesson text; copy the text of a ‘##’ heading"),
])
def test_each_problem_is_on_its_line_and_says_what_to_do(source, at, code, message):
    line = at if isinstance(at, int) else line_of(source, at)
    assert [(p.line, p.code, p.message) for p in parse(source).problems] == [(line, code, message)]


def test_an_unclosed_fence_and_a_missing_quiz_say_what_to_do():
    source = edit(MINIMAL, "Học tập và làm theo.", "```\nHọc tập và làm theo.")
    assert [(p.line, p.message) for p in parse(source).problems] == [
        (line_of(source, "```"), "This code block is never closed: add a line with the same fence (e.g. ```) after it"),
        (source.count("\n"), "The quiz is missing: add a heading ‘## Câu hỏi kiểm tra’ after the lesson text, "
                             "then the questions")]


def test_a_blank_line_in_the_list_names_every_item_cut_off():
    source = edit(edit(MINIMAL, "- Cơ quan ban hành:", "\n- Cơ quan ban hành:"), "- Tóm tắt:", "\n- Tóm tắt:")
    assert [(p.line, p.code, p.message) for p in parse(source).problems] == [
        (5, "meta.blank_line", "This blank line ends the list under the title, so the items below it (Cơ quan ban "
                               "hành, Ngày ban hành, Tóm tắt, Thời gian học) were not read: remove the blank line")]


def test_a_quiz_of_more_than_a_hundred_questions_says_which_is_one_too_many():
    more = "".join(f"\n### Câu {n}. Q{n}\n- Loại: Đúng sai\n- Mã: q{n}\n- Đáp án: Đúng\n" for n in range(2, 102))
    source = MINIMAL + more
    assert [(p.line, p.code, p.message) for p in parse(source).problems] == [
        (line_of(source, "### Câu 101."), "quiz.too_many",
         "This is question 101, but a quiz has at most 100 questions: move the rest to another lesson")]


# -- how lines are read --------------------------------------------------------------------------------

def test_a_title_of_300_characters_is_allowed():
    assert parse(edit(MINIMAL, "# Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh", "# " + "x" * 300)).problems == []


@pytest.mark.parametrize("source", ["", "\n", "\n \n\n"])
def test_an_empty_file_is_a_missing_title_and_no_crash(source):
    assert [code for _line, code in problems(source)][:1] == ["title.missing"]


def test_metadata_may_follow_the_title_and_the_text_the_metadata_without_a_blank_line():
    source = MINIMAL.replace("Hồ Chí Minh\n\n- Loại", "Hồ Chí Minh\n- Loại").replace("20\n\n## Nội", "20\n## Nội")
    result = parse(source)
    assert result.problems == [] and result.draft.minutes == 20
    assert result.draft.body_markdown == "## Nội dung chính\n\nHọc tập và làm theo."


def test_without_a_title_line_the_metadata_is_still_read():
    source = MINIMAL[MINIMAL.index("- Loại văn bản"):]
    assert problems(source) == [(1, "title.missing")]


def test_a_file_of_only_a_title_and_its_metadata():
    source = MINIMAL[: MINIMAL.index("\n## Nội dung chính")]
    last = source.count("\n")  # the file ends with its last line's end
    assert problems(source) == [(last, "quiz.missing"), (last, "body.empty")]


def test_a_lesson_text_that_opens_with_a_paragraph_has_no_metadata_list():
    source = MINIMAL[: MINIMAL.index("- Loại văn bản")] + "Mở đầu.\n\n" + MINIMAL[MINIMAL.index("## Nội dung chính"):]
    assert problems(source) == [(3, "meta.missing")] * 6


def test_a_level_1_heading_right_under_the_title_is_reported():
    source = edit(MINIMAL, "Hồ Chí Minh\n\n- Loại", "Hồ Chí Minh\n# Phụ đề\n\n- Loại")
    assert ("heading.level1" in [code for line, code in problems(source) if line == 2])


def test_an_empty_optional_item_does_not_end_the_list():
    result = parse(edit(MINIMAL, "- Thời gian học: 20", "- Từ khóa:\n- Thời gian học: 20"))
    assert result.problems == [] and result.draft.minutes == 20


def test_a_value_may_hold_a_colon():
    result = parse(edit(MINIMAL, "- Tóm tắt: Đẩy mạnh", "- Tóm tắt: Mục tiêu: đẩy mạnh"))
    assert result.draft.summary.startswith("Mục tiêu: đẩy mạnh")


def test_a_lesson_text_opening_with_a_plain_list_after_a_blank_line():
    source = edit(MINIMAL, "## Nội dung chính", "- Một ý\n- Hai ý\n\n## Nội dung chính")
    assert parse(source).problems == []


def test_the_text_and_the_quiz_need_no_blank_line_between_them():
    source = edit(MINIMAL, "Học tập và làm theo.\n\n## Câu hỏi kiểm tra\n\n### Câu 1.",
                  "Học tập và làm theo.\n## Câu hỏi kiểm tra\n### Câu 1.")
    result = parse(source)
    assert result.problems == [] and [q.key for q in result.draft.questions] == ["co-quan"]


def test_settings_right_above_the_first_question():
    result = parse(edit(MINIMAL, "## Câu hỏi kiểm tra\n\n", "## Câu hỏi kiểm tra\n- Điểm đạt: 50\n"))
    assert result.problems == [] and result.draft.settings.pass_mark == 50


def test_a_setting_continues_on_the_next_line_unless_a_blank_line_comes_first():
    result = parse(_quiz_items("- Điểm đạt: 50\n- Số lần làm: 3\n- Hiện đáp án: khi\nđạt"))
    assert result.problems == [] and result.draft.settings.show_answers == "after_pass"
    result = parse(_quiz_items("- Điểm đạt: 50\n- Số lần làm: 3\n- Hiện đáp án: khi\n\n  đạt"))
    assert result.problems == [] and result.draft.settings.show_answers == "after_pass"
    source = _quiz_items("- Điểm đạt: 50\n\nChúc làm bài tốt.")
    assert problems(source) == [(line_of(source, "Chúc làm"), "quiz.text")]
    source = edit(MINIMAL, "## Câu hỏi kiểm tra\n\n", "## Câu hỏi kiểm tra\nChúc làm bài tốt.\n")
    assert problems(source) == [(line_of(source, "Chúc làm"), "quiz.text")]


def test_a_level_1_heading_in_the_quiz_is_one_problem():
    source = edit(MINIMAL, "- Mã: co-quan", "- Mã: co-quan\n\n# Phần phụ")
    assert problems(source) == [(line_of(source, "# Phần phụ"), "heading.level1")]


def test_a_question_item_continues_on_the_next_line():
    result = parse(with_question("### Câu 2. Q\n- Loại: Trả lời ngắn\n- Mã: q2\n- Đáp án: Hà\nNội"))
    assert result.problems == [] and result.draft.questions[1].data["answers"] == ["Hà Nội"]
    result = parse(with_question("### Câu 2. Q\n- Loại: Trả lời ngắn\n- Mã: q2\n- Đáp án: Hà\n\n  Nội"))
    assert result.problems == [] and result.draft.questions[1].data["answers"] == ["Hà Nội"]
    source = with_question("### Câu 2. Q\n- Loại: Trả lời ngắn\n- Mã: q2\n- Đáp án: Hà\n\nNội")
    assert problems(source) == [(source.count("\n"), "question.text")]  # "Nội", the last line


def test_a_prompt_and_an_explanation_keep_their_paragraphs():
    source = with_question("### Câu 2. Q\nĐoạn một.\n\n\nĐoạn hai.\n- Loại: Đúng sai\n- Mã: q2\n- Đáp án: Đúng\n\n"
                           "> Giải thích: Xem phần Giải thích: thuật ngữ\nvà ví dụ.\n\n> Đoạn sau.")
    question = parse(source).draft.questions[1]
    assert question.prompt_html == "<p>Q</p><p>Đoạn một.</p>\n<p>Đoạn hai.</p>"
    assert question.explanation_html == "<p>Xem phần Giải thích: thuật ngữ\nvà ví dụ.</p>\n<p>Đoạn sau.</p>"


def test_an_explanation_continues_lazily_but_text_after_a_blank_line_is_out_of_place():
    source = with_question(TRUE_FALSE_2 + "\n\n> Giải thích: Vì\nvậy.")
    assert parse(source).draft.questions[1].explanation_html == "<p>Vì\nvậy.</p>"


def test_a_question_with_only_its_heading_prompt():
    assert parse(with_question(TRUE_FALSE_2)).draft.questions[1].prompt_html == "<p>Q</p>"


def test_a_property_repeats_only_where_its_kind_allows():
    source = with_question(TRUE_FALSE_2 + "\n- Đáp án: Sai")
    assert [code for _line, code in problems(source)] == ["question.duplicate"]


@pytest.mark.parametrize(("closing", "closed"), [("```", True), ("```  ", True), ("```\t", False), (" ```", False)])
def test_a_fence_closes_only_with_the_same_fence_and_spaces(closing, closed):
    source = edit(MINIMAL, "Học tập và làm theo.", f"```\nmã\n{closing}\n\nHọc tập và làm theo.")
    assert ("fence.unclosed" not in [code for _line, code in problems(source)]) == closed


# -- reading the source (authoring.source) ----------------------------------------------------------

def test_a_character_no_database_stores_is_one_problem_on_its_line():
    from learning.lessons.authoring.source import read_source
    message = ("This line holds a character that cannot be stored (a NUL character or an invalid Unicode "
               "character): remove it")
    for source, line in ((MINIMAL.replace("Học tập và làm theo.", "Học tập\x00"), 12),
                         ("# T\n\ud800", 2), (b"\xef\xbb\xbfa\x00b", 1)):
        text, problem = read_source(source)
        assert text is None and (problem.line, problem.code, problem.message) == (line, "file.unstorable", message)
    result = parse(MINIMAL.replace("Học tập và làm theo.", "Học tập\x00"))
    assert [(p.line, p.code) for p in result.problems] == [(12, "file.unstorable")] and result.draft is None


def test_a_non_utf8_file_says_how_to_save_it():
    from learning.lessons.authoring.source import read_source
    text, problem = read_source(b"\xef\xbb\xbf# T\n\nb\xe0i")
    assert text is None and (problem.line, problem.code, problem.message) == (
        3, "file.encoding", "The file is not UTF-8 text (first bad byte on this line): save it again as UTF-8")


def test_a_source_reads_as_nfc_text_with_newline_line_ends_and_no_bom():
    from learning.lessons.authoring.source import normalised, read_source
    assert read_source("\ufeffa\r\nb\rc\n") == ("a\nb\nc\n", None)
    assert read_source("\ufeffa\r\nb".encode()) == ("a\nb", None)
    assert read_source(unicodedata.normalize("NFD", "Hà Nội")) == ("Hà Nội", None)
    assert normalised("\r\n\r") == "\n\n"


def test_list_items_and_quotes_in_a_fenced_prompt_are_the_prompt_not_choices_nor_explanation():
    source = with_question("### Câu 2. Q\n\n```\n- [x] Không phải phương án\n> Không phải giải thích\n```\n\n"
                           "- Loại: Một lựa chọn\n- Mã: q2\n- [x] A\n- [ ] B")
    question = parse(source).draft.questions[1]
    assert [c["text"] for c in question.data["choices"]] == ["A", "B"] and question.explanation_html == ""
    assert "- [x] Không phải phương án" in question.prompt_html
