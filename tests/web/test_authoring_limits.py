"""Every way into the parser (the command line, the editor's buttons, the
live preview) refuses an over-large lesson with the same Vietnamese message,
quickly; and the command line explains, in Vietnamese, a file it cannot read."""
from __future__ import annotations

import errno
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from learning.core import db
from learning.lessons import publishing
from learning.lessons.authoring import limits
from learning.models import Lesson
from tests.conftest import CONTENT

SOURCE = (CONTENT / "57-nq-tw-2024.md").read_text(encoding="utf-8")
LIMIT_MESSAGE = f"vượt quá giới hạn {limits.MAX_SOURCE_CHARS} ký tự"


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _lesson_of(chars: int) -> str:
    """The shipped lesson with its body repeated until the source has exactly `chars` characters."""
    body_start = SOURCE.index("\n## ")
    quiz = SOURCE.index("## Câu hỏi kiểm tra")
    body = SOURCE[body_start:quiz].replace("## ", "### ")
    wanted = chars - body_start - len(SOURCE) + quiz - 2
    repeated = (body * (wanted // len(body) + 1))[:wanted]
    return SOURCE[:body_start] + repeated + "\n\n" + SOURCE[quiz:]


def test_check_answers_a_7_mb_file_at_once_with_the_limit(app, tmp_path):
    huge = tmp_path / "qua-lon.md"
    huge.write_text(_lesson_of(7_000_000), encoding="utf-8")
    started = time.perf_counter()
    result = _run(app, "content", "check", str(huge))
    assert time.perf_counter() - started < 3
    assert result.exit_code == 1
    [problem] = [line for line in result.output.splitlines() if line.startswith(f"{huge}:")]
    line = huge.read_text(encoding="utf-8")[:limits.MAX_SOURCE_CHARS + 1].count("\n") + 1
    assert problem.startswith(f"{huge}:{line}: Bài học dài ")
    assert LIMIT_MESSAGE in problem


def test_import_refuses_a_file_over_the_limit_and_imports_nothing(app, tmp_path):
    (tmp_path / "57-nq-tw-2024.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "qua-lon.md").write_text(_lesson_of(limits.MAX_SOURCE_CHARS + 10), encoding="utf-8")
    result = _run(app, "content", "import", str(tmp_path))
    assert result.exit_code == 1
    assert LIMIT_MESSAGE in result.output
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_check_refuses_a_quiz_with_too_many_questions(app, tmp_path):
    question = "\n### Câu {n}. Câu hỏi {n}?\n- Loại: Đúng sai\n- Mã: them-{n}\n- Đáp án: Đúng\n"
    many = tmp_path / "nhieu-cau.md"
    many.write_text(SOURCE + "".join(question.format(n=n) for n in range(1, 200)), encoding="utf-8")
    result = _run(app, "content", "check", str(many))
    assert result.exit_code == 1
    assert f"tối đa {limits.MAX_QUESTIONS} câu hỏi" in result.output


def test_check_of_a_missing_file_says_why_in_vietnamese(app, tmp_path):
    missing = tmp_path / "khong-co.md"
    result = _run(app, "content", "check", str(missing))
    assert result.exit_code == 1
    assert f"{missing}:1: Không đọc được tệp: không có tệp hoặc thư mục này" in result.output
    assert "No such file" not in result.output


@pytest.mark.parametrize(("error", "reason"), [
    (PermissionError(errno.EACCES, "Permission denied"), "không có quyền đọc tệp này"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), "đây là một thư mục, không phải tệp"),
    (OSError(errno.EIO, "Input/output error"), "hệ thống không đọc được tệp này"),
])
def test_every_read_error_is_explained_in_vietnamese(app, tmp_path, monkeypatch, error, reason):
    def refuse(_path):
        raise error
    monkeypatch.setattr(Path, "read_bytes", refuse)
    path = tmp_path / "bai.md"
    _drafts, [(name, problem)] = publishing.check_files([path])
    assert (name, problem.line, problem.message) == (str(path), 1, f"Không đọc được tệp: {reason}")


def test_a_folder_named_like_a_lesson_is_explained(app, tmp_path):
    folder = tmp_path / "thu-muc.md"
    folder.mkdir()
    _drafts, [(_name, problem)] = publishing.check_files([folder])
    assert problem.message == "Không đọc được tệp: đây là một thư mục, không phải tệp"


# -- the editor ----------------------------------------------------------------

def _editor(make_user, login):
    return login(make_user(role="editor", name="Lê Biên Tập"))


def test_every_editor_button_refuses_an_over_large_lesson_in_vietnamese(client, make_user, login):
    _editor(make_user, login)
    source = _lesson_of(limits.MAX_SOURCE_CHARS + 10)
    for action in ("preview", "save", "publish"):
        response = client.submit("/edit/new", {"source": source, "action": action}, token_from="/edit/new")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, action
        assert LIMIT_MESSAGE in html, action
        assert "Field cannot be longer" not in html
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_the_editor_counts_a_browser_line_end_as_one_character(client, make_user, login):
    _editor(make_user, login)
    at_the_limit = _lesson_of(limits.MAX_SOURCE_CHARS)
    assert len(at_the_limit) == limits.MAX_SOURCE_CHARS
    as_a_browser_sends_it = at_the_limit.replace("\n", "\r\n")
    html = client.submit("/edit/new", {"source": as_a_browser_sends_it, "action": "preview"}).get_data(as_text=True)
    assert "vượt quá giới hạn" not in html


def test_live_preview_lists_the_limit_as_a_problem(client, make_user, login):
    _editor(make_user, login)
    token = client.csrf_token("/edit/new")
    source = _lesson_of(limits.MAX_SOURCE_CHARS + 10)
    response = client.post("/edit/preview", data={"source": source}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    [problem] = response.get_json()["problems"]
    assert LIMIT_MESSAGE in problem["message"]
