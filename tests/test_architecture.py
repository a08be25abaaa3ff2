"""The layering holds: the domain imports no UI, storage or imaging, and Flet lives only in kompas/ui/."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kompas"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", ["model.py", "content.py", "screens.py"])
def test_the_domain_imports_no_ui_storage_or_imaging(module):
    assert imported_modules(PACKAGE / module).isdisjoint({"flet", "tinydb", "PIL", "qrcode"})


def test_the_workbook_reaches_storage_only_through_the_store():
    assert "tinydb" not in imported_modules(PACKAGE / "workbook.py")


def test_flet_is_imported_only_inside_kompas_ui():
    outside = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")
               if "ui" not in p.relative_to(PACKAGE).parts and "flet" in imported_modules(p)]
    assert outside == []


def test_every_module_says_its_job_in_a_docstring():
    missing = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []
