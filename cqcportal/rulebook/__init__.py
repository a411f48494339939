"""Generate docs/rules.md from the rule book and the code's own citations of rule ids.

Pure Python, no Django: it reads files. A citation is any rule id (``P-04``, ``L-07``...)
written in a file: a docstring, a comment, an error code, ``# rule L-07`` in a test. Code that
is not a test is where a rule is enforced; a ``test_*.py`` file is where it is tested.
"""

import ast
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .rules import RULES, RULES_BY_ID, Rule

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path("docs/rules.md")

#: A rule id as the code cites it; letters glued before it (``SP-01``) do not count.
RULE_ID = re.compile(r"(?<![A-Za-z0-9_-])([PLAQ]-\d{2})(?![0-9])")
#: Files whose citations are read: code, templates, documentation, translations.
SCANNED_SUFFIXES = {".py", ".html", ".txt", ".md", ".po"}
#: Directories never read: tooling, virtualenvs, build output, uploads.
SKIPPED_DIRS = {"__pycache__", "node_modules", "staticfiles", "media", "artifacts", "htmlcov"}
#: The book itself and its own test name every id; they cite nothing.
SELF = ("cqcportal/rulebook/", "tests/test_rulebook.py", OUTPUT.as_posix())

#: How much of each list the page shows before "and N more".
MAX_FILES = 12
MAX_NAMES = 5
SUMMARY_FILES = 2

CODE, TEST, OTHER = "code", "test", "other"


@dataclass(frozen=True, order=True)
class Citation:
    path: str  # posix, relative to the repository
    line: int
    scope: str  # "Class.method" or "function", "" at module level
    rule_id: str
    kind: str  # CODE, TEST or OTHER


def classify(path: str) -> str:
    """Where a file's citations count: enforcing code, a test, or neither."""
    parts = path.split("/")
    name = parts[-1]
    if not name.endswith(".py"):
        return OTHER  # templates, docs, translations: checked for unknown ids only
    if parts[0] == "bench" or name == "demo.py" or name.startswith("seed_demo"):
        return OTHER  # benchmarks and demo data illustrate rules, they do not enforce them
    if "migrations" in parts[:-1]:
        return OTHER  # a migration copies a model's help text or applies a rule once
    if "tests" in parts[:-1] or name.startswith("test_") or name == "conftest.py":
        # test_*.py hold the tests; factories and helpers beside them prove nothing.
        return TEST if name.startswith("test_") else OTHER
    return CODE


