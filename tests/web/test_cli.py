"""`flask content check` and `flask content import` on good and broken files."""
import shutil

from sqlalchemy import func, select

from learning.core import db
from learning.models import Lesson, LessonVersion
from tests.conftest import CONTENT


def _count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_check_accepts_the_shipped_content_and_writes_nothing(app):
    result = _run(app, "content", "check", str(CONTENT))
    assert result.exit_code == 0, result.output
    assert _count(Lesson) == 0


def test_check_reports_every_problem_as_file_line_message(app, tmp_path):
    bad = tmp_path / "bad.md"
    source = (CONTENT / "57-nq-tw-2024.md").read_text(encoding="utf-8")
    bad.write_text(source.replace("57-NQ/TW", "57/NQ", 1).replace("- [x]", "- [ ]", 1), encoding="utf-8")
    result = _run(app, "content", "check", str(bad))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(bad))]
    assert len(lines) >= 2
    number_line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if "57/NQ" in t)
    assert any(line.startswith(f"{bad}:{number_line}: ") for line in lines)


def test_check_reports_a_file_that_is_not_utf8(app, tmp_path):
    bad = tmp_path / "latin1.md"
    bad.write_bytes("# Nghị quyết\n\n- Tóm tắt: x\n".encode("utf-8") + "\nĐ".encode("cp1258"))
    result = _run(app, "content", "check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:5: " in result.output


def test_import_publishes_then_reimport_changes_nothing(app, tmp_path):
    folder = tmp_path / "lessons"
    shutil.copytree(CONTENT, folder)
    assert _run(app, "content", "import", str(folder)).exit_code == 0
    lessons, versions = _count(Lesson), _count(LessonVersion)
    assert lessons >= 6 and versions == lessons
    again = _run(app, "content", "import", str(folder))
    assert again.exit_code == 0
    assert _count(LessonVersion) == versions

    target = folder / "57-nq-tw-2024.md"
    target.write_text(target.read_text(encoding="utf-8").replace("## ", "## Phần: ", 1), encoding="utf-8")
    assert _run(app, "content", "import", str(folder)).exit_code == 0
    assert _count(LessonVersion) == versions + 1


def test_an_import_with_any_problem_changes_nothing(app, tmp_path):
    folder = tmp_path / "lessons"
    shutil.copytree(CONTENT, folder)
    (folder / "zz-broken.md").write_text("# Không có gì\n", encoding="utf-8")
    result = _run(app, "content", "import", str(folder))
    assert result.exit_code == 1
    assert "zz-broken.md:" in result.output
    assert _count(Lesson) == 0 and _count(LessonVersion) == 0


def test_a_file_with_a_character_no_database_stores_is_a_problem_with_its_line(app, tmp_path):
    """NUL passes UTF-8 but no database stores it: `check` names the line,
    and `import` refuses it the same way, writing nothing (not a database error)."""
    bad = tmp_path / "nul.md"
    lines = (CONTENT / "57-nq-tw-2024.md").read_text(encoding="utf-8").splitlines()
    lines[20] = lines[20] + "\x00"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in ("check", "import"):
        result = _run(app, "content", command, str(bad))
        assert result.exit_code == 1, result.output
        assert f"{bad}:21: Dòng này có ký tự không thể lưu" in result.output
    assert _count(Lesson) == 0
