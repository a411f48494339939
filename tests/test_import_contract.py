"""The app graph runs one way: directory <- liaisons <- access_audit, directory <-
quality_roles, and cqcportal's helpers import no app above directory (issue 11).

The Python side is import-linter's contracts in pyproject.toml (imports inside functions
count); templates are not Python, so the directory's are read here.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept():
    # issue 11: an import against the graph, at module level or inside a function, fails here.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contract_sees_imports_inside_functions(tmp_path):
    # issue 11: the graph's former cycles hid in function bodies; the contract must see them.
    import grimp

    package = tmp_path / "probe_low"
    package.mkdir()
    (package / "__init__.py").write_text("def later():\n    from probe_high import x\n")
    (tmp_path / "probe_high").mkdir()
    (tmp_path / "probe_high" / "__init__.py").write_text("x = 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("probe_low", "probe_high", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert graph.direct_import_exists(importer="probe_low", imported="probe_high")


_UPWARD = {
    "directory": ("liaisons", "access_audit", "quality_roles"),
}


def test_no_directory_template_reaches_an_app_above_it():
    # issue 11: a template of directory loads no tag library, includes no template and names
    # no URL of the apps built on it; they add their parts through directory.registry.
    problems = []
    for app, above in _UPWARD.items():
        names = "|".join(above)
        patterns = [
            re.compile(r"{%\s*load\b[^%]*\b(" + names + r")_\w*", re.S),
            re.compile(r"{%\s*(include|extends)\s+['\"](" + names + r")/", re.S),
            re.compile(r"{%\s*url\s+['\"](" + names + r"):", re.S),
            re.compile(r"['\"/](" + names + r"):\w+", re.S),
        ]
        for template in sorted((ROOT / app / "templates").rglob("*.html")):
            text = template.read_text()
            problems += [
                f"{template.relative_to(ROOT)}: {m.group(0)}"
                for pattern in patterns
                for m in pattern.finditer(text)
            ]
    assert problems == []
