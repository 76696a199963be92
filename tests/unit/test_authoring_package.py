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


# -- what a registry error says: the kind at fault ------------------------------------

def test_the_registry_gives_each_kind_by_its_code():
    single, true_false = SingleChoice(), TrueFalse()
    assert check_registry([single, true_false]) == {"single": single, "true_false": true_false}


def test_a_kind_without_aliases_still_answers_to_its_code_and_label():
    class Plain(QuestionKind):
        code, label, english, template = "plain", "Tự do", "Free", "plain"
    plain = Plain()
    assert check_registry([plain]) == {"plain": plain}
    twin = type("Twin", (Plain,), {"code": "twin", "label": "tự do"})()
    with pytest.raises(RegistryError, match=r"^question kind Twin: alias 'tự do' is empty or also names Plain$"):
        check_registry([plain, twin])


@pytest.mark.parametrize("value", [None, 5, "   "])
def test_a_name_that_is_not_text_is_refused_naming_the_kind(value):
    broken = type("Broken", (TrueFalse,), {"label": value})()
    with pytest.raises(RegistryError, match=r"^question kind Broken has no label$"):
        check_registry([broken])


def test_the_messages_name_both_kinds_at_fault():
    with pytest.raises(RegistryError, match=r"^question kinds TrueFalse and TrueFalse share code 'true_false'$"):
        check_registry([TrueFalse(), TrueFalse()])
    copycat = type("Copycat", (TrueFalse,), {"code": "yes_no", "label": "Có không", "aliases": ("đúng/sai",)})()
    with pytest.raises(RegistryError, match=r"^question kind Copycat: alias 'đúng/sai' is empty or also names TrueFalse$"):
        check_registry([TrueFalse(), copycat])
    blank = type("Blank", (TrueFalse,), {"code": "blank", "label": "Trống", "aliases": ("  ",)})()
    with pytest.raises(RegistryError, match=r"^question kind Blank: alias '  ' is empty or also names Blank$"):
        check_registry([blank])


def test_a_property_name_means_the_same_keys_in_every_kind():
    from learning.lessons.authoring.kinds.base import ANSWER, PropertySpec
    from learning.lessons.authoring.kinds.short_text import ShortText

    same = type("Same", (TrueFalse,), {"code": "same", "label": "Giống", "aliases": (), "properties": (ANSWER,)})()
    assert set(check_registry([ShortText(), same])) == {"short_text", "same"}
    other = PropertySpec("answer", ("Trả lời",))
    odd = type("Odd", (TrueFalse,), {"code": "odd", "label": "Lạ", "aliases": (), "properties": (other,)})()
    with pytest.raises(RegistryError, match=r"^question kind Odd: property 'answer' has other keys in another kind$"):
        check_registry([ShortText(), odd])


def test_a_kind_may_repeat_only_properties_it_takes():
    repeater = type("Repeater", (TrueFalse,), {"repeatable": frozenset({"answer", "hint"})})()
    with pytest.raises(RegistryError, match=r"^question kind Repeater repeats properties it does not take: \['hint'\]$"):
        check_registry([repeater])
    fine = type("Fine", (TrueFalse,), {"repeatable": frozenset({"answer"})})()
    assert list(check_registry([fine])) == ["true_false"]
