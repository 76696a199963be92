"""The authoring package stays pure, so a second front end or a script can
use it without the web application; its question kinds are checked at
start-up; its messages are Vietnamese inside the application."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from learning.lessons.authoring import KINDS, QuestionKind, messages, parse_lesson
from learning.lessons.authoring.kinds import RegistryError, check_registry
from learning.lessons.authoring.kinds.choices import MultipleChoice, SingleChoice
from learning.lessons.authoring.kinds.true_false import TrueFalse

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "learning/lessons/authoring"
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug", "learning.core")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(part for part in (base, node.module) if part)
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def test_the_import_walk_sees_every_kind_of_import():
    sample = PACKAGE / "kinds" / "__init__.py"
    assert "learning.lessons.authoring.kinds.base" in _imports(sample)
    assert "flask_babel" in _imports(ROOT / "learning/lessons/views.py")


def test_authoring_imports_neither_flask_nor_the_database():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    offending = {
        str(path.relative_to(ROOT)): sorted(name for name in _imports(path)
                                            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
                                            or (name.startswith("learning.")
                                                and not name.startswith("learning.lessons.authoring")))
        for path in modules
    }
    assert {path: names for path, names in offending.items() if names} == {}


# -- the registry of question kinds ----------------------------------------------

def test_the_registry_is_the_checked_list():
    assert check_registry(KINDS.values()) == KINDS


@pytest.mark.parametrize("missing", ["code", "label", "english", "template"])
def test_a_kind_without_a_name_or_template_is_refused(missing):
    broken = type("Broken", (TrueFalse,), {missing: ""})()
    with pytest.raises(RegistryError, match=missing):
        check_registry([SingleChoice(), broken])


def test_a_kind_missing_an_attribute_altogether_is_refused():
    class NoTemplate(QuestionKind):
        code, label, english, aliases = "plain", "Tự do", "Free", ()
    with pytest.raises(RegistryError, match="NoTemplate has no template"):
        check_registry([NoTemplate()])


def test_two_kinds_sharing_an_alias_are_refused():
    copycat = type("Copycat", (TrueFalse,), {"code": "yes_no", "label": "Có không", "aliases": ("đúng/sai",)})()
    with pytest.raises(RegistryError, match="Copycat"):
        check_registry([TrueFalse(), copycat])


def test_a_label_naming_another_kind_is_refused():
    confusing = type("Confusing", (MultipleChoice,), {"code": "many", "label": "Một lựa chọn", "aliases": ()})()
    with pytest.raises(RegistryError):
        check_registry([SingleChoice(), confusing])


def test_two_kinds_with_one_code_are_refused():
    with pytest.raises(RegistryError, match="code"):
        check_registry([TrueFalse(), TrueFalse()])


# -- messages ----------------------------------------------------------------------

BROKEN = "# Bài\n\n- Loại văn bản: Thư ngỏ\n"


def test_without_a_translator_messages_are_english_with_their_values():
    saved = messages._translate
    messages.install_translator(None)
    try:
        assert messages._("‘%(key)s’ is %(n)s", key="Số hiệu", n=3) == "‘Số hiệu’ is 3"
        assert messages._("100% plain") == "100% plain"  # no variables: no formatting, as gettext
        problem = next(p for p in parse_lesson(BROKEN, today=date(2025, 1, 1)).problems if p.code == "kind.unknown")
        assert problem.message.startswith("‘Loại văn bản: Thư ngỏ’ is not a known kind of document")
    finally:
        messages.install_translator(saved)


def test_inside_the_application_problems_are_in_vietnamese(app):
    with app.test_request_context("/"):
        problems = parse_lesson(BROKEN, today=date(2025, 1, 1)).problems
    kind = next(p for p in problems if p.code == "kind.unknown")
    assert kind.message.startswith("‘Loại văn bản: Thư ngỏ’ không phải loại văn bản hợp lệ")
    missing = next(p for p in problems if p.code == "meta.missing")
    assert missing.message.startswith("Thiếu mục ‘Số hiệu’")