def iter_files(root: Path = ROOT):
    """Every scanned file under root, as a posix path relative to it, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not os.path.islink(os.path.join(dirpath, d))
        )
        for filename in sorted(filenames):
            if Path(filename).suffix not in SCANNED_SUFFIXES:
                continue
            rel = Path(dirpath, filename).relative_to(root).as_posix()
            if not rel.startswith(SELF):
                yield rel


def _scopes(source: str) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every def and class. The comment lines just
    above a def (``# rule L-07`` before a test) belong to it."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []  # a file in the middle of an edit still counts, at module level
    lines = source.splitlines()
    scopes = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                while start > 1 and lines[start - 2].strip().startswith("#"):
                    start -= 1
                scopes.append((start, child.end_lineno or child.lineno, name))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return scopes


def citations_in(path: str, text: str) -> list[Citation]:
    """The rule ids a file cites, each with the def or class around it."""
    kind = classify(path)
    scopes = _scopes(text) if path.endswith(".py") else []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in RULE_ID.finditer(line):
            inner = [s for s in scopes if s[0] <= number <= s[1]]
            # The innermost scope: the latest to start among those that hold the line.
            scope = max(inner)[2] if inner else ""
            found.append(Citation(path, number, scope, match.group(1), kind))
    return found


def collect(root: Path = ROOT) -> list[Citation]:
    """Every citation of a rule id in the repository."""
    found = []
    for path in iter_files(root):
        text = (root / path).read_text(encoding="utf-8", errors="replace")
        found.extend(citations_in(path, text))
    return sorted(found)


def is_test_scope(scope: str) -> bool:
    """A test function or method (``test_x``, ``SomeTests.test_x``), not a helper."""
    return scope.rsplit(".", 1)[-1].startswith("test")


def by_rule(citations, kind) -> dict[str, dict[str, list[str]]]:
    """rule id -> file -> the scopes citing it there, in the order of the file."""
    table: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for c in citations:
        if c.kind != kind:
            continue
        names = table[c.rule_id].setdefault(c.path, [])
        if c.scope and c.scope not in names:
            names.append(c.scope)
    return table


def problems(citations) -> list[str]:
    """What keeps the book honest: each built rule enforced and tested, no unknown id."""
    enforced = by_rule(citations, CODE)
    # A module docstring naming a range of rules proves none of them: a test function must.
    tested = {c.rule_id for c in citations if c.kind == TEST and is_test_scope(c.scope)}
    found = []
    for rule in RULES:
        if not rule.built:
            continue
        if rule.id not in enforced:
            found.append(f"{rule.id} is built but no code cites it")
        if rule.id not in tested:
            found.append(f"{rule.id} is built but no test function cites it")
    for c in citations:
        if c.rule_id not in RULES_BY_ID:
            found.append(f"{c.path}:{c.line} cites {c.rule_id}, which is not in the rule book")
    return found


# Rendering -------------------------------------------------------------------------------


def _link(path: str) -> str:
    return f"[`{path}`](../{path})"


def _place(path: str, names: list[str]) -> str:
    if not names:
        return _link(path)
    shown = ", ".join(f"`{n}`" for n in names[:MAX_NAMES])
    more = f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else ""
    return f"{_link(path)}: {shown}{more}"


def _places(files: dict[str, list[str]], none: str) -> list[str]:
    if not files:
        return [f"- {none}"]
    paths = sorted(files)
    # "and 1 more file" would take the line the file itself takes.
    shown = len(paths) if len(paths) <= MAX_FILES + 1 else MAX_FILES
    lines = [f"- {_place(p, files[p])}" for p in paths[:shown]]
    if len(paths) > shown:
        rest = len(paths) - shown
        names = sum(len(files[p]) or 1 for p in paths[shown:])
        files_word = "file" if rest == 1 else "files"
        places_word = "place" if names == 1 else "places"
        lines.append(f"- and {rest} more {files_word} ({names} more {places_word})")
    return lines


def _summary_cell(files: dict[str, list[str]], rule: Rule) -> str:
    if not files:
        return "**none**" if rule.built else "-"
    paths = sorted(files)
    shown = ", ".join(f"`{p}`" for p in paths[:SUMMARY_FILES])
    more = f" and {len(paths) - SUMMARY_FILES} more" if len(paths) > SUMMARY_FILES else ""
    return shown + more


def _anchor(rule: Rule) -> str:
    return rule.id.lower()


def render(citations) -> str:
    """docs/rules.md, the same text for the same code."""
    enforced, tested = by_rule(citations, CODE), by_rule(citations, TEST)
    out = [
        "# The rule book",
        "",
        "<!-- Generated by `make rules` (python -m cqcportal.rulebook) from",
        "     cqcportal/rulebook/rules.py and the code's citations. Do not edit by hand. -->",
        "",
        "Every rule the portal knows, with an id that the code cites where it enforces the rule",
        "(docstrings, comments, error codes such as `L-07`) and the tests cite where they prove",
        "it (`# rule L-07`). The texts live in `cqcportal/rulebook/rules.py`; the *enforced in*",
        "and *tested in* lists are read from the code, so `make rules` rewrites this page and",
        "`tests/test_rulebook.py` fails when it is out of date, when a built rule has no code or",
        "no test citing it, or when the code cites an id that is not here.",
        "",
        "The sources, in Chinese: *notice 2011* is CQC's notice of 2011-05-26 on the",
        "qualification of certification liaison officers (关于加强认证联络员资质管理要求的通知)",
        "with attachment 1 (management requirements, §1-§4), attachment 2 (the check of",
        "business-system logins, cases 1-5) and the hiring-process explanation",
        "(认证联络员聘用流程说明, parts 一-五); *2026 regulation* is the regulation on",
        "certification quality directors and project quality leads of product certification",
        "bodies (in force 2026-01-01), cited by article. Where they are silent the rule is the",
        "portal's choice, said so below and explained in [decisions](decisions.md).",
        "",
        "Enforced in lists code that is not a test; tested in lists `test_*.py` files and the",
        "tests in them. Rules of capabilities not built yet are listed all the same.",
        "",
        "| rule | what | status | enforced in | tested in |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        status = "built" if rule.built else "**not built yet**"
        out.append(
            f"| [{rule.id}](#{_anchor(rule)}) | {rule.title} | {status} "
            f"| {_summary_cell(enforced.get(rule.id, {}), rule)} "
            f"| {_summary_cell(tested.get(rule.id, {}), rule)} |"
        )
    capability = None
    for rule in RULES:
        if rule.capability != capability:
            capability = rule.capability
            out += ["", f"## {capability[0].upper()}{capability[1:]}"]
        status = "built" if rule.built else "not built yet"
        out += [
            "",
            f'<a id="{_anchor(rule)}"></a>',
            "",
            f"### {rule.id} {rule.title}",
            "",
            f"{rule.requirement}",
            "",
            f"- **Source:** {rule.source}.",
            f"- **Status:** {status}." + (f" {rule.note}" if rule.note else ""),
            "",
            "Enforced in:",
            "",
            *_places(enforced.get(rule.id, {}), "no code cites it yet"),
            "",
            "Tested in:",
            "",
            *_places(tested.get(rule.id, {}), "no test cites it yet"),
        ]
    return "\n".join(out) + "\n"


def generate(root: Path = ROOT) -> tuple[str, list[str]]:
    """The page and the problems, from the files under root."""
    citations = collect(root)
    return render(citations), problems(citations)
