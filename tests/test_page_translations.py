"""Pages in both languages: nothing fixed in one language at import (issue 10)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_calls_outside_functions(path: Path) -> list[str]:
    """Calls of plain gettext at import time (module level, class bodies, default values)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                for default in (*child.args.defaults, *child.args.kw_defaults):
                    if default is not None:
                        visit_expression(default)
                continue
            visit_expression(child, recurse=False)
            visit(child)

    def visit_expression(node, recurse=True):
        for sub in ast.walk(node) if recurse else [node]:
            if isinstance(sub, ast.Call) and getattr(sub.func, "id", None) in names:
                found.append(f"{path.relative_to(ROOT)}:{sub.lineno}")

    visit(tree)
    return found


def test_no_string_is_translated_once_at_import():
    # issue 10: the evaluation overview's Show filter stayed in the language of the import.
    sources = [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "migrations", "tests", "node_modules"} & set(path.parts)
    ]
    found = [hit for path in sources for hit in _eager_calls_outside_functions(path)]
    assert found == [], "use gettext_lazy at import time: " + ", ".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        (
            "zh-hans",
            ["显示", "有评价的认证联络员", "有较差评价待决定", "全部认证联络员"],
            "All liaisons",
        ),
        ("en", ["Show", "Liaisons with evaluations", "Poor rating", "All liaisons"], "全部"),
    ],
)
def test_the_show_filter_of_the_evaluation_overview_is_translated(
    client, world, language, expected, foreign
):
    # rule L-10; issue 10
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.training_admin)
    page = client.get(reverse("liaisons:evaluation_overview")).content.decode()
    start = page.index('<form method="get"')
    form = page[start : page.index("</form>", start)]
    for text in expected:
        assert text in form
    assert foreign not in form
